#!/usr/bin/env bash
# The main job (`make demo`): the seed's multi-cluster architecture on one machine.
#   cluster-a (stage prod, region us-east-1): `argus server` scraping a real node_exporter and
#     itself, shipping its blocks to the bucket and serving the StoreAPI (the embedded sidecar);
#   cluster-b (stage prod, region eu-west-1): a real Prometheus 2.42 scraping the same and
#     `argus sidecar` next to it (the kube-prometheus-stack layout), shipping and serving;
#   observer: `argus store` over the bucket and `argus query` over all three, with the
#     Prometheus HTTP API for Grafana on localhost:10902 (Thanos's port).
# The bucket is a local directory, or a local S3 server (s3rver) with DEMO_S3=1. Blocks are
# cut every DEMO_BLOCK_DURATION (2m), so uploads show within minutes. Logs go to one folder per
# process; a health summary and example queries are printed once everything is ready; Ctrl-C
# (or SIGTERM) stops every process.
#
# Usage: scripts/demo.sh [ARGUS_BINARY]
# Env: DEMO_DIR=build/demo DEMO_S3=0 DEMO_BLOCK_DURATION=2m DEMO_RETENTION=1d
#      DEMO_SCRAPE_INTERVAL=5s DEMO_SYNC_INTERVAL=30s DEMO_QUERY_PORT=10902
set -euo pipefail
ARGUS=$(realpath "${1:-build/release/src/cmd/argus}")
REPO=$(cd "$(dirname "$0")/.." && pwd)
DEMO_DIR=${DEMO_DIR:-build/demo}
DEMO_S3=${DEMO_S3:-0}
BLOCK=${DEMO_BLOCK_DURATION:-2m}
RETENTION=${DEMO_RETENTION:-1d}
SCRAPE=${DEMO_SCRAPE_INTERVAL:-5s}
SYNC=${DEMO_SYNC_INTERVAL:-30s}
QUERY_PORT=${DEMO_QUERY_PORT:-10902}
LOGS=$DEMO_DIR/logs
DATA=$DEMO_DIR/data

for bin in "$ARGUS" prometheus prometheus-node-exporter curl python3; do
  command -v "$bin" >/dev/null || { echo "demo: missing $bin (run scripts/deps.sh)" >&2; exit 1; }
done
rm -rf "$DATA" "$LOGS"
mkdir -p "$LOGS" "$DATA"

names=()
pids=()
stopping=0
cleanup() {
  [[ $stopping == 1 ]] && return
  stopping=1
  echo "demo: stopping ${#pids[@]} processes"
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  echo "demo: stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
port_free() {
  python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1])))' \
    "$1" 2>/dev/null
}

