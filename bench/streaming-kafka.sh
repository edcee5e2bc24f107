#!/usr/bin/env bash
# The streaming job, Kafka in: catch-up throughput and live send-to-table latency.
#   [STREAMING_RUNNER=direct|flink] bench/streaming-kafka.sh [backlog_events=20000] [live_rate=10] [live_seconds=60] [repetitions=3] [warmup_seconds=60]
# STREAMING_RUNNER: DirectRunner (default) or FlinkRunner (embedded cluster, parallelism 2).
# STREAMING_OPTS: more options for the streaming job, e.g. "--fasterCopy=true" (split on spaces).
# UNBOUNDED_CATCHUP=1: also time the backlog's catch-up by an unbounded job (the read path a running job uses).
# PIPELINES_JAR: another build of the pipelines jar (before/after of one change; default: this checkout's).
# Method: one local KRaft broker (Kafka 3.9.1, own JVM) on a fresh data dir, fresh topics per run.
# - catch-up: `post` writes N events (3N records) first; then a cold `streaming` JVM reads them
#   with --maxRecordsPerStream=N (bounded: it ends when all are read and every window has fired),
#   10 s windows; wall time of the whole job (JVM start to exit) gives events/s. Repeated; median.
#   Beside it, Kafka's ConsumerPerformance reads the same backlog (a cold JVM per topic).
# - live: `streaming` runs unbounded (10 s windows; the job's default triggers, assembly wait and
#   watermark allowance, as the issue's target says; until 2026-12-07 this used a 5 s assembly wait);
#   with Iceberg tables (the job's default; --tableFormat=parquet in STREAMING_OPTS for plain files)
#   a pin is in the table when the snapshot adding it is committed (every --commitSeconds). `post` first sends at a fixed
#   rate for warmup_seconds (start-up, task deployment and JIT; not measured) until all of it is in
#   the table, then sends at that rate for live_seconds, repetitions times, each once every pin is
#   in the table (or the table stops growing): SendToTableLatency gives p50/p99 of (table file
#   written) - (record sent, Kafka timestamp) over that run's pins, and the job's delay after each
#   window's end, window by window (growing: the job did not keep up). Median of the runs.
# live_seconds=0 measures catch-up only. Not a test; run it on an otherwise idle machine. Both jars: mvn -q -DskipTests package.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKLOG="${1:-20000}"
RATE="${2:-10}"
SECONDS_LIVE="${3:-60}"
REPS="${4:-3}"
WARMUP="${5:-60}"
case "${STREAMING_RUNNER:-direct}" in
  direct) RUNNER=(--runner=DirectRunner); RUNNER_NAME=DirectRunner ;;
  flink) RUNNER=(--runner=FlinkRunner --parallelism=2); RUNNER_NAME="FlinkRunner (parallelism 2)" ;;
  *) echo "STREAMING_RUNNER must be direct or flink" >&2; exit 2 ;;
