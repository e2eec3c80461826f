package inspect

import "strings"

var (
	ruleCmdSep     = newRule("bw-cmdi-001", CmdI, 5, "shell command after a separator: ;id, | whoami, && curl, $(…), `…`")
	ruleCmdEvasion = newRule("bw-cmdi-002", CmdI, 5, "shell evasion: ${IFS}, quoted or escaped command names, wildcards for paths (/???/c?t)")
	ruleCmdShell   = newRule("bw-cmdi-003", CmdI, 5, "reverse shell or download-and-run: /dev/tcp/, nc -e, bash -i, curl … | sh")
	ruleCmdWindows = newRule("bw-cmdi-004", CmdI, 5, "Windows command: cmd /c, powershell, for /f, if exist, %comspec%")
	ruleCmdStart   = newRule("bw-cmdi-005", CmdI, 5, "value that is a shell command line: uname -a, wget http://…, ls -l /etc")
	ruleCmdProto   = newRule("bw-cmdi-006", CmdI, 5, "mail protocol command injection: CRLF then SMTP, IMAP or POP3 commands")
)

// unixCommands are commands whose name is not an English word: one after
// a shell separator is an attack.
var unixCommands = words(`whoami uname ifconfig ipconfig netstat nslookup wget curl ncat netcat nc bash zsh ksh csh tcsh dash sh
	python python2 python3 perl ruby php node nodejs lua luajit powershell pwsh chmod chown chgrp mkfifo mknod busybox base64
	base32 xxd hexdump telnet socat openssl nmap passwd useradd usermod userdel adduser deluser crontab systemctl sudo su ssh
	scp rsync sftp tftp gcc g++ cc c89 c99 clang uptime hostname printenv env id ls ps pwd rm cp mv dd df du ln lsof pkill
	killall nohup setsid xargs awk gawk mawk nawk sed grep egrep fgrep zgrep rgrep tee tac nl od wc tar gzip gunzip zcat bzip2
	bunzip2 xz unxz 7z 7za unzip zip apt apt-get aptitude yum dnf apk dpkg rpm pip pip3 gem npm npx yarn docker kubectl
	systeminfo tasklist taskkill wmic certutil bitsadmin schtasks vssadmin icacls cacls getent finger dig traceroute tracert
	ping ping6 arp iptables ip6tables nft lastlog dmesg lsblk fdisk umount sysctl modprobe insmod rmmod lsmod strace ltrace gdb
	chattr lsattr setfacl getfacl visudo cat head tail echo printf eval exec sleep kill export unset which whereis locate find
	touch mkdir rmdir history rev iconv sendmail mutt vim vi nano emacs screen tmux wall who whois groups chpasswd ansible
	ansible-vault ansible-pull ansible-playbook ansible-galaxy cscli jq yq cpan irb jshell osascript lwp-download
	lwp-request lwp-mirror tclsh wish expect gawk nmcli ss tcpdump tshark ncat nping hping3 msfconsole
	msfvenom rmt column bridge fold comm diff sdiff cmp readlink realpath basename dirname mktemp stat file strings objdump
	readelf ldd ld nm shred wipe srm chroot pivot_root unshare nsenter runuser doas pkexec gpasswd newgrp sg chsh chfn
	crontab at atq atrm batch ifup ifdown route ip iw iwconfig mount mysql psql sqlite3 mongo mongosh redis-cli
	php-cgi perl5 python3.10 python3.11 python3.12 ruby2 jrunscript jjs sqlplus tnsping openvpn wg ssh-keygen ssh-keyscan
	flock cpulimit perf rmt-tar rmt-dump lastlogin uconv htop bsdtar pipx aa-disable aa-exec aa-enforce aa-complain
	chef-vault chef-run chef-client chef-shell chef-solo chef-apply ansible-config ansible-console ansible-doc
	ansible-inventory knife iwr irm
	ssh-copy-id gpg gpg2 pgrep pidof nice renice timeout time watch env sort uniq cut tr paste split join xargs tput stty
	sha1sum sha256sum md5sum cksum base64 uuencode uudecode rename chcon restorecon semanage setenforce getenforce
	bcdedit bcdboot regedit reg mshta rundll32 regsvr32 cscript wscript msiexec wevtutil netsh sc net net1 nbtstat
	qwinsta quser query whoami.exe cmd.exe powershell.exe diskpart format attrib takeown cipher forfiles`)

