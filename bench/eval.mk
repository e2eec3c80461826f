# eval.mk: the detection evaluation, included from the root Makefile
# (paths are relative to the repository root, where make runs).

GO ?= go

# Extra flags for the evaluation, e.g. EVAL_FLAGS='-limit 5000' for a quick
# sample or EVAL_FLAGS='-misses /tmp/misses.jsonl' (see go run ./cmd/eval -h).
EVAL_FLAGS ?=

# Where eval-bulwark writes Bulwark's misses and false positives.
EVAL_MISSES ?= /tmp/bulwark-misses.jsonl

.PHONY: eval eval-bulwark eval-docs

# Recall, false positives and cost of Bulwark's engine and Coraza + CRS at
# paranoia levels 1 and 2 on the shared corpora; rewrites the table in
# docs/benchmarks-detection.md (about 5 minutes on 2 cores).
eval:
	cd bench && $(GO) run ./cmd/eval -out ../docs/benchmarks-detection.md $(EVAL_FLAGS)

# Bulwark alone, its misses and false positives written to $(EVAL_MISSES),
# one JSON line each, replayable with bulwark inspect: the engine author's
# loop (under a minute).
eval-bulwark:
	cd bench && $(GO) run ./cmd/eval -engines bulwark -misses $(EVAL_MISSES) $(EVAL_FLAGS)

# Where eval-docs keeps the package tarballs it downloads once, and the
# findings of the requests it blocked.
DOCS_CACHE ?= /tmp/bulwark-docscorpus

# False positives on SQL- and shell-heavy documentation the tests never see
# (npm packages' Markdown, PostgreSQL's SQL manual and shell manuals) posted
# as a blog receives it; needs npm, man-db, groff and postgresql-client
# (see go doc ./cmd/docscorpus). Not part of make test: it reaches the npm
# registry the first time.
eval-docs:
	cd bench && $(GO) run ./cmd/docscorpus -cache $(DOCS_CACHE) -fp $(DOCS_CACHE)/blocked.tsv