# start NAME COMMAND...: runs COMMAND in the background with its output in $LOGS/NAME.log.
start() {
  local name=$1
  shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

# wait_ready NAME URL: until URL answers 200 (the process must stay alive; 120 s at most).
wait_ready() {
  local name=$1 url=$2 i pid=${pids[-1]}
  for i in "${!names[@]}"; do [[ ${names[i]} == "$name" ]] && pid=${pids[i]}; done
  for _ in $(seq 1 1200); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "demo: $name exited; its log ($LOGS/$name.log):" >&2
      tail -n 30 "$LOGS/$name.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "demo: $name not ready at $url after 120 s (log: $LOGS/$name.log)" >&2
  exit 1
}

if ! port_free "$QUERY_PORT"; then
  echo "demo: port $QUERY_PORT is taken; the querier takes another" >&2
  QUERY_PORT=$(free_port)
fi
NODE=$(free_port)
A_WEB=$(free_port) A_GRPC=$(free_port)
B_PROM=$(free_port) B_WEB=$(free_port) B_GRPC=$(free_port)
STORE_WEB=$(free_port) STORE_GRPC=$(free_port) QUERY_GRPC=$(free_port)

# The bucket.
BUCKET_CONFIG=$DEMO_DIR/bucket.yml
if [[ $DEMO_S3 == 1 ]]; then
  S3RVER=$REPO/test/npm/node_modules/.bin/s3rver
  [[ -x $S3RVER ]] || { echo "demo: $S3RVER missing (run scripts/deps.sh)" >&2; exit 1; }
  S3_PORT=$(free_port)
  mkdir -p "$DATA/s3"
  # s3rver's continuation tokens use DES, which Node's OpenSSL 3 keeps in its legacy provider.
  start s3rver env NODE_OPTIONS=--openssl-legacy-provider "$S3RVER" -d "$DATA/s3" \
    -a 127.0.0.1 -p "$S3_PORT" --configure-bucket metrics
  for _ in $(seq 1 300); do
    grep -q "S3rver listening" "$LOGS/s3rver.log" 2>/dev/null && break
    sleep 0.1
  done
  cat >"$BUCKET_CONFIG" <<EOF
type: S3
config:
  bucket: metrics
  endpoint: 127.0.0.1:$S3_PORT
  insecure: true
  access_key: S3RVER
  secret_key: S3RVER
EOF
  BUCKET_DESC="s3rver at http://127.0.0.1:$S3_PORT, bucket 'metrics'"
else
  mkdir -p "$DATA/bucket"
  cat >"$BUCKET_CONFIG" <<EOF
type: FILESYSTEM
config:
  directory: $(realpath "$DATA/bucket")
EOF
  BUCKET_DESC="directory $DATA/bucket"
fi

start node-exporter prometheus-node-exporter --web.listen-address="127.0.0.1:$NODE"
wait_ready node-exporter "http://127.0.0.1:$NODE/metrics"

# scrape_config SELF_PORT CLUSTER REGION: a cluster's Prometheus configuration.
scrape_config() {
  cat <<EOF
global:
  scrape_interval: $SCRAPE
  evaluation_interval: $SCRAPE
  external_labels: {cluster: $2, stage: prod, region: $3}
scrape_configs:
  - job_name: node
    static_configs: [{targets: ['127.0.0.1:$NODE'], labels: {node: demo-node}}]
  - job_name: prometheus
    static_configs: [{targets: ['127.0.0.1:$1']}]
EOF
}

# cluster-a: argus server, the embedded sidecar role.
scrape_config "$A_WEB" cluster-a us-east-1 >"$DEMO_DIR/cluster-a.yml"
start cluster-a "$ARGUS" server --config.file="$DEMO_DIR/cluster-a.yml" \
  --web.listen-address="127.0.0.1:$A_WEB" --grpc-address="127.0.0.1:$A_GRPC" \
  --storage.tsdb.path="$DATA/cluster-a" --storage.tsdb.retention.time="$RETENTION" \
  --storage.tsdb.min-block-duration="$BLOCK" --storage.tsdb.max-block-duration="$BLOCK" \
  --objstore.config-file="$BUCKET_CONFIG" --web.enable-lifecycle

# cluster-b: Prometheus 2.42 with argus sidecar (min = max block duration, as the sidecar asks).
scrape_config "$B_PROM" cluster-b eu-west-1 >"$DEMO_DIR/cluster-b.yml"
start cluster-b-prometheus prometheus --config.file="$DEMO_DIR/cluster-b.yml" \
  --web.listen-address="127.0.0.1:$B_PROM" --storage.tsdb.path="$DATA/cluster-b" \
  --storage.tsdb.retention.time="$RETENTION" \
  --storage.tsdb.min-block-duration="$BLOCK" --storage.tsdb.max-block-duration="$BLOCK" \
  --web.enable-lifecycle
wait_ready cluster-b-prometheus "http://127.0.0.1:$B_PROM/-/ready"
start cluster-b-sidecar "$ARGUS" sidecar --prometheus.url="http://127.0.0.1:$B_PROM" \
  --tsdb.path="$DATA/cluster-b" --objstore.config-file="$BUCKET_CONFIG" \
  --http-address="127.0.0.1:$B_WEB" --grpc-address="127.0.0.1:$B_GRPC"

# The observer.
start store "$ARGUS" store --objstore.config-file="$BUCKET_CONFIG" --data-dir="$DATA/store" \
  --http-address="127.0.0.1:$STORE_WEB" --grpc-address="127.0.0.1:$STORE_GRPC" \
  --sync-block-duration="$SYNC"
start query "$ARGUS" query --http-address="127.0.0.1:$QUERY_PORT" \
  --grpc-address="127.0.0.1:$QUERY_GRPC" --endpoint="127.0.0.1:$A_GRPC" \
  --endpoint="127.0.0.1:$B_GRPC" --endpoint="127.0.0.1:$STORE_GRPC" \
  --query.replica-label=replica --store.response-timeout=10s

wait_ready cluster-a "http://127.0.0.1:$A_WEB/-/ready"
wait_ready cluster-b-sidecar "http://127.0.0.1:$B_WEB/-/ready"
wait_ready store "http://127.0.0.1:$STORE_WEB/-/ready"
wait_ready query "http://127.0.0.1:$QUERY_PORT/-/ready"
# Ready also means the querier sees both clusters' StoreAPIs.
for _ in $(seq 1 600); do
  stores=$(curl -fsS "http://127.0.0.1:$QUERY_PORT/api/v1/stores" || true)
  [[ $stores == *cluster-a* && $stores == *cluster-b* ]] && break
  sleep 0.1
done

Q="http://localhost:$QUERY_PORT"
cat <<EOF

Health (logs in $LOGS):
  cluster-a   argus server           http://127.0.0.1:$A_WEB   StoreAPI 127.0.0.1:$A_GRPC
  cluster-b   prometheus 2.42        http://127.0.0.1:$B_PROM
              argus sidecar          http://127.0.0.1:$B_WEB   StoreAPI 127.0.0.1:$B_GRPC
  observer    argus store            http://127.0.0.1:$STORE_WEB   StoreAPI 127.0.0.1:$STORE_GRPC
              argus query            $Q   StoreAPI 127.0.0.1:$QUERY_GRPC
  node        node_exporter          http://127.0.0.1:$NODE/metrics
  bucket      $BUCKET_DESC
EOF
curl -fsS "$Q/api/v1/stores" | python3 -c '
import json, sys
for kind, eps in sorted(json.load(sys.stdin)["data"].items()):
    for e in eps:
        sets = ", ".join("{" + ",".join("%s=%s" % kv for kv in sorted(s.items())) + "}"
                         for s in e["labelSets"]) or "(no blocks yet)"
        print("  endpoint %-22s %-8s %-6s %s" % (e["name"], kind,
              "up" if e["lastError"] is None else "DOWN", sets))'
cat <<EOF

ready: the global view is at $Q (Prometheus HTTP API; add it to Grafana as a Prometheus
data source). Try:
  curl -G $Q/api/v1/query --data-urlencode 'query=sum by (cluster) (rate(node_cpu_seconds_total[5m]))'
  curl -G $Q/api/v1/query --data-urlencode 'query=count by (cluster, region) (up)'
  curl -G $Q/api/v1/query --data-urlencode 'query=sum by (cluster) (node_memory_MemAvailable_bytes)'
  curl $Q/api/v1/stores
Blocks of $BLOCK reach the bucket ($BUCKET_DESC) a few minutes in; the store gateway
picks them up every $SYNC. Press Ctrl-C to stop everything.
EOF
wait -n "${pids[@]}" || true
echo "demo: a process exited unexpectedly; see $LOGS" >&2
exit 1
