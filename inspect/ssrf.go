package inspect

import (
	"net/netip"
	"strconv"
	"strings"
)

var (
	ruleSSRFMeta   = newRule("bw-ssrf-001", SSRF, 5, "URL aimed at a cloud metadata service (169.254.169.254, metadata.google.internal)")
	ruleSSRFLocal  = newRule("bw-ssrf-002", SSRF, 5, "URL aimed at loopback, a private or link-local network, or an encoded IP address")
	ruleSSRFScheme = newRule("bw-ssrf-003", SSRF, 5, "URL with a scheme servers misuse: gopher://, dict://, ldap://, jar:, netdoc:")
	ruleRFIIP      = newRule("bw-rfi-001", RFI, 5, "URL with an IP address for host in a parameter")
	ruleRFIQuery   = newRule("bw-rfi-002", RFI, 5, "URL ending in ? (include of a remote script with the rest cut off)")
	ruleRFIInclude = newRule("bw-rfi-003", RFI, 5, "URL in a parameter PHP applications include (_CONF[path], mosConfig_absolute_path)")
	ruleRFIConfuse = newRule("bw-rfi-004", RFI, 5, "URL whose host parsers disagree on: example.com%2f@evil.com, backslashes")
	ruleRFIOffsite = newRule("bw-rfi-005", RFI, 2, "URL to another site in a parameter")
	ruleRFIScript  = newRule("bw-rfi-006", RFI, 5, "URL of a script on another site in a file or page parameter: file=https://evil.example/e.php")
)

var (
	reURLStart = pat(`^\s*(?:url:)?([a-z][a-z0-9+.-]{1,15}):(//)?`)
	// reRFIName finds parameter names of PHP apps with known remote file
	// inclusion: mosConfig_absolute_path, phpbb_root_path, _CONF[path].
	reRFIName = pat(`(?:^|[\[._])(?:` + anyOf(
		`_conf\[path\]`, `mosconfig_absolute_path`, `gallery_basedir`, `path\[docroot\]`, `appserv_root`,
		`config\[root_dir\]`, `_server\[document_root\]`, `include_path`, `basedir`, `base_path`,
		`root_path`, `rootpath`, `phpbb_root_path`, `absolute_path`, `inc_dir`, `includedir`,
		`class_path`, `pear_path`, `sitepath`, `site_path`, `templatepath`, `template_path`, `lang_path`,
		`path_to_root`, `server_root`, `dir\[[a-z_]+\]`,
	) + `)`)
	// reBareLocal finds a value that is a local or internal host and a path,
	// without a scheme: loopback, cloud metadata, cluster names.
	reBareLocal = pat(`^(?:`+anyOf(
		`localhost[a-z0-9.-]*`,         // localhost, localhost.localdomain
		`127\.\d+\.\d+\.\d+`,           // 127.0.0.1 and all of 127/8
		`0\.0\.0\.0`,                   // 0.0.0.0
		`169\.254\.\d+\.\d+`,           // link-local, cloud metadata: 169.254.169.254
		`\[::1?\]`,                     // [::1], [::]
		`metadata\.google\.internal`,   // GCP metadata host
		`ipv?6-(?:localhost|loopback)`, // ipv6-localhost, ip6-loopback (/etc/hosts names)
		`[a-z0-9.-]*\.(?:internal|localhost|svc|svc\.cluster\.local)`, // *.internal, *.localhost, *.svc.cluster.local
		`kubernetes\.default`,                        // Kubernetes API: kubernetes.default
		`(?:[a-z0-9-]+\.)*(?:localtest\.me|lvh\.me)`, // public names that resolve to 127.0.0.1: localtest.me, lvh.me
	)+`)(?::\d+)?/`, "localhost", "127.", "0.0.0.0", "169.254.", "[::", "metadata", "6-lo", ".internal", ".svc", "kubernetes.default", "localtest.me", "lvh.me")
	reIncludeFn = pat(`\b(?:include|require)(?:_once)?\s*\(?\s*['"]?(?:https?|ftps?|php|file|data)://`, "include", "require")
)

