#!/usr/bin/env bash
# The store gateway, measured (issue #7's performance bars).
# 1. Series latency: `argus store` over a local FILESYSTEM bucket vs `argus server` reading the
#    same blocks from its own data directory (the bar: store within 2x of server). The data:
#    bench/openmetrics_gen's node fleet (SERIES series over HOURS hours every 15 s) cut into 2h
#    blocks by promtool. build/release/bench/storeapi_series asks each endpoint RUNS times
#    (alternating, after a warm-up call each) for every series of a metric name regex over
#    the whole range; the script prints the median of each and the ratio store/server.
# 2. Startup with many blocks: BLOCKS copies of one of those blocks (new ULIDs) in a bucket;
#    `argus store` is started on an empty --data-dir and timed until /-/ready; then its
#    resident memory (VmRSS) and the --data-dir bytes per block (the index-headers) are
#    printed (Thanos documents ~6 MB per block of resident memory). It is then restarted on
#    the same --data-dir (index-headers reused) and timed again.
#
# Usage (from the repo root, after `make build`): bench/compare_store.sh
# Env: SERIES=2000 HOURS=24 RUNS=7 BLOCKS=1000 QUERIES=".+ node_cpu_seconds_total"
#      BUILD=build/release ARGUS=$BUILD/src/cmd/argus TMPDIR=/tmp KEEP=0 READY_TIMEOUT=900
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SERIES=${SERIES:-2000}
HOURS=${HOURS:-24}
RUNS=${RUNS:-7}
BLOCKS=${BLOCKS:-1000}
QUERIES=${QUERIES:-".+ node_cpu_seconds_total"}
BUILD=${BUILD:-build/release}
ARGUS=${ARGUS:-$BUILD/src/cmd/argus}
GEN=${GEN:-$BUILD/bench/openmetrics_gen}
CLIENT=${CLIENT:-$BUILD/bench/storeapi_series}
READY_TIMEOUT=${READY_TIMEOUT:-900}
KEEP=${KEEP:-0}

