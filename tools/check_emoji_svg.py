#!/usr/bin/python3
"""Checks that the drawn face's SVG shows the same face as its raster.

Reference tool (not run by CI): rasterises each SVG with the system librsvg + cairo through ctypes and
compares it with the raster that Facemoji drew. Make the pairs first:
    FACEMOJI_SVG_PAIRS=/tmp/pairs dotnet test tests/Facemoji.Emoji.Tests -c Release --filter DocsPictures
then: /usr/bin/python3 tools/check_emoji_svg.py /tmp/pairs  (writes /tmp/pairs/svg_vs_raster.png)
"""
import ctypes
import glob
import os
import sys

import numpy as np

SIZE = 128


def rasterise(svg_bytes, size):
    rsvg = ctypes.CDLL("librsvg-2.so.2")
    cairo = ctypes.CDLL("libcairo.so.2")
    rsvg.rsvg_handle_new_from_data.restype = ctypes.c_void_p
    rsvg.rsvg_handle_new_from_data.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p]
    rsvg.rsvg_handle_render_cairo.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    cairo.cairo_image_surface_create.restype = ctypes.c_void_p
    cairo.cairo_create.restype = ctypes.c_void_p
    cairo.cairo_create.argtypes = [ctypes.c_void_p]
    cairo.cairo_surface_flush.argtypes = [ctypes.c_void_p]
    cairo.cairo_image_surface_get_data.restype = ctypes.POINTER(ctypes.c_ubyte)
    cairo.cairo_image_surface_get_data.argtypes = [ctypes.c_void_p]
    handle = rsvg.rsvg_handle_new_from_data(svg_bytes, len(svg_bytes), None)
    if not handle:
        raise SystemExit("librsvg could not parse the SVG")
    surface = cairo.cairo_image_surface_create(0, size, size)  # ARGB32, premultiplied, BGRA in memory
    rsvg.rsvg_handle_render_cairo(handle, cairo.cairo_create(surface))
    cairo.cairo_surface_flush(surface)
    data = np.ctypeslib.as_array(cairo.cairo_image_surface_get_data(surface), shape=(size * size * 4,))
    bgra = data.reshape(size, size, 4).astype(np.float32)
    return bgra[..., [2, 1, 0]], bgra[..., 3:]  # premultiplied RGB, alpha


def on_white_premultiplied(rgb, alpha):
    return rgb + 255 * (1 - alpha / 255)


def main(folder):
    rows, report = [], []
    for svg in sorted(glob.glob(os.path.join(folder, "*.svg"))):
        name = svg[:-4]
        raster = np.fromfile(name + ".rgba", np.uint8).reshape(SIZE, SIZE, 4).astype(np.float32)
        ours = raster[..., :3] * raster[..., 3:] / 255 + 255 * (1 - raster[..., 3:] / 255)
        theirs = on_white_premultiplied(*rasterise(open(svg, "rb").read(), SIZE))
        report.append((float(np.abs(ours - theirs).mean()), os.path.basename(name)))
        rows.append(np.concatenate([ours, theirs], 1))
    for mean, name in report:
        print(f"{name}: mean |raster - librsvg| = {mean:.2f} / 255")
    print(f"worst: {max(report)}")
    try:
        import cv2
        grid = np.concatenate([np.concatenate(rows[i:i + 3], 0) for i in range(0, len(rows) - len(rows) % 3, 3)], 1)
        cv2.imwrite(os.path.join(folder, "svg_vs_raster.png"), np.clip(grid[..., ::-1], 0, 255).astype(np.uint8))
    except ImportError:
        pass
    return 0 if max(report)[0] < 4 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
