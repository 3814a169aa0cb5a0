#!/usr/bin/python3
"""Writes the reference images for tests/Facemoji.Imaging.Tests/Fixtures.

Run with Debian's /usr/bin/python3 (python3-numpy, python3-opencv, python3-pil); CI only reads the
committed output. Sections:

  png/    every PNG colour type and bit depth, plain and Adam7-interlaced, with tRNS, written by a tiny
          PNG writer below (so that every filter type and odd sizes occur on purpose), each with the
          expected decoded pixels as raw 8-bit RGBA (<name>.rgba). Every file is cross-checked with PIL.
  jpeg/   JPEGs written by PIL (libjpeg): baseline, progressive, gray, 4:2:0 / 4:4:4, Adobe CMYK and EXIF
          orientations in both byte orders, each with PIL's decoded pixels (<name>.rgba / <name>.gray).
  opencv/ cv2.cvtColor / cv2.resize results on the sample photo (third_party/skimage/astronaut.png).
  drawing/ reference renders for the drawing tests, computed here with numpy independently of the C# code
          (all but text.png and label.png, Skia's font rendering, which PainterTests writes when asked).

16-bit samples reduce to 8 bits as round(v * 255 / 65535); 1/2/4-bit gray scales to 0..255 exactly.
"""
import os
import struct
import sys
import zlib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "Facemoji.Imaging.Tests", "Fixtures")

