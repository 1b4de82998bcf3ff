# Nhost Auth in Go/WebAssembly. `make help` lists the targets.
SHELL := /bin/bash
GO ?= go

.PHONY: help build test test-go test-wasm deps lint generate bench bench-compare size demo emulator

help:
	@echo "make demo      - run the demo: the page (:3000), the emulator (:4000), a GitHub/Google stand-in (:4100); other ports if taken"
	@echo "make test      - the whole test suite (what CI runs)"
	@echo "make emulator  - build the emulator binary into bin/"
	@echo "make build     - build every package, natively and for js/wasm"
	@echo "make lint      - gofmt + go vet + generated code up to date"
	@echo "make generate  - regenerate the JSON codec, types.d.ts and the surface (spec/surface)"
	@echo "make bench     - Go and browser benchmarks (results go to BENCHMARKS.md by hand)"
	@echo "make bench-compare - side by side with @nhost/nhost-js 4.7.0 (Chromium and Node)"
	@echo "make size      - per-package code size of the core in a wasm build"

# auth.wasm and wasm_exec.js; the flags live in tools/buildwasm.
build:
	$(GO) build ./...
	$(GO) run ./tools/buildwasm -out js
	$(GO) run ./tools/buildjs -dir js
	@echo "auth.wasm: $$(stat -c %s js/auth.wasm) bytes raw, $$(gzip -9c js/auth.wasm | wc -c) gzip -9, $$(brotli -q 11 -c js/auth.wasm 2>/dev/null | wc -c) brotli"

generate:
	cd core && $(GO) generate ./...
	$(GO) run ./tools/gendts -out js/types.d.ts core/types.go core/enums.go
	$(GO) run ./tools/gensurface

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./core/... ./jsbridge/... ./webauthn/... ./wasm/...

# What the tests need beyond Go: Chromium (Debian's package) for the
# browser tests, and wasmbrowsertest, built from its own small module
# (tools/wasmbrowsertest) so its old chromedp stays out of ours.
BIN := $(CURDIR)/.cache/bin
WASM_EXEC := $(BIN)/go_js_wasm_exec
# The SMTP sink of the emulator's mail tests (it has an HTTP API to read mail).
MAILPIT_VERSION := v1.33.1
MAILPIT := $(BIN)/mailpit

deps: $(WASM_EXEC) $(MAILPIT)
	@command -v chromium >/dev/null || { \
		echo "installing chromium and chromium-driver (Debian packages)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null || \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "Node.js >= 20 and npm are required"; exit 1; }

$(MAILPIT):
	@mkdir -p $(BIN)
	GOBIN=$(BIN) $(GO) install github.com/axllent/mailpit@$(MAILPIT_VERSION)

$(WASM_EXEC): tools/wasmbrowsertest/go.mod tools/wasmbrowsertest/go.sum
	@mkdir -p $(BIN)
	cd tools/wasmbrowsertest && $(GO) build -o $(WASM_EXEC) github.com/agnivade/wasmbrowsertest

test-go: deps
	$(GO) test -count=1 -timeout 20m ./...

# jsbridge and webauthn run in headless Chromium through wasmbrowsertest.
test-wasm: deps
	GOOS=js GOARCH=wasm $(GO) test -count=1 -timeout 10m -exec=$(WASM_EXEC) ./jsbridge/... ./webauthn/...

test: lint test-go test-wasm

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./core/...
	$(GO) test -run '^$$' -bench . -benchtime 3s ./emulator/...
	$(GO) test -run '^$$' -bench . -benchtime 20x ./e2e/

# Side by side with @nhost/nhost-js 4.7.0 in one run (results: BENCHMARKS.md).
bench-compare: deps
	@command -v brotli >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq brotli >/dev/null; }
	BENCH_COMPARE=1 $(GO) test -count=1 -run '^TestBenchCompare$$' -v -timeout 60m ./e2e/ | tee .cache/bench-compare.log

emulator:
	$(GO) build -o bin/nhost-auth-emulator ./emulator/cmd/nhost-auth-emulator

# The demo: the page, the emulator and the identity provider stand-in; Ctrl-C stops them.
demo: build
	$(GO) build -o bin/demo ./examples/web && exec bin/demo

size:
	@mkdir -p .cache
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o .cache/coresize.wasm ./tools/coresize
	GOOS=js GOARCH=wasm $(GO) build -trimpath -o .cache/coresize-names.wasm ./tools/coresize
	@echo "coresize.wasm: $$(stat -c %s .cache/coresize.wasm) bytes raw, $$(gzip -9c .cache/coresize.wasm | wc -c) gzip -9"
	$(GO) run ./tools/wasmsize -top 15 .cache/coresize-names.wasm
