package inspect

import (
	"strings"

	libinjection "github.com/corazawaf/libinjection-go"
)

var (
	ruleSQLiTokens = newRule("bw-sqli-001", SQLi, 5, "SQL injection (libinjection tokenizer)")
	ruleSQLiUnion  = newRule("bw-sqli-002", SQLi, 5, "UNION SELECT")
	ruleSQLiTime   = newRule("bw-sqli-003", SQLi, 5, "time-based blind SQL injection: sleep(), benchmark(), pg_sleep(), waitfor delay")
	ruleSQLiTaut   = newRule("bw-sqli-004", SQLi, 5, "SQL tautology after a quote or number: ' or '1'='1, 1 or 1=1")
	ruleSQLiStack  = newRule("bw-sqli-005", SQLi, 5, "stacked query: ; drop table, ; exec, ; insert into")
	ruleSQLiFunc   = newRule("bw-sqli-006", SQLi, 5, "SQL functions and catalogs attackers use: information_schema, load_file, extractvalue, @@version")
	ruleSQLiCmt    = newRule("bw-sqli-007", SQLi, 5, "quote or keyword closed by an SQL comment: admin'--, /*!50000select*/")
	ruleSQLiChain  = newRule("bw-sqli-009", SQLi, 5, "value starting with a boolean condition or holding a query fragment: and 1=1, ) AS x FROM, FROM t WHERE c=")
	ruleSQLiSelect = newRule("bw-sqli-008", SQLi, 3, "SELECT … FROM, ORDER BY n and other SQL phrases")
)

