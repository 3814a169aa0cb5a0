#!/usr/bin/env bash
# Pipeline benchmarks (docs/BENCHMARKS.md, section "Pipeline"):
#   1. `facemoji video` on a 640x480 30 fps clip with one moving face and an audio tone: frames/s end to end
#      and the time of each stage (decode, detect/track, classify, draw, encode), for each length in MINUTES;
#      peak RSS from /usr/bin/time -v plus the facemoji process's VmRSS sampled every RSS_EVERY seconds, so
#      that a flat (or growing) memory curve shows.
#   2. `facemoji image FOLDER -o OUT` on 1,000 photos (the astronaut at varied scales, crops, brightness;
#      half JPEG, half PNG): images/s with annotated copies written, and with --no-images.
# Inputs are made with ffmpeg from third_party/skimage/astronaut.png (tools/setup.sh) into .cache/bench/
# (ignored) and reused by later runs.
#
# Usage:  bench/pipeline_bench.sh                 # 1- and 5-minute videos, 1,000 photos
#         MINUTES="1 30" bench/pipeline_bench.sh  # the issue's 30-minute memory floor (~10-20 min to run)
#         SKIP_PHOTOS=1 / SKIP_VIDEO=1            # one half only
#         MODEL=path/to/model.fmj                 # else $FACEMOJI_MODEL, else the shipped model
#         DETECTOR=blazeface                      # the video and photos with another detector (--detector)
#         TASKSET="taskset -c 0,1"                # pin to 2 cores on a larger machine
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=${MINUTES:-"1 5"}
RSS_EVERY=${RSS_EVERY:-5}
PHOTOS=${PHOTOS:-1000}
TASKSET=${TASKSET:-}
CACHE=.cache/bench
FACEMOJI=${FACEMOJI:-src/Facemoji.Cli/bin/Release/net10.0/facemoji}
SAMPLE=third_party/skimage/astronaut.png
mkdir -p "$CACHE"

[[ -f $SAMPLE ]] || bash tools/setup.sh
[[ -x $FACEMOJI ]] || dotnet build src/Facemoji.Cli -c Release -v quiet -nologo
if [[ ! -x /usr/bin/time ]]; then
  echo "pipeline_bench: /usr/bin/time is missing: apt-get install time" >&2
  exit 1
fi
MODEL_ARGS=()
if [[ -n ${MODEL:-} ]]; then MODEL_ARGS=(--model "$MODEL"); fi
if [[ -n ${DETECTOR:-} ]]; then MODEL_ARGS+=(--detector "$DETECTOR"); fi
export NO_COLOR=1 COLUMNS=200

echo "pipeline_bench: $(date -u '+%F %T UTC'), $(nproc) cores, load: $(uptime | sed 's/.*load average: //')"

# A 640x480 30 fps clip of N minutes: the astronaut scaled to 320x320 drifting over a gray background, a
# 440 Hz tone as audio. x264 ultrafast keeps the generation fast (a 30-minute clip in ~2-3 minutes).
make_clip() {
  local minutes=$1 out=$2 seconds=$(( $1 * 60 ))
  [[ -f $out ]] && return
  echo "making $out ($minutes min)"
  ffmpeg -v error -y -f lavfi -i "color=c=gray:s=640x480:r=30:d=$seconds" -loop 1 -i "$SAMPLE" \
    -f lavfi -i "sine=frequency=440:duration=$seconds" \
    -filter_complex "[1:v]scale=320:320[a];[0:v][a]overlay=x='160+20*sin(t)':y='80+10*cos(t*0.7)':shortest=1,format=yuv420p[v]" \
    -map "[v]" -map 2:a -c:v libx264 -preset ultrafast -c:a aac -t "$seconds" "$out.partial.mp4"
  mv "$out.partial.mp4" "$out"
}

