// Facemoji's page: plain JavaScript, no build step. The camera's frames go to the server over a WebSocket
// (downscaled JPEG, at most one frame in flight: a new frame is sent only when the last one was answered,
// so a slow server makes us drop frames instead of queueing them). The server answers with the faces and
// their smoothed readings; this page draws the emoji over the video and the bars on the right.
'use strict';

// Frames go at the camera's own size up to this width: the server then finds the faces that `facemoji image`
// finds on the same frame (a 480-px copy loses the faces under 40 px of the original).
const SEND_WIDTH = 1280;
const SETTINGS_KEY = 'facemoji.settings';
const JPEG_QUALITY = 0.7;
const EMOJI_SIZE = 256;          // pixels asked of /api/emoji

const $ = (id) => document.getElementById(id);
const video = $('video');
const overlay = $('overlay');
const packSelect = $('pack');
const modeSelect = $('mode');
const saveButton = $('save');
const sensitivitySelect = $('sensitivity');

const state = {
  config: null,
  packs: [],
  socket: null,
  inFlight: false,
  frameId: 0,
  sentAt: new Map(),
  faces: [],                     // the last answer, in video pixels
  answered: [],                  // times of answers over the last second, for the fps
  rttMs: 0,
  serverMs: 0,
  cameraReady: false,
  emojiCache: new Map(),
  mainTrack: null,               // the server's choice of main face (a track id), see MainFaceChooser
  upload: null,                  // the last upload's result and picture: the panel and Save use it while it is shown
};

// ---------------------------------------------------------------- settings (URL first, then local storage)

function readSettings() {
  let stored = {};
  try {
    stored = JSON.parse(localStorage.getItem(SETTINGS_KEY) || '{}');
  } catch (error) {
    stored = {};
  }
  const query = new URLSearchParams(location.search);
  const pick = (name) => query.get(name) || stored[name] || null;
  return { pack: pick('pack'), mode: pick('mode') && pick('mode').toLowerCase(), sensitivity: pick('sensitivity') || 'normal' };
}

function storeSettings() {
  const settings = { pack: packSelect.value, mode: modeSelect.value, sensitivity: sensitivitySelect.value };
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch (error) {
    // Private windows may refuse storage: the URL still carries the settings.
  }
  const query = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(settings)) {
    query.set(name, value);
  }
  history.replaceState(null, '', `${location.pathname}?${query}`);
}

// ---------------------------------------------------------------- start-up

async function start() {
  try {
    const [config, packs] = await Promise.all([getJson('/api/config'), getJson('/api/packs')]);
    state.config = config;
    state.packs = packs;
  } catch (error) {
    $('stats').textContent = `server not reachable: ${error.message}`;
    return;
  }

  const settings = readSettings();
  const startPack = state.packs.some((p) => p.name === settings.pack) ? settings.pack : state.config.pack;
  const startMode = state.config.modes.includes(settings.mode) ? settings.mode : state.config.mode;
  for (const pack of state.packs) {
    packSelect.add(new Option(pack.name, pack.name, false, pack.name === startPack));
  }
  for (const mode of state.config.modes) {
    modeSelect.add(new Option(mode, mode, false, mode === startMode));
  }
  sensitivitySelect.value = ['low', 'normal', 'high'].includes(settings.sensitivity) ? settings.sensitivity : 'normal';
  buildBars();
  packSelect.addEventListener('change', () => { storeSettings(); showMainFace(); redrawUpload(); });
  modeSelect.addEventListener('change', () => { storeSettings(); drawOverlay(); redrawUpload(); });
  sensitivitySelect.addEventListener('change', () => {
    storeSettings();
    state.mainTrack = null;
    if (state.socket) {
      state.socket.close(1000, 'sensitivity changed'); // the close handler reconnects with the new setting
    }
  });
  saveButton.addEventListener('click', save);
  setUpUpload();
  $('back-to-camera').addEventListener('click', clearUpload);
  refreshGallery();
  connect();
  startCamera();
  requestAnimationFrame(tick);
}

async function getJson(url, init) {
  const response = await fetch(url, init);
  const body = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
  if (!response.ok) {
    throw new Error(body.error || `${response.status} ${response.statusText}`);
  }
  return body;
}

