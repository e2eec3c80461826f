package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Where Debian's packages put nginx's ModSecurity connector, ModSecurity's
// recommended configuration and the OWASP Core Rule Set 3.3.
// (apt-get install nginx libnginx-mod-http-modsecurity modsecurity-crs)
const (
	modsecModule   = "/usr/lib/nginx/modules/ngx_http_modsecurity_module.so"
	crsSetup       = "/etc/modsecurity/crs/crs-setup.conf"
	crsRulesDir    = "/usr/share/modsecurity-crs/rules"
	crsBeforeRules = "/etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf"
	crsAfterRules  = "/etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf"
	unicodeMapping = "/etc/nginx/unicode.mapping"
)

// modsecRecommended are the places of ModSecurity's recommended
// configuration, first found wins: Debian 12's connector package ships it
// as /etc/nginx/modsecurity.conf; libmodsecurity's upstream name is
// modsecurity.conf-recommended.
var modsecRecommended = []string{
	"/etc/modsecurity/modsecurity.conf-recommended",
	"/etc/nginx/modsecurity.conf",
	"/usr/share/nginx/docs/modsecurity/modsecurity.conf",
}

// errNoNginx says how to get what the comparison runs.
var errNoNginx = errors.New("nginx with ModSecurity and the CRS is not installed: " +
	"apt-get install -y nginx libnginx-mod-http-modsecurity modsecurity-crs (make bench-nginx does this for you)")

// An nginxSetup is nginx's configuration for the comparison, written into
// Dir: one worker process, two servers proxying to the same upstream with
// keep-alive, one with ModSecurity and the CRS (WAFAddr) and one without
// (PlainAddr, for reference); and, if ReqOnlyAddr is set, one with
// ModSecurity and the CRS inspecting requests only (SecResponseBodyAccess
// Off), as guard does.
type nginxSetup struct {
	Dir         string
	Conf        string // nginx.conf
	Workers     int
	Upstream    string // host:port
	WAFAddr     string
	PlainAddr   string
	ReqOnlyAddr string
	Rules       int // CRS rule files included
}

// writeNginx writes nginx.conf and the ModSecurity rules file into dir.
func writeNginx(dir string, workers int, upstream, wafAddr, plainAddr, reqOnlyAddr string) (nginxSetup, error) {
	s := nginxSetup{Dir: dir, Conf: filepath.Join(dir, "nginx.conf"), Workers: workers,
		Upstream: upstream, WAFAddr: wafAddr, PlainAddr: plainAddr, ReqOnlyAddr: reqOnlyAddr}
	if _, err := exec.LookPath("nginx"); err != nil {
		return s, errNoNginx
	}
	for _, p := range []string{modsecModule, crsSetup, crsRulesDir} {
		if _, err := os.Stat(p); err != nil {
			return s, fmt.Errorf("%w (missing %s)", errNoNginx, p)
		}
	}
	for _, sub := range []string{"logs", "tmp", "modsec"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return s, fmt.Errorf("making nginx's directories: %w", err)
		}
	}
	// The CRS files in the order the CRS's own loader uses.
	rules, err := filepath.Glob(filepath.Join(crsRulesDir, "*.conf"))
	if err != nil || len(rules) == 0 {
		return s, fmt.Errorf("%w (no rules in %s)", errNoNginx, crsRulesDir)
	}
	slices.Sort(rules)
	s.Rules = len(rules)
	var crs []string
	if exists(crsBeforeRules) {
		crs = append(crs, crsBeforeRules)
	}
	crs = append(crs, rules...)
	if exists(crsAfterRules) {
		crs = append(crs, crsAfterRules)
	}
	mainPath, err := writeModsec(dir, "main", true, crs)
	if err != nil {
		return s, err
	}
	reqOnlyPath, err := writeModsec(dir, "request-only", false, crs)
	if err != nil {
		return s, err
	}
	if err := os.WriteFile(s.Conf, []byte(s.nginxConf(mainPath, reqOnlyPath)), 0o644); err != nil {
		return s, fmt.Errorf("writing nginx.conf: %w", err)
	}
	return s, nil
}

// writeModsec writes the rules file NAME.conf for the modsecurity_rules_file
// directive, and the ModSecurity configuration it includes before the CRS
// files, and returns the rules file's path.
func writeModsec(dir, name string, responseBody bool, crs []string) (string, error) {
	msc, err := modsecConfig(dir, responseBody)
	if err != nil {
		return "", err
	}
	mscPath := filepath.Join(dir, "modsec", name+"-modsecurity.conf")
	if err := os.WriteFile(mscPath, []byte(msc), 0o644); err != nil {
		return "", fmt.Errorf("writing ModSecurity's configuration: %w", err)
	}
	var b strings.Builder
	b.WriteString("# ModSecurity's recommended configuration (engine on), then OWASP CRS at its default paranoia level 1.\n")
	// libmodsecurity does not accept IncludeOptional: every file is named.
	for _, p := range append([]string{mscPath, crsSetup}, crs...) {
		fmt.Fprintf(&b, "Include %s\n", p)
	}
	path := filepath.Join(dir, "modsec", name+".conf")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return "", fmt.Errorf("writing ModSecurity's rules file: %w", err)
	}
	return path, nil
}

