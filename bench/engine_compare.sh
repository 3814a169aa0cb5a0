#!/usr/bin/env bash
# Every engine comparison of issue 10, each against its reference in the same invocation, on the widest ISA the
# machine has and again on the AVX2 path (DOTNET_EnableAVX512=0):
#   SGEMM squares 256-1024 at 1 and 2 threads      vs numpy/OpenBLAS  (bench/gemm_compare.py)
#   bench-vgg8 training step, batch 64, 2 threads  vs PyTorch 1.13    (bench/torch_vgg8.py)
#   bench-vgg8 inference, batch 1 (1 thread), 8 and 64 (2 threads)
#                                                  vs ONNX Runtime 1.31.1 (facemoji bench infer --onnxruntime)
#                                                  and PyTorch 1.13
# It records the CPU, its ISA and the 1-minute load average first and refuses to run when the load is 0.5 or
# more (FORCE=1 runs anyway and marks every table LOADED: such figures must not go into docs/BENCHMARKS.md).
# Prints Markdown tables ready for docs/BENCHMARKS.md. About 8 minutes on the 2-core machine.
#   make build && make setup-reference && bench/engine_compare.sh [--quick]
# References on the AVX2 pass: OpenBLAS is held to its Haswell (AVX2) kernels (OPENBLAS_CORETYPE=Haswell) and
# PyTorch to AVX2 (ATEN_CPU_CAPABILITY=avx2, ONEDNN_MAX_CPU_ISA=AVX2); ONNX Runtime's MLAS picks its kernels from
# CPUID and has no switch, so on an AVX-512 machine it keeps AVX-512 there (the table says which).
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=${1:-}
FACEMOJI=${FACEMOJI:-}
if [[ -z "$FACEMOJI" ]]; then
  for candidate in dist/facemoji src/Facemoji.Cli/bin/Release/net10.0/facemoji; do
    [[ -x "$candidate" ]] && FACEMOJI=$candidate && break
  done
fi
[[ -n "$FACEMOJI" ]] || { echo "facemoji not built: run 'make build' (or set FACEMOJI)" >&2; exit 1; }
PY=/usr/bin/python3
"$PY" -c "import numpy, torch" 2>/dev/null || { echo "the references are missing: run 'make setup-reference'" >&2; exit 1; }

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
flags=$(grep -m1 '^flags' /proc/cpuinfo)
isa=$(for f in avx512f avx2 fma; do [[ " $flags " == *" $f "* ]] && printf '%s ' "$f"; done)
load=$(cut -d' ' -f1 /proc/loadavg)
mark=""
echo "CPU: $cpu ($(nproc) cores); ISA: ${isa:-none of avx512f/avx2/fma}; 1-minute load average at start: $load"
if "$PY" -c "import sys; sys.exit(0 if float(sys.argv[1]) < 0.5 else 1)" "$load"; then
  :
elif [[ "${FORCE:-0}" == 1 ]]; then
  mark=" (LOADED: load average $load at start; not for docs)"
  echo "WARNING: the load average is $load (>= 0.5): running anyway (FORCE=1); these figures are not for docs."
else
  echo "The 1-minute load average is $load (>= 0.5): stop other work and wait, or run with FORCE=1 for a trial." >&2
  exit 2
fi
start=$(date +%s)

# field KEY [KEY...]: a value of the JSON on stdin (objects printed as JSON).
field() { "$PY" -c "import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1:]: d=d[k]
print(json.dumps(d) if isinstance(d, (dict, list)) else d)" "$@"; }

run_pass() {
  local label=$1; shift
  local -a env_ours=("$@")
  local -a env_refs=(OPENBLAS_NUM_THREADS=1)
  if [[ "$label" == AVX2 ]]; then
    env_refs+=(OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2)
  fi
  local vec
  vec=$(env "${env_ours[@]}" "$FACEMOJI" bench infer --batch 1 --threads 1 --quick --json | field machine vector512)
  echo
  echo "### $label path${mark}"
  echo
  echo "Ours: Vector512 $([[ $vec == True || $vec == true ]] && echo on || echo off) (${env_ours[*]:-no overrides}); references: ${env_refs[*]:-native ISA}; ONNX Runtime: native ISA (MLAS has no switch)."
  echo
  echo "#### SGEMM"
  echo
  env "${env_ours[@]}" "${env_refs[@]:1}" "$PY" bench/gemm_compare.py --shapes squares --threads 1,2 --facemoji "$FACEMOJI" $QUICK | sed -n '/^|/p;/^Geometric/p'
  echo
  echo "#### bench-vgg8"
  echo
  echo "| work | batch | threads | ours images/s | reference | reference images/s | ours / reference | floor | peak working set ours / reference (MiB) |"
  echo "|---|---:|---:|---:|---|---:|---:|---:|---:|"
  local o t
  o=$(env "${env_ours[@]}" "$FACEMOJI" bench train --batch 64 --threads 2 --json $QUICK)
  t=$(env "${env_refs[@]}" "$PY" bench/torch_vgg8.py train --batch 64 --threads 2 --json $QUICK)
  row "training step" 64 2 "$o" "PyTorch" "$t" 1.2
  for spec in "1 1 1.0" "8 2 -" "64 2 1.0"; do
    read -r batch threads floor <<<"$spec"
    o=$(env "${env_ours[@]}" "$FACEMOJI" bench infer --batch "$batch" --threads "$threads" --onnxruntime --json $QUICK)
    row "inference" "$batch" "$threads" "$o" "ONNX Runtime" "$(field onnxruntime <<<"$o")" "$floor"
    t=$(env "${env_refs[@]}" "$PY" bench/torch_vgg8.py infer --batch "$batch" --threads "$threads" --json $QUICK)
    row "inference" "$batch" "$threads" "$o" "PyTorch" "$t" -
  done
}

row() {
  "$PY" - "$@" <<'PY'
import json, sys
work, batch, threads, ours, name, ref, floor = sys.argv[1:]
o, r = json.loads(ours), json.loads(ref)
ratio = o["images_per_second"] / r["images_per_second"]
verdict = "-" if floor == "-" else f">= {floor}x {'met' if ratio >= float(floor) else 'NOT met'}"
print(f"| {work} | {batch} | {threads} | {o['images_per_second']:.1f} | {name} | {r['images_per_second']:.1f} | {ratio:.2f}x | {verdict} | "
      f"{o['peak_working_set_bytes'] / 2**20:.0f} / {r['peak_working_set_bytes'] / 2**20:.0f} |")
PY
}

run_pass "widest ISA"
run_pass AVX2 DOTNET_EnableAVX512=0
echo
echo "Finished in $(( $(date +%s) - start )) s; 1-minute load average at the end: $(cut -d' ' -f1 /proc/loadavg)."
