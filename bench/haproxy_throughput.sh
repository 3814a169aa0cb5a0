#!/usr/bin/env bash
# Throughput through HAProxy against one instance (docs/SCALING.md, "Measuring"): the issue's floor is that
# N instances behind HAProxy answer, per core, within 10% of what one instance answers alone.
#
#   1. one `facemoji serve` pinned to 1 core, loaded directly by `facemoji bench web` (on other cores);
#   2. N instances, each pinned to its own core, behind HAProxy (pinned to one more core), loaded through HAProxy
#      with N times the clients.
# Each client keeps one live frame in flight (offered rate far above what a core answers), so the figure is the
# answered frames per second at saturation. Prints both rates, the per-core ratio and PASS/FAIL against 0.90.
#
# Usage:  bench/haproxy_throughput.sh                   # N=2, 60 s each
#         INSTANCES=4 SECONDS_EACH=120 bench/haproxy_throughput.sh
# Needs INSTANCES + 2 cores at least (instances, HAProxy, the load generator); run on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

INSTANCES=${INSTANCES:-2}
SECONDS_EACH=${SECONDS_EACH:-60}
CLIENTS_PER_CORE=${CLIENTS_PER_CORE:-3}
FACEMOJI=${FACEMOJI:-dist/facemoji}
CORES=$(nproc)
if (( CORES < INSTANCES + 2 )); then
  echo "need at least $((INSTANCES + 2)) cores for $INSTANCES instances, HAProxy and the load generator; this machine has $CORES" >&2
  exit 2
fi
[[ -x $FACEMOJI ]] || make build >/dev/null
command -v haproxy >/dev/null || { echo "haproxy is missing: run tools/setup.sh" >&2; exit 2; }
WORK=$(mktemp -d)
source bench/serve_cluster.sh
trap 'cleanup; rm -rf "$WORK"' EXIT
LOAD_CPUS="$((INSTANCES + 1))-$((CORES - 1))"

answered_per_second() { # URL CLIENTS -> frames answered per second (and the errors) from bench web --json
  local json
  json=$(taskset -c "$LOAD_CPUS" "$FACEMOJI" bench web --url "$1" --clients "$2" --fps 1000 --seconds "$SECONDS_EACH" --json)
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(f"{r[\"answered\"]/r[\"seconds\"]:.2f} {r[\"errors\"]}")' "$json"
}

echo "one instance on core 0, $CLIENTS_PER_CORE clients, ${SECONDS_EACH} s"
port=$(free_port); start_instance "$port" 0
read -r single single_errors < <(answered_per_second "http://127.0.0.1:$port" "$CLIENTS_PER_CORE")
cleanup; PIDS=()

echo "$INSTANCES instances on cores 0-$((INSTANCES - 1)), HAProxy on core $INSTANCES, $((CLIENTS_PER_CORE * INSTANCES)) clients"
ports=()
for i in $(seq 0 $((INSTANCES - 1))); do port=$(free_port); start_instance "$port" "$i"; ports+=("$port"); done
front=$(free_port); start_haproxy "$front" "$INSTANCES" "${ports[@]}"
read -r balanced balanced_errors < <(answered_per_second "http://127.0.0.1:$front" $((CLIENTS_PER_CORE * INSTANCES)))

python3 - "$single" "$balanced" "$INSTANCES" "$single_errors" "$balanced_errors" <<'PY'
import sys
single, balanced, n, e1, e2 = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
ratio = balanced / n / single
print(f"one instance:            {single:8.2f} frames/s on 1 core (errors {e1})")
print(f"{n} behind HAProxy:       {balanced:8.2f} frames/s on {n} cores = {balanced / n:.2f} per core (errors {e2})")
print(f"per core, ratio:         {ratio:.3f}  ->  {'PASS' if ratio >= 0.90 and e1 == e2 == '0' else 'FAIL'} (floor 0.90, 0 errors)")
PY
