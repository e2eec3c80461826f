package headers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// A parityCase is one set of Helmet options and the same options as
// Bulwark's headers: section.
type parityCase struct {
	name   string
	helmet string // helmet(options) as JSON
	yaml   string
	err    string // if not empty, both must reject the options; part of Bulwark's error
}

var parityCases = []parityCase{
	{name: "defaults", helmet: `{}`, yaml: ``},
	{
		name:   "true means defaults",
		helmet: `{"contentSecurityPolicy":true,"crossOriginEmbedderPolicy":true,"strictTransportSecurity":true,"xFrameOptions":true}`,
		yaml:   "contentSecurityPolicy: true\ncrossOriginEmbedderPolicy: true\nstrictTransportSecurity: true\nxFrameOptions: true",
	},
	{
		name:   "csp merged with defaults",
		helmet: `{"contentSecurityPolicy":{"directives":{"connect-src":["'self'","wss://ws.example.com"],"imgSrc":["'self'","data:","https://img.example.com"],"scriptSrc":["'self'","https://cdn.example.com","'sha256-q1w2e3r4='"],"workerSrc":"'self' blob:"}}}`,
		yaml: `
contentSecurityPolicy:
  directives:
    connect-src: ["'self'", "wss://ws.example.com"]
    imgSrc: ["'self'", "data:", "https://img.example.com"]
    scriptSrc: ["'self'", "https://cdn.example.com", "'sha256-q1w2e3r4='"]
    workerSrc: ["'self' blob:"]`,
	},
	{
		name:   "csp without defaults",
		helmet: `{"contentSecurityPolicy":{"useDefaults":false,"directives":{"default-src":["'none'"],"imgSrc":["'self'"],"sandbox":[]}}}`,
		yaml:   `contentSecurityPolicy: {useDefaults: false, directives: {default-src: ["'none'"], imgSrc: ["'self'"], sandbox: []}}`,
	},
	{
		name:   "csp report only",
		helmet: `{"contentSecurityPolicy":{"reportOnly":true,"directives":{"reportUri":["/csp-report"]}}}`,
		yaml:   `contentSecurityPolicy: {reportOnly: true, directives: {reportUri: [/csp-report]}}`,
	},
	{
		name:   "csp null removes defaults",
		helmet: `{"contentSecurityPolicy":{"directives":{"frame-ancestors":["'none'"],"script-src-attr":null,"upgradeInsecureRequests":null}}}`,
		yaml:   `contentSecurityPolicy: {directives: {frame-ancestors: ["'none'"], script-src-attr: null, upgradeInsecureRequests: ~}}`,
	},
	{
		name:   "csp dangerously without default-src",
		helmet: `{"contentSecurityPolicy":{"directives":{"defaultSrc":"$dangerouslyDisableDefaultSrc","scriptSrc":["'self'","'strict-dynamic'"]}}}`,
		yaml:   `contentSecurityPolicy: {dangerouslyDisableDefaultSrc: true, directives: {scriptSrc: ["'self'", "'strict-dynamic'"]}}`,
	},
	{
		name:   "csp empty values",
		helmet: `{"contentSecurityPolicy":{"directives":{"imgSrc":[""],"sandbox":["allow-scripts",""]}}}`,
		yaml:   `contentSecurityPolicy: {directives: {imgSrc: [""], sandbox: [allow-scripts, ""]}}`,
	},
	{
		name:   "hsts options",
		helmet: `{"strictTransportSecurity":{"maxAge":123456.789,"includeSubDomains":false,"preload":true}}`,
		yaml:   `strictTransportSecurity: {maxAge: 123456.789s, includeSubDomains: false, preload: true}`,
	},
	{name: "hsts legacy name, max-age 0", helmet: `{"hsts":{"maxAge":0}}`, yaml: `hsts: {maxAge: 0s}`},
	{name: "frameguard deny", helmet: `{"frameguard":{"action":"deny"}}`, yaml: `frameguard: {action: deny}`},
	{name: "x-frame-options same-origin", helmet: `{"xFrameOptions":{"action":"Same-Origin"}}`, yaml: `xFrameOptions: {action: Same-Origin}`},
	{
		name:   "referrer policy list",
		helmet: `{"referrerPolicy":{"policy":["no-referrer","strict-origin-when-cross-origin"]}}`,
		yaml:   `referrerPolicy: {policy: [no-referrer, strict-origin-when-cross-origin]}`,
	},
	{name: "referrer policy one", helmet: `{"referrerPolicy":{"policy":"same-origin"}}`, yaml: `referrerPolicy: {policy: [same-origin]}`},
	{name: "referrer policy empty token", helmet: `{"referrerPolicy":{"policy":["","unsafe-url"]}}`, yaml: `referrerPolicy: {policy: ["", unsafe-url]}`},
	{
		name:   "cross-origin require-corp, allow-popups, cross-origin",
		helmet: `{"crossOriginEmbedderPolicy":{"policy":"require-corp"},"crossOriginOpenerPolicy":{"policy":"same-origin-allow-popups"},"crossOriginResourcePolicy":{"policy":"cross-origin"}}`,
		yaml:   "crossOriginEmbedderPolicy: {policy: require-corp}\ncrossOriginOpenerPolicy: {policy: same-origin-allow-popups}\ncrossOriginResourcePolicy: {policy: cross-origin}",
	},
	{
		name:   "cross-origin credentialless, noopener, same-site",
		helmet: `{"crossOriginEmbedderPolicy":{"policy":"credentialless"},"crossOriginOpenerPolicy":{"policy":"noopener-allow-popups"},"crossOriginResourcePolicy":{"policy":"same-site"}}`,
		yaml:   "crossOriginEmbedderPolicy: {policy: credentialless}\ncrossOriginOpenerPolicy: {policy: noopener-allow-popups}\ncrossOriginResourcePolicy: {policy: same-site}",
	},
	{
		name:   "cross-origin unsafe-none",
		helmet: `{"crossOriginEmbedderPolicy":{"policy":"unsafe-none"},"crossOriginOpenerPolicy":{"policy":"unsafe-none"}}`,
		yaml:   "crossOriginEmbedderPolicy: {policy: unsafe-none}\ncrossOriginOpenerPolicy: {policy: unsafe-none}",
	},
	{name: "dns prefetch allowed", helmet: `{"xDnsPrefetchControl":{"allow":true}}`, yaml: `xDnsPrefetchControl: {allow: true}`},
	{
		name:   "legacy dns prefetch and permitted policies",
		helmet: `{"dnsPrefetchControl":{"allow":false},"permittedCrossDomainPolicies":{"permittedPolicies":"master-only"}}`,
		yaml:   "dnsPrefetchControl: {allow: false}\npermittedCrossDomainPolicies: {permittedPolicies: master-only}",
	},
	{
		name:   "permitted policies by content type",
		helmet: `{"xPermittedCrossDomainPolicies":{"permittedPolicies":"by-content-type"}}`,
		yaml:   `xPermittedCrossDomainPolicies: {permittedPolicies: by-content-type}`,
	},
	{
		name:   "several disabled",
		helmet: `{"contentSecurityPolicy":false,"crossOriginOpenerPolicy":false,"crossOriginResourcePolicy":false,"originAgentCluster":false,"referrerPolicy":false,"xDownloadOptions":false}`,
		yaml:   "contentSecurityPolicy: false\ncrossOriginOpenerPolicy: false\ncrossOriginResourcePolicy: false\noriginAgentCluster: false\nreferrerPolicy: false\nxDownloadOptions: false",
	},
	{
		name: "all disabled",
		helmet: `{"contentSecurityPolicy":false,"crossOriginEmbedderPolicy":false,"crossOriginOpenerPolicy":false,"crossOriginResourcePolicy":false,"originAgentCluster":false,"referrerPolicy":false,"strictTransportSecurity":false,` +
			`"xContentTypeOptions":false,"xDnsPrefetchControl":false,"xDownloadOptions":false,"xFrameOptions":false,"xPermittedCrossDomainPolicies":false,"xPoweredBy":false,"xXssProtection":false}`,
		yaml: `
contentSecurityPolicy: false
crossOriginEmbedderPolicy: false
crossOriginOpenerPolicy: false
crossOriginResourcePolicy: false
originAgentCluster: false
referrerPolicy: false
strictTransportSecurity: false
xContentTypeOptions: false
xDnsPrefetchControl: false
xDownloadOptions: false
xFrameOptions: false
xPermittedCrossDomainPolicies: false
xPoweredBy: false
xXssProtection: false`,
	},
	{
		name:   "legacy switches",
		helmet: `{"noSniff":false,"ieNoOpen":false,"xssFilter":true,"hidePoweredBy":true,"hsts":false}`,
		yaml:   "noSniff: false\nieNoOpen: false\nxssFilter: true\nhidePoweredBy: true\nhsts: false",
	},
	{name: "x-powered-by kept", helmet: `{"hidePoweredBy":false}`, yaml: `hidePoweredBy: false`},
	{
		name:   "option-less sections given options",
		helmet: `{"originAgentCluster":{},"xContentTypeOptions":{},"xDownloadOptions":{},"xXssProtection":{},"xPoweredBy":{}}`,
		yaml:   "originAgentCluster: {}\nxContentTypeOptions: {}\nxDownloadOptions: {}\nxXssProtection: {}\nxPoweredBy: {}",
	},

	// Options both must reject.
	{
		name:   "bad directive name",
		helmet: `{"contentSecurityPolicy":{"directives":{"script_src":["'self'"]}}}`,
		yaml:   `contentSecurityPolicy: {directives: {script_src: ["'self'"]}}`,
		err:    "contentSecurityPolicy.directives.script_src: invalid directive name",
	},
	{
		name:   "directive name starting upper-case",
		helmet: `{"contentSecurityPolicy":{"directives":{"ScriptSrc":["'self'"]}}}`,
		yaml:   `contentSecurityPolicy: {directives: {ScriptSrc: ["'self'"]}}`,
		err:    "contentSecurityPolicy.directives.ScriptSrc: invalid directive name",
	},
	{
		name:   "duplicate directive after dashify",
		helmet: `{"contentSecurityPolicy":{"directives":{"script-src":["'self'"],"scriptSrc":["'self'"]}}}`,
		yaml:   `contentSecurityPolicy: {directives: {script-src: ["'self'"], scriptSrc: ["'self'"]}}`,
		err:    "contentSecurityPolicy.directives.scriptSrc: names the same directive as script-src",
	},
	{
		name:   "semicolon in directive value",
		helmet: `{"contentSecurityPolicy":{"directives":{"scriptSrc":["'self'; object-src *"]}}}`,
		yaml:   `contentSecurityPolicy: {directives: {scriptSrc: ["'self'; object-src *"]}}`,
		err:    `contentSecurityPolicy.directives.scriptSrc: "'self'; object-src *" must not contain ";" or ","`,
	},
	{
		name:   "comma in directive value",
		helmet: `{"contentSecurityPolicy":{"directives":{"imgSrc":["a.example,b.example"]}}}`,
		yaml:   `contentSecurityPolicy: {directives: {imgSrc: ["a.example,b.example"]}}`,
		err:    `must not contain ";" or ","`,
	},
	{
		name:   "unquoted self",
		helmet: `{"contentSecurityPolicy":{"directives":{"script-src":["self"]}}}`,
		yaml:   `contentSecurityPolicy: {directives: {script-src: [self]}}`,
		err:    `contentSecurityPolicy.directives.script-src: "self" must be quoted as "'self'"`,
	},
	{
		name:   "unquoted nonce",
		helmet: `{"contentSecurityPolicy":{"directives":{"scriptSrc":["nonce-abc123"]}}}`,
		yaml:   `contentSecurityPolicy: {directives: {scriptSrc: [nonce-abc123]}}`,
		err:    `"nonce-abc123" must be quoted as "'nonce-abc123'"`,
	},
	{
		name:   "unquoted hash",
		helmet: `{"contentSecurityPolicy":{"directives":{"styleSrc":["sha256-abc="]}}}`,
		yaml:   `contentSecurityPolicy: {directives: {styleSrc: [sha256-abc=]}}`,
		err:    `"sha256-abc=" must be quoted`,
	},
	{
		name:   "default-src null",
		helmet: `{"contentSecurityPolicy":{"directives":{"defaultSrc":null}}}`,
		yaml:   `contentSecurityPolicy: {directives: {defaultSrc: null}}`,
		err:    "contentSecurityPolicy.directives.defaultSrc: cannot be null",
	},
	{
		name:   "directive value false",
		helmet: `{"contentSecurityPolicy":{"directives":{"scriptSrc":false}}}`,
		yaml:   `contentSecurityPolicy: {directives: {scriptSrc: false}}`,
		err:    `contentSecurityPolicy.directives.scriptSrc[0]: expected a string, got "false"`,
	},
	{
		name:   "no default-src",
		helmet: `{"contentSecurityPolicy":{"useDefaults":false,"directives":{"scriptSrc":["'self'"]}}}`,
		yaml:   `contentSecurityPolicy: {useDefaults: false, directives: {scriptSrc: ["'self'"]}}`,
		err:    "contentSecurityPolicy.directives: no default-src",
	},
	{
		name:   "empty policy",
		helmet: `{"contentSecurityPolicy":{"useDefaults":false}}`,
		yaml:   `contentSecurityPolicy: {useDefaults: false}`,
		err:    "contentSecurityPolicy: the policy has no directives",
	},
	{
		name:   "empty policy without default-src",
		helmet: `{"contentSecurityPolicy":{"useDefaults":false,"directives":{"defaultSrc":"$dangerouslyDisableDefaultSrc"}}}`,
		yaml:   `contentSecurityPolicy: {useDefaults: false, dangerouslyDisableDefaultSrc: true}`,
		err:    "the policy has no directives",
	},
	{
		name:   "unknown coep",
		helmet: `{"crossOriginEmbedderPolicy":{"policy":"require-corp-please"}}`,
		yaml:   `crossOriginEmbedderPolicy: {policy: require-corp-please}`,
		err:    `crossOriginEmbedderPolicy.policy: "require-corp-please" is not one of require-corp, credentialless, unsafe-none`,
	},
	{
		name:   "unknown coop",
		helmet: `{"crossOriginOpenerPolicy":{"policy":"same-site"}}`,
		yaml:   `crossOriginOpenerPolicy: {policy: same-site}`,
		err:    `crossOriginOpenerPolicy.policy: "same-site" is not one of`,
	},
	{
		name:   "unknown corp",
		helmet: `{"crossOriginResourcePolicy":{"policy":"SAME-ORIGIN"}}`,
		yaml:   `crossOriginResourcePolicy: {policy: SAME-ORIGIN}`,
		err:    `crossOriginResourcePolicy.policy: "SAME-ORIGIN" is not one of`,
	},
	{
		name:   "unknown referrer policy",
		helmet: `{"referrerPolicy":{"policy":"no-referer"}}`,
		yaml:   `referrerPolicy: {policy: [no-referer]}`,
		err:    `referrerPolicy.policy: "no-referer" is not a referrer policy`,
	},
	{
		name:   "duplicate referrer policy",
		helmet: `{"referrerPolicy":{"policy":["origin","origin"]}}`,
		yaml:   `referrerPolicy: {policy: [origin, origin]}`,
		err:    `referrerPolicy.policy: "origin" is listed twice`,
	},
	{
		name:   "empty referrer policy",
		helmet: `{"referrerPolicy":{"policy":[]}}`,
		yaml:   `referrerPolicy: {policy: []}`,
		err:    "referrerPolicy.policy: empty list",
	},
	{
		name:   "negative hsts max-age",
		helmet: `{"strictTransportSecurity":{"maxAge":-1}}`,
		yaml:   `strictTransportSecurity: {maxAge: -1s}`,
		err:    "strictTransportSecurity.maxAge: must be at least 0s, got -1s",
	},
	{
		name:   "hsts maxage misspelt",
		helmet: `{"hsts":{"maxage":31536000}}`,
		yaml:   `hsts: {maxage: 8760h}`,
		err:    "hsts.maxage: unknown key (did you mean maxAge?)",
	},
	{
		name:   "hsts includeSubdomains misspelt",
		helmet: `{"strictTransportSecurity":{"includeSubdomains":true}}`,
		yaml:   `strictTransportSecurity: {includeSubdomains: true}`,
		err:    "strictTransportSecurity.includeSubdomains: unknown key (did you mean includeSubDomains?)",
	},
	{
		name:   "hsts under both names",
		helmet: `{"strictTransportSecurity":{"maxAge":1},"hsts":{"maxAge":2}}`,
		yaml:   "strictTransportSecurity: {maxAge: 1s}\nhsts: {maxAge: 2s}",
		err:    "hsts: is the legacy name of strictTransportSecurity, which is also set",
	},
	{
		name:   "x-frame-options under both names",
		helmet: `{"frameguard":false,"xFrameOptions":{"action":"deny"}}`,
		yaml:   "frameguard: false\nxFrameOptions: {action: deny}",
		err:    "frameguard: is the legacy name of xFrameOptions",
	},
	{
		name:   "x-xss-protection under both names",
		helmet: `{"xssFilter":true,"xXssProtection":true}`,
		yaml:   "xssFilter: true\nxXssProtection: true",
		err:    "xssFilter: is the legacy name of xXssProtection",
	},
	{
		name:   "frameguard allow-from",
		helmet: `{"frameguard":{"action":"allow-from"}}`,
		yaml:   `frameguard: {action: allow-from}`,
		err:    `frameguard.action: "allow-from" is not an action; use deny or sameorigin`,
	},
	{
		name:   "unknown permitted policy",
		helmet: `{"xPermittedCrossDomainPolicies":{"permittedPolicies":"everything"}}`,
		yaml:   `xPermittedCrossDomainPolicies: {permittedPolicies: everything}`,
		err:    `xPermittedCrossDomainPolicies.permittedPolicies: "everything" is not one of none, master-only, by-content-type, all`,
	},
}

