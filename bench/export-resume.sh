#!/usr/bin/env bash
# Export resume benchmark (issue 4): `kk artifact export` of a few hundred MB (multi-arch images
# in a real docker-registry, a binary from a plain file mirror, a local ISO), timed in full; then
# the same export killed with SIGKILL at ~50% of the artifact and run again: prints resume/full
# (target <= 0.55). Also prints the fixed costs in both runs (JVM start, planning), when the full
# export passed 50% of its output (the floor for a resume), its peak disk beside the output (target
# <= 1.1x the artifact) and its max RSS; every export runs with -Xmx128m, so a whole-file buffer
# would fail it. kk runs through bin/kk (as a user runs it: with its AppCDS archive); one untimed
# export first records the archive (and warms the page cache), so every timed run is a steady-state
# run; --no-cds runs without the archive (KK_CDS=0).
# Usage: bench/export-resume.sh [--images 6] [--base-mb 20] [--sizes-mb 20,10] [--iso-mb 40]
#                               [--no-cds] [--keep]
# Every process it starts is recorded by PID and stopped by PID on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images=6 base_mb=20 sizes_mb=20,10 iso_mb=40 keep=0 cds=1
while (($#)); do
  case "$1" in
    --images) images=$2; shift 2 ;;
    --base-mb) base_mb=$2; shift 2 ;;
    --sizes-mb) sizes_mb=$2; shift 2 ;;
    --iso-mb) iso_mb=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-cds) cds=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
need_tools export-resume.sh docker-registry python3 java mvn sha256sum
bench_workdir kk-bench-export
SRC=$(freeport)
registry src "$SRC"

echo "building kk..." >&2
(cd "$root" && mvn -q -B -o -DskipTests package >/dev/null)
jar="$root/kk-cli/target/kk.jar"
export KK_CDS=$cds
kk() { "$root/bin/kk" "$@"; }

echo "generating images and files..." >&2
python3 "$root/bench/mkimages.py" --out "$W/layout" --images "$images" --base-mb "$base_mb" --sizes-mb "$sizes_mb" >&2
kk artifact images push -a "$W/layout" --registry "127.0.0.1:$SRC" --plain-http >/dev/null 2>&1
# a plain file mirror standing in for github.com (HEAD gives the size)
MIR=$(freeport)
rel="$W/mirror/github.com/kubesphere/kubekey/releases/download/v2.0.0-alpha.1"
mkdir -p "$rel"
for a in amd64 arm64; do head -c $((15 << 20)) /dev/urandom >"$rel/registry-2.8.2-linux-$a.tar.gz"; done
(cd "$W/mirror" && exec python3 -m http.server "$MIR" --bind 127.0.0.1 >/dev/null 2>&1) &
pids+=($!); waitport "$MIR"
head -c $((iso_mb << 20)) /dev/urandom >"$W/repo.iso"
{
  echo "apiVersion: kubekey.kubesphere.io/v1alpha2"
  echo "kind: Manifest"
  echo "metadata: {name: bench}"
  echo "spec:"
  echo "  arches: [amd64, arm64]"
  echo "  operatingSystems:"
  echo "  - {arch: amd64, type: linux, id: debian, version: \"12\", osImage: Debian 12, repository: {iso: {localPath: $W/repo.iso, url: \"\"}}}"
  echo "  kubernetesDistributions: []"
  echo "  components:"
  echo "    docker-registry: {version: \"2.8.2\"}"
  echo "  images:"
  for ((i = 0; i < images; i++)); do echo "  - 127.0.0.1:$SRC/bench/img$i:v1"; done
  echo "  registry: {auths: {\"127.0.0.1:$SRC\": {plainHTTP: true}}}"
  echo "  checksums:"
  for a in amd64 arm64; do echo "    registry-2.8.2-linux-$a.tar.gz: \"sha256:$(sha256sum "$rel/registry-2.8.2-linux-$a.tar.gz" | cut -d' ' -f1)\""; done
} >"$W/manifest.yaml"

export SOURCE_DATE_EPOCH=1700000000
export_cmd=(env KK_JAVA_OPTS=-Xmx128m "$root/bin/kk" artifact export -m "$W/manifest.yaml" --download-mirror "http://127.0.0.1:$MIR")
now() { date +%s.%N; }

# Disk kk uses beside the output: the output, its staging dir, journal and prefetch dir.
used() { du -sb "$W/$1" "$W/$1".kk* 2>/dev/null | awk '{t+=$1} END {print t+0}'; }

