#!/usr/bin/env python3
"""Issue 14's defects, each reproduced black-box against two builds of facemoji: before the hardening and now.

    tools/hardening_before_after.py BEFORE_DIST AFTER_DIST [--only server|cli|special]

BEFORE_DIST and AFTER_DIST are folders holding a published `facemoji` (e.g. a worktree of the commit the issue was
filed on, built with `dotnet publish src/Facemoji.Cli -c Release -o DIR`, and this checkout's `dist/`). Every case
runs the same inputs through both and prints what each build did, so the table shows that each defect was there
before the fix and is gone after it. The unit and HTTP tests named in the last column keep them fixed in `make test`.

Nothing here is a timing: peak memory is read from /usr/bin/time-like rusage of the child, the rest are status codes,
exit codes and files. Servers listen on loopback only. Needs ffmpeg (for the video cases).
"""
import argparse
import hashlib
import http.client
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHOTO = os.path.join(REPO, "third_party", "skimage", "astronaut.png")
EVIL = "http://evil.example"


# ---------------------------------------------------------------- inputs

def amplifying_png(path, side=10000):
    """A small PNG that claims side x side 16-bit RGBA (inside the 100 MP limit): all-zero rows deflate to ~1/1000."""
    raw_row = b"\x00" + b"\x00" * (side * 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(raw_row) for _ in range(side)) + compressor.flush()

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 16, 6, 0, 0, 0))
                + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def model_with_nan(source, path):
    """The shipped model with one weight set to NaN and the SHA-256 trailer recomputed (layout: ContainerFile.cs)."""
    blob = bytearray(open(source, "rb").read()[:-32])
    offset = 8 + 4 + 4
    header_length = struct.unpack_from("<I", blob, offset)[0]
    offset += 4 + header_length + 4  # header, tensor count
    name_length = struct.unpack_from("<I", blob, offset)[0]
    offset += 4 + name_length
    rank = struct.unpack_from("<I", blob, offset)[0]
    offset += 4 + 4 * rank
    struct.pack_into("<f", blob, offset + 4, float("nan"))
    open(path, "wb").write(bytes(blob) + hashlib.sha256(blob).digest())


def video(path, seconds, extra=()):
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", PHOTO, "-t", str(seconds), "-r", "10",
                    "-pix_fmt", "yuv420p", *extra, path], check=True)


# ---------------------------------------------------------------- running a build

def run(dist, args, timeout=120):
    """Runs facemoji under /usr/bin/time; returns (exit code or 'hang>Ns', stdout, stderr, peak RSS in MB)."""
    peak_file = tempfile.mktemp(prefix="facemoji-peak-")
    command = ["/usr/bin/time", "-f", "%M", "-o", peak_file, os.path.join(dist, "facemoji"), *args]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        out, err = child.communicate(timeout=timeout)
        code = child.returncode
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, err = child.communicate()
        code = f"hang>{timeout}s"
    out, err = out.decode(errors="replace"), err.decode(errors="replace")
    try:
        peak = int(open(peak_file).read().split()[-1]) / 1024
        os.remove(peak_file)
    except (OSError, ValueError, IndexError):
        peak = None
    return code, out, err, peak


def first_line(text):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    return (lines[0][:70] + ("..." if len(lines[0]) > 70 else "")) if lines else "(nothing)"


def error_line(text):
    """The first line that says error (an internal error included), shortened like first_line."""
    lines = [l.strip() for l in text.splitlines() if re.search(r"error", l, re.I)]
    return first_line(lines[0]) if lines else first_line(text)


def problem_about(text, needle, otherwise):
    """The line of a problem table that names needle, without the table's box characters."""
    for line in text.splitlines():
        if needle in line:
            return " ".join(line.replace("│", " ").split())[:90]
    return otherwise


