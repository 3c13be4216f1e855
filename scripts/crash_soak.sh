#!/usr/bin/env bash
# Crash soak: the TSDB crash test (a writer SIGKILLed at random moments, every acknowledged
# batch checked after each restart) for many more rounds than CI runs.
# Usage: scripts/crash_soak.sh [ROUNDS=1000] (after `make build-debug`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-1000}
BIN=build/debug/test/tsdb_crash_test
[[ -x $BIN ]] || { echo "crash_soak: build first (make build-debug)" >&2; exit 2; }
ARGUS_CRASH_ROUNDS=$ROUNDS "$BIN" --gtest_brief=1
