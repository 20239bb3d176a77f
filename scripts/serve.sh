#!/usr/bin/env bash
# Serve the app to a lecture hall: N `streamlit run serve.py` replicas on local ports, and
# HAProxy in front of them on one port (deploy/haproxy.cfg), each visitor kept on one
# replica by a cookie. Stays in the foreground; Ctrl-C or SIGTERM stops all it started.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
Usage: bash scripts/serve.sh [--replicas N] [--port P]

Serves the app on port P: N `streamlit run serve.py` replicas on the next free local
ports after P, behind HAProxy (deploy/haproxy.cfg), which keeps each visitor on one
replica. Each replica computes every page's defaults as it starts; visitors are let in
once all have. Ctrl-C stops them all.

  --replicas N   how many Streamlit servers, a whole number from 1 to 64
                 (default: the cores this process may use)
  --port P       the port visitors open, from 1 to 65535 (default: 8501)
  --help         show this message
EOF
}

refuse() {  # a bad argument: say which, show the usage, exit 2 as argument errors do
  echo "serve.sh: $1" >&2
  usage >&2
  exit 2
}

# One Streamlit server per core by default: each runs its scripts in one interpreter.
# nproc counts the cores this process may use, but believes OMP_NUM_THREADS if it is
# set, so it is asked without it.
replicas=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)
replicas=$((replicas > 64 ? 64 : replicas))
port=8501
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas | --port)
      [ $# -ge 2 ] || refuse "$1 needs a value"
      if [ "$1" = --replicas ]; then replicas=$2; else port=$2; fi
      shift 2
      ;;
    --replicas=*) replicas=${1#*=}; shift ;;
    --port=*) port=${1#*=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) refuse "unknown argument: $1" ;;
  esac
done
# Digits only, and few enough of them that the comparison cannot overflow.
if ! [[ $replicas =~ ^[1-9][0-9]?$ ]] || ((replicas > 64)); then
  refuse "--replicas must be a whole number from 1 to 64, not '$replicas'"
fi
if ! [[ $port =~ ^[1-9][0-9]{0,4}$ ]] || ((port > 65535)); then
  refuse "--port must be a whole number from 1 to 65535, not '$port'"
fi

# HAProxy comes from the system's packages, as the test command's Chromium does.
if ! command -v haproxy >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq haproxy >/dev/null
fi
command -v streamlit >/dev/null 2>&1 ||
  { echo "serve.sh: no streamlit here: pip install -r requirements.txt" >&2; exit 1; }

# One BLAS thread per replica: N replicas on N cores already keep every core busy, and
# BLAS threads of their own would only compete with the other replicas for them.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

in_use() {  # something listens on 127.0.0.1:$1
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

healthy() {  # http://127.0.0.1:$1$2 answers 200 (bash alone, no curl needed); $2 defaults
  (          # to /ready, which a replica answers once its pages are warm (serve.py)
    exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "${2:-/ready}" >&3
    read -r -t 2 _ status _ <&3
    [ "$status" = 200 ]
  ) 2>/dev/null
}

work=$(mktemp -d)
started=()  # every process this script started, each the leader of its own group

any_running() {  # one of the processes given is still running
  local pid
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}

stop_all() {
  trap - EXIT INT TERM HUP
  # Each process was started as the leader of a group of its own (setsid): a signal to
  # the group reaches a replica's worker processes (workers/) too, and a Ctrl-C in the
  # terminal reaches this script alone, which stops the others here.
  if [ ${#started[@]} -gt 0 ]; then
    local pid
    for pid in "${started[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    # Streamlit closes its sessions within a second or two; what is left after five
    # seconds is killed.
    for _ in {1..50}; do
      any_running "${started[@]}" || break
      sleep 0.1
    done
    for pid in "${started[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
  fi
  rm -rf "$work"
}
# Ctrl-C, SIGTERM, a closed terminal (which the others, in sessions of their own, would
# not notice) or an error: nothing is left running.
trap stop_all EXIT
trap 'echo "Stopping."; stop_all; exit 130' INT
trap 'echo "Stopping."; stop_all; exit 143' TERM
trap 'stop_all; exit 129' HUP

in_use "$port" && { echo "serve.sh: port $port is in use; choose another with --port" >&2; exit 1; }

# The replicas, on the first free ports after the public one. Their standard output
# only names their own local address, which visitors must not use; errors still show.
replica_ports=()
replica_pids=()
next=$port
for ((i = 1; i <= replicas; i++)); do
  next=$((next + 1))
  while in_use "$next"; do next=$((next + 1)); done
  ((next <= 65535)) || { echo "serve.sh: no free port left above $port" >&2; exit 1; }
  setsid streamlit run serve.py --server.port "$next" --server.address 127.0.0.1 \
    --server.headless true >/dev/null &
  started+=("$!")
  replica_ports+=("$next")
  replica_pids+=("$!")
done

# Streamlit takes a few seconds to start and its warm-up a few more, more with many
# replicas starting at once.
for ((i = 0; i < replicas; i++)); do
  for ((tries = 0; ; tries++)); do
    healthy "${replica_ports[i]}" && break
    if ! kill -0 "${replica_pids[i]}" 2>/dev/null; then
      echo "serve.sh: replica $((i + 1)) (port ${replica_ports[i]}) failed to start" >&2
      exit 1
    fi
    ((tries < 3000)) || { echo "serve.sh: replica $((i + 1)) not ready after 300 s" >&2; exit 1; }
    sleep 0.1
  done
  echo "replica $((i + 1)): http://127.0.0.1:${replica_ports[i]} (pid ${replica_pids[i]})"
done

# The configuration: deploy/haproxy.cfg, then one line per replica in its backend.
config="$work/haproxy.cfg"
{
  cat deploy/haproxy.cfg
  for ((i = 0; i < replicas; i++)); do
    echo "    server replica$((i + 1)) 127.0.0.1:${replica_ports[i]} cookie replica$((i + 1))"
  done
} >"$config"
export LAB_PORT=$port
haproxy -c -q -f "$config"
setsid haproxy -db -f "$config" &
haproxy_pid=$!
started+=("$haproxy_pid")
until healthy "$port" /_stcore/health; do
  kill -0 "$haproxy_pid" 2>/dev/null || { echo "serve.sh: HAProxy did not start" >&2; exit 1; }
  sleep 0.1
done
echo "haproxy: port $port (pid $haproxy_pid)"
echo "Serving on http://localhost:$port (replicas: $replicas; Ctrl-C stops them all)"

# Until stopped: a replica that dies leaves its visitors to the others (HAProxy sends
# them on, see deploy/haproxy.cfg); without HAProxy or any replica nothing is served.
alive=("${replica_pids[@]}")
while :; do
  code=0 ended=""
  wait -n -p ended "${alive[@]}" "$haproxy_pid" || code=$?
  [ -n "$ended" ] || { echo "serve.sh: lost track of the processes it started" >&2; exit 1; }
  if [ "$ended" = "$haproxy_pid" ]; then
    echo "serve.sh: HAProxy exited with code $code; stopping the replicas" >&2
    exit 1
  fi
  for ((i = 0; i < replicas; i++)); do
    if [ "${replica_pids[i]}" = "$ended" ]; then
      echo "serve.sh: replica $((i + 1)) (port ${replica_ports[i]}, pid $ended) exited" \
        "with code $code; its visitors go to the others" >&2
      # Its worker processes outlive it, holding memory for nothing.
      kill -KILL -- "-$ended" 2>/dev/null || true
    fi
  done
  remaining=()
  for pid in "${alive[@]}"; do [ "$pid" = "$ended" ] || remaining+=("$pid"); done
  alive=("${remaining[@]}")
  [ ${#alive[@]} -gt 0 ] || { echo "serve.sh: no replica left; stopping" >&2; exit 1; }
done
