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
# 500-package package-lock.json against 150,000 npm advisories and a
# 200-requirement go.mod against the Go corpus; rewrites the figures in
# $(AUDIT_OUT) (about 2 minutes on 2 cores, plus the first osv-scanner build).
bench-audit:
	command -v /usr/bin/time >/dev/null || (apt-get update && apt-get install -y time)
	mkdir -p $(AUDIT_TOOLS)
	test -x $(AUDIT_TOOLS)/osv-scanner || GOBIN=$(abspath $(AUDIT_TOOLS)) $(GO) install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.5.0
	$(GO) build -o $(AUDIT_TOOLS)/bulwark ./cmd/bulwark
	cd bench && $(GO) build -o $(abspath $(AUDIT_TOOLS))/auditbench ./cmd/auditbench
	$(AUDIT_TOOLS)/auditbench -osv-scanner $(AUDIT_TOOLS)/osv-scanner -bulwark $(AUDIT_TOOLS)/bulwark \
		-corpus ../shared/corpus -runs $(AUDIT_RUNS) -out $(AUDIT_OUT) $(AUDIT_FLAGS)
