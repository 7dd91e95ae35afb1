#!/usr/bin/env bash
# gen.sh regenerates the committed contract artifacts from the Solidity sources:
#   chain/contracts/build/<Contract>.abi|.bin  (solc 0.8.37 from npm, via compile.js)
#   chain/bindings/<contract>/<contract>.go     (abigen v2 of go-ethereum v1.17.10)
# Needs node + npm and the Go module proxy; `go build` needs neither. Run via `make contracts`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)" # chain/
GO="${GO:-go}"
SOLC_VERSION=0.8.37
GETH_VERSION=v1.17.10
CONTRACTS="MemoToken Registry Settlement"

cd "$here"
if [ "$(node -e "try{console.log(require('solc').version())}catch(e){}" 2>/dev/null)" != "" ] &&
	node -e "process.exit(require('solc').version().startsWith('$SOLC_VERSION+')?0:1)" 2>/dev/null; then
	:
else
	npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$here" "solc@$SOLC_VERSION" >/dev/null
fi
CONTRACTS="$CONTRACTS" node "$here/compile.js"

for c in $CONTRACTS; do
	pkg="$(echo "$c" | tr '[:upper:]' '[:lower:]')"
	mkdir -p "$root/bindings/$pkg"
	"$GO" run "github.com/ethereum/go-ethereum/cmd/abigen@$GETH_VERSION" --v2 \
		--abi "$here/build/$c.abi" --bin "$here/build/$c.bin" \
		--pkg "$pkg" --type "$c" --out "$root/bindings/$pkg/$pkg.go"
	chmod 644 "$root/bindings/$pkg/$pkg.go" # abigen writes 0600
	echo "bound $c -> chain/bindings/$pkg"
done
