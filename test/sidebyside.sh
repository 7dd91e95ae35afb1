#!/usr/bin/env bash
# Side-by-side benchmark: a MEFS devnet (gateway, 6 Providers, chain, 4+2)
# and MinIO on a 4-drive erasure set, both on this machine, run the same
# workloads interleaved (test/sidebyside). Called by `make bench`.
#
# MinIO is built from its module once (GOBIN cache, never a dependency of
# this module) and reused. Take figures on a quiet machine only.
#   BENCH_WARMUP   seconds both servers run before timing (default 300)
#   BENCH_ROUNDS   rounds of every workload (default 3)
#   BENCH_SCALE    multiplies object counts (default 1; 0.1 for a quick check)
#   BENCH_ONLY     run only workloads whose name contains this
#   BENCH_CACHE    where the MinIO binary is kept (default ~/.cache/mefs-bench)
#   BENCH_GOMAXPROCS  GOMAXPROCS of both servers (default: all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
WARMUP=${BENCH_WARMUP:-300}
CACHE=${BENCH_CACHE:-$HOME/.cache/mefs-bench}
mkdir -p "$CACHE"
if [ ! -x "$CACHE/minio" ]; then
  echo "building MinIO $MINIO_VERSION into $CACHE (a few minutes, once)" >&2
  (cd "$(mktemp -d)" && GOBIN="$CACHE" GOFLAGS=-mod=mod $GO install "github.com/minio/minio@$MINIO_VERSION")
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
$GO build -o "$work/mefs" ./cmd/mefs
$GO build -o "$work/sidebyside" ./test/sidebyside

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
[ -n "${BENCH_GOMAXPROCS:-}" ] && export GOMAXPROCS=$BENCH_GOMAXPROCS

"$work/mefs" devnet --dir "$work/devnet" --s3 "127.0.0.1:$(port)" --providers 6 --ec 4+2 \
  --log-level warn >"$work/mefs.log" 2>&1 &
mefs_pid=$!; pids+=("$mefs_pid")
minio_port=$(port)
mkdir -p "$work"/minio/d{1..4}
MINIO_CI_CD=1 MINIO_ROOT_USER=benchadmin MINIO_ROOT_PASSWORD=benchsecret123 \
  "$CACHE/minio" server --quiet --address "127.0.0.1:$minio_port" --console-address "127.0.0.1:$(port)" \
  "$work/minio/d{1...4}" >"$work/minio.log" 2>&1 &
minio_pid=$!; pids+=("$minio_pid")
t0=$(date +%s)

for _ in $(seq 600); do
  [ -s "$work/devnet/devnet.json" ] && curl -sf "http://127.0.0.1:$minio_port/minio/health/live" >/dev/null && break
  kill -0 "$mefs_pid" "$minio_pid" || { cat "$work/mefs.log" "$work/minio.log" >&2; exit 1; }
  sleep 0.5
done
left=$(( WARMUP - ($(date +%s) - t0) ))
if [ "$left" -gt 0 ]; then echo "both servers up; warming up ${left}s more (BENCH_WARMUP)" >&2; sleep "$left"; fi

"$work/sidebyside" -mefs-devnet "$work/devnet/devnet.json" -mefs-pid "$mefs_pid" \
  -minio "http://127.0.0.1:$minio_port" -minio-key benchadmin:benchsecret123 -minio-pid "$minio_pid" \
  -rounds "${BENCH_ROUNDS:-3}" -scale "${BENCH_SCALE:-1}" -only "${BENCH_ONLY:-}"
echo "($(date -u +%F), $(nproc) cores, $(uname -m), GOMAXPROCS=${GOMAXPROCS:-all}; both servers up ≥ ${WARMUP}s)"