class Server:
    def __init__(self, dist, work, port):
        self.port = port
        self.saves = os.path.join(work, f"saves-{port}")
        self.process = subprocess.Popen([os.path.join(dist, "facemoji"), "serve", "--urls", f"http://127.0.0.1:{port}",
                                         "--saves", self.saves], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(300):
            try:
                if self.request("GET", "/api/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{dist}: the server did not start")

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return answer.status, answer.read(), dict(answer.getheaders())
        finally:
            connection.close()

    def socket_status(self, origin):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").encode())
            return int(s.recv(4096).split(b" ", 2)[1])

    def rss_mb(self):
        for line in open(f"/proc/{self.process.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return None

    def stop(self):
        self.process.kill()
        self.process.wait()


def multipart(name, data, boundary="facemojiboundary"):
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{name}\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


# ---------------------------------------------------------------- the cases

def server_cases(dist, work, port, big_png):
    photo = open(PHOTO, "rb").read()
    results = {}
    server = Server(dist, work, port)
    try:
        status = server.request("GET", "/api/saves", headers={"Host": "evil.example"})[0]
        results["foreign Host reads the saves list"] = f"HTTP {status}"
        body, headers = multipart("x.png", photo)
        status = server.request("POST", "/api/saves", body, {**headers, "Origin": EVIL})[0]
        results["cross-site multipart POST /api/saves"] = f"HTTP {status}"
        status = server.request("POST", "/api/analyze", photo, {"Content-Type": "text/plain", "Origin": EVIL})[0]
        results["cross-site text/plain POST /api/analyze"] = f"HTTP {status}"
        results["/ws with a foreign Origin"] = f"HTTP {server.socket_status(EVIL)}"
        headers = server.request("GET", "/")[2]
        present = [h for h in ("X-Content-Type-Options", "Content-Security-Policy") if h in headers]
        results["security headers on the page"] = ", ".join(present) or "none"
        cut_short = b"--XYZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n\x89PNG"
        status, answer, _ = server.request("POST", "/api/analyze", cut_short, {"Content-Type": "multipart/form-data; boundary=XYZ"})
        results["multipart body that stops inside its first part"] = f"HTTP {status}, {len(answer)} bytes"
        results["wrong method (PUT /api/analyze)"] = f"HTTP {server.request('PUT', '/api/analyze')[0]}"
        status, answer, _ = server.request("GET", "/api/emoji/facemoji/happy/strong.png?size=abc")
        results["?size=abc"] = f"HTTP {status}, {len(answer)} bytes"
        baseline = server.rss_mb()
        status = server.request("POST", "/api/analyze", open(big_png, "rb").read(), {"Content-Type": "image/png"})[0]
        peak = server.rss_mb()
        time.sleep(35)
        results["server RSS: 10000x10000x16-bit PNG, then 35 s"] = (
            f"HTTP {status}; {baseline:.0f} -> {peak:.0f} -> {server.rss_mb():.0f} MB")
        statuses = []
        for i in range(70):
            body, headers = multipart(f"s{i}.png", photo)
            statuses.append(server.request("POST", "/api/saves", body, headers)[0])
        refused = [s for s in statuses if s != 201]
        results["70 saves in a row"] = f"{statuses.count(201)} saved" + (f", then HTTP {refused[0]}" if refused else "")
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            second = subprocess.run([os.path.join(dist, "facemoji"), "serve", "--urls",
                                     f"http://127.0.0.1:{taken.getsockname()[1]}", "--saves",
                                     os.path.join(work, "saves-second")], capture_output=True, timeout=60)
        text = (second.stdout + second.stderr).decode(errors="replace")
        stack = re.search(r"\bat [\w.`]+\(", text) is not None
        results["second server on a port in use"] = f"exit {second.returncode}, {'stack trace' if stack else 'no stack trace'}"
    finally:
        server.stop()
    return results


def cli_cases(dist, work, big_png, nan_model, clip, truncated, one_frame):
    results = {}
    code, _, err, peak = run(dist, ["image", big_png, "--no-images", "--json"], timeout=300)
    results["CLI peak RSS: 10000x10000x16-bit PNG"] = f"exit {code}, {peak:.0f} MB" if peak else f"exit {code}"

    pack = os.path.join(work, f"pack-{os.path.basename(dist)}")
    outside = os.path.join(work, "outside")
    os.makedirs(outside, exist_ok=True)
    shutil.copy(PHOTO, os.path.join(outside, "happy.png"))
    os.makedirs(pack, exist_ok=True)
    if not os.path.lexists(os.path.join(pack, "faces")):
        os.symlink(outside, os.path.join(pack, "faces"))
    with open(os.path.join(pack, "pack.json"), "w") as f:
        f.write('{"name": "escape", "author": "x", "licence": "CC0-1.0", "emotions": {"happy": "faces/happy.png"}}')
    code, out, err, _ = run(dist, ["packs", "validate", pack])
    results["pack image through a linked folder"] = f"exit {code}: " + problem_about(out + err, "faces/happy.png", "image accepted")

    fifo_pack = os.path.join(work, f"fifo-{os.path.basename(dist)}")
    os.makedirs(fifo_pack, exist_ok=True)
    if not os.path.exists(os.path.join(fifo_pack, "happy.png")):
        os.mkfifo(os.path.join(fifo_pack, "happy.png"))
    with open(os.path.join(fifo_pack, "pack.json"), "w") as f:
        f.write('{"name": "fifo", "author": "x", "licence": "CC0-1.0", "emotions": {"happy": "happy.png"}}')
    code, out, err, _ = run(dist, ["packs", "validate", fifo_pack], timeout=20)
    results["packs validate on a FIFO"] = f"exit {code}: " + problem_about(out + err, "happy.png", first_line(err or out))

    nul_pack = os.path.join(work, f"nul-{os.path.basename(dist)}")
    os.makedirs(nul_pack, exist_ok=True)
    with open(os.path.join(nul_pack, "pack.json"), "w") as f:
        f.write('{"name": "nul", "author": "x", "licence": "CC0-1.0", "emotions": {"happy": "ha\\u0000ppy.png"}}')
    code, out, err, _ = run(dist, ["packs", "validate", nul_pack])
    results["NUL in a pack path"] = f"exit {code}: " + problem_about(out + err, "ppy.png", first_line(err or out))

    folder = os.path.join(work, f"photos-{os.path.basename(dist)}")
    os.makedirs(folder, exist_ok=True)
    shutil.copy(PHOTO, os.path.join(folder, "x.png"))
    mine = os.path.join(folder, "x.facemoji.png")
    shutil.copy(PHOTO, mine)
    with open(mine, "ab") as f:
        f.write(b"the user's own file")
    before = hashlib.sha256(open(mine, "rb").read()).hexdigest()
    code, out, err, _ = run(dist, ["image", folder, "-o", folder])
    kept = hashlib.sha256(open(mine, "rb").read()).hexdigest() == before
    results["image DIR -o DIR (DIR holds X.png and the user's X.facemoji.png)"] = f"exit {code}, user's file {'kept' if kept else 'overwritten'}"

    code, out, err, _ = run(dist, ["image", PHOTO, "--no-images", "--model", nan_model])
    results["model with a NaN weight (valid checksum)"] = f"exit {code}: {first_line(err or out)}"

    code, out, err, _ = run(dist, ["video", truncated, "-o", os.path.join(work, f"t-{os.path.basename(dist)}.mp4")])
    said = [l.strip() for l in (out + err).splitlines() if re.search(r"warning|error|trunc|incomplete", l, re.I)]
    results["video cut at 60% (index first)"] = f"exit {code}: " + (said[0][:80] if said else "nothing said")

    code, out, err, _ = run(dist, ["video", clip, "-o", os.path.join(work, f"p-{os.path.basename(dist)}.mp4")])
    results["video progress into a pipe"] = "colour/cursor codes" if ("\x1b[" in out + err) else "plain"

    timeline = os.path.join(work, f"one-{os.path.basename(dist)}.csv")
    code, out, err, _ = run(dist, ["video", one_frame, "-o", os.path.join(work, f"o-{os.path.basename(dist)}.mp4"), "--timeline", timeline])
    rows = max(0, len(open(timeline).read().splitlines()) - 1) if os.path.exists(timeline) else 0
    results["1-frame video: faces in the timeline"] = f"exit {code}, {rows} rows"

    start = time.monotonic()
    data = os.path.join(REPO, "..", "shared", "data", "fer2013")
    code, out, err, _ = run(dist, ["train", "--data", data, "--epochs", "0", "--no-cache", "--out", os.path.join(work, "m.fmj")], timeout=300)
    results["train --epochs 0 (FER2013 folders, --no-cache)"] = f"exit {code} after {time.monotonic() - start:.1f} s"
    return results


def special_file_cases(dist, work):
    """Special files (length 0, endless) and files ffmpeg misreads, where a user file is expected."""
    results = {}
    data = os.path.join(REPO, "..", "shared", "data", "fer2013")
    for label, args in (("/dev/zero as a photo", ["image", "/dev/zero", "--json"]),
                        ("/dev/zero as --model", ["image", PHOTO, "--no-images", "--model", "/dev/zero"]),
                        ("/dev/zero as --data", ["evaluate", "--data", "/dev/zero"]),
                        ("/dev/zero as --teacher", ["train", "--data", data, "--teacher", "/dev/zero", "--epochs", "1",
                                                    "--out", os.path.join(work, "t.fmj")]),
                        ("/dev/zero as a results file to merge", ["merge", "/dev/zero", "-o", os.path.join(work, f"all-{os.path.basename(dist)}.jsonl")])):
        code, out, err, peak = run(dist, args, timeout=120)
        said = error_line(out + err) if code != 0 else "no error"
        results[label] = f"exit {code}, {peak:.0f} MB: {said}" if peak else f"exit {code}: {said}"

    broken = os.path.join(work, "broken.png")
    open(broken, "w").write("x")
    code, out, err, _ = run(dist, ["video", broken, "-o", os.path.join(work, f"b-{os.path.basename(dist)}.mp4")])
    results["1-byte .png as a video (ffprobe: 0x0)"] = f"exit {code}: {error_line(out + err)}"

    # Outputs are renamed over their target: given /dev/null as root, a build without the check replaces the device.
    # Here the target is a link to /dev/null, so a build without the check replaces only the link.
    for label, args in (("export -o LINK (to /dev/null)", ["export", os.path.join(REPO, "models", "facemoji.fmj"), "-o"]),
                        ("model average -o LINK (to /dev/null)", ["model", "average", os.path.join(REPO, "models", "facemoji.fmj"),
                                                                  os.path.join(REPO, "models", "facemoji.fmj"), "-o"])):
        link = os.path.join(work, f"null-{os.path.basename(dist)}-{len(results)}.out")
        os.symlink("/dev/null", link)
        code, out, err, _ = run(dist, [*args, link])
        kept = os.path.islink(link) and os.readlink(link) == "/dev/null"
        results[label] = f"exit {code}, {'link kept' if kept else 'link replaced by a regular file'}: " + (error_line(out + err) if code != 0 else "no error")

    huge = os.path.join(work, "huge.png")
    if not os.path.exists(huge):
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=7300x7300", "-frames:v", "1", huge], check=True)
    code, out, err, peak = run(dist, ["video", huge, "-o", os.path.join(work, f"h-{os.path.basename(dist)}.mp4")], timeout=300)
    results["7300x7300 one-frame video (203 MiB a frame)"] = f"exit {code}, {peak:.0f} MB" if peak else f"exit {code}"
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--only", choices=("server", "cli", "special"), help="one group of cases (default: all)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="facemoji-hardening-")
    big_png = os.path.join(work, "amplify.png")
    amplifying_png(big_png)
    nan_model = os.path.join(work, "nan.fmj")
    model_with_nan(os.path.join(REPO, "models", "facemoji.fmj"), nan_model)
    clip, truncated, one_frame = (os.path.join(work, n) for n in ("clip.mp4", "truncated.mp4", "one.mp4"))
    video(clip, 3)
    video(one_frame, 0.1)
    whole = os.path.join(work, "whole.mp4")
    # A moving test pattern with a key frame every second and the index first, so the frames before the cut decode.
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-t", "10",
                    "-g", "10", "-pix_fmt", "yuv420p", "-movflags", "+faststart", whole], check=True)
    data = open(whole, "rb").read()
    open(truncated, "wb").write(data[: len(data) * 6 // 10])

    table = {}
    for label, dist, port in (("before", args.before, 5281), ("after", args.after, 5282)):
        print(f"running {label}: {dist}", file=sys.stderr)
        table[label] = {**(server_cases(dist, work, port, big_png) if args.only in (None, "server") else {}),
                        **(cli_cases(dist, work, big_png, nan_model, clip, truncated, one_frame) if args.only in (None, "cli") else {}),
                        **(special_file_cases(dist, work) if args.only in (None, "special") else {})}

    print(f"| case | before ({args.before}) | after ({args.after}) |")
    print("|---|---|---|")
    for case in table["before"]:
        cells = [table[label][case].replace(work, "$TMP").replace("|", "/") for label in ("before", "after")]
        print(f"| {case} | {cells[0]} | {cells[1]} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