// transportHeaders are set by the servers, not by either middleware.
var transportHeaders = []string{"Date", "Content-Length", "Content-Type", "Etag", "Connection", "Keep-Alive"}

// TestHelmetParity runs every case through Helmet under Express (node) and
// through [New] in front of the same handler, and compares the headers.
// Bulwark is asked over HTTPS: Helmet sends every header whatever the
// scheme, Bulwark HSTS and upgrade-insecure-requests to HTTPS clients only
// (TestPlainHTTPNoUpgrade).
func TestHelmetParity(t *testing.T) {
	nodeURL, helmetErrs := startHelmet(t, parityCases)

	mux := http.NewServeMux()
	goErrs := make([]error, len(parityCases))
	for i, c := range parityCases {
		cfg, err := decodeParityYAML(c.yaml)
		if err == nil {
			var mw func(http.Handler) http.Handler
			if mw, err = New(cfg); err == nil {
				mux.Handle(fmt.Sprintf("/case/%d", i), mw(expressLike()))
			}
		}
		goErrs[i] = err
	}
	goSrv := httptest.NewTLSServer(mux)
	t.Cleanup(goSrv.Close)
	client := &http.Client{Timeout: 10 * time.Second}
	goClient := goSrv.Client()
	goClient.Timeout = 10 * time.Second

	for i, c := range parityCases {
		t.Run(c.name, func(t *testing.T) {
			err := goErrs[i]
			if c.err != "" {
				if helmetErrs[i] == "" {
					t.Errorf("helmet(%s) did not throw", c.helmet)
				}
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("bulwark error for\n%s\n= %v\nwant one containing %q", c.yaml, err, c.err)
				}
				return
			}
			if helmetErrs[i] != "" {
				t.Fatalf("helmet(%s) threw: %s", c.helmet, helmetErrs[i])
			}
			if err != nil {
				t.Fatalf("bulwark rejected\n%s\nerror: %v", c.yaml, err)
			}
			path := fmt.Sprintf("/case/%d", i)
			want := fetchHeaders(t, client, nodeURL+path)
			got := fetchHeaders(t, goClient, goSrv.URL+path)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("headers for helmet(%s) differ (-helmet +bulwark):\n%s", c.helmet, diff)
			}
			if !strings.Contains(c.yaml, "PoweredBy: false") {
				if v, ok := want["X-Powered-By"]; ok {
					t.Errorf("helmet sent X-Powered-By: %q", v)
				}
				if v, ok := got["X-Powered-By"]; ok {
					t.Errorf("bulwark sent X-Powered-By: %q", v)
				}
			}
		})
	}
}

