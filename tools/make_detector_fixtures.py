#!/usr/bin/python3
"""Builds the face-detector fixtures: gray test images (binary PGM, P5) made from the skimage photos in
third_party/skimage/ (run tools/setup.sh first) and what OpenCV's CascadeClassifier.detectMultiScale returns for
each image x cascade x parameter set, plus small checks of cv2.resize(INTER_LINEAR_EXACT) and cv2.integral3.

Run with Debian's python3 and python3-opencv 4.6:  /usr/bin/python3 tools/make_detector_fixtures.py
Writes tests/Facemoji.Vision.Tests/Fixtures/detector/*.pgm and detector/opencv_detections.json.
"""
import json
import os
import sys

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIMAGE = os.path.join(ROOT, "third_party", "skimage")
OUT = os.path.join(ROOT, "tests", "Facemoji.Vision.Tests", "Fixtures", "detector")
CASCADES = "/usr/share/opencv4"


def load_gray(name):
    path = os.path.join(SKIMAGE, name + ".png")
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        sys.exit(f"missing {path}: run tools/setup.sh first")
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def write_pgm(path, gray):
    h, w = gray.shape
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (w, h))
        f.write(np.ascontiguousarray(gray, dtype=np.uint8).tobytes())


def make_images():
    astronaut = load_gray("astronaut")
    camera = load_gray("camera")
    chelsea = load_gray("chelsea")
    coffee = load_gray("coffee")
    coins = load_gray("coins")
    horse = load_gray("horse")
    images = {}
    images["astronaut_512"] = astronaut
    images["astronaut_224"] = cv2.resize(astronaut, (224, 224), interpolation=cv2.INTER_AREA)
    images["astronaut_flipped_320"] = cv2.flip(cv2.resize(astronaut, (320, 320), interpolation=cv2.INTER_AREA), 1)
    darker = cv2.resize(astronaut, (384, 384), interpolation=cv2.INTER_AREA).astype(np.float32) * 0.55 + 20
    images["astronaut_dark_384"] = np.clip(darker, 0, 255).astype(np.uint8)
    brighter = cv2.resize(astronaut, (300, 300), interpolation=cv2.INTER_AREA).astype(np.float32) * 1.3 + 25
    images["astronaut_bright_300"] = np.clip(brighter, 0, 255).astype(np.uint8)

    # The astronaut in a VGA frame: the benchmark image too.
    frame = np.full((480, 640), 96, np.uint8)
    frame[:, :] = np.linspace(60, 160, 640, dtype=np.float32).astype(np.uint8)[None, :]
    frame[40:440, 180:580] = cv2.resize(astronaut, (400, 400), interpolation=cv2.INTER_AREA)
    images["frame_640x480"] = frame

    # A collage: the astronaut's face at three sizes, the camera man and a no-face patch.
    collage = np.full((480, 640), 128, np.uint8)
    face = astronaut[20:300, 120:380]  # head and shoulders
    collage[10:290, 10:270] = face
    collage[300:440, 20:150] = cv2.resize(face, (130, 140), interpolation=cv2.INTER_AREA)
    collage[20:160, 300:430] = cv2.resize(cv2.flip(face, 1), (130, 140), interpolation=cv2.INTER_AREA)
    collage[200:470, 330:630] = cv2.resize(camera, (300, 270), interpolation=cv2.INTER_AREA)
    collage[175:195, 450:520] = 200
    images["collage_640x480"] = collage

    images["camera_256"] = cv2.resize(camera, (256, 256), interpolation=cv2.INTER_AREA)
    images["chelsea_cat"] = chelsea
    images["coffee_300x200"] = cv2.resize(coffee, (300, 200), interpolation=cv2.INTER_AREA)
    images["coins"] = coins
    images["horse_200x164"] = cv2.resize(horse, (200, 164), interpolation=cv2.INTER_AREA)
    return images


PARAMS = {
    "ours": dict(scaleFactor=1.1, minNeighbors=5, minSize=(40, 40), maxSize=(0, 0)),
    "opencv_defaults": dict(scaleFactor=1.1, minNeighbors=3, minSize=(0, 0), maxSize=(0, 0)),
    "coarse_raw": dict(scaleFactor=1.25, minNeighbors=0, minSize=(30, 30), maxSize=(0, 0)),
    "fine_bounded": dict(scaleFactor=1.05, minNeighbors=4, minSize=(24, 24), maxSize=(220, 220)),
}

FACE_CASCADES = [
    "haarcascades/haarcascade_frontalface_default.xml",
    "haarcascades/haarcascade_frontalface_alt2.xml",
    "lbpcascades/lbpcascade_frontalface_improved.xml",
]

