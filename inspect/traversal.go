package inspect

import "strings"

var (
	ruleTraversal = newRule("bw-lfi-001", Traversal, 5, "path traversal: ../ or ..\\ in any encoding")
	ruleOSFile    = newRule("bw-lfi-002", Traversal, 5, "path to an operating system file: /etc/passwd, /proc/self, win.ini")
	ruleWrapper   = newRule("bw-lfi-003", Traversal, 5, "stream wrapper or file URL: php://, file://, phar://, expect://")
	ruleNUL       = newRule("bw-lfi-004", Traversal, 3, "null byte")
)

var (
	// reDotDot matches ../ after decoding, and the textual encodings that
	// some decoders still understand (0x2e, 0x2f, 0x5c).
	reDotDot = pat(anyOf(
		`(?:^|[/\\=:;|,\s'"(])(?:\.|0x2e){2,}(?:[/\\;]|0x2f|0x5c|$)`, // ../ or 0x2e0x2e/ after a separator, or .. ending the value
		`(?:^|[/\\])\.{2,}(?:\s+|;)[/\\]`,                            // ..;/ and .. /: dots, then a semicolon or spaces, then a slash
		`(?:0x2e|0x5c|0x2f){2}`,                                      // 0x2e0x2e, 0x2e0x2f: textual hex encodings some decoders understand
		`\.\.;`,                                                      // ..; (Tomcat path parameter)
		`(?:^|[/\\])\.{3,}[/\\]?`,                                    // .../ and ..../: over-long dot runs some normalisers collapse
	), "..", "0x2e", "0x5c", "0x2f")
	reOSFile = pats(anyOf(
		`(?:^|[^a-z0-9_.-])(?:`+anyOf(
			`/etc/(?:`+anyOf(
				`passwd`, `shadow`, `group`, `gshadow`, `hosts`, `hostname`, `issue`, `motd`, `crontab`,
				`sudoers`, `master\.passwd`, `subuid`, `subgid`, `fstab`, `mtab`, `profile`, `bashrc`,
				`resolv\.conf`, `network`, `os-release`, `lsb-release`, `redhat-release`, `debian_version`,
				`inittab`, `inetd\.conf`, `httpd`, `apache2?`, `nginx`, `mysql`, `my\.cnf`, `php`, `ssh`, `ssl`,
				`security`, `cron\w*`, `init\.d`, `rc\.d`, `sysconfig`, `default`, `pam\.d`, `aliases`,
				`environment`, `exports`, `ftp\w*`, `vsftpd\w*`, `proftpd\w*`, `samba`, `ldap`, `krb5`,
				`shells`, `login\.defs`, `syslog`, `rsyslog`, `logrotate`, `modules`, `sysctl`, `timezone`,
				`localtime`, `machine-id`, `x11`, `xinetd`, `apt`, `yum`, `dpkg`, `pki`, `openldap`, `postfix`,
				`dovecot`, `exim`, `sendmail`, `mail`, `named`, `bind`, `dhcp`, `snmp`, `tomcat`, `jetty`,
				`haproxy`, `squid`, `varnish`, `supervisor`, `docker`, `kubernetes`, `systemd`, `netplan`,
				`hosts\.(?:allow|deny)`, `wgetrc`, `updatedb`, `adduser`, `ld\.so`, `opt`, `skel`, `sudo`,
			)+`)`, // /etc/passwd, /etc/shadow, /etc/nginx/… and other Unix configuration
			`/proc/(?:`+anyOf(
				`self`, `\d+`, `thread-self`, `version`, `cpuinfo`, `meminfo`, `mounts`, `net`, `sys`,
				`interrupts`, `cmdline`, `environ`, `kcore`, `modules`, `partitions`, `stat`, `uptime`,
				`loadavg`, `devices`, `filesystems`, `ioports`, `iomem`, `kallsyms`, `sched_debug`, `swaps`,
				`vmstat`, `zoneinfo`, `buddyinfo`, `diskstats`, `key-users`, `slabinfo`, `timer_list`, `tty`,
				`driver`, `bus`, `fs`, `irq`, `scsi`, `sysvipc`, `config\.gz`,
			)+`)`, // /proc/self/environ, /proc/1/cmdline and other kernel views
			`/sys/(?:class|kernel|devices|block|module|firmware|power|fs|bus|dev|hypervisor)`, // /sys/class/…, /sys/kernel/…
			`/var/(?:log|www|lib|run|mail|spool|backups|cache/|db|lock|opt|tmp)/`,             // /var/log/, /var/www/
			`/(?:root|home/[^/]+)/\.`,                                   // dotfiles in a home: /root/.bashrc, /home/u/.ssh
			`/usr/local/(?:apache|apps|etc|lib|php|nginx|www|sbin|bin)`, // /usr/local/apache…, /usr/local/etc
			`/boot/`, // /boot/
			`/dev/(?:tcp|udp|null|zero|random|urandom|shm|fd|stdin|stdout|stderr|mem|kmem|port|tty|sd[a-z]|hd[a-z]|disk|mapper)`, // /dev/tcp/host/port, /dev/shm, /dev/mem
			`/bin/(?:\w*sh|cat|ls|id|nc|busybox|echo|bash|perl|python\w*)\b`,                                                     // /bin/sh, /bin/cat, /bin/bash
			`/private/etc/`,         // macOS: /private/etc/
			`/library/preferences/`, // macOS: /library/preferences/
			`/applications/`,        // macOS: /applications/
		)+`)`, // absolute Unix system paths, after a non-path character
		`(?:^|[^a-z0-9])(?:[a-z]:)?[/\\](?:windows|winnt|win)[/\\](?:`+anyOf(
			`system32`, `system`, `win\.ini`, `system\.ini`, `repair`, `panther`, `debug`, `inf`, `temp`,
			`php\.ini`, `my\.ini`, `microsoft\.net`, `syswow64`, `explorer\.exe`, `iis\d*\.log`,
			`windowsupdate\.log`, `setupact\.log`,
		)+`)`, // C:\windows\win.ini, \winnt\system32, \windows\repair
		`\betc/(?:`+anyOf(
			`passwd`, `shadow`, `master\.passwd`, `group`, `hosts`, `issue`, `motd`, `crontab`, `sudoers`,
			`fstab`, `httpd/`, `apache2?/`, `nginx/`, `mysql/`, `php\d*/`, `ssh/`, `init\.d/`, `vfstab`,
			`pure-ftpd`, `wu-ftpd`, `proftpd`, `vsftpd`,
		)+`)`, // etc/passwd without the leading slash
		`boot\.ini\b`,            // C:\boot.ini
		`win\.ini\b`,             // win.ini
		`system\.ini\b`,          // system.ini
		`\bsystem32\b`,           // system32
		`\bwindows[/\\]system\b`, // windows\system
		`[a-z]:[/\\](?:inetpub|boot|program\s?files|programdata|documents\s+and\s+settings|users[/\\]|xampp|wamp|apache|php|mysql|sysprep|unattend)`, // C:\inetpub, C:\program files, C:\users\
		`\\\\[a-z0-9.-]+\\[a-z$]`, // UNC path: \\host\share
		`(?:^|/)\.(?:`+anyOf(
			`ssh/(?:id_\w+|authorized_keys|known_hosts|config)`, // SSH keys and configuration
			`aws/(?:credentials|config)`,                        // AWS credentials
			`docker/(?:config\.json|secrets)`,                   // Docker credentials
			`kube/config`,                                       // Kubernetes credentials
			`git/(?:config|head|index)`,                         // git repository metadata
			`bash_history`,                                      // shell history
			`zsh_history`,                                       // shell history
			`history`,                                           // shell history
			`mysql_history`,                                     // MySQL history
			`psql_history`,                                      // PostgreSQL history
			`viminfo`,                                           // vim history
			`netrc`,                                             // netrc passwords
			`pgpass`,                                            // PostgreSQL passwords
			`htpasswd`,                                          // Apache passwords
			`htaccess`,                                          // Apache access rules
			`env(?:\.\w+)?`,                                     // .env, .env.production
			`git-credentials`,                                   // git credentials
			`npmrc`,                                             // npm tokens
			`pypirc`,                                            // PyPI tokens
			`s3cfg`,                                             // S3 credentials
			`boto`,                                              // boto (AWS) credentials
		)+`)\b`, // dotfiles holding secrets, at the start or after a slash
		`\bid_(?:rsa|dsa|ecdsa|ed25519)\b`, // SSH private keys: id_rsa, id_ed25519
		`\bwp-config\.php`,                 // WordPress configuration
		`\bweb\.config\b`,                  // IIS/ASP.NET configuration
		`\bweb-inf/`,                       // Java web app: WEB-INF/web.xml
		`\bmeta-inf/`,                      // Java archive: META-INF/
		`/@fs/`,                            // Vite dev server file access: /@fs/
	))
	// reOSTarget finds system files spelled with any separators, as
	// traversal tools do with encodings no decoder knows (%c0%qf).
	reOSTarget = pat(anyOf(
		`etc(?:[^a-z0-9]|%[0-9a-z]{2}|0x[0-9a-f]{2}|u[0-9a-f]{4}){1,8}(?:passwd|shadow|issue|hosts|group|master\.passwd)\b`, // etc%c0%afpasswd: /etc/passwd with undecodable separators
		`(?:windows|winnt)(?:[^a-z0-9]|%[0-9a-z]{2}|0x[0-9a-f]{2}|u[0-9a-f]{4}){1,8}(?:system32|win\.ini|system\.ini)`,      // windows%c0%afwin.ini: Windows files with undecodable separators
	), "etc", "windows", "winnt")
	reWrapper = pat(anyOf(
		`\b(?:`+anyOf(
			`php`, `file`, `phar`, `zip`, `expect`, `glob`, `zlib`, `compress\.zlib`, `compress\.bzip2`,
			`rar`, `ogg`, `ssh2\.(?:shell|exec|tunnel|sftp|scp)`, `data`, `input`, `jar`, `netdoc`, `gopher`,
			`dict`, `tftp`, `ldap`, `ldaps`, `local_file`,
		)+`)://`, // PHP and other stream wrappers: php://, phar://, expect://, gopher://
		`\bfile:/`,                   // file:/etc/passwd
		`\bphp://`,                   // php://
		`\burl:file:`,                // Java: url:file:
		`\bjar:(?:file|https?|ftp):`, // Java: jar:file:, jar:http:
		`\bdata:(?:text|application)/[a-z+-]+;base64,`,            // data:text/plain;base64,
		`\bphp:/?/?(?:filter|input|stdin|memory|temp|fd)\b`,       // php:filter, php://input
		`\bconvert\.(?:base64|iconv|quoted-printable|string)[.-]`, // PHP filter chains: convert.base64-encode, convert.iconv.
		`\bresource=`, // php://filter/…/resource=
	), "://", "file:", "php:", "url:file", "jar:", "data:", "convert.", "resource=")
)