# ---------------------------------------------------------------------------------------------- PNG writer

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """samples: 1-D array of integer samples of one row (all channels interleaved)."""
    if depth == 16:
        return np.asarray(samples, dtype=">u2").tobytes()
    if depth == 8:
        return np.asarray(samples, dtype=np.uint8).tobytes()
    per_byte = 8 // depth
    out = bytearray((len(samples) * depth + 7) // 8)
    for i, s in enumerate(samples):
        out[i // per_byte] |= int(s) << (8 - depth * (i % per_byte + 1))
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, prior, bpp):
    out = bytearray(len(row))
    for i in range(len(row)):
        a = row[i - bpp] if i >= bpp else 0
        b = prior[i]
        c = prior[i - bpp] if i >= bpp else 0
        predictor = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out[i] = (row[i] - predictor) & 0xFF
    return bytes([kind]) + bytes(out)


def encode_png(samples, color_type, depth, palette=None, trns=None, interlace=False, idat_pieces=1,
               extra_chunks=()):
    """samples: (H, W, C) integer array at the given bit depth. Filters rotate through all five."""
    h, w, c = samples.shape
    bpp = max(1, c * depth // 8)
    raw = bytearray()
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    row_counter = 0
    for x0, y0, dx, dy in passes:
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        prior = bytes(len(pack_row(sub[0].reshape(-1), depth)))
        for y in range(sub.shape[0]):
            row = pack_row(sub[y].reshape(-1), depth)
            raw += filter_row(row_counter % 5, row, prior, bpp)
            row_counter += 1
            prior = row
    data = zlib.compress(bytes(raw), 9)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, int(interlace)))
    for kind, payload in extra_chunks:
        out += chunk(kind, payload)
    if palette is not None:
        out += chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1)))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    step = max(1, -(-len(data) // idat_pieces))
    for i in range(0, len(data), step):
        out += chunk(b"IDAT", data[i:i + step])
    if idat_pieces > 1:
        out += chunk(b"IDAT", b"")  # an empty IDAT is legal
    return out + chunk(b"IEND", b"")


def to8(values, depth):
    values = np.asarray(values, dtype=np.int64)
    if depth == 16:
        return ((values * 255 + 32767) // 65535).astype(np.uint8)
    return (values * 255 // ((1 << depth) - 1)).astype(np.uint8)


def expected_rgba(samples, color_type, depth, palette=None, trns_value=None, palette_alpha=None):
    h, w, _ = samples.shape
    out = np.zeros((h, w, 4), np.uint8)
    out[..., 3] = 255
    if color_type == 0:
        g = to8(samples[..., 0], depth)
        out[..., 0] = out[..., 1] = out[..., 2] = g
        if trns_value is not None:
            out[..., 3][samples[..., 0] == trns_value] = 0
    elif color_type == 2:
        out[..., :3] = to8(samples, depth)
        if trns_value is not None:
            out[..., 3][np.all(samples == np.asarray(trns_value), axis=2)] = 0
    elif color_type == 3:
        pal = np.asarray(palette, np.uint8)
        out[..., :3] = pal[samples[..., 0]]
        if palette_alpha is not None:
            alpha = np.full(256, 255, np.uint8)
            alpha[:len(palette_alpha)] = palette_alpha
            out[..., 3] = alpha[samples[..., 0]]
    elif color_type == 4:
        g = to8(samples[..., 0], depth)
        out[..., 0] = out[..., 1] = out[..., 2] = g
        out[..., 3] = to8(samples[..., 1], depth)
    elif color_type == 6:
        out[...] = to8(samples, depth)
    return out


def make_png_fixtures(rng, pil_image):
    folder = os.path.join(FIXTURES, "png")
    os.makedirs(folder, exist_ok=True)
    cases = []
    combos = [(0, d) for d in (1, 2, 4, 8, 16)] + [(2, 8), (2, 16)] + [(3, d) for d in (1, 2, 4, 8)] + \
             [(4, 8), (4, 16), (6, 8), (6, 16)]
    names = {0: "gray", 2: "rgb", 3: "palette", 4: "grayalpha", 6: "rgba"}
    for color_type, depth in combos:
        for interlace in (False, True):
            cases.append(dict(name=f"{names[color_type]}{depth}{'_adam7' if interlace else ''}", color_type=color_type,
                              depth=depth, interlace=interlace, size=(13, 9)))
    for w, h in [(1, 1), (2, 1), (1, 3), (3, 5), (8, 8), (9, 9), (17, 4)]:
        cases.append(dict(name=f"gray8_adam7_{w}x{h}", color_type=0, depth=8, interlace=True, size=(w, h)))
        cases.append(dict(name=f"rgba8_adam7_{w}x{h}", color_type=6, depth=8, interlace=True, size=(w, h)))
    for depth in (2, 8, 16):
        cases.append(dict(name=f"gray{depth}_trns", color_type=0, depth=depth, interlace=False, size=(11, 7), trns=True))
    for depth in (8, 16):
        cases.append(dict(name=f"rgb{depth}_trns", color_type=2, depth=depth, interlace=False, size=(11, 7), trns=True))
    for depth in (4, 8):
        cases.append(dict(name=f"palette{depth}_trns", color_type=3, depth=depth, interlace=True, size=(11, 7), trns=True))
    cases.append(dict(name="rgb8_split_idat", color_type=2, depth=8, interlace=False, size=(31, 17), pieces=5,
                      extra=[(b"tEXt", b"Comment\0made by make_imaging_fixtures.py"), (b"gAMA", struct.pack(">I", 45455))]))

    for case in cases:
        color_type, depth = case["color_type"], case["depth"]
        w, h = case["size"]
        channels = CHANNELS[color_type]
        top = (1 << depth) - 1
        palette = trns_chunk = trns_value = palette_alpha = None
        if color_type == 3:
            count = min(1 << depth, 200)
            palette = rng.integers(0, 256, size=(count, 3))
            samples = rng.integers(0, count, size=(h, w, 1))
            if case.get("trns"):
                palette_alpha = rng.integers(0, 256, size=count // 2).astype(np.uint8)  # shorter than PLTE: rest opaque
                trns_chunk = bytes(palette_alpha)
        else:
            samples = rng.integers(0, top + 1, size=(h, w, channels))
            # Extremes and a smooth ramp, so that filters see both noise and structure.
            samples[0, 0] = top
            samples[-1, -1] = 0
            samples[h // 2] = (np.arange(w)[:, None] * top // max(1, w - 1))
            if case.get("trns"):
                trns_value = [int(v) for v in samples[1, 1][:channels]]
                samples[2, :3] = trns_value
                fmt = ">" + "H" * channels
                trns_chunk = struct.pack(fmt, *trns_value)
                if color_type == 0:
                    trns_value = trns_value[0]
        data = encode_png(samples, color_type, depth, palette, trns_chunk, case["interlace"], case.get("pieces", 1),
                          case.get("extra", ()))
        expected = expected_rgba(samples, color_type, depth, palette, trns_value, palette_alpha)
        path = os.path.join(folder, case["name"] + ".png")
        with open(path, "wb") as f:
            f.write(data)
        with open(os.path.join(folder, case["name"] + ".rgba"), "wb") as f:
            f.write(expected.tobytes())
        check_with_pil(pil_image, path, expected, depth)


def check_with_pil(pil_image, path, expected, depth):
    """The writer above is test code too: PIL (libpng-free, its own decoder) must read the same pixels."""
    im = pil_image.open(path)
    im.load()
    if depth == 16 and im.mode in ("I", "I;16", "I;16B"):
        got = np.array(im, dtype=np.int64)
        got8 = ((got * 255 + 32767) // 65535).astype(np.int64)
        diff = np.abs(got8 - expected[..., 0].astype(np.int64)).max()
    else:
        got = np.array(im.convert("RGBA"), dtype=np.int64)
        # PIL reduces 16-bit colour by dropping the low byte; ours rounds: at most 1 apart. PIL also
        # ignores a 16-bit RGB tRNS (it compares it with the reduced samples), so alpha is not checked there.
        channels = 3 if depth == 16 and im.mode == "RGB" else 4
        diff = np.abs(got[..., :channels] - expected[..., :channels].astype(np.int64)).max()
    limit = 1 if depth == 16 else 0
    if diff > limit:
        sys.exit(f"{path}: PIL disagrees with the expected pixels by {diff}")

# ---------------------------------------------------------------------------------------------- JPEG


def exif_orientation_segment(orientation, big_endian):
    """An APP1 Exif payload whose IFD0 holds only the orientation tag (0x0112, SHORT, count 1)."""
    e = ">" if big_endian else "<"
    tiff = (b"MM" if big_endian else b"II") + struct.pack(e + "HI", 42, 8)
    # A dummy first entry (ImageDescription pointer-free SHORT tag 0x0100 width) so that orientation is not entry 0.
    entries = [struct.pack(e + "HHI", 0x0100, 3, 1) + struct.pack(e + "H", 24) + b"\0\0",
               struct.pack(e + "HHI", 0x0112, 3, 1) + struct.pack(e + "H", orientation) + b"\0\0"]
    ifd = struct.pack(e + "H", len(entries)) + b"".join(entries) + struct.pack(e + "I", 0)
    return b"Exif\0\0" + tiff + ifd


def insert_app1(jpeg_bytes, payload):
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg_bytes[:2] + segment + jpeg_bytes[2:]


def strip_adobe(jpeg_bytes):
    """Removes APP14 'Adobe' segments: a 4-component JPEG without it is plain (not inverted) CMYK."""
    out, i = bytearray(jpeg_bytes[:2]), 2
    while i < len(jpeg_bytes):
        marker = jpeg_bytes[i + 1]
        if marker == 0xDA:
            out += jpeg_bytes[i:]
            break
        length = struct.unpack(">H", jpeg_bytes[i + 2:i + 4])[0]
        if not (marker == 0xEE and jpeg_bytes[i + 4:i + 9] == b"Adobe"):
            out += jpeg_bytes[i:i + 2 + length]
        i += 2 + length
    return bytes(out)


def make_jpeg_fixtures(Image, ImageOps, cv2):
    import io
    folder = os.path.join(FIXTURES, "jpeg")
    os.makedirs(folder, exist_ok=True)
    astronaut = cv2.cvtColor(cv2.imread(os.path.join(ROOT, "third_party", "skimage", "astronaut.png")), cv2.COLOR_BGR2RGB)
    photo = Image.fromarray(cv2.resize(astronaut, (64, 48), interpolation=cv2.INTER_AREA))

    def save(name, data, rgba=True, gray=True):
        with open(os.path.join(folder, name + ".jpg"), "wb") as f:
            f.write(data)
        im = Image.open(io.BytesIO(data))
        if rgba:
            im.load()
            rgb = im.convert("RGB") if im.mode != "CMYK" else cmyk_to_rgb(im, data)
            out = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).size
            oriented = ImageOps.exif_transpose(rgb_with_exif(rgb, data, Image))
            assert oriented.size == out
            with open(os.path.join(folder, name + ".rgba"), "wb") as f:
                f.write(np.array(oriented.convert("RGBA")).tobytes())
        if gray:
            # libjpeg's own gray output (the Y channel), as TurboJPEG's TJPF_GRAY and cv2.IMREAD_GRAYSCALE give it.
            g = Image.open(io.BytesIO(data))
            if g.mode != "CMYK":
                g.draft("L", g.size)
            g = g.convert("L") if g.mode == "L" else g
            g = ImageOps.exif_transpose(rgb_with_exif(g, data, Image))
            if g.mode != "L":
                return
            with open(os.path.join(folder, name + ".gray"), "wb") as f:
                f.write(np.array(g).tobytes())

    def encode(im, **options):
        buffer = io.BytesIO()
        im.save(buffer, "JPEG", **options)
        return buffer.getvalue()

    save("baseline_420", encode(photo, quality=90, subsampling=2))
    save("baseline_444", encode(photo, quality=95, subsampling=0))
    save("baseline_422_odd", encode(photo.crop((0, 0, 61, 37)), quality=85, subsampling=1))
    save("progressive_420", encode(photo, quality=90, subsampling=2, progressive=True))
    gray48 = photo.convert("L").resize((48, 48))
    save("gray_48", encode(gray48, quality=92))
    save("gray_progressive", encode(gray48, quality=80, progressive=True))
    cmyk = encode(photo.convert("CMYK"), quality=95)
    save("cmyk_adobe", cmyk, gray=False)
    save("cmyk_plain", strip_adobe(cmyk), gray=False)
    # EXIF orientation: four distinct quadrants so that every flip and turn shows.
    quads = np.zeros((16, 24, 3), np.uint8)
    quads[:8, :12] = (230, 30, 30)
    quads[:8, 12:] = (30, 230, 30)
    quads[8:, :12] = (30, 30, 230)
    quads[8:, 12:] = (240, 240, 40)
    plain = encode(Image.fromarray(quads), quality=95, subsampling=0)
    for orientation in range(1, 9):
        save(f"exif_{orientation}_le", insert_app1(plain, exif_orientation_segment(orientation, False)))
    for orientation in (3, 6, 8):
        save(f"exif_{orientation}_be", insert_app1(plain, exif_orientation_segment(orientation, True)))


def rgb_with_exif(im, data, Image):
    """PIL keeps EXIF on the decoded image only; carry it over to a converted copy for exif_transpose."""
    source = Image.open(__import__("io").BytesIO(data))
    exif = source.getexif()
    if exif:
        im.info["exif"] = exif.tobytes()
        im.getexif().update(exif)
    return im


def cmyk_to_rgb(im, data):
    """Our rule: with an Adobe APP14 marker the samples are stored inverted (Photoshop), so R = C*K/255 of the
    stored values; without one they are ink amounts, R = (255-C)(255-K)/255. PIL always assumes the Adobe
    polarity and hands back 255 - stored; undo that for files without the marker."""
    from PIL import Image
    ink = np.array(im, dtype=np.int64)
    if b"Adobe" not in data[:data.find(b"\xff\xda")]:
        ink = 255 - ink
    c, m, y, k = (ink[..., i] for i in range(4))
    rgb = np.stack([(255 - c) * (255 - k), (255 - m) * (255 - k), (255 - y) * (255 - k)], axis=-1)
    return Image.fromarray(((rgb + 127) // 255).astype(np.uint8))
# ---------------------------------------------------------------------------------------------- OpenCV

# name, channels, crop (x, y, w, h) or None for the whole photo, output (w, h), cv2 interpolation
RESIZE_CASES = [
    ("gray_linear_97x61", 1, None, (97, 61), "INTER_LINEAR"),
    ("gray_linear_48x48", 1, None, (48, 48), "INTER_LINEAR"),
    ("gray_linear_up_101x77", 1, (180, 60, 40, 30), (101, 77), "INTER_LINEAR"),
    ("gray_linear_up_160x120", 1, (180, 60, 40, 30), (160, 120), "INTER_LINEAR"),
    ("gray_linear_mixed_30x90", 1, (180, 60, 40, 30), (30, 90), "INTER_LINEAR"),
    ("gray_area_48x48", 1, None, (48, 48), "INTER_AREA"),
    ("gray_area_100x75", 1, None, (100, 75), "INTER_AREA"),
    ("gray_area_128x128", 1, None, (128, 128), "INTER_AREA"),
    ("gray_area_half_20x15", 1, (180, 60, 40, 30), (20, 15), "INTER_AREA"),
    ("gray_area_third_49x37", 1, (150, 40, 147, 111), (49, 37), "INTER_AREA"),
    ("gray_area_up_101x77", 1, (180, 60, 40, 30), (101, 77), "INTER_AREA"),
    ("rgba_linear_97x61", 4, None, (97, 61), "INTER_LINEAR"),
    ("rgba_linear_up_101x77", 4, (180, 60, 40, 30), (101, 77), "INTER_LINEAR"),
    ("rgba_area_100x75", 4, None, (100, 75), "INTER_AREA"),
    ("rgba_area_128x128", 4, None, (128, 128), "INTER_AREA"),
]


def make_opencv_fixtures(Image, cv2):
    folder = os.path.join(FIXTURES, "opencv")
    os.makedirs(folder, exist_ok=True)
    rgb = cv2.cvtColor(cv2.imread(os.path.join(ROOT, "third_party", "skimage", "astronaut.png")), cv2.COLOR_BGR2RGB)
    # An alpha channel that varies, so that RGBA resizing is seen to treat it as a fourth channel.
    alpha = (np.arange(512)[None, :] // 2 + np.arange(512)[:, None] // 4).astype(np.uint8)
    rgba = np.dstack([rgb, alpha])
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    Image.fromarray(cv2.cvtColor(rgb[60:156, 180:276], cv2.COLOR_RGB2GRAY)).save(os.path.join(folder, "gray_of_crop_96.png"))
    for name, channels, crop, size, interpolation in RESIZE_CASES:
        source = gray if channels == 1 else rgba
        if crop is not None:
            x, y, w, h = crop
            source = source[y:y + h, x:x + w]
        out = cv2.resize(np.ascontiguousarray(source), size, interpolation=getattr(cv2, interpolation))
        Image.fromarray(out).save(os.path.join(folder, name + ".png"))

# ---------------------------------------------------------------------------------------------- drawing
# An independent numpy/Python rendering of what src/Facemoji.Imaging/Drawing promises: "source over" in double
# precision rounded half up, OpenCV-style bilinear sampling on premultiplied colour, pixel-centre tests for
# rounded corners. (text.png and label.png are not made here: the labels are drawn by Skia with an anti-aliased
# TrueType font, which numpy cannot reproduce; PainterTests writes them with FACEMOJI_UPDATE_REFERENCES=1.)

def drawing_background(width, height, translucent):
    y, x = np.mgrid[0:height, 0:width]
    image = np.zeros((height, width, 4), np.uint8)
    image[..., 0] = (x * 3) % 256
    image[..., 1] = (y * 5) % 256
    image[..., 2] = (x + y) % 256
    image[..., 3] = (x * 7 + y * 3) % 256 if translucent else 255
    return image


def drawing_sprite():
    """32x32: a disc with a half-transparent rim on a transparent (black) ground, colour ramps inside."""
    y, x = np.mgrid[0:32, 0:32]
    d2 = (2 * x - 31) ** 2 + (2 * y - 31) ** 2
    sprite = np.zeros((32, 32, 4), np.uint8)
    sprite[..., 0] = 255
    sprite[..., 1] = x * 8
    sprite[..., 2] = y * 8
    sprite[..., 3] = np.where(d2 <= 28 * 28, 255, np.where(d2 <= 32 * 32, 128, 0))
    sprite[sprite[..., 3] == 0, :3] = 0
    return sprite


def blend_over(pixel, r, g, b, sa):
    """pixel: uint8[4] (modified); r, g, b premultiplied (0..255); sa coverage 0..1."""
    if sa <= 0:
        return
    da = pixel[3] / 255.0 * (1 - sa)
    out_a = sa + da
    rnd = lambda v: int(min(255, max(0, np.floor(v + 0.5))))
    pixel[0] = rnd((r + pixel[0] * da) / out_a)
    pixel[1] = rnd((g + pixel[1] * da) / out_a)
    pixel[2] = rnd((b + pixel[2] * da) / out_a)
    pixel[3] = rnd(out_a * 255.0)


def paint_color(image, x, y, color):
    h, w, _ = image.shape
    if 0 <= x < w and 0 <= y < h and color[3] > 0:
        sa = color[3] / 255.0
        blend_over(image[y, x], color[0] * sa, color[1] * sa, color[2] * sa, sa)


def ref_fill(image, rect, color):
    x0, y0, w, h = rect
    for y in range(y0, y0 + h):
        for x in range(x0, x0 + w):
            paint_color(image, x, y, color)


def ref_stroke(image, rect, color, t):
    x0, y0, w, h = rect
    for y in range(y0, y0 + h):
        for x in range(x0, x0 + w):
            if 2 * t >= w or 2 * t >= h or x < x0 + t or x >= x0 + w - t or y < y0 + t or y >= y0 + h - t:
                paint_color(image, x, y, color)


def ref_rounded(image, rect, radius, color):
    x0, y0, w, h = rect
    r = max(0, min(radius, min(w, h) // 2))
    for y in range(y0, y0 + h):
        for x in range(x0, x0 + w):
            px, py = x + 0.5, y + 0.5
            cx = min(max(px, x0 + r), x0 + w - r)
            cy = min(max(py, y0 + r), y0 + h - r)
            if (px - cx) ** 2 + (py - cy) ** 2 <= r * r:
                paint_color(image, x, y, color)


def ref_draw_image(image, sprite, rect, opacity=1.0, cv2=None):
    x0, y0, w, h = rect
    sh, sw, _ = sprite.shape
    H, W, _ = image.shape
    premultiplied = sw > 2 * w or sh > 2 * h
    if premultiplied:
        # Strong shrinking: premultiply (rounded), then cv2's INTER_AREA straight to the target size.
        p = sprite.astype(np.int64)
        pre = np.dstack([(p[..., :3] * p[..., 3:4] + 127) // 255, p[..., 3:4]]).astype(np.uint8)
        sprite = cv2.resize(pre, (w, h), interpolation=cv2.INTER_AREA)
        sh, sw, _ = sprite.shape

    def sample(d, scale, size):
        f = (d + 0.5) * scale - 0.5
        s = int(np.floor(f))
        f -= s
        if s < 0:
            return 0, 0, 0.0
        if s >= size - 1:
            return size - 1, size - 1, 0.0
        return s, s + 1, f

    for y in range(max(0, y0), min(H, y0 + h)):
        sy0, sy1, fy = sample(y - y0, sh / h, sh)
        for x in range(max(0, x0), min(W, x0 + w)):
            sx0, sx1, fx = sample(x - x0, sw / w, sw)
            taps = [(sprite[sy0, sx0], (1 - fx) * (1 - fy)), (sprite[sy0, sx1], fx * (1 - fy)),
                    (sprite[sy1, sx0], (1 - fx) * fy), (sprite[sy1, sx1], fx * fy)]
            alpha = sum(wt * (p[3] / 255.0) for p, wt in taps) * opacity
            if alpha <= 0:
                continue
            if premultiplied:
                premul = [sum(wt * float(p[c]) for p, wt in taps) * opacity for c in range(3)]
            else:
                premul = [sum(wt * (p[3] / 255.0) * p[c] for p, wt in taps) * opacity for c in range(3)]
            blend_over(image[y, x], premul[0], premul[1], premul[2], alpha)


def make_drawing_fixtures(Image):
    import cv2
    folder = os.path.join(FIXTURES, "drawing")
    os.makedirs(folder, exist_ok=True)
    sprite = drawing_sprite()
    scenes = {}

    im = drawing_background(96, 72, True)
    ref_fill(im, (10, 8, 40, 30), (255, 0, 0, 128))
    ref_fill(im, (-5, 50, 30, 40), (0, 0, 255, 255))
    ref_fill(im, (60, 20, 20, 20), (0, 0, 0, 0))
    scenes["fill"] = im

    im = drawing_background(96, 72, True)
    ref_stroke(im, (5, 5, 60, 40), (0, 255, 0, 200), 3)
    ref_stroke(im, (50, 30, 60, 60), (255, 255, 0, 90), 5)
    ref_stroke(im, (70, 4, 8, 6), (255, 255, 255, 255), 4)
    scenes["stroke"] = im

    im = drawing_background(96, 72, True)
    ref_rounded(im, (8, 10, 70, 30), 8, (20, 20, 20, 170))
    ref_rounded(im, (60, 40, 50, 50), 30, (200, 100, 0, 255))
    ref_rounded(im, (2, 50, 20, 15), 0, (0, 0, 255, 100))
    scenes["rounded"] = im

    for name, translucent in (("blend", False), ("blend_translucent", True)):
        im = drawing_background(96, 72, translucent)
        ref_draw_image(im, sprite, (20, 10, 50, 40))
        ref_draw_image(im, sprite, (70, 40, 40, 45))
        ref_draw_image(im, sprite, (5, 45, 16, 16), 0.5)
        ref_draw_image(im, sprite, (-10, -12, 30, 30))
        scenes[name] = im

    # Shrinking by more than 2: area-averaged first (an emoji on a small face).
    im = drawing_background(96, 72, False)
    ref_draw_image(im, sprite, (30, 20, 10, 12), cv2=cv2)
    ref_draw_image(im, sprite, (60, 30, 7, 7), 0.8, cv2=cv2)
    ref_draw_image(im, np.repeat(np.repeat(sprite, 3, axis=0), 3, axis=1), (5, 5, 30, 30), cv2=cv2)
    scenes["blend_shrink"] = im

    for name, im in scenes.items():
        Image.fromarray(im, "RGBA").save(os.path.join(folder, name + ".png"))


def main():
    from PIL import Image
    rng = np.random.default_rng(20261122)
    sections = sys.argv[1:] or ["png", "jpeg", "opencv", "drawing"]
    if "png" in sections:
        make_png_fixtures(rng, Image)
    if "jpeg" in sections:
        import cv2
        from PIL import ImageOps
        make_jpeg_fixtures(Image, ImageOps, cv2)
    if "opencv" in sections:
        import cv2
        make_opencv_fixtures(Image, cv2)
    if "drawing" in sections:
        make_drawing_fixtures(Image)
    print("fixtures written under", FIXTURES)


if __name__ == "__main__":
    main()