// wrappers are commands that run the command after them.
var wrappers = words(`time nohup sudo doas strace ltrace env nice ionice timeout exec xargs watch stdbuf setsid chroot runuser su command builtin`)

// loneCommands are commands that, alone as a value, can only be one:
// reconnaissance and administration tools whose names are not words.
var loneCommands = words(`whoami uname ifconfig ipconfig netstat nslookup visudo useradd usermod userdel adduser crontab
	systemctl printenv mkfifo mknod busybox chpasswd lastlog dmesg lsblk fdisk sysctl modprobe insmod lsmod chattr lsattr
	getfacl setfacl systeminfo tasklist taskkill wmic certutil bitsadmin schtasks vssadmin icacls getent traceroute tracert
	hostname uptime pwd ansible-console ansible-config ansible-inventory chef-shell chef-client knife cscli`)

// englishCommands are commands that are also English words; after a
// separator they count only with shell-like arguments.
var englishCommands = words(`cat head tail echo find kill sort cut time watch set export source type file more less last
	free top date cal join split paste fold column bridge comm stat strings test read wait alias shift trap jobs nice
	dir del copy move start call ren md rd ver vol tree path print exit logout shutdown reboot halt sync mount which
	locate history sleep env make install patch yes true false wall write mail touch rename mkdir ping host route tee
	look spell units factor expand unexpand pr ptx fmt grep dig od`)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[strings.ToLower(w)] = true
	}
	return m
}

