#!/usr/bin/python3
"""Builds the MediaPipe parity fixture: what MediaPipe itself finds with BlazeFace on the fixture pictures.

MediaPipe runs as its own JavaScript solution (npm @mediapipe/face_detection, the same package tools/setup.sh takes
the .tflite files from: its WebAssembly build of the FaceDetectionShortRangeGpu / FaceDetectionFullRangeGpu graphs)
in headless Chromium, served from a loopback HTTP server. The pictures (the skimage photos and versions of them
turned, shrunk, darkened, mirrored, cropped) are made in the page by tools/mediapipe_fixtures/fixtures.js;
tests/Facemoji.Vision.Tests/Fixtures/MediaPipeFixtures.cs makes the same pixels and checks their checksums.

Needs: tools/setup.sh run once (third_party/skimage, third_party/mediapipe), chromium, npm (the package is fetched
with `npm pack`; nothing else goes over the network). Not needed by the tests: the JSON it writes is committed.

    python3 tools/make_mediapipe_fixtures.py

Writes tests/Facemoji.Vision.Tests/Fixtures/mediapipe/mediapipe_detections.json.
"""
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(ROOT, "tools", "mediapipe_fixtures")
SKIMAGE = os.path.join(ROOT, "third_party", "skimage")
OUT = os.path.join(ROOT, "tests", "Facemoji.Vision.Tests", "Fixtures", "mediapipe", "mediapipe_detections.json")
PACKAGE = "@mediapipe/face_detection@0.4.1657300184"  # the version tools/setup.sh takes the models from
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TIMEOUT_S = 900

# model: the JS solution's option; file: the .tflite its graph is given (see fixtures.js): "full" is the dense
# full-range model our engine runs, "full_sparse" the one MediaPipe's JS loads by default (kept for reference).
# useCpuInference: TFLite with XNNPACK (float32) rather than MediaPipe's WebGL inference (the JS default on desktops).
# The score threshold is each graph's own (minDetectionConfidence cannot be set in this build, see fixtures.js).
RUNS = [
    {"name": "short", "model": "short", "file": "face_detection_short_range.tflite", "useCpuInference": True},
    {"name": "full", "model": "full", "file": "face_detection_full_range.tflite", "useCpuInference": True},
    {"name": "short_webgl", "model": "short", "file": "face_detection_short_range.tflite", "useCpuInference": False},
    {"name": "full_webgl", "model": "full", "file": "face_detection_full_range.tflite", "useCpuInference": False},
    {"name": "full_sparse", "model": "full", "file": "face_detection_full_range_sparse.tflite", "useCpuInference": True},
]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm", ".js": "text/javascript"}
    outcome = {}
    done = threading.Event()

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
        self.send_response(204)
        self.end_headers()
        if self.path == "/log":
            print("page:", body, flush=True)
        elif self.path in ("/result", "/error"):
            Handler.outcome[self.path] = body
            Handler.done.set()


def fetch_package(tmp):
    subprocess.run(["npm", "pack", "--silent", PACKAGE], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")][0]
    subprocess.run(["tar", "-xzf", tgz], cwd=tmp, check=True)
    return os.path.join(tmp, "package")


def chromium_version():
    return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()


def run_page(site):
    handler = lambda *a, **k: Handler(*a, directory=site, **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    profile = os.path.join(site, "profile")
    browser = subprocess.Popen(
        [CHROMIUM, "--headless=new", "--no-sandbox", "--no-first-run", "--disable-extensions", "--mute-audio",
         "--use-angle=swiftshader", "--enable-unsafe-swiftshader", f"--user-data-dir={profile}", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        if not Handler.done.wait(TIMEOUT_S):
            sys.exit(f"MediaPipe page gave no result within {TIMEOUT_S} s")
    finally:
        os.killpg(browser.pid, signal.SIGTERM)
        try:
            browser.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(browser.pid, signal.SIGKILL)
        server.shutdown()
        server.server_close()
    if "/error" in Handler.outcome:
        sys.exit("MediaPipe page failed: " + Handler.outcome["/error"])
    return json.loads(Handler.outcome["/result"])


def score_of(raw):
    # The JS solution gives the detection's classification (its score) under a minified name, as a list of one
    # {"index": 0, <name>: score}; the index is the only other field.
    for value in raw.values():
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict) and "index" in value[0]:
            scores = [v for k, v in value[0].items() if k != "index" and isinstance(v, float)]
            if len(scores) == 1:
                return scores[0]
    sys.exit("no score in MediaPipe's detection " + json.dumps(raw))


def main():
    for name in ("astronaut", "camera", "coffee", "chelsea"):
        if not os.path.exists(os.path.join(SKIMAGE, name + ".png")):
            sys.exit(f"missing {SKIMAGE}/{name}.png: run tools/setup.sh first")
    with tempfile.TemporaryDirectory() as tmp:
        package = fetch_package(tmp)
        site = os.path.join(tmp, "site")
        os.mkdir(site)
        shutil.copytree(package, os.path.join(site, "mediapipe"))
        shutil.copytree(SKIMAGE, os.path.join(site, "skimage"))
        for f in ("index.html", "fixtures.js"):
            shutil.copy(os.path.join(PAGE, f), site)
        with open(os.path.join(site, "settings.json"), "w") as f:
            json.dump({"runs": RUNS}, f)
        result = run_page(site)

    sizes = {i["name"]: (i["width"], i["height"]) for i in result["images"]}
    runs = []
    for run in result["runs"]:
        cases = []
        for r in run["results"]:
            w, h = sizes[r["image"]]
            faces = []
            for face in r["faces"]:
                xc, yc, bw, bh = face["box"]
                faces.append({
                    "score": score_of(face["raw"]),
                    # Pixels of the picture: left, top, width, height, and six (x, y) keypoints.
                    "box": [(xc - bw / 2) * w, (yc - bh / 2) * h, bw * w, bh * h],
                    "keypoints": [[x * w, y * h] for x, y in face["keypoints"]],
                })
            cases.append({"image": r["image"], "faces": faces})
        runs.append({"name": run["name"], "model": run["model"], "file": run["file"], "useCpuInference": run["useCpuInference"], "cases": cases})

    fixture = {
        "generator": "tools/make_mediapipe_fixtures.py",
        "mediapipe": f"npm {PACKAGE}: MediaPipe's face detection JavaScript solution (WebAssembly graphs "
                     f"FaceDetectionShortRangeGpu / FaceDetectionFullRangeGpu, their own score thresholds, selfieMode false) in {chromium_version()} (headless, SwiftShader WebGL)",
        "photoChecksums": result["photoChecksums"],
        "images": result["images"],
        "runs": runs,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: " + ", ".join(f"{r['name']} {sum(len(c['faces']) for c in r['cases'])} faces" for r in runs))


if __name__ == "__main__":
    main()
