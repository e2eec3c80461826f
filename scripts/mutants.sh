#!/usr/bin/env bash
# mutants.sh checks that the tests catch what matters: each mutant below
# flips one important decision of the code (a check not made, a counter
# not reset, a field dropped), and the named test must fail on it. The
# mutants are applied one at a time to a copy of the working tree in a
# temporary directory; the tree itself is never touched.
#
#   scripts/mutants.sh            every mutant
#   scripts/mutants.sh accounts   the mutants whose file path contains "accounts"
#
# A mutant that survives (its test still passes) is a decision no test
# guards: add the assertion, not an exception here. Exit status 1 if any
# survived or could not be applied (the old text is gone: update the list).
# make mutants runs it; make test does not (each mutant is a go test run).
set -u

# mutant FILE OLD NEW PKG TEST: replace the one occurrence of OLD in FILE by
# NEW; go test -run TEST PKG must then fail.
MUTANTS=()
mutant() { MUTANTS+=("$1" "$2" "$3" "$4" "$5"); }

# --- accounts: the failure counters
mutant accounts/counters.go 'delete(c.streak, pairKey{user, ip})' '_ = pairKey{user, ip}' \
	./accounts/ '^TestSuccessfulLoginEndsFailureStreak$'
mutant accounts/counters.go 'v.blockPair = true
		delete(c.streak, k)' 'v.blockPair = true' \
	./accounts/ '^TestPairBlockEndsTheStreak$'
mutant accounts/counters.go 'c.ratioStart, c.attempts, c.failures, c.ratioAlerted = now, 0, 0, false' 'c.ratioStart = now' \
	./accounts/ '^TestFailureRatioStartsOverEachWindow$'

# --- supervise: the restart policy (a clean exit under on-failure ends the run)
mutant supervise/run.go 'case cfg.Restart == RestartOnFailure && !end.exit.failed():
		return true' 'case cfg.Restart == RestartOnFailure && !end.exit.failed():
		return false' \
	./supervise/ '^TestRestartPolicy$'
# --- inspect: libinjection's SQL rule, which alone catches 14 CRS and 69 PATT cases
mutant inspect/sqli.go 's.report(ruleSQLiTokens, in, in.dec)' '_ = ruleSQLiTokens' \
	./inspect/ '^TestCorpus$'

# --- issue 15: what is inspected is what the app gets
mutant guard/target.go "if strings.IndexByte(uri, '#') >= 0 {" 'if false {' \
	./guard/ '^FuzzTarget$'
mutant inspect/middleware.go 'Header: r.Header, Host: r.Host,' 'Header: r.Header,' \
	./inspect/ '^TestMiddlewareSeesHost$'

# --- ship: TLS to the sinks' receivers
mutant ship/tls.go 'InsecureSkipVerify: c.InsecureSkipVerify,' 'InsecureSkipVerify: true,' \
	./ship/ '^TestSinksVerifyTheReceiversCertificate$'
mutant ship/tls.go 't.RootCAs = pool' '_ = pool' \
	./ship/ '^TestSinksVerifyTheReceiversCertificate$'
mutant ship/tls.go 'if t.ServerName == "" {' 'if true {' \
	./ship/ '^TestSinksVerifyTheReceiversCertificate$'

# --- inspect/replay: the access-log and jsonl readers of bulwark inspect
mutant inspect/replay/accesslog.go 'h.Set("User-Agent", fields[4])' '_ = fields[4]' \
	./inspect/replay/ '^TestReadAccessLog$'
mutant inspect/replay/accesslog.go 'h.Set("Referer", fields[3])' '_ = fields[3]' \
	./inspect/replay/ '^TestReadAccessLog$'
mutant inspect/replay/accesslog.go 'if len(fields) >= 5 {' 'if len(fields) > 5 {' \
	./inspect/replay/ '^TestReadAccessLog$'
mutant inspect/replay/accesslog.go 'if c, ok := unhex(s, i); ok {' 'if c, ok := unhex(s, i); ok && false {' \
	./inspect/replay/ '^TestReadAccessLog$'
