#!/usr/bin/env bash
# Scrape ingestion, Argus vs Prometheus 2.42: `argus server` and `prometheus` scrape the same
# fake node_exporter-like targets (build/release/bench/fake_targets: TARGETS ports on 127.0.0.1,
# SERIES_PER_TARGET series each, counters that grow and gauges that move between scrapes) with
# the same prometheus.yml (scrape_interval = scrape_timeout = INTERVAL), each with its own empty
# data directory and port. Once every target's series are in a server's head, plus WARMUP
# seconds (the first scrapes create the series; the window measures the steady state), the
# script measures a DURATION-second window per server:
#  - CPU seconds: utime + stime of the server process (/proc/PID/stat, all threads), end minus
#    start; the fake targets are a separate process, so their CPU is not counted (it is shown
#    on its own line, to check that they stay cheap);
#  - samples: delta of prometheus_tsdb_head_samples_appended_total (summed over its labels)
#    from the server's /metrics, and CPU seconds per million samples;
#  - head series (prometheus_tsdb_head_series), VmRSS (/proc/PID/status) at the end of the
#    window and RSS per head series (the whole process RSS, baseline included).
# Then medians over RUNS and the ratios prometheus/argus of CPU per sample and RSS per series
# (the issue's bars: >= 3x each, i.e. Argus at most 1/3 of Prometheus).
#
# Both servers run at the same time by default (TOGETHER=1): they see the same targets, values
# and machine load over the same minutes, and the run takes half as long. Per-process CPU time
# does not depend on the other process sharing the cores, except through caches and memory
# bandwidth; at the default scale (20k samples/s per server) both need a small fraction of one
# core, and at 1M series the two servers plus the targets still fit in 2 cores (if a server
# falls behind, its "samples" column drops below "expected": CPU per sample stays comparable,
# but say so when quoting). RSS is per process either way. TOGETHER=0 runs them one after the
# other (argus, then prometheus, per run) against the same target process: use it when memory
# cannot hold both (1M series: ~2.3 GiB RSS for Prometheus) or to rule out interference.
# Nothing is pinned (taskset would change what is measured on 2 cores); the machine is shared,
# so quote runs taken while it is otherwise idle (the load average is printed).
#
# Usage (from the repo root, after `make build`): bench/compare_ingest.sh
#   big: TARGETS=200 SERIES_PER_TARGET=5000 bench/compare_ingest.sh    # 1M series
#   one side only: ARGUS= bench/compare_ingest.sh (or PROMETHEUS=)
# Env: TARGETS=20 SERIES_PER_TARGET=5000 INTERVAL=5 (s) DURATION=120 (s) WARMUP=30 (s, after
#      all series are in the head) RUNS=1 TOGETHER=1 BUILD=build/release
#      ARGUS=$BUILD/src/cmd/argus PROMETHEUS=/usr/bin/prometheus (empty skips a side)
#      READY_TIMEOUT=600 (s, for the series to appear) TMPDIR=/tmp KEEP=0 (1 keeps the logs)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
TARGETS=${TARGETS:-20}
SERIES_PER_TARGET=${SERIES_PER_TARGET:-5000}
INTERVAL=${INTERVAL:-5}
DURATION=${DURATION:-120}
WARMUP=${WARMUP:-30}
RUNS=${RUNS:-1}
TOGETHER=${TOGETHER:-1}
BUILD=${BUILD:-build/release}
ARGUS=${ARGUS-$BUILD/src/cmd/argus}
PROMETHEUS=${PROMETHEUS-/usr/bin/prometheus}
READY_TIMEOUT=${READY_TIMEOUT:-600}
KEEP=${KEEP:-0}
FAKE_TARGETS=$BUILD/bench/fake_targets

