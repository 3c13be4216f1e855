#!/usr/bin/env bash
# The querier's fan-out, measured (issue #8's performance bars). Range queries of the kind
# Grafana dashboards ask (QUERIES below) are timed against four HTTP APIs over the same blocks:
#   (a) `argus query --endpoint=<argus server's --grpc-address>` (StoreAPI Series over gRPC)
#   (b) that `argus server` directly
#   (c) `argus query --endpoint=<argus sidecar's --grpc-address>`, the sidecar running next to
#       a real Prometheus 2.42 (remote read), as in a kube-prometheus-stack pod
#   (d) that Prometheus directly
# The bars: (a) at most 1.3x (b)'s latency; (c) faster than (d).
# The data: build/release/test/promql_compat_gen's data set (test/promql_compat/data_gen.h: per
# instance 50 series — request and CPU counters, gauges, a 12-bucket classic histogram — ending
# at the last 2 h boundary before now; the node fleet of openmetrics_gen has no histogram to ask
# histogram_quantile of), cut into 2h blocks by `promtool tsdb create-blocks-from openmetrics`.
# The server and Prometheus each get a copy, with local compaction off (min = max block
# duration = 2h, as a sidecar needs it) so that the blocks stay as they are during the run; both
# have external labels (cluster="bench"), which the queriers add to the series they return.
# For every query and every RANGES window that fits in the data (ending at the data's end), the
# answers of (a) and (b), and of (c) and (d), are first compared (same series once external
# labels are removed, same timestamps, values within 1e-6 relative, as the PromQL differential
# test compares): the script fails on any difference. That request is the warm-up. Then each
# pair is asked RUNS times through curl (form POST to /api/v1/query_range), the two sides of a
# pair alternating and taking turns going first. Printed per query and range: the median
# latency of each side in ms, the ratios a/b and c/d, whether each bar holds, and at the end the
# worst ratios, their geometric means and each process's peak RSS. PHASES=1 also prints the
# median time to first byte of each side (curl's time_starttransfer: the answer computed and its
# first bytes written), which tells evaluation from the writing of the JSON body.
#
# Usage (from the repo root, after `make build`): bench/compare_fanout.sh
#   SERIES=2000 HOURS=12 RUNS=7 bench/compare_fanout.sh
# Env: SERIES=2000 HOURS=12 INTERVAL=15 RANGES="1h:15s 12h:60s" RUNS=7 PHASES=0
#      BUILD=build/release ARGUS=$BUILD/src/cmd/argus GEN=$BUILD/test/promql_compat_gen
#      PROMETHEUS=/usr/bin/prometheus TMPDIR=/tmp KEEP=0 (1 keeps the data and logs)
#      READY_TIMEOUT=600 (s, for a process to become ready)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SERIES=${SERIES:-2000}
HOURS=${HOURS:-12}
INTERVAL=${INTERVAL:-15}
RANGES=${RANGES:-"1h:15s 12h:60s"}
RUNS=${RUNS:-7}
PHASES=${PHASES:-0}
BUILD=${BUILD:-build/release}
ARGUS=${ARGUS:-$BUILD/src/cmd/argus}
GEN=${GEN:-$BUILD/test/promql_compat_gen}
PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}
READY_TIMEOUT=${READY_TIMEOUT:-600}
KEEP=${KEEP:-0}

# Queries: name and expression (each asked as a range query). The last two are
# bench/compare_query.sh's classes of the same names.
QUERIES=(
  "selector|demo_cpu_seconds_total{mode=\"user\"}"
  "sum_by_rate|sum by (instance) (rate(demo_cpu_seconds_total[5m]))"
  "count_regex|count by (job) ({__name__=~\"demo_request.+\"})"
  "histogram_quantile|histogram_quantile(0.99, sum by (le, handler) (rate(demo_request_duration_seconds_bucket[5m])))"
  "topk|topk(10, sum by (instance) (rate(demo_cpu_seconds_total{mode!=\"idle\"}[5m])))"
)
SIDES="a b c d"

