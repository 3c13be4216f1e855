#!/usr/bin/env bash
# Block upload throughput, Argus vs boto3: the same BLOCKS blocks (BLOCK_MB MiB of chunks each,
# plus a small index and meta.json; ~1 GiB by default) uploaded to the same local S3-compatible
# server (s3rver from test/npm, a fresh data directory per upload) by
#  - argus: `argus tools bucket upload-blocks` (the shipper: chunks, index, meta.json last;
#    multipart above the S3 config's part_size, default 64 MiB, 4 parts in flight), and
#  - boto3: Debian's python3-boto3 `upload_file` of the same files in the same order, with its
#    default TransferConfig (multipart above 8 MiB, 8 MiB parts, 10 threads).
# Both sign with SigV4 over plain HTTP (so both hash every byte for the signature). Wall time
# per upload by /usr/bin/time; medians over RUNS (sides alternate); prints MiB/s per side and
# the ratio argus/boto3 (the issue's bar: >= 0.8).
#
# Usage (from the repo root, after `make build` and scripts/deps.sh): bench/compare_upload.sh
# Env: BLOCKS=4 BLOCK_MB=256 RUNS=3 BUILD=build/release ARGUS=$BUILD/src/cmd/argus TMPDIR=/tmp
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BLOCKS=${BLOCKS:-4}
BLOCK_MB=${BLOCK_MB:-256}
RUNS=${RUNS:-3}
BUILD=${BUILD:-build/release}
ARGUS=${ARGUS:-$BUILD/src/cmd/argus}
S3RVER=test/npm/node_modules/.bin/s3rver
for bin in "$ARGUS" "$S3RVER"; do
  [[ -x $bin ]] || { echo "missing $bin (run make build and scripts/deps.sh)" >&2; exit 1; }
done
/usr/bin/python3 -c 'import boto3' || { echo "python3-boto3 is missing" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/compare_upload.XXXXXX")
s3pid=
cleanup() { [[ -n $s3pid ]] && kill "$s3pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The blocks: random chunk bytes (incompressible, like XOR chunks), a valid meta.json.
/usr/bin/python3 - "$work/blocks" "$BLOCKS" "$BLOCK_MB" <<'PY'
import json, os, random, sys
root, blocks, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
rnd = random.Random(42)
for b in range(blocks):
    ulid = "01J" + "".join(rnd.choice(alphabet) for _ in range(23))
    d = os.path.join(root, ulid)
    os.makedirs(os.path.join(d, "chunks"))
    with open(os.path.join(d, "chunks", "000001"), "wb") as f:
        for _ in range(mb):
            f.write(os.urandom(1 << 20))
    with open(os.path.join(d, "index"), "wb") as f:
        f.write(os.urandom(1 << 20))
    mint = 1700000000000 + b * 7200000
    json.dump({"ulid": ulid, "minTime": mint, "maxTime": mint + 7200000,
               "stats": {"numSamples": 1, "numSeries": 1, "numChunks": 1},
               "compaction": {"level": 1, "sources": [ulid]}, "version": 1},
              open(os.path.join(d, "meta.json"), "w"), indent="\t")
PY
total_mib=$(du -sm "$work/blocks" | cut -f1)

port=$(free_port)
start_s3() {
  rm -rf "$work/s3"
  mkdir -p "$work/s3"
  NODE_OPTIONS=--openssl-legacy-provider "$S3RVER" -d "$work/s3" -a 127.0.0.1 -p "$port" --configure-bucket bench --silent \
    >"$work/s3rver.log" 2>&1 &
  s3pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.1; done
}
stop_s3() { kill "$s3pid"; wait "$s3pid" 2>/dev/null || true; s3pid=; }

cat >"$work/bucket.yml" <<YML
type: S3
config:
  bucket: bench
  endpoint: 127.0.0.1:$port
  insecure: true
  access_key: S3RVER
  secret_key: S3RVER
YML

cat >"$work/boto3_upload.py" <<'PY'
import os, sys
import boto3
from botocore.config import Config
root, port = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:" + port, aws_access_key_id="S3RVER",
                  aws_secret_access_key="S3RVER", region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}))
for ulid in sorted(os.listdir(root)):
    d = os.path.join(root, ulid)
    if not os.path.isdir(d):
        continue
    names = sorted(os.path.join("chunks", c) for c in os.listdir(os.path.join(d, "chunks")))
    for rel in names + ["index", "meta.json"]:
        s3.upload_file(os.path.join(d, rel), "bench", ulid + "/" + rel)
PY

# run_side SIDE: uploads every block to a fresh bucket; prints the wall seconds.
run_side() {
  start_s3
  local cmd
  if [[ $1 == argus ]]; then
    rm -f "$work/blocks/thanos.shipper.json"  # else the shipper knows them all as uploaded
    cmd=("$ARGUS" tools bucket upload-blocks "--objstore.config-file=$work/bucket.yml"
         "--path=$work/blocks" '--label=cluster="bench"')
  else
    cmd=(/usr/bin/python3 "$work/boto3_upload.py" "$work/blocks" "$port")
  fi
  /usr/bin/time -f %e -o "$work/time" "${cmd[@]}" >"$work/$1.log" 2>&1 ||
    { echo "$1 failed:" >&2; cat "$work/$1.log" >&2; exit 1; }
  local got
  got=$(find "$work/s3/bench" -type f -name '*._S3rver_object' | wc -l)
  ((got == BLOCKS * 3)) || { echo "$1 stored $got objects, want $((BLOCKS * 3))" >&2; exit 1; }
  stop_s3
  cat "$work/time"
}

declare -A times
for ((r = 1; r <= RUNS; r++)); do
  order=(argus boto3)
  ((r % 2 == 0)) && order=(boto3 argus)
  for side in "${order[@]}"; do
    t=$(run_side "$side")
    times[$side]+="$t"$'\n'
    echo "run $r $side: ${t}s"
  done
done
a=$(printf '%s' "${times[argus]}" | median)
b=$(printf '%s' "${times[boto3]}" | median)
echo "data: $total_mib MiB in $BLOCKS blocks; medians of $RUNS runs"
printf 'argus  %6.2f s  %7.1f MiB/s\n' "$a" "$(echo "$total_mib / $a" | bc -l)"
printf 'boto3  %6.2f s  %7.1f MiB/s\n' "$b" "$(echo "$total_mib / $b" | bc -l)"
printf 'throughput ratio argus/boto3: %.2f\n' "$(echo "$b / $a" | bc -l)"