// ---------------------------------------------------------------- camera

async function startCamera() {
  const status = $('camera-status');
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    cameraProblem('This browser gives the page no camera here (camera access needs localhost or https). You can still upload a picture below.');
    return;
  }
  try {
    // Ask for up to SEND_WIDTH: a 640x480 request makes the browser scale a larger camera down, and the faces
    // under 40 px of that copy are lost (a group across the room).
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: SEND_WIDTH }, height: { ideal: 720 } }, audio: false });
    video.srcObject = stream;
    await video.play();
    state.cameraReady = true;
    status.textContent = 'Camera on. Frames go to the Facemoji server on this machine and nowhere else.';
    status.classList.remove('problem');
    saveButton.disabled = false;
  } catch (error) {
    if (error.name === 'NotAllowedError' || error.name === 'SecurityError') {
      cameraProblem('Camera permission was denied, so there is no live view. Allow the camera and reload, or upload a picture below.');
    } else if (error.name === 'NotFoundError' || error.name === 'OverconstrainedError') {
      cameraProblem('No camera was found on this computer. You can still upload a picture below.');
    } else if (error.name === 'NotReadableError') {
      cameraProblem('The camera is in use by another program. Close it and reload, or upload a picture below.');
    } else {
      cameraProblem(`The camera could not be started (${error.name}: ${error.message}). You can still upload a picture below.`);
    }
  }
}

function cameraProblem(message) {
  const status = $('camera-status');
  status.textContent = message;
  status.classList.add('problem');
  status.dataset.problem = 'true';
  state.cameraReady = false;
  saveButton.disabled = true;
}

// ---------------------------------------------------------------- socket