var (
	reCmdEvasion = pats(anyOf(
		`\$\{?ifs\b`,       // $IFS and ${IFS} as a space: cat$IFS/etc/passwd
		`\$\{[^}]*\}[a-z]`, // ${x}word: empty variable splitting a word, c${u}at
		`\{\s*[a-z0-9./_-]+\s*,\s*[^,}\s]+[^}]*\}`, // brace expansion: {cat,/etc/passwd}
		`/[a-z]*[?*][a-z?*]*/[a-z?*\[\]!]*[?*\[]`,  // globbed path: /???/c?t, /bin/ca[t]
		`\$\[[^\]]*\]`, // $[…] arithmetic
		`\$\(\(`,       // $(( arithmetic
		`(?:^|[;&|\s])[a-z]*(?:\$@|\$\*|\$-|\$!|\$\?|\$\{\}|\$_)[a-z]+`, // special parameter inside a word: c$@at, wh$*oami
		`<<<\s*[a-z]`,                  // here-string: <<< cmd
		`[<>]\(\s*[a-z]`,               // process substitution: <(cmd), >(cmd)
		`(?:^|[;&|\s])(?:''|"")[a-z]+`, // empty quotes inside a word: ''cat, ""whoami
		`\\[a-z]\\[a-z]`,               // backslash-split word: \c\a\t
	))
	reCmdShell = pats(anyOf(
		`/dev/(?:tcp|udp)/`,                                                        // bash /dev/tcp reverse shell
		`<!--\s*#\s*exec\s+(?:cmd|cgi)\s*=`,                                        // server-side include: <!--#exec cmd="id"-->
		`\bnc(?:at)?\b[^|;]{0,40}\s-[a-z]*[ec]\b`,                                  // nc -e, ncat -c: netcat with a program
		`\b(?:ba|z|k|c|tc|da)?sh\s+-[a-z]*i\b`,                                     // interactive shell: bash -i, sh -i
		`\bmkfifo\b`,                                                               // mkfifo named-pipe shell
		`\bsocat\b.{0,40}\bexec:`,                                                  // socat … exec:
		`\b(?:curl|wget|fetch)\b[^|;]{0,200}\|\s*(?:ba|z|k|da)?sh\b`,               // curl … | sh: download and run
		`\b(?:python[0-9.]*|perl|ruby|php|node|lua)\s+-[a-z]*[ecrm]\s+['"]?\S`,     // python -c, perl -e, node -e, ruby -e: interpreter one-liner
		`\bsh\s*(?:,\s*)?-c\b`,                                                     // sh -c, and sh,-c in exec arrays
		`/bin/(?:ba|z|k|c|tc|da)?sh\b`,                                             // /bin/sh, /bin/bash
		`\b(?:bash|sh)\s+-c\b`,                                                     // bash -c
		`:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}`,                                         // fork bomb :(){ :|:& }
		`\b\w+\(\)\s*\{\s*\w+\s*\|\s*\w+\s*&\s*\}`,                                 // fork bomb with a named function
		`\|\s*(?:ba|z|k|da)?sh\s*(?:$|[;#&|\s])`,                                   // | sh, | bash: pipe into a shell
		`\bbase64\s+-{1,2}d(?:ecode)?\b.{0,20}\|\s*\w`,                             // base64 -d | …: decode and run
		`\brev\s*\|\s*(?:ba|z|k|da)?sh\b`,                                          // rev | sh
		`\bexec\s+\d*[<>]+\s*/dev/`,                                                // exec 5<>/dev/tcp/…
		`\b0?>\s*&\s*\d`,                                                           // 0>&1, >&2: descriptor redirection of reverse shells
		`\b(?:sh|bash)\s*\)?\s*\d*[<>]+\s*&?\s*\$?`,                                // sh >& …, bash 0< …: shell with redirected descriptors
		`\bchmod\s+[+0-7][0-7x]*\s+\S`,                                             // chmod +x file, chmod 777 file
		`\b(?:wget|curl)\s+(?:-\S+\s+)*(?:https?|ftp)://\S+\s+(?:-\S+\s+)*-[oO]\b`, // wget http://… -O file: drop a file
	))
	// reShellInCode is what a shell runs wherever it sits in free text,
	// quoted code included (to a shell a backtick, and so a code span or
	// a fence, is command substitution): the commands of an attack that
	// documentation does not quote in passing, a reverse shell or a
	// system file read by a shell command.
	reShellInCode = pats(anyOf(
		`/dev/(?:tcp|udp)/[a-z0-9.\[\]:-]+/\d`,                // bash -i >& /dev/tcp/10.0.0.1/4444
		`\bn(?:c|cat|etcat)\b[^|;\n]{0,40}\s-[a-z]*e\s*/bin/`, // nc -e /bin/sh
		`\b(?:cat|head|tail|more|less|nl|tac|od|xxd|strings|base64)\s+(?:-\S+\s+(?:\d+\s+)?)*/etc/(?:passwd|shadow|group|sudoers)\b`, // cat /etc/passwd
		`\b(?:cat|head|tail|more|less|nl|tac|strings)\s+(?:-\S+\s+(?:\d+\s+)?)*/proc/self/`,                                          // cat /proc/self/environ
	))
	reCmdWin = pats(anyOf(
		`\bcmd(?:\.exe)?\s*/[ckr]\b`,                 // cmd /c, cmd.exe /k
		`\bcmd(?:\.exe)?\s+/[a-z]\s`,                 // cmd /q …
		`\bpowershell\.exe\b`,                        // powershell.exe
		`\b(?:powershell|pwsh)\s+(?:-[a-z]|['"(&{])`, // powershell -enc, pwsh -c, powershell "…"
		`\binvoke-(?:expression|webrequest|restmethod|command|item|wmimethod|shellcommand|mimikatz)\b`, // Invoke-Expression, Invoke-WebRequest, Invoke-Mimikatz
		`\biex\s*[(\s]`, // IEX (…), iex …
		// New-Object Net.WebClient, DownloadString, -EncodedCommand, -ExecutionPolicy Bypass
		`\b(?:new-object\s+(?:system\.)?net\.webclient|downloadstring|downloadfile|start-process|set-executionpolicy|-encodedcommand|-executionpolicy\s+bypass|get-wmiobject|iwmi\b)`,
		`\bfor\s+(?:/[dlrf]\s+(?:/[a-z]\s+)*)?(?:"[^"]*"\s+)?(?:[a-z]:\\\S*\s+)?%{1,2}~?[a-z]\s+in\s*\(`, // for %i in (…): cmd loop
		`\bfor\s+/[dlrf]\b`,                                                      // for /f, for /l
		`\bfor\s+.{0,60}?\bin\s*\(.{0,200}?\)\s*do\b`,                            // for … in (…) do
		`\bif\s+(?:/i\s+)?(?:not\s+)?.{0,60}?\s(?:==|equ|neq|lss|leq|gtr|geq)\s`, // if … == …, if … equ …: cmd comparison
		`\bif\s+/i\b`, // if /i
		`\bif(?:\s+|\s*/i\s+)(?:not\s+)?[^\s=(]{1,60}?={2,3}[^\s=]{0,59}[^\s=:]\s+[a-z(]`, // if x==y cmd
		`\bif\s+(?:/i\s+)?(?:not\s+)?(?:exist|defined|errorlevel|cmdextversion)\b`,        // if exist, if defined, if errorlevel
		`\bif\s+(?:not\s+)?(?:%[^%\s]+%|"%[^%]+%")\s*(?:==|equ|neq|lss|leq|gtr|geq)\b`,    // if %var%==…
		// %comspec%, %windir%, %userprofile%: cmd environment variables
		`%(?:comspec|systemroot|windir|programfiles|userprofile|appdata|temp|homepath|computername|username|path|cd|errorlevel|random)%`,
		`\b(?:`+anyOf(
			`certutil(?:\.exe)?\s+-(?:urlcache|decode|encode)`,   // certutil -urlcache: download a file
			`bitsadmin\s+/transfer`,                              // bitsadmin /transfer: download a file
			`mshta(?:\.exe)?\s+\S`,                               // mshta http://…: run HTA script
			`rundll32(?:\.exe)?\s+\S`,                            // rundll32 x.dll,entry
			`regsvr32(?:\.exe)?\s+/`,                             // regsvr32 /s /i:http://… (squiblydoo)
			`reg(?:\.exe)?\s+(?:query|add|delete|save|export)\s`, // reg query, reg add: registry
			`regedit(?:\.exe)?\s+/`,                              // regedit /s
			`wmic(?:\.exe)?\s+\S`,                                // wmic process call create
			`net(?:1)?\s+(?:user|localgroup|group|view|share|use|session|accounts|start|stop)\b`, // net user, net localgroup administrators
			`schtasks\s+/`,  // schtasks /create: persistence
			`vssadmin\s+\w`, // vssadmin delete shadows
			`wevtutil\s+\w`, // wevtutil cl: clear event logs
			`netsh\s+\w`,    // netsh firewall …
			`bcdedit\b`,     // bcdedit: boot configuration
			`bcdboot\b`,     // bcdboot
			`sc\s+(?:create|config|start|stop|query)\b`, // sc create, sc config: services
			`taskkill\s+/`,         // taskkill /f
			`tasklist\b`,           // tasklist: reconnaissance
			`systeminfo\b`,         // systeminfo: reconnaissance
			`whoami(?:\.exe)?\s*/`, // whoami /all
			`type\s+[a-z]:\\`,      // type c:\…: read a file
			`dir\s+[a-z]:\\`,       // dir c:\
			`copy\s+con\b`,         // copy con: write a file
			`del\s+/[fqs]`,         // del /f /q
			`@echo\s+off`,          // @echo off: batch script
			`set\s+/[ap]\s`,        // set /a, set /p
		)+`)`, // Windows tools attackers run
	))
	// reCmdProto finds a mail command after a line break: SMTP, IMAP or
	// POP3 injected through a value the app writes into a session.
	reCmdProto = pat(`[\r\n]\s*(?:` + anyOf(
		`(?:mail\s+from|rcpt\s+to)\s*:`, // SMTP: MAIL FROM:, RCPT TO:
		`(?:helo|ehlo)\s+\S`,            // SMTP: HELO, EHLO
		`data\s*[\r\n]`,                 // SMTP: DATA
		`quit\s*$`,                      // SMTP/POP3: QUIT ending the value
		`vrfy\s`,                        // SMTP: VRFY
		`expn\s`,                        // SMTP: EXPN
		`starttls\b`,                    // SMTP: STARTTLS
		// IMAP: tagged command, a001 LOGIN
		`[a-z]?\d{3,4}\s+(?:append|authenticate|capability|check|close|copy|create|delete|examine|expunge|fetch|list|login|logout|lsub|noop|rename|search|select|status|store|subscribe|uid|unsubscribe)\b`,
		`(?:retr|dele|list|top|user|pass|apop|auth|stat|uidl|rset|noop|capa)\s+\S`, // POP3: RETR, USER, PASS
	) + `)`)
)

