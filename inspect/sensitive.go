package inspect

import (
	"strings"
)

var (
	ruleHidden  = newRule("bw-file-001", SensitiveFile, 5, "hidden file or directory (.env, .git/, .aws/, .DS_Store, editor and tool settings)")
	ruleSecret  = newRule("bw-file-002", SensitiveFile, 5, "private key, credentials or secrets file (id_rsa, *.pem, *.key, wp-config.php)")
	ruleBackup  = newRule("bw-file-003", SensitiveFile, 5, "backup, dump, swap or log file (*.sql, *.bak, *~, *.swp, *.log, archives at the root)")
	ruleConfig  = newRule("bw-file-004", SensitiveFile, 5, "deployment or build file (docker-compose.yml, web.config, package.json, config.json at the root)")
	ruleDiag    = newRule("bw-file-005", SensitiveFile, 5, "diagnostic endpoint (phpinfo.php, actuator/env, server-status, elmah.axd)")
	ruleFileArg = newRule("bw-file-006", SensitiveFile, 5, "parameter naming a secrets, backup or history file")
)

// pathProbe detects requests for resources never meant to be served.
func (s *scan) pathProbe(in *input) {
	p := in.low
	if in.has(cBackslash) || strings.Contains(p, "//") || strings.Contains(p, "/./") {
		p = s.slashes(p)
	}
	depth := 0
	for rest := p; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if seg == "" {
			continue
		}
		depth++
		last := rest == "" || rest == "/"
		if r := sensitiveSegment(seg, depth, last, rest); r != nil {
			s.report(r, in, p)
			return
		}
	}
	if r := sensitiveDir(p); r != nil {
		s.report(r, in, p)
	}
}

// fileParam detects parameter values naming a sensitive file (a file
// name or path, without spaces).
func (s *scan) fileParam(in *input) {
	if !in.has(cDot) || in.has(cSpace|cLT|cAt) || in.kind == kindHeader && !fileHeader(in) {
		return
	}
	v := in.low
	if in.has(cBackslash) {
		v = s.slashes(v)
	}
	depth := 0
	for rest := v; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if seg == "" || seg == "." || seg == ".." {
			continue
		}
		depth++
		last := rest == ""
		if r := sensitiveSegment(seg, 0, last, rest); r != nil && r != ruleHidden && r != ruleConfig {
			s.report(ruleFileArg, in, v)
			return
		}
		if seg[0] == '.' && knownDotDir(seg) {
			s.report(ruleFileArg, in, v)
			return
		}
	}
}

