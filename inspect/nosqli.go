package inspect

import "strings"

var (
	ruleNoSQLKey   = newRule("bw-nosqli-001", NoSQLi, 5, "MongoDB query operator as a key: {\"$ne\": …}, a[$gt]=")
	ruleNoSQLValue = newRule("bw-nosqli-002", NoSQLi, 5, "NoSQL injection in a value: $where, '; return true, db.collection, this.password")
)

// mongoOperators are the query and aggregation operators an attacker
// sends to change a MongoDB filter.
var mongoOperators = words(`$ne $eq $gt $gte $lt $lte $in $nin $regex $where $exists $expr $or $and $not $nor $elemmatch
	$function $accumulator $jsonschema $text $type $all $size $mod $options $search $comment $lookup $merge $out
	$unionwith $graphlookup $set $unset $push $rename $inc $replacewith $addfields $project $match $group $facet
	$natural $slice $bitsallset $bitsanyset $geowithin $near $where $javascript $eval $code`)

var reNoSQLValue = pat(anyOf(
	// MongoDB operator as a key or value: {"$ne": 1}, [$gt]=, "$regex": "…"
	`[\[{,"']\s*\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|expr|or|and|not|nor|elemmatch|`+ // an operator after a JSON or bracket delimiter,
		`function|accumulator|jsonschema|options|type|comment)\b['"]?\s*`+
		`(?::\s*(?:['"\d{/-]|true|false|null|\[\s*['"\d{])|\]|=)`, // then a value (JSON) or ]= (a bracketed query key)
	`\$where\s*['":]`, // $where: "…"
	`^\s*\$(?:ne|gt|gte|lt|lte|regex|where|exists|nin)\s*$`,                                              // value that is only an operator: $ne, $gt
	`['"]\s*(?:\|\||&&)\s*['"]?\w+['"]?\s*(?:==|!=)`,                                                     // ' || 'a'=='a: JavaScript condition in a $where string
	`['"]\s*;\s*(?:return\s|sleep\s*\(|while\s*\(|var\s|this\.)`,                                         // '; return …, '; sleep(…), '; while(: statement after a quote
	`\bthis\.\w+\.match\s*\(`,                                                                            // this.password.match(: $where probing a field
	`\bdb\.\w+\.(?:find|insert|update|remove|drop|aggregate|deleteone|deletemany|findone|count)\w*\s*\(`, // db.users.find(, db.x.drop(: shell collection call
	`\bdb\.(?:getcollection|dropdatabase|eval|runcommand|getsiblingdb|admincommand)\s*\(`,                // db.getCollection(, db.dropDatabase(, db.eval(
	`\btojson\s*\(\s*this\b`,                                                                             // tojson(this)
	`\bobject\.keys\s*\(\s*this\b`,                                                                       // Object.keys(this)
	`\breturn\s+(?:true|1|this\.\w+)\s*[;}]`,                                                             // return true;, return this.x}
	`\bsleep\s*\(\s*\d{3,}\s*\)`,                                                                         // sleep(5000): timing probe
	`\[\s*\$\w+\s*\]\s*=`,                                                                                // [$ne]=: operator in a bracketed parameter name
	`'\s*\|\|\s*'\d*'\s*==\s*'`,                                                                          // '||'1'=='
	`\bmapreduce\b.{0,40}\bfunction\b`,                                                                   // mapReduce with a function
))

// nosqlKey detects operator keys: a JSON member or a bracketed query key.
func (s *scan) nosqlKey(in *input) {
	if !in.has(cDollar) {
		return
	}
	k := in.low
	for i := 0; i < len(k); i++ {
		if k[i] != '$' || i > 0 && k[i-1] != '[' && k[i-1] != '.' && k[i-1] != ' ' {
			continue
		}
		j := i + 1
		for j < len(k) && ('a' <= k[j] && k[j] <= 'z') {
			j++
		}
		if mongoOperators[k[i:j]] {
			s.report(ruleNoSQLKey, in, k)
			return
		}
	}
}

// nosqlValue detects operators and server-side JavaScript in values.
func (s *scan) nosqlValue(in *input) {
	if !in.has(cDollar|cQuote|cDot|cParen) || in.key {
		return
	}
	if in.has(cDollar) || strings.Contains(in.low, "this") || strings.Contains(in.low, "db.") ||
		strings.Contains(in.low, "return") || strings.Contains(in.low, "sleep") || in.has(cPipe|cAmp) && in.has(cQuote) {
		s.matchRule(ruleNoSQLValue, reNoSQLValue, in, s.lowerKeepTypes(in))
	}
}

// lowerKeepTypes returns the input in lower case except for words starting
// with a capital after a colon (GraphQL types: "$options: [OptionInput!]"),
// which become "T" so that they cannot read as MongoDB values.
func (s *scan) lowerKeepTypes(in *input) string {
	if !strings.Contains(in.dec, ": [") && !strings.Contains(in.dec, ":[") {
		return in.low
	}
	start := len(s.buf)
	d := in.dec
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c == '[' && i > 0 && (d[i-1] == ':' || d[i-1] == ' ') && i+1 < len(d) && 'A' <= d[i+1] && d[i+1] <= 'Z' {
			s.buf = append(s.buf, '[', 'T')
			i++
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		s.buf = append(s.buf, c)
	}
	if s.str(start) == in.low {
		s.buf = s.buf[:start]
		return in.low // no type: in.low, whose hints are known
	}
	return s.str(start)
}
