package inspect

import "strings"

var (
	ruleNodeCode = newRule("bw-code-001", CodeI, 5, "server-side JavaScript injection: require('child_process'), process.mainModule, node-serialize")
	ruleNodeDoS  = newRule("bw-code-002", CodeI, 5, "JavaScript denial of service: while(true), for(;;)")
	rulePerlRuby = newRule("bw-code-003", CodeI, 5, "Perl or Ruby code injection: @{[ … ]}, Process.spawn, Kernel.exec, %x()")
	ruleORM      = newRule("bw-code-004", CodeI, 5, "ORM lookup in a key: user__password__startswith (Django filter injection)")
)

var (
	reNodeCode = pats(anyOf(
		// require('child_process'), require('fs'), require('vm')
		`\brequire\s*\(\s*['"\x60](?:child_process|fs|net|vm|os|http|https|dgram|cluster|worker_threads|process|module|repl|inspector)['"\x60]\s*\)`,
		`['"\x60]child_process\b`, // 'child_process' as a string: import or lookup
		`\bchild_process\s*\.\s*(?:exec|spawn|fork|execfile)\w*\s*\(\s*['"\x60]`, // child_process.exec('…'), child_process.spawnSync('…')
		// process.mainModule, process.binding, process.env, process.exit
		`\bprocess\s*\.\s*(?:mainmodule|binding|env|exit|kill|dlopen|getuid|_linkedbinding|execpath|stdout|emitwarning|reallyexit|openstdin|setuid|chdir)\b`,
		`\bprocess\s*\[\s*['"\x60]?\w`,                                                       // process['mainModule']: bracket access
		`\bglobal\s*(?:\.\s*process|\[\s*['"\x60]process)`,                                   // global.process, global['process']
		`\bglobalthis\s*(?:\.\s*process|\[)`,                                                 // globalThis.process, globalThis[…]
		`\bmodule\s*\.\s*(?:exports\s*=|constructor|require|children|parent|_load|_compile)`, // module.constructor, module.require, module._load
		`\brequire\s*\.\s*(?:main|cache|resolve)\b`,                                          // require.main, require.cache, require.resolve
		`\bnew\s+function\s*\(`,                                                              // new Function(
		`\bfunction\s*\(\s*\)\s*\{[^}]*\}\s*\(\s*\)`,                                         // function(){…}(): immediately invoked function
		`_\$\$nd_func\$\$_`,                                                                  // node-serialize IIFE marker: _$$ND_FUNC$$_
		`\bthis\s*\.\s*constructor\s*\.\s*constructor\b`,                                     // this.constructor.constructor: reach Function
		`\bconstructor\s*\.\s*constructor\s*\(`,                                              // constructor.constructor('…')
		`\[\s*['"\x60]constructor['"\x60]\s*\]\s*\[\s*['"\x60]constructor`,                   // ['constructor']['constructor']
		`[(+,]\s*__(?:dirname|filename)\b`,                                                   // (__dirname, +__filename: path disclosure
		`\b__(?:dirname|filename)\s*[)+,;]`,                                                  // __dirname), __filename+
		`^\s*__(?:dirname|filename)\s*$`,                                                     // value that is only __dirname or __filename
		// fs.readFileSync(, fs.writeFile(, fs.unlink(
		`\bfs\s*\.\s*(?:readfile|writefile|readdir|unlink|rmdir|appendfile|createreadstream|createwritestream|chmod|symlink|mkdir|copyfile|rename)(?:sync)?\s*\(`,
		`\bvm\s*\.\s*(?:runin\w*|script|compilefunction)\s*\(\s*['"\x60]`,                                          // vm.runInNewContext('…'), vm.Script('…')
		`\bconsole\s*\.\s*(?:log|info|warn|error|debug|dir|trace)\s*\.\s*(?:call|apply|bind)\b`,                    // console.log.call, console.error.bind
		`\bbuffer\s*\.\s*from\s*\([^)]*['"]base64['"]`,                                                             // Buffer.from(…, 'base64'): decoded payload
		`\b(?:execsync|spawnsync|execfile(?:sync)?)\s*\(\s*['"\x60]`,                                               // execSync('…'), spawnSync('…'), execFile('…')
		`\.(?:exec|spawn)\s*\(\s*['"\x60](?:id|whoami|ls|cat|sh|bash|cmd|curl|wget|nc|ping|touch|rm|calc|uname)\b`, // .exec('id'), .spawn('sh'), .exec('curl …')
		`\$\d+:constructor:constructor`,                            // React Server Components payload reaching Function: $1:constructor:constructor
		`\b_formdata\b.{0,40}\bconstructor\b`,                      // _formData … constructor: React flight payload
		`\bimport\s*\(\s*['"\x60](?:child_process|fs|os|net|vm)\b`, // import('child_process'), import('fs')
	))
	reNodeDoS = pat(anyOf(
		`\bwhile\s*\(\s*(?:true|1|!\s*(?:false|0|-0|\+0|\[\]|''|""|null|undefined)|!!\s*(?:\[\]|\{\}|1|true))\s*\)`, // while(true), while(1), while(!0), while(!![]): endless loop
		`\bfor\s*\(\s*[^;]*;\s*;\s*[^)]*\)`,                                     // for(;;): endless loop
		`\bdo\s*\{[^}]*\}\s*while\s*\(\s*(?:true|1)\s*\)`,                       // do {…} while(true)
		`\bdo\s*\{[^{}]{0,80}?\bnew\s+date\s*\(\s*\)[^{}]{0,80}\}\s*while\s*\(`, // do {… new Date() …} while(: busy-wait on the clock
	))
	rePerlRuby = pats(anyOf(
		`@\{\s*\[[^\]]*\]\s*\}`, // Perl: @{[ system "id" ]}: code in string interpolation
		`@\{\s*\[`,              // Perl: @{[ opened, unclosed
		`\b(?:`+anyOf(
			`process\s*\.\s*spawn`,                               // Process.spawn
			`kernel\s*\.\s*(?:exec|system|spawn|open|eval|fork)`, // Kernel.exec, Kernel.system, Kernel.open
			`io\s*\.\s*popen`,                                    // IO.popen
			`open3\s*\.\s*(?:popen\w*|capture\w*)`,               // Open3.popen3, Open3.capture2
			`pty\s*\.\s*spawn`,                                   // PTY.spawn
			`marshal\s*\.\s*load`,                                // Marshal.load: deserialization
			`yaml\s*\.\s*(?:load|unsafe_load)`,                   // YAML.load, YAML.unsafe_load: deserialization
			`erb\s*\.\s*new`,                                     // ERB.new: template eval
			`instance_eval`,                                      // instance_eval
			`class_eval`,                                         // class_eval
			`module_eval`,                                        // module_eval
			`instance_variable_get`,                              // instance_variable_get
			`public_send`,                                        // public_send: call any method
			`__send__`,                                           // __send__: call any method
			`objectspace`,                                        // ObjectSpace
			`binding\s*\.\s*eval`,                                // binding.eval
			`file\s*\.\s*(?:read|write|open)\s*\(\s*['"]/`,       // File.read('/…'), File.open('/…')
		)+`)\b`, // Ruby/Perl process, deserialization and eval calls: Kernel.exec, IO.popen, Marshal.load, YAML.load, ERB.new
		`%x\s*[({\[|!]`, // Ruby: %x(id), %x{…}: backtick command
		`\bsystem\s*\(\s*['"](?:id|whoami|ls|cat|uname|sh|bash)`, // Perl/Ruby: system('id'), system("sh")
		`\bqx\s*[({\[/|]`,                 // Perl: qx(id), qx/…/
		`\bperl\s+-e\b`,                   // perl -e
		`\buse\s+(?:socket|io::socket)\b`, // Perl: use Socket, use IO::Socket: reverse shell
		`\bexec\s*\{`,                     // Perl: exec {…}
		`\bsystem\s*\{`,                   // Perl: system {…}
		`\b(?:getpwuid|getpwnam|getlogin)\s*\(\s*\$`, // Perl: getpwuid($<), getpwnam($…)
		`\$[<>]\s*\)`,                        // Perl: $<), $>): user id
		`%env\b`,                             // Perl: %ENV
		`\bkeys\s+%env`,                      // Perl: keys %ENV
		`\bsort\s*\{\s*\$a\s*<=>\s*\$b\s*\}`, // Perl: sort { $a <=> $b }
	))
	reORM = pat(anyOf(
		`[a-z0-9]__(?:`+anyOf(
			`exact`, `iexact`, `contains`, `icontains`, `in`, `gt`, `gte`, `lt`, `lte`, `startswith`,
			`istartswith`, `endswith`, `iendswith`, `range`, `date`, `year`, `iso_year`, `month`, `day`,
			`week`, `week_day`, `iso_week_day`, `quarter`, `time`, `hour`, `minute`, `second`, `isnull`,
			`regex`, `iregex`, `has_key`, `has_keys`, `has_any_keys`, `contained_by`, `contains_by`,
			`overlap`, `len`, `search`, `trigram_similar`, `unaccent`, `keys`, `values`,
		)+`)(?:\]|$)`, // Django ORM lookups in parameter names: name__contains, password__startswith
		`[a-z0-9]__[a-z][a-z0-9_]*__[a-z]`, // Django ORM relation walk: user__password__startswith
	))
)

// code detects server-side JavaScript, Perl and Ruby code injection, and
// ORM lookups smuggled in keys.
func (s *scan) code(in *input) {
	low := in.low
	if in.key && strings.Contains(low, "__") {
		if s.matchRule(ruleORM, reORM, in, low) {
			return
		}
	}
	if !in.has(cParen | cDot | cBracket | cDollar | cBrace | cAt) {
		return
	}
	node := reNodeCode
	if in.text {
		node = reNodeCodeText
	}
	if s.matchAny(ruleNodeCode, node, in, low) {
		return
	}
	if in.has(cParen) && (strings.Contains(low, "while") || strings.Contains(low, "for")) && s.matchRule(ruleNodeDoS, reNodeDoS, in, low) {
		return
	}
	s.matchAny(rulePerlRuby, rePerlRuby, in, low)
}
