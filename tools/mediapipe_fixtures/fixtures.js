// Runs MediaPipe's own face detection (the JavaScript solution in @mediapipe/face_detection, its WebAssembly graph
// FaceDetectionShortRangeGpu / FaceDetectionFullRangeGpu) on the fixture pictures and posts what it finds to the
// server of tools/make_mediapipe_fixtures.py. Loaded by index.html in headless Chromium; not used by any test.
//
// The pictures are the skimage photos and versions of them made here by plain integer and double arithmetic
// (turned, shrunk into a 640x480 canvas, darkened, mirrored, cropped), so that the tests can make the very same
// pixels (tests/Facemoji.Vision.Tests/Fixtures/MediaPipeFixtures.cs repeats every step; the checksum of each
// picture is saved with it and checked there).

'use strict';

const CANVAS_GRAY = 96;

// Each case: a name and how to make its RGBA pixels from the loaded photos (p.astronaut, p.camera, ...).
const CASES = [
  ['astronaut', p => p.astronaut],
  ['astronaut_mirrored', p => mirror(p.astronaut)],
  ['astronaut_turned_cw30', p => turn(p.astronaut, 30)],
  ['astronaut_turned_ccw30', p => turn(p.astronaut, -30)],
  ['astronaut_turned_cw45', p => turn(p.astronaut, 45)],
  ['astronaut_dark', p => darken(p.astronaut, 0.35)],
  ['astronaut_tall_crop', p => crop(p.astronaut, 100, 0, 300, 512)],
  ['astronaut_pair_1024x512', p => paste(paste(canvas(1024, 512), p.astronaut, 0, 0), mirror(p.astronaut), 512, 0)],
  ['astronaut_half_640x480', p => paste(canvas(640, 480), shrink(p.astronaut, 2), 300, 150)],
  ['astronaut_third_640x480', p => paste(canvas(640, 480), shrink(p.astronaut, 3), 60, 200)],
  ['astronaut_quarter_640x480', p => paste(canvas(640, 480), shrink(p.astronaut, 4), 400, 260)],
  ['astronaut_collage_640x480', p => paste(paste(canvas(640, 480), shrink(p.astronaut, 2), 40, 112), shrink(p.astronaut, 4), 440, 40)],
  ['camera', p => p.camera],
  ['coffee', p => p.coffee],
  ['chelsea', p => p.chelsea],
];

const PHOTOS = ['astronaut', 'camera', 'coffee', 'chelsea'];

function image(width, height) {
  return { width, height, data: new Uint8ClampedArray(width * height * 4) };
}

function canvas(width, height) {
  const out = image(width, height);
  for (let i = 0; i < out.data.length; i += 4) {
    out.data[i] = out.data[i + 1] = out.data[i + 2] = CANVAS_GRAY;
    out.data[i + 3] = 255;
  }
  return out;
}

// Turned clockwise by `degrees` about the picture's centre, same size, bilinear, black outside.
function turn(src, degrees) {
  const w = src.width, h = src.height, out = image(w, h);
  const r = degrees * Math.PI / 180, cos = Math.cos(r), sin = Math.sin(r);
  const cx = w / 2, cy = h / 2;
  const at = (x, y, c) => (x < 0 || y < 0 || x >= w || y >= h ? 0 : src.data[(y * w + x) * 4 + c]);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x + 0.5 - cx, dy = y + 0.5 - cy;
      const sx = cx + cos * dx + sin * dy - 0.5, sy = cy - sin * dx + cos * dy - 0.5;
      const x0 = Math.floor(sx), y0 = Math.floor(sy), fx = sx - x0, fy = sy - y0;
      const o = (y * w + x) * 4;
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) + (at(x0 + 1, y0, c) - at(x0, y0, c)) * fx;
        const bottom = at(x0, y0 + 1, c) + (at(x0 + 1, y0 + 1, c) - at(x0, y0 + 1, c)) * fx;
        out.data[o + c] = Math.floor(top + (bottom - top) * fy + 0.5);
      }
      out.data[o + 3] = 255;
    }
  }
  return out;
}

// Mean of each k x k block, rounded half up.
function shrink(src, k) {
  const w = Math.floor(src.width / k), h = Math.floor(src.height / k), out = image(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let j = 0; j < k; j++) {
          for (let i = 0; i < k; i++) {
            sum += src.data[((y * k + j) * src.width + x * k + i) * 4 + c];
          }
        }
        out.data[(y * w + x) * 4 + c] = Math.floor((2 * sum + k * k) / (2 * k * k));
      }
      out.data[(y * w + x) * 4 + 3] = 255;
    }
  }
  return out;
}

