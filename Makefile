# Nhost Auth in Go/WebAssembly. `make help` lists the targets.
SHELL := /bin/bash
GO ?= go

.PHONY: help build test test-go lint generate bench size demo emulator

help:
	@echo "make demo      - run the demo: the emulator with the --dev profile on http://127.0.0.1:4000"
	@echo "make test      - the whole test suite (what CI runs)"
	@echo "make emulator  - build the emulator binary into bin/"
	@echo "make build     - build every package, natively and for js/wasm"
	@echo "make lint      - gofmt + go vet + generated code up to date"
	@echo "make generate  - regenerate the reflection-free JSON codec"
	@echo "make bench     - Go benchmarks (results go to BENCHMARKS.md by hand)"
	@echo "make size      - per-package code size of the core in a wasm build"

# auth.wasm and wasm_exec.js; the flags live in tools/buildwasm.
build:
	$(GO) build ./...
	$(GO) run ./tools/buildwasm -out js
	@echo "auth.wasm: $$(stat -c %s js/auth.wasm) bytes raw, $$(gzip -9c js/auth.wasm | wc -c) gzip -9, $$(brotli -q 11 -c js/auth.wasm 2>/dev/null | wc -c) brotli"

generate:
	cd core && $(GO) generate ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./core/...

test-go:
	$(GO) test -count=1 ./...

test: lint test-go

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...
	$(GO) test -run '^$$' -bench . -benchtime 3s ./emulator/...

emulator:
	$(GO) build -o bin/nhost-auth-emulator ./emulator/cmd/nhost-auth-emulator

DEMO_PORT ?= 4000
demo:
	@mkdir -p .cache
	$(GO) run ./emulator/cmd/nhost-auth-emulator --dev --port $(DEMO_PORT) --db .cache/demo.db

size:
	@mkdir -p .cache
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o .cache/coresize.wasm ./tools/coresize
	GOOS=js GOARCH=wasm $(GO) build -trimpath -o .cache/coresize-names.wasm ./tools/coresize
	@echo "coresize.wasm: $$(stat -c %s .cache/coresize.wasm) bytes raw, $$(gzip -9c .cache/coresize.wasm | wc -c) gzip -9"
	$(GO) run ./tools/wasmsize -top 15 .cache/coresize-names.wasm
