#!/usr/bin/env bash
# Wall time and peak RSS of `batch` on DirectRunner for N generated events, repeated, with the median.
# Each timed run is a cold JVM doing the whole job (nine CSVs, Parquet tables, dead letters, summary).
#   bench/batch-wall-time.sh [events=100000] [repetitions=3] [extra batch options...]
# Needs the jars (mvn -q -DskipTests package) and GNU time (/usr/bin/time). Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-100000}"
REPS="${2:-3}"
shift $(( $# > 2 ? 2 : $# ))
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

java -jar emulator/target/pinterest-emulator.jar generate --count="$EVENTS" --seed=7 --output="$WORK/archive" >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(java -version 2>&1 | head -1)"
echo "input: $EVENTS events ($(du -sh "$WORK/archive" | cut -f1)), seed 7; $REPS cold runs"
times=()
for i in $(seq 1 "$REPS"); do
  rm -rf "$WORK/out"
  /usr/bin/time -f "%e %M" -o "$WORK/time" \
    java -jar pipelines/target/pinterest-pipelines.jar batch --input="$WORK/archive" --output="$WORK/out" "$@" >/dev/null
  read -r seconds kb < "$WORK/time"
  echo "run $i: ${seconds} s wall, $((kb / 1024)) MB peak RSS"
  times+=("$seconds $((kb / 1024))")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{t[NR]=$1; m[NR]=$2} END {
  mid=int((NR+1)/2); printf "median: %s s wall (min %s, max %s), %s MB peak RSS (run with the median time), %.0f events/s\n",
  t[mid], t[1], t[NR], m[mid], '"$EVENTS"'/t[mid]}'
