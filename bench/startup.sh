#!/usr/bin/env bash
# Start-up cost of kk verbs: wall (median of ROUNDS) and CPU-s (user+sys, /usr/bin/time), without
# an AppCDS archive (nocds), with a dynamic one made by one run of the verb (dyn:
# -XX:ArchiveClassesAtExit, what bin/kk made before) and with a static one (static: the run's
# -XX:DumpLoadedClassList, then -Xshare:dump, what bin/kk makes now), and the number of classes
# loaded (-Xlog:class+load; "jar" = from kk.jar, "jdk" = from the runtime image, "cds" = mapped
# from an archive). Each jar given is measured in the same run, interleaved run by run, so that
# both see the same machine load; `uptime` is printed at start and end, the 1-min load per step.
# Verbs: `version`, `--help`, `create cluster --dry-run` (README's first command) and
# `artifact images push` of a small layout into a loopback docker-registry that already holds
# every blob (a push that sends nothing: start-up plus HEADs).
# Usage: bench/startup.sh [--rounds 5] [--keep] JAR...   (no JAR: this tree's kk-cli/target/kk.jar)
# Every process it starts is stopped by PID on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=5 keep=0 jars=()
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) jars+=("$(realpath "$1")"); shift ;;
  esac
done
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
need_tools startup.sh docker-registry python3 java /usr/bin/time
((${#jars[@]})) || jars=("$root/kk-cli/target/kk.jar")

bench_workdir kk-startup

python3 "$root/bench/mkimages.py" --out "$W/layout" --images 4 --base-mb 1 --sizes-mb 0.5,0.25 >/dev/null
PORT=$(freeport)
registry reg "$PORT"
java -jar "${jars[0]}" artifact images push -a "$W/layout" --registry "127.0.0.1:$PORT" --plain-http >/dev/null 2>&1

mkdir -p "$W/cwd"
cd "$W/cwd"
cases=("version" "--help" "create cluster --dry-run" "artifact images push -a $W/layout --registry 127.0.0.1:$PORT --plain-http")
labels=("version" "--help" "create-cluster-dry-run" "push-all-present")
quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off)

# archives (as bin/kk makes them) and class counts
modes=(nocds dyn static)
cdsopt() { # MODE JAR-INDEX CASE-INDEX: the JVM options of that mode
  case $1 in
    dyn) echo "-XX:SharedArchiveFile=$W/d$2-$3.jsa ${quiet[*]}" ;;
    static) echo "-XX:SharedArchiveFile=$W/s$2-$3.jsa ${quiet[*]}" ;;
  esac
}
for j in "${!jars[@]}"; do
  for c in "${!cases[@]}"; do
    # shellcheck disable=SC2086
    java -XX:ArchiveClassesAtExit="$W/d$j-$c.jsa" "${quiet[@]}" -jar "${jars[$j]}" ${cases[$c]} >/dev/null 2>&1
    # shellcheck disable=SC2086
    java -XX:DumpLoadedClassList="$W/s$j-$c.classes" -jar "${jars[$j]}" ${cases[$c]} >/dev/null 2>&1
    java -Xshare:dump -XX:SharedClassListFile="$W/s$j-$c.classes" -XX:SharedArchiveFile="$W/s$j-$c.jsa" \
      "${quiet[@]}" -cp "${jars[$j]}" >/dev/null 2>&1
    for mode in "${modes[@]}"; do
      # shellcheck disable=SC2046,SC2086
      java $(cdsopt $mode $j $c) -Xlog:class+load=info:file="$W/cl" -jar "${jars[$j]}" ${cases[$c]} >/dev/null 2>&1
      printf '%s kk[%s] %s classes: total %d, jar %d, jdk %d, cds %d\n' "${labels[$c]}" "$j" "$mode" \
        "$(grep -c 'source:' "$W/cl")" "$(grep -c 'source: file:' "$W/cl" || true)" \
        "$(grep -c 'source: jrt:' "$W/cl" || true)" "$(grep -c 'shared objects file' "$W/cl" || true)" \
        | tee -a "$W/classes"
    done
  done
done

echo "uptime at start: $(uptime)" | tee -a "$W/results"
for ((r = 1; r <= rounds; r++)); do
  for c in "${!cases[@]}"; do
    for mode in "${modes[@]}"; do
      for j in "${!jars[@]}"; do
        # shellcheck disable=SC2046,SC2086
        if ! /usr/bin/time -f '%e %U %S' -o "$W/time" java $(cdsopt $mode $j $c) -jar "${jars[$j]}" ${cases[$c]} >"$W/last.log" 2>&1; then
          echo "FAILED: ${cases[$c]}" >&2; tail -20 "$W/last.log" >&2; exit 1
        fi
        read -r e u s <"$W/time"
        printf '%s kk[%s] %s wall %s cpu %s load %s\n' "${labels[$c]}" "$j" "$mode" "$e" \
          "$(python3 -c "print(round($u+$s,2))")" "$(cut -d' ' -f1 /proc/loadavg)" >>"$W/results"
      done
    done
  done
  echo "round $r/$rounds done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
echo "uptime at end: $(uptime)" | tee -a "$W/results"
for j in "${!jars[@]}"; do echo "kk[$j] = ${jars[$j]}"; done
python3 - "$W/results" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'(\S+ \S+ \S+) wall ([\d.]+) cpu ([\d.]+) load ([\d.]+)', line)
    if m:
        rows.setdefault(m.group(1), []).append((float(m.group(2)), float(m.group(3)), m.group(4)))
print("%-40s %7s %7s   %s" % ("case", "wall s", "cpu s", "runs wall/cpu@load"))
for k, v in rows.items():
    print("%-40s %7.2f %7.2f   %s" % (k, statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v),
                                      " ".join("%.2f/%.2f@%s" % x for x in v)))
PY