// urlParam inspects values that are URLs: remote file inclusion and
// server-side request forgery.
func (s *scan) urlParam(in *input) {
	if in.kind != kindPath && in.kind != kindHeader && in.has(cSlash) && !in.has(cSpace) {
		if m, ok := in.find(reBareLocal, in.low); ok {
			s.report(ruleSSRFLocal, in, m)
			return
		}
	}
	if !in.has(cColon) || in.kind == kindPath {
		return
	}
	low := in.low
	if in.has(cParen|cQuote) && s.matchRule(ruleRFIInclude, reIncludeFn, in, low) {
		return
	}
	m := reURLStart.re.FindStringSubmatchIndex(low)
	if m == nil {
		return
	}
	scheme := low[m[2]:m[3]]
	slashes := m[4] >= 0
	rest := low[m[1]:]
	if !slashes && (rest == "" || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r') {
		return // a word then a colon, "MySQL: install", is no URL
	}
	switch in.kind {
	case kindHeader:
		if in.name != "referer" && in.name != "origin" && !strings.HasPrefix(in.name, "x-") {
			return
		}
	}
	switch scheme {
	case "gopher", "dict", "ldap", "ldaps", "ldapi", "jar", "netdoc", "tftp", "local_file", "acap", "sftp", "ssh",
		"telnet", "smb", "rmi", "iiop", "corbaname", "imap", "pop3", "smtp", "mysql", "postgres", "redis", "mongodb",
		"memcache", "fastcgi", "expect":
		if in.kind != kindHeader {
			s.report(ruleSSRFScheme, in, low)
		}
	case "http", "https", "ftp", "ftps", "file", "ws", "wss":
	default:
		if !slashes {
			return // mailto:, tel:, urn:…, or text with a colon
		}
	}
	if in.kind != kindHeader && rfiName(in.name) {
		s.report(ruleRFIInclude, in, low)
	}
	if strings.HasSuffix(strings.TrimSpace(low), "?") && in.kind != kindHeader {
		s.report(ruleRFIQuery, in, low)
	}
	if !slashes && scheme != "http" && scheme != "https" {
		return
	}
	auth := rest
	if i := strings.IndexAny(auth, "/?#\\ "); i >= 0 {
		if auth[i] == '\\' || auth[i] == '/' && strings.Contains(auth[i:min(len(auth), i+64)], "@") && !strings.Contains(auth[i+1:strings.Index(auth[i:], "@")+i], "/") {
			if in.kind != kindHeader {
				s.report(ruleRFIConfuse, in, low)
			}
		}
		auth = auth[:i]
	}
	hosts := [4]string{}
	n := 0
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		hosts[n], n = auth[at+1:], n+1
		if ui := auth[:at]; strings.Contains(ui, "@") || strings.Contains(ui, ".") {
			// Parsers disagree on which @ ends the user information.
			hosts[n], n = ui[strings.LastIndexByte(ui, '@')+1:], n+1
		}
	} else {
		hosts[n], n = auth, n+1
	}
	// Only the hosts after the first three @ can fill hosts: splitting at
	// every @ of "@@@@…" made as many strings.
	for _, extra := range strings.SplitN(rest, "@", len(hosts)+1)[1:] {
		if n < len(hosts) {
			h := extra
			if i := strings.IndexAny(h, "/?#\\ "); i >= 0 {
				h = h[:i]
			}
			hosts[n], n = h, n+1
		}
	}
	for _, h := range hosts[:n] {
		if h == "" {
			continue
		}
		if s.ssrfHost(in, h) {
			return
		}
	}
	if in.kind == kindHeader {
		return
	}
	if scheme != "http" && scheme != "https" && scheme != "ftp" {
		return
	}
	h := hostOnly(hosts[0])
	if reqHost := hostOnly(strings.ToLower(s.req.host())); h != "" && reqHost != "" && h != reqHost && !strings.HasSuffix(h, "."+reqHost) {
		if includeName(in.name) && remoteScript(rest) {
			s.report(ruleRFIScript, in, low)
			return
		}
		s.report(ruleRFIOffsite, in, low)
	}
}

