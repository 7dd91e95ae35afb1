#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: the S3 clients
# the end-to-end tests drive, Chromium for the console test, the Go modules, and geth (for the settlement
# tests against a real EVM node). Idempotent: does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=()
[ -x /usr/bin/aws ] || pkgs+=(awscli)
[ -x /usr/bin/rclone ] || pkgs+=(rclone)
[ -x /usr/bin/restic ] || pkgs+=(restic)
[ -x /usr/bin/s3cmd ] || pkgs+=(s3cmd)
[ -x /usr/bin/chromium ] || pkgs+=(chromium) # the console's browser test
/usr/bin/python3 -c 'import boto3' >/dev/null 2>&1 || pkgs+=(python3-boto3)
if [ ${#pkgs[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing Debian packages: ${pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
go mod download

# geth, at the go-ethereum version go.mod pins (the chain client is built against it).
gopath_bin="$(go env GOPATH | cut -d: -f1)/bin" # where the tests look, besides PATH
if command -v geth >/dev/null 2>&1; then
  echo "geth: found $(command -v geth)"
elif [ -x "$gopath_bin/geth" ]; then
  echo "geth: found $gopath_bin/geth"
else
  geth_version="$(go list -m -f '{{.Version}}' github.com/ethereum/go-ethereum)"
  echo "geth: installing github.com/ethereum/go-ethereum/cmd/geth@$geth_version into $gopath_bin (a few minutes)"
  GOBIN="$gopath_bin" go install "github.com/ethereum/go-ethereum/cmd/geth@$geth_version"
fi
