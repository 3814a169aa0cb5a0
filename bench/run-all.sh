#!/usr/bin/env bash
# `make bench`: every side-by-side benchmark against its reference, one after the other (the Makefile has
# already built dist/facemoji and checked the Debian reference packages). Add a line per benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== SGEMM: facemoji vs numpy/OpenBLAS"
/usr/bin/python3 bench/gemm_compare.py --facemoji dist/facemoji "$@"

echo "== bench-vgg8 training and inference: facemoji vs PyTorch"
bench/vgg8_compare.sh

echo "== Face detection: facemoji vs OpenCV 4.6"
FACEMOJI=dist/facemoji bench/detect_compare.sh

echo "== Codecs: facemoji vs cv2.imdecode (48x48 gray JPEG, 512x512 PNG)"
bench/imaging_compare.sh

echo "== Pipeline: facemoji video (640x480, 1 minute) and facemoji image (1,000 photos)"
FACEMOJI=dist/facemoji MINUTES=1 bench/pipeline_bench.sh
