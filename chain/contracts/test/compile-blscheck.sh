#!/usr/bin/env bash
# compile-blscheck.sh compiles the test-only BLSCheck.sol (with ../BLS.sol) into
# chain/testdata/blscheck/BLSCheck.abi|.bin for chain/bls_chain_test.go with
# chain/contracts/compile.js (solc 0.8.37 from npm, the contracts' settings). Separate
# from gen.sh so it never touches the shared bindings.
# Needs node + npm; `go test` needs neither (the artifacts are committed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)" # chain/contracts/test
out="$(cd "$here/../.." && pwd)/testdata/blscheck"
SOLC_VERSION=0.8.37
prefix="${SOLC_PREFIX:-$here}" # node_modules/ there is git-ignored

if ! NODE_PATH="$prefix/node_modules" node -e \
	"process.exit(require('solc').version().startsWith('$SOLC_VERSION+')?0:1)" 2>/dev/null; then
	npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$prefix" "solc@$SOLC_VERSION" >/dev/null
fi
mkdir -p "$out"
NODE_PATH="$prefix/node_modules" SOURCES=test/BLSCheck.sol CONTRACTS=BLSCheck OUT="$out" \
	node "$here/../compile.js"
