// compile.js compiles every *.sol in this folder (or the SOURCES given, paths relative
// to it) with the solc npm package (solcjs) through Standard JSON, and writes
// <OUT>/<Contract>.abi and .bin (OUT defaults to build/) for each contract named in
// CONTRACTS. Run by `make contracts` and test/compile-blscheck.sh; not needed by `go build`.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const dir = __dirname;
const out = process.env.OUT || path.join(dir, 'build');
const files = process.env.SOURCES
  ? process.env.SOURCES.split(/\s+/).filter(Boolean)
  : fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort();
const sources = {};
for (const f of files) {
  sources[f] = { content: fs.readFileSync(path.join(dir, f), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    // cancun: accepted by geth's simulated backend, geth --dev and current EVM chains.
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
fs.mkdirSync(out, { recursive: true });
const wanted = (process.env.CONTRACTS || 'MemoToken Registry Settlement').split(/\s+/);
for (const file of Object.keys(res.contracts)) {
  for (const [name, c] of Object.entries(res.contracts[file])) {
    if (!wanted.includes(name)) continue;
    fs.writeFileSync(path.join(out, name + '.abi'), JSON.stringify(c.abi) + '\n');
    fs.writeFileSync(path.join(out, name + '.bin'), c.evm.bytecode.object + '\n');
    console.log('compiled ' + name + ' (' + c.evm.bytecode.object.length / 2 + ' bytes)');
  }
}
console.log('solc ' + solc.version());