for bin in "$ARGUS" "$GEN" "$CLIENT" promtool curl; do
  command -v "$bin" >/dev/null || { echo "missing $bin (run make build first)" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/compare_store.XXXXXX")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [[ $KEEP == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# start NAME ARGS...: starts argus with ARGS, waits for /-/ready on the port in $http; sets $pid
# and $ready_s (seconds until ready).
start() {
  local name=$1 t0
  shift
  t0=$(date +%s.%N)
  "$ARGUS" "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  if ! wait_ready "$http" "$pid" "$READY_TIMEOUT"; then
    tail -20 "$work/$name.log" >&2
    exit 1
  fi
  ready_s=$(echo "$(date +%s.%N) - $t0" | bc)
}
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$GEN" "$work/data.om" "$SERIES" "$HOURS" >/dev/null
promtool tsdb create-blocks-from openmetrics --quiet "$work/data.om" "$work/blocks" \
  >"$work/promtool.log" 2>&1 || { tail -20 "$work/promtool.log" >&2; exit 1; }
rm -f "$work/data.om"
printf 'global:\n  external_labels:\n    cluster: bench\n' >"$work/prometheus.yml"
printf 'type: FILESYSTEM\nconfig:\n  directory: %s\n' "$work/bucket" >"$work/bucket.yml"
cp -r "$work/blocks" "$work/upload"
"$ARGUS" tools bucket upload-blocks --path="$work/upload" --label='cluster="bench"' \
  --objstore.config-file="$work/bucket.yml" >/dev/null 2>&1
rm -rf "$work/upload"
echo "== Series latency: $SERIES series, ${HOURS}h, $(ls "$work/bucket" | wc -l) blocks ($(du -sh "$work/bucket" | cut -f1))"

cp -r "$work/blocks" "$work/server-data"
http=$(free_port); server_grpc=$(free_port)
start server server --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/server-data" \
  --storage.tsdb.retention.time=100y --web.listen-address=127.0.0.1:"$http" \
  --grpc-address=127.0.0.1:"$server_grpc"
server_pid=$pid
http=$(free_port); store_grpc=$(free_port)
start store store --objstore.config-file="$work/bucket.yml" --data-dir="$work/store-data" \
  --http-address=127.0.0.1:"$http" --grpc-address=127.0.0.1:"$store_grpc"
store_pid=$pid

now_ms=$(($(date +%s) * 1000))
min_ms=$((now_ms - (HOURS + 4) * 3600 * 1000))
printf '%-28s %12s %12s %7s %s\n' "__name__=~" "server ms" "store ms" ratio answer
for q in $QUERIES; do
  "$CLIENT" "127.0.0.1:$server_grpc" "$min_ms" "$now_ms" 1 "$q" >/dev/null
  "$CLIENT" "127.0.0.1:$store_grpc" "$min_ms" "$now_ms" 1 "$q" >/dev/null
  : >"$work/server.ms"; : >"$work/store.ms"
  for ((i = 0; i < RUNS; i++)); do
    "$CLIENT" "127.0.0.1:$server_grpc" "$min_ms" "$now_ms" 1 "$q" | head -1 >>"$work/server.ms"
    "$CLIENT" "127.0.0.1:$store_grpc" "$min_ms" "$now_ms" 1 "$q" >"$work/store.out"
    head -1 "$work/store.out" >>"$work/store.ms"
  done
  s=$(median <"$work/server.ms"); g=$(median <"$work/store.ms")
  printf '%-28s %12.1f %12.1f %7.2f %s\n' "$q" "$s" "$g" "$(echo "$g / $s" | bc -l)" \
    "$(tail -1 "$work/store.out")"
done
echo "store peak RSS: $(($(status_kib "$store_pid" VmHWM) / 1024)) MiB," \
  "server peak RSS: $(($(status_kib "$server_pid" VmHWM) / 1024)) MiB"
stop "$server_pid"; stop "$store_pid"

echo
echo "== Startup with $BLOCKS blocks"
one=$(ls -d "$work/bucket"/*/ | head -1)
rm -rf "$work/many"; mkdir -p "$work/many"
/usr/bin/python3 - "$one" "$work/many" "$BLOCKS" <<'PY'
import json, os, random, shutil, sys
src, dst, n = sys.argv[1].rstrip("/"), sys.argv[2], int(sys.argv[3])
alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
rnd = random.Random(1)
meta = json.load(open(os.path.join(src, "meta.json")))
for i in range(n):
    ulid = "01" + "".join(rnd.choice(alphabet) for _ in range(24))
    os.makedirs(os.path.join(dst, ulid, "chunks"))
    for f in os.listdir(os.path.join(src, "chunks")):
        os.link(os.path.join(src, "chunks", f), os.path.join(dst, ulid, "chunks", f))
    os.link(os.path.join(src, "index"), os.path.join(dst, ulid, "index"))
    meta["ulid"] = ulid
    json.dump(meta, open(os.path.join(dst, ulid, "meta.json"), "w"))
PY
printf 'type: FILESYSTEM\nconfig:\n  directory: %s\n' "$work/many" >"$work/many.yml"
for run in "first start (index-headers built)" "restart (index-headers reused)"; do
  http=$(free_port)
  start many store --objstore.config-file="$work/many.yml" --data-dir="$work/many-data" \
    --http-address=127.0.0.1:"$http" --grpc-address=127.0.0.1:"$(free_port)"
  rss=$(status_kib "$pid" VmRSS)
  disk=$(du -sk "$work/many-data" | cut -f1)
  loaded=$(curl -fsS "http://127.0.0.1:$http/metrics" |
    awk '$1 == "thanos_bucket_store_blocks_loaded" {print $2}')
  [[ $loaded == "$BLOCKS" ]] || { echo "only $loaded of $BLOCKS blocks loaded" >&2; exit 1; }
  printf '%-36s ready in %6.1f s, RSS %6d MiB (%5.1f KiB/block), data-dir %6d KiB (%5.1f KiB/block)\n' \
    "$run:" "$ready_s" $((rss / 1024)) "$(echo "$rss / $BLOCKS" | bc -l)" "$disk" \
    "$(echo "$disk / $BLOCKS" | bc -l)"
  stop "$pid"
done