function paste(dst, src, left, top) {
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      for (let c = 0; c < 4; c++) {
        dst.data[((y + top) * dst.width + x + left) * 4 + c] = src.data[(y * src.width + x) * 4 + c];
      }
    }
  }
  return dst;
}

function darken(src, factor) {
  const out = image(src.width, src.height);
  for (let i = 0; i < src.data.length; i++) {
    out.data[i] = i % 4 === 3 ? 255 : Math.floor(src.data[i] * factor + 0.5);
  }
  return out;
}

function mirror(src) {
  const w = src.width, out = image(w, src.height);
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 4; c++) {
        out.data[(y * w + x) * 4 + c] = src.data[(y * w + (w - 1 - x)) * 4 + c];
      }
    }
  }
  return out;
}

function crop(src, left, top, width, height) {
  const out = image(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        out.data[(y * width + x) * 4 + c] = src.data[((y + top) * src.width + x + left) * 4 + c];
      }
    }
  }
  return out;
}

// FNV-1a (32 bits) over the R, G, B bytes, row by row: the tests check they made the same picture.
function checksum(img) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < img.data.length; i++) {
    if (i % 4 !== 3) {
      hash = Math.imul(hash ^ img.data[i], 0x01000193) >>> 0;
    }
  }
  return hash.toString(16).padStart(8, '0');
}

async function post(path, body) {
  await fetch(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
}

const log = message => post('/log', String(message));

// What MediaPipe's WebAssembly prints (its LOG and CHECK messages) goes to the script's output too.
for (const level of ['log', 'warn', 'error']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    original(...args);
    log(`console.${level}: ${args.join(' ')}`);
  };
}

// The PNG's own bytes, without the colour management Chromium would apply from its ICC profile.
async function loadPhoto(name) {
  const blob = await (await fetch(`skimage/${name}.png`)).blob();
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const c = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = c.getContext('2d');
  g.drawImage(bitmap, 0, 0);
  const d = g.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: d.width, height: d.height, data: d.data };
}

function toCanvas(img) {
  const c = document.createElement('canvas');
  c.width = img.width;
  c.height = img.height;
  c.getContext('2d').putImageData(new ImageData(img.data, img.width, img.height), 0, 0);
  return c;
}

// One MediaPipe FaceDetection per run: a model, and TFLite on the CPU (XNNPACK, float32) or MediaPipe's WebGL
// inference (the JS solution's default on desktops). `file` is the .tflite MediaPipe's graph loads in place of the one its JS
// asks for: for "full" the JS asks for face_detection_full_range_sparse.tflite; we give it the dense
// face_detection_full_range.tflite our engine runs (same inputs and outputs), and record the sparse one separately.
async function runModel(model, file, useCpuInference, pictures) {
  const detector = new FaceDetection({
    locateFile: f => (f.endsWith('.tflite') ? `mediapipe/${file}` : `mediapipe/${f}`),
  });
  // minDetectionConfidence is left at the graph's own threshold: setting it makes this build's graph fail
  // ("RET_CHECK failure ... options_.has_num_classes()" in TensorsToDetectionsCalculator).
  detector.setOptions({ model, selfieMode: false, useCpuInference });
  let last = null;
  detector.onResults(r => { last = r; });
  await detector.initialize();
  const out = [];
  for (const { name, img } of pictures) {
    last = null;
    await detector.send({ image: toCanvas(img) });
    if (last === null) {
      throw new Error(`no results for ${name}`);
    }
    const faces = (last.detections || []).map(d => ({
      // Normalised to the picture, as MediaPipe gives them (after removing its letterbox).
      box: [d.boundingBox.xCenter, d.boundingBox.yCenter, d.boundingBox.width, d.boundingBox.height],
      keypoints: d.landmarks.map(k => [k.x, k.y]),
      raw: d,
    }));
    out.push({ image: name, faces });
  }
  await detector.close();
  return out;
}

async function main() {
  const settings = await (await fetch('settings.json')).json();
  const photos = {};
  for (const name of PHOTOS) {
    photos[name] = await loadPhoto(name);
  }
  const pictures = CASES.map(([name, make]) => {
    const img = make(photos);
    return { name, img, width: img.width, height: img.height, checksum: checksum(img) };
  });
  const runs = [];
  for (const run of settings.runs) {
    await log(`running ${run.name}`);
    runs.push({ ...run, results: await runModel(run.model, run.file, run.useCpuInference, pictures) });
  }
  await post('/result', {
    photoChecksums: Object.fromEntries(PHOTOS.map(n => [n, checksum(photos[n])])),
    images: pictures.map(({ name, width, height, checksum: sum }) => ({ name, width, height, checksum: sum })),
    runs,
  });
}

main().catch(e => post('/error', String(e && e.stack ? e.stack : e)));
