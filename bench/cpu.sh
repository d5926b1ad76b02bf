#!/usr/bin/env bash
# CPU seconds (user+sys, /usr/bin/time) of an image export and push, kk vs skopeo, on loopback: a
# measure that depends much less on other processes' load than wall time does (issue 3).
# Each kk jar given is measured in the same run, interleaved with skopeo, round by round.
# Usage: bench/cpu.sh [--images 12] [--base-mb 8] [--sizes-mb 4,2,1,0.5] [--rounds 3] [--keep] JAR...
#   (no JAR: this tree's kk-cli/target/kk.jar, built first)
# KK_JAVA_OPTS: extra JVM options for kk's runs. Every process it starts is stopped by PID on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images=12 base_mb=8 sizes_mb=4,2,1,0.5 rounds=3 keep=0 jars=()
while (($#)); do
  case "$1" in
    --images) images=$2; shift 2 ;;
    --base-mb) base_mb=$2; shift 2 ;;
    --sizes-mb) sizes_mb=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) jars+=("$(realpath "$1")"); shift ;;
  esac
done
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
need_tools cpu.sh docker-registry skopeo python3 java javac /usr/bin/time
if ((${#jars[@]} == 0)); then
  (cd "$root" && mvn -q -B -o -DskipTests package >/dev/null)
  jars=("$root/kk-cli/target/kk.jar")
fi

bench_workdir kk-cpu

mkdir -p "$W/helper"
javac -cp "${jars[0]}" -d "$W/helper" "$root/bench/ExportImages.java"
python3 "$root/bench/mkimages.py" --out "$W/layout" --images "$images" --base-mb "$base_mb" --sizes-mb "$sizes_mb" >&2
SRC=$(freeport); registry src "$SRC"
DST=$(freeport); registry dst "$DST"
# shellcheck disable=SC2086
java ${KK_JAVA_OPTS:-} -jar "${jars[0]}" artifact images push -a "$W/layout" --registry "127.0.0.1:$SRC" --plain-http >/dev/null 2>&1
NAMES=""; for ((i = 0; i < images; i++)); do NAMES+="bench/img$i:v1 "; done
export NAMES SRC DST W KK_JAVA_OPTS="${KK_JAVA_OPTS:-}"

measure() { # LABEL cmd...: one timed run, appended to results
  local label=$1; shift
  sync
  # a fresh bash runs the step so that /usr/bin/time counts every process it waits for
  if ! /usr/bin/time -f '%e %U %S' -o "$W/time" bash -c '"$@"' _ "$@" >"$W/last.log" 2>&1; then
    echo "FAILED ($label)" >&2; tail -20 "$W/last.log" >&2; exit 1
  fi
  read -r e u s <"$W/time"
  printf '%-28s wall %6.2f  user %6.2f  sys %5.2f  cpu %6.2f  load %s\n' "$label" "$e" "$u" "$s" \
    "$(python3 -c "print($u+$s)")" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$W/results" >&2
}
skopeo_export() { for n in $NAMES; do skopeo copy -q --all --src-tls-verify=false "docker://127.0.0.1:$SRC/$n" "oci:$1:127.0.0.1:$SRC/$n"; done; }
skopeo_push() {
  for n in $NAMES; do
    skopeo copy -q --all --preserve-digests --dest-tls-verify=false "oci:$W/layout:$n" "docker://127.0.0.1:$DST/$n"
  done
}
# shellcheck disable=SC2086
kk_export() { KK_PARALLEL=12 java $KK_JAVA_OPTS -cp "$1:$W/helper" ExportImages "$2" "127.0.0.1:$SRC" $(for n in $NAMES; do echo "127.0.0.1:$SRC/$n"; done); }
# shellcheck disable=SC2086
kk_push() { java $KK_JAVA_OPTS -jar "$1" artifact images push -a "$W/layout" --registry "127.0.0.1:$DST" --plain-http; }

export -f skopeo_export skopeo_push kk_export kk_push
echo "uptime at start: $(uptime)" | tee -a "$W/results" >&2
for ((r = 1; r <= rounds; r++)); do
  rm -rf "$W/out"; measure "export skopeo" skopeo_export "$W/out"
  for j in "${!jars[@]}"; do
    rm -rf "$W/out"; measure "export kk[$j]" kk_export "${jars[$j]}" "$W/out"
  done
  registry dst "$DST"; measure "push skopeo" skopeo_push
  for j in "${!jars[@]}"; do
    registry dst "$DST"; measure "push kk[$j]" kk_push "${jars[$j]}"
  done
done
echo "uptime at end: $(uptime)" | tee -a "$W/results" >&2
for j in "${!jars[@]}"; do echo "kk[$j] = ${jars[$j]}"; done
python3 - "$W/results" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'(.+?)\s+wall\s+([\d.]+)\s+user\s+([\d.]+)\s+sys\s+([\d.]+)\s+cpu\s+([\d.]+)', line)
    if m:
        rows.setdefault(m.group(1), []).append((float(m.group(2)), float(m.group(5))))
print("%-16s %10s %10s   %s" % ("step", "cpu s", "wall s", "runs (cpu/wall)"))
for k, v in rows.items():
    print("%-16s %10.2f %10.2f   %s" % (k, statistics.median(c for _, c in v), statistics.median(w for w, _ in v),
                                         " ".join("%.2f/%.2f" % (c, w) for w, c in v)))
PY