mutant inspect/replay/accesslog.go 'uri = uri[:i]' '_ = i' \
	./inspect/replay/ '^TestReadAccessLog$'
mutant inspect/replay/accesslog.go 'return Record{NoRequest: true}, nil' 'return Record{}, errAt(1, "no request")' \
	./inspect/replay/ '^TestReadAccessLog$'
mutant inspect/replay/accesslog.go 'return nil, n - len(s),' 'return nil, n - n,' \
	./inspect/replay/ '^TestReadAccessLogErrors$'
mutant inspect/replay/jsonl.go 'h.Add(k, v)' '_, _ = k, v' \
	./inspect/replay/ '^TestReadJSONL$'
mutant inspect/replay/jsonl.go 'Body: []byte(jr.Body)' 'Body: nil' \
	./inspect/replay/ '^TestReadJSONL$'
mutant inspect/replay/jsonl.go 'col = int(max(se.Offset, 1))' 'col = 1' \
	./inspect/replay/ '^TestReadJSONL$'
mutant inspect/replay/reader.go 'rec.ID = strconv.Itoa(r.line)' 'rec.ID = strconv.Itoa(0)' \
	./inspect/replay/ '^TestReadJSONL$'
mutant inspect/replay/reader.go 'rec.Line = r.line' '_ = r.line' \
	./inspect/replay/ '^TestReadGoesOnAfterABadLine$'
mutant inspect/replay/reader.go 'col, err = ce.col, ce.err' 'err = ce.err' \
	./inspect/replay/ '^TestReadAccessLogErrors$'
mutant inspect/replay/reader.go 'if len(line) > r.MaxLine {' 'if false {' \
	./inspect/replay/ '^TestMaxLineCountsNoLineEnding$'
mutant inspect/replay/reader.go '	if r.err != nil {
		return Record{}, r.err
	}' '' \
	./inspect/replay/ '^TestLineTooLongEndsTheInput$'
mutant inspect/replay/reader.go 'max+2)), max+2)' 'max+2)), 1<<30)' \
	./inspect/replay/ '^TestHugeLineBoundedMemory$'

mutant inspect/replay/http.go 'h.Add(k, strings.Trim(v, " \t"))' '_, _ = k, v' \
	./inspect/replay/ '^TestReadHTTP$'
mutant inspect/replay/http.go 'req.Body = body' '_ = body' \
	./inspect/replay/ '^TestReadHTTP$'
mutant inspect/replay/http.go 'req.Host = host' '_ = host' \
	./inspect/replay/ '^TestReadHTTP$'
mutant inspect/replay/http.go "r.line += bytes.Count(body[:got], []byte{'\\n'})" '_ = got' \
	./inspect/replay/ '^TestReadHTTP$'
mutant inspect/replay/http.go 'case size > int64(r.MaxLine):' 'case false:' \
	./inspect/replay/ '^TestReadHTTPErrors$'
mutant inspect/replay/http.go 'if head += len(line); head > r.MaxLine {' 'if head += len(line); false {' \
	./inspect/replay/ '^TestReadHTTPErrors$'
mutant inspect/replay/http.go 'if te := h.Get("Transfer-Encoding"); te != "" {' 'if te := h.Get("Transfer-Encoding"); false {' \
	./inspect/replay/ '^TestReadHTTPErrors$'
mutant inspect/replay/http.go 'min(max(2*cap(line), need), r.MaxLine+2)' 'need' \
	./inspect/replay/ '^TestHugeLineBoundedMemory$'

# --- issue 21: free text judged by the evidence an interpreter needs
mutant inspect/freetext.go '	s.sqliFirstQuote(in)' '	_ = in' \
	./inspect/ '^TestFirstQuoteInCode$'
mutant inspect/freetext.go '		s.jndiCall(in)' '		_ = in' \
	./inspect/ '^TestCodeStillRead$'
mutant inspect/freetext.go '		s.matchAny(ruleCmdShell, reShellInCode, in, in.low)' '		_ = in' \
	./inspect/ '^TestCodeStillRead$'
mutant inspect/freetext.go '	s.valueHead(in)' '	_ = in' \
	./inspect/ '^TestFreeTextStartReadAsValue$'
mutant inspect/textrules.go '	if s.matchRule(ruleCmdSep, reCmdDelayText, in, low) {' '	if false {' \
	./inspect/ '^TestFreeTextDelayCommand$'
mutant inspect/traversal.go 'if strings.Count(path, "../") >= 2 {' 'if strings.Count(path, "../") >= 99 {' \
	./inspect/ '^TestFreeTextSystemPaths$'
mutant inspect/traversal.go 'low = s.shellHeads(low)' 'low = ""' \
	./inspect/ '^TestFreeTextSystemPaths$'
mutant inspect/textrules.go 'reTextClose, in, beforeOwnComment(low))' 'reTextClose, in, low)' \
	./inspect/ '^TestFreeTextDocumentShapes$'
mutant inspect/freetext.go 'if plainTag(t) {' 'if true {' \
	./inspect/ '^TestReadsAsProseFraming$'

# --- watch: the nftables firewall
mutant watch/nft.go '	for _, bl := range blocks {
		b.WriteString(n.element("add", bl))
	}' '	_ = blocks' \
	./watch/ '^TestNFTExpiresInTheKernel$'
mutant watch/nft.go 'timeout = fmt.Sprintf(" timeout %ds", seconds(bl.For))' 'timeout = ""' \
	./watch/ '^TestNFTExpiresInTheKernel$'

# --- audit: what the monitor keeps of a run
mutant audit/monitor.go 'fixed = f.Fixed[len(f.Fixed)-1]' 'fixed = ""' \
	./audit/ '^TestMonitorSnapshots$'

# --- limit: memory given back after a spray
mutant limit/table.go 's.m, s.peak = m, len(m)' '_ = m' \
	./limit/ '^TestSweepShrinks$'

# --- bulwark update --dry-run: lists, runs nothing, records nothing
mutant cmd/bulwark/internal/cli/update.go '	if o.DryRun {
		return
	}
	if _, err := rep.Record(); err != nil {' '	if _, err := rep.Record(); err != nil {' \
	./cmd/bulwark/ '^TestScript$/^update_dryrun$'

mutant update/update.go 'if !o.DryRun && len(all) > 0 {' 'if len(all) > 0 {' \
	./cmd/bulwark/ '^TestScript$/^update_dryrun$'

# --- accounts: the login and response bodies read for the user name and success
mutant accounts/extract.go '		tok = pointerUnescaper.Replace(tok)' '' \
	./accounts/ '^FuzzParseBody$'
mutant accounts/extract.go 'spec = "/" + escapePointer(spec)' 'spec = "/" + spec' \
	./accounts/ '^FuzzParseBody$'
mutant accounts/extract.go 'return err == nil && f != 0' 'return err == nil && f == f' \
	./accounts/ '^TestBodyTruthy$'

# --- watch: each login attempt of a followed log published once, and the
# position kept across a restart
mutant watch/watcher.go '			w.opts.Publish(attemptEvent(a, s))' '			w.opts.Publish(attemptEvent(a, s))
			w.opts.Publish(attemptEvent(a, s))' \
	./watch/ '^TestWatcherEventsAndRestart$'
mutant watch/watcher.go '		w.pending[s.name()] = at' '		_ = at' \
	./watch/ '^TestWatcherEventsAndRestart$'

# --- alert: a short-lived command's Flush waits for a group flushed but
# not yet stored (CI saw audit --monitor exit with its webhook told nothing)
mutant alert/flush.go 'if g.unstored || !g.nextFlush.After(t) {' 'if !g.nextFlush.After(t) {' \
	./alert/ '^TestFlushWaitsForTheStore$'

# --- limit: refusals from the local copy of Redis's counts, and only Redis
# lets a request through
mutant limit/limiter.go 'if d, refused := l.refusedLocally(checks, ip, now); refused {' 'if d, refused := l.refusedLocally(checks, ip, now); refused && false {' \
	./limit/ '^TestRedisRefusedLocally$'
mutant limit/limiter.go '		if v := c.rule.peek(c.key, now); !v.ok {' '		if v := c.rule.peek(c.key, now); v.ok {' \
	./limit/ '^TestRedisRefusedLocally$'

# --- accounts: a pair block learnt from Redis is kept, so the guesses that
# go on against it cost no round trip
mutant accounts/middleware.go '				if err := w.pairs.block(r.Context(), a.user, a.ip, until); err != nil {' '				if err := error(nil); false {' \
	./accounts/ '^TestSharedPairBlockKeptLocally$'

# --- console: a copied store's gateway takes a new fleet instance id
mutant console/fleet.go '		if err != nil || holder == "" {
			return inst, nil' '		if err != nil || holder == "" || true {
			return inst, nil' \
	./console/ '^TestJoinFleetCopiedStore$'

# -----------------------------------------------------------------------

filter=${1:-}
root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel) || exit 2
tmp=$(mktemp -d /tmp/bulwark-mutants.XXXXXX) || exit 2
# The copy is not beside ../shared: point the corpus tests at it, and make
# a missing real part fail (as in CI) rather than skip, so no mutant
# survives a test that did not run.
if [[ -z ${BULWARK_CORPUS:-} && -d $root/../shared/corpus ]]; then
	export BULWARK_CORPUS=$root/../shared/corpus
fi
export CI=true
trap 'rm -rf "$tmp"' EXIT
# The working tree as it is (tracked and untracked files, not ignored ones).
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$tmp" || exit 2
cd "$tmp" || exit 2

runtest() { # PKG TEST LOG
	go test -count=1 -run "$2" "$1" >"$3" 2>&1
}

declare -A baseline
survived=0 killed=0 broken=0
for ((i = 0; i < ${#MUTANTS[@]}; i += 5)); do
	file=${MUTANTS[i]} old=${MUTANTS[i+1]} new=${MUTANTS[i+2]} pkg=${MUTANTS[i+3]} test=${MUTANTS[i+4]}
	[[ -z $filter || $file == *"$filter"* ]] || continue
	# Named by the first line of OLD that NEW does not keep.
	o=${old%%$'\n'*}
	while IFS= read -r l; do
		if [[ $new != *"$l"* ]]; then o=$l; break; fi
	done <<<"$old"
	n=${new%%$'\n'*}
	name="$file: ${o#"${o%%[![:space:]]*}"} -> ${n#"${n%%[![:space:]]*}"}"
	log=$tmp/.mutant.log
	# The test must pass on the code as it is, or its failure proves nothing.
	if [[ -z ${baseline[$pkg $test]:-} ]]; then
		if runtest "$pkg" "$test" "$log"; then baseline[$pkg $test]=ok; else baseline[$pkg $test]=fail; fi
		if [[ ${baseline[$pkg $test]} == fail ]]; then sed 's/^/    /' "$log" | tail -20; fi
	fi
	if [[ ${baseline[$pkg $test]} == fail ]]; then
		echo "BROKEN   $name ($test fails without the mutant)"
		broken=$((broken + 1))
		continue
	fi
	orig=$(<"$file")$'\n'
	if [[ $(grep -cF -- "${old%%$'\n'*}" "$file") -lt 1 || ${orig/"$old"/} == "$orig" ]]; then
		echo "STALE    $name (old text not found)"
		broken=$((broken + 1))
		continue
	fi
	rest=${orig#*"$old"}
	if [[ $rest == *"$old"* ]]; then
		echo "STALE    $name (old text found more than once)"
		broken=$((broken + 1))
		continue
	fi
	printf '%s' "${orig/"$old"/"$new"}" >"$file"
	runtest "$pkg" "$test" "$log"
	status=$?
	printf '%s' "$orig" >"$file"
	if grep -qE '\[build failed\]|\[setup failed\]' "$log"; then
		echo "BROKEN   $name (does not build)"
		sed 's/^/    /' "$log" | head -10
		broken=$((broken + 1))
	elif ((status == 0)); then
		echo "SURVIVED $name ($test $pkg passed)"
		survived=$((survived + 1))
	else
		echo "killed   $name"
		killed=$((killed + 1))
	fi
done
echo "mutants: $killed killed, $survived survived, $broken stale or broken"
((survived == 0 && broken == 0))