// Shapes of evasion, each with the literals any match holds.
var (
	reCmdEvasionMore = []*pattern{
		pat(`\{,[a-z$'"]`, "{,"),                           // {,uname,-a}
		pat(`\{[a-z][a-z0-9_-]*,\}`, ",}"),                 // {id,}
		pat(`/[a-z]+\*[a-z*]*/`, "*"),                      // cat /et*/passwd
		pat(`/[a-z]+/[a-z]*[?*][a-z?*]*[\s+]+/`, "?", "*"), // /bin/ca? /etc
		// A bracket expression in a path segment: /[e]tc, /etc/[p]asswd, /usr/[a-z]in.
		pat(`/(?:[a-z]{1,8}\[[a-z?!^/\-]{1,16}\][a-z]{0,8}|\[[a-z?!^/\-]{1,16}\][a-z]{1,8}|[a-z]{0,8}\[[a-z]*[?!^/\-][a-z?!^/\-]*\][a-z]{0,8})(?:/|\s|$)`, "]"),
		// An empty substitution inside or beside a word: who$()ami, ping``.
		pat(`[a-z](?:\$\(\s*\)|\x60\s*\x60|[<>]\(\s*\))|(?:\$\(\s*\)|\x60\s*\x60|[<>]\(\s*\))[a-z]`, "$(", "`", "<(", ">("),
		// A command spelled by short variables: $c1$c2$c3.
		pat(`(?:^|[\s;&|])\$[a-z_][a-z0-9_]{0,2}\$[a-z_][a-z0-9_]{0,2}(?:\$|\s|$)`, "$"),
	}
	// Command lines that need no separator, each with its literals.
	reCmdShellMore = []*pattern{
		pat(`^\s*\(\s*\)\s*\{`, "{"),         // Shellshock: () { :;};
		pat(`\$\{?shell\}?\s+-c\b`, "shell"), // $SHELL -c
		pat(`(?:^|[;&|\n]\s*)alias\s+(?:[-+][a-z]*\s+)*['"]?[\w.-]+['"]?=`, "alias"),
		pat(`^\s*(?:cat|head|tail|more|less|tac|nl|od|strings)\s+(?:-[a-z0-9]+\s+)*/[\w.-]+/[\w.-]`, "cat", "head", "tail", "more", "less", "tac", "nl", "od", "strings"),
		pat(`^\s*find\s+[/.~]\S*\s.{0,40}?-(?:name|iname|type|exec|perm|user|newer|size|delete)\b`, "find"),
	}
	// SQLite shell dot-commands after a separator: ;.shell id
	reCmdDot = pat(`(?:^|[;\n])\s*\.['"\\]*(?:shell|system|sh|databases|dump|tables|import|load|output|once)\b`, "sh", "system", "databases", "dump", "tables", "import", "load", "output", "once")
)

