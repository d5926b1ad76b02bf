#!/usr/bin/env bash
# bench/fanout.sh: issue 5's fan-out benchmark. Uploads about 200 MB of binaries to 5 testbed
# nodes (real systemd + OpenSSH, testbed/README.md) two ways, in one run, and prints the ratio:
#   scp: OpenSSH's scp of all files to each node, one node after another;
#   kk:  kk's real upload path (a Pipeline of upload actions, PlanRunner over SshRemoteFactory,
#        all nodes in parallel), then again with nothing changed (sha256 skip).
# Rounds alternate scp and kk, so a change in the machine's load hits both; medians are printed.
# The remote directory is emptied before every timed upload. Needs root (the testbed).
#
#   bench/fanout.sh                      5 nodes, 3 rounds, 200 MiB
#   NODES=5 ROUNDS=5 FILES_MB="20 30 40 50 60" SKIP_BUILD=1 bench/fanout.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

NODES=${NODES:-5}
ROUNDS=${ROUNDS:-3}
FILES_MB=${FILES_MB:-"20 30 40 50 60"} # 200 MiB in five files, like a release's binaries
DEST=${DEST:-/opt/kk-fanout}
testbed="$root/testbed/kk-testbed"

die() {
  echo "fanout: $*" >&2
  exit 1
}
log() { echo "fanout: $*" >&2; }

[[ $(id -u) -eq 0 ]] || die "must run as root (the testbed boots nodes from namespaces)"
command -v scp >/dev/null || die "scp not found: apt-get install openssh-client"

work=$(mktemp -d /tmp/kk-fanout.XXXXXXXX)
subnet=""
names=()

# Always tear down what this run booted, also after a failure or Ctrl-C. The nodes are also
# recorded with this shell as their owner, so `kk-testbed gc` removes them after a kill -9.
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local n
  for n in "${names[@]}"; do
    "$testbed" down "$n" >/dev/null 2>&1 || log "could not take down $n (kk-testbed gc will)"
  done
  [[ -z $subnet ]] || "$testbed" release-subnet "$subnet" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export KK_TESTBED_OWNER=$$

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building kk (kk-cli's jar and kk-testkit's test classes)"
  mvn -q -B -o -pl kk-cli,kk-testkit -am package -DskipTests
fi
jar="$root/kk-cli/target/kk.jar"
classes="$root/kk-testkit/target/test-classes"
[[ -f $jar && -f $classes/io/kk/bench/FanoutBench.class ]] || die "build first (without SKIP_BUILD=1)"

# The payload: incompressible binaries, so neither side gains from compression.
files=()
i=0
for mb in $FILES_MB; do
  i=$((i + 1))
  f="$work/payload/binary-$i"
  mkdir -p "$work/payload"
  head -c "${mb}M" /dev/urandom >"$f"
  files+=("$f")
done

log "testbed base: $("$testbed" base)"
subnet=$("$testbed" subnet)
ssh-keygen -q -t ed25519 -N '' -C kk-fanout -f "$work/id_ed25519"
addresses=()
pids=()
for i in $(seq 1 "$NODES"); do
  name="fan${subnet##*.}-n$i"
  names+=("$name")
  addresses+=("$subnet.$((10 + i))")
  "$testbed" up "$name" "$subnet.$((10 + i))" --hostname "node$i" \
    --authorized-key "$work/id_ed25519.pub" --private-key "$work/id_ed25519" >/dev/null &
  pids+=($!)
done
for p in "${pids[@]}"; do
  wait "$p" || die "a node did not boot"
done
log "$NODES nodes up in $subnet.0/24"

echo "fanout: $(nproc) cores, $(ssh -V 2>&1 | head -n1), $(java -version 2>&1 | head -n1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$jar:$classes" io.kk.bench.FanoutBench \
  --key "$work/id_ed25519" --nodes "$(
    IFS=,
    echo "${addresses[*]}"
  )" \
  --dest "$DEST" --rounds "$ROUNDS" --parallel "$NODES" "${files[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
