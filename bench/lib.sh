# shellcheck shell=bash
# Helpers the bench scripts share; sourced after `set -euo pipefail` and option parsing:
#   source "$root/bench/lib.sh"
# Defines functions and the arrays `pids` (processes to stop on exit) and `reg_pid`; starts nothing.

# shellcheck source=bin/jvm-options.sh
source "$(dirname "${BASH_SOURCE[0]}")/../bin/jvm-options.sh"

pids=()
declare -gA reg_pid=()

# need_tools SCRIPT TOOL...: exit 3 naming the first tool missing
need_tools() {
  local script=$1 tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$script: $tool is missing" >&2; exit 3; }
  done
}

# bench_workdir PREFIX: W = a fresh temporary directory /tmp/PREFIX.XXXXXX; on exit every process
# in `pids` is stopped by PID and W removed (kept, and named on stderr, when `keep` is 1)
bench_workdir() {
  W="$(mktemp -d "/tmp/$1.XXXXXX")"
  trap bench_cleanup EXIT
}
bench_cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if ((${keep:-0})); then echo "kept $W" >&2; else rm -rf "$W"; fi
}

# a free TCP port on 127.0.0.1
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# waitport PORT: wait (up to ~10 s) until 127.0.0.1:PORT accepts, else exit 1
waitport() {
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "port $1 never opened" >&2
  exit 1
}

# registry NAME PORT: (re)start docker-registry NAME on 127.0.0.1:PORT with empty storage in
# $W/reg-NAME, and wait until it listens
registry() {
  local name=$1 port=$2 d="$W/reg-$1"
  if [[ -n "${reg_pid[$name]:-}" ]]; then
    kill "${reg_pid[$name]}"
    wait "${reg_pid[$name]}" 2>/dev/null || true
  fi
  rm -rf "$d"
  mkdir -p "$d/data"
  cat >"$d/config.yml" <<YAML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $d/data}
  cache: {blobdescriptor: inmemory}
  delete: {enabled: true}
  maintenance: {uploadpurging: {enabled: false}}
http: {addr: 127.0.0.1:$port, headers: {X-Content-Type-Options: [nosniff]}, secret: bench-only-secret}
YAML
  docker-registry serve "$d/config.yml" >"$d/log" 2>&1 &
  reg_pid[$name]=$!
  pids+=($!)
  waitport "$port"
}
