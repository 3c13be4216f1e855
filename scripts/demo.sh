#!/usr/bin/env bash
# The main job. Today: two "clusters", each an `argus server` with its own external labels
# (cluster, stage, region) scraping a real node_exporter and itself, as each cluster's
# Prometheus would. Their targets, federation and configuration are at the printed URLs.
# The object store, store gateway and global querier join as those parts land (issue #9).
set -euo pipefail
ARGUS=${1:-build/release/src/cmd/argus}
BASE_PORT=${ARGUS_DEMO_BASE_PORT:-9090}
NODE_PORT=${ARGUS_DEMO_NODE_PORT:-9100}
LOG_DIR=${ARGUS_DEMO_LOGS:-build/demo-logs}
DATA_DIR=${ARGUS_DEMO_DATA:-build/demo-data}
mkdir -p "$LOG_DIR" "$DATA_DIR"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  echo "demo stopped"
}
trap cleanup EXIT INT TERM

prometheus-node-exporter --web.listen-address="127.0.0.1:$NODE_PORT" \
  >"$LOG_DIR/node-exporter.log" 2>&1 &
pids+=($!)

wait_ready() {  # url pid log
  for _ in $(seq 1 100); do
    curl -fsS "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3"; exit 1; }
    sleep 0.1
  done
  echo "not ready: $1" >&2
  exit 1
}

port=$BASE_PORT
for cluster in eu1 us1; do
  config="$DATA_DIR/$cluster.yml"
  cat >"$config" <<EOF
global:
  scrape_interval: 5s
  external_labels: {cluster: $cluster, stage: demo, region: local}
scrape_configs:
  - job_name: argus
    static_configs: [{targets: ['127.0.0.1:$port']}]
  - job_name: node
    static_configs: [{targets: ['127.0.0.1:$NODE_PORT'], labels: {node: demo-node}}]
EOF
  "$ARGUS" server --config.file="$config" --web.listen-address="127.0.0.1:$port" \
    --storage.tsdb.path="$DATA_DIR/$cluster" --web.enable-lifecycle \
    >"$LOG_DIR/$cluster.log" 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$port/-/ready" "${pids[-1]}" "$LOG_DIR/$cluster.log"
  echo "cluster $cluster: argus server at http://127.0.0.1:$port (config $config)"
  echo "  targets:     curl http://127.0.0.1:$port/api/v1/targets"
  echo "  federation:  curl -G http://127.0.0.1:$port/federate --data-urlencode 'match[]={job=\"node\"}'"
  echo "  config:      curl http://127.0.0.1:$port/api/v1/status/config"
  port=$((port + 1))
done
echo "Logs in $LOG_DIR. Press Ctrl-C to stop."
wait "${pids[@]}"
