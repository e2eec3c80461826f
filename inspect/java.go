package inspect

import (
	"encoding/base64"
	"strings"
)

var (
	ruleJavaExec   = newRule("bw-java-001", Java, 5, "Java process execution or reflection: Runtime.getRuntime().exec, ProcessBuilder, Class.forName")
	ruleJavaClass  = newRule("bw-java-002", Java, 5, "Java class name attackers use: java.lang.*, java.io.*, javax.naming, gadget chains")
	ruleJavaSerial = newRule("bw-java-003", Java, 5, "Java serialized object (aced0005, rO0AB) or base64-encoded gadget names")
	ruleJavaExpr   = newRule("bw-java-004", Java, 5, "OGNL, SpEL or EL expression: %{(#…)}, #_memberAccess, class.module.classLoader")
	ruleJavaUpload = newRule("bw-java-005", Java, 5, "upload of a JSP page: x.jsp, x.jspx")
)

var (
	reJavaExec   = pats(`\b(?:runtime\s*\.\s*getruntime|getruntime\s*\(\s*\)\s*\.\s*exec|processbuilder|processimpl|unixprocess|java\.lang\.process|class\s*\.\s*forname|getclass\s*\(\s*\)\s*\.\s*(?:forname|getclassloader|getmethod|getdeclared\w+)|\.getmethod\s*\(\s*['"](?:exec|getruntime|invoke)|\.invoke\s*\(\s*null|scriptenginemanager|nashorn|jshell|defineclass|urlclassloader|methodutils|bcel\$|\$\$bcel\$\$|\.exec\s*\(\s*['"](?:cmd|/bin|sh|bash|calc|whoami|id|ls|touch|curl|wget|ping|nslookup)|\bjava\b.{0,80}\b(?:runtime|processbuilder)\b)`)
	reJavaClass  = pat(`\bjavax?\.(?:lang|io|util|net|nio|rmi|beans|security|naming|script|management|xml|sql|jms|imageio|print|sound|swing|awt|crypto|servlet|faces|el|transaction|activation|annotation)\.[a-z]\w*|\bcom\.sun\.(?:org\.apache|rowset|jndi|jmx|corba|management|xml\.internal|net\.ssl|tools)\b|\borg\.(?:apache\.(?:commons\.(?:collections|beanutils|fileupload|io\.output)|xalan|xbean|wicket|myfaces|naming|tomcat\.dbcp|shiro|log4j|catalina|velocity|batik|logging\.log4j\.core)|springframework\.(?:beans|context|aop|jndi|transaction|core\.io)|codehaus\.groovy\.runtime|hibernate\.(?:engine|tuple|property)|mozilla\.javascript|python\.core|omg\.corba|jboss\.(?:interceptor|weld)|slf4j\.ext|jdom|eclipse\.jetty|c3p0|h2)\b|\bsun\.(?:rmi|misc|reflect|print|net\.www|security\.x509|awt)\b|\bcom\.(?:mchange|alibaba\.fastjson|fasterxml\.jackson\.databind\.node|rometools|vaadin|zaxxer\.hikari)\b|\bgroovy\.(?:lang|util)\b|\borg\.apache\.commons\b|\bcom\.opensymphony\b|\bognl\b|\bnet\.sf\.json\b|\b(?:invokertransformer|instantiatetransformer|clonetransformer|chainedtransformer|constanttransformer|instantiatefactory|prototypeclonefactory|prototypeserializationfactory|whileclosure|forclosure|transformedmap|lazymap|templatesimpl|annotationinvocationhandler|badattributevalueexpexception|priorityqueue|beancomparator|jdbcrowsetimpl|jndirefconnection|convertedclosure|methodclosure|nativejavaobject|xstream|eventhandler|comparatorchain|transformingcomparator|serializablefunction|objectfactory|mapproxy|uitransformer|defaultedmap|flat3map|hashbag|treebag|listorderedmap|javassist|unmarshaller)\b`, "java.", "javax.", "com.sun.", "org.", "sun.", "com.", "groovy.", "net.sf.json", "ognl", "invokertransformer", "instantiatetransformer", "clonetransformer", "chainedtransformer", "constanttransformer", "instantiatefactory", "prototypeclonefactory", "prototypeserializationfactory", "whileclosure", "forclosure", "transformedmap", "lazymap", "templatesimpl", "annotationinvocationhandler", "badattributevalueexpexception", "priorityqueue", "beancomparator", "jdbcrowsetimpl", "jndirefconnection", "convertedclosure", "methodclosure", "nativejavaobject", "xstream", "eventhandler", "comparatorchain", "transformingcomparator", "serializablefunction", "objectfactory", "mapproxy", "uitransformer", "defaultedmap", "flat3map", "hashbag", "treebag", "listorderedmap", "javassist", "unmarshaller")
	reJavaSerial = pats(`\xac\xed\x00\x05|aced0005|\bro0ab|\bh4siaaaaaaaaa|\bkzta|\bcs7q|<java\s+version=|<object\s+class\s*=\s*['"]java\.|\{\s*['"]@type['"]\s*:\s*['"](?:com|org|java|javax)\.`)
	reJavaExpr   = pats(`%\{\s*\(?\s*#|#_memberaccess|#context\s*\[|@ognl\.ognlcontext|ognlutil|#application\s*\[|\(#[a-z_]+\s*=|\bclass\.module\.classloader|\bclass\.classloader\b|\bclassloader\.resources\.context\b|\bspringframework\.context\.support\.filesystemxmlapplicationcontext\b|\bt\s*\(\s*java\.lang|@java\.lang\.|new\s+java\.(?:lang|io|util|net)\.|\bexpressionfactory\b|\.getclass\(\)\.getclassloader\(\)|\$\{\s*(?:#|@|sessionscope|applicationscope|requestscope|pagecontext|facescontext)`)
	reJSPFile    = pat(`\.(?:jsp|jspx|jspf|jsw|jsv|jspa|jhtml|jtml)[.\s]*$`)
)