// expressLike answers as the Express handler of server.mjs does, X-Powered-By
// included (Express sets it before Helmet runs).
func expressLike() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Powered-By", "Express")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok")
	})
}

// fetchHeaders GETs url and returns the response headers that a middleware
// may have set.
func fetchHeaders(t *testing.T, client *http.Client, url string) http.Header {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Fatalf("GET %s = %d %q, want 200 \"ok\"", url, resp.StatusCode, body)
	}
	h := resp.Header.Clone()
	for _, k := range transportHeaders {
		delete(h, k)
	}
	return h
}

// decodeParityYAML decodes a headers: section the way bulwark.yaml is
// decoded, so the parity holds for what users write.
func decodeParityYAML(src string) (Config, error) {
	var cfg Config
	err := config.Decoder{LookupEnv: func(string) (string, bool) { return "", false }}.Decode("parity.yaml", []byte(src), &cfg)
	return cfg, err
}

// startHelmet starts testdata/helmet-parity/server.mjs with the cases'
// Helmet options, and returns its URL and the error helmet() threw for each
// case, if any.
func startHelmet(t *testing.T, cases []parityCase) (url string, errs map[int]string) {
	t.Helper()
	const dir = "testdata/helmet-parity"
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "helmet", "package.json"))
	}
	if err != nil {
		msg := fmt.Sprintf("helmet parity needs node and Helmet installed (%v): run npm ci --prefix headers/testdata/helmet-parity", err)
		testutil.RealPartMissing(t, msg)
	}

	var opts []json.RawMessage
	for _, c := range cases {
		if !json.Valid([]byte(c.helmet)) {
			t.Fatalf("case %q: invalid JSON %s", c.name, c.helmet)
		}
		opts = append(opts, json.RawMessage(c.helmet))
	}
	data, err := json.Marshal(opts)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "cases.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(node, "server.mjs", file)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})

	type line struct {
		Case  *int   `json:"case"`
		Error string `json:"error"`
		Port  int    `json:"port"`
	}
	lines := make(chan line)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var l line
			if json.Unmarshal(sc.Bytes(), &l) == nil {
				lines <- l
				if l.Port != 0 {
					io.Copy(io.Discard, stdout)
					return
				}
			}
		}
	}()
	errs = map[int]string{}
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			switch {
			case !ok:
				cmd.Wait()
				t.Fatalf("node server.mjs exited before listening:\n%s", stderr.Bytes())
			case l.Port != 0:
				return fmt.Sprintf("http://127.0.0.1:%d", l.Port), errs
			case l.Case != nil && l.Error != "":
				errs[*l.Case] = l.Error
			}
		case <-timeout:
			t.Fatalf("node server.mjs did not listen within 30s:\n%s", stderr.Bytes())
		}
	}
}
