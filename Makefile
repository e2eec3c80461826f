# Bulwark's two everyday commands are "make demo" and "make test".

GO      ?= go
BIN     := bin/bulwark
APP     := examples/express-app
PARITY  := headers/testdata/helmet-parity
REGISTRY := internal/release/testdata/verdaccio

.PHONY: release all build test test-go test-node deps demo demo-attack bench fuzz mutants clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/bulwark

# npm dependencies, installed from the committed lockfiles (idempotent).
deps: $(APP)/node_modules/.package-lock.json $(PARITY)/node_modules/.package-lock.json routes/testdata/express/v4/node_modules/.package-lock.json
deps: $(REGISTRY)/node_modules/.package-lock.json

%/node_modules/.package-lock.json: %/package-lock.json
	npm ci --prefix $* --no-audit --no-fund
	touch $@

# The whole test suite, as CI runs it.
test: deps test-go test-node

# -short skips the corpus measurements and the heap bounds under the race
# detector, where they take ten times as long or measure its own memory; they
# run without it right after.
test-go:
	$(GO) vet ./...
	$(GO) test -race -short -count=1 ./...
	$(GO) test -count=1 -run 'Corpus|Hints|Windows|PlacesLinear|SQLNumLinear' ./inspect/  # skipped under -short: the corpora, windows over them, linear time
	$(GO) test -count=1 -run '^(TestHeapBounded1M|TestSweepShrinks)$$' ./limit/  # the heap bounds, measured without -race
	$(GO) test -count=1 -short -run '^TestExpressApp$$' ./update/  # too slow under -race, which skips it
	$(GO) test -count=1 ./internal/release/  # the release built twice, the npm packages installed from a local registry: not under -short
	$(MAKE) --no-print-directory fuzz FUZZTIME=5000x FUZZPKGS="./inspect ./guard"

test-node:
	npm test --prefix $(APP)

# The example app behind bulwark guard: http://127.0.0.1:8080 (state in
# .demo/). Only the app's npm packages: the test-only ones are not needed.
demo: build $(APP)/node_modules/.package-lock.json
	scripts/demo.sh

# An attacker (203.0.113.66, through a header the demo trusts) against a
# running make demo: it gets banned, alerted on and shown in the console.
demo-attack: build
	scripts/demo-attack.sh

# Short fuzzing of every parser of untrusted input: each Fuzz target of
# FUZZPKGS for FUZZTIME. make test runs the detection engine's (the
# normaliser, every body parser and decoder) and the gateway's
# request-target parse for 5,000 runs each: a count,
# not a duration, which go test -fuzz can end with a spurious "context
# deadline exceeded" on a busy machine.
FUZZTIME ?= 15s
FUZZPKGS ?= ./...
fuzz:
	for p in $$($(GO) list $(FUZZPKGS)); do \
		for f in $$($(GO) test -list '^Fuzz' $$p | grep ^Fuzz); do \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$p || exit 1; \
		done; \
	done

# Each mutant of scripts/mutants.sh flips one decision of the code (a check
# not made, a counter not reset, a field dropped) in a copy of the tree; the
# test named with it must fail. Not part of make test: it runs go test once
# per mutant (about 3 minutes). MUTANTS=accounts runs those of one path.
mutants:
	scripts/mutants.sh $(MUTANTS)

-include bench/bench.mk
-include bench/eval.mk
-include bench/audit.mk

bench: bench-overhead bench-nginx

# Release archives, CycloneDX SBOMs, npm packages and SHA256SUMS for every
# platform into dist/, reproducibly (docs/install.md). VERSION=v1.2.3 to
# stamp a version other than git's; PLATFORMS=linux/amd64,... for fewer.
release:
	rm -rf dist
	$(GO) run ./internal/release/cmd/release -dist dist $(if $(VERSION),-version $(VERSION)) $(if $(PLATFORMS),-platforms $(PLATFORMS))
	cd dist && sha256sum -c --quiet SHA256SUMS

clean:
	rm -rf bin .demo
