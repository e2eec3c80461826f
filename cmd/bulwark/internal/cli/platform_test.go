package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestPlatformLimits runs, as Windows and macOS would, the commands that
// cannot work there: --help says so, and running them fails at once with
// the reason; what works there still runs.
func TestPlatformLimits(t *testing.T) {
	tests := []struct {
		goos    string
		args    []string
		wantErr string // "" if the platform limit lets it through
	}{
		{"windows", []string{"run", "--", "node", "server.js"}, "not on windows: bulwark run supervises"},
		{"windows", []string{"guard", "--upstream", "http://127.0.0.1:1", "--run", "node server.js"}, "not on windows: guard --run"},
		{"windows", []string{"watch"}, "not on windows: bulwark watch bans at the firewall"},
		{"darwin", []string{"watch"}, "not on darwin: bulwark watch"},
		{"darwin", []string{"watch", "--dry-run", "--config", "missing.yaml"}, ""},
		{"windows", []string{"guard", "--upstream", "http://[::1", "--listen", "127.0.0.1:0"}, ""},
		{"darwin", []string{"run"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.goos+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			var out bytes.Buffer
			root := newRoot(strings.NewReader(""), &out, &out)
			limitPlatform(root, tt.goos)
			root.SetArgs(tt.args)
			err := root.Execute()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if tt.wantErr != "" && !strings.Contains(got, tt.wantErr) {
				t.Errorf("error = %q, want %q", got, tt.wantErr)
			}
			if tt.wantErr == "" && strings.HasPrefix(got, "not on ") {
				t.Errorf("error = %q, want the command to run past the platform check", got)
			}
		})
	}
	for _, tt := range []struct{ goos, cmd, want string }{
		{"windows", "watch", "Not on windows: bulwark watch bans"},
		{"windows", "run", "Not on windows: bulwark run supervises"},
		{"windows", "guard", "Not on windows: guard --run"},
		{"darwin", "watch", "Not on darwin: bulwark watch"},
	} {
		var out bytes.Buffer
		root := newRoot(strings.NewReader(""), &out, &out)
		limitPlatform(root, tt.goos)
		root.SetArgs([]string{tt.cmd, "--help"})
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("%s: bulwark %s --help does not say %q:\n%s", tt.goos, tt.cmd, tt.want, out.String())
		}
	}
	var out bytes.Buffer
	root := newRoot(strings.NewReader(""), &out, &out)
	limitPlatform(root, "linux")
	root.SetArgs([]string{"watch", "--help"})
	root.Execute()
	if strings.Contains(out.String(), "Not on") {
		t.Errorf("on linux, bulwark watch --help names a platform limit:\n%s", out.String())
	}
}