// cmdi detects OS command injection.
func (s *scan) cmdi(in *input) {
	if in.cls&^cAlpha == 0 && !in.key {
		if loneCommands[in.low] {
			s.report(ruleCmdStart, in, in.low)
		}
		return
	}
	if in.text {
		if in.has(cNewline) && s.matchRule(ruleCmdProto, reCmdProtoText, in, in.low) {
			return
		}
		s.cmdiText(in)
		return
	}
	if in.has(cNewline) && s.matchRule(ruleCmdProto, reCmdProto, in, in.low) {
		return
	}
	if !in.has(cSemi | cPipe | cAmp | cNewline | cDollar | cQuote | cBrace | cParen | cSlash | cBackslash | cPercent | cLT | cGT | cStar | cQuestion | cSpace | cCaret | cBracket) {
		return
	}
	low := s.textOnly(in, in.low)
	if in.has(cSlash|cDollar|cPipe|cLT|cGT|cAmp|cColon|cParen|cBrace|cBackslash|cNewline) && s.matchAny(ruleCmdShell, reCmdShell, in, low) {
		return
	}
	if in.has(cSpace|cBrace) && s.matchAny(ruleCmdShell, reCmdShellMore, in, low) {
		return
	}
	if in.has(cSlash|cPercent|cSpace) && s.matchAny(ruleCmdWindows, reCmdWin, in, low) {
		return
	}
	if in.has(cDollar|cBrace|cQuestion|cStar|cBracket|cQuote|cLT|cGT|cBackslash) && (s.matchAny(ruleCmdEvasion, reCmdEvasion, in, low) || s.matchAny(ruleCmdEvasion, reCmdEvasionMore, in, low)) {
		return
	}
	if in.has(cQuote) {
		if m, ok := quotedCommand(low); ok {
			s.report(ruleCmdEvasion, in, m)
			return
		}
	}
	if in.has(cSemi|cNewline) && s.matchRule(ruleCmdShell, reCmdDot, in, low) {
		return
	}
	// The shell reading below reads low about three times.
	if !s.spend(3 * len(low)) {
		return
	}
	form := low
	if in.has(cQuote | cBackslash | cCaret | cDollar) {
		form = s.cmdForm(low)
	}
	// A line break ends a command as ; does: "time; visudo\n".
	form = strings.TrimRight(form, " \t\r\n")
	if m, ok := commandAfterSeparator(form); ok {
		if w, _ := commandWord(strings.TrimLeft(m, ";|&`$(<> \t\r\n")); form != low && !strings.Contains(low, w) {
			s.report(ruleCmdEvasion, in, m)
		} else {
			s.report(ruleCmdSep, in, m)
		}
		return
	}
	if m, ok := commandLine(form); ok {
		s.report(ruleCmdStart, in, m)
	}
}