for bin in "$ARGUS" "$GEN" "$PROMETHEUS" promtool curl /usr/bin/python3; do
  command -v "$bin" >/dev/null || { echo "missing $bin (run make build first)" >&2; exit 1; }
done
"$ARGUS" query --help >/dev/null 2>&1 || { echo "$ARGUS has no \`query\` command" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/compare_fanout.XXXXXX")
declare -A pid=() port=()
cleanup() {
  local s
  for s in "${!pid[@]}"; do
    kill -TERM "${pid[$s]}" 2>/dev/null || true
    wait "${pid[$s]}" 2>/dev/null || true
  done
  if [[ $KEEP == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

seconds_of() {  # a Prometheus duration (s, m, h, d) in seconds
  local n=${1%[smhd]}
  case $1 in *s) echo "$n" ;; *m) echo $((n * 60)) ;; *h) echo $((n * 3600)) ;; *d) echo $((n * 86400)) ;; esac
}

# start NAME HTTP_PORT COMMAND...: runs COMMAND in the background (log in $work/NAME.log) and
# waits for /-/ready on HTTP_PORT.
start() {
  local name=$1
  port[$name]=$2
  shift 2
  "$@" >"$work/$name.log" 2>&1 &
  pid[$name]=$!
  if ! wait_ready "${port[$name]}" "${pid[$name]}" "$READY_TIMEOUT"; then
    echo "$name did not become ready; last lines of its log:" >&2
    tail -20 "$work/$name.log" >&2
    exit 1
  fi
}

