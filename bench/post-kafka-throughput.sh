#!/usr/bin/env bash
# Emulator -> Kafka throughput, unpaced, beside Kafka's own ProducerPerformance on the same broker
# with the same record size and producer settings, each repeated; prints medians side by side.
#   bench/post-kafka-throughput.sh [events=200000] [repetitions=3]
# Method: one local KRaft broker (bin/local-kafka's, Kafka 3.9.1, own JVM) on a fresh data dir;
# every run writes to fresh single-partition topics. `post` sends N events = 3N records (pin,
# geo, user) and its final line gives records and seconds (generation included, JVM start not);
# ProducerPerformance sends 3N records of the emulator's mean record size (from `generate` with
# the same seed) and reports records/s. Both: acks=all, enable.idempotence=true, linger.ms and
# batch.size from KafkaSink. Not a test; run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-200000}"
REPS="${2:-3}"
RECORDS=$((EVENTS * 3))
JAR=emulator/target/pinterest-emulator.jar
LIB=local-services/target/kafka/lib
[[ -f $JAR && -d $LIB ]] || mvn -q -B -pl emulator -am package -DskipTests
WORK="$(mktemp -d)"
# Two ports free at once, the broker's and its controller's (PORT + 1 may be another process's).
read -r PORT CONTROLLER_PORT < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
trap 'java -jar "$JAR" kafka stop --dataDir "$WORK/kafka" >/dev/null; rm -rf "$WORK"' EXIT
java -jar "$JAR" kafka start --dataDir "$WORK/kafka" --port "$PORT" --controllerPort "$CONTROLLER_PORT" --kafkaLib "$LIB" >/dev/null

LINGER=$(grep -o 'LINGER_MS = [0-9_]*' emulator/src/main/java/io/pinpipe/emulator/post/KafkaSink.java | grep -o '[0-9_]*$' | tr -d _)
BATCH=$(grep -o 'BATCH_SIZE = [0-9_]*' emulator/src/main/java/io/pinpipe/emulator/post/KafkaSink.java | grep -o '[0-9_]*$' | tr -d _)
java -jar "$JAR" generate --count="$EVENTS" --seed=7 --output="$WORK/sample" 2>/dev/null
BYTES=$(cat "$WORK"/sample/topics/*/partition=0/*.json | wc -c)
SIZE=$(( (BYTES - RECORDS) / RECORDS ))   # mean JSON object size, newlines excluded

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); broker: Kafka 3.9.1 KRaft on 127.0.0.1"
echo "workload: $EVENTS events = $RECORDS records, mean value $SIZE bytes; acks=all idempotence=true linger.ms=$LINGER batch.size=$BATCH; $REPS runs each"
post=(); perf=()
for i in $(seq 1 "$REPS"); do
  line=$(java -jar "$JAR" post --bootstrapServers="127.0.0.1:$PORT" --topicPrefix="post$i" --count="$EVENTS" --seed=7 2>&1 | grep '^post: sent')
  secs=$(sed -E 's/.* in ([0-9.]+) s .*/\1/' <<<"$line")
  rate=$(awk -v r="$RECORDS" -v s="$secs" 'BEGIN {printf "%.0f", r / s}')
  post+=("$rate")
  out=$(java -cp "$LIB/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=error org.apache.kafka.tools.ProducerPerformance \
      --topic "perf$i" --num-records "$RECORDS" --record-size "$SIZE" --throughput -1 \
      --producer-props bootstrap.servers="127.0.0.1:$PORT" acks=all enable.idempotence=true linger.ms="$LINGER" batch.size="$BATCH" 2>&1 | tail -1)
  prate=$(sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/' <<<"$out" | cut -d. -f1)
  perf+=("$prate")
  echo "run $i: post $rate records/s ($secs s); ProducerPerformance $prate records/s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
pm=$(median "${post[@]}"); fm=$(median "${perf[@]}")
awk -v p="$pm" -v f="$fm" -v s="$SIZE" 'BEGIN {
  printf "median records/s: post %d (%.1f MB/s), ProducerPerformance %d (%.1f MB/s); post = %.0f%% of it\n",
    p, p * s / 1e6, f, f * s / 1e6, 100 * p / f }'