# 1,000 photos in four groups of 250: brightness/contrast varied (512x512 JPEG), moving crops scaled to
# 320x320 (PNG), upscaled 800x800 with gamma varied (JPEG), and a small 240x240 face moving over a 640x480
# background (PNG).
make_photos() {
  local dir=$CACHE/photos per=$(( PHOTOS / 4 ))
  [[ -d $dir && $(ls "$dir" | wc -l) -eq $(( per * 4 )) ]] && return
  echo "making $(( per * 4 )) photos in $dir"
  rm -rf "$dir" && mkdir -p "$dir"
  ffmpeg -v error -y -loop 1 -i "$SAMPLE" -vf "eq=eval=frame:brightness='0.25*sin(n/9)':contrast='1+0.3*cos(n/13)'" -frames:v $per -q:v 3 "$dir/a_%04d.jpg"
  ffmpeg -v error -y -loop 1 -i "$SAMPLE" -vf "crop=400:400:'56+50*sin(n/7)':'40+30*cos(n/11)',scale=320:320" -frames:v $per "$dir/b_%04d.png"
  ffmpeg -v error -y -loop 1 -i "$SAMPLE" -vf "scale=800:800,eq=eval=frame:gamma='1+0.4*sin(n/5)'" -frames:v $per -q:v 4 "$dir/c_%04d.jpg"
  ffmpeg -v error -y -f lavfi -i color=c=darkgreen:s=640x480 -loop 1 -i "$SAMPLE" \
    -filter_complex "[1:v]scale=240:240[s];[0:v][s]overlay=x='200+150*sin(n/8)':y='120+100*cos(n/6)'" -frames:v $per "$dir/d_%04d.png"
}

# Runs a command under /usr/bin/time -v, samples the VmRSS of the facemoji process every RSS_EVERY seconds
# into $2.rss.csv (seconds, MiB), and prints peak RSS / wall time.
timed() {
  local log=$1; shift
  /usr/bin/time -v -o "$log.time" "$@" > "$log" 2> "$log.err" &
  local timer=$! pid="" start=$SECONDS
  echo "seconds,vmrss_mib" > "$log.rss.csv"
  while kill -0 "$timer" 2>/dev/null; do
    [[ -z $pid ]] && pid=$(pgrep -P "$timer" | head -1 || true)
    if [[ -n $pid && -r /proc/$pid/status ]]; then
      awk -v s=$(( SECONDS - start )) '/^VmRSS/ { printf "%d,%.1f\n", s, $2 / 1024 }' "/proc/$pid/status" >> "$log.rss.csv" 2>/dev/null || true
    fi
    sleep "$RSS_EVERY"
  done
  wait "$timer" || { echo "command failed: $*" >&2; cat "$log.err" >&2; return 1; }
  local peak wall
  peak=$(awk -F: '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$log.time")
  wall=$(awk '/Elapsed \(wall/ { print $NF }' "$log.time")
  echo "  wall $wall, peak RSS $peak MiB (largest single process, /usr/bin/time -v)"
  # VmRSS of facemoji itself over the run: the first sample (at start-up), then every quarter of the run.
  awk -F, 'NR > 1 { s[++n] = $1; r[n] = $2; if ($2 > m) m = $2 }
    END { if (n == 0) exit; printf "  facemoji VmRSS (MiB):"; for (q = 0; q <= 4; q++) { i = int(1 + (n - 1) * q / 4); printf " %ss=%s", s[i], r[i] }
          printf ", max %s over %d samples\n", m, n }' "$log.rss.csv"
}

if [[ -z ${SKIP_VIDEO:-} ]]; then
  for minutes in $MINUTES; do
    clip=$CACHE/clip_${minutes}min.mp4
    make_clip "$minutes" "$clip"
    echo "== facemoji video, 640x480 30 fps, $minutes min ($(( minutes * 1800 )) frames); load: $(uptime | sed 's/.*load average: //')"
    timed "$CACHE/video_${minutes}min.log" $TASKSET "$FACEMOJI" video "$clip" -o "$CACHE/out_${minutes}min.mp4" "${MODEL_ARGS[@]}"
    grep -E 'frames/s|stage|decode|detect|classify|draw|encode|all' "$CACHE/video_${minutes}min.log" | sed 's/^/  /'
  done
fi

if [[ -z ${SKIP_PHOTOS:-} ]]; then
  make_photos
  count=$(ls "$CACHE/photos" | wc -l)
  for variant in annotated no-images; do
    extra=(); [[ $variant == no-images ]] && extra=(--no-images)
    rm -rf "$CACHE/photos_out"
    echo "== facemoji image, $count photos, $variant; load: $(uptime | sed 's/.*load average: //')"
    start=$(date +%s.%N)
    timed "$CACHE/image_$variant.log" $TASKSET "$FACEMOJI" image "$CACHE/photos" -o "$CACHE/photos_out" --json "${extra[@]}" "${MODEL_ARGS[@]}"
    end=$(date +%s.%N)
    faces=$(grep -c '"faces":\[{' "$CACHE/image_$variant.log" || true)
    awk -v n="$count" -v a="$start" -v b="$end" -v f="$faces" 'BEGIN { printf "  %.1f images/s (%d images in %.1f s, process start included; %d with a face)\n", n / (b - a), n, b - a, f }'
  done
fi