// sensitiveSegment classifies one path segment; depth is 1 for the first
// segment (0 when unknown), last is true for the final one.
func sensitiveSegment(seg string, depth int, last bool, rest string) *rule {
	if seg[0] == '.' {
		if seg == "." || strings.Trim(seg, ".") == "" {
			return nil // traversal, reported as such
		}
		if seg == ".well-known" {
			return nil
		}
		return ruleHidden
	}
	if !last {
		switch seg {
		case "web-inf", "meta-inf", "@fs", "cvs", "_darcs", "phpmyadmin", "_profiler", "debug":
			if seg == "debug" && !strings.HasPrefix(rest, "pprof") && !strings.HasPrefix(rest, "vars") {
				return nil
			}
			return ruleDiag
		}
		return nil
	}
	name := seg
	if i := strings.IndexByte(name, ';'); i >= 0 {
		name = name[:i] // Tomcat path parameters
	}
	name = strings.TrimRight(name, ". ")
	if name == "" {
		return nil
	}
	switch name {
	case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "authorized_keys", "known_hosts", "credentials",
		"credentials.json", "credentials.xml", "secrets.json", "secrets.yml", "secrets.yaml", "master.key",
		"wp-config.php", "wp-config.bak", "wp-config.old", "wp-config.txt", "config.inc.php", "localsettings.php",
		"settings.php", "database.yml", "parameters.yml", "local_settings.py", "shadow", "passwd", "htpasswd",
		"keystore.jks", "service-account.json", "serviceaccount.json", "sftp-config.json", "ftp-config.json":
		return ruleSecret
	case "phpinfo.php", "info.php", "php_info.php", "phpinfo", "test.php", "i.php", "pi.php", "server-status",
		"server-info", "elmah.axd", "trace.axd", "heapdump", "threaddump", "jolokia", "adminer.php",
		"eval-stdin.php", "xmlrpc.php", "console":
		if name == "console" && depth != 1 {
			return nil
		}
		if name == "xmlrpc.php" || name == "test.php" {
			return nil
		}
		return ruleDiag
	case "web.config", "docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml", "dockerfile",
		"vagrantfile", "jenkinsfile", "makefile", "gruntfile.js", "gulpfile.js", "webpack.config.js",
		"appsettings.json", "application.properties", "application.yml", "application.yaml", "bootstrap.yml",
		"thumbs.db", "desktop.ini", "composer.lock", "composer.json", "package-lock.json", "yarn.lock",
		"pnpm-lock.yaml", "gemfile", "gemfile.lock", "requirements.txt", "pipfile", "pipfile.lock", "go.mod",
		"go.sum", "pom.xml", "build.gradle", "cargo.toml", "travis.yml", "circle.yml", "bitbucket-pipelines.yml",
		"phpunit.xml", "app.config", "local.config", "ws_ftp.ini", "filezilla.xml", "sitemanager.xml",
		"nginx.conf", "httpd.conf", "php.ini", "my.cnf", "error_log", "access_log":
		return ruleConfig
	case "package.json", "config.json", "config.yml", "config.yaml", "config.php", "config.js", "settings.json",
		"settings.py", "config.xml", "config.ini", "configuration.php", "config.toml", "env.js", "tsconfig.json",
		"server.js", "app.js", "index.js", "main.py", "app.py", "database.json", "db.json":
		if depth == 1 {
			return ruleConfig
		}
		return nil
	}
	if strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") {
		return ruleBackup
	}
	ext := name
	if i := strings.IndexByte(name, '.'); i >= 0 {
		ext = name[i:] // ".sql.gz" as a whole
	} else {
		return nil
	}
	for _, e := range backupExts {
		if strings.HasSuffix(ext, e) {
			return ruleBackup
		}
	}
	for _, e := range keyExts {
		if strings.HasSuffix(ext, e) {
			return ruleSecret
		}
	}
	if strings.HasSuffix(ext, ".key") && keyName(name) {
		return ruleSecret // not a Keynote document
	}
	if depth == 1 {
		for _, e := range archiveExts {
			if strings.HasSuffix(ext, e) {
				return ruleBackup
			}
		}
	}
	if strings.HasSuffix(ext, ".php") && (strings.Contains(name, "phpinfo") || strings.Contains(name, "shell") || strings.HasPrefix(name, "wp-config")) {
		return ruleDiag
	}
	if strings.HasPrefix(name, "wp-config") || strings.HasPrefix(name, "phpinfo") {
		return ruleSecret
	}
	return nil
}