var (
	reSQLUnion = pat(`\bunion[\s(]*(?:all|distinct|distinctrow)?[\s(]*select\b`, "union")
	reSQLTime  = pat(anyOf(
		// sleep(5), benchmark(1e7,md5(1)), pg_sleep(5), dbms_lock.sleep(5)
		`\b(?:sleep|pg_sleep|randomblob|dbms_lock\.sleep|dbms_pipe\.receive_message|sys\.dbms_session\.sleep)\s*\(`,
		`\bbenchmark\s*\(\s*(?:[\d@('"\x60-]|0x|select\b|$)`, // benchmark(1e7,md5(1)), benchmark( alone; not "Benchmark (for reference)"
		`\bwaitfor\s+(?:delay|time)\s*['"\d(@]`,              // MS SQL: waitfor delay '0:0:5'
	), "sleep", "benchmark", "randomblob", "dbms_", "waitfor")
	reSQLTaut = pats(anyOf(
		// ' or '1'='1, ') or x like y, " and 1 is null
		`['")]\s*\)*\s*(?:or|and|xor|\|\||&&|div|like|rlike|regexp)\b\s*[\s(]*(?:not\s+)?`+ // a closing quote or parenthesis, a logical operator,
			`(?:['"\x60]?[\w.-]*['"\x60]?|\d+|null|true|false)\s*`+ // an operand,
			`(?:`+anyOf( // then a comparison:
			`=|<=>|!=|<>|<|>|\blike\b`, // = 1, like 'a%'
			`\bis[\s(]+(?:not[\s(]+)?(?:(?:null|true|false|unknown|distinct|select)\b|['"\x60\d@]|0x|`+ // is null, is not true, is 'a', is 1: SQL's IS,
				`[\w.]+\s*\)*\s*(?:$|--|#|/\*|;|\b(?:or|and|xor)\b\s*[\s(]*['"\x60\d]))`, // is name then the clause's end: SQLite's IS on any operands
			`\bin\s*\(|\bbetween\b|\bregexp\b|\brlike\b|\bsounds\s+like\b`, // in (…), between, regexp, rlike, sounds like
		)+`)`,
		// 1 or 1=1, 1 and 'a'='a
		`\b\d+\s*\)*\s*(?:or|and|xor|\|\||&&)\s*[\s(]*['"]?(\d+|[a-z])['"]?\s*(?:=|<=>|!=|<>|<|>|\blike\b)\s*['"]?(\d+|[a-z])\b`,
		`^\s*['"\x60]\s*(?:or|and|\|\||&&)\s`,                                // value starting with a quote and or: ' or x
		`['"\x60]\s*(?:or|and|\|\||&&)\s*['"\x60]?\s*\d+\s*(?:--|#|/\*|;|$)`, // ' or 1--, " || 1#
		`['"\x60]\s*(?:or|and)\s*(?:\s|\(\s*)\w+\s*\(`,                       // ' or sleep(…), ' and ascii(…)
		`['"\x60]\s*(?:=|<>|!=)\s*['"\x60]`,                                  // '='', "<>": quote compared with quote
	))
	reSQLStack = pats(anyOf(
		// ; drop table users, ; alter database
		`;\s*(?:drop|truncate|alter|create|rename)\s+(?:table|database|schema|user|view|procedure|function|index|trigger)\b`,
		`;\s*(?:`+anyOf(
			`insert\s+into`,             // ; insert into t
			`delete\s+from`,             // ; delete from t
			`update\s+\S+\s+set\b`,      // ; update t set
			`select\b.{0,100}?\bfrom\b`, // ; select … from
			`select\s+(?:@@|\d|null|char|pg_|sleep|benchmark|version|user|case|if)`, // ; select @@version, ; select sleep(…)
			`exec(?:ute)?\s*(?:\(|@|master|xp_|sp_|immediate)`,                      // ; exec(…), ; exec master.., ; execute immediate
			`declare\s+@`,                // MS SQL: ; declare @x
			`shutdown\b`,                 // ; shutdown
			`waitfor\b`,                  // MS SQL: ; waitfor delay
			`begin\s`,                    // ; begin … (transaction or block)
			`end\b`,                      // ; end
			`commit\b`,                   // ; commit
			`rollback\b`,                 // ; rollback
			`grant\s`,                    // ; grant all
			`revoke\s`,                   // ; revoke
			`load\s+data`,                // MySQL: ; load data infile
			`set\s+@`,                    // ; set @x=
			`call\s+\w+\(`,               // ; call proc(
			`copy\s+\w+\s+(?:from|to)\b`, // PostgreSQL: ; copy t from/to (file read or write)
		)+`)`, // stacked statement after a semicolon
	))
	reSQLFunc = pats(anyOf(
		`\binformation_schema\b`, // information_schema.tables
		// select(user()), select(if(…))
		`\bselect\s*\(\s*(?:user|version|database|schema|current_user|system_user|if|char|concat|ascii|substr\w*|sleep|benchmark)\s*\(`,
		// select 1,2,3-- and select 1,2,user(): union column probing
		`\bselect(?:\s|\*/)+(?:\d+\s*,\s*){2,}(?:\d+\s*(?:$|--|#|/\*|\bfrom\b)|(?:user|version|database|@@)\w*\s*\(?)`,
		`\bselect\s+(?:if\s*\(|0x[0-9a-f]{4,}\b)`, // select if(…), select 0x4142…
		`\bdeclare\s+@\w`,                         // MS SQL: declare @x
		`\bexec(?:ute)?\s*\(\s*@`,                 // exec(@sql)
		`\bexecute\s+immediate\b`,                 // Oracle: execute immediate
		`^\s*\(?\s*case\s+when\b.{1,80}?\bthen\b`, // value starting with case when … then
		`\)\s*when\s+\S+\s+then\b`,                // ) when x then: injected case branch
		`\bselect\s*\(\s*case\b`,                  // select(case …
		`\bvalues\s*\(\s*(?:'[^']*'|\d+)\s*,`,     // values ('a', 1, …: injected insert
		`\balter\s+table\s+[\w.\x60"]+\s+(?:add|drop|change|modify|rename|alter)\b`, // alter table t add/drop …
		`\bdelete\s+from\s+[\w.\x60"\[\]]+\s*(?:;|--|#|where\b)`,                    // delete from t; / where
		`\blo_(?:get|import|export|open|creat|from_bytea)\s*\(`,                     // PostgreSQL large objects: lo_import(), lo_export()
		`\b(?:`+anyOf(
			`sysobjects`, `syscolumns`, `sysusers`, `sysdatabases`, `syscomments`, `msysobjects`,
			`msysaccessobjects`, `sqlite_master`, `sqlite_schema`, `pg_shadow`, `pg_user`, `pg_group`,
			`pg_database`, `pg_tables`, `pg_catalog`, `mysql\.user`, `mysql\.db`, `all_tables`,
			`user_tables`, `all_users`, `user_objects`, `dba_users`, `dual\b.{0,20}\bwhere`,
		)+`)\b`, // system catalogs: sysobjects, sqlite_master, pg_shadow, mysql.user, all_tables
		`\b(?:`+anyOf(
			`load_file`, `extractvalue`, `updatexml`, `name_const`, `geometrycollection`, `multipoint`,
			`multilinestring`, `multipolygon`, `linestring`, `polygon`, `exp`, `json_keys`, `gtid_subset`,
			`utl_inaddr\.get_host_\w+`, `utl_http\.request`, `ctxsys\.drithsx\.sn`, `dbms_xmlgen\.getxml`,
			`xmltype`, `sys_eval`, `sys_exec`, `pg_read_file`, `pg_ls_dir`, `lo_import`, `lo_export`,
			`current_setting`, `quote_ident`, `openrowset`, `opendatasource`, `convert_from`, `to_timestamp`,
			`is_srvrolemember`, `has_dbaccess`, `db_name`, `user_name`, `suser_name`, `host_name`,
			`schema_name`, `object_id`, `col_name`, `type_name`, `file_name`, `fn_virtualfilestats`,
			`fn_xe_file_target_read_file`, `fn_get_audit_file`, `master\.\.\w+`,
		)+`)\s*\(`, // error-based and file functions: extractvalue(), updatexml(), load_file(), utl_http.request()
		`\binto\s+(?:out|dump)file\b`, // into outfile, into dumpfile
		`@@(?:version|datadir|hostname|basedir|servername|spid|language|connections)\b`, // @@version, @@datadir, @@hostname
		`\b(?:`+anyOf(
			`xp_cmdshell`, `xp_dirtree`, `xp_fileexist`, `xp_regread`, `xp_servicecontrol`,
			`xp_availablemedia`, `xp_reg\w+`, `sp_executesql`, `sp_oacreate`, `sp_oamethod`,
			`sp_makewebtask`, `sp_addlogin`, `sp_addsrvrolemember`, `sp_password`, `sp_configure`,
			`sp_helpdb`, `sp_who`, `sp_execute_external_script`, `dbms_java`, `dbms_scheduler`,
		)+`)\b`, // MS SQL procedures: xp_cmdshell, sp_executesql, sp_oacreate
		`\bfloor\s*\(\s*rand\s*\(`, // error-based: floor(rand(0)*2)
		`\bexp\s*\(\s*~`,           // error-based overflow: exp(~0)
		// cast(… as int): type-conversion error leaks
		`\bcast\s*\(.{0,80}?\bas\s+(?:int|integer|char|varchar|nvarchar|numeric|signed|unsigned|text|binary|bit|xml|date)\b`,
		`\bconvert\s*\(\s*(?:int|char|varchar|nvarchar|numeric)\b`, // convert(int, …)
		// ascii((select …)), substr(select …): blind extraction
		`\b(?:ascii|ord|hex|unhex|substring|substr|mid|length|len|lower|upper|concat|char|chr|count|left|right|isnull|ifnull|coalesce|nvl)\s*\(\s*\(?\s*select\b`,
		// concat(…, 0x3a, user()), group_concat(table_name)
		`\b(?:group_)?concat(?:_ws)?\s*\((?:[^)]*,){1,}[^)]*\b(?:0x[0-9a-f]+|char\s*\(|@@|user\s*\(|version\s*\(|database\s*\(|schema\s*\(|table_name|column_name)`,
		`\b(?:char|chr|nchar)\s*\(\s*\d+\s*\)\s*(?:\+|\|\||,|&)\s*(?:char|chr|nchar)\s*\(`, // char(65)+char(66), chr(65)||chr(66): string built from codes
		// version(), user()-- : fingerprint call closing the value
		`(?:^|[^.a-z0-9_])(?:version|database|user|current_user|system_user|session_user|schema|@@version)\s*\(\s*\)\s*(?:--|#|/\*|,|\)|=|;|$)`,
		// select @@version, select user(), select count(*) from
		`\bselect\s+(?:@@|version\s*\(|user\s*\(|database\s*\(|schema\s*\(|current_user|system_user|banner\b|pg_sleep|sleep|benchmark|load_file|char\s*\(|concat|count\s*\(\s*\*\s*\)\s+from)`,
		`\bcase\s+when\b.{0,80}?\bthen\b.{0,80}?\belse\b`,                            // case when … then … else
		`\bif\s*\(\s*\(?\s*(?:select|ascii|substr|substring|mid|length|\d+\s*[=<>])`, // if((select …), if(1=1, …): conditional blind
		`\bprocedure\s+analyse\s*\(`,                                                 // MySQL: procedure analyse(
		`\bhaving\s+\d+\s*(?:=|<|>)\s*\d+`,                                           // having 1=1
		`\border\s+by\s+\d+\s*(?:--|#|/\*|;|$|asc|desc)`,                             // order by 3--: column counting
		`\bgroup\s+by\s+.{0,60}?\bhaving\b`,                                          // group by … having
		`\b0x[0-9a-f]{6,}\b.{0,40}?(?:--|#|/\*|\bfrom\b)`,                            // 0x4142434445…-- or from: hex-encoded string literal
		`\blike\s+['"]?%?['"]?\s*(?:--|#)`,                                           // like '%'--
		`\bdbms_\w+\.\w+`,                                                            // Oracle packages: dbms_pipe.receive_message
		`\bsys\.\w+\$`,                                                               // Oracle: sys.user$
		`\bsysdate\s*\(`,                                                             // Oracle: sysdate()
		`\bnull\s*,\s*null\s*,`,                                                      // null,null,: union column padding
		`\b(?:and|or)\s+\d+\s*=\s*\(?\s*select\b`,                                    // and 1=(select …)
		`\b(?:and|or)\s+(?:exists|not\s+exists)\s*\(\s*select\b`,                     // and exists(select …
		`\bexists\s*\(\s*select\b`,                                                   // exists(select …
		`\bselect\s+\*\s+from\b`,                                                     // select * from
		`\bwhere\s+\d+\s*=\s*\d+`,                                                    // where 1=1
		`\b(?:and|or)\s+\(?\s*(?:select|ascii|substr|substring|mid|length|char|ord)\s*\(`, // and ascii(…), or substr(…): blind condition
	))
	reSQLCmt = pats(anyOf(
		`['")]\s*(?:--|#|/\*|;\s*--|;\s*#|;\s*$|;\s*%00)`, // '--, ')#, '/*, ';--, ';%00: quote closed by a comment or semicolon
		`/\*!\d*\s*\w`, // MySQL versioned comment: /*!50000select*/
		`\*/\s*(?:or|and|union|select|from|where)\b`,            // */or, */union: keyword after a comment used as a space
		`\b(?:or|and)\s+(?:\d+|true|false|null)\s*(?:--|#|/\*)`, // or 1--, and true#
		`\bselect\b.{0,80}?(?:--|#|/\*)\s*$`,                    // select … ending in a comment
		`\badmin['"\x60]?\s*(?:--|#|/\*)`,                       // admin'--
		`^\s*\d*['"\x60]\s*\)*\s*(?:--|#|/\*)`,                  // value that is only a quote then a comment: 1'--
	))
	reSQLChain = pats(anyOf(
		// value starting with a condition: and 1=1, id=1 or x is null
		`^\s*(?:[\w.]+\s*=\s*)?['"\x60)]?\s*(?:and|or|xor|&&|\|\|)\s*[(!\s]*['"\x60]?[\w.]*['"\x60]?\s*(?:==?|!=|<>|<=>|<=|>=|<|>|\bis\s+(?:not\s+)?null\b|\blike\b|\bregexp\b)`,
		`[)'"\x60]\s*as\s+['"\x60]?[\w.]+['"\x60]?\s+from\b`, // ) as x from
		// from t where c=, from t group by, from t order by
		`\bfrom\s+[\w.\x60"\[\]]+\s+(?:where\s+[\w.\x60"]+\s*(?:=|<|>|!=|<>|\blike\b|\bin\s*\(|\bis\b)|group\s+by\s+\w|order\s+by\s+\w)`,
		`&sql_delimit`, // &sql_delimit: sqlmap's delimiter
		`\bexec(?:ute)?\s+(?:master\.|xp_|sp_|sys\.)`, // exec master.., exec xp_…, exec sp_…
	))
	reSQLCallStart = pat(`^[\s,(]*(?:` + anyOf(
		`abs`, `acos`, `ascii`, `asin`, `atan2?`, `avg`, `bin`, `bit_and`, `bit_length`, `bit_or`,
		`bit_xor`, `cast`, `ceil`, `ceiling`, `char`, `char_length`, `character_length`, `charindex`,
		`chr`, `coalesce`, `concat`, `concat_ws`, `conv`, `convert`, `cos`, `cot`, `count`, `crc32`,
		`curdate`, `current_date`, `current_time`, `current_timestamp`, `curtime`, `database`, `date_add`,
		`date_format`, `date_sub`, `datediff`, `day`, `dayname`, `decode`, `degrees`, `elt`, `encode`,
		`exp`, `export_set`, `extract`, `extractvalue`, `field`, `find_in_set`, `floor`, `format`,
		`from_base64`, `from_days`, `from_unixtime`, `greatest`, `group_concat`, `hex`, `if`, `ifnull`,
		`inet_aton`, `inet_ntoa`, `insert`, `instr`, `isnull`, `last_insert_id`, `lcase`, `least`, `left`,
		`length`, `ln`, `load_file`, `locate`, `log`, `log10`, `log2`, `lower`, `lpad`, `ltrim`,
		`make_set`, `max`, `md5`, `mid`, `min`, `mod`, `month`, `monthname`, `now`, `nullif`, `oct`,
		`octet_length`, `ord`, `password`, `pi`, `position`, `pow`, `power`, `quote`, `radians`, `rand`,
		`repeat`, `replace`, `reverse`, `right`, `round`, `rpad`, `rtrim`, `schema`, `sha1`, `sha2`,
		`sign`, `sin`, `sleep`, `soundex`, `space`, `sqrt`, `std`, `stddev`, `str_to_date`, `strcmp`,
		`subdate`, `substr`, `substring`, `substring_index`, `sum`, `sysdate`, `tan`, `time_format`,
		`timestamp`, `to_base64`, `to_days`, `trim`, `truncate`, `ucase`, `unhex`, `updatexml`, `upper`,
		`user`, `utc_date`, `uuid`, `variance`, `version`, `week`, `weekday`, `year`, `starts_with`,
		`unistr`, `jsonb_\w+`, `json_\w+`, `pg_\w+`, `regexp_\w+`, `string_agg`, `array_agg`, `listagg`,
		`xmlagg`, `nvl2?`, `decode`, `instrb`, `utl_\w+`,
	) + `)\s*\((?:\s*(?:$|['"\x60@\d(]|\)\s*(?:$|[-#;,)=<>|&+*/])|[\w.]+\s*[,)]|select\b))`)
	reSQLCall = pat(anyOf(
		// group_concat(), extractvalue(), load_file() after a space, comma or paren
		`[\s,(](?:`+anyOf(
			`find_in_set`, `group_concat`, `concat_ws`, `substring_index`, `extractvalue`, `updatexml`,
			`load_file`, `make_set`, `export_set`, `from_base64`, `to_base64`, `str_to_date`, `json_extract`,
			`json_keys`, `starts_with`, `string_agg`, `array_agg`,
		)+`)\s*\(`,
		`['")]\s*::\s*(?:jsonb?|int\d?|integer|text|varchar|bigint|numeric|regclass|oid|bytea|xml|boolean)\b`, // PostgreSQL casts: '1'::int, ')::regclass
		`::\s*jsonb?\s*(?:<@|@>|\?\||\?&|#>>?|->>?)`,                                                          // PostgreSQL json operators: ::jsonb @>, ->>
		`\b\w+\s+as\s+['"\x60][\w ]+['"\x60]\s+from\b`,                                                        // x as 'alias' from
	),
		"find_in_set", "group_concat", "concat_ws", "substring_index", "extractvalue", "updatexml",
		"load_file", "make_set", "export_set", "from_base64", "to_base64", "str_to_date", "json_extract",
		"json_keys", "starts_with", "string_agg", "array_agg", "::", " as ",
	)
	reSQLPhrase = pat(anyOf(
		`\bselect\s+(?:\w+|\*|top\s+\d+|distinct)\s*(?:,\s*\w+\s*)*\bfrom\s+[\w.\[\]"\x60]+`, // select a, b from t, select top 1 from t
		`\border\s+by\s+\d`, // order by 1
		`\bgroup\s+by\s+\d`, // group by 1
		`\b(?:insert\s+into|delete\s+from|drop\s+table|truncate\s+table|alter\s+table|create\s+table)\s+\w`, // insert into t, drop table t, create table t
		`\bunion\s+(?:all\s+)?\(`,                           // union (select … / union all (
		`\bselect\s+.{0,100}?\bwhere\s+\w+\s*(?:=|like|in)`, // select … where c=
	), "select", "order", "group", "insert", "delete", "drop", "truncate", "alter", "create", "union")
)

