#!/usr/bin/env bash
# Query latency, Argus vs Prometheus 2.42, on the same blocks: for each data set of SETS
# (SERIES:HOURS:INTERVAL_S each), build/release/test/promql_compat_gen writes the PromQL
# compatibility data (test/promql_compat/data_gen.h: per instance 50 series — request and CPU
# counters, gauges, a 12-bucket classic histogram for two handlers — ending at the last 2 h
# boundary before now), `promtool tsdb create-blocks-from openmetrics` turns it into blocks
# (--max-block-duration=BLOCK, as a compacted TSDB would hold them), and `argus server` and
# `prometheus` each serve a copy of the data directory (no scrape configs, so only the blocks).
# Then every dashboard-style range query below, over every RANGES window that fits in the data
# (ending at the data's end, step as given), is asked RUNS times of each server through curl,
# alternating argus and prometheus (the first one of each pair alternates too), after one
# unmeasured warm-up request each. The script prints per query class and range the median
# latency of each server and the ratio prometheus/argus (the issue's bar: >= 3), the geometric
# mean of the ratios, and each server's peak RSS (VmHWM of the process: the same number
# /usr/bin/time's "%M" reports) and RSS at the end.
# A query answered with another status than 200 by either server is reported and left out.
#
# Usage (from the repo root, after `make build`): bench/compare_query.sh
#   one small set: SETS=10000:6:15 bench/compare_query.sh
#   a week:        SETS=10000:168:60 BLOCK=72h bench/compare_query.sh (~10 GB of text on disk)
# Env: SETS="10000:24:30 100000:6:60" RANGES="1h:15s 6h:60s 24h:5m 7d:30m" RUNS=7 BLOCK=24h
#      BUILD=build/release ARGUS=$BUILD/src/cmd/argus GEN=$BUILD/test/promql_compat_gen
#      PROMETHEUS=/usr/bin/prometheus TMPDIR=/tmp KEEP=0 (1 keeps the data and logs)
#      READY_TIMEOUT=600 (s, for a server to open its blocks)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SETS=${SETS:-"10000:24:30 100000:6:60"}
RANGES=${RANGES:-"1h:15s 6h:60s 24h:5m 7d:30m"}
RUNS=${RUNS:-7}
BLOCK=${BLOCK:-24h}
BUILD=${BUILD:-build/release}
ARGUS=${ARGUS:-$BUILD/src/cmd/argus}
GEN=${GEN:-$BUILD/test/promql_compat_gen}
PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}
READY_TIMEOUT=${READY_TIMEOUT:-600}
KEEP=${KEEP:-0}

# Query classes: name and expression (each asked as a range query).
CLASSES=(
  "rate|rate(demo_requests_total{code=\"200\"}[5m])"
  "sum_by|sum by (job, code) (rate(demo_requests_total[5m]))"
  "histogram_quantile|histogram_quantile(0.99, sum by (le, handler) (rate(demo_request_duration_seconds_bucket[5m])))"
  "topk|topk(10, sum by (instance) (rate(demo_cpu_seconds_total{mode!=\"idle\"}[5m])))"
  "subquery|max_over_time(sum by (job) (rate(demo_requests_total[5m]))[1h:1m])"
  "gauge_avg|avg by (job, sensor) (avg_over_time(demo_temperature_celsius[10m]))"
  "ratio|sum by (instance) (rate(demo_request_duration_seconds_sum[5m])) / sum by (instance) (rate(demo_request_duration_seconds_count[5m]))"
)

for bin in "$ARGUS" "$GEN" "$PROMETHEUS" promtool curl; do
  command -v "$bin" >/dev/null || { echo "missing $bin (run make build first)" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/compare_query.XXXXXX")
declare -A pid port
cleanup() {
  local s
  for s in "${!pid[@]}"; do
    if [[ -n ${pid[$s]} ]]; then
      kill -TERM "${pid[$s]}" 2>/dev/null || true
      wait "${pid[$s]}" 2>/dev/null || true
    fi
  done
  if [[ $KEEP == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

seconds_of() {  # a Prometheus duration (s, m, h, d) in seconds
  local n=${1%[smhd]}
  case $1 in *s) echo "$n" ;; *m) echo $((n * 60)) ;; *h) echo $((n * 3600)) ;; *d) echo $((n * 86400)) ;; esac
}

