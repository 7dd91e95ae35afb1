# MEFS — see README.md.
GO      ?= go
BIN     ?= bin/mefs
TIMEOUT ?= 30m

.PHONY: all build test test-deps test-long bench bench-micro bench-side lint devnet clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/mefs

# test installs what the tests need, then runs every test. -count=1: the
# end-to-end tests build and run the mefs binary, which go test's cache does
# not see, so a cached pass could hide a change in cmd/.
test: test-deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout $(TIMEOUT) ./...

test-deps:
	./scripts/install-test-deps.sh

# test-long adds the race detector and longer fuzzing.
test-long: test-deps
	$(GO) test -race -timeout 60m ./...

# bench: micro-benchmarks, then MEFS side by side with MinIO (test/sidebyside.sh;
# BENCH_WARMUP, BENCH_ROUNDS, BENCH_SCALE tune it). Take figures on a quiet machine.
bench: bench-micro bench-side

bench-micro: test-deps
	./test/bench.sh

bench-side:
	./test/sidebyside.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# devnet: S3 on $(S3), admin (console, metrics) on $(ADMIN); e.g.
# make devnet S3=127.0.0.1:9100 ADMIN=127.0.0.1:9101
S3 ?= 127.0.0.1:9000
ADMIN ?= 127.0.0.1:9001
devnet: build
	$(BIN) devnet --dir mefs-devnet --s3 $(S3) --admin $(ADMIN) --providers 6 --ec 4+2

clean:
	rm -rf bin

# contracts recompiles chain/contracts/*.sol (solc from npm, installed into the ignored
# chain/contracts/node_modules) and regenerates the committed build/ and bindings/.
.PHONY: contracts
contracts:
	GO=$(GO) ./chain/contracts/gen.sh
