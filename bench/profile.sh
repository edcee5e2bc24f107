#!/usr/bin/env bash
# Profiles `batch` with Java Flight Recorder and prints where the CPU samples go, by stage, and the
# GC pause total: the figures behind BENCHMARKS.md's "Where the time goes".
#   bench/profile.sh [events=1000000] [batch runner options, default --runner=FlinkRunner --parallelism=2]
# Needs the jars (mvn -q -B -DskipTests package), GNU time and python3. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-1000000}"
shift $(( $# > 0 ? 1 : 0 ))
RUNNER=("$@")
[[ ${#RUNNER[@]} -gt 0 ]] || RUNNER=(--runner=FlinkRunner --parallelism=2)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
java -jar emulator/target/pinterest-emulator.jar generate --count="$EVENTS" --seed=7 --output="$WORK/archive" 2>/dev/null
SPARK_LOCAL_IP=127.0.0.1 /usr/bin/time -f "%e s wall, %U s user, %S s system CPU, %M KB peak RSS" -o "$WORK/time" \
  java -XX:StartFlightRecording=filename="$WORK/batch.jfr",settings=profile -jar pipelines/target/pinterest-pipelines.jar \
  batch --input="$WORK/archive" --output="$WORK/out" --tableFormat=parquet "${RUNNER[@]}" >"$WORK/batch.log" 2>&1
echo "batch on $EVENTS events, ${RUNNER[*]}: $(cat "$WORK/time")"
jfr print --events jdk.GarbageCollection "$WORK/batch.jfr" | sed -n 's/.*sumOfPauses = \([0-9.]*\) \(m\{0,1\}s\).*/\1 \2/p' \
  | awk '{t += ($2 == "s" ? $1 * 1000 : $1)} END {printf "GC pauses: %.1f s in total\n", t / 1000}'
jfr print --events jdk.ExecutionSample --stack-depth 96 "$WORK/batch.jfr" | python3 bench/jfr_breakdown.py
