#!/usr/bin/env bash
# Image engine benchmark (issue 3): kk vs `skopeo copy --all` image by image (KubeKey's serial way),
# for export (registry -> one OCI layout) and push (layout -> empty registry), medians of ROUNDS.
#   (a) loopback: both registries on 127.0.0.1; the limit is fetching every distinct blob with
#       parallel curl to disk (target: kk >= 1.3x skopeo, kk >= 0.8 of the limit);
#   (b) far: the source reached through bench/FarProxy.java adding ~40 ms per round trip
#       (target: kk >= 3x skopeo);
#   (c) far and window-limited: as (b), and each TCP connection limited to --conn-mbit, all of them
#       together to --link-mbit (a long-RTT flow is bound by window/RTT; see bench/README.md).
# Usage: bench/images.sh [--images 12] [--base-mb 40] [--sizes-mb 20,10,5,2] [--rounds 3]
#                        [--curl-parallel 8] [--rtt-ms 40] [--conn-mbit 80] [--link-mbit 1000] [--keep]
# KK_JAVA_OPTS: extra JVM options for kk's runs (as bin/kk takes them).
# Full size (~1 GB): the defaults. Reduced: --base-mb 8 --sizes-mb 4,2,1,0.5.
# Every process it starts is recorded by PID and stopped by PID on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images=12 base_mb=40 sizes_mb=20,10,5,2 rounds=3 curl_par=8 rtt_ms=40 conn_mbit=80 link_mbit=1000 keep=0
while (($#)); do
  case "$1" in
    --images) images=$2; shift 2 ;;
    --base-mb) base_mb=$2; shift 2 ;;
    --sizes-mb) sizes_mb=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --curl-parallel) curl_par=$2; shift 2 ;;
    --rtt-ms) rtt_ms=$2; shift 2 ;;
    --conn-mbit) conn_mbit=$2; shift 2 ;;
    --link-mbit) link_mbit=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
need_tools images.sh docker-registry skopeo curl python3 java javac mvn uptime
bench_workdir kk-bench

echo "building kk..." >&2
"$root/bin/kk" version >/dev/null # builds the jar when the sources are newer
jar="$root/kk-cli/target/kk.jar"
mkdir -p "$W/helper"
javac -cp "$jar" -d "$W/helper" "$root/bench/ExportImages.java" "$root/bench/FarProxy.java"
(cd "$W/helper" && jar cf ../helper.jar ExportImages*.class)
# kk runs as bin/kk runs it: bin/jvm-options and an AppCDS archive recorded by a first, untimed run
# (bin/kk records one per verb; the export helper gets its own below)
read_jvm_options "$root/bin/jvm-options"
kk() { "$root/bin/kk" "$@"; }
# shellcheck disable=SC2086
kk_export() {
  java -XX:SharedArchiveFile="$W/export.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off "${jvm[@]}" ${KK_JAVA_OPTS:-} \
    -cp "$jar:$W/helper.jar" ExportImages "$@"
}

echo "load at start: $(uptime)" >&2
echo "generating images..." >&2
python3 "$root/bench/mkimages.py" --out "$W/layout" --images "$images" --base-mb "$base_mb" --sizes-mb "$sizes_mb" >&2
SRC=$(freeport); registry src "$SRC"
DST=$(freeport); registry dst "$DST"
one_way=$(python3 -c "print($rtt_ms/2)")
FAR=$(freeport)
java -cp "$W/helper" FarProxy "$FAR" "127.0.0.1:$SRC" "$one_way" &
pids+=($!); waitport "$FAR"
FARBW=$(freeport)
java -cp "$W/helper" FarProxy "$FARBW" "127.0.0.1:$SRC" "$one_way" "$conn_mbit" "$link_mbit" &
pids+=($!); waitport "$FARBW"
echo "seeding the source registry with kk..." >&2
kk artifact images push -a "$W/layout" --registry "127.0.0.1:$SRC" --plain-http >/dev/null 2>&1
names=(); for ((i = 0; i < images; i++)); do names+=("bench/img$i:v1"); done
echo "recording the export helper's class archive (untimed run)..." >&2
# shellcheck disable=SC2086
java -XX:ArchiveClassesAtExit="$W/export.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off "${jvm[@]}" ${KK_JAVA_OPTS:-} \
  -cp "$jar:$W/helper.jar" ExportImages "$W/warm" "127.0.0.1:$SRC" "127.0.0.1:$SRC/${names[0]}" >/dev/null 2>&1
