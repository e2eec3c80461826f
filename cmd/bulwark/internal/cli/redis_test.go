package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRedisConfigErrors: a wrong store.redis is refused at its line, with
// what to do, and a right one of each kind loads.
func TestRedisConfigErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"store:\n  redis:\n    address: 127.0.0.1:6379\n    cluster: [127.0.0.1:7000]\n", "set one of address, sentinel and cluster"},
		{"store:\n  redis:\n    sentinel: {addresses: [127.0.0.1:26379]}\n", "sentinel.master: required"},
		{"store:\n  redis:\n    sentinel: {master: m}\n", "sentinel.addresses: list at least one"},
		{"store:\n  redis:\n    cluster: [127.0.0.1:7000, nowhere]\n", `cluster[1]: want host:port, e.g. 127.0.0.1:6379, got "nowhere"`},
		{"store:\n  redis:\n    cluster: [127.0.0.1:7000]\n    db: 2\n", "a Redis Cluster has only database 0"},
		{"store:\n  redis:\n    address: 127.0.0.1:6379\n    prefix: \"a{b}\"\n", "use letters, digits"},
		{"store:\n  redis:\n    address: 127.0.0.1:6379\n    caFile: /ca.pem\n", "set tls: true too"},
		{"store:\n  redis:\n    sentinel: {master: mymaster, addresses: [127.0.0.1:26379]}\n    prefix: shop-prod\n", ""},
		{"store:\n  redis:\n    cluster: [127.0.0.1:7000, 127.0.0.1:7001]\n", ""},
		{"store:\n  redis:\n    address: 127.0.0.1:6379\n    name: \"gw\\u0007a\"\n", "name: use printable characters only"},
		{"store:\n  redis:\n    address: 127.0.0.1:6379\n    name: " + strings.Repeat("g", 65) + "\n", "name: at most 64 characters"},
		{"store:\n  redis:\n    address: 127.0.0.1:6379\n    name: gw-a (eu-west)\n", ""},
	} {
		p := filepath.Join(t.TempDir(), "bulwark.yaml")
		os.WriteFile(p, []byte(tc.yaml), 0o600)
		_, err := loadConfig(p)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v, want it loaded", tc.yaml, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bulwark.yaml:")):
			t.Errorf("%q: error %v, want one at a line of bulwark.yaml saying %q", tc.yaml, err, tc.want)
		}
	}
}
