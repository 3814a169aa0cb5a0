#!/usr/bin/env bash
# Memory soak (docs/SCALING.md, "Measuring"): three `facemoji serve` instances behind HAProxy under live-socket
# load for DURATION seconds (default 600), each instance's resident memory sampled every 10 s into soak-rss.csv.
# The floor: each instance's memory is flat, i.e. its median over the last minute is within 10% of its median
# over the second minute (the first minute is warm-up: the model, the JIT, the thread pool).
#
# Usage:  bench/soak.sh                       # 10 minutes, 6 clients at 10 frames/s through HAProxy
#         DURATION=60 bench/soak.sh           # a quick check that it works
#         OUT=results/soak bench/soak.sh      # where soak-rss.csv and the load report go (default .cache/soak)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-600}
CLIENTS=${CLIENTS:-6}
FPS=${FPS:-10}
FACEMOJI=${FACEMOJI:-dist/facemoji}
OUT=${OUT:-.cache/soak}
[[ -x $FACEMOJI ]] || make build >/dev/null
command -v haproxy >/dev/null || { echo "haproxy is missing: run tools/setup.sh" >&2; exit 2; }
mkdir -p "$OUT"
WORK=$(mktemp -d)
source bench/serve_cluster.sh
trap 'cleanup; rm -rf "$WORK"' EXIT

ports=(); pids=()
for i in 1 2 3; do port=$(free_port); start_instance "$port"; ports+=("$port"); pids+=("$LAST_PID"); done
front=$(free_port); start_haproxy "$front" "" "${ports[@]}"

"$FACEMOJI" bench web --url "http://127.0.0.1:$front" --clients "$CLIENTS" --fps "$FPS" --seconds "$DURATION" --json >"$OUT/soak-load.json" &
load=$!
echo "seconds,instance1_kib,instance2_kib,instance3_kib" >"$OUT/soak-rss.csv"
start=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
  now=$(( $(date +%s) - start ))
  echo "$now,$(rss_kib "${pids[0]}"),$(rss_kib "${pids[1]}"),$(rss_kib "${pids[2]}")" >>"$OUT/soak-rss.csv"
  sleep 10
done
wait "$load" || true

python3 - "$OUT/soak-rss.csv" "$OUT/soak-load.json" "$DURATION" <<'PY'
import csv, json, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
load = json.load(open(sys.argv[2]))
duration = float(sys.argv[3])
print(f"load through HAProxy: {load['answered']} frames answered, {load['dropped']} dropped, {load['errors']} errors in {load['seconds']:.0f} s")
ok = load["errors"] == 0
for i in (1, 2, 3):
    key = f"instance{i}_kib"
    series = [(float(r["seconds"]), int(r[key]) / 1024) for r in rows if r[key]]
    second = [m for t, m in series if 60 <= t < 120] or [m for t, m in series][:1]
    last = [m for t, m in series if t >= duration - 60] or [m for t, m in series][-1:]
    a, b = statistics.median(second), statistics.median(last)
    flat = b <= a * 1.10
    ok &= flat
    print(f"instance {i}: RSS MiB second minute {a:7.1f}, last minute {b:7.1f}, peak {max(m for _, m in series):7.1f} "
          f"-> growth {100 * (b / a - 1):+5.1f}%  {'flat' if flat else 'GROWING'}")
print("PASS" if ok else "FAIL", "(floor: last-minute median within 10% of the second minute's, 0 errors)")
sys.exit(0 if ok else 1)
PY
