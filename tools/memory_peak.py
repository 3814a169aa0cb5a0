#!/usr/bin/env python3
"""Peak memory of `facemoji image -o DIR` on a crafted PNG: a small file that decodes to a huge picture.

Writes a SIZExSIZE PNG (16-bit RGBA by default: 8 bytes a pixel in the file's scanlines; all zero, so it
compresses to under a megabyte; --noise for random, incompressible pixels), runs the CLI on it and on a 64x64
image under /usr/bin/time -v, and prints the peak resident set size. The floor of docs/SECURITY.md: the image's
share (peak minus the 64x64 run's) at most 6x its decoded RGBA size, and the peak at most 1 GB.

    python3 tools/memory_peak.py --cli dist/facemoji --size 7200 --depth 16
    python3 tools/memory_peak.py --cli "dotnet src/Facemoji.Cli/bin/Release/net10.0/facemoji.dll" --size 10000
Exit code 0 when the floor holds (an image refused before decoding holds it trivially), 1 when it does not.
"""
import argparse
import os
import re
import shlex
import struct
import subprocess
import sys
import tempfile
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def crafted_png(path, width, height, depth, noise=False, color_type=6):
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row_bytes = width * channels * depth // 8
    row = b"\0" * (1 + row_bytes)
    compressor = zlib.compressobj(1 if noise else 9)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)))
        data = bytearray()
        for _ in range(height):
            data += compressor.compress(b"\0" + os.urandom(row_bytes) if noise else row)
            if len(data) > 1 << 24:
                out.write(chunk(b"IDAT", bytes(data)))
                data = bytearray()
        data += compressor.flush()
        out.write(chunk(b"IDAT", bytes(data)))
        out.write(chunk(b"IEND", b""))


def peak_rss(cli, args):
    run = subprocess.run(["/usr/bin/time", "-v"] + shlex.split(cli) + args, capture_output=True, text=True)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    if not match:
        print(run.stderr, file=sys.stderr)
        raise SystemExit(2)
    lines = [l for l in (run.stdout + run.stderr).splitlines() if l.strip() and not l.startswith("\t") and "Command being timed" not in l and not l.startswith("Command exited")]
    return int(match.group(1)) * 1024, run.returncode, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", default="dist/facemoji", help="the facemoji command (quoted if it has arguments)")
    parser.add_argument("--size", type=int, default=10000, help="width and height in pixels (default 10000)")
    parser.add_argument("--depth", type=int, default=16, choices=[8, 16], help="bits per sample (default 16)")
    parser.add_argument("--noise", action="store_true", help="random pixels (incompressible, 8-bit only sensibly) instead of zeros")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="facemoji-memory-") as folder:
        tiny = os.path.join(folder, "tiny.png")
        crafted_png(tiny, 64, 64, 8)
        png = os.path.join(folder, "crafted.png")
        crafted_png(png, args.size, args.size, args.depth, args.noise)
        out = os.path.join(folder, "out")
        os.mkdir(out)
        # The runtime, the model and the cascade cost the same for any image: measured on a 64x64 one.
        baseline, _, _ = peak_rss(args.cli, ["image", tiny, "-o", out])
        peak, code, lines = peak_rss(args.cli, ["image", png, "-o", out])
        rgba = args.size * args.size * 4
        extra = peak - baseline
        print(f"file: {os.path.getsize(png)} bytes, {args.size}x{args.size} {args.depth}-bit RGBA{' of noise' if args.noise else ''}")
        print(f"exit code {code}: {lines[-1] if code else 'analysed and written'}")
        print(f"peak RSS: {peak / 2**20:.0f} MB (baseline on a 64x64 image: {baseline / 2**20:.0f} MB; the image's share: {extra / 2**20:.0f} MB)")
        print(f"decoded RGBA: {rgba / 2**20:.0f} MB; share / RGBA = {extra / rgba:.2f} (floor: <= 6, and peak <= 1024 MB)")
        return 0 if extra <= 6 * rgba and peak <= 2**30 else 1


if __name__ == "__main__":
    sys.exit(main())
