# bench.mk: benchmark targets, included from the root Makefile (paths are
# relative to the repository root, where make runs).

GO ?= go

# Where bench-overhead writes its markdown report, and extra flags for it,
# e.g. OVERHEAD_FLAGS='-rounds 5 -perf bench/results/perf'. The program is built,
# not run with go run, so that perf finds its symbols.
OVERHEAD_OUT   ?= bench/results/overhead.md
OVERHEAD_FLAGS ?=

.PHONY: bench-overhead

# The gateway's overhead: req/s and latency of the app directly, through a
# bare httputil.ReverseProxy and through bulwark guard (about 3.5 minutes).
bench-overhead:
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(GO) build -o bin/bulwark ./cmd/bulwark
	cd bench && $(GO) build -o bin/overhead ./cmd/overhead
	bench/bin/overhead -bulwark bin/bulwark -out $(OVERHEAD_OUT) $(OVERHEAD_FLAGS)
