#!/usr/bin/python3
"""OpenCV's side of bench/imaging_bench.cs: cv2.imdecode/imencode/resize of the same bytes, one thread, median of 7 repeats.
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


def timed_call(action):
    for _ in range(3):
        action()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(5):
            action()
        times.append((time.perf_counter() - start) / 5 * 1000)
    return statistics.median(times)


def timed(flag):
    return timed_call(lambda: cv2.imdecode(png, flag))


photo = cv2.imdecode(png, cv2.IMREAD_COLOR)
h, w = photo.shape[:2]
photo_jpeg = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 90])[1]
print(f"opencv png {os.path.basename(png_path)}: {timed(cv2.IMREAD_COLOR):.2f} ms colour (BGR), {timed(cv2.IMREAD_GRAYSCALE):.2f} ms gray")
print(f"opencv jpeg q90 of it: {timed_call(lambda: cv2.imdecode(photo_jpeg, cv2.IMREAD_COLOR)):.2f} ms colour decode")
png_ms = timed_call(lambda: cv2.imencode(".png", photo))
jpeg_ms = timed_call(lambda: cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 90]))
print(f"opencv encode: {png_ms:.2f} ms PNG, {jpeg_ms:.2f} ms JPEG q90")
half_ms = timed_call(lambda: cv2.resize(photo, (w // 2, h // 2), interpolation=cv2.INTER_AREA))
double_ms = timed_call(lambda: cv2.resize(photo, (w * 2, h * 2), interpolation=cv2.INTER_LINEAR))
print(f"opencv resize: {half_ms:.2f} ms half (area), {double_ms:.2f} ms double (bilinear)")