// quotedCommand finds a command name split by an empty quote pair, as
// shells read it: w”hoami, c""at. A word so split that names no command
// ("can”t") is a typo.
func quotedCommand(v string) (string, bool) {
	for i := 1; i+2 < len(v); i++ {
		if !(v[i] == '\'' && v[i+1] == '\'' || v[i] == '"' && v[i+1] == '"') || !isLower(v[i-1]) || !isLower(v[i+2]) {
			continue
		}
		a := i
		for a > 0 && isLower(v[a-1]) {
			a--
		}
		b := i + 2
		for b < len(v) && isLower(v[b]) {
			b++
		}
		if unixCommands[v[a:i]+v[i+2:b]] {
			return v[a:b], true
		}
		i = b
	}
	return "", false
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// cmdForm returns v as a shell would read the command words in it: quotes,
// backslashes and carets removed, empty expansions ($@, ${x}) dropped,
// ${IFS} as a space.
func (s *scan) cmdForm(v string) string {
	start := len(s.buf)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch c {
		case '\'', '"', '\\', '^':
			continue
		case '$':
			if i+1 < len(v) {
				switch n := v[i+1]; {
				case n == '@' || n == '*' || n == '-' || n == '!' || n == '#' || n == '?' || n == '_' || ('0' <= n && n <= '9'):
					i++
					continue
				case n == '{':
					// Only a short ${…} is dropped: look no further.
					if j := strings.IndexByte(v[i:min(len(v), i+24)], '}'); j > 0 {
						if strings.HasPrefix(v[i+2:], "ifs") {
							s.buf = append(s.buf, ' ')
						}
						i += j
						continue
					}
				case strings.HasPrefix(v[i+1:], "ifs"):
					s.buf = append(s.buf, ' ')
					i += 3
					continue
				case 'a' <= n && n <= 'z':
					// An unset variable inside a word ("c$uat"): drop it.
					j := i + 1
					for j < len(v) && ('a' <= v[j] && v[j] <= 'z' || v[j] == '_') {
						j++
					}
					if i > 0 && isWordByte(v[i-1]) && j-i <= 3 {
						i = j - 1
						continue
					}
					// Or before a command word: ";$u wget x".
					if (i == 0 || strings.IndexByte(";|&`( \t\n", v[i-1]) >= 0) && j-i <= 3 && j+1 < len(v) && v[j] == ' ' && isWordByte(v[j+1]) {
						i = j
						continue
					}
				}
			}
		}
		s.buf = append(s.buf, c)
	}
	return s.str(start)
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}

