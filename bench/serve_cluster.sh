# Sourced by bench/haproxy_throughput.sh and bench/soak.sh: start `facemoji serve` instances and HAProxy with
# deploy/haproxy/haproxy.cfg (its addresses replaced), on loopback, and stop them all on exit.
# Needs: FACEMOJI (the built command), WORK (a scratch folder).

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_ready() { # URL
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$1/api/health/ready" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "no answer from $1/api/health/ready in 30 s" >&2; return 1
}

# start_instance PORT [CPUS] -> sets LAST_PID; the instance shares $WORK/saves with the others.
start_instance() {
  local port=$1 cpus=${2:-}
  local pin=(); [[ -n $cpus ]] && pin=(taskset -c "$cpus")
  "${pin[@]}" "$FACEMOJI" serve --urls "http://127.0.0.1:$port" --saves "$WORK/saves" ${MODEL:+--model "$MODEL"} \
    >"$WORK/serve-$port.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
  wait_ready "http://127.0.0.1:$port"
}

# start_haproxy FRONT_PORT [CPUS] SERVER_PORT... -> HAProxy in front of the instances.
start_haproxy() {
  local front=$1 cpus=$2; shift 2
  local cfg="$WORK/haproxy.cfg" servers="" i=1
  for port in "$@"; do servers+="    server s$i 127.0.0.1:$port cookie s$i"$'\n'; i=$((i + 1)); done
  # The shipped config with its bind address and its server lines replaced (one thread: the balancer's own core).
  sed -e "s/bind 127.0.0.1:8080/bind 127.0.0.1:$front/" -e '/^    server s[0-9]/d' -e 's/^global$/global\n    nbthread 1/' \
    deploy/haproxy/haproxy.cfg >"$cfg"
  printf '%s' "$servers" >>"$cfg"
  local pin=(); [[ -n $cpus ]] && pin=(taskset -c "$cpus")
  "${pin[@]}" haproxy -db -f "$cfg" >"$WORK/haproxy.log" 2>&1 &
  PIDS+=("$!")
  wait_ready "http://127.0.0.1:$front"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