start_server() {  # start_server SIDE DATA_DIR
  local s=$1 bin
  [[ $s == argus ]] && bin=("$ARGUS" server) || bin=("$PROMETHEUS")
  port[$s]=$(free_port)
  "${bin[@]}" --config.file="$work/prometheus.yml" --storage.tsdb.path="$2" \
    --storage.tsdb.retention.time=100y --web.listen-address=127.0.0.1:"${port[$s]}" \
    >"$work/$s.log" 2>&1 &
  pid[$s]=$!
  if ! wait_ready "${port[$s]}" "${pid[$s]}" "$READY_TIMEOUT"; then
    echo "$s did not become ready; last lines of its log:" >&2
    tail -20 "$work/$s.log" >&2
    exit 1
  fi
}
stop_server() {
  kill -TERM "${pid[$1]}" 2>/dev/null || true
  wait "${pid[$1]}" 2>/dev/null || true
  pid[$1]=""
}
# ask SIDE EXPR START END STEP: prints "HTTP_CODE SECONDS" of one range query.
ask() {
  curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 600 \
    --data-urlencode "query=$2" --data-urlencode "start=$3" --data-urlencode "end=$4" \
    --data-urlencode "step=$5" "http://127.0.0.1:${port[$1]}/api/v1/query_range"
}

printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for set in $SETS; do
  IFS=: read -r series hours interval <<<"$set"
  echo
  echo "== $series series, ${hours}h of data at ${interval}s"
  gen_out=$("$GEN" "$work/data.om" "$series" "$hours" "$interval")
  echo "generated: $gen_out ($(du -h "$work/data.om" | cut -f1) of OpenMetrics)"
  end_s=$(($(sed 's/.*end_ms \([0-9]*\).*/\1/' <<<"$gen_out") / 1000))
  t0=$(date +%s)
  promtool tsdb create-blocks-from openmetrics --quiet --max-block-duration="$BLOCK" \
    "$work/data.om" "$work/blocks" >"$work/promtool.log" 2>&1 ||
    { tail -20 "$work/promtool.log" >&2; exit 1; }
  rm -f "$work/data.om"
  echo "blocks: $(du -sh "$work/blocks" | cut -f1) in $(($(date +%s) - t0)) s"
  for s in argus prometheus; do
    rm -rf "$work/$s-data"
    cp -r "$work/blocks" "$work/$s-data"
    start_server "$s" "$work/$s-data"
  done
  rm -rf "$work/blocks"
  printf '%-20s %6s %6s %12s %12s %7s\n' class range step "argus ms" "prom ms" ratio
  log_ratios=()
  for spec in $RANGES; do
    IFS=: read -r range step <<<"$spec"
    range_s=$(seconds_of "$range")
    ((range_s <= hours * 3600)) || continue
    start=$((end_s - range_s))
    for class in "${CLASSES[@]}"; do
      name=${class%%|*} expr=${class#*|}
      declare -A times=() bad=()
      for s in argus prometheus; do
        read -r code _ < <(ask "$s" "$expr" "$start" "$end_s" "$step")
        [[ $code == 200 ]] || bad[$s]=$code
      done
      if ((${#bad[@]} > 0)); then
        printf '%-20s %6s %6s  skipped: HTTP %s\n' "$name" "$range" "$step" \
          "$(for s in "${!bad[@]}"; do printf '%s=%s ' "$s" "${bad[$s]}"; done)"
        unset times bad
        continue
      fi
      for ((r = 0; r < RUNS; r++)); do
        ((r % 2 == 0)) && order="argus prometheus" || order="prometheus argus"
        for s in $order; do
          read -r _ secs < <(ask "$s" "$expr" "$start" "$end_s" "$step")
          times[$s]+="$secs "
        done
      done
      a=$(tr ' ' '\n' <<<"${times[argus]}" | grep . | median)
      p=$(tr ' ' '\n' <<<"${times[prometheus]}" | grep . | median)
      ratio=$(awk -v a="$a" -v p="$p" 'BEGIN {printf "%.2f", (a > 0 ? p / a : 0)}')
      log_ratios+=("$ratio")
      printf '%-20s %6s %6s %12.1f %12.1f %7s\n' "$name" "$range" "$step" \
        "$(awk -v x="$a" 'BEGIN {print x * 1000}')" "$(awk -v x="$p" 'BEGIN {print x * 1000}')" "$ratio"
      unset times bad
    done
  done
  if ((${#log_ratios[@]} > 0)); then
    printf '%s\n' "${log_ratios[@]}" |
      awk '$1 > 0 {s += log($1); n++} END {if (n) printf "geometric mean of the ratios: %.2f\n", exp(s / n)}'
  fi
  for s in argus prometheus; do
    printf '%-10s peak RSS %8.1f MiB, RSS at the end %8.1f MiB\n' "$s" \
      "$(awk -v k="$(status_kib "${pid[$s]}" VmHWM)" 'BEGIN {print k / 1024}')" \
      "$(awk -v k="$(status_kib "${pid[$s]}" VmRSS)" 'BEGIN {print k / 1024}')"
    stop_server "$s"
    rm -rf "$work/$s-data"
  done
done