echo "warm-up export (untimed: records bin/kk's class archive)..." >&2
"${export_cmd[@]}" -o "$W/warm.tar.zst" >"$W/warm.log" 2>&1 || { tail -20 "$W/warm.log" >&2; exit 1; }
rm -rf "$W"/warm.tar.zst*
kk version >/dev/null

echo "full export (sampling its disk use and the time it reaches each size)..." >&2
sync; s=$(now)
/usr/bin/time -f "%M" -o "$W/full.rss" "${export_cmd[@]}" -o "$W/full.tar.zst" >"$W/full.log" 2>&1 &
victim=$!; pids+=($victim)
: >"$W/full.samples"
while kill -0 "$victim" 2>/dev/null; do
  # the artifact grows in <out>.kkpart and is renamed to <out> when complete
  cur=$(stat -c %s "$W/full.tar.zst.kkpart" 2>/dev/null || stat -c %s "$W/full.tar.zst" 2>/dev/null || echo 0)
  echo "$(now) $cur $(used full.tar.zst)" >>"$W/full.samples"
  sleep 0.05
done
wait "$victim" || { tail -20 "$W/full.log" >&2; exit 1; }
e=$(now); full=$(python3 -c "print(round($e-$s,3))")
size=$(stat -c %s "$W/full.tar.zst")
# when the full export's output first reached half its final size (the ideal resume starts there)
t50=$(awk -v h=$((size / 2)) -v s="$s" '$2 >= h {print $1 - s; exit}' "$W/full.samples")
peak=$(awk '$3 > m {m = $3} END {print m + 0}' "$W/full.samples")

echo "export killed at ~50%..." >&2
"${export_cmd[@]}" -o "$W/resumed.tar.zst" >"$W/killed.log" 2>&1 &
victim=$!; pids+=($victim)
half=$((size / 2))
while kill -0 "$victim" 2>/dev/null; do
  cur=$(stat -c %s "$W/resumed.tar.zst.kkpart" 2>/dev/null || echo 0)
  if ((cur >= half)); then kill -9 "$victim"; break; fi
  sleep 0.01
done
wait "$victim" 2>/dev/null && { echo "the export finished before it could be killed" >&2; exit 1; }
at=$(stat -c %s "$W/resumed.tar.zst.kkpart")

echo "resume..." >&2
sync; s=$(now)
"${export_cmd[@]}" -o "$W/resumed.tar.zst" >"$W/resume.log" 2>&1 || { tail -20 "$W/resume.log" >&2; exit 1; }
e=$(now); resume=$(python3 -c "print(round($e-$s,3))")
cmp -s "$W/full.tar.zst" "$W/resumed.tar.zst" || { echo "the resumed artifact differs from the full one" >&2; exit 1; }

echo "fixed costs: JVM start, planning..." >&2
s=$(now); kk version >/dev/null; e=$(now); jvm=$(python3 -c "print(round($e-$s,3))")
s=$(now); "${export_cmd[@]}" -o "$W/dry.tar.zst" --dry-run >/dev/null 2>&1; e=$(now); plan=$(python3 -c "print(round($e-$s,3))")

python3 - "$full" "$resume" "$size" "$at" "$jvm" "$plan" "$(cut -d' ' -f1-3 /proc/loadavg)" "$t50" "$peak" \
  "$(cat "$W/full.rss")" "$cds" <<'PY'
import sys
full, resume, size, at, jvm, plan = (float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]),
                                     float(sys.argv[5]), float(sys.argv[6]))
t50, peak, rss = float(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10])
print(f"artifact {size/2**20:.1f} MiB; full export {full:.2f} s; killed at {at/size*100:.0f}% ({at/2**20:.1f} MiB);"
      f" resume {resume:.2f} s; resume/full = {resume/full:.2f} (target <= 0.55); byte-identical")
print(f"fixed costs in both runs: kk version (JVM start) {jvm:.2f} s, export --dry-run (JVM + planning) {plan:.2f} s;"
      f" without them: resume/full = {(resume-plan)/(full-plan):.2f}; load average {sys.argv[7]}")
print(f"the full export passed 50% of its output at {t50:.2f} s: its second half alone took {full-t50:.2f} s"
      f" = {(full-t50)/full:.2f} of it (the floor for a resume from 50%, before the JVM start and planning)")
print(f"full export: peak disk (output + staging + journal + prefetch) {peak/2**20:.1f} MiB"
      f" = {peak/size:.3f} x the final artifact (target <= 1.1); max RSS {rss/1024:.0f} MiB (-Xmx128m);"
      f" AppCDS {'on' if sys.argv[11] == '1' else 'off'}")
PY