// commandAfterSeparator finds a command word after a shell separator
// (; | & newline $( ` { <( >( and the start of a command substitution).
//
// It reads v once: the separators of a run (";;;", "| &") all lead to the
// command word at the run's end, and what is found there depends only on
// the kind of separator (see [sepKind]), so each kind is tried once per
// run, not once per separator.
func commandAfterSeparator(v string) (string, bool) {
	runEnd, tried := 0, 0 // the end of the last run read; the kinds tried there
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch c {
		case ';', '|', '&', '\n', '\r', '`':
		case '(':
			if i == 0 || v[i-1] != '<' && v[i-1] != '>' {
				continue
			}
		case '$':
			if i+1 < len(v) && v[i+1] == '(' {
				i++
				break
			}
			continue
		default:
			continue
		}
		j := runEnd
		if i >= runEnd {
			j = i + 1
			for j < len(v) && (v[j] == ' ' || v[j] == '\t' || v[j] == '&' || v[j] == '|' || v[j] == ';' || v[j] == '(' || v[j] == '`' || v[j] == '+') {
				j++
			}
			runEnd, tried = j, 0
		}
		// Inside a run every byte up to its end is skipped: the command
		// word is at runEnd, where this kind already found none.
		k := sepKind(c)
		if tried&k != 0 {
			continue
		}
		tried |= k
		w, next := commandWord(v[j:])
		if w == "" {
			// A command held in a variable: a=nc&&$a -nlvp 555.
			if j+1 < len(v) && v[j] == '$' && c != '`' {
				if vw, vnext := commandWord(v[j+1:]); vw != "" && len(vnext) > 2 && vnext[0] == ' ' && vnext[1] == '-' {
					return strings.TrimSpace(v[i:min(len(v), j+24)]), true
				}
			}
			continue
		}
		if c == '&' && w == "nbsp" {
			continue
		}
		if unixCommands[w] && !englishCommands[w] && argsFit(w, next) {
			// `ls` or $(id) must close or carry arguments; a command on
			// a line of its own must look like a command line.
			if (c == '`' || c == '(') && !closes(next) || (c == '\n' || c == '\r') && !shellArgs(next) {
				continue
			}
			if c != '`' && c != '(' && c != '\n' && c != '\r' && !closes(next) && !shellArgs(next) {
				continue
			}
			return strings.TrimSpace(v[i:min(len(v), j+len(w)+24)]), true
		}
		if (englishCommands[w] || unixCommands[w]) && shellArgs(next) {
			return strings.TrimSpace(v[i:min(len(v), j+len(w)+24)]), true
		}
	}
	return "", false
}

// sepKind returns a bit for the kinds of separator that
// [commandAfterSeparator] treats apart.
func sepKind(c byte) int {
	switch c {
	case '`':
		return 1
	case '(':
		return 2
	case '\n', '\r':
		return 4
	case '&':
		return 8
	}
	return 16 // ; | $(
}

// commandWord returns the command name at the start of v (a path prefix
// such as /usr/bin/ removed) and what follows it.
func commandWord(v string) (string, string) {
	j := 0
	for j < len(v) && (isWordByte(v[j]) || v[j] == '/' || v[j] == '+') {
		j++
	}
	w := v[:j]
	if k := strings.LastIndexByte(w, '/'); k >= 0 {
		if k == 0 || !strings.HasPrefix(w, "/") {
			if k != 0 {
				return "", ""
			}
		}
		w = w[k+1:]
	}
	w = strings.TrimRight(w, ".")
	return w, v[j:]
}

func closes(next string) bool {
	t := strings.TrimLeft(next, " \t")
	return t == "" || t[0] == '`' || t[0] == ')' || t[0] == '}' || t[0] == ';' || t[0] == '|' || t[0] == '&' ||
		t[0] == '-' || t[0] == '/' || t[0] == '$' || t[0] == ',' || t[0] == '<' || t[0] == '>' || t[0] == '.' || t[0] == '*' || t[0] == '~' ||
		len(t) > 0 && t[0] != ' ' && isWordByte(t[0]) && len(next) > len(t)
}

// shellArgs reports whether next, the text after a command word, looks
// like shell arguments rather than prose.
func shellArgs(next string) bool {
	if next == "" {
		return true
	}
	if next[0] != ' ' && next[0] != '\t' && next[0] != '<' && next[0] != '>' && next[0] != '|' && next[0] != ';' && next[0] != '&' && next[0] != ',' {
		return false
	}
	t := strings.TrimLeft(next, " \t,")
	if t == "" {
		return true
	}
	switch t[0] {
	case '-', '+':
		return len(t) > 1 && (isWordByte(t[1]) || t[1] == '-')
	case '/', '~', '$', '<', '>', '|', ';', '&', '*', '`', '%', '.', '\\':
		return true
	}
	// A file name with an extension, or a word followed by a separator.
	w, rest := commandWord(t)
	if w == "" {
		return false
	}
	if strings.Contains(w, ".") && !strings.HasSuffix(w, ".") || rest != "" && (rest[0] == ':' || rest[0] == '/') {
		return true
	}
	r := strings.TrimLeft(rest, " \t")
	return rest == "" || r != "" && (r[0] == ';' || r[0] == '|' || r[0] == '&' || r[0] == '>' || r[0] == '<' || r[0] == '`')
}

