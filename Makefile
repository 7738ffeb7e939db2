# fluxtf — run `make help` for the targets.

SPECS ?= fixtures/environments
OUT   ?= fixtures/clusters
ENV   ?=
GO    ?= go
BIN   := bin/fluxtf

.DEFAULT_GOAL := help
.PHONY: help build render check validate test test-race policy-test bench lint fuzz clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build bin/fluxtf
	$(GO) build -o $(BIN) ./cmd/fluxtf

render: build ## render specs into $(OUT): make render ENV=uat (no ENV: every environment)
	$(BIN) render $(if $(ENV),--env $(ENV),--all) --specs $(SPECS) --out $(OUT)

check: build ## fail if $(OUT) is out of date with $(SPECS)
	$(BIN) render $(if $(ENV),--env $(ENV),--all) --specs $(SPECS) --out $(OUT) --check

test: ## run every test (Go tests, CLI scripts, golden output)
	$(GO) test ./...

test-race: ## run every test with the race detector
	$(GO) test -race ./...

clean: ## remove build output
	rm -rf bin dist
