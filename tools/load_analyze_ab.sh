#!/usr/bin/env bash
# A/B of POST /api/analyze under load (tools/load_analyze.py): two builds of facemoji, served one after the other
# on the same port, alternating for ROUNDS rounds, each run CLIENTS x SECONDS with the sample photo. Prints each
# run's summary line, the server's CPU seconds per request (from /proc, so a loaded machine shows it too) and, at
# the end, the median requests/s of each build and their ratio (B over A).
#
#   tools/load_analyze_ab.sh /tmp/filed-dist/facemoji dist/facemoji            # 3 rounds of 8 clients x 60 s
#   ROUNDS=1 SECONDS_PER_RUN=20 tools/load_analyze_ab.sh BEFORE AFTER          # a quick check
#   DOTNET_EnableAVX512=0 tools/load_analyze_ab.sh BEFORE AFTER                # the AVX2 path (inherited by both servers)
set -euo pipefail
a=${1:?usage: load_analyze_ab.sh FACEMOJI_A FACEMOJI_B}
b=${2:?usage: load_analyze_ab.sh FACEMOJI_A FACEMOJI_B}
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_RUN:-60}
clients=${CLIENTS:-8}
port=${PORT:-5199}
image=${IMAGE:-third_party/skimage/astronaut.png}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -f "$image" ] || { echo "load_analyze_ab.sh: $image is missing (run tools/setup.sh)" >&2; exit 2; }
saves=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$saves"' EXIT

run() { # label executable
  "$2" serve --urls "http://127.0.0.1:$port" --saves "$saves" >"$saves/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/api/health" && break; sleep 0.5; done
  local ticks=$(getconf CLK_TCK) before after out requests
  before=$(awk '{print $14 + $15}' "/proc/$server/stat")
  out=$(python3 tools/load_analyze.py --url "http://127.0.0.1:$port" --clients "$clients" --seconds "$seconds" --image "$image") || true
  after=$(awk '{print $14 + $15}' "/proc/$server/stat")
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  requests=$(echo "$out" | awk 'NR == 1 {print $1}')
  echo "$1 ($2, load $(cut -d' ' -f1 /proc/loadavg) after): $(echo "$out" | head -1)"
  echo "$out" | sed -n '2,3p' | sed 's/^/    /'
  echo "    server CPU per request: $(awk -v t=$((after - before)) -v hz="$ticks" -v n="$requests" 'BEGIN {printf "%.1f ms", 1000 * t / hz / n}')"
  echo "$out" | awk 'NR == 1 {print $9}' >>"$saves/rates-$1"
}

for round in $(seq "$rounds"); do
  run A "$a"
  run B "$b"
done
median() { sort -n "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ma=$(median "$saves/rates-A"); mb=$(median "$saves/rates-B")
awk -v a="$ma" -v b="$mb" 'BEGIN {printf "median requests/s: A %.2f, B %.2f, B/A %.2fx\n", a, b, b / a}'