// sqlVerbs are the hints of patterns that need one of them.
var sqlVerbs = []string{"select", "insert", "update", "delete", "drop", "exec", "declare", "create", "alter", "truncate", "shutdown", "union"}

// Shapes of SQL injection with the literals any match holds.
var (
	reSQLStackMore = []*pattern{
		pat(`['"\x60]\s*;\s*(?:select|insert|update|delete|drop|exec|execute|declare|create|alter|truncate|shutdown|union)\b`, sqlVerbs...), // ';select
	}
	reSQLFuncMore = []*pattern{
		pat(`\b\d+\.e\s*[(.]\s*\w`, ".e"), // 1.e(ascii): MySQL reads 1.e as a number
		pat(`\b\w+\s*::\s*(?:int|int[248]|integer|text|varchar|bigint|numeric|regclass|oid|bytea|boolean)\b`, "::"), // PostgreSQL casts
		pat(`^\s*\)\s*(?:like|rlike|regexp)\s*\(`, "like", "regexp"),                                                // ) like (
		pat(`^\s*(?:drop|truncate|delete|alter|create)\s+(?:table\s+)?[\w.\x60"]+\s*;\s*(?:--|#)`, ";"),             // drop t;--
	}
	reSQLCmtMore = []*pattern{
		pat(`[a-z]/\*\*/[a-z]`, "/**/"), // dr/**/op
		pat(`\b(?:or|and|union|select|sleep|having|admin|drop|insert|delete|update|exec|declare|from|where|into|values|alter|create|truncate)\s*/\*.*?\*/`, "/*"),
		// A value opening with a quote and an SQL verb that no quote closes: 'union a, "drop t.
		pat(`^\s*'\s*(?:union|select|alter|drop|insert|delete|update|exec)\b(?:\s+\w|\s*[/(*])[^']*$`, sqlVerbs...),
		pat(`^\s*"\s*(?:union|select|alter|drop|insert|delete|update|exec)\b(?:\s+\w|\s*[/(*])[^"]*$`, sqlVerbs...),
		// A quoted operand closed, an operator or SQL word, then a comment: x'|email--, id'is not-id--.
		pat(`['"\x60]\s*(?:(?:or|and|not|is|like|glob|collate|mod|div|xor|notnull|isnull|sounds\s+like|regexp|rlike|ilike)\b|[|&^<>=/%+*-])[^'"]{0,40}?(?:--|#)[^'"]{0,10}$`, "--", "#"),
		// JSON operators on a quoted JSON literal: '{"a":1}' -> '$.a'.
		pat(`'[\[{][^']{0,200}'\s*(?:->>?|#>>?|\?[|&]?|@>|<@|<|>)\s*(?:'|array\s*\[)`, "'[", "'{"),
	}
)

