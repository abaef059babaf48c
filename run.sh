#!/usr/bin/env bash
# Builds Harness (Release, incremental, quiet) and runs it:
#   ./run.sh CONFIG [--out DIR] [--seed N] [--device auto|cpu|cuda] [--cache-dir DIR]
#   ./run.sh validate CONFIG
#   ./run.sh metrics ACCURACY_MATRIX.csv
# Set HARNESS_BUILD_ARGS=-p:TorchBackend=cuda to build against the CUDA backend (see README).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
# shellcheck disable=SC2086
if ! dotnet build "$root/src/Harness/Harness.csproj" -c Release --nologo -v quiet -clp:NoSummary ${HARNESS_BUILD_ARGS:-} >"$build_log" 2>&1; then
  cat "$build_log" >&2
  echo "error: build failed" >&2
  exit 1
fi
export HARNESS_RESULTS="${HARNESS_RESULTS:-$root/results}"
dotnet "$root/src/Harness/bin/Release/net10.0/linux-x64/Harness.dll" "$@"
