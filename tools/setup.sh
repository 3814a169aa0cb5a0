#!/usr/bin/env bash
# Installs what Facemoji needs on a fresh Debian machine, skipping what is already there:
# the Debian packages the runtime and the tests use, and the sample photo (astronaut.png from
# python3-skimage, unpacked into third_party/, never installed), and MediaPipe's BlazeFace models (npm pack
# @mediapipe/face_detection into third_party/mediapipe/). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# ffmpeg: video in and out. opencv-data: the Haar/LBP cascades. fonts-noto-color-emoji: the noto pack.
# fonts-dejavu-core: the font of labels, panels, contact sheets and the training and evaluation charts (drawn by
# SkiaSharp, which brings its own native library). libturbojpeg0: JPEG decoding and encoding (faster than Skia's own
# JPEG codec). chromium: the browser the web app's end-to-end test drives. (haproxy is installed further down, optionally.)
packages=(ffmpeg opencv-data fonts-noto-color-emoji fonts-dejavu-core libturbojpeg0 chromium)
if [ "${1:-}" = "--reference" ]; then
  # Only for regenerating fixtures and running side-by-side benchmarks; never a runtime need.
  packages+=(python3-torch python3-opencv python3-numpy libopenblas0-pthread)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# haproxy: the load balancer of the several-servers test (deploy/haproxy). Only that test needs it, so a machine
# where it cannot be installed still builds and tests; the test then reports itself skipped, saying why.
if ! dpkg-query -W -f='${Status}' haproxy 2>/dev/null | grep -q "install ok installed"; then
  echo "setup: installing haproxy"
  if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null; }; then
    echo "setup: warning: haproxy could not be installed; the HAProxy failover test will be skipped" >&2
  fi
  # Debian's package starts a system haproxy on port 80 with its own config; the tests start their own.
  if command -v systemctl >/dev/null && systemctl is-active --quiet haproxy 2>/dev/null; then
    as_root systemctl disable --now haproxy >/dev/null 2>&1 || true
  fi
fi

sample=third_party/skimage/astronaut.png
if [ ! -f "$sample" ]; then
  echo "setup: fetching the sample photo (astronaut.png from Debian's python3-skimage)"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download python3-skimage >/dev/null 2>&1 || { as_root apt-get update -qq && apt-get download python3-skimage >/dev/null; })
  dpkg -x "$tmp"/python3-skimage_*.deb "$tmp/x"
  mkdir -p third_party/skimage
  find "$tmp/x" -path '*skimage/data/*' -name '*.png' -exec cp {} third_party/skimage/ \;
  rm -rf "$tmp"
  test -f "$sample" || { echo "setup: astronaut.png not found in python3-skimage" >&2; exit 1; }
fi

# MediaPipe's BlazeFace face detector models (Apache-2.0), from the npm package @mediapipe/face_detection,
# fetched with the ordinary `npm pack` (Debian's npm) and unpacked into third_party/mediapipe/.
mediapipe=third_party/mediapipe
if [ ! -f "$mediapipe/face_detection_short_range.tflite" ] || [ ! -f "$mediapipe/face_detection_full_range.tflite" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: installing npm (for the MediaPipe face detector models)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  echo "setup: fetching the BlazeFace models (npm pack @mediapipe/face_detection@0.4.1657300184)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent @mediapipe/face_detection@0.4.1657300184 >/dev/null)
  tar -xzf "$tmp"/mediapipe-face_detection-*.tgz -C "$tmp"
  mkdir -p "$mediapipe"
  for model in face_detection_short_range.tflite face_detection_full_range.tflite; do
    test -f "$tmp/package/$model" || { echo "setup: $model not found in @mediapipe/face_detection" >&2; rm -rf "$tmp"; exit 1; }
    cp "$tmp/package/$model" "$mediapipe/"
  done
  cp "$tmp/package/README.md" "$mediapipe/README-face_detection.md" 2>/dev/null || true
  rm -rf "$tmp"
fi
