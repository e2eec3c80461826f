package update

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// TestTestsOffline checks that an isolated test run can use its own
// loopback but cannot reach a server on this machine's, and that the
// same run without isolation does (so the check can fail).
func TestTestsOffline(t *testing.T) {
	needNPM(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	env := npmEnv(t)
	iso, why := probeIsolation(ctx, env)
	if !iso.ok() {
		testutil.RealPartMissing(t, "no network namespace on this machine: "+why)
	}
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	// Listens on its own loopback and connects to itself, then tries the
	// host's server: exit 0 only if the first works and the second not.
	script := `const http = require('http');
const s = http.createServer((q, r) => r.end('self')).listen(0, '127.0.0.1', () => {
  http.get('http://127.0.0.1:' + s.address().port, (r) => {
    http.get(process.env.PROBE_URL, () => { console.log('reached the host'); process.exit(1); })
      .on('error', () => { console.log('offline'); process.exit(0); });
  }).on('error', (e) => { console.log('own loopback down: ' + e.message); process.exit(2); });
});`
	env = append(env, "PROBE_URL="+srv.URL)
	tc := testCmd{command: []string{"node", "-e", script}, env: env, timeout: 30 * time.Second, iso: &iso}
	if out, _, err := tc.run(ctx, t.TempDir()); err != nil || hits.Load() != 0 {
		t.Fatalf("isolated: %v, %d requests reached the host's server: %s", err, hits.Load(), out)
	}
	tc.iso = nil
	if out, _, err := tc.run(ctx, t.TempDir()); err == nil || hits.Load() != 1 {
		t.Errorf("not isolated: %v, %d requests; want the host's server reached: %s", err, hits.Load(), out)
	}
}
