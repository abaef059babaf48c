#!/usr/bin/env bash
# Builds Harness (Release, incremental, quiet) and runs it:
#   ./run.sh CONFIG [--out DIR | --resume RUN_DIR] [--seed N] [--device auto|cpu|cuda] [--cache-dir DIR]
#   ./run.sh validate CONFIG
#   ./run.sh metrics ACCURACY_MATRIX.csv
#   ./run.sh answer --run RUN_DIR [--domain ID] "QUESTION"
#   ./run.sh suite SUITE.yaml [--only V]... [--seeds N | --seed S...] [--out DIR] [--baseline FILE [--update-baseline]]
#   ./run.sh suite SUITE.yaml --shard K/N | --report-only   (part of a suite / merge the parts into the report)
#   ./run.sh slurm SUITE.yaml [suite options] [--partition P] [--time T] [--gpus-per-task G] [--max-parallel M] [--dry-run]
#   ./run.sh compare DIR... [--out DIR]
#   ./run.sh data mnist|fashion-mnist [--dir DIR] [--from TARBALL]   (image benchmarks into ~/.cache/harness/data)
#   ./run.sh bench [--quick] [--vs-pytorch] [--repeats N] [--out DIR]   (speed benchmark; writes results/bench/bench.json)
#   ./run.sh test [dotnet test options]   (the whole test suite; ends with "N passed, N failed, N skipped")
# Set HARNESS_BUILD_ARGS=-p:TorchBackend=cuda to build against the CUDA backend (see README).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"

if [ "${1:-}" = "test" ]; then
  shift
  results=$(mktemp -d)
  trap 'rm -rf "$results"' EXIT
  status=0
  dotnet test "$root/Harness.sln" -c Release --logger "trx" --results-directory "$results" "$@" || status=$?
  passed=0; failed=0; skipped=0
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    passed=$((passed + $(get passed)))
    failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
    skipped=$((skipped + $(get notExecuted)))
  done
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a build or runner failure counts as a failure
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ] || exit 1
  exit "$status"
fi

build_log=$(mktemp)
# shellcheck disable=SC2086
if ! dotnet build "$root/src/Harness/Harness.csproj" -c Release --nologo -v quiet -clp:NoSummary ${HARNESS_BUILD_ARGS:-} >"$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  echo "error: build failed" >&2
  exit 1
fi
rm -f "$build_log"
export HARNESS_RESULTS="${HARNESS_RESULTS:-$root/results}"
# exec: Harness itself receives SIGINT/SIGTERM sent to this script (it stops after the current step, exit 130/143).
exec dotnet "$root/src/Harness/bin/Release/net10.0/linux-x64/Harness.dll" "$@"
