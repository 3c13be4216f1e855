#!/usr/bin/env bash
# The main job. Today: one `argus server` with its TSDB, self-metrics, probes and graceful
# shutdown.
# The multi-cluster topology (two clusters, bucket, store gateway, querier) replaces this as
# those parts land (issue #9).
set -euo pipefail
ARGUS=${1:-build/release/src/cmd/argus}
ADDR=${ARGUS_DEMO_ADDRESS:-127.0.0.1:9090}
LOG_DIR=${ARGUS_DEMO_LOGS:-build/demo-logs}
mkdir -p "$LOG_DIR"

DATA_DIR=${ARGUS_DEMO_DATA:-build/demo-data}
"$ARGUS" server --web.listen-address="$ADDR" --storage.tsdb.path="$DATA_DIR" \
  >"$LOG_DIR/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; echo "demo stopped"' EXIT INT TERM

for _ in $(seq 1 100); do
  curl -fsS "http://$ADDR/-/ready" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$LOG_DIR/server.log"; exit 1; }
  sleep 0.1
done
echo "argus server ready at http://$ADDR (logs in $LOG_DIR)"
echo "  self metrics:  curl http://$ADDR/metrics"
echo "  probes:        curl http://$ADDR/-/healthy  http://$ADDR/-/ready"
echo "Press Ctrl-C to stop."
wait $pid