// traversal detects path traversal and local file inclusion.
func (s *scan) traversal(in *input) {
	if in.raw != in.dec && strings.IndexByte(in.raw, 0) >= 0 || hasEncodedNUL(in.raw) {
		s.report(ruleNUL, in, in.dec)
	}
	if !in.has(cDot|cSlash|cBackslash|cColon) && !strings.Contains(in.low, "0x") {
		return
	}
	low := in.low
	if (in.has(cDot) || strings.Contains(low, "0x2e")) && !relativeLinkOnly(s, in) && s.matchRule(ruleTraversal, reDotDot, in, low) {
		return
	}
	// A file API opens the whole value: in free text, a system path after
	// other words names a file and cannot open one ("bash reads
	// /etc/profile"); a shell still reads it as the argument of a command
	// that opens a line or follows a separator ("\ncat /etc/passwd").
	if in.text && !opensWithPath(low) {
		low = s.shellHeads(low)
	}
	if low != "" && s.osFile(in, low) {
		return
	}
	low = in.low
	if in.has(cColon) && in.kind != kindHeader && s.matchRule(ruleWrapper, reWrapper, in, low) {
		return
	}
	if strings.Contains(low, "resource=") || strings.Contains(low, "convert.") {
		s.matchRule(ruleWrapper, reWrapper, in, low)
	}
}