sides=()
[[ -n $ARGUS ]] && sides+=(argus)
[[ -n $PROMETHEUS ]] && sides+=(prometheus)
(( ${#sides[@]} > 0 )) || { echo "nothing to run: ARGUS and PROMETHEUS are both empty" >&2; exit 1; }
for bin in "$FAKE_TARGETS" ${ARGUS:+"$ARGUS"} ${PROMETHEUS:+"$PROMETHEUS"}; do
  [[ -x $bin ]] || { echo "missing $bin (run make build first)" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/compare_ingest.XXXXXX")
declare -A pid port
targets_pid=""
stop() {  # stop PID: SIGTERM, then wait for it
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  local s
  for s in "${!pid[@]}"; do [[ -n ${pid[$s]} ]] && stop "${pid[$s]}"; done
  [[ -n $targets_pid ]] && stop "$targets_pid"
  if [[ $KEEP == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

series_total=$((TARGETS * SERIES_PER_TARGET))
mem_kib=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
need_kib=$((series_total * (TOGETHER == 1 ? ${#sides[@]} : 1) * 4))
if (( mem_kib < need_kib )); then
  echo "warning: $((mem_kib / 1024)) MiB available; Prometheus needs ~2.5 KiB per series, plus its garbage" >&2
fi

clk_tck=$(getconf CLK_TCK)
# utime + stime of PID in seconds (fields 14 and 15 of /proc/PID/stat, counted after "(comm)").
cpu_seconds() { sed 's/.*) //' "/proc/$1/stat" | awk -v hz="$clk_tck" '{printf "%.2f", ($12 + $13) / hz}'; }
# The sum of metric $2's samples on server $1's /metrics (all label sets).
metric() {
  curl -fsS --max-time 30 "http://127.0.0.1:${port[$1]}/metrics" |
    awk -v m="$2" '$1 == m || index($1, m "{") == 1 {s += $NF} END {printf "%.0f", s}'
}

# The fake targets, shared by all runs and both servers.
"$FAKE_TARGETS" 0 "$TARGETS" "$SERIES_PER_TARGET" >"$work/targets.txt" 2>"$work/targets.log" &
targets_pid=$!
for _ in $(seq 1 100); do
  (( $(wc -l <"$work/targets.txt") >= TARGETS )) && break
  kill -0 "$targets_pid" 2>/dev/null || { cat "$work/targets.log" >&2; exit 1; }
  sleep 0.1
done
{
  printf 'global:\n  scrape_interval: %ss\n  scrape_timeout: %ss\n' "$INTERVAL" "$INTERVAL"
  printf 'scrape_configs:\n  - job_name: node\n    static_configs:\n      - targets:\n'
  sed 's/.*/          - "&"/' "$work/targets.txt"
} >"$work/prometheus.yml"

start_server() {  # start_server SIDE RUN
  local s=$1 bin
  [[ $s == argus ]] && bin=("$ARGUS" server) || bin=("$PROMETHEUS")
  port[$s]=$(free_port)
  rm -rf "$work/$s-data"
  "${bin[@]}" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/$s-data" \
    --web.listen-address=127.0.0.1:"${port[$s]}" >"$work/$s-$2.log" 2>&1 &
  pid[$s]=$!
}
fail() {  # fail SIDE RUN MESSAGE
  echo "$1: $3; last lines of its log:" >&2
  tail -20 "$work/$1-$2.log" >&2
  exit 1
}
wait_series() {  # wait_series SIDE RUN: until the head holds every target's series
  local s=$1 deadline=$((SECONDS + READY_TIMEOUT)) n=0
  wait_ready "${port[$s]}" "${pid[$s]}" "$READY_TIMEOUT" || fail "$s" "$2" "not ready"
  while n=$(metric "$s" prometheus_tsdb_head_series 2>/dev/null) || n=0; (( n < series_total )); do
    kill -0 "${pid[$s]}" 2>/dev/null || fail "$s" "$2" "exited"
    (( SECONDS < deadline )) || fail "$s" "$2" "only $n of $series_total series after ${READY_TIMEOUT}s"
    sleep 1
  done
}

# measure RUN SIDE...: start the sides together, warm up, measure one window, stop them.
# Appends "run side cpu_s samples head_series rss_kib" lines to $work/results.
measure() {
  local run=$1 s
  shift
  for s in "$@"; do start_server "$s" "$run"; done
  for s in "$@"; do wait_series "$s" "$run"; done
  echo "run $run: all series in the head of: $*; warm-up ${WARMUP}s, then ${DURATION}s measured" >&2
  sleep "$WARMUP"
  declare -A c0 n0
  local t0
  t0=$(cpu_seconds "$targets_pid")
  for s in "$@"; do
    c0[$s]=$(cpu_seconds "${pid[$s]}")
    n0[$s]=$(metric "$s" prometheus_tsdb_head_samples_appended_total)
  done
  sleep "$DURATION"
  local cpu samples series rss
  for s in "$@"; do
    cpu=$(echo "$(cpu_seconds "${pid[$s]}") - ${c0[$s]}" | bc -l)
    samples=$(( $(metric "$s" prometheus_tsdb_head_samples_appended_total) - ${n0[$s]} ))
    series=$(metric "$s" prometheus_tsdb_head_series)
    rss=$(status_kib "${pid[$s]}" VmRSS)
    echo "$run $s $cpu $samples $series $rss" >>"$work/results"
    printf 'run %d %-10s cpu %7.2f s  samples %10d  head series %8d  RSS %6d MiB\n' \
      "$run" "$s" "$cpu" "$samples" "$series" $((rss / 1024))
  done
  t0=$(echo "$(cpu_seconds "$targets_pid") - $t0" | bc -l)
  printf 'run %d fake targets: %.2f s CPU in the window (%.1f%% of one core)\n' "$run" "$t0" \
    "$(echo "$t0 * 100 / $DURATION" | bc -l)"
  for s in "$@"; do
    stop "${pid[$s]}"
    pid[$s]=""
    rm -rf "$work/$s-data"
  done
}

echo "$TARGETS targets x $SERIES_PER_TARGET series every ${INTERVAL}s; $(nproc) cores;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg); data in $work" >&2
: >"$work/results"
for run in $(seq 1 "$RUNS"); do
  if [[ $TOGETHER == 1 ]]; then
    measure "$run" "${sides[@]}"
  else
    for s in "${sides[@]}"; do measure "$run" "$s"; done
  fi
done

# Scrapes append SERIES_PER_TARGET samples plus 5 (up, scrape_duration_seconds, ...) per target.
expected=$(echo "$TARGETS * ($SERIES_PER_TARGET + 5) * $DURATION / $INTERVAL" | bc)
col() { awk -v s="$1" -v c="$2" '$2 == s {print $c}' "$work/results" | median; }
declare -A cpu_per_m rss_per_series
echo
echo "scrape ingestion: $TARGETS targets x $SERIES_PER_TARGET series every ${INTERVAL}s," \
  "${DURATION}s window after ${WARMUP}s warm-up; $(nproc) cores;" \
  "$([[ $TOGETHER == 1 ]] && echo "servers side by side" || echo "servers one at a time");" \
  "median of $RUNS run(s); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %9s %12s %12s %13s %12s %9s %14s\n' side cpu_s samples expected cpu_s_per_Msamp \
  head_series rss_mib rss_B_per_series
for s in "${sides[@]}"; do
  cpu=$(col "$s" 3) samples=$(col "$s" 4) series=$(col "$s" 5) rss=$(col "$s" 6)
  cpu_per_m[$s]=$(echo "$cpu * 1000000 / $samples" | bc -l)
  rss_per_series[$s]=$(echo "$rss * 1024 / $series" | bc -l)
  printf '%-12s %9.2f %12.0f %12s %13.3f %12.0f %9.0f %14.0f\n' "$s" "$cpu" "$samples" \
    "$expected" "${cpu_per_m[$s]}" "$series" "$(echo "$rss / 1024" | bc -l)" "${rss_per_series[$s]}"
done
if (( ${#sides[@]} == 2 )); then
  printf 'ratio prometheus/argus: CPU per sample %.2fx, RSS per series %.2fx (bars: >= 3x each)\n' \
    "$(echo "${cpu_per_m[prometheus]} / ${cpu_per_m[argus]}" | bc -l)" \
    "$(echo "${rss_per_series[prometheus]} / ${rss_per_series[argus]}" | bc -l)"
fi
