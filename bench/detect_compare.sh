#!/usr/bin/env bash
# Face detection speed, ours (`facemoji bench detect`) against OpenCV 4.6 (bench/detect_opencv.py) in one
# invocation: the 640x480 benchmark frame (tests/Facemoji.Vision.Tests/Fixtures/detector/frame_640x480.pgm),
# haarcascade_frontalface_default.xml, scale factor 1.1, 5 neighbours, min size 40x40. For each thread count
# (every core, then 1) the two run alternately ROUNDS times (default 3), so that load from other processes hits
# both alike; prints each run, the medians and the speed ratio (OpenCV ms / our ms: above 1 means we are faster).
# The machine may be shared: compare ratios from one run, never absolute figures across runs.
#   bench/detect_compare.sh [--quick]     (build first: dotnet build src/Facemoji.Cli -c Release, or make build;
#                                          needs Debian's python3-opencv: make setup-reference)
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=${1:-}
ROUNDS=${ROUNDS:-3}
FACEMOJI=${FACEMOJI:-}
if [[ -z "$FACEMOJI" ]]; then
  for candidate in dist/facemoji src/Facemoji.Cli/bin/Release/net10.0/facemoji; do
    [[ -x "$candidate" ]] && FACEMOJI=$candidate && break
  done
fi
[[ -n "$FACEMOJI" ]] || { echo "facemoji not built: run 'dotnet build src/Facemoji.Cli -c Release' (or set FACEMOJI)" >&2; exit 1; }
frame=tests/Facemoji.Vision.Tests/Fixtures/detector/frame_640x480.pgm
# CASCADE=/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml bench/detect_compare.sh times another cascade.
cascade=${CASCADE:-/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml}
frames=20
[[ "$QUICK" == "--quick" ]] && frames=5

median() { /usr/bin/python3 -c "import statistics,sys; print(statistics.median(float(v) for v in sys.argv[1:]))" "$@"; }

for threads in "$(nproc)" 1; do
  ours=() theirs=()
  for ((r = 1; r <= ROUNDS; r++)); do
    line=$(/usr/bin/python3 bench/detect_opencv.py --frame "$frame" --cascade "$cascade" --threads "$threads" --frames "$frames")
    echo "round $r, $threads thread(s): $line"
    theirs+=("$(awk '{print $2}' <<<"$line")")
    json=$("$FACEMOJI" bench detect --frame "$frame" --cascade "$cascade" --threads "$threads" --json $QUICK)
    ms=$(/usr/bin/python3 -c "import json,sys; r=json.load(sys.stdin)['results'][0]; print(r['median_ms_per_frame'], r['faces'], r['pyramid_ms'], r['scan_ms'])" <<<"$json")
    read -r m faces pyramid scan <<<"$ms"
    echo "round $r, $threads thread(s): facemoji $m ms/frame ($faces faces; pyramid $pyramid ms, scan $scan ms)"
    ours+=("$m")
  done
  mo=$(median "${ours[@]}")
  mt=$(median "${theirs[@]}")
  echo "median, $(basename "$cascade"), $threads thread(s): opencv $mt ms/frame, facemoji $mo ms/frame, speed ratio (opencv/facemoji) $(/usr/bin/python3 -c "print(f'{$mt/$mo:.2f}')")"
done