// osFile reports a path to an operating system file in in, and whether it
// found one.
func (s *scan) osFile(in *input, low string) bool {
	if in.has(cBackslash | cSlash) {
		v := s.textOnly(in, low)
		if in.has(cBackslash) || strings.Contains(v, "//") || strings.Contains(v, "/./") {
			v = s.slashes(v)
		}
		if s.matchAny(ruleOSFile, reOSFile, in, v) {
			return true
		}
	} else if in.has(cDot) && (strings.Contains(low, ".ini") || strings.Contains(low, "id_")) && s.matchAny(ruleOSFile, reOSFile, in, low) {
		return true
	}
	if s.matchRule(ruleOSFile, reOSTarget, in, low) {
		return true
	}
	// Separators in encodings no decoder agrees on (%c1%af).
	return in.raw != in.dec && strings.IndexByte(in.raw, '%') >= 0 && s.matchRule(ruleOSFile, reOSTarget, in, s.lower(in.raw))
}

// maxHeadWords and maxHeadBytes bound a command head: the command, its
// flags and its first argument.
const (
	maxHeadWords = 6
	maxHeadBytes = 128
)

// shellHeads returns what a shell would run of free text v as commands:
// from the start of each line and after each separator (; | & ` $( ), a
// command and its first argument past any flags, up to the next
// separator, one head a line. Heads do not overlap and are at most
// maxHeadBytes long, so the view is no longer than v.
func (s *scan) shellHeads(v string) string {
	start := len(s.buf)
	for i := 0; i < len(v); i++ {
		if i > 0 && v[i-1] != '\n' && !isShellSeparator(v[i-1]) {
			continue
		}
		j, words, args := i, 0, 0
		for j < len(v) && (isShellSeparator(v[j]) || v[j] == ' ' || v[j] == '\t') {
			j++
		}
		end := min(len(v), j+maxHeadBytes)
		for j < end && v[j] != '\n' && !isShellSeparator(v[j]) && words < maxHeadWords && args < 2 {
			for j < end && (v[j] == ' ' || v[j] == '\t') {
				j++
			}
			k := j
			for k < end && v[k] != ' ' && v[k] != '\t' && v[k] != '\n' && !isShellSeparator(v[k]) {
				k++
			}
			if k > j {
				words++
				if v[j] != '-' {
					args++
				}
			}
			j = k
		}
		if j > i {
			s.buf = append(s.buf, v[i:j]...)
			s.buf = append(s.buf, '\n')
			i = j - 1
		}
	}
	return s.str(start)
}

