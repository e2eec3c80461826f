package ship

import (
	"strings"
	"testing"

	"github.com/bulwark-sec/bulwark/config"
)

func TestConfigDecodesAndValidates(t *testing.T) {
	good := `
sinks:
  - name: papertrail
    type: syslog
    address: logs5.papertrailapp.com:12345
    tls: true
  - name: archive
    type: file
    path: /var/log/bulwark/events.jsonl
    maxSize: 50MiB
    maxAge: 1d
    keep: 14
  - name: attacks
    type: webhook
    url: https://hooks.example.com/bulwark
    secret: ${TEST_SHIP_SECRET}
    filter: {categories: [malicious], minSeverity: medium}
    spool: {maxBytes: 64MiB, fsync: always, maxHeld: 20000, maxHeldBytes: 32MiB}
`
	t.Setenv("TEST_SHIP_SECRET", "k")
	var c Config
	if err := config.Decode("bulwark.yaml", []byte(good), &c); err != nil {
		t.Fatalf("good config: %v", err)
	}
	if c.Sinks[0].TLS == nil || c.Sinks[0].withDefaults().Framing != FramingOctet || c.Sinks[2].Secret.Reveal() != "k" {
		t.Errorf("decoded %+v", c)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"sinks: [{name: a, type: kafka}]", "bulwark.yaml:1: sinks[0].type: unknown type \"kafka\": use one of file, stdout"},
		{"sinks: [{name: a, type: syslog}]", "sinks[0].address: required for syslog"},
		{"sinks: [{name: a, type: syslog, address: nohost}]", "sinks[0].address: \"nohost\" is not host:port"},
		{"sinks: [{name: a, type: webhook, url: 'ftp://x', secret: s}]", "sinks[0].url: \"ftp://x\": want an absolute http:// or https:// URL"},
		{"sinks: [{name: a, type: webhook, url: 'https://x'}]", "sinks[0].secret: required for webhook"},
		{"sinks: [{name: a, type: logstash-http, address: 'x:1', url: 'http://x'}]", "sinks[0].address: not used by type logstash-http; did you mean url?"},
		{"sinks: [{name: a, type: syslog, address: 'x:1', framing: lf}]", "sinks[0].framing: must be octet-counting or newline"},
		{"sinks: [{name: a, type: syslog, address: 'x:1', transport: udp, tls: true}]", "sinks[0].transport: TLS needs tcp"},
		{"sinks: [{name: a, type: stdout, filter: {minSeverity: severe}}]", "sinks[0].filter.minSeverity: must be one of info, low, medium, high, critical, got \"severe\""},
		{"sinks: [{name: a, type: stdout, spool: {fsync: sometimes}}]", "sinks[0].spool.fsync: must be batch or always"},
		{"sinks: [{name: a, type: stdout, spool: {maxHeld: -1}}]", "sinks[0].spool.maxHeld: must be at least 0, got -1"},
		{"sinks: [{name: a, type: stdout, spool: {maxHeldBytes: 64KiB}}]", "sinks[0].spool.maxHeldBytes: must be at least"},
		{"sinks: [{name: a, type: stdout}, {name: a, type: stdout}]", "sinks[1].name: \"a\" is already the name of sinks[0]"},
		{"sinks: [{name: ../x, type: stdout}]", "sinks[0].name: \"../x\": use letters, digits"},
		{"sinks: [{name: a, type: file, path: x, maxsize: 1}]", "did you mean maxSize?"},
	} {
		var c Config
		err := config.Decode("bulwark.yaml", []byte(tc.yaml), &c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Decode(%s) = %v, want an error containing %q", tc.yaml, err, tc.want)
		}
	}
}

func TestSecretNeverLogged(t *testing.T) {
	var b strings.Builder
	c := SinkConfig{Name: "h", Type: TypeWebhook, URL: "https://x", Secret: "hunter2"}
	testLoggerTo(&b).Info("config", "sink", c)
	if strings.Contains(b.String(), "hunter2") {
		t.Errorf("secret in log: %s", b.String())
	}
}
