#!/usr/bin/env bash
# compile-blscheck.sh compiles the test-only BLSCheck.sol (with ../BLS.sol) into
# chain/testdata/blscheck/BLSCheck.abi|.bin for chain/bls_test.go, with the settings of
# chain/contracts/compile.js (solc 0.8.37 from npm, Standard JSON, optimizer 200 runs,
# evmVersion cancun). Separate from gen.sh so it never touches the shared bindings.
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
NODE_PATH="$prefix/node_modules" CONTRACTS_DIR="$(cd "$here/.." && pwd)" OUT="$out" node - <<'JS'
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const dir = process.env.CONTRACTS_DIR; // sources are named relative to chain/contracts
const input = {
  language: 'Solidity',
  sources: { 'test/BLSCheck.sol': { content: fs.readFileSync(path.join(dir, 'test/BLSCheck.sol'), 'utf8') } },
  settings: {
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
function findImports(p) {
  const full = path.join(dir, p);
  if (fs.existsSync(full)) return { contents: fs.readFileSync(full, 'utf8') };
  return { error: 'not found: ' + p };
}
const res = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
let failed = false;
for (const e of res.errors || []) {
  console.error(e.formattedMessage || e.message);
  if (e.severity === 'error') failed = true;
}
if (failed) process.exit(1);
const c = res.contracts['test/BLSCheck.sol'].BLSCheck;
fs.writeFileSync(path.join(process.env.OUT, 'BLSCheck.abi'), JSON.stringify(c.abi) + '\n');
fs.writeFileSync(path.join(process.env.OUT, 'BLSCheck.bin'), c.evm.bytecode.object + '\n');
console.log('compiled BLSCheck (' + c.evm.bytecode.object.length / 2 + ' bytes) with solc ' + solc.version());
JS