// java detects Java code injection and deserialization.
func (s *scan) java(in *input) {
	low := in.low
	if in.kind == kindFilename || fileHeader(in) {
		if s.matchRule(ruleJavaUpload, reJSPFile, in, low) {
			return
		}
	}
	if in.has(cHigh|cCtl) && strings.Contains(in.dec, "\xac\xed\x00\x05") {
		s.report(ruleJavaSerial, in, "aced0005")
		return
	}
	if !in.has(cAlpha) {
		return
	}
	if in.has(cDot|cParen|cDollar) && s.matchAny(ruleJavaExec, reJavaExec, in, low) {
		return
	}
	if in.has(cDot|cAlpha) && s.matchRule(ruleJavaClass, reJavaClass, in, low) {
		return
	}
	if s.matchAny(ruleJavaSerial, reJavaSerial, in, low) {
		return
	}
	if in.has(cPercent | cHash | cDot | cAt | cDollar) {
		if s.matchAny(ruleJavaExpr, reJavaExpr, in, low) {
			return
		}
	}
	if len(in.raw) >= 6 && in.hints.has(b64Hint.bit) && base64ish(in.raw) {
		for _, m := range b64Markers {
			if strings.Contains(in.raw, m) {
				s.report(ruleJavaSerial, in, m)
				return
			}
		}
	}
}

// b64Markers are the base64 forms, at each of the three byte alignments,
// of names found in serialized Java gadget chains: they show in a base64
// value whatever surrounds them.
var b64Markers = func() []string {
	var out []string
	for _, w := range []string{"runtime", "processbuilder", "clonetransformer", "forclosure", "instantiatefactory",
		"instantiatetransformer", "invokertransformer", "prototypeclonefactory", "prototypeserializationfactory",
		"whileclosure", "getruntime", "templatesimpl", "annotationinvocationhandler", "chainedtransformer",
		"constanttransformer", "lazymap", "transformedmap"} {
		for _, v := range []string{w, strings.ToUpper(w[:1]) + w[1:]} {
			for off := 0; off < 3; off++ {
				b := base64.StdEncoding.EncodeToString(append(make([]byte, off), v...))
				// Drop the characters that depend on the neighbouring bytes.
				skip := [3]int{0, 2, 3}[off]
				end := len(b)
				switch (off + len(v)) % 3 {
				case 1:
					end -= 4
				case 2:
					end -= 4
				}
				if end-skip >= 6 {
					out = append(out, strings.TrimRight(b[skip:end], "="))
				}
			}
		}
	}
	return out
}()

// b64Hint finds the markers, in lower case, in the hint pass; the markers
// are then looked for with their case.
var b64Hint = pat(`[^\x00-\x{10FFFF}]`, func() []string {
	out := make([]string, len(b64Markers))
	for i, m := range b64Markers {
		out[i] = strings.ToLower(m)
	}
	return out
}()...)

// base64ish reports whether v is made of base64 characters only.
func base64ish(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
