#!/usr/bin/env bash
# The streaming job, Kafka in: catch-up throughput and live send-to-table latency.
#   [STREAMING_RUNNER=direct|flink] bench/streaming-kafka.sh [backlog_events=20000] [live_rate=10] [live_seconds=60] [repetitions=3]
# STREAMING_RUNNER: DirectRunner (default) or FlinkRunner (embedded cluster, parallelism 2).
# STREAMING_OPTS: more options for the streaming job, e.g. "--fasterCopy=true" (split on spaces).
# Method: one local KRaft broker (Kafka 3.9.1, own JVM) on a fresh data dir, fresh topics per run.
# - catch-up: `post` writes N events (3N records) first; then a cold `streaming` JVM reads them
#   with --maxRecordsPerStream=N (bounded: it ends when all are read and every window has fired),
#   10 s windows; wall time of the whole job (JVM start to exit) gives events/s. Repeated; median.
# - live: `streaming` runs unbounded (10 s windows, 5 s assembly wait) while `post` sends at a fixed
#   rate for a fixed time; once every pin is in the table (or 10 min pass) the job is stopped and
#   SendToTableLatency gives p50/p99 of (table file written) - (record sent, Kafka timestamp).
# live_seconds=0 measures catch-up only. Not a test; run it on an otherwise idle machine. Both jars: mvn -q -DskipTests package.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKLOG="${1:-20000}"
RATE="${2:-10}"
SECONDS_LIVE="${3:-60}"
REPS="${4:-3}"
case "${STREAMING_RUNNER:-direct}" in
  direct) RUNNER=(--runner=DirectRunner); RUNNER_NAME=DirectRunner ;;
  flink) RUNNER=(--runner=FlinkRunner --parallelism=2); RUNNER_NAME="FlinkRunner (parallelism 2)" ;;
  *) echo "STREAMING_RUNNER must be direct or flink" >&2; exit 2 ;;
esac
read -r -a EXTRA <<<"${STREAMING_OPTS:-}"
RUNNER+=("${EXTRA[@]}")
[[ -z ${STREAMING_OPTS:-} ]] || RUNNER_NAME+=" with ${STREAMING_OPTS}"
EMU=emulator/target/pinterest-emulator.jar
PIPE=pipelines/target/pinterest-pipelines.jar
LIB=local-services/target/kafka/lib
[[ -f $EMU && -f $PIPE && -d pipelines/target/test-classes ]] || mvn -q -B -DskipTests package
WORK="$(mktemp -d)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
trap 'pkill -f "$WORK/live" || true; java -jar "$EMU" kafka stop --dataDir "$WORK/kafka" >/dev/null; rm -rf "$WORK"' EXIT
java -jar "$EMU" kafka start --dataDir "$WORK/kafka" --port "$PORT" --controllerPort "$((PORT + 1))" --kafkaLib "$LIB" >/dev/null
BOOT="127.0.0.1:$PORT"
topics() { for k in pin geo user; do java -cp "$LIB/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --topic "$1.$k" --partitions 1 --replication-factor 1 >/dev/null 2>&1; done; }

echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p); runner: $RUNNER_NAME; broker: Kafka 3.9.1 KRaft on 127.0.0.1"
echo "== catch-up: $BACKLOG events already in Kafka, bounded streaming run, 10 s windows"
times=()
for rep in $(seq "$REPS"); do
  topics "cu$rep"
  java -jar "$EMU" post --bootstrapServers="$BOOT" --topicPrefix="cu$rep" --count="$BACKLOG" --seed="$rep" 2>/dev/null
  start=$(date +%s.%N)
  java -jar "$PIPE" streaming "${RUNNER[@]}" --source=kafka --bootstrapServers="$BOOT" --topicPrefix="cu$rep" --startFrom=earliest \
    --output="$WORK/cu$rep" --windowSeconds=10 --maxRecordsPerStream="$BACKLOG" >/dev/null 2>"$WORK/cu$rep.log"
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  times+=("$secs")
  printf "  run %d: %.1f s, %.0f events/s\n" "$rep" "$secs" "$(echo "$BACKLOG / $secs" | bc -l)"
done
median=$(printf "%s\n" "${times[@]}" | sort -n | sed -n "$(( (REPS + 1) / 2 ))p")
printf "  median %.1f s = %.0f events/s (JVM start to exit, %d events, %d records)\n" "$median" "$(echo "$BACKLOG / $median" | bc -l)" "$BACKLOG" "$((BACKLOG * 3))"

[[ $SECONDS_LIVE -gt 0 ]] || exit 0   # catch-up only
echo "== live: $RATE events/s for $SECONDS_LIVE s into a running job, 10 s windows"
topics live
mkdir -p "$WORK/live"
java -jar "$PIPE" streaming "${RUNNER[@]}" --source=kafka --bootstrapServers="$BOOT" --topicPrefix=live --groupId=bench-live \
  --output="$WORK/live/out" --windowSeconds=10 --assemblyWaitSeconds=5 >"$WORK/live/job.log" 2>&1 &
JOB=$!
sleep 15
SENT_LINE=$(java -jar "$EMU" post --bootstrapServers="$BOOT" --topicPrefix=live --rate="$RATE" --duration="${SECONDS_LIVE}s" --seed=9 2>&1 | tail -1)
echo "$SENT_LINE"
# Wait until every pin sent is in the table (pacing may send a few less than rate x seconds), or
# until the table has stopped growing for a minute.
WANT=$(sed -E 's/^post: sent ([0-9,]+) events.*/\1/' <<<"$SENT_LINE" | tr -d ,)
last=-1; still=0
for i in $(seq 600); do
  rows=$(java -cp "$PIPE:pipelines/target/test-classes" io.pinpipe.pipelines.bench.SendToTableLatency "$BOOT" live.pin "$WORK/live/out/tables" 2>/dev/null | grep -o '^rows [0-9]*' | grep -o '[0-9]*' || echo 0)
  [[ "${rows:-0}" -ge "$WANT" ]] && break
  if [[ "${rows:-0}" -eq "$last" ]]; then still=$((still + 1)); else still=0; last=${rows:-0}; fi
  [[ $still -ge 12 ]] && { echo "the pin table stopped growing at $last of $WANT rows"; break; }
  sleep 5
done
kill "$JOB" 2>/dev/null || true
java -cp "$PIPE:pipelines/target/test-classes" io.pinpipe.pipelines.bench.SendToTableLatency "$BOOT" live.pin "$WORK/live/out/tables" 2>/dev/null