esac
read -r -a EXTRA <<<"${STREAMING_OPTS:-}"
RUNNER+=("${EXTRA[@]}")
# Every run reads its topics from the start: fresh Iceberg tables (a run's own output) start there
# by default too. A jar built before streaming defaulted to Iceberg (PIPELINES_JAR) refuses
# --startFrom with an explicit --tableFormat=iceberg, so it is left out then.
START_FROM=(--startFrom=earliest)
[[ " ${EXTRA[*]} " != *" --tableFormat=iceberg "* ]] || START_FROM=()
[[ -z ${STREAMING_OPTS:-} ]] || RUNNER_NAME+=" with ${STREAMING_OPTS}"
EMU=emulator/target/pinterest-emulator.jar
PIPE=${PIPELINES_JAR:-pipelines/target/pinterest-pipelines.jar}
LIB=local-services/target/kafka/lib
[[ -f $EMU && -f $PIPE && -d pipelines/target/test-classes ]] || mvn -q -B -DskipTests package
WORK="$(mktemp -d)"
# Two ports free at once, the broker's and its controller's (PORT + 1 may be another process's).
read -r PORT CONTROLLER_PORT < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
trap 'pkill -f "$WORK/live" || true; java -jar "$EMU" kafka stop --dataDir "$WORK/kafka" >/dev/null; rm -rf "$WORK"' EXIT
java -jar "$EMU" kafka start --dataDir "$WORK/kafka" --port "$PORT" --controllerPort "$CONTROLLER_PORT" --kafkaLib "$LIB" >/dev/null
BOOT="127.0.0.1:$PORT"
topics() { for k in pin geo user; do java -cp "$LIB/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --topic "$1.$k" --partitions 1 --replication-factor 1 >/dev/null 2>&1; done; }

# The tables a run writes: its --tableFormat, else the job's default, Iceberg (a jar built before
# 2026-12-07, PIPELINES_JAR, writes Parquet files by default).
TABLES="the job's default (iceberg; parquet for a jar built before 2026-12-07)"
for o in "${EXTRA[@]}"; do [[ $o != --tableFormat=* ]] || TABLES=${o#--tableFormat=}; done
echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p); runner: $RUNNER_NAME; tables: $TABLES; broker: Kafka 3.9.1 KRaft on 127.0.0.1"
echo "== catch-up: $BACKLOG events already in Kafka, bounded streaming run, 10 s windows"
times=()
for rep in $(seq "$REPS"); do
  topics "cu$rep"
  java -jar "$EMU" post --bootstrapServers="$BOOT" --topicPrefix="cu$rep" --count="$BACKLOG" --seed="$rep" 2>/dev/null
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$WORK/cu$rep.cpu" \
  java -jar "$PIPE" streaming "${RUNNER[@]}" --source=kafka --bootstrapServers="$BOOT" --topicPrefix="cu$rep" "${START_FROM[@]}" \
    --output="$WORK/cu$rep" --windowSeconds=10 --maxRecordsPerStream="$BACKLOG" >/dev/null 2>"$WORK/cu$rep.log"
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  times+=("$secs")
  # The run counts only if every record read is in a window's summary and accounted for there:
  # cleaned, dead-lettered or a duplicate (a record dropped as late would be in no summary).
  check=$(python3 - "$WORK/cu$rep/summary" "$((BACKLOG * 3))" <<'PY'
import glob, json, os, sys
kinds = [k for f in glob.glob(os.path.join(sys.argv[1], "summary-*.json")) for k in json.load(open(f))["kinds"].values()]
read = sum(k["read"] for k in kinds)
out = sum(k["cleaned"] + k["dead_lettered"] + k["duplicates"] for k in kinds)
print("results checked: %d records read = cleaned + dead-lettered + duplicates" % read if read == out == int(sys.argv[2])
      else "RESULTS WRONG: %d read, %d accounted, %s expected" % (read, out, sys.argv[2]))
PY
)
  printf "  run %d: %.1f s, %.0f events/s, %.1f s CPU (user + system); %s\n" "$rep" "$secs" "$(echo "$BACKLOG / $secs" | bc -l)" \
    "$(awk '{print $1 + $2}' "$WORK/cu$rep.cpu")" "$check"
done
median=$(printf "%s\n" "${times[@]}" | sort -n | sed -n "$(( (REPS + 1) / 2 ))p")
printf "  median %.1f s = %.0f events/s (JVM start to exit, %d events, %d records)\n" "$median" "$(echo "$BACKLOG / $median" | bc -l)" "$BACKLOG" "$((BACKLOG * 3))"

# Kafka's own consumer on the same backlog (the first run's topics), the ceiling a reader could reach
# here: ConsumerPerformance reads each topic whole in its own cold JVM, one after another; the sum
# of the three wall times (JVM start to exit) gives events/s in the same unit as the job's.
cp_ms=0
for k in pin geo user; do
  t0=$(date +%s%3N)
  java -cp "$LIB/*" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOT" --topic "cu1.$k" \
    --messages "$BACKLOG" --timeout 60000 --hide-header >/dev/null 2>&1
  cp_ms=$(( cp_ms + $(date +%s%3N) - t0 ))
done
printf "  Kafka's ConsumerPerformance on the same %d events: %.1f s for the three topics = %.0f events/s (cold JVM per topic)\n" \
  "$BACKLOG" "$(echo "$cp_ms / 1000" | bc -l)" "$(echo "$BACKLOG * 1000 / $cp_ms" | bc -l)"

# The same backlog read by an unbounded job, the way a live job catches up after a pause: with
# --maxRecordsPerStream KafkaIO reads through Beam's bounded wrapper of its source (a reshuffle and a
# reading DoFn), not the unbounded source a running job uses. Timed from JVM start to the last
# window's summary file once the windows' summaries count every record read (3N); then stopped.
if [[ ${UNBOUNDED_CATCHUP:-0} == 1 ]]; then
  echo "== catch-up, unbounded job: $BACKLOG events already in Kafka, 10 s windows, until every record is in a written window"
  utimes=()
  for rep in $(seq "$REPS"); do
    topics "ub$rep"
    java -jar "$EMU" post --bootstrapServers="$BOOT" --topicPrefix="ub$rep" --count="$BACKLOG" --seed="$rep" 2>/dev/null
    start=$(date +%s.%N)
    java -jar "$PIPE" streaming "${RUNNER[@]}" --source=kafka --bootstrapServers="$BOOT" --topicPrefix="ub$rep" "${START_FROM[@]}" \
      --groupId="ub$rep" --output="$WORK/ub$rep" --windowSeconds=10 >"$WORK/ub$rep.log" 2>&1 &
    ujob=$!
    last=""; seen=""; still=0
    for _ in $(seq 1800); do
      sleep 1
      last=$(python3 - "$WORK/ub$rep/summary" "$((BACKLOG * 3))" <<'PY'
import glob, json, os, sys
files = glob.glob(os.path.join(sys.argv[1], "summary-*.json"))
read = sum(k["read"] for f in files for k in json.load(open(f))["kinds"].values())
print("%.3f" % max(os.path.getmtime(f) for f in files) if files and read >= int(sys.argv[2]) else "partial %d" % read)
PY
)
      [[ $last == partial* ]] || break
      # Stop waiting once nothing new has been written for two minutes (records dropped as late).
      if [[ $last == "${seen:-}" ]]; then still=$((still + 1)); else still=0; seen=$last; fi
      [[ $still -lt 120 ]] || break
      kill -0 "$ujob" 2>/dev/null || break
    done
    kill "$ujob" 2>/dev/null || true; wait "$ujob" 2>/dev/null || true
    [[ -n $last && $last != partial* ]] || { echo "  run $rep: not every record reached a written window ($last of $((BACKLOG * 3)) read)"; tail -5 "$WORK/ub$rep.log"; continue; }
    secs=$(echo "$last - $start" | bc)
    utimes+=("$secs")
    printf "  run %d: %.1f s, %.0f events/s\n" "$rep" "$secs" "$(echo "$BACKLOG / $secs" | bc -l)"
  done
  if [[ ${#utimes[@]} -gt 0 ]]; then
    umedian=$(printf "%s\n" "${utimes[@]}" | sort -n | sed -n "$(( (${#utimes[@]} + 1) / 2 ))p")
    printf "  median %.1f s = %.0f events/s (JVM start to the last window's summary, %d events)\n" "$umedian" "$(echo "$BACKLOG / $umedian" | bc -l)" "$BACKLOG"
  fi
fi

[[ $SECONDS_LIVE -gt 0 ]] || exit 0   # catch-up only
echo "== live: $RATE events/s for $SECONDS_LIVE s into a running job, $REPS times, after a ${WARMUP} s warm-up at that rate; 10 s windows"
topics live
mkdir -p "$WORK/live"
java -jar "$PIPE" streaming "${RUNNER[@]}" --source=kafka --bootstrapServers="$BOOT" --topicPrefix=live --groupId=bench-live \
  --output="$WORK/live/out" --windowSeconds=10 >"$WORK/live/job.log" 2>&1 &
JOB=$!
sleep 15
latency() { java -cp "$PIPE:pipelines/target/test-classes" io.pinpipe.pipelines.bench.SendToTableLatency "$BOOT" live.pin "$WORK/live/out" "$1" 2>/dev/null; }
# send EVENTS_FROM_INDEX SECONDS: post at the rate; prints post's last line.
send() { java -jar "$EMU" post --bootstrapServers="$BOOT" --topicPrefix=live --rate="$RATE" --duration="${2}s" --seed=9 --firstIndex="$1" 2>&1 | tail -1; }
# await SENT_FROM_MS POST_LINE: until every pin that line sent is in the table (pacing may send a
# few less than rate x seconds), or the table has stopped growing for a minute, or 10 minutes pass.
await() {
  local want last=-1 still=0 rows
  want=$(sed -E 's/^post: sent ([0-9,]+) events.*/\1/' <<<"$2" | tr -d ,)
  for _ in $(seq 120); do
    rows=$(latency "$1" | grep -o '^rows [0-9]*' | grep -o '[0-9]*' || echo 0)
    [[ "${rows:-0}" -ge "$want" ]] && return 0
    if [[ "${rows:-0}" -eq "$last" ]]; then still=$((still + 1)); else still=0; last=${rows:-0}; fi
    [[ $still -ge 12 ]] && { echo "  the pin table stopped growing at $last of $want rows"; return 0; }
    sleep 5
  done
}
# Warm-up: the job starts, deploys its tasks and compiles its hot code while the stream runs, and
# falls behind meanwhile; measuring from a cold start would measure that (tens of seconds), not the
# job. Row numbers of the warm-up and of each run are disjoint, so no run's pins count as another's.
from=$(date +%s%3N)
line=$(send 1 "$WARMUP")   # runs start at 100000001, 200000001, ...: disjoint while a run sends under 10^8 events
sent=$(date +%s)
await "$from" "$line"
echo "  warm-up: $(sed -E 's/^post: sent ([0-9,]+) events.*/\1/' <<<"$line") events in ${WARMUP} s, all in the table $(( $(date +%s) - sent )) s after sending ended"
p50s=(); p99s=()
# The job's CPU time (user + system, /proc/<pid>/stat), in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$JOB/stat"; }
TICK=$(getconf CLK_TCK)
for rep in $(seq "$REPS"); do
  from=$(date +%s%3N)
  c0=$(cpu_ticks)
  line=$(send "$((rep * 100000000 + 1))" "$SECONDS_LIVE")
  await "$from" "$line"
  c1=$(cpu_ticks); took=$(( $(date +%s%3N) - from ))
  report=$(latency "$from")
  echo "  run $rep: ${line#post: }"
  sed 's/^/    /' <<<"$report"
  # From the first send until every pin is in the table: CPU of the job alone (not the broker's or post's).
  printf "    job CPU %.1f s in %.1f s (%.2f of %d cores), %.0f µs per event sent\n" "$(echo "($c1 - $c0) / $TICK" | bc -l)" \
    "$(echo "$took / 1000" | bc -l)" "$(echo "($c1 - $c0) / $TICK / ($took / 1000)" | bc -l)" "$(nproc)" \
    "$(echo "($c1 - $c0) / $TICK * 1000000 / ($RATE * $SECONDS_LIVE)" | bc -l)"
  p50s+=("$(sed -n 's/.*latency ms: p50 \([0-9]*\),.*/\1/p' <<<"$report")")
  p99s+=("$(sed -n 's/.*latency ms: .* p99 \([0-9]*\),.*/\1/p' <<<"$report")")
done
kill "$JOB" 2>/dev/null || true
mid=$(( (REPS + 1) / 2 ))
echo "  median of $REPS runs: send-to-table latency p50 $(printf "%s\n" "${p50s[@]}" | sort -n | sed -n "${mid}p") ms, p99 $(printf "%s\n" "${p99s[@]}" | sort -n | sed -n "${mid}p") ms"