// isShellSeparator reports whether c ends a command or starts another: ;
// | & ` and the ( of $(.
func isShellSeparator(c byte) bool {
	return c == ';' || c == '|' || c == '&' || c == '`' || c == '('
}

// relativeLinkOnly reports whether in is free text whose paths go up one
// level each: documents link to their neighbours ([next](../run-s.md)); a
// climb out of a directory tree takes two ../ in one path (../../,
// ....//....//) or an operating system file, which the other rules see.
func relativeLinkOnly(s *scan, in *input) bool {
	if !in.text {
		return false
	}
	for _, path := range strings.Fields(s.slashes(in.low)) {
		if strings.Count(path, "../") >= 2 {
			return false
		}
	}
	return true
}

// opensWithPath reports whether v, after spaces, starts as a file path
// does: /, \, ~, ., a drive letter or file:.
func opensWithPath(v string) bool {
	t := strings.TrimLeft(v, " \t\r\n")
	if t == "" {
		return false
	}
	switch t[0] {
	case '/', '\\', '~', '.':
		return true
	}
	return strings.HasPrefix(t, "file:") || len(t) > 2 && 'a' <= t[0] && t[0] <= 'z' && t[1] == ':' && (t[2] == '/' || t[2] == '\\')
}

func hasEncodedNUL(v string) bool {
	return strings.Contains(v, "%00") || strings.Contains(v, "%u0000") || strings.Contains(v, `\x00`) || strings.Contains(v, `\u0000`) || strings.Contains(v, "&#0;") || strings.Contains(v, "%2500")
}

// slashes returns v with backslashes as slashes and runs of slashes and
// /./ folded, as Windows and most servers read paths.
func (s *scan) slashes(v string) string {
	start := len(s.buf)
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' {
			c = '/'
		}
		if c == '/' {
			n := len(s.buf)
			if n > start && s.buf[n-1] == '/' {
				continue
			}
			if n-start >= 2 && s.buf[n-1] == '.' && s.buf[n-2] == '/' {
				s.buf = s.buf[:n-1]
				continue
			}
		}
		s.buf = append(s.buf, c)
	}
	return s.str(start)
}
