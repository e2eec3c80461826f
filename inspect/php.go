package inspect

import "strings"

var (
	rulePHPTag     = newRule("bw-php-001", PHP, 5, "PHP open tag: <?php, <?=")
	rulePHPFunc    = newRule("bw-php-002", PHP, 5, "PHP function call: system(), eval(), base64_decode(), gzinflate()…")
	rulePHPGlobal  = newRule("bw-php-003", PHP, 5, "PHP superglobal or variable-variable: $_GET, $_SERVER, ${'a'}")
	rulePHPSerial  = newRule("bw-php-004", PHP, 5, "PHP serialized object: O:8:\"stdClass\":…")
	rulePHPVarCall = newRule("bw-php-005", PHP, 5, "PHP variable function call: $f(), ('sys'.'tem')(), [system][0]()")
	rulePHPConfig  = newRule("bw-php-006", PHP, 5, "php.ini directive: allow_url_include=, auto_prepend_file=")
	rulePHPUpload  = newRule("bw-php-007", PHP, 5, "upload of a PHP script or session file: x.php, .phtml, .phar, sess_…")
)

// phpDangerous are functions whose name alone, in a parameter, is an
// attack: nobody writes them in ordinary text.
var phpDangerous = words(`__halt_compiler apache_child_terminate base64_decode bzdecompress call_user_func call_user_func_array
	call_user_method call_user_method_array convert_uudecode file_get_contents file_put_contents fsockopen get_class_methods
	get_class_vars get_defined_constants get_defined_functions get_defined_vars gzdecode gzinflate gzuncompress include_once
	invokeargs pcntl_exec pcntl_fork pfsockopen posix_getcwd posix_getpwuid posix_getuid posix_uname reflectionfunction
	require_once shell_exec str_rot13 sys_get_temp_dir wp_remote_fopen wp_remote_get wp_remote_head wp_remote_post
	wp_remote_request wp_safe_remote_get wp_safe_remote_head wp_safe_remote_post wp_safe_remote_request zlib_decode
	proc_open proc_close proc_terminate proc_get_status proc_nice passthru popen assert_options create_function
	preg_replace_callback_array register_shutdown_function register_tick_function set_error_handler set_exception_handler
	ini_set ini_get ini_restore ini_alter dl move_uploaded_file highlight_file show_source php_uname phpinfo getmypid getmyuid
	posix_kill posix_mkfifo posix_setpgid posix_setsid posix_setuid posix_getpid posix_getppid posix_getlogin posix_ttyname
	posix_getgrgid posix_getegid posix_geteuid posix_getgid posix_getgroups posix_getpgid posix_getpgrp posix_getrlimit
	escapeshellarg escapeshellcmd array_map array_filter array_walk usort uasort uksort array_reduce iterator_apply
	stream_socket_client stream_socket_server stream_get_contents socket_create socket_connect curl_exec curl_multi_exec
	parse_ini_file parse_ini_string get_current_user getenv putenv apache_setenv openlog syslog mb_ereg_replace
	mb_eregi_replace preg_replace unserialize var_export var_dump print_r serialize stripslashes strrev hex2bin bin2hex
	chr ord pack unpack fwrite fputs fopen fread fgets file readfile tmpfile tempnam unlink rmdir mkdir chmod chown chgrp
	symlink link readlink lchown lchgrp touch copy rename glob scandir opendir readdir dir is_writable is_readable
	file_exists disk_free_space disk_total_space diskfreespace getcwd chdir chroot realpath filegroup fileowner fileperms
	filesize filetype fileinode fileatime filectime filemtime get_cfg_var getlastmod getmyinode getrusage
	gethostbyname gethostbynamel gethostbyaddr getservbyname dns_get_record checkdnsrr getmxrr mail error_log
	header_register_callback ob_start spl_autoload_register array_diff array_diff_ukey array_udiff array_uintersect
	strip_tags substr intval printf sprintf vsprintf checkdate crypt range pi eval assert system exec include require
	extract parse_str compact import_request_variables settype gettype is_callable function_exists class_exists
	method_exists property_exists constant define defined`)

// phpCore are functions that count as called with any argument; the
// others of phpDangerous, often English words or shared with C and
// JavaScript, count only with no, quoted or variable arguments: system(),
// touch('x'), eval($x).
var phpCore = words(`passthru popen phpinfo unserialize shell_exec proc_open pcntl_exec escapeshellcmd escapeshellarg
	gethostbyname gethostbynamel php_uname posix_getpwuid posix_uname getmypid getmyuid get_current_user
	preg_replace_callback_array mb_ereg_replace hex2bin str_rot13 strrev`)

