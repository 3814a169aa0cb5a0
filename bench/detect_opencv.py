#!/usr/bin/python3
"""OpenCV 4.6's CascadeClassifier.detectMultiScale on the benchmark frame: the reference for
src/Facemoji.Benchmarks/Detection/DetectionBenchmark.cs (same frame, cascade, options, warm-up and repeats).
Prints one line: opencv <median ms/frame> ms/frame (<faces> faces, <threads> threads)."""
import argparse
import time

import cv2
import numpy as np


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5" and parts[3] == b"255", path
    w, h = int(parts[1]), int(parts[2])
    return np.frombuffer(parts[4][:w * h], np.uint8).reshape(h, w)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--frame", default="tests/Facemoji.Vision.Tests/Fixtures/detector/frame_640x480.pgm")
    p.add_argument("--cascade", default="/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")
    p.add_argument("--frames", type=int, default=20)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", type=int, default=0, help="cv2.setNumThreads; 0 keeps OpenCV's default (all cores)")
    a = p.parse_args()
    if a.threads > 0:
        cv2.setNumThreads(a.threads)
    frame = read_pgm(a.frame)
    cascade = cv2.CascadeClassifier(a.cascade)
    kwargs = dict(scaleFactor=1.1, minNeighbors=5, minSize=(40, 40))
    faces = 0
    for _ in range(a.warmup):
        faces = len(cascade.detectMultiScale(frame, **kwargs))
    times = []
    for _ in range(a.repeats):
        start = time.perf_counter()
        for _ in range(a.frames):
            cascade.detectMultiScale(frame, **kwargs)
        times.append((time.perf_counter() - start) * 1000 / a.frames)
    times.sort()
    print(f"opencv {times[len(times) // 2]:.2f} ms/frame ({faces} faces, {cv2.getNumThreads()} threads)")


if __name__ == "__main__":
    main()
