package inspect

import "strings"

var (
	ruleNodeCode = newRule("bw-code-001", CodeI, 5, "server-side JavaScript injection: require('child_process'), process.mainModule, node-serialize")
	ruleNodeDoS  = newRule("bw-code-002", CodeI, 5, "JavaScript denial of service: while(true), for(;;)")
	rulePerlRuby = newRule("bw-code-003", CodeI, 5, "Perl or Ruby code injection: @{[ … ]}, Process.spawn, Kernel.exec, %x()")
	ruleORM      = newRule("bw-code-004", CodeI, 5, "ORM lookup in a key: user__password__startswith (Django filter injection)")
)

var (
	reNodeCode = pats(`\brequire\s*\(\s*['"\x60](?:child_process|fs|net|vm|os|http|https|dgram|cluster|worker_threads|process|module|repl|inspector)['"\x60]\s*\)|['"\x60]child_process\b|\bchild_process\s*\.\s*(?:exec|spawn|fork|execfile)\w*\s*\(\s*['"\x60]|\bprocess\s*\.\s*(?:mainmodule|binding|env|exit|kill|dlopen|getuid|_linkedbinding|execpath|stdout|emitwarning|reallyexit|openstdin|setuid|chdir)\b|\bprocess\s*\[\s*['"\x60]?\w|\bglobal\s*(?:\.\s*process|\[\s*['"\x60]process)|\bglobalthis\s*(?:\.\s*process|\[)|\bmodule\s*\.\s*(?:exports\s*=|constructor|require|children|parent|_load|_compile)|\brequire\s*\.\s*(?:main|cache|resolve)\b|\bnew\s+function\s*\(|\bfunction\s*\(\s*\)\s*\{[^}]*\}\s*\(\s*\)|_\$\$nd_func\$\$_|\bthis\s*\.\s*constructor\s*\.\s*constructor\b|\bconstructor\s*\.\s*constructor\s*\(|\[\s*['"\x60]constructor['"\x60]\s*\]\s*\[\s*['"\x60]constructor|[(+,]\s*__(?:dirname|filename)\b|\b__(?:dirname|filename)\s*[)+,;]|^\s*__(?:dirname|filename)\s*$|\bfs\s*\.\s*(?:readfile|writefile|readdir|unlink|rmdir|appendfile|createreadstream|createwritestream|chmod|symlink|mkdir|copyfile|rename)(?:sync)?\s*\(|\bvm\s*\.\s*(?:runin\w*|script|compilefunction)\s*\(\s*['"\x60]|\bconsole\s*\.\s*(?:log|info|warn|error|debug|dir|trace)\s*\.\s*(?:call|apply|bind)\b|\bbuffer\s*\.\s*from\s*\([^)]*['"]base64['"]|\b(?:execsync|spawnsync|execfile(?:sync)?)\s*\(\s*['"\x60]|\.(?:exec|spawn)\s*\(\s*['"\x60](?:id|whoami|ls|cat|sh|bash|cmd|curl|wget|nc|ping|touch|rm|calc|uname)\b|\$\d+:constructor:constructor|\b_formdata\b.{0,40}\bconstructor\b|\bimport\s*\(\s*['"\x60](?:child_process|fs|os|net|vm)\b`)
	reNodeDoS  = pat(`\bwhile\s*\(\s*(?:true|1|!\s*(?:false|0|-0|\+0|\[\]|''|""|null|undefined)|!!\s*(?:\[\]|\{\}|1|true))\s*\)|\bfor\s*\(\s*[^;]*;\s*;\s*[^)]*\)|\bdo\s*\{[^}]*\}\s*while\s*\(\s*(?:true|1)\s*\)|\bdo\s*\{[^{}]{0,80}?\bnew\s+date\s*\(\s*\)[^{}]{0,80}\}\s*while\s*\(`)
	rePerlRuby = pats(`@\{\s*\[[^\]]*\]\s*\}|@\{\s*\[|\b(?:process\s*\.\s*spawn|kernel\s*\.\s*(?:exec|system|spawn|open|eval|fork)|io\s*\.\s*popen|open3\s*\.\s*(?:popen\w*|capture\w*)|pty\s*\.\s*spawn|marshal\s*\.\s*load|yaml\s*\.\s*(?:load|unsafe_load)|erb\s*\.\s*new|instance_eval|class_eval|module_eval|instance_variable_get|public_send|__send__|objectspace|binding\s*\.\s*eval|file\s*\.\s*(?:read|write|open)\s*\(\s*['"]/)\b|%x\s*[({\[|!]|\bsystem\s*\(\s*['"](?:id|whoami|ls|cat|uname|sh|bash)|\bqx\s*[({\[/|]|\bperl\s+-e\b|\buse\s+(?:socket|io::socket)\b|\bexec\s*\{|\bsystem\s*\{|\b(?:getpwuid|getpwnam|getlogin)\s*\(\s*\$|\$[<>]\s*\)|%env\b|\bkeys\s+%env|\bsort\s*\{\s*\$a\s*<=>\s*\$b\s*\}`)
	reORM      = pat(`[a-z0-9]__(?:exact|iexact|contains|icontains|in|gt|gte|lt|lte|startswith|istartswith|endswith|iendswith|range|date|year|iso_year|month|day|week|week_day|iso_week_day|quarter|time|hour|minute|second|isnull|regex|iregex|has_key|has_keys|has_any_keys|contained_by|contains_by|overlap|len|search|trigram_similar|unaccent|keys|values)(?:\]|$)|[a-z0-9]__[a-z][a-z0-9_]*__[a-z]`)
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
