module github.com/nhost-auth-wasm/sdk

go 1.26
