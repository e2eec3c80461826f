# eval.mk: the detection evaluation, included from the root Makefile
# (paths are relative to the repository root, where make runs).

GO ?= go

# Extra flags for the evaluation, e.g. EVAL_FLAGS='-limit 5000' for a quick
# sample or EVAL_FLAGS='-misses /tmp/misses.jsonl' (see go run ./cmd/eval -h).
EVAL_FLAGS ?=

# Where eval-bulwark writes Bulwark's misses and false positives.
EVAL_MISSES ?= /tmp/bulwark-misses.jsonl

.PHONY: eval eval-bulwark

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
