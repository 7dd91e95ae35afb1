#!/usr/bin/env bash
# Runs the erasure-coding micro-benchmarks and the end-to-end S3 benchmark
# (a gateway process before six Provider processes, 4+2, 64 MiB objects, four
# concurrent clients) and prints a markdown table. Called by `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

out=$(mktemp)
trap 'rm -f "$out"' EXIT
{
  $GO test -run '^$' -bench . -benchtime 1s ./erasure
  $GO test -run '^$' -bench 'BenchmarkE2E$' -benchtime 4x -timeout 20m ./test
  $GO test -run '^$' -bench 'BenchmarkE2ESmall' -benchtime 2s -timeout 20m ./test
} 2>&1 | tee "$out" >&2

echo
awk '
  BEGIN { print "| benchmark | MB/s | ops/s | gateway peak MiB |"; print "|---|---:|---:|---:|" }
  /^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
    mbs = "-"; ops = "-"; peak = "-"
    for (i = 2; i <= NF; i++) {
      if ($i == "MB/s") mbs = $(i-1)
      if ($i == "ops/s") ops = $(i-1)
      if ($i == "gateway-peak-MiB") peak = $(i-1)
    }
    printf "| %s | %s | %s | %s |\n", name, mbs, ops, peak
  }
' "$out"
grep -q '^FAIL\|^--- FAIL' "$out" && { echo "benchmarks failed" >&2; exit 1; }
exit 0
