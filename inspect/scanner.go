package inspect

import "strings"

var ruleScannerUA = newRule("bw-scan-001", Scanner, 5, "vulnerability scanner User-Agent (sqlmap, nikto, nuclei, masscan, …)")

// scannerAgents are names that appear in the User-Agent of vulnerability
// scanners and attack tools, and in no browser's or ordinary client's.
var scannerAgents = []string{
	"sqlmap", "nikto", "nuclei", "masscan", "zgrab", "wpscan", "dirbuster", "gobuster", "ffuf", "feroxbuster",
	"acunetix", "nessus", "openvas", "w3af", "wapiti", "arachni", "havij", "netsparker", "nmap", "nmap scripting engine",
	"whatweb", "skipfish", "paros", "webinspect", "appscan", "jaeles", "dirb", "wfuzz", "commix", "hydra", "medusa",
	"metasploit", "jorgee", "zmeu", "morfeus", "sysscan", "grendel-scan", "bsqlbf", "sqlninja", "pangolin", "mysqloit",
	"webshag", "nsauditor", "jbrofuzz", "fimap", "absinthe", "crimscanner", "blackwidow", "cgichk", "fuzz faster u fool",
	"nasl", "burpcollaborator", "owasp zap", "zaproxy", "sqlsus", "bbqsql", "xsser", "xsstrike", "dalfox", "joomscan",
	"droopescan", "cmsmap", "wpscan", "vega/", "qualys", "tenable", "detectify", "intruder.io", "probely", "netlab360",
	"httpx - open-source", "interactsh", "censysinspect", "masscan-ng", "zmap", "l9explore", "l9tcpid", "leakix",
	"expanse, a palo alto", "scaninfo@", "internet-measurement", "fuzz", "nuclei -", "struts-pwn", "log4j-scan",
	"jndi-exploit", "pwnscan", "apachebench-scan", "w00tw00t", "muieblackcat", "zgrab2", "gvm", "greenbone", "bsqli",
	"teh forest lobster", "morpheus fucking scanner", "dotdotpwn", "vooki", "webcruiser", "webvulnscan", "brutus",
	"nerds.io", "blind-xss", "xenu", "mozilla/5.0 sf/", "black widow", "gootkit", "zollard", "masscan/", "openvas-vt",
	"<script", "${jndi", "() {",
}

// scannerUA detects scanners by their User-Agent.
func (s *scan) scannerUA(in *input) {
	ua := in.low
	for _, name := range scannerAgents {
		i := strings.Index(ua, name)
		if i < 0 {
			continue
		}
		// A whole token: not inside a longer word ("ecairn-grabber").
		if i > 0 && isAlnum(ua[i-1]) && isAlnum(name[0]) {
			continue
		}
		if end := i + len(name); end < len(ua) && isAlnum(ua[end]) && isAlnum(name[len(name)-1]) {
			continue
		}
		s.report(ruleScannerUA, in, in.dec)
		return
	}
}

func isAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }
