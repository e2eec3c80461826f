# audit.mk: bulwark audit side by side with osv-scanner, included from
# the root Makefile or run as make -f bench/audit.mk (paths are relative
# to the repository root, where make runs).

GO ?= go

# osv-scanner v2.5.0 (v2.6.0 needs Go 1.27) is built into a directory of
# its own, never imported: the product does not depend on it.
AUDIT_TOOLS ?= /tmp/bulwark-auditbench-bin
AUDIT_RUNS  ?= 5
AUDIT_OUT   ?= docs/benchmarks-audit.md
AUDIT_FLAGS ?=

.PHONY: bench-audit

# Builds bulwark and osv-scanner, then measures both offline on a
# 500-package package-lock.json against 150,000 npm advisories, a
# 200-requirement go.mod against the Go corpus, and one lockfile of every
# other format (pnpm v9 and v5.4, yarn v1 and berry, composer.lock,
# Cargo.lock, Gemfile.lock, poetry.lock, requirements.txt; 600-1,500
# packages, generated to the real formats' shape) against its ecosystem's
# database; rewrites the figures in $(AUDIT_OUT) (about 10 minutes on 2
# cores, plus the first osv-scanner build). AUDIT_FLAGS="-only pnpm"
# measures only the cases whose name holds "pnpm".
bench-audit:
	command -v /usr/bin/time >/dev/null || (apt-get update && apt-get install -y time)
	mkdir -p $(AUDIT_TOOLS)
	test -x $(AUDIT_TOOLS)/osv-scanner || GOBIN=$(abspath $(AUDIT_TOOLS)) $(GO) install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.5.0
	$(GO) build -o $(AUDIT_TOOLS)/bulwark ./cmd/bulwark
	cd bench && $(GO) build -o $(abspath $(AUDIT_TOOLS))/auditbench ./cmd/auditbench
	$(AUDIT_TOOLS)/auditbench -osv-scanner $(AUDIT_TOOLS)/osv-scanner -bulwark $(AUDIT_TOOLS)/bulwark \
		-corpus ../shared/corpus -runs $(AUDIT_RUNS) -out $(AUDIT_OUT) $(AUDIT_FLAGS)
