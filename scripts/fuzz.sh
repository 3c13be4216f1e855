#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build (`make fuzz`): for each binary listed in
# <build>/fuzzers.txt, writes its seeds (`-write_seeds=DIR`, valid inputs made by our own
# writers) into its corpus <build>/corpus/<name>, then fuzzes for SECONDS. Fails on any
# crash, leak, timeout or out-of-memory; the input that caused it is kept under
# <build>/artifacts/<name>/ (emptied at the start of each run) and its path printed. Every
# fuzzer runs even after one failed.
#
# usage: scripts/fuzz.sh BUILD_DIR [SECONDS]   (extra libFuzzer flags: FUZZ_FLAGS="-max_len=4096 ...")
set -euo pipefail

build=${1:?usage: fuzz.sh BUILD_DIR [SECONDS]}
seconds=${2:-20}
list="$build/fuzzers.txt"
[ -s "$list" ] || { echo "fuzz.sh: no fuzzers listed in $list (configure with -DARGUS_FUZZ=ON)" >&2; exit 1; }

# Crash reports symbolized, UBSan findings fatal, and ASan's leak check on (libFuzzer reports a
# leaking input as a crash).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
while read -r bin; do
  [ -n "$bin" ] || continue
  name=$(basename "$bin")
  corpus="$build/corpus/$name"
  artifacts="$build/artifacts/$name"
  rm -rf "$artifacts"  # only this run's findings; the corpus carries over between runs
  mkdir -p "$corpus" "$artifacts"
  "$bin" -write_seeds="$corpus" </dev/null
  log="$build/logs/$name.log"
  mkdir -p "$(dirname "$log")"
  echo "fuzz.sh: $name for ${seconds}s ($(ls "$corpus" | wc -l) inputs in $corpus)"
  # -timeout: one input taking longer is a finding; -rss_limit_mb also caps single mallocs.
  # shellcheck disable=SC2086
  if "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" ${FUZZ_FLAGS:-} "$corpus" </dev/null >"$log" 2>&1; then
    # The final status line: coverage, features, corpus size, execs per second, peak RSS.
    echo "fuzz.sh: $name: $(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)"
  else
    echo "fuzz.sh: $name FAILED; log $log, inputs:" >&2
    ls -1 "$artifacts" | sed "s|^|  $artifacts/|" >&2
    tail -n 80 "$log" >&2
    failed+=("$name")
  fi
done <"$list"

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: OK"