// sqli detects SQL injection.
func (s *scan) sqli(in *input) {
	if !in.has(cAlpha | cQuote | cDigit) {
		return
	}
	if in.text {
		s.sqliText(in)
		return
	}
	if in.has(cSpace | cNewline | cParen | cPipe | cAmp | cStar) {
		s.sqlNum(in, in.low)
	}
	sym := in.has(cQuote | cParen | cDash | cHash | cSemi | cEq | cStar | cPipe | cAmp | cLT | cGT | cAt | cComma | cSlash | cBackslash)
	if !sym && !in.hints.has(sqlWordHint.bit) && !(in.has(cColon) && strings.Contains(in.low, "::")) {
		return
	}
	low := in.low
	if in.has(cSlash | cHash | cDash | cNewline) {
		low = s.sqlForm(low)
	}
	if in.kind == kindPath && strings.IndexByte(low, '+') >= 0 {
		// Some servers and frameworks read + in a path as a space.
		low = s.plusAsSpace(low)
	}
	s.spend(len(in.dec)) // libinjection's tokenizer reads the value
	if ok, fp := libinjection.IsSQLi(in.dec); ok && !proseLike(in) && !hyphenedCall(in.dec, fp) {
		s.report(ruleSQLiTokens, in, in.dec)
	}
	text := s.textOnly(in, low)
	if strings.Contains(text, "select") {
		if s.matchRule(ruleSQLiUnion, reSQLUnion, in, text) {
			return
		}
	}
	if in.has(cParen|cQuote) && s.matchRule(ruleSQLiTime, reSQLTime, in, low) {
		return
	}
	if in.has(cQuote|cEq|cLT|cGT|cPipe|cAmp) && s.matchAny(ruleSQLiTaut, reSQLTaut, in, low) {
		return
	}
	if in.has(cEq) || strings.Contains(low, " like ") || in.has(cQuote) && strings.Contains(low, " glob ") {
		if m, ok := sameSides(low); ok {
			s.report(ruleSQLiTaut, in, m)
			return
		}
	}
	if in.has(cSemi) && (s.matchAny(ruleSQLiStack, reSQLStack, in, low) || s.matchAny(ruleSQLiStack, reSQLStackMore, in, low)) {
		return
	}
	if s.matchAny(ruleSQLiFunc, reSQLFunc, in, text) || s.matchAny(ruleSQLiFunc, reSQLFuncMore, in, text) {
		return
	}
	if in.has(cQuote|cDash|cHash|cStar|cSlash|cParen) && (s.matchAny(ruleSQLiCmt, reSQLCmt, in, in.low) || s.matchAny(ruleSQLiCmt, reSQLCmtMore, in, in.low)) {
		return
	}
	if s.matchAny(ruleSQLiChain, reSQLChain, in, text) {
		return
	}
	if s.matchRule(ruleSQLiChain, reSQLCallStart, in, text) || s.matchRule(ruleSQLiChain, reSQLCall, in, text) {
		return
	}
	s.matchRule(ruleSQLiSelect, reSQLPhrase, in, text)
}

