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
	reSSTIObj = pat(anyOf(
		// Jinja2/Twig/Nunjucks expression reaching objects or helpers within 80 bytes of {{
		`\{\{[^}]{0,80}?(?:`+anyOf(
			`__class__|__mro__|__subclasses__|__globals__|__builtins__|__init__|__import__`, // {{''.__class__.__mro__}}: Python object walk
			`config\b|self\b|request\b`,                                   // {{config}}, {{self}}, {{request.application}}: Flask/Jinja globals
			`lipsum|cycler|joiner|namespace|url_for|get_flashed_messages`, // {{lipsum.__globals__}}: Jinja helpers whose globals reach os
			`range\s*\(`,                             // {{range(…)}}: Jinja callable
			`\.constructor`,                          // {{x.constructor.constructor('…')()}}: Angular/Handlebars sandbox escape
			`_self\b`,                                // {{_self.env.registerUndefinedFilterCallback}}: Twig
			`\|\s*(?:attr|e|safe|join|map|filter)\b`, // {{x|attr('__class__')}}, |join, |map: filters used to dodge dots
			`['"]\s*\.\s*\w`,                         // {{''.x}}, {{"".__class__}}: method on a string literal
			`popen|system\s*\(|getruntime|exec\s*\(`, // {{…popen('id')}}, system(, exec(: command run
			`settings\b|app\b|dump\s*\(`,             // {{settings.SECRET_KEY}}, {{app}}, {{dump()}}: Django/Twig secrets
		)+`)`,
		// Java EL/Spring/Thymeleaf/FreeMarker ${…} reaching classes or scopes
		`\$\{\s*(?:`+anyOf(
			`t\s*\(|@|#`, // ${T(java.lang.Runtime)}, ${@bean}, ${#ctx}: Spring EL type, bean, context
			`\w+\.(?:getclass|forname|getruntime|class)\b|class\b|new\s|object\.|runtime`, // ${x.getClass()}, ${new …}, ${Runtime}: reflection
			`\"\"\.getclass|''\.getclass`, // ${"".getClass()}: reflection from a string literal
			`request\.|session\.|application\.|param\.|header\.|cookie\.|initparam\.|pagecontext\.|facescontext\.`, // ${request.…}, ${pageContext.…}: JSP/JSF implicit objects
			`product\.getclass`,                   // ${product.getClass()}: PortSwigger lab probe
			`(?:freemarker|java|javax|sun|org)\.`, // ${freemarker.template…}, ${java.lang…}: package name
		)+`)`,
		`<#(?:assign|import|include|list|if|function|macro|setting)\b`, // <#assign ex="freemarker.template.utility.Execute"?new()>: FreeMarker directive
		`\?new\s*\(\s*\)`,     // "…Execute"?new(): FreeMarker instantiation
		`#set\s*\(\s*\$`,      // #set($x = …): Velocity
		`#foreach\s*\(`,       // #foreach($i in …): Velocity loop
		`\$class\.inspect`,    // $class.inspect("java.lang.Runtime"): Velocity ClassTool
		`\{php\}`,             // {php}…: Smarty 2 PHP tag
		`\{/php\}`,            // {/php}: its end tag alone
		`\{\s*system\s*\(`,    // {system('id')}: Smarty function call
		`\{\{\s*\$\w+\s*\}\}`, // {{$x}}: variable in Twig/Blade/Smarty braces
		`<%\s*(?:import|require|=\s*(?:system|exec|`+"`"+`|%x|file|io|eval|process|require|global)|@\s*page\b)`, // <%= system('id') %>, <%@ page import…%>: ERB/EJS/JSP
		`#\{\s*(?:t\s*\(|@|['"]|\w+\.(?:getclass|class|forname)|\`+"`"+`|%x)`,                                   // #{T(…)}, #{`id`}, #{%x(id)}: Spring/JSF #{} and Ruby interpolation
		`\*\{\s*(?:t\s*\(|['"])`, // *{T(java.lang.Runtime)}: Thymeleaf selection expression
		`@\(\s*\d`,               // @(7*7): Razor expression
		`@\{\s*\w+\s*\(`,         // @{ x(…) }: Razor code block call
		`\{%\s*(?:import|include|extends|debug|load|set|for|if|block|macro|raw|endraw|php|module)\b`, // {% import os %}, {% debug %}: Jinja/Twig/Django tag
		`\$\{\{[^}]*\}\}`,                       // ${{…}}: an expression in ${{ }} delimiters (Jinja after a literal $)
		`\{\{\s*['"]?\s*\w+\s*['"]?\s*\|\s*\w+`, // {{'x'|upper}}, {{7|e}}: filter applied to a value
		`\{\{\s*[a-z_]+\s*\(\s*\)\s*\}\}`,       // {{dump()}}, {{cycler()}}: call of a global
		`\{\{[^}]*\bconstructor\b`,              // {{x.constructor}}: prototype walk (AngularJS)
	))
)

// ssti detects server-side template injection.
func (s *scan) ssti(in *input) {
	if !in.has(cBrace|cLT|cBracket|cParen) || !in.has(cBrace|cPercent|cBracket|cParen) {
		return
	}
	low := in.low
	if !strings.Contains(low, "{") && !strings.Contains(low, "<%") && !strings.Contains(low, "[[") && !strings.Contains(low, "@(") &&
		!strings.Contains(low, "<#") && !strings.Contains(low, "?new") && !strings.Contains(low, "#set") && !strings.Contains(low, "#foreach") {
		return
	}
	if s.matchRule(ruleSSTIMath, reSSTIMath, in, low) {
		return
	}
	s.matchRule(ruleSSTIObj, reSSTIObj, in, low)
}
