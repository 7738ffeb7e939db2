# fluxtf — run `make help` for the targets.

SPECS ?= fixtures/environments
OUT   ?= fixtures/clusters
ENV   ?=
GO    ?= go
BIN   := bin/fluxtf
TOOLS := $(CURDIR)/bin/tools

# Tools the tests and linters run, pinned; `make tools` installs them into
# bin/tools with `go install` (nothing is downloaded at test time). `make
# test` installs only what the tests run (test-tools), `make lint` the
# linters (lint-tools), each saying what it installs.
CONFTEST_VERSION      := v0.71.1
ACTIONLINT_VERSION    := v1.7.12
GOLANGCI_LINT_VERSION := v2.15.0
DEADCODE_VERSION      := v0.53.0

export PATH := $(TOOLS):$(PATH)

.DEFAULT_GOAL := help
.PHONY: help build render check validate test test-race fuzz bench bench-once lint tools test-tools lint-tools pre-commit clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build bin/fluxtf
	$(GO) build -o $(BIN) ./cmd/fluxtf

render: build ## render specs into $(OUT): make render ENV=uat (no ENV: every environment)
	$(BIN) render $(if $(ENV),--env $(ENV),--all) --specs $(SPECS) --out $(OUT)

check: build ## fail if $(OUT) is out of date with $(SPECS) or has deny findings
	$(BIN) check --specs $(SPECS) --out $(OUT) --no-baseline

validate: build ## validate the rendered output with the policies
	$(BIN) validate $(OUT)

# The Rego policy tests run inside go test (policies.TestEmbeddedPolicyTests),
# `fluxtf policy test` in a CLI scenario (policy_test.txtar): not twice here.
# cmd/fluxtf takes about 4 minutes alone on a quiet 2-CPU machine and can
# pass go test's default 10m timeout on a busy one (or under -race): 30m.
test: test-tools build ## run every test: Go tests, CLI scenarios, golden output, Rego policy tests
	FLUXTF_INTEGRATION=1 $(GO) test -timeout 30m ./...

# Under -race cmd/fluxtf takes 12-13 minutes on a quiet 2-CPU machine and
# passed 30m on a loaded one (load 17: a clean-clone CI beside three
# benchmarking branches): 45m.
test-race: test-tools ## run every Go test with the race detector
	$(GO) test -race -timeout 45m ./...

# The same tests with every home-made fast path (YAML parser, emitter,
# policies' input converter, plain kustomizations) through its reference
# library: the output must not change (DEVELOPERS.md, Fast paths). The
# references are slower (krusty above all); 30m as for make test.
.PHONY: test-slow
test-slow: tools build ## run every test again with FLUXTF_SLOW=1 (the fast paths through their reference libraries)
	FLUXTF_INTEGRATION=1 FLUXTF_SLOW=1 $(GO) test -timeout 30m ./...

# Each fuzzer runs for a number of executions, about ten seconds' worth on
# a 2-core machine: a duration (-fuzztime 10s) makes Go 1.26 fail at random
# with "context deadline exceeded" when time runs out while a worker is busy
# (go.dev/issue/75804, fixed in Go 1.27). FUZZTIME=60s (or 100000x)
# overrides every budget, for a longer local run.
FUZZTIME ?=
FUZZ := internal/yamlx:FuzzParse:80000 internal/yamlx:FuzzDecode:80000 internal/yamlx:FuzzMerge:60000 \
        internal/yamlx:FuzzFastParse:60000 internal/yamlx:FuzzFastParseGenerated:100000 internal/yamlx:FuzzResolvePlain:100000 internal/yamlx:FuzzTreeJSON:60000 \
        generator:FuzzLoadSpec:10000 generator:FuzzLoadDefaults:4000 generator:FuzzDefaultsMerge:15000 generator:FuzzMarshal:10000 \
        generator:FuzzKeyLess:20000 generator:FuzzVarJSON:15000 generator:FuzzEmbeddedJSON:15000 \
        internal/manifest:FuzzLoad:15000 internal/manifest:FuzzLoadKustomization:8000 internal/manifest:FuzzDurationShortcut:50000 \
        policies:FuzzInputConverter:15000 policies:FuzzNormalizeURLMatchesRego:3000 internal/safetext:FuzzCommands:20000 internal/kubemeta:FuzzNameScans:100000

fuzz: ## run every Go fuzzer briefly (FUZZTIME=60s for longer); new crashers land in testdata/fuzz
	@set -e; for t in $(FUZZ); do pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; n=$${rest#*:}; \
	  budget=$(FUZZTIME); budget=$${budget:-$${n}x}; echo "== $$pkg $$name ($$budget)"; \
	  $(GO) test ./$$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $$budget; done

BENCH_PKGS := ./generator/ ./internal/manifest/ ./policies/

bench: build test-tools ## Go benchmarks, fluxtf vs conftest and kubeconform, then 10,000 environments under ulimit -n 256 (writes nothing)
	$(GO) test -run '^$$' -bench . -benchmem $(BENCH_PKGS)
	bash bench/compare.sh
	bash bench/scale.sh

bench-once: ## run every Go benchmark once, for what it checks rather than its time (CI)
	$(GO) test -run '^$$' -bench . -benchtime 1x $(BENCH_PKGS)

lint: lint-tools ## golangci-lint with the curated set in .golangci.yml, then deadcode (fails on any unreachable function)
	$(TOOLS)/golangci-lint run ./...
	@out=$$($(TOOLS)/deadcode -test ./...); if [ -n "$$out" ]; then echo "$$out" >&2; echo "deadcode: remove the unreachable functions above" >&2; exit 1; fi

tools: test-tools lint-tools ## install every pinned tool into bin/tools

test-tools: $(TOOLS)/conftest $(TOOLS)/actionlint pre-commit ## install what the tests run: conftest, actionlint, pre-commit (and shellcheck)

lint-tools: $(TOOLS)/golangci-lint $(TOOLS)/deadcode ## install the linters: golangci-lint, deadcode

pre-commit:
	@command -v pre-commit >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing pre-commit and shellcheck (Debian packages) for the hook tests"; \
	    (apt-get install -y -qq pre-commit shellcheck >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq pre-commit shellcheck; }) ; \
	  else echo "pre-commit is missing: install it (apt-get install pre-commit or pip install pre-commit)" >&2; exit 1; fi; }

$(TOOLS)/conftest:
	@echo "installing conftest $(CONFTEST_VERSION) into bin/tools (go install; the conftest compatibility tests run it)"
	GOBIN=$(TOOLS) $(GO) install github.com/open-policy-agent/conftest@$(CONFTEST_VERSION)

$(TOOLS)/actionlint:
	@echo "installing actionlint $(ACTIONLINT_VERSION) into bin/tools (go install; the workflow tests run it)"
	GOBIN=$(TOOLS) $(GO) install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

$(TOOLS)/deadcode:
	@echo "installing deadcode $(DEADCODE_VERSION) into bin/tools (go install; make lint runs it)"
	GOBIN=$(TOOLS) $(GO) install golang.org/x/tools/cmd/deadcode@$(DEADCODE_VERSION)

$(TOOLS)/golangci-lint:
	@echo "installing golangci-lint $(GOLANGCI_LINT_VERSION) into bin/tools (go install, a few minutes the first time; make lint runs it)"
	GOBIN=$(TOOLS) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

clean: ## remove build output and installed tools
	rm -rf bin dist