# wait_endpoint SIDE: waits until the querier of SIDE lists its endpoint in /api/v1/stores
# without an error (it only queries endpoints whose Info answered).
wait_endpoint() {
  local deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:${port[$1]}/api/v1/stores" 2>/dev/null |
    /usr/bin/python3 -c 'import json, sys
s = [e for t in json.load(sys.stdin)["data"].values() for e in t]
sys.exit(0 if s and all(e["lastError"] is None for e in s) else 1)'; do
    if ((SECONDS >= deadline)); then
      echo "querier $1 has no healthy endpoint after 60 s:" >&2
      curl -sS "http://127.0.0.1:${port[$1]}/api/v1/stores" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

# ask SIDE EXPR START END STEP [OUT]: prints "HTTP_CODE TOTAL_S TTFB_S" of one range query; the
# body goes to OUT (default: discarded).
ask() {
  curl -sS -o "${6:-/dev/null}" -w '%{http_code} %{time_total} %{time_starttransfer}\n' \
    --max-time 600 --data-urlencode "query=$2" --data-urlencode "start=$3" \
    --data-urlencode "end=$4" --data-urlencode "step=$5" \
    "http://127.0.0.1:${port[$1]}/api/v1/query_range"
}

# same FILE_X FILE_Y DROP_LABELS: compares two query_range answers (status success, no
# warnings, equal series once the labels named in DROP_LABELS — comma-separated — are removed,
# equal timestamps, values within 1e-6 relative). Prints "SERIES POINTS" or, on a difference,
# what differs on stderr and fails.
cat >"$work/same.py" <<'PY'
import json, math, sys
drop = set(filter(None, sys.argv[3].split(",")))
def load(path):
    with open(path) as f:
        doc = json.load(f)
    if doc.get("status") != "success" or doc.get("warnings"):
        sys.exit("%s: status %s, warnings %s, error %s" % (path, doc.get("status"),
                 doc.get("warnings"), doc.get("error")))
    out = {}
    for s in doc["data"]["result"]:
        key = tuple(sorted((k, v) for k, v in s["metric"].items() if k not in drop))
        if key in out:
            sys.exit("%s: series %s twice once %s are removed" % (path, dict(key), sorted(drop)))
        out[key] = s.get("values", [])
    return out
def close(x, y):
    x, y = float(x), float(y)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return abs(x - y) <= 1e-6 * max(abs(x), abs(y))
x, y = load(sys.argv[1]), load(sys.argv[2])
if x.keys() != y.keys():
    only_x, only_y = sorted(x.keys() - y.keys()), sorted(y.keys() - x.keys())
    sys.exit("%d vs %d series; only in the first: %d (e.g. %s), only in the second: %d (e.g. %s)"
             % (len(x), len(y), len(only_x), only_x[:1], len(only_y), only_y[:1]))
points = 0
for key, vx in x.items():
    vy = y[key]
    tx, ty = [p[0] for p in vx], [p[0] for p in vy]
    if tx != ty:
        sys.exit("series %s: %d vs %d points, timestamps differ" % (dict(key), len(tx), len(ty)))
    for (t, a), (_, b) in zip(vx, vy):
        if not close(a, b):
            sys.exit("series %s at %s: %s vs %s" % (dict(key), t, a, b))
    points += len(vx)
if not x:
    sys.exit("both answers are empty: nothing to compare")
print(len(x), points)
PY
same() { /usr/bin/python3 "$work/same.py" "$@"; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
gen_out=$("$GEN" "$work/data.om" "$SERIES" "$HOURS" "$INTERVAL")
end_s=$(($(sed 's/.*end_ms \([0-9]*\).*/\1/' <<<"$gen_out") / 1000))
promtool tsdb create-blocks-from openmetrics --quiet "$work/data.om" "$work/blocks" \
  >"$work/promtool.log" 2>&1 || { tail -20 "$work/promtool.log" >&2; exit 1; }
rm -f "$work/data.om"
echo "== $gen_out: $(ls "$work/blocks" | wc -l) blocks ($(du -sh "$work/blocks" | cut -f1))"
printf 'global:\n  scrape_interval: 1h\n  external_labels:\n    cluster: bench\n' \
  >"$work/prometheus.yml"
cp -r "$work/blocks" "$work/server-data"
mv "$work/blocks" "$work/prometheus-data"
tsdb_flags=(--config.file="$work/prometheus.yml" --storage.tsdb.retention.time=100y
  --storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h)

server_grpc=$(free_port) http=$(free_port)
start b "$http" "$ARGUS" server "${tsdb_flags[@]}" --storage.tsdb.path="$work/server-data" \
  --web.listen-address=127.0.0.1:"$http" --grpc-address=127.0.0.1:"$server_grpc"
http=$(free_port)
start d "$http" "$PROMETHEUS" "${tsdb_flags[@]}" --storage.tsdb.path="$work/prometheus-data" \
  --web.listen-address=127.0.0.1:"$http"
sidecar_grpc=$(free_port) http=$(free_port)
start sidecar "$http" "$ARGUS" sidecar --prometheus.url="http://127.0.0.1:${port[d]}" \
  --tsdb.path="$work/prometheus-data" --http-address=127.0.0.1:"$http" \
  --grpc-address=127.0.0.1:"$sidecar_grpc"
http=$(free_port)
start a "$http" "$ARGUS" query --endpoint=127.0.0.1:"$server_grpc" \
  --http-address=127.0.0.1:"$http" --grpc-address=127.0.0.1:"$(free_port)"
http=$(free_port)
start c "$http" "$ARGUS" query --endpoint=127.0.0.1:"$sidecar_grpc" \
  --http-address=127.0.0.1:"$http" --grpc-address=127.0.0.1:"$(free_port)"
wait_endpoint a
wait_endpoint c

echo "(a) argus query -> argus server gRPC; (b) argus server HTTP;" \
  "(c) argus query -> argus sidecar -> prometheus; (d) prometheus HTTP. Medians in ms."
header=$(printf '%-20s %5s %5s %9s %9s %6s %4s %9s %9s %6s %4s' query range step \
  "a" "b" "a/b" "<=1.3" "c" "d" "c/d" "<1")
((PHASES == 1)) && header+=$(printf ' %8s %8s %8s %8s' "a ttfb" "b ttfb" "c ttfb" "d ttfb")
echo "$header   answer"
ratios_ab=() ratios_cd=()
for spec in $RANGES; do
  IFS=: read -r range step <<<"$spec"
  range_s=$(seconds_of "$range")
  ((range_s <= HOURS * 3600)) || continue
  start_s=$((end_s - range_s))
  for q in "${QUERIES[@]}"; do
    name=${q%%|*} expr=${q#*|}
    for s in $SIDES; do
      read -r code _ < <(ask "$s" "$expr" "$start_s" "$end_s" "$step" "$work/$s.json")
      if [[ $code != 200 ]]; then
        echo "$name $range: ($s) answered HTTP $code: $(head -c 500 "$work/$s.json")" >&2
        exit 1
      fi
    done
    answer_ab=$(same "$work/a.json" "$work/b.json" cluster) ||
      { echo "$name $range: the answers of (a) and (b) differ (above)" >&2; exit 1; }
    same "$work/c.json" "$work/d.json" cluster >/dev/null ||
      { echo "$name $range: the answers of (c) and (d) differ (above)" >&2; exit 1; }
    declare -A total=() ttfb=()
    for ((r = 0; r < RUNS; r++)); do
      ((r % 2 == 0)) && order="a b c d" || order="b a d c"
      for s in $order; do
        read -r code secs first < <(ask "$s" "$expr" "$start_s" "$end_s" "$step")
        [[ $code == 200 ]] || { echo "$name $range: ($s) answered HTTP $code" >&2; exit 1; }
        total[$s]+="$secs " ttfb[$s]+="$first "
      done
    done
    declare -A ms=() first_ms=()
    for s in $SIDES; do
      ms[$s]=$(tr ' ' '\n' <<<"${total[$s]}" | grep . | median | awk '{print $1 * 1000}')
      first_ms[$s]=$(tr ' ' '\n' <<<"${ttfb[$s]}" | grep . | median | awk '{print $1 * 1000}')
    done
    ab=$(awk -v x="${ms[a]}" -v y="${ms[b]}" 'BEGIN {printf "%.2f", x / y}')
    cd=$(awk -v x="${ms[c]}" -v y="${ms[d]}" 'BEGIN {printf "%.2f", x / y}')
    ratios_ab+=("$ab") ratios_cd+=("$cd")
    line=$(printf '%-20s %5s %5s %9.1f %9.1f %6s %4s %9.1f %9.1f %6s %4s' "$name" "$range" "$step" \
      "${ms[a]}" "${ms[b]}" "$ab" "$(awk -v r="$ab" 'BEGIN {print (r <= 1.3 ? "yes" : "NO")}')" \
      "${ms[c]}" "${ms[d]}" "$cd" "$(awk -v r="$cd" 'BEGIN {print (r < 1 ? "yes" : "NO")}')")
    if ((PHASES == 1)); then
      line+=$(printf ' %8.1f %8.1f %8.1f %8.1f' "${first_ms[a]}" "${first_ms[b]}" \
        "${first_ms[c]}" "${first_ms[d]}")
    fi
    read -r n_series n_points <<<"$answer_ab"
    echo "$line   $n_series series, $n_points points"
    unset total ttfb ms first_ms
  done
done
summary() {  # summary LABEL LIMIT STRICT(0|1) RATIOS...: how many ratios are <= (< if STRICT) LIMIT
  local label=$1 limit=$2 strict=$3
  shift 3
  printf '%s\n' "$@" | awk -v label="$label" -v limit="$limit" -v strict="$strict" '
    {s += log($1); n++; if ($1 > worst) worst = $1; if ($1 < limit || (!strict && $1 == limit)) met++}
    END {printf "%s: bar met in %d of %d, worst %.2f, geometric mean %.2f\n",
         label, met, n, worst, exp(s / n)}'
}
summary "a/b (bar: <= 1.3)" 1.3 0 "${ratios_ab[@]}"
summary "c/d (bar: < 1)" 1 1 "${ratios_cd[@]}"
for s in a b sidecar c d; do
  printf '%-8s peak RSS %8.1f MiB\n' "$s" \
    "$(awk -v k="$(status_kib "${pid[$s]}" VmHWM)" 'BEGIN {print k / 1024}')"
done
