#!/usr/bin/env bash
# Sums the TRX results that `dotnet test --logger trx` wrote under a folder and prints one plain line,
# "tests: N passed, N failed, N skipped", so that a reader of CI's log sees the whole count at once.
set -euo pipefail
dir=${1:-TestResults}
passed=0; failed=0; skipped=0
shopt -s nullglob globstar
for f in "$dir"/**/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get notExecuted)))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
