#!/usr/bin/env bash
# bench-vgg8 speed, ours (`facemoji bench train|infer`) against PyTorch 1.13 (bench/torch_vgg8.py), in one
# invocation: each benchmark runs ours then PyTorch back to back, ROUNDS times (default 2), and the ratio of the
# medians is printed. The machine is shared: compare ratios from one run, never absolute figures across runs.
#   bench/vgg8_compare.sh [--quick]      (build first: dotnet build src/Facemoji.Cli -c Release, or make build)
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=${1:-}
ROUNDS=${ROUNDS:-2}
FACEMOJI=${FACEMOJI:-}
if [[ -z "$FACEMOJI" ]]; then
  for candidate in dist/facemoji src/Facemoji.Cli/bin/Release/net10.0/facemoji; do
    [[ -x "$candidate" ]] && FACEMOJI=$candidate && break
  done
fi
[[ -n "$FACEMOJI" ]] || { echo "facemoji not built: run 'dotnet build src/Facemoji.Cli -c Release' (or set FACEMOJI)" >&2; exit 1; }
export OPENBLAS_NUM_THREADS=1

field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
median() { /usr/bin/python3 -c "import statistics,sys; print(statistics.median(float(v) for v in sys.argv[1:]))" "$@"; }

printf '| benchmark | batch | threads | ours images/s | PyTorch images/s | ours ms/image | PyTorch ms/image | ratio (ours/PyTorch speed) | floor | peak working set ours / PyTorch (MiB) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for spec in "train 64 2 1.0" "infer 64 2 1.0" "infer 1 1 1.5"; do
  read -r mode batch threads floor <<<"$spec"
  ours=() theirs=() oursmem=0 theirsmem=0
  for ((r = 0; r < ROUNDS; r++)); do
    o=$("$FACEMOJI" bench "$mode" --arch bench-vgg8 --batch "$batch" --threads "$threads" --json $QUICK)
    t=$(/usr/bin/python3 bench/torch_vgg8.py "$mode" --batch "$batch" --threads "$threads" --json $QUICK)
    ours+=("$(field images_per_second <<<"$o")")
    theirs+=("$(field images_per_second <<<"$t")")
    oursmem=$(field peak_working_set_bytes <<<"$o")
    theirsmem=$(field peak_working_set_bytes <<<"$t")
  done
  mo=$(median "${ours[@]}")
  mt=$(median "${theirs[@]}")
  /usr/bin/python3 - "$mode" "$batch" "$threads" "$mo" "$mt" "$floor" "$oursmem" "$theirsmem" <<'PY'
import sys
mode, batch, threads, o, t, floor, om, tm = sys.argv[1:]
o, t, floor = float(o), float(t), float(floor)
ratio = o / t
mark = "ok" if ratio >= floor else "BELOW"
print(f"| {mode} | {batch} | {threads} | {o:.1f} | {t:.1f} | {1000 / o:.2f} | {1000 / t:.2f} | {ratio:.2f}x | >= {floor}x {mark} | {int(om) / 2**20:.0f} / {int(tm) / 2**20:.0f} |")
PY
done
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores); rounds: $ROUNDS; $([[ -n $QUICK ]] && echo quick || echo full) samples"
