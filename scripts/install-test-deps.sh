#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: the S3 clients
# the end-to-end tests drive, and the Go modules. Idempotent: does nothing that
# is already done.
set -euo pipefail

pkgs=()
[ -x /usr/bin/aws ] || pkgs+=(awscli)
[ -x /usr/bin/rclone ] || pkgs+=(rclone)
[ -x /usr/bin/restic ] || pkgs+=(restic)
[ -x /usr/bin/s3cmd ] || pkgs+=(s3cmd)
/usr/bin/python3 -c 'import boto3' >/dev/null 2>&1 || pkgs+=(python3-boto3)
if [ ${#pkgs[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing Debian packages: ${pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
go mod download
