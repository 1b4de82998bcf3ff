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

# auth.wasm is built without inlining (-l): Go's wasm code grows a lot
# with inlining, and this keeps auth.wasm under its 0.9 MB gzip budget
# (see BENCHMARKS.md for the measurements).
WASM_FLAGS := -trimpath -gcflags=all=-l -ldflags='-s -w'

build: js/auth.wasm js/wasm_exec.js
	$(GO) build ./...

js/auth.wasm: $(shell git ls-files '*.go' 2>/dev/null) go.mod go.sum
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o $@ ./wasm
	@echo "auth.wasm: $$(stat -c %s $@) bytes raw, $$(gzip -9c $@ | wc -c) gzip -9"

# Go's own wasm_exec.js (it must match the Go that built auth.wasm), plus
# one line that exports the Go class so bundlers keep the module.
js/wasm_exec.js: go.mod
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $@
	printf '\nexport default globalThis.Go;\n' >> $@

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
