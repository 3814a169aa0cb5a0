#!/usr/bin/env bash
# Face detection speed, ours against OpenCV 4.6 in the same invocation: the 640x480 benchmark frame
# (tests/Facemoji.Vision.Tests/Fixtures/detector/frame_640x480.pgm), haarcascade_frontalface_default.xml,
# scale factor 1.1, 5 neighbours, min size 40x40. Runs alternate (OpenCV, ours, OpenCV, ours, ...) so that
# load from other processes hits both sides alike; prints ms/frame of each run, the medians and the ratio
# (OpenCV ms / our ms: above 1 means we are faster).
# Both sides run with all cores (OpenCV's default) and then again with one thread each.
# Needs Debian's python3-opencv (make setup-reference). Usage: bench/detect_compare.sh [rounds] [frame.pgm] [cascade.xml]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
frame=${2:-tests/Facemoji.Vision.Tests/Fixtures/detector/frame_640x480.pgm}
cascade=${3:-/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml}
cores=$(nproc)

if [ -x dist/facemoji ] && dist/facemoji bench --help 2>/dev/null | grep -q detect; then
  ours() { dist/facemoji bench detect --frame "$frame" --cascade "$cascade" --threads "$1"; }
else
  dotnet build bench/detect_bench.cs -c Release >/dev/null 2>&1 || true
  ours() { dotnet run -c Release bench/detect_bench.cs "$frame" "$cascade" "$1"; }
fi

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for threads in "$cores" 1; do
  opencv_ms=()
  ours_ms=()
  for i in $(seq "$rounds"); do
    line=$(/usr/bin/python3 bench/detect_opencv.py --frame "$frame" --cascade "$cascade" --threads "$threads")
    echo "round $i: $line"
    opencv_ms+=("$(echo "$line" | awk '{print $2}')")
    line=$(ours "$threads" | tail -1)
    echo "round $i: $line"
    ours_ms+=("$(echo "$line" | awk '{print $2}')")
  done
  o=$(median "${opencv_ms[@]}")
  f=$(median "${ours_ms[@]}")
  echo "median, $threads thread(s): opencv $o ms/frame, facemoji $f ms/frame, speed ratio (opencv/facemoji) $(awk -v o="$o" -v f="$f" 'BEGIN {printf "%.2f", o/f}')"
done