var (
	rePHPTag = pat(anyOf(
		`<\?(?:php\b|=|\s|$)`,               // <?php, <?=, <? : PHP open tag
		`<script\s+language\s*=\s*['"]?php`, // <script language="php">
		`\[[/\\]php\]`,                      // [/php] closing a BBCode-style PHP block
		`\[php\]\s*(?:echo|print|eval|system|exec|passthru|phpinfo|include|require|\$|<\?)`, // [php] echo …, [php] system …
	), "<?", "?>", "<script", "php]")
	rePHPGlobal = pat(anyOf(
		`\$_(?:get|post|cookie|request|server|files|env|session)\b`, // $_GET, $_POST, $_SERVER, $_SESSION
		`\$globals\b`, // $GLOBALS
		`\$http_(?:get|post|cookie|server|env|raw_post_data|post_files|session)_vars\b`, // old long superglobals: $HTTP_GET_VARS
		`\$php_self\b`,           // $PHP_SELF
		`\$http_raw_post_data\b`, // $HTTP_RAW_POST_DATA
		`\$\s*\{\s*['"\x60$]`,    // ${'…'}, ${"…"}: variable variable
		`\$\$\w`,                 // $$x: variable variable
		`\bphp://`,               // php:// stream wrapper
	), "$", "php:")
	rePHPSerial  = pat(`\b[oc]:\d+:"[a-z0-9_\\]+":\d+:\{|\ba:\d+:\{(?:[sidbn]:\d*[:;]|\})|\bs:\d+:"[^"]*";[}sidbna]`)
	rePHPVarCall = pat(anyOf(
		`\$\{?\s*[a-z_@$'"]\w*['"]?\s*\}?\s*(?:\[[^\]]*\]+\s*|\{[^}]*\}\s*)*\(`,                        // $f(…), ${'f'}(…), $a['x'](…): call through a variable
		`\(\s*['"]\s*[a-z_]+\s*['"]\s*(?:\.\s*['"]\s*[a-z_]+\s*['"]\s*)+\)\s*\(`,                       // ('sy'.'stem')(…): function name built from strings
		`['"]\s*[a-z_]+\s*['"]\s*\.\s*['"][a-z_]*['"]\s*;`,                                             // 'sy'.'stem';: function name built from strings
		`\(\s*['"]?\s*(?:system|exec|passthru|shell_exec|popen|eval|assert|phpinfo)\s*['"]?\s*\)\s*\(`, // ('system')(…), (exec)(…)
		// ['system'][0](…): call through an array
		`\[\s*['"]?\s*(?:system|exec|passthru|shell_exec|popen|eval|assert|phpinfo)\s*['"]?\s*\]\s*\[\s*\d+\s*\]\s*\(`,
		`\breturn\s*['"](?:system|exec|passthru|shell_exec|assert|eval)['"]\s*\(`, // return 'system'(…)
		`@\s*(?:eval|exec|system|assert|passthru|include|require)\s*\(`,           // @eval(…), @system(…): call with errors silenced
	))
	// rePHPConfig finds a PHP ini setting being assigned: allow_url_include=1,
	// auto_prepend_file=…, disable_functions=
	rePHPConfig = pat(`\b(?:`+anyOf(
		`allow_url_include`, `allow_url_fopen`, `auto_prepend_file`, `auto_append_file`,
		`disable_functions`, `open_basedir`, `safe_mode`, `register_globals`, `enable_dl`, `expose_php`,
		`display_errors`, `log_errors`, `error_log`, `upload_tmp_dir`, `session\.save_path`,
		`sendmail_path`, `mail\.add_x_header`, `opcache\.\w+`, `extension`, `extension_dir`,
		`zend_extension`, `include_path`, `short_open_tag`, `asp_tags`, `magic_quotes_gpc`,
		`max_execution_time`, `memory_limit`, `smtp`, `file_uploads`, `cgi\.force_redirect`, `doc_root`,
		`user_ini\.filename`, `phar\.readonly`, `suhosin\.\w+`, `xdebug\.\w+`, `session\.\w+`,
		`mbstring\.\w+`, `pcre\.\w+`, `zend\.\w+`, `assert\.\w+`, `unserialize_max_depth`,
		`serialize_precision`,
	)+`)\s*=`,
		"allow_url", "auto_", "disable_functions", "open_basedir", "safe_mode", "register_globals",
		"enable_dl", "expose_php", "display_errors", "log_errors", "error_log", "upload_tmp_dir",
		"session.", "sendmail", "mail.", "opcache.", "extension", "include_path", "short_open_tag",
		"asp_tags", "magic_quotes", "max_execution_time", "memory_limit", "smtp", "file_uploads", "cgi.",
		"doc_root", "user_ini", "phar.", "suhosin.", "xdebug.", "mbstring.", "pcre.", "zend.", "assert.",
		"unserialize_max_depth", "serialize_precision",
	)
	// A statement injected after a quote, semicolon or dot that ends the
	// script with a marker: ;exit(md5('x'));// (wapiti), ".die(sha1(1));#.
	rePHPExit = pat(`(?:^|[;.'")])\s*(?:exit|die)\s*\(\s*(?:md5|sha1|crc32|hash|base64_encode|str_rot13|strrev|print|phpinfo|system|var_dump|print_r)\s*\(`, "exit", "die")
	rePHPFile = pat(`\.\s*(?:php[0-9s]*|phtml|phar|pht|phpt|pgif|shtml|htaccess|user\.ini|inc)[.\s]*$|\.\s*(?:php[0-9s]?|phtml|phar|pht)\s*\.\s*[a-z0-9]{2,4}\s*$|(?:^|[/\\])sess_[a-z0-9,-]{8,}$`)
)