// remoteScript reports whether rest, a URL after its scheme, names a
// script a server would run rather than serve (e.php, x.asp), as a remote
// include does: with nothing after it but a ? or a NUL that cuts off what
// the application appends.
func remoteScript(rest string) bool {
	i := strings.IndexAny(rest, "?#\x00")
	if i >= 0 {
		if tail := strings.TrimLeft(rest[i:], "?#\x00"); tail != "" {
			return false
		}
		rest = rest[:i]
	}
	rest = strings.TrimRight(rest, " ")
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 || strings.LastIndexByte(rest, '/') > dot || strings.IndexByte(rest, '/') < 0 {
		return false // no extension, or a host only
	}
	switch rest[dot+1:] {
	case "php", "php3", "php4", "php5", "php7", "phtml", "phar", "inc", "asp", "aspx", "jsp", "cgi", "pl", "txt":
		return true
	}
	return false
}

// includeName reports whether a parameter's name says it names a file or
// page to load: file, path, page, include, template, lang…
func includeName(name string) bool {
	if i := strings.LastIndexAny(name, ".["); i >= 0 {
		name = strings.TrimSuffix(name[i+1:], "]")
	}
	for name != "" {
		i := 0
		for i < len(name) && isLetter(name[i]) {
			i++
		}
		if i > 0 && includeWords[strings.ToLower(name[:i])] {
			return true
		}
		for i < len(name) && !isLetter(name[i]) {
			i++
		}
		name = name[i:]
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

var includeWords = map[string]bool{"file": true, "filename": true, "filepath": true, "path": true, "page": true,
	"include": true, "inc": true, "template": true, "tpl": true, "doc": true, "document": true, "folder": true,
	"dir": true, "load": true, "read": true, "view": true, "layout": true, "module": true, "lang": true,
	"language": true, "conf": true, "config": true, "resource": true, "show": true}

// rfiName reports whether name, a parameter's name or a JSON path, holds
// a name PHP applications include (reRFIName) in its last maxWhereName
// bytes: a JSON path 64 keys deep is far longer than any value under it,
// and reading it whole for each of them cost its length each time.
func rfiName(name string) bool {
	if len(name) > maxWhereName {
		tail := name[len(name)-maxWhereName:]
		i := strings.IndexAny(tail, "[._")
		if i < 0 {
			return false
		}
		// From a separator, after one that cannot start a name, so
		// that ^ matches nothing the whole name would not.
		name = " " + tail[i:]
	}
	return reRFIName.re.MatchString(strings.ToLower(name))
}

// ssrfHost reports a host that is internal; it returns true if it did.
func (s *scan) ssrfHost(in *input, h string) bool {
	host := hostOnly(h)
	if host == "" || s.allowed(host) {
		return false
	}
	switch {
	case metadataHosts[host], strings.HasSuffix(host, ".internal") && strings.HasPrefix(host, "metadata"):
		s.report(ruleSSRFMeta, in, host)
		return true
	case host == "localhost" || strings.HasSuffix(host, ".localhost") || host == "localtest.me" || strings.HasSuffix(host, ".localtest.me") ||
		host == "ip6-localhost" || host == "ip6-loopback" || strings.HasSuffix(host, ".internal") || strings.HasSuffix(host, ".local"):
		s.report(ruleSSRFLocal, in, host)
		return true
	}
	addr, encoded, ok := parseHostIP(host)
	if !ok {
		// 127.0.0.1.nip.io and friends resolve to the address they spell.
		for _, sfx := range [...]string{".nip.io", ".xip.io", ".sslip.io", ".traefik.me", ".localtest.me"} {
			if p, found := strings.CutSuffix(host, sfx); found {
				if i := strings.LastIndexAny(p, "-."); i >= 0 {
					if a, _, ok2 := parseHostIP(strings.ReplaceAll(p, "-", ".")); ok2 {
						addr, ok = a, true
					} else if a, _, ok2 := parseHostIP(strings.ReplaceAll(p[strings.IndexAny(p, "-.")+1:], "-", ".")); ok2 {
						addr, ok = a, true
					}
				}
			}
		}
		if !ok {
			return false
		}
	}
	addr = addr.Unmap()
	if s.allowedAddr(addr) {
		return false
	}
	switch {
	case metadataAddrs[addr]:
		s.report(ruleSSRFMeta, in, host)
	case addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() || addr.IsUnspecified() ||
		addr.IsLinkLocalMulticast() || cgnat.Contains(addr) || addr.Is4() && addr.As4()[0] == 0:
		s.report(ruleSSRFLocal, in, host)
	case encoded:
		s.report(ruleSSRFLocal, in, host)
	default:
		if in.kind != kindHeader {
			s.report(ruleRFIIP, in, host)
		}
	}
	return true
}

var (
	metadataHosts = map[string]bool{"metadata.google.internal": true, "metadata.goog": true, "metadata": true,
		"metadata.packet.net": true, "instance-data": true, "instance-data.ec2.internal": true,
		"metadata.azure.com": true, "metadata.oraclecloud.com": true, "169.254.169.254": true,
		"metadata.tencentyun.com": true, "100.100.100.200": true, "fd00:ec2::254": true, "[fd00:ec2::254]": true}
	metadataAddrs = map[netip.Addr]bool{
		netip.MustParseAddr("169.254.169.254"): true, netip.MustParseAddr("169.254.170.2"): true,
		netip.MustParseAddr("100.100.100.200"): true, netip.MustParseAddr("192.0.0.192"): true,
		netip.MustParseAddr("168.63.129.16"): true, netip.MustParseAddr("fd00:ec2::254"): true,
		netip.MustParseAddr("169.254.169.123"): true, netip.MustParseAddr("169.254.0.23"): true,
	}
	cgnat = netip.MustParsePrefix("100.64.0.0/10")
)

// hostOnly returns h without port and brackets, and without a final dot.
func hostOnly(h string) string {
	h = strings.TrimSpace(h)
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i > 0 {
			return h[1:i]
		}
		return strings.Trim(h, "[]")
	}
	if strings.Count(h, ":") == 1 {
		h = h[:strings.IndexByte(h, ':')]
	}
	return strings.TrimSuffix(h, ".")
}

// parseHostIP reads an IP address the way inet_aton and URL parsers do:
// dotted, decimal (2852039166), hex (0xA9FEA9FE), octal (0177.0.0.1) or
// short (127.1). encoded is true for any form but plain dotted decimal.
func parseHostIP(h string) (addr netip.Addr, encoded, ok bool) {
	if a, err := netip.ParseAddr(h); err == nil {
		return a, false, true
	}
	if strings.Contains(h, ":") {
		if i := strings.IndexByte(h, '%'); i > 0 { // zone
			if a, err := netip.ParseAddr(h[:i]); err == nil {
				return a, true, true
			}
		}
		return netip.Addr{}, false, false
	}
	parts := strings.SplitN(h, ".", 5) // five parts or more are too many
	if len(parts) > 4 || len(parts) == 0 {
		return netip.Addr{}, false, false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		base := 10
		switch {
		case strings.HasPrefix(p, "0x"):
			base, p = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, p = 8, p[1:]
		}
		if p == "" && base == 16 {
			p = "0"
		}
		bits := 32
		if len(parts) == 1 {
			bits = 64
		}
		n, err := strconv.ParseUint(p, base, bits)
		if err != nil {
			return netip.Addr{}, false, false
		}
		nums[i] = n
	}
	var v uint64
	switch len(nums) {
	case 1:
		// Parsers that keep the low 32 bits read 7147006462 as
		// 169.254.169.254 (2^32 + 0xA9FEA9FE).
		v = nums[0] & 0xFFFFFFFF
	case 2:
		if nums[0] > 255 || nums[1] > 0xFFFFFF {
			return netip.Addr{}, false, false
		}
		v = nums[0]<<24 | nums[1]
	case 3:
		if nums[0] > 255 || nums[1] > 255 || nums[2] > 0xFFFF {
			return netip.Addr{}, false, false
		}
		v = nums[0]<<24 | nums[1]<<16 | nums[2]
	case 4:
		for _, n := range nums {
			if n > 255 {
				return netip.Addr{}, false, false
			}
		}
		v = nums[0]<<24 | nums[1]<<16 | nums[2]<<8 | nums[3]
	}
	if v > 0xFFFFFFFF {
		return netip.Addr{}, false, false
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true, true
}

func (s *scan) allowed(host string) bool {
	for _, h := range s.e.allowHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

func (s *scan) allowedAddr(a netip.Addr) bool {
	for _, p := range s.e.allowNets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