var (
	backupExts = []string{".sql", ".sql.gz", ".sql.zip", ".sql.bz2", ".sql.xz", ".sql.7z", ".sql.tar.gz", ".dump", ".bak",
		".backup", ".bck", ".bkp", ".old", ".orig", ".save", ".swp", ".swo", ".swn", ".tmp", ".temp", ".sqlite", ".sqlite3",
		".db", ".mdb", ".accdb", ".dbf", ".log", ".rej", ".copy", ".dist", ".un~", ".kate-swp", ".history", ".sublime-project",
		".sublime-workspace", ".ovpn", ".rdp", ".tfstate", ".tfvars", ".tfstate.backup", ".kdbx", ".ini.bak", ".php.bak",
		".php~", ".php.old", ".php.save", ".php.swp", ".php.orig", ".conf.bak"}
	keyExts     = []string{".pem", ".p12", ".pfx", ".jks", ".keystore", ".ppk", ".crt.key", ".kdb", ".htpasswd", ".passwd", ".credentials", ".secret", ".secrets", ".env"}
	archiveExts = []string{".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".rar", ".7z", ".gz", ".bz2", ".xz", ".war", ".ear", ".jar", ".zst"}
)

// sensitiveDir matches probes spread over several segments.
func sensitiveDir(p string) *rule {
	for _, d := range diagPaths {
		if i := strings.Index(p, d); i >= 0 {
			end := i + len(d)
			if end == len(p) || p[end] == '/' || p[end] == '?' || p[end] == ';' || p[end] == '.' {
				return ruleDiag
			}
		}
	}
	return nil
}

var diagPaths = []string{"/actuator/env", "/actuator/heapdump", "/actuator/threaddump", "/actuator/configprops",
	"/actuator/mappings", "/actuator/beans", "/actuator/trace", "/actuator/httptrace", "/actuator/jolokia",
	"/actuator/logfile", "/actuator/loggers", "/actuator/shutdown", "/actuator/gateway", "/actuator/restart",
	"/actuator/refresh", "/actuator/scheduledtasks", "/actuator/sessions", "/actuator/auditevents", "/actuator/caches",
	"/actuator/conditions", "/actuator/flyway", "/actuator/liquibase", "/actuator/prometheus", "/actuator/metrics",
	"/actuator/startup", "/actuator/integrationgraph",
	"/debug/pprof", "/debug/vars", "/wp-content/debug.log", "/vendor/phpunit/", "/phpunit/src/util/php/",
	"/_ignition/execute-solution", "/telescope/requests", "/__clockwork", "/horizon/api", "/_debugbar",
	"/cgi-bin/php", "/manager/html", "/jmx-console", "/web-console", "/invoker/jmxinvokerservlet",
	"/solr/admin", "/jenkins/script", "/nacos/v1/auth", "/api/jsonws/invoke", "/console/login/loginform.jsp",
	"/wls-wsat/", "/_async/", "/hnap1", "/boaform/", "/goform/", "/setup.cgi", "/cmd.php", "/c99.php", "/r57.php"}

// fileHeader reports a header naming an uploaded file (X-File-Name,
// X-Filename, X_Filename, X.Filename).
func fileHeader(in *input) bool {
	if in.kind != kindHeader || len(in.name) < 8 || in.name[0] != 'x' {
		return false
	}
	return nameSeparators.Replace(in.name) == "xfilename"
}

var nameSeparators = strings.NewReplacer("-", "", "_", "", ".", "")

// knownDotDir reports hidden files and directories that hold secrets or
// history, in any part of a parameter value.
func knownDotDir(seg string) bool {
	switch strings.TrimRight(seg, ". ") {
	case ".ssh", ".aws", ".docker", ".kube", ".gnupg", ".azure", ".gcloud", ".git", ".svn", ".hg", ".bzr", ".env",
		".htpasswd", ".htaccess", ".history", ".bash_history", ".zsh_history", ".sh_history", ".mysql_history",
		".psql_history", ".python_history", ".node_repl_history", ".viminfo", ".netrc", ".pgpass", ".npmrc",
		".pypirc", ".git-credentials", ".s3cfg", ".boto", ".dockercfg", ".bashrc", ".profile", ".bash_profile",
		".zshrc", ".my.cnf", ".lesshst", ".wget-hsts", ".terraform", ".vault-token", ".config", ".local", ".cache":
		return true
	}
	return strings.HasPrefix(seg, ".env.")
}

// keyName reports whether a *.key file is named like a private key.
func keyName(name string) bool {
	for _, w := range []string{
		"priv", "server", "ssl", "tls", "cert", "rsa", "dsa", "ecdsa", "ed25519", "secret", "signing", "jwt",
		"id_", "host", "client", "ca.", "domain", "site", "www", "nginx", "apache", "localhost",
	} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}
