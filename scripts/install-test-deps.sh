#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: the S3 clients
# the end-to-end tests drive, and the Go modules. Idempotent: does nothing that
# is already done.
set -euo pipefail

pkgs=()
[ -x /usr/bin/aws ] || pkgs+=(awscli)
if [ ${#pkgs[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing Debian packages: ${pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
go mod download
