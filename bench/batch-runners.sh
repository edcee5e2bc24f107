#!/usr/bin/env bash
# `batch` on the same generated input on DirectRunner, SparkRunner local[2] and FlinkRunner
# (embedded cluster, parallelism 2), side by side in one run: wall time and peak RSS of cold JVMs
# doing the whole job, repeated, medians; then checks that the nine result files are identical.
#   bench/batch-runners.sh [events=1000000] [repetitions=1] [extra java options, e.g. -Xmx8g]
# Needs the jars (mvn -q -DskipTests package) and GNU time (/usr/bin/time). Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-1000000}"
REPS="${2:-1}"
shift $(( $# > 2 ? 2 : $# ))
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
JAR=pipelines/target/pinterest-pipelines.jar

java -jar emulator/target/pinterest-emulator.jar generate --count="$EVENTS" --seed=7 --output="$WORK/archive" >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(java -version 2>&1 | sed -n 1p); JVM options: ${*:-(defaults)}"
echo "input: $EVENTS events ($(du -sh "$WORK/archive" | cut -f1)), seed 7; $REPS cold run(s) per runner"
declare -A RUNNER_ARGS=(
  [DirectRunner]="--runner=DirectRunner"
  [SparkRunner]="--runner=SparkRunner --sparkMaster=local[2]"
  [FlinkRunner]="--runner=FlinkRunner --parallelism=2"
)
printf '%-13s %10s %10s %10s %12s %10s\n' runner "median s" "min s" "max s" "peak RSS MB" "events/s"
for runner in FlinkRunner SparkRunner DirectRunner; do
  runs=()
  for i in $(seq 1 "$REPS"); do
    rm -rf "$WORK/out-$runner"
    # shellcheck disable=SC2086
    SPARK_LOCAL_IP=127.0.0.1 /usr/bin/time -f "%e %M" -o "$WORK/time" \
      java "$@" -jar "$JAR" batch --input="$WORK/archive" --output="$WORK/out-$runner" ${RUNNER_ARGS[$runner]} \
      >"$WORK/$runner.log" 2>&1 || { echo "$runner failed:"; tail -20 "$WORK/$runner.log"; exit 1; }
    read -r seconds kb < "$WORK/time"
    runs+=("$seconds $((kb / 1024))")
  done
  printf '%s\n' "${runs[@]}" | sort -n | awk -v r="$runner" -v n="$EVENTS" '{t[NR]=$1; m[NR]=$2} END {
    mid=int((NR+1)/2); printf "%-13s %10s %10s %10s %12s %10.0f\n", r, t[mid], t[1], t[NR], m[mid], n/t[mid]}'
done
for runner in SparkRunner FlinkRunner; do
  if diff -r "$WORK/out-DirectRunner/results" "$WORK/out-$runner/results" >/dev/null; then
    echo "results of $runner: identical to DirectRunner's (nine files)"
  else
    echo "results of $runner: DIFFERENT from DirectRunner's"; exit 1
  fi
done
