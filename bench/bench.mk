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

# Where bench-nginx writes its markdown report, and extra flags for it,
# e.g. NGINX_FLAGS='-rounds 5 -connections 64'.
NGINX_OUT   ?= bench/results/nginx.md
NGINX_FLAGS ?=

.PHONY: bench-nginx

# guard with its full default protection next to Debian's nginx with
# ModSecurity 3 and OWASP CRS 3.3 (paranoia level 1), on the same core and
# upstream, for a GET with query parameters and a JSON login POST
# (about 5 minutes on a quiet machine). See docs/benchmarks-nginx.md.
bench-nginx:
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	test -e /usr/lib/nginx/modules/ngx_http_modsecurity_module.so -a -d /usr/share/modsecurity-crs/rules || \
		(apt-get update && apt-get install -y nginx libnginx-mod-http-modsecurity modsecurity-crs)
	$(GO) build -o bin/bulwark ./cmd/bulwark
	cd bench && $(GO) build -o bin/overhead ./cmd/overhead
	bench/bin/overhead nginx -bulwark bin/bulwark -out $(NGINX_OUT) $(NGINX_FLAGS)