// php detects PHP code injection.
func (s *scan) php(in *input) {
	low := in.low
	if in.has(cLT|cQuestion|cBracket) && s.matchRule(rulePHPTag, rePHPTag, in, low) {
		return
	}
	if in.kind == kindFilename || fileHeader(in) {
		if s.matchRule(rulePHPUpload, rePHPFile, in, low) {
			return
		}
	}
	if in.has(cDollar|cColon|cBrace|cParen) && in.has(cDollar|cQuote) && s.matchRule(rulePHPGlobal, rePHPGlobal, in, low) {
		return
	}
	if in.has(cColon) && in.has(cBrace) && s.matchRule(rulePHPSerial, rePHPSerial, in, low) {
		return
	}
	if in.has(cParen) && s.matchRule(rulePHPFunc, rePHPExit, in, low) {
		return
	}
	// PHP ignores comments and line breaks between a name and its (.
	needForm := in.has(cParen) && (in.has(cHash|cNewline|cSpace) || strings.Contains(low, "/*") || strings.Contains(low, "//"))
	form := ""
	if in.has(cParen) && s.matchRule(rulePHPVarCall, rePHPVarCall, in, low) {
		return
	}
	if needForm && in.has(cDollar) {
		form = s.phpForm(low) // $a/*x*/()
		if s.matchRule(rulePHPVarCall, rePHPVarCall, in, form) {
			return
		}
	}
	if in.has(cEq) && strings.ContainsAny(low, "_.") || strings.Contains(low, "smtp=") || strings.Contains(low, "extension=") {
		if s.matchRule(rulePHPConfig, rePHPConfig, in, low) {
			return
		}
	}
	if !in.has(cAlpha) || !strings.Contains(low, "_") && !in.has(cParen) {
		return
	}
	if form == "" {
		form = low
		if needForm {
			form = s.phpForm(low)
		}
	}
	if m, ok := phpCall(form, in.text); ok {
		s.report(rulePHPFunc, in, m)
	}
}

// phpCall finds a call to a PHP function in v, or a dangerous function's
// name alone. In free text (text) only a call counts, with a quoted or
// variable argument unless the function is one only PHP code calls.
func phpCall(v string, text bool) (string, bool) {
	for i := 0; i < len(v); {
		if !isIdentByte(v[i]) || i > 0 && (isIdentByte(v[i-1]) || v[i-1] == '$' || v[i-1] == '.' && !(i > 1 && (v[i-2] == '"' || v[i-2] == '\'' || v[i-2] == ')'))) {
			i++
			continue
		}
		j := i
		for j < len(v) && isIdentByte(v[j]) {
			j++
		}
		w := v[i:j]
		if phpDangerous[w] {
			k := j
			for k < len(v) && (v[k] == ' ' || v[k] == '\t' || v[k] == '"' || v[k] == '\'') {
				k++
			}
			call := k < len(v) && v[k] == '('
			switch {
			case text && !call:
			case text && !phpHighRisk(w):
				a := strings.TrimLeft(v[k+1:], " \t")
				if a != "" && (a[0] == '\'' || a[0] == '"' || a[0] == '$') && phpCore[w] {
					return v[i:min(len(v), k+16)], true
				}
			case call && (phpHighRisk(w) || phpCore[w]):
				return v[i:min(len(v), k+16)], true
			case call:
				// system(), touch('x'), eval($x): empty or quoted argument.
				a := strings.TrimLeft(v[k+1:], " \t")
				if a == "" || a[0] == ')' && emptyCallEnds(a[1:]) && !phpInclude(w) || a[0] == '\'' || a[0] == '"' || a[0] == '$' || strings.HasPrefix(a, "chr(") || isCallAt(a) || phpRuns(w) && commandArg(a) {
					return v[i:min(len(v), k+16)], true
				}
			case strings.Contains(w, "_") && len(w) > 6 && !call && j-i == len(w) && phpHighRisk(w):
				return w, true
			}
		}
		i = j
	}
	return "", false
}

