#!/usr/bin/env bash
# Profiles a streaming catch-up on FlinkRunner with Java Flight Recorder and prints where the CPU
# samples go, by Flink task (chained operators share a task) and, within each, the top frames.
#   bench/profile-streaming.sh [events=200000] [more streaming options]
# Method: a local KRaft broker (Kafka 3.9.1) on a fresh data dir; `post` writes the events first; a
# cold bounded `streaming` job (10 s windows, --maxRecordsPerStream) reads them with JFR's profile
# settings. The job's default tables, Iceberg; --tableFormat=parquet among the options for plain files.
# Needs the jars (mvn -q -B -DskipTests package), GNU time and python3. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
shift $(( $# > 0 ? 1 : 0 ))
EMU=emulator/target/pinterest-emulator.jar
PIPE=${PIPELINES_JAR:-pipelines/target/pinterest-pipelines.jar}
LIB=local-services/target/kafka/lib
WORK="$(mktemp -d)"
# Two ports free at once, the broker's and its controller's (PORT + 1 may be another process's).
read -r PORT CONTROLLER_PORT < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
trap 'java -jar "$EMU" kafka stop --dataDir "$WORK/kafka" >/dev/null; rm -rf "$WORK"' EXIT
java -jar "$EMU" kafka start --dataDir "$WORK/kafka" --port "$PORT" --controllerPort "$CONTROLLER_PORT" --kafkaLib "$LIB" >/dev/null
BOOT="127.0.0.1:$PORT"
for k in pin geo user; do
  java -cp "$LIB/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --topic "prof.$k" \
    --partitions 1 --replication-factor 1 >/dev/null 2>&1
done
java -jar "$EMU" post --bootstrapServers="$BOOT" --topicPrefix=prof --count="$N" --seed=1 2>/dev/null | tail -1
/usr/bin/time -f "%e s wall, %U s user, %S s system CPU, %M KB peak RSS" -o "$WORK/time" \
  java -XX:StartFlightRecording=filename="$WORK/streaming.jfr",settings=profile -jar "$PIPE" streaming \
  --runner=FlinkRunner --parallelism=2 --source=kafka --bootstrapServers="$BOOT" --topicPrefix=prof \
  --startFrom=earliest --output="$WORK/out" --windowSeconds=10 --maxRecordsPerStream="$N" "$@" >"$WORK/job.log" 2>&1
TABLES="the job's default (iceberg; parquet for a jar built before 2026-12-07)"
for o in "$@"; do [[ $o != --tableFormat=* ]] || TABLES=${o#--tableFormat=}; done
echo "streaming catch-up of $N events, FlinkRunner parallelism 2, tables: $TABLES${*:+, options: $*}: $(cat "$WORK/time")"
jfr print --events jdk.ExecutionSample --stack-depth 200 "$WORK/streaming.jfr" | python3 bench/jfr_tasks.py
