#!/usr/bin/env python3
"""Peak memory of `facemoji image` on a crafted PNG: a small file that decodes to a huge picture.

Writes a WIDTHxHEIGHT PNG (16-bit RGBA by default: 8 bytes a pixel before conversion, all zero so it
compresses to under a megabyte), runs the CLI on it under /usr/bin/time -v, and prints the peak resident
set size against the floor of docs/SECURITY.md: at most 6x the decoded RGBA size and at most 1 GB.

    python3 tools/memory_peak.py --cli "dotnet src/Facemoji.Cli/bin/Release/net10.0/facemoji.dll"
    python3 tools/memory_peak.py --cli dist/facemoji --size 10000 --depth 16
Exit code 0 when the floor holds, 1 when it does not.
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


def crafted_png(path, width, height, depth, color_type=6):
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row = b"\0" * (1 + width * channels * depth // 8)
    compressor = zlib.compressobj(9)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)))
        data = bytearray()
        for _ in range(height):
            data += compressor.compress(row)
        data += compressor.flush()
        out.write(chunk(b"IDAT", bytes(data)))
        out.write(chunk(b"IEND", b""))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", default="dist/facemoji", help="the facemoji command (quoted if it has arguments)")
    parser.add_argument("--size", type=int, default=10000, help="width and height in pixels (default 10000)")
    parser.add_argument("--depth", type=int, default=16, choices=[8, 16], help="bits per sample (default 16)")
    parser.add_argument("--json", action="store_true", help="run `image --json` (no picture written) instead of -o")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="facemoji-memory-") as folder:
        png = os.path.join(folder, "crafted.png")
        crafted_png(png, args.size, args.size, args.depth)
        out = os.path.join(folder, "out")
        os.mkdir(out)
        command = ["/usr/bin/time", "-v"] + shlex.split(args.cli) + ["image", png]
        command += ["--json"] if args.json else ["-o", out]
        run = subprocess.run(command, capture_output=True, text=True)
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
        if not match:
            print(run.stderr, file=sys.stderr)
            return 2
        peak = int(match.group(1)) * 1024
        rgba = args.size * args.size * 4
        print(f"file: {os.path.getsize(png)} bytes, {args.size}x{args.size} {args.depth}-bit RGBA")
        print(f"exit code {run.returncode}: {(run.stdout + run.stderr).strip().splitlines()[0] if (run.stdout + run.stderr).strip() else ''}")
        print(f"peak RSS: {peak / 2**20:.0f} MB; decoded RGBA: {rgba / 2**20:.0f} MB; ratio {peak / rgba:.2f} (floor: <= 6 and <= 1024 MB)")
        return 0 if peak <= 6 * rgba and peak <= 2**30 else 1


if __name__ == "__main__":
    sys.exit(main())
