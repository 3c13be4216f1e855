#!/usr/bin/env bash
# Throughput of the HTTP layer: wrk against `argus server` and against a real Prometheus 2.42
# (Go net/http) on the same machine, for the probe endpoint and /metrics. Prints requests/s and
# the ratio argus/prometheus. Usage: bench/http_wrk.sh [ARGUS_BIN] (release build by default).
set -euo pipefail
ARGUS=${1:-build/release/src/cmd/argus}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 1 200); do curl -fsS "http://127.0.0.1:$1/-/ready" >/dev/null 2>&1 && return 0; sleep 0.05; done; return 1; }
rps() { wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" "$1" | awk '/Requests\/sec/ {print $2}'; }

ap=$(free_port)
"$ARGUS" server --web.listen-address=127.0.0.1:$ap --log.level=warn &
wait_ready "$ap"

pp=$(free_port)
printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address=127.0.0.1:$pp --log.level=warn &
wait_ready "$pp"

echo "wrk -t$THREADS -c$CONNS -d$DURATION; $(nproc) cores; servers and wrk share the machine"
printf '%-12s %14s %14s %8s\n' endpoint argus_rps prometheus_rps ratio
for path in /-/healthy /metrics; do
  a=$(rps "http://127.0.0.1:$ap$path")
  p=$(rps "http://127.0.0.1:$pp$path")
  printf '%-12s %14s %14s %8.2f\n' "$path" "$a" "$p" "$(echo "$a / $p" | bc -l)"
done