// sqlWordHint finds, in the hint pass, the words that start SQL injection
// without symbols ("1 union select null"), for values made of words only.
// Its expression never matches.
var sqlWordHint = pat(`[^\x00-\x{10FFFF}]`,
	"select", "union", "case when", "alter table", "sleep", "waitfor", "benchmark",
	"order by", "group by", "having", "insert", "delete", "drop", "exec", "declare", "shutdown",
	"information_schema", "xp_", "sp_", "dbms_", "utl_", "pg_")

// proseLike reports whether an input reads as a sentence: five words or
// more, mostly letters, and none of the operators and comment marks SQL
// injection needs. libinjection's tokenizer sees SQL in many sentences
// ("Union is strength"); in them only the other rules count.
func proseLike(in *input) bool {
	if in.has(cEq|cHash|cParen|cAt|cPipe|cAmp|cLT|cGT|cStar|cBackslash) || strings.Contains(in.low, "--") || strings.Contains(in.low, "/*") {
		return false
	}
	words, letters := 0, 0
	inWord := false
	for i := 0; i < len(in.low); i++ {
		c := in.low[i]
		if 'a' <= c && c <= 'z' || c >= 0x80 {
			letters++
			if !inWord {
				words++
			}
			inWord = true
		} else {
			inWord = false
			if c == ' ' {
				letters++
			}
		}
	}
	return words >= 5 && letters*100 >= len(in.low)*85
}

// sqlForm returns v with SQL comments turned into spaces and runs of
// whitespace (including the vertical tab and non-breaking space) folded.
func (s *scan) sqlForm(v string) string {
	if !strings.Contains(v, "/*") && !strings.ContainsAny(v, "\n\r\t\v\f") && !strings.Contains(v, "  ") {
		return v
	}
	start := len(s.buf)
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '/' && i+2 < len(v) && v[i+1] == '*' && v[i+2] == '!' {
			// MySQL runs the inside of /*! … */: keep it.
			i += 3
			for i < len(v) && '0' <= v[i] && v[i] <= '9' {
				i++
			}
			i--
			c = ' '
		} else if c == '*' && i+1 < len(v) && v[i+1] == '/' {
			i++
			c = ' '
		} else if c == '/' && i+1 < len(v) && v[i+1] == '*' {
			end := strings.Index(v[i+2:], "*/")
			if end < 0 {
				i = len(v)
			} else {
				i += 2 + end + 1
			}
			c = ' '
		}
		switch c {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			if space {
				continue
			}
			space = true
			s.buf = append(s.buf, ' ')
			continue
		}
		space = false
		s.buf = append(s.buf, c)
	}
	return s.str(start)
}
