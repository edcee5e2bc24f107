#!/usr/bin/env bash
# Before/after for one change: `batch` from two builds of the pipelines jar on the same generated
# input, alternating cold JVMs (before, after, before, ...) so that the machine's drift hits both,
# and the nine result files compared byte for byte after every round.
#
#   bench/compare-jars.sh BEFORE_JAR AFTER_JAR [events=1000000] [rounds=3] [runner=FlinkRunner]
#
# Build BEFORE_JAR from the commit before the change, e.g.
#   git worktree add /tmp/before <commit> && (cd /tmp/before && mvn -q -B -DskipTests package -pl pipelines -am)
# and copy AFTER_JAR (pipelines/target/pinterest-pipelines.jar) aside before rebuilding. Prints one line
# per run (wall s and peak RSS by GNU time; largest heap after a collection and total GC pause time
# from -Xlog:gc; CPU seconds, user + system, for a loaded machine) and the medians. FlinkRunner runs
# with parallelism 2, SparkRunner on local[2]. The archive is filed under one dt= day and every run
# reads it with --date (batch's Iceberg tables, its default, need the day). BEFORE_ARGS and
# AFTER_ARGS add job options to one side, so one jar can be compared with itself, e.g.
#   BEFORE_ARGS=--tableFormat=parquet AFTER_ARGS=--tableFormat=iceberg bench/compare-jars.sh J J
# Not a test; run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/outputs.sh
BEFORE=${1:?before jar}; AFTER=${2:?after jar}; N=${3:-1000000}; ROUNDS=${4:-3}; RUNNER=${5:-FlinkRunner}
EMU=emulator/target/pinterest-emulator.jar
[[ -f $EMU && -f $BEFORE && -f $AFTER ]] || { echo "need $EMU, $BEFORE and $AFTER" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }
case "$RUNNER" in
  FlinkRunner) EXTRA=(--parallelism=2) ;;
  SparkRunner) EXTRA=(--sparkMaster="local[2]") ;;
  DirectRunner) EXTRA=() ;;
  *) echo "runner must be FlinkRunner, SparkRunner or DirectRunner" >&2; exit 2 ;;
esac
SPARK_OPENS=$(sed -n 's:.*<spark.java17.argLine>\(.*\)</spark.java17.argLine>.*:\1:p' pom.xml)
export SPARK_LOCAL_IP=127.0.0.1
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
java -jar "$EMU" generate --count="$N" --seed=7 --output="$W/archive" 2>&1 >/dev/null | tail -1
DAY=2026-11-23
for topic in "$W"/archive/topics/*; do mkdir -p "$topic/dt=$DAY" && mv "$topic"/partition=* "$topic/dt=$DAY/"; done
declare -A JAR=([before]=$BEFORE [after]=$AFTER)
declare -A ARGS=([before]="${BEFORE_ARGS:-}" [after]="${AFTER_ARGS:-}")
for round in $(seq "$ROUNDS"); do
  for v in before after; do
    rm -rf "$W/out-$v" "$W/gc.log"
    jvm=(); [[ $RUNNER == SparkRunner ]] && read -r -a jvm <<<"$SPARK_OPENS"
    read -r -a side <<<"${ARGS[$v]}"
    /usr/bin/time -f "%e %M %U %S" -o "$W/time" java "${jvm[@]}" -Xlog:gc:file="$W/gc.log" -jar "${JAR[$v]}" batch \
      --input="$W/archive" --output="$W/out-$v" --date="$DAY" --runner="$RUNNER" "${EXTRA[@]}" "${side[@]}" >"$W/log-$v" 2>&1 \
      || { echo "$v failed:" >&2; tail -20 "$W/log-$v" >&2; exit 1; }
    read -r s kb user sys <"$W/time"
    cpu=$(echo "$user + $sys" | bc)
    heap=$(grep -o '[0-9]*M->[0-9]*M' "$W/gc.log" | sed 's/.*->//; s/M//' | sort -g | tail -1)
    pauses=$(grep 'Pause' "$W/gc.log" | grep -o '[0-9.]*ms$' | awk '{s += $1} END {printf "%.1f", s / 1000}')
    echo "round $round $v: $s s, CPU $cpu s, peak RSS $((kb / 1024)) MB, heap after GC ${heap:-0} MB, GC pauses $pauses s, load $(cut -d' ' -f1 /proc/loadavg)"
    echo "$v $s" >>"$W/times"
    echo "$v $cpu" >>"$W/cpu"
  done
  diff -r "$(results_of "$W/out-before")" "$(results_of "$W/out-after")" >/dev/null \
    || { echo "round $round: the nine result files DIFFER" >&2; exit 1; }
  echo "round $round: results identical"
done
for v in before after; do
  awk -v v="$v" '$1 == v {print $2}' "$W/times" | sort -g \
    | awk -v v="$v" -v n="$N" -v r="$RUNNER" '{t[NR] = $1} END {printf "%s: median %.1f s (%.1f-%.1f), %d events, %s\n", v, t[int((NR + 1) / 2)], t[1], t[NR], n, r}'
  awk -v v="$v" '$1 == v {print $2}' "$W/cpu" | sort -g \
    | awk -v v="$v" '{t[NR] = $1} END {printf "%s: median CPU %.1f s (%.1f-%.1f)\n", v, t[int((NR + 1) / 2)], t[1], t[NR]}'
done
