#!/usr/bin/env bash
# WAL replay, Argus vs Prometheus 2.42, on the same write-ahead log: wal_gen writes SERIES
# node_exporter-like series x SAMPLES scrapes once (snappy, 128 MiB segments, last sample ~now);
# each run replays a fresh copy of it (starting may repair, truncate or extend the WAL) with
# build/release/bench/wal_replay (argus::tsdb::DB::Open, "WAL replay completed ... duration=")
# and with prometheus --storage.tsdb.path=COPY ("WAL replay completed ...
# total_replay_duration=", then SIGTERM). Runs alternate, RUNS times each; prints every run,
# the medians, the ratio prometheus/argus (the issue's bar: >= 3) and peak RSS (/usr/bin/time).
#
# Usage (from the repo root, after `make build`): bench/wal_replay_compare.sh
# Env: SERIES=1000000 SAMPLES=120 RUNS=3 BUILD=build/release PROMETHEUS=/usr/bin/prometheus
#      TMPDIR=/tmp (where the data goes; its free space is checked first).
set -euo pipefail
SERIES=${SERIES:-1000000}
SAMPLES=${SAMPLES:-120}
RUNS=${RUNS:-3}
BUILD=${BUILD:-build/release}
PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}
WAL_GEN=$BUILD/bench/wal_gen
WAL_REPLAY=$BUILD/bench/wal_replay
for bin in "$WAL_GEN" "$WAL_REPLAY" "$PROMETHEUS" /usr/bin/time; do
  [[ -x $bin ]] || { echo "missing $bin (run make build first)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/wal_replay_compare.XXXXXX")
ppid_time=""
cleanup() {
  if [[ -n $ppid_time ]]; then
    pkill -TERM -P "$ppid_time" 2>/dev/null || true
    wait "$ppid_time" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# ~11 bytes per sample in the WAL; the original, one copy and its head chunks at a time.
need_kib=$(( SERIES * (SAMPLES * 14 + 300) * 3 / 1024 ))
avail_kib=$(df --output=avail -k "$work" | tail -1)
if (( avail_kib < need_kib )); then
  echo "not enough space in $work: need ~$((need_kib / 1024)) MiB, have $((avail_kib / 1024)) MiB" >&2
  exit 1
fi
mem_kib=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
if (( mem_kib < SERIES * 6 )); then
  echo "warning: $((mem_kib / 1024)) MiB available; Prometheus may need ~6 KiB per series" >&2
fi

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Go duration ("1m2.5s", "740.8ms", "37µs") -> seconds.
go_seconds() {
  /usr/bin/python3 -c 'import re,sys
u={"h":3600,"ms":1e-3,"m":60,"s":1,"µs":1e-6,"us":1e-6,"ns":1e-9}
print(sum(float(n)*u[x] for n,x in re.findall(r"([0-9.]+)(h|ms|m|s|µs|us|ns)", sys.argv[1])))' "$1"
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
peak_mib() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }

echo "generating $SERIES series x $SAMPLES samples in $work/data"
"$WAL_GEN" "$work/data" "$SERIES" "$SAMPLES"
du -sh "$work/data/wal"
printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"

fresh_copy() {
  rm -rf "$work/copy"
  cp -r "$work/data" "$work/copy"
  sync
}

# Sets a (replay seconds) and a_peak (peak RSS MiB).
run_argus() {
  fresh_copy
  /usr/bin/time -v -o "$work/argus.time" "$WAL_REPLAY" "$work/copy" >"$work/argus.out" \
    2>"$work/argus.log"
  cat "$work/argus.out"
  a=$(sed -n 's/.* replay_seconds=\([0-9.]*\).*/\1/p' "$work/argus.out")
  a_peak=$(peak_mib "$work/argus.time")
}

# Sets p (replay seconds), p_peak (peak RSS MiB) and p_rss (RSS right after replay, MiB).
run_prometheus() {
  fresh_copy
  local port log=$work/prometheus.log
  port=$(free_port)
  /usr/bin/time -v -o "$work/prometheus.time" "$PROMETHEUS" --config.file="$work/prometheus.yml" \
    --storage.tsdb.path="$work/copy" --web.listen-address=127.0.0.1:"$port" >"$log" 2>&1 &
  ppid_time=$!
  local line=""
  while [[ -z $line ]]; do
    if ! kill -0 "$ppid_time" 2>/dev/null; then
      echo "prometheus exited before replaying:" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    sleep 0.2
    line=$(grep -m1 'msg="WAL replay completed"' "$log" || true)
  done
  # RSS right after replay (the child of /usr/bin/time is prometheus).
  local child rss_kib
  child=$(pgrep -P "$ppid_time" | head -1)
  rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$child/status" 2>/dev/null || echo 0)
  pkill -TERM -P "$ppid_time"
  wait "$ppid_time" || true
  ppid_time=""
  echo "prometheus: $line"
  p=$(go_seconds "$(sed -n 's/.*total_replay_duration=\([^ ]*\).*/\1/p' <<<"$line")")
  p_peak=$(peak_mib "$work/prometheus.time")
  p_rss=$((rss_kib / 1024))
}

: >"$work/results"
for run in $(seq 1 "$RUNS"); do
  run_argus
  run_prometheus
  printf 'run %d: argus %.3f s (peak RSS %s MiB)   prometheus %.3f s (peak RSS %s MiB, RSS after replay %s MiB)\n' \
    "$run" "$a" "$a_peak" "$p" "$p_peak" "$p_rss"
  echo "$a $p $a_peak $p_peak" >>"$work/results"
done

a_med=$(awk '{print $1}' "$work/results" | median)
p_med=$(awk '{print $2}' "$work/results" | median)
a_peak=$(awk '{print $3}' "$work/results" | median)
p_peak=$(awk '{print $4}' "$work/results" | median)
samples=$((SERIES * SAMPLES))
echo
echo "WAL replay of $SERIES series x $SAMPLES samples; $(nproc) cores; median of $RUNS runs"
printf '%-12s %12s %16s %14s\n' side replay_s samples_per_s peak_rss_mib
printf '%-12s %12.3f %16.0f %14s\n' argus "$a_med" "$(echo "$samples / $a_med" | bc -l)" "$a_peak"
printf '%-12s %12.3f %16.0f %14s\n' prometheus "$p_med" "$(echo "$samples / $p_med" | bc -l)" "$p_peak"
printf 'ratio prometheus/argus: %.2fx (bar: >= 3x)\n' "$(echo "$p_med / $a_med" | bc -l)"
