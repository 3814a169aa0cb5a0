#!/usr/bin/env bash
# Codec speed side by side: our decode, encode and resize (through ImageCodecs and Resizer) vs OpenCV, same inputs, one thread each.
# Timings on a busy machine are noisy: compare the two lines of one run, and repeat.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release bench/imaging_bench.cs "$@"
/usr/bin/python3 bench/imaging_opencv.py "$@"
