#!/usr/bin/env bash
# Head memory per series, Argus vs Prometheus 2.42, for node_exporter-like series with
# SAMPLES samples each (node_fleet.h):
#  - Argus, appended: build/release/bench/head_memory N SAMPLES (RSS growth of a head filled
#    through an appender, full chunks memory-mapped) for each N in ARGUS_SERIES;
#  - Argus, replayed: wal_gen writes a WAL of N series, bench/wal_replay opens it with DB::Open
#    and reports RSS after replay minus RSS before, for each N in REPLAY_SERIES;
#  - Prometheus, replayed: prometheus started on the same WAL (each N in PROM_SERIES) and on an
#    empty data directory; WAIT seconds after it is ready, its VmRSS (and Go heap in use, from
#    /metrics) minus that of the empty start.
# Prints bytes per series for each. The issue's bar: at most 1 KiB per series at 1M (Argus).
#
# Usage (from the repo root, after `make build`): bench/head_memory_compare.sh
# Env: SAMPLES=120 ARGUS_SERIES="100000 1000000" REPLAY_SERIES="100000 1000000" PROM_SERIES="100000"
#      WAIT=30 BUILD=build/release PROMETHEUS=/usr/bin/prometheus TMPDIR=/tmp
set -euo pipefail
SAMPLES=${SAMPLES:-120}
ARGUS_SERIES=${ARGUS_SERIES:-100000 1000000}
REPLAY_SERIES=${REPLAY_SERIES:-100000 1000000}
PROM_SERIES=${PROM_SERIES:-100000}
WAIT=${WAIT:-30}
BUILD=${BUILD:-build/release}
PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}
for bin in "$BUILD/bench/head_memory" "$BUILD/bench/wal_gen" "$BUILD/bench/wal_replay" "$PROMETHEUS"; do
  [[ -x $bin ]] || { echo "missing $bin (run make build first)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/head_memory_compare.XXXXXX")
prom_pid=""
cleanup() {
  if [[ -n $prom_pid ]]; then
    kill -TERM "$prom_pid" 2>/dev/null || true
    wait "$prom_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
per_series() { echo "($1) / $2" | bc -l; }

# Starts prometheus on data dir $1, waits until ready plus WAIT seconds, sets rss and heap
# (bytes) and stops it.
prometheus_memory() {
  local port log=$work/prometheus.log
  port=$(free_port)
  "$PROMETHEUS" --config.file="$work/prometheus.yml" --storage.tsdb.path="$1" \
    --web.listen-address=127.0.0.1:"$port" >"$log" 2>&1 &
  prom_pid=$!
  until curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; do
    kill -0 "$prom_pid" 2>/dev/null || { tail -20 "$log" >&2; exit 1; }
    sleep 0.5
  done
  sleep "$WAIT"
  rss=$(( $(awk '/VmRSS/ {print $2}' "/proc/$prom_pid/status") * 1024 ))
  heap=$(curl -fsS "http://127.0.0.1:$port/metrics" |
    awk '$1 == "go_memstats_heap_inuse_bytes" {printf "%.0f", $2}')
  kill -TERM "$prom_pid"
  wait "$prom_pid" || true
  prom_pid=""
}

declare -a rows
for n in $ARGUS_SERIES; do
  echo "argus head_memory $n $SAMPLES" >&2
  line=$("$BUILD/bench/head_memory" "$n" "$SAMPLES")
  echo "  $line" >&2
  b=$(sed -n 's/.*bytes_per_series=\([0-9.]*\).*/\1/p' <<<"$line")
  rows+=("$(printf '%-34s %9s %16.0f %16s' 'argus (appended, head_memory)' "$n" "$b" -)")
done

for n in $REPLAY_SERIES; do
  echo "argus wal_replay of $n series" >&2
  rm -rf "$work/data"
  "$BUILD/bench/wal_gen" "$work/data" "$n" "$SAMPLES" >&2
  line=$("$BUILD/bench/wal_replay" "$work/data" 2>/dev/null)
  echo "  $line" >&2
  before=$(sed -n 's/.*rss_before_mib=\([0-9.]*\).*/\1/p' <<<"$line")
  after=$(sed -n 's/.*rss_after_mib=\([0-9.]*\).*/\1/p' <<<"$line")
  rows+=("$(printf '%-34s %9s %16.0f %16s' 'argus (WAL replay, DB::Open)' "$n" \
    "$(per_series "($after - $before) * 1048576" "$n")" -)")
done

if [[ -n $PROM_SERIES ]]; then
  echo "prometheus on an empty data dir (wait ${WAIT}s)" >&2
  prometheus_memory "$work/empty"
  rss0=$rss heap0=$heap
  echo "  rss=$rss0 heap_inuse=$heap0" >&2
  for n in $PROM_SERIES; do
    echo "prometheus WAL replay of $n series (wait ${WAIT}s)" >&2
    rm -rf "$work/data"
    "$BUILD/bench/wal_gen" "$work/data" "$n" "$SAMPLES" >&2
    prometheus_memory "$work/data"
    echo "  rss=$rss heap_inuse=$heap" >&2
    rows+=("$(printf '%-34s %9s %16.0f %16.0f' 'prometheus (WAL replay)' "$n" \
      "$(per_series "$rss - $rss0" "$n")" "$(per_series "$heap - $heap0" "$n")")")
  done
fi

echo
echo "head memory, node_exporter-like series x $SAMPLES samples at 15 s"
printf '%-34s %9s %16s %16s\n' side series rss_B_per_series heap_B_per_series
printf '%s\n' "${rows[@]}"
