package inspect

import "strings"

var (
	ruleSSTIMath = newRule("bw-ssti-001", SSTI, 5, "template expression probe: {{7*7}}, ${7*7}, <%= 7*7 %>, #{7*7}")
	ruleSSTIObj  = newRule("bw-ssti-002", SSTI, 5, "template expression reaching objects: {{config}}, {{''.__class__}}, ${T(java.lang.Runtime)}, <#assign")
)

var (
	reSSTIMath = pat(anyOf(
		// template arithmetic probe in any engine's delimiters: {{7*7}}, ${7*7}, <%= 7*7 %>, #{7*7}
		`(?:\{\{|\$\{|#\{|\*\{|@\{|\{%|<%=?|\[\[|\$\{\{|\{#|\{\$)\s*['"]?\s*\d+\s*['"]?\s*[*+/%-]\s*['"]?\s*\d+\s*['"]?\s*(?:\}\}|\}|%\}|%>|\]\])`,
		`\{\{\s*\d+\s*\}\}\[`,                     // {{7}}[…: Jinja expression then subscript
		`\{\{\s*['"][^'"]*['"]\s*\*\s*\d+\s*\}\}`, // {{'7'*7}}: Jinja string repetition probe
	))
	reSSTIObj = pat(`\{\{[^}]{0,80}?(?:__class__|__mro__|__subclasses__|__globals__|__builtins__|__init__|__import__|config\b|self\b|request\b|lipsum|cycler|joiner|namespace|url_for|get_flashed_messages|range\s*\(|\.constructor|_self\b|\|\s*(?:attr|e|safe|join|map|filter)\b|['"]\s*\.\s*\w|popen|system\s*\(|getruntime|exec\s*\(|settings\b|app\b|dump\s*\()|\$\{\s*(?:t\s*\(|@|#|\w+\.(?:getclass|forname|getruntime|class)\b|class\b|new\s|object\.|runtime|\"\"\.getclass|''\.getclass|request\.|session\.|application\.|param\.|header\.|cookie\.|initparam\.|pagecontext\.|facescontext\.|product\.getclass|(?:freemarker|java|javax|sun|org)\.)|<#(?:assign|import|include|list|if|function|macro|setting)\b|\?new\s*\(\s*\)|#set\s*\(\s*\$|#foreach\s*\(|\$class\.inspect|\{php\}|\{/php\}|\{\s*system\s*\(|\{\{\s*\$\w+\s*\}\}|<%\s*(?:import|require|=\s*(?:system|exec|` + "`" + `|%x|file|io|eval|process|require|global)|@\s*page\b)|#\{\s*(?:t\s*\(|@|['"]|\w+\.(?:getclass|class|forname)|\` + "`" + `|%x)|\*\{\s*(?:t\s*\(|['"])|@\(\s*\d|@\{\s*\w+\s*\(|\{%\s*(?:import|include|extends|debug|load|set|for|if|block|macro|raw|endraw|php|module)\b|\$\{\{[^}]*\}\}|\{\{\s*['"]?\s*\w+\s*['"]?\s*\|\s*\w+|\{\{\s*[a-z_]+\s*\(\s*\)\s*\}\}|\{\{[^}]*\bconstructor\b`)
)

// ssti detects server-side template injection.
func (s *scan) ssti(in *input) {
	if !in.has(cBrace|cLT|cBracket|cParen) || !in.has(cBrace|cPercent|cBracket|cParen) {
		return
	}
	low := in.low
	if !strings.Contains(low, "{") && !strings.Contains(low, "<%") && !strings.Contains(low, "[[") && !strings.Contains(low, "@(") && !strings.Contains(low, "<#") && !strings.Contains(low, "?new") && !strings.Contains(low, "#set") && !strings.Contains(low, "#foreach") {
		return
	}
	if s.matchRule(ruleSSTIMath, reSSTIMath, in, low) {
		return
	}
	s.matchRule(ruleSSTIObj, reSSTIObj, in, low)
}