// modsecConfig returns ModSecurity's recommended configuration with the
// engine blocking (SecRuleEngine On), request bodies read, and its files
// (audit log, temporary and data files) in dir. Everything else is as
// recommended; response bodies are inspected (as recommended) if
// responseBody.
func modsecConfig(dir string, responseBody bool) (string, error) {
	var src []byte
	var err error
	for _, p := range modsecRecommended {
		if src, err = os.ReadFile(p); err == nil {
			break
		}
	}
	if err != nil {
		return "", fmt.Errorf("%w (no recommended ModSecurity configuration at %s)", errNoNginx, strings.Join(modsecRecommended, ", "))
	}
	set := []struct{ directive, value string }{
		{"SecRuleEngine", "On"},
		{"SecRequestBodyAccess", "On"},
		{"SecAuditLog", filepath.Join(dir, "logs", "modsec_audit.log")},
		{"SecTmpDir", filepath.Join(dir, "tmp")},
		{"SecDataDir", filepath.Join(dir, "tmp")},
		{"SecUnicodeMapFile", unicodeMapping + " 20127"},
	}
	if !responseBody {
		set = append(set, struct{ directive, value string }{"SecResponseBodyAccess", "Off"})
	}
	out := string(src)
	for _, d := range set {
		re := regexp.MustCompile(`(?m)^` + d.directive + `\s.*$`)
		line := d.directive + " " + d.value
		if re.MatchString(out) {
			out = re.ReplaceAllLiteralString(out, line)
		} else {
			out += "\n" + line + "\n"
		}
	}
	return out, nil
}

// helmetHeaders are the response headers guard sets by default (Helmet 8's
// set): the nginx servers add the same, so that both send alike answers.
var helmetHeaders = [][2]string{
	{"Content-Security-Policy", "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Origin-Agent-Cluster", "?1"},
	{"Referrer-Policy", "no-referrer"},
	{"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-DNS-Prefetch-Control", "off"},
	{"X-Download-Options", "noopen"},
	{"X-Frame-Options", "SAMEORIGIN"},
	{"X-Permitted-Cross-Domain-Policies", "none"},
	{"X-XSS-Protection", "0"},
}

// nginxConf is nginx.conf: everything under s.Dir, no access log (guard
// logs only answers of 400 and above), the ModSecurity module loaded.
func (s nginxSetup) nginxConf(rulesFile, reqOnlyRulesFile string) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("load_module %s;", modsecModule)
	if os.Geteuid() == 0 {
		p("user root;") // the worker reads and writes only in %s
	}
	p("worker_processes %d;", s.Workers)
	p("pid %s;", filepath.Join(s.Dir, "nginx.pid"))
	p("error_log %s warn;", filepath.Join(s.Dir, "logs", "error.log"))
	p("events { worker_connections 4096; }")
	p("http {")
	p("  access_log off;")
	p("  server_tokens off;")
	for _, t := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		p("  %s_temp_path %s;", t, filepath.Join(s.Dir, "tmp", t))
	}
	p("  keepalive_requests 1000000;") // as guard, which does not bound requests per connection
	p("  upstream app {")
	p("    server %s;", s.Upstream)
	p("    keepalive 256;") // guard's MaxIdleConns
	p("    keepalive_requests 1000000;")
	p("  }")
	for _, srv := range []struct {
		addr  string
		rules string
	}{{s.WAFAddr, rulesFile}, {s.PlainAddr, ""}, {s.ReqOnlyAddr, reqOnlyRulesFile}} {
		if srv.addr == "" {
			continue
		}
		p("  server {")
		p("    listen %s;", srv.addr)
		if srv.rules != "" {
			p("    modsecurity on;")
			p("    modsecurity_rules_file %s;", srv.rules)
		}
		p("    location / {")
		p("      proxy_pass http://app;")
		p("      proxy_http_version 1.1;")
		p(`      proxy_set_header Connection "";`)
		p("      proxy_set_header Host $host;")
		p("      proxy_set_header X-Forwarded-For $remote_addr;")
		p("      proxy_set_header X-Forwarded-Proto $scheme;")
		p("      proxy_hide_header X-Powered-By;")
		p("      add_header X-Request-Id $request_id always;") // guard sends one
		p("      proxy_cookie_flags ~ samesite=lax;")          // guard's cookie hardening
		for _, h := range helmetHeaders {
			p(`      add_header %s "%s" always;`, h[0], h[1])
		}
		p("    }")
		p("  }")
	}
	p("}")
	return b.String()
}

// nginxArgs is the command line that runs nginx in the foreground.
func (s nginxSetup) nginxArgs() []string {
	return []string{"-c", s.Conf, "-p", s.Dir + "/", "-e", filepath.Join(s.Dir, "logs", "error.log"), "-g", "daemon off;"}
}

// processTree returns pid and its children's pids (nginx's workers).
func processTree(pid int) []int {
	pids := []int{pid}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return pids
	}
	for _, f := range strings.Fields(string(b)) {
		if n, err := strconv.Atoi(f); err == nil {
			pids = append(pids, n)
		}
	}
	return pids
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