rm -rf "$W/warm"

declare -A times
elapsed() { # elapsed KEY cmd...: run, record seconds
  local key=$1; shift
  sync; sleep 0.5
  local s e
  s=$(date +%s.%N)
  if ! "$@" >"$W/last.log" 2>&1; then echo "FAILED ($key): $*" >&2; tail -20 "$W/last.log" >&2; exit 1; fi
  e=$(date +%s.%N)
  times[$key]+="$(python3 -c "print(round($e-$s,3))") "
  echo "  $key $(python3 -c "print(round($e-$s,2))") s, load $(cut -d' ' -f1 /proc/loadavg)" >&2
}
skopeo_export() { # HOST OUT
  for n in "${names[@]}"; do skopeo copy -q --all --src-tls-verify=false "docker://$1/$n" "oci:$2:$1/$n"; done
}
skopeo_push() {
  for n in "${names[@]}"; do
    skopeo copy -q --all --preserve-digests --dest-tls-verify=false "oci:$W/layout:$n" "docker://127.0.0.1:$DST/$n"
  done
}
curl_limit() {
  mkdir -p "$W/curl"
  awk -v h="127.0.0.1:$SRC" -v o="$W/curl" '{print "http://" h "/v2/" $1 "/blobs/" $2 " -o " o "/" substr($2, 8)}' "$W/layout/blobs.txt" |
    xargs -P "$curl_par" -n 3 curl -sf
}
fullrefs() { local h=$1; for n in "${names[@]}"; do echo "$h/$n"; done; }

for ((r = 1; r <= rounds; r++)); do
  echo "round $r/$rounds" >&2
  rm -rf "$W/out"; elapsed a_export_skopeo skopeo_export "127.0.0.1:$SRC" "$W/out"
  rm -rf "$W/out"; elapsed a_export_kk kk_export "$W/out" "127.0.0.1:$SRC" $(fullrefs "127.0.0.1:$SRC")
  rm -rf "$W/curl"; elapsed a_limit_curl curl_limit
  registry dst "$DST"; elapsed a_push_skopeo skopeo_push
  registry dst "$DST"; elapsed a_push_kk kk artifact images push -a "$W/layout" --registry "127.0.0.1:$DST" --plain-http
  rm -rf "$W/out"; elapsed b_export_skopeo skopeo_export "127.0.0.1:$FAR" "$W/out"
  rm -rf "$W/out"; elapsed b_export_kk kk_export "$W/out" "127.0.0.1:$FAR" $(fullrefs "127.0.0.1:$FAR")
  rm -rf "$W/out"; elapsed c_export_skopeo skopeo_export "127.0.0.1:$FARBW" "$W/out"
  rm -rf "$W/out"; elapsed c_export_kk kk_export "$W/out" "127.0.0.1:$FARBW" $(fullrefs "127.0.0.1:$FARBW")
done
rm -rf "$W/out" "$W/curl"

echo "load at end: $(uptime)" >&2
python3 - "$(declare -p times)" <<'PY'
import re, statistics, sys
t = {k: [float(x) for x in v.split()] for k, v in re.findall(r'\[(\w+)\]="([^"]*)"', sys.argv[1])}
m = {k: statistics.median(v) for k, v in t.items()}
print("%-18s %8s   %s" % ("step", "median s", "runs"))
for k in sorted(m):
    print("%-18s %8.2f   %s" % (k, m[k], " ".join("%.2f" % x for x in t[k])))
def ratio(name, a, b, target):
    r = m[a] / m[b]
    print("%-44s %5.2f  (target >= %s) %s" % (name, r, target, "ok" if r >= target else "MISSED"))
print()
ratio("(a) export: skopeo / kk", "a_export_skopeo", "a_export_kk", 1.3)
ratio("(a) push:   skopeo / kk", "a_push_skopeo", "a_push_kk", 1.3)
ratio("(a) export: kk speed vs parallel-curl limit", "a_limit_curl", "a_export_kk", 0.8)
ratio("(b) export, far source: skopeo / kk", "b_export_skopeo", "b_export_kk", 3.0)
ratio("(c) export, far + window-limited: skopeo / kk", "c_export_skopeo", "c_export_kk", 3.0)
PY