# Other code paths: Haar trees with tilted features, LBP on cats, tilted stumps, the old XML format.
EXTRA = [
    ("haarcascades/haarcascade_eye_tree_eyeglasses.xml", ["astronaut_512", "astronaut_224", "collage_640x480"], ["ours_eyes", "coarse_raw_eyes"]),
    ("haarcascades/haarcascade_frontalcatface_extended.xml", ["chelsea_cat", "coins"], ["opencv_defaults", "coarse_raw"]),
    ("lbpcascades/lbpcascade_frontalcatface.xml", ["chelsea_cat", "coins"], ["opencv_defaults", "coarse_raw"]),
    ("haarcascades/haarcascade_upperbody.xml", ["astronaut_224", "camera_256"], ["coarse_raw"]),
    ("haarcascades/haarcascade_licence_plate_rus_16stages.xml", ["coins", "horse_200x164"], ["coarse_raw_plates"]),
]
PARAMS["ours_eyes"] = dict(scaleFactor=1.1, minNeighbors=5, minSize=(10, 10), maxSize=(0, 0))
PARAMS["coarse_raw_eyes"] = dict(scaleFactor=1.25, minNeighbors=0, minSize=(12, 12), maxSize=(0, 0))
PARAMS["coarse_raw_plates"] = dict(scaleFactor=1.1, minNeighbors=0, minSize=(0, 0), maxSize=(0, 0))


def detect(cascade, gray, p):
    boxes = cascade.detectMultiScale(gray, scaleFactor=p["scaleFactor"], minNeighbors=p["minNeighbors"],
                                     minSize=p["minSize"], maxSize=p["maxSize"])
    return sorted([[int(v) for v in b] for b in boxes])


def main():
    os.makedirs(OUT, exist_ok=True)
    cv2.setNumThreads(2)
    images = make_images()
    for name, gray in images.items():
        write_pgm(os.path.join(OUT, name + ".pgm"), gray)

    cases = []
    loaded = {}

    def run(cascade_path, image_names, param_names):
        if cascade_path not in loaded:
            c = cv2.CascadeClassifier(os.path.join(CASCADES, cascade_path))
            if c.empty():
                sys.exit(f"OpenCV could not load {cascade_path}")
            loaded[cascade_path] = c
        for image_name in image_names:
            for param_name in param_names:
                p = PARAMS[param_name]
                cases.append({
                    "image": image_name,
                    "cascade": cascade_path,
                    "params": param_name,
                    "scaleFactor": p["scaleFactor"],
                    "minNeighbors": p["minNeighbors"],
                    "minSize": list(p["minSize"]),
                    "maxSize": list(p["maxSize"]),
                    "boxes": detect(loaded[cascade_path], images[image_name], p),
                })

    # The fine pyramid (scale factor 1.05) is the slowest case for the tests: half of the images get it.
    fine_images = ["astronaut_512", "astronaut_bright_300", "frame_640x480", "collage_640x480", "coins", "chelsea_cat"]
    for cascade_path in FACE_CASCADES:
        run(cascade_path, list(images), ["ours", "opencv_defaults"])
        run(cascade_path, fine_images, ["fine_bounded"])
        run(cascade_path, ["astronaut_512", "frame_640x480", "collage_640x480", "chelsea_cat"], ["coarse_raw"])
    for cascade_path, image_names, param_names in EXTRA:
        run(cascade_path, image_names, param_names)

    # Bit-exact resize and the three integral tables on a small random image.
    rng = np.random.default_rng(7)
    small = rng.integers(0, 256, size=(37, 53), dtype=np.uint8)
    small[10:20, 5:30] = 250
    resizes = []
    for (w, h) in [(53, 37), (48, 34), (44, 31), (26, 18), (20, 20), (61, 40), (7, 5)]:
        out = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR_EXACT)
        resizes.append({"width": w, "height": h, "pixels": out.flatten().tolist()})
    s, sq, tilted = cv2.integral3(small, sdepth=cv2.CV_32S, sqdepth=cv2.CV_64F)
    checks = {
        "source": {"width": 53, "height": 37, "pixels": small.flatten().tolist()},
        "resizes": resizes,
        "sum": s.flatten().astype(np.int64).tolist(),
        "squares": sq.flatten().astype(np.int64).tolist(),
        "tilted": tilted.flatten().astype(np.int64).tolist(),
    }

    document = {
        "opencv": cv2.__version__,
        "images": [{"name": n, "file": n + ".pgm", "width": int(g.shape[1]), "height": int(g.shape[0])} for n, g in images.items()],
        "cases": cases,
        "checks": checks,
    }
    target = os.path.join(OUT, "opencv_detections.json")
    with open(target + ".tmp", "w") as f:
        json.dump(document, f, separators=(",", ":"))
    os.replace(target + ".tmp", target)
    total = sum(len(c["boxes"]) for c in cases)
    print(f"{len(images)} images, {len(cases)} cases, {total} boxes -> {OUT}")


if __name__ == "__main__":
    main()
