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
	reJavaExec = pats(`\b(?:` + anyOf(
		`runtime\s*\.\s*getruntime`,        // Runtime.getRuntime()
		`getruntime\s*\(\s*\)\s*\.\s*exec`, // getRuntime().exec(
		`processbuilder`,                   // new ProcessBuilder(
		`processimpl`,                      // java.lang.ProcessImpl
		`unixprocess`,                      // java.lang.UNIXProcess
		`java\.lang\.process`,              // java.lang.Process
		`class\s*\.\s*forname`,             // Class.forName(
		`getclass\s*\(\s*\)\s*\.\s*(?:forname|getclassloader|getmethod|getdeclared\w+)`, // getClass().forName(, getClass().getClassLoader(): reflection
		`\.getmethod\s*\(\s*['"](?:exec|getruntime|invoke)`,                             // .getMethod("exec"): reflective call of exec
		`\.invoke\s*\(\s*null`, // .invoke(null, …): static method called by reflection
		`scriptenginemanager`,  // ScriptEngineManager: run JavaScript from Java
		`nashorn`,              // Nashorn JavaScript engine
		`jshell`,               // JShell
		`defineclass`,          // ClassLoader.defineClass: load attacker bytecode
		`urlclassloader`,       // URLClassLoader: load classes from a remote jar
		`methodutils`,          // MethodUtils.invokeMethod (commons-lang)
		`bcel\$`,               // BCEL class-loader payload: $$BCEL$$…
		`\$\$bcel\$\$`,         // BCEL class-loader payload: $$BCEL$$…
		`\.exec\s*\(\s*['"](?:cmd|/bin|sh|bash|calc|whoami|id|ls|touch|curl|wget|ping|nslookup)`, // .exec("cmd …"), .exec("/bin/sh …"), .exec("whoami")
		`\bjava\b.{0,80}\b(?:runtime|processbuilder)\b`,                                          // java … Runtime or ProcessBuilder in one value
	) + `)`)
	reJavaClass = pat(anyOf(
		`\bjavax?\.(?:`+anyOf(
			`lang`, `io`, `util`, `net`, `nio`, `rmi`, `beans`, `security`, `naming`, `script`, `management`,
			`xml`, `sql`, `jms`, `imageio`, `print`, `sound`, `swing`, `awt`, `crypto`, `servlet`, `faces`,
			`el`, `transaction`, `activation`, `annotation`,
		)+`)\.[a-z]\w*`, // java.lang.Runtime, javax.naming.InitialContext: JDK classes
		`\bcom\.sun\.(?:org\.apache|rowset|jndi|jmx|corba|management|xml\.internal|net\.ssl|tools)\b`, // com.sun.rowset.JdbcRowSetImpl, com.sun.jndi: internal JDK classes
		`\borg\.(?:`+anyOf(
			`apache\.(?:`+anyOf(
				`commons\.(?:collections|beanutils|fileupload|io\.output)`, `xalan`, `xbean`, `wicket`,
				`myfaces`, `naming`, `tomcat\.dbcp`, `shiro`, `log4j`, `catalina`, `velocity`, `batik`,
				`logging\.log4j\.core`,
			)+`)`, // Apache libraries with gadget chains: commons-collections, log4j, xalan
			`springframework\.(?:beans|context|aop|jndi|transaction|core\.io)`, // Spring classes in gadget chains
			`codehaus\.groovy\.runtime`,                                        // Groovy runtime gadgets
			`hibernate\.(?:engine|tuple|property)`,                             // Hibernate gadgets
			`mozilla\.javascript`,                                              // Rhino JavaScript gadgets
			`python\.core`,                                                     // Jython gadgets
			`omg\.corba`,                                                       // CORBA
			`jboss\.(?:interceptor|weld)`,                                      // JBoss gadgets
			`slf4j\.ext`,                                                       // SLF4J ext gadget
			`jdom`,                                                             // JDOM gadget
			`eclipse\.jetty`,                                                   // Jetty gadget
			`c3p0`,                                                             // c3p0 JNDI gadget
			`h2`,                                                               // H2 database JNDI gadget
		)+`)\b`, // library packages that hold deserialization gadgets
		`\bsun\.(?:rmi|misc|reflect|print|net\.www|security\.x509|awt)\b`,                                           // sun.misc.Unsafe, sun.reflect: internal JDK classes
		`\bcom\.(?:mchange|alibaba\.fastjson|fasterxml\.jackson\.databind\.node|rometools|vaadin|zaxxer\.hikari)\b`, // c3p0, fastjson, Jackson, ROME, Vaadin, HikariCP gadgets
		`\bgroovy\.(?:lang|util)\b`, // groovy.lang.Closure, groovy.util.Expando
		`\borg\.apache\.commons\b`,  // org.apache.commons
		`\bcom\.opensymphony\b`,     // Struts 2 / XWork: com.opensymphony.xwork2
		`\bognl\b`,                  // OGNL
		`\bnet\.sf\.json\b`,         // json-lib gadgets
		`\b(?:`+anyOf(
			`invokertransformer`, `instantiatetransformer`, `clonetransformer`, `chainedtransformer`,
			`constanttransformer`, `instantiatefactory`, `prototypeclonefactory`,
			`prototypeserializationfactory`, `whileclosure`, `forclosure`, `transformedmap`, `lazymap`,
			`templatesimpl`, `annotationinvocationhandler`, `badattributevalueexpexception`, `priorityqueue`,
			`beancomparator`, `jdbcrowsetimpl`, `jndirefconnection`, `convertedclosure`, `methodclosure`,
			`nativejavaobject`, `xstream`, `eventhandler`, `comparatorchain`, `transformingcomparator`,
			`serializablefunction`, `objectfactory`, `mapproxy`, `uitransformer`, `defaultedmap`, `flat3map`,
			`hashbag`, `treebag`, `listorderedmap`, `javassist`, `unmarshaller`,
		)+`)\b`, // gadget class names: InvokerTransformer, TemplatesImpl, LazyMap, JdbcRowSetImpl
	),
		"java.", "javax.", "com.sun.", "org.", "sun.", "com.", "groovy.", "net.sf.json", "ognl",
		"invokertransformer", "instantiatetransformer", "clonetransformer", "chainedtransformer",
		"constanttransformer", "instantiatefactory", "prototypeclonefactory",
		"prototypeserializationfactory", "whileclosure", "forclosure", "transformedmap", "lazymap",
		"templatesimpl", "annotationinvocationhandler", "badattributevalueexpexception", "priorityqueue",
		"beancomparator", "jdbcrowsetimpl", "jndirefconnection", "convertedclosure", "methodclosure",
		"nativejavaobject", "xstream", "eventhandler", "comparatorchain", "transformingcomparator",
		"serializablefunction", "objectfactory", "mapproxy", "uitransformer", "defaultedmap", "flat3map",
		"hashbag", "treebag", "listorderedmap", "javassist", "unmarshaller",
	)
	reJavaSerial = pats(anyOf(
		`\xac\xed\x00\x05`,                 // Java serialization stream magic, raw
		`aced0005`,                         // Java serialization magic in hex
		`\bro0ab`,                          // Java serialization magic in base64: rO0AB
		`\bh4siaaaaaaaaa`,                  // gzip-compressed object in base64: H4sIAAAAAAAAA
		`\bkzta`,                           // Java serialization magic in base64 one byte into the stream: …KztAAU
		`\bcs7q`,                           // Java serialization magic in base64 two bytes into the stream: …cs7QAF
		`<java\s+version=`,                 // XMLDecoder payload: <java version=
		`<object\s+class\s*=\s*['"]java\.`, // XMLDecoder payload: <object class="java.…
		`\{\s*['"]@type['"]\s*:\s*['"](?:com|org|java|javax)\.`, // fastjson autotype: {"@type":"com.…
	))
	reJavaExpr = pats(anyOf(
		`%\{\s*\(?\s*#`,                       // Struts 2 OGNL: %{(#…
		`#_memberaccess`,                      // OGNL: #_memberAccess
		`#context\s*\[`,                       // OGNL: #context[
		`@ognl\.ognlcontext`,                  // OGNL: @ognl.OgnlContext
		`ognlutil`,                            // Struts 2: OgnlUtil
		`#application\s*\[`,                   // OGNL: #application[
		`\(#[a-z_]+\s*=`,                      // OGNL assignment: (#x=
		`\bclass\.module\.classloader`,        // Spring4Shell: class.module.classLoader
		`\bclass\.classloader\b`,              // class.classLoader (Struts 1, Spring)
		`\bclassloader\.resources\.context\b`, // Tomcat: classLoader.resources.context
		`\bspringframework\.context\.support\.filesystemxmlapplicationcontext\b`, // Spring XML application context loaded from a URL
		`\bt\s*\(\s*java\.lang`,              // SpEL: T(java.lang.Runtime)
		`@java\.lang\.`,                      // OGNL static: @java.lang.Runtime@
		`new\s+java\.(?:lang|io|util|net)\.`, // SpEL/EL: new java.lang.ProcessBuilder
		`\bexpressionfactory\b`,              // EL: ExpressionFactory
		`\.getclass\(\)\.getclassloader\(\)`, // .getClass().getClassLoader() in an expression
		`\$\{\s*(?:#|@|sessionscope|applicationscope|requestscope|pagecontext|facescontext)`, // EL: ${#…}, ${sessionScope…}, ${pageContext…}
	))
	reJSPFile = pat(`\.(?:jsp|jspx|jspf|jsw|jsv|jspa|jhtml|jtml)[.\s]*$`)
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