// commandLine reports values that are a whole command line: a command
// that is not an English word followed by shell arguments.
func commandLine(v string) (string, bool) {
	t := strings.TrimLeft(v, " \t\r\n")
	w, next := commandWord(t)
	for range 3 {
		// time, nohup, sudo… run the command that follows them.
		if !wrappers[w] || len(next) < 2 || next[0] != ' ' || next[1] == '-' {
			break
		}
		t = strings.TrimLeft(next, " ")
		w, next = commandWord(t)
		if strings.TrimSpace(next) == "" && unixCommands[w] && !englishCommands[w] {
			return t, true
		}
	}
	if loneCommands[w] && strings.TrimSpace(next) == "" {
		return w, true
	}
	if (englishCommands[w] || unixCommands[w]) && longOption(next, !englishCommands[w]) {
		return t[:min(len(t), 48)], true // env --version
	}
	if w == "" || englishCommands[w] || !unixCommands[w] || len(w) < 2 {
		return "", false
	}
	if (strings.IndexByte(w, '-') > 0 || w == "cscli" || w == "knife") && len(next) > 1 && next[0] == ' ' && isWordByte(next[1]) {
		// Tools whose hyphenated names no sentence uses, with a
		// subcommand: ansible-config dump, cscli alerts list.
		return t[:min(len(t), 48)], true
	}
	if strings.HasPrefix(t, "/") {
		// A command by full path: /usr/bin/perl, /bin/gunzip.
		if next == "" || next[0] == ' ' {
			return t[:min(len(t), 48)], true
		}
	}
	nt := strings.TrimLeft(next, " \t")
	if nt == "" || len(nt) == len(next) {
		return "", false
	}
	switch nt[0] {
	case '-':
		if len(nt) > 1 && (isWordByte(nt[1]) || nt[1] == '-') {
			return t[:min(len(t), 48)], true
		}
	case '/', '~', '$', '|', ';', '&', '<', '>', '`', '.', '*':
		return t[:min(len(t), 48)], true
	}
	if strings.HasPrefix(nt, "http://") || strings.HasPrefix(nt, "https://") || strings.HasPrefix(nt, "ftp://") {
		return t[:min(len(t), 48)], true
	}
	if commandArgs(nt) {
		return t[:min(len(t), 48)], true
	}
	return "", false
}

// commandArgs reports whether v, the text after a command name that is not
// an English word, reads as its arguments: a host or file name with a
// dotted suffix first (curl example.org, ansible-playbook site.yml), or
// up to three subcommand words and then an option (ansible all -m ping).
func commandArgs(v string) bool {
	for i := 0; i < 4; i++ {
		if v != "" && v[0] == '-' {
			return i > 0 && len(v) > 1 && (isWordByte(v[1]) || v[1] == '-')
		}
		w, rest := commandWord(v)
		if w == "" || len(w) != len(v)-len(rest) {
			return false
		}
		if i == 0 {
			if d := strings.LastIndexByte(w, '.'); d > 0 && d < len(w)-1 && !strings.ContainsAny(w[d+1:], "0123456789") {
				r := strings.TrimLeft(rest, " ")
				return r == "" || r[0] == '-' || r[0] == ';' || r[0] == '|' || r[0] == '&' || r[0] == '>'
			}
		}
		if strings.ContainsAny(w, "./") || rest == "" || rest[0] != ' ' {
			return false
		}
		v = strings.TrimLeft(rest, " ")
	}
	return false
}

// longOption reports whether next, the text after a command word, starts
// with a GNU long option: " --version", " --list=all". After a command
// that is an English word the option must end the value or be followed
// by an option, a path or a value ("more --verbose than needed" is not).
func longOption(next string, any bool) bool {
	if !strings.HasPrefix(next, " --") || len(next) < 5 || next[3] < 'a' || next[3] > 'z' {
		return false
	}
	j := 3
	for j < len(next) && ('a' <= next[j] && next[j] <= 'z' || next[j] == '-') {
		j++
	}
	if j == len(next) || next[j] == '=' {
		return true
	}
	if next[j] != ' ' {
		return false
	}
	r := strings.TrimLeft(next[j:], " ")
	return any || r == "" || r[0] == '-' || r[0] == '/' || r[0] == '.' || r[0] == '~'
}