function connect() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?sensitivity=${encodeURIComponent(sensitivitySelect.value)}`;
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  state.socket = socket;
  socket.addEventListener('message', (event) => onMessage(JSON.parse(event.data)));
  socket.addEventListener('close', (event) => {
    state.socket = null;
    state.inFlight = false;
    $('stats').textContent = event.reason ? `disconnected: ${event.reason}; reconnecting…` : 'disconnected; reconnecting…';
    setTimeout(connect, event.reason === 'sensitivity changed' ? 0 : 1000);
  });
}

function onMessage(message) {
  if (message.type === 'ready') {
    $('stats').textContent = 'connected';
    return;
  }
  const sentAt = state.sentAt.get(message.id);
  state.sentAt.delete(message.id);
  state.inFlight = false;
  if (message.type === 'error') {
    $('stats').textContent = `server: ${message.message}`;
    return;
  }
  const now = performance.now();
  if (sentAt !== undefined) {
    state.rttMs = now - sentAt.time;
  }
  state.serverMs = message.serverMs;
  state.answered.push(now);
  while (state.answered.length && now - state.answered[0] > 1000) {
    state.answered.shift();
  }
  // The frame was downscaled before sending: boxes come back in its pixels, the overlay works in the video's.
  const scale = sentAt ? sentAt.scale : 1;
  state.faces = message.faces.map((face) => ({ ...face, box: face.box.map((v) => v * scale) }));
  state.mainTrack = message.main ?? null;
  $('stats').textContent = `${state.answered.length} fps · round trip ${state.rttMs.toFixed(0)} ms · server ${state.serverMs.toFixed(1)} ms`;
  showMainFace();
  drawOverlay();
}

const sendCanvas = document.createElement('canvas');

function tick() {
  requestAnimationFrame(tick);
  const socket = state.socket;
  if (!state.cameraReady || state.inFlight || !socket || socket.readyState !== WebSocket.OPEN || video.videoWidth === 0) {
    return;
  }
  state.inFlight = true;
  const scale = Math.max(1, video.videoWidth / SEND_WIDTH);
  sendCanvas.width = Math.round(video.videoWidth / scale);
  sendCanvas.height = Math.round(video.videoHeight / scale);
  sendCanvas.getContext('2d').drawImage(video, 0, 0, sendCanvas.width, sendCanvas.height);
  const id = ++state.frameId >>> 0;
  const time = performance.now();
  sendCanvas.toBlob(async (blob) => {
    if (!blob || socket.readyState !== WebSocket.OPEN) {
      state.inFlight = false;
      return;
    }
    const jpeg = new Uint8Array(await blob.arrayBuffer());
    const message = new Uint8Array(4 + jpeg.length);
    new DataView(message.buffer).setUint32(0, id, true);
    message.set(jpeg, 4);
    state.sentAt.set(id, { time, scale });
    socket.send(message);
  }, 'image/jpeg', JPEG_QUALITY);
}

// ---------------------------------------------------------------- emoji pictures

function emojiPicture(pack, emotion, intensity) {
  const info = state.packs.find((p) => p.name === pack) || state.packs[0];
  const extension = info.svg ? 'svg' : 'png';
  const url = `/api/emoji/${encodeURIComponent(info.name)}/${emotion}/${intensity}.${extension}?size=${EMOJI_SIZE}`;
  let image = state.emojiCache.get(url);
  if (!image) {
    image = new Image();
    image.src = url;
    image.addEventListener('load', () => drawOverlay());
    state.emojiCache.set(url, image);
  }
  return image;
}

// The main face of the camera is the server's choice (MainFaceChooser: a track seen in a few frames with a good
// detector score, kept while it stays; a new choice by detector score, persistence, then size), so a one-frame or
// low-score box never is. Uploads and saves (no tracks) take the most confident, then the larger face.
function mainFace(faces) {
  const tracked = faces.filter((face) => face.track !== undefined);
  if (tracked.length > 0 && tracked.length === faces.length) {
    return tracked.find((face) => face.track === state.mainTrack) || null;
  }
  let best = null;
  for (const face of faces) {
    const better = !best || face.confidence > best.confidence + 0.05
      || (Math.abs(face.confidence - best.confidence) <= 0.05 && face.box[2] * face.box[3] > best.box[2] * best.box[3]);
    if (better) {
      best = face;
    }
  }
  return best;
}

// ---------------------------------------------------------------- the panel on the right

function buildBars() {
  const bars = $('bars');
  for (const emotion of state.config.emotions) {
    const item = document.createElement('li');
    item.dataset.emotion = emotion;
    item.innerHTML = `<span class="label">${emotion}</span><span class="bar"><span class="fill"></span></span><span class="value">0%</span>`;
    bars.append(item);
  }
}

function showMainFace() {
  if (state.upload) {
    return; // the panel shows the upload until the camera is looked at again (see clearUpload)
  }
  showFace(mainFace(state.faces));
}

function showFace(face) {
  const label = $('main-emotion');
  const picture = $('emoji-picture');
  $('hint').hidden = !!face || !!state.upload;
  if (!face) {
    $('emotion-text').textContent = 'no face in view';
    label.dataset.emotion = '';
    label.dataset.emoji = '';
    picture.hidden = true;
    $('emoji-text').textContent = '';
    return;
  }
  const image = emojiPicture(packSelect.value, face.emotion, face.intensity);
  if (picture.src !== image.src) {
    picture.src = image.src;
  }
  picture.hidden = false;
  picture.alt = `${face.emotion} (${face.intensity})`;
  $('emoji-text').textContent = face.emoji;
  $('emotion-text').textContent = `${face.emotion} · ${face.intensity} · ${(face.confidence * 100).toFixed(0)}%`;
  label.dataset.emotion = face.emotion;
  label.dataset.emoji = face.emoji;
  for (const item of $('bars').children) {
    const p = face.probabilities[item.dataset.emotion] || 0;
    item.querySelector('.fill').style.width = `${(p * 100).toFixed(1)}%`;
    item.querySelector('.value').textContent = `${(p * 100).toFixed(0)}%`;
    item.classList.toggle('top', item.dataset.emotion === face.emotion);
  }
}

// ---------------------------------------------------------------- drawing (overlay, saves, uploads)

function drawOverlay() {
  if (video.videoWidth === 0) {
    return;
  }
  overlay.width = video.videoWidth;
  overlay.height = video.videoHeight;
  const context = overlay.getContext('2d');
  context.clearRect(0, 0, overlay.width, overlay.height);
  drawFaces(context, state.faces, modeSelect.value, packSelect.value);
}

// Draws the faces' emoji in a display mode: cover hides the face, badge sits at the box's corner,
// panel outlines the face (the emoji itself is in the panel beside the picture).
function drawFaces(context, faces, mode, pack) {
  for (const face of faces) {
    const [x, y, w, h] = face.box;
    const image = emojiPicture(pack, face.emotion, face.intensity);
    const ready = image.complete && image.naturalWidth > 0;
    if (mode === 'cover') {
      const size = Math.max(w, h) * 1.25;
      if (ready) {
        // The emoji turns with the head (roll: degrees, clockwise, from a detector with landmarks).
        context.save();
        context.translate(x + w / 2, y + h / 2);
        context.rotate(((face.roll || 0) * Math.PI) / 180);
        context.drawImage(image, -size / 2, -size / 2, size, size);
        context.restore();
      }
    } else if (mode === 'badge') {
      const size = Math.max(24, w * 0.45);
      outline(context, face);
      if (ready) {
        context.drawImage(image, x + w - size * 0.6, y - size * 0.4, size, size);
      }
    } else {
      outline(context, face);
      context.font = `${Math.max(14, Math.round(h / 8))}px system-ui, sans-serif`;
      context.fillStyle = '#ffc83d';
      context.fillText(`${face.emotion} ${(face.confidence * 100).toFixed(0)}%`, x, Math.max(16, y - 6));
    }
  }
}

function outline(context, face) {
  const [x, y, w, h] = face.box;
  context.lineWidth = Math.max(2, w / 60);
  context.strokeStyle = '#ffc83d';
  context.strokeRect(x, y, w, h);
}

// The picture that Save stores: the frame with the emoji drawn on it, and in panel mode the panel
// (the main face's emoji and its seven bars) beside it.
function compose(source, width, height, faces, mode, pack) {
  const canvas = document.createElement('canvas');
  const panelWidth = mode === 'panel' ? Math.round(height * 0.75) : 0;
  canvas.width = width + panelWidth;
  canvas.height = height;
  const context = canvas.getContext('2d');
  context.fillStyle = '#1f2127';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(source, 0, 0, width, height);
  drawFaces(context, faces, mode, pack);
  if (panelWidth > 0) {
    drawPanel(context, width, panelWidth, height, mainFace(faces), pack);
  }
  return canvas;
}

function drawPanel(context, left, width, height, face, pack) {
  const margin = width * 0.08;
  context.fillStyle = '#eceef2';
  context.font = `${Math.round(height / 22)}px system-ui, sans-serif`;
  if (!face) {
    context.fillText('no face', left + margin, height / 2);
    return;
  }
  const size = width - 2 * margin;
  const image = emojiPicture(pack, face.emotion, face.intensity);
  if (image.complete && image.naturalWidth > 0) {
    context.drawImage(image, left + margin, margin, size, size);
  }
  let y = margin * 1.5 + size;
  const row = (height - y - margin) / state.config.emotions.length;
  // Labels at least 14 px (legible in a saved picture), the percentage at the end of each bar.
  const fontSize = Math.max(14, Math.round(row * 0.62));
  const labelWidth = width * 0.34;
  const percentWidth = width * 0.18;
  const barLeft = left + margin + labelWidth;
  const barWidth = width - 2 * margin - labelWidth - percentWidth;
  context.font = `${fontSize}px system-ui, sans-serif`;
  context.textBaseline = 'middle';
  for (const emotion of state.config.emotions) {
    const p = face.probabilities[emotion] || 0;
    const top = emotion === face.emotion;
    context.fillStyle = '#3b3f4a';
    context.fillRect(barLeft, y + row * 0.2, barWidth, row * 0.6);
    context.fillStyle = top ? '#6fdc8c' : '#ffc83d';
    context.fillRect(barLeft, y + row * 0.2, barWidth * p, row * 0.6);
    context.fillStyle = '#eceef2';
    context.font = `${top ? 'bold ' : ''}${fontSize}px system-ui, sans-serif`;
    context.textAlign = 'left';
    context.fillText(emotion, left + margin, y + row / 2);
    context.textAlign = 'right';
    context.fillText(`${Math.round(p * 100)}%`, left + width - margin, y + row / 2);
    y += row;
  }
  context.textAlign = 'left';
  context.textBaseline = 'alphabetic';
}

// ---------------------------------------------------------------- save and gallery

async function save() {
  const status = $('save-status');
  if (!state.upload && video.videoWidth === 0) {
    return;
  }
  saveButton.disabled = true;
  try {
    const canvas = state.upload
      ? compose(state.upload.bitmap, state.upload.result.width, state.upload.result.height, state.upload.result.faces, modeSelect.value, packSelect.value)
      : compose(video, video.videoWidth, video.videoHeight, state.faces, modeSelect.value, packSelect.value);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    const saved = await getJson('/api/saves', { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: blob });
    status.classList.remove('problem');
    status.innerHTML = '';
    status.append(`Saved ${saved.name} on the server. `);
    const link = document.createElement('a');
    link.id = 'download';
    link.href = URL.createObjectURL(blob);
    link.download = saved.name;
    link.textContent = 'Download it';
    status.append(link);
    status.dataset.saved = saved.name;
    link.click();
    await refreshGallery();
  } catch (error) {
    status.textContent = `Could not save: ${error.message}`;
    status.classList.add('problem');
  } finally {
    saveButton.disabled = !state.cameraReady && !state.upload;
  }
}

async function refreshGallery() {
  const gallery = $('gallery');
  let saves;
  try {
    saves = await getJson('/api/saves');
  } catch (error) {
    gallery.textContent = `gallery not available: ${error.message}`;
    return;
  }
  gallery.innerHTML = '';
  for (const picture of saves.slice(0, 24)) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = picture.url;
    link.download = picture.name;
    const image = document.createElement('img');
    image.src = picture.url;
    image.alt = picture.name;
    image.loading = 'lazy';
    link.append(image, picture.name);
    item.append(link);
    gallery.append(item);
  }
}

// ---------------------------------------------------------------- upload

function setUpUpload() {
  const drop = $('drop');
  const input = $('file');
  input.addEventListener('change', () => input.files[0] && analyzeFile(input.files[0]));
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer.files[0];
    if (file) {
      analyzeFile(file);
    }
  });
}

async function analyzeFile(file) {
  const status = $('upload-status');
  const output = $('upload-result');
  status.classList.remove('problem');
  status.textContent = `Analyzing ${file.name}…`;
  const form = new FormData();
  form.append('image', file, file.name);
  try {
    const result = await getJson('/api/analyze', { method: 'POST', body: form });
    const bitmap = await createImageBitmap(file);
    const pack = packSelect.value;
    // Wait for the emoji pictures so the annotated result is complete on first draw.
    await Promise.all(result.faces.map((face) => loaded(emojiPicture(pack, face.emotion, face.intensity))));
    state.upload = { result, bitmap, name: file.name };
    redrawUpload();
    output.hidden = false;
    $('back-to-camera').hidden = false;
    saveButton.disabled = false;
    showFace(mainFace(result.faces));
    const summary = result.faces.map((face) => `${face.emoji} ${face.emotion} ${(face.confidence * 100).toFixed(0)}%`).join(', ');
    status.textContent = result.faces.length ? `${file.name}: ${summary}` : `${file.name}: no face found`;
    status.dataset.faces = String(result.faces.length);
  } catch (error) {
    status.textContent = `Could not analyze ${file.name}: ${error.message}`;
    status.classList.add('problem');
    output.hidden = true;
  }
}

function redrawUpload() {
  if (!state.upload) {
    return;
  }
  const { result, bitmap } = state.upload;
  const output = $('upload-result');
  const canvas = compose(bitmap, result.width, result.height, result.faces, modeSelect.value, packSelect.value);
  output.width = canvas.width;
  output.height = canvas.height;
  output.getContext('2d').drawImage(canvas, 0, 0);
  showFace(mainFace(result.faces));
}

// Back to the camera: the panel follows the live main face again and Save saves the camera's frame.
function clearUpload() {
  state.upload = null;
  $('upload-result').hidden = true;
  $('back-to-camera').hidden = true;
  saveButton.disabled = !state.cameraReady;
  showMainFace();
}

function loaded(image) {
  return image.complete ? Promise.resolve() : new Promise((resolve) => {
    image.addEventListener('load', resolve, { once: true });
    image.addEventListener('error', resolve, { once: true });
  });
}

start();