func isCallAt(a string) bool {
	j := 0
	for j < len(a) && isIdentByte(a[j]) {
		j++
	}
	return j > 0 && j < len(a) && a[j] == '(' && phpDangerous[a[:j]]
}

// phpHighRisk are the dangerous names that count even without a call.
func phpHighRisk(w string) bool {
	switch w {
	case "base64_decode", "call_user_func", "call_user_func_array", "file_get_contents", "file_put_contents", "gzinflate",
		"gzuncompress", "gzdecode", "shell_exec", "str_rot13", "zlib_decode", "pcntl_exec", "proc_open", "create_function",
		"convert_uudecode", "get_defined_vars", "get_defined_functions", "posix_getpwuid", "posix_uname", "fsockopen",
		"pfsockopen", "bzdecompress", "include_once", "require_once", "wp_remote_get", "wp_remote_post", "php_uname",
		"assert_options", "register_shutdown_function", "move_uploaded_file", "show_source", "highlight_file",
		"__halt_compiler", "apache_child_terminate", "sys_get_temp_dir", "get_class_methods", "get_class_vars",
		"get_defined_constants", "reflectionfunction", "invokeargs", "pcntl_fork", "posix_getcwd", "posix_getuid",
		"wp_remote_fopen", "wp_remote_head", "wp_remote_request", "wp_safe_remote_get", "wp_safe_remote_head",
		"wp_safe_remote_post", "wp_safe_remote_request", "call_user_method", "call_user_method_array":
		return true
	}
	return false
}

func isIdentByte(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' }

// phpForm returns v without PHP comments (/* */, //, #) and with
// whitespace folded, so that "exec /**/ ()" reads "exec ()".
func (s *scan) phpForm(v string) string {
	start := len(s.buf)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '/' && i+1 < len(v) && v[i+1] == '*':
			end := strings.Index(v[i+2:], "*/")
			if end < 0 {
				i = len(v)
			} else {
				i += end + 3
			}
			s.buf = append(s.buf, ' ')
			continue
		case (c == '#' || c == '/' && i+1 < len(v) && v[i+1] == '/') && i > 0 && !strings.HasPrefix(v[i:], "//") || c == '#' || c == '/' && i+1 < len(v) && v[i+1] == '/' && i > 0 && v[i-1] != ':':
			end := strings.IndexByte(v[i:], '\n')
			if end < 0 {
				s.buf = append(s.buf, v[i:]...)
				i = len(v)
				continue
			}
			i += end
			s.buf = append(s.buf, ' ')
			continue
		case c == '\n' || c == '\r' || c == '\t':
			s.buf = append(s.buf, ' ')
			continue
		}
		s.buf = append(s.buf, c)
	}
	return s.str(start)
}

// emptyCallEnds reports whether rest, what follows an empty call, ends a
// statement: "system()" or "phpinfo();", not "dir() CSS pseudo-class".
func emptyCallEnds(rest string) bool {
	rest = strings.TrimLeft(rest, " \t")
	return rest == "" || strings.IndexByte(";).,&|?#/'\"", rest[0]) >= 0
}

// phpInclude reports whether w includes a file: called empty, it names.
func phpInclude(w string) bool {
	return w == "include" || w == "require" || w == "include_once" || w == "require_once"
}

// phpRuns reports whether w, a PHP function, runs its argument as a
// command or code.
func phpRuns(w string) bool {
	switch w {
	case "system", "exec", "passthru", "popen", "proc_open", "shell_exec", "eval", "assert", "pcntl_exec":
		return true
	}
	return false
}

// commandArg reports whether a, the argument list of a call, starts with
// a bare shell command that is not an English word: system(whoami).
func commandArg(a string) bool {
	w, rest := commandWord(a)
	return unixCommands[w] && !englishCommands[w] && (rest == "" || rest[0] == ')' || rest[0] == ' ')
}
