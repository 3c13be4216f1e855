#!/usr/bin/env bash
# Block size, Argus vs Prometheus 2.42, for the same samples: openmetrics_gen writes SERIES
# node_exporter-like series (node_fleet.h: the series and values wal_gen writes) at a 15 s
# interval for HOURS hours ending on a 2 h boundary; `promtool tsdb create-blocks-from
# openmetrics` and `argus tools tsdb create-blocks-from openmetrics` turn the file into 2 h
# blocks in two directories. Prints, per side, blocks, series, samples and chunks (summed from
# meta.json), the bytes of chunks/, index and the whole block directories, bytes per sample for
# each, and the ratios argus/prometheus (the issue's bar: total bytes per sample <= 1.00).
#
# Usage (from the repo root, after `make build`): bench/block_size_compare.sh
# Env: SERIES=2000 HOURS=4 BUILD=build/release ARGUS=$BUILD/src/cmd/argus
#      PROMTOOL=/usr/bin/promtool TMPDIR=/tmp
set -euo pipefail
SERIES=${SERIES:-2000}
HOURS=${HOURS:-4}
BUILD=${BUILD:-build/release}
ARGUS=${ARGUS:-$BUILD/src/cmd/argus}
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}
GEN=$BUILD/bench/openmetrics_gen
for bin in "$GEN" "$ARGUS" "$PROMTOOL"; do
  [[ -x $bin ]] || { echo "missing $bin (run make build first)" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "jq is required" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/block_size_compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$GEN" "$work/input.om" "$SERIES" "$HOURS"
echo "input: $(du -h "$work/input.om" | cut -f1) of OpenMetrics text"
echo "promtool: $( { /usr/bin/time -f '%e s, peak RSS %M KiB' "$PROMTOOL" tsdb create-blocks-from \
  openmetrics "$work/input.om" "$work/prometheus" >/dev/null; } 2>&1 | tail -1)"
echo "argus:    $( { /usr/bin/time -f '%e s, peak RSS %M KiB' "$ARGUS" tools tsdb create-blocks-from \
  openmetrics -q "$work/input.om" "$work/argus" >/dev/null; } 2>&1 | tail -1)"

# Sum of the sizes of the files matching `find` arguments under $1.
bytes() { local d=$1; shift; find "$d" -type f "$@" -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
meta_sum() { cat "$1"/*/meta.json | jq -s "map(.stats.$2) | add"; }

declare -A r
for side in prometheus argus; do
  d=$work/$side
  r[$side.blocks]=$(find "$d" -mindepth 2 -maxdepth 2 -name meta.json | wc -l)
  r[$side.series]=$(meta_sum "$d" numSeries)
  r[$side.samples]=$(meta_sum "$d" numSamples)
  r[$side.chunks]=$(meta_sum "$d" numChunks)
  r[$side.chunk_bytes]=$(bytes "$d" -path '*/chunks/*')
  r[$side.index_bytes]=$(bytes "$d" -name index)
  r[$side.total_bytes]=$(bytes "$d")
done
if [[ ${r[argus.samples]} != "${r[prometheus.samples]}" ]]; then
  echo "warning: sample counts differ (argus ${r[argus.samples]}, prometheus ${r[prometheus.samples]})" >&2
fi

echo
echo "$SERIES series x $HOURS h at 15 s"
printf '%-12s %6s %8s %10s %8s %12s %11s %12s %9s %9s %9s\n' side blocks series samples chunks \
  chunk_bytes index_bytes total_bytes chunk_B/s index_B/s total_B/s
for side in prometheus argus; do
  s=${r[$side.samples]}
  printf '%-12s %6s %8s %10s %8s %12s %11s %12s %9.3f %9.3f %9.3f\n' "$side" "${r[$side.blocks]}" \
    "${r[$side.series]}" "$s" "${r[$side.chunks]}" "${r[$side.chunk_bytes]}" \
    "${r[$side.index_bytes]}" "${r[$side.total_bytes]}" \
    "$(echo "${r[$side.chunk_bytes]} / $s" | bc -l)" "$(echo "${r[$side.index_bytes]} / $s" | bc -l)" \
    "$(echo "${r[$side.total_bytes]} / $s" | bc -l)"
done
# Whether the files are the same bytes: blocks paired by their meta.json minTime.
same_chunks=yes same_index=yes
for m in "$work"/prometheus/*/meta.json; do
  pb=$(dirname "$m")
  mint=$(jq .minTime "$m")
  ab=$(dirname "$(grep -l "\"minTime\": *$mint," "$work"/argus/*/meta.json | head -1)")
  for f in "$pb"/chunks/*; do cmp -s "$f" "$ab/chunks/$(basename "$f")" || same_chunks=no; done
  cmp -s "$pb/index" "$ab/index" || same_index=no
done
echo "byte-identical across sides: chunk files $same_chunks, index files $same_index"
ratio() { echo "(${r[argus.$1]} / ${r[argus.samples]}) / (${r[prometheus.$1]} / ${r[prometheus.samples]})" | bc -l; }
printf 'ratio argus/prometheus (bytes per sample): chunks %.4f, index %.4f, total %.4f (bar: total <= 1)\n' \
  "$(ratio chunk_bytes)" "$(ratio index_bytes)" "$(ratio total_bytes)"
