#!/usr/bin/python3
"""OpenCV's side of bench/imaging_bench.cs: cv2.imdecode of the same bytes, one thread, median of 7 repeats.
   /usr/bin/python3 bench/imaging_opencv.py [astronaut.png] [jpeg folder]"""
import glob
import os
import statistics
import sys
import time

import cv2
import numpy as np

cv2.setNumThreads(1)
png_path = sys.argv[1] if len(sys.argv) > 1 else "third_party/skimage/astronaut.png"
folder = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/data/fer2013/train"
if not os.path.isdir(folder):
    sys.exit(f"{folder} not found: the OpenCV side needs real JPEG files")
files = sorted(glob.glob(os.path.join(folder, "**", "*.jpg"), recursive=True))[:5000]
jpegs = [np.frombuffer(open(f, "rb").read(), np.uint8) for f in files]
for j in jpegs[:200]:
    cv2.imdecode(j, cv2.IMREAD_GRAYSCALE)
rates = []
for _ in range(7):
    start = time.perf_counter()
    for j in jpegs:
        cv2.imdecode(j, cv2.IMREAD_GRAYSCALE)
    rates.append(len(jpegs) / (time.perf_counter() - start))
print(f"opencv jpeg 48x48 gray: {statistics.median(rates):.0f} decodes/s ({len(jpegs)} files from {folder})")

png = np.frombuffer(open(png_path, "rb").read(), np.uint8)


def timed(flag):
    for _ in range(3):
        cv2.imdecode(png, flag)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(5):
            cv2.imdecode(png, flag)
        times.append((time.perf_counter() - start) / 5 * 1000)
    return statistics.median(times)


print(f"opencv png {os.path.basename(png_path)}: {timed(cv2.IMREAD_COLOR):.2f} ms colour (BGR), {timed(cv2.IMREAD_GRAYSCALE):.2f} ms gray")
