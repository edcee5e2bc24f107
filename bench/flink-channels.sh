#!/usr/bin/env bash
# How many elements FlinkRunner serializes between operators, and where: runs `batch` on
# FlinkRunner (parallelism 2) and reads the job's own metrics from Flink's REST API while it runs.
#   [PIPELINES_JAR=another build] bench/flink-channels.sh [events=1000000]
# Flink's batch (DataSet) engine chains an operator to the next without serializing only when the
# first has exactly one consumer; every other edge writes each element to a channel with its Beam
# coder and reads it back. The vertex metrics count those records and bytes. They are taken from
# the last poll (every 2 s) before the job ends, so the last seconds' small writes may be missing.
# Needs the jars (mvn -q -B -DskipTests package), curl and python3. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-1000000}"
WORK="$(mktemp -d)"
trap 'kill "$POLL" 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/conf"
printf 'rest.port: %s\nrest.bind-address: 127.0.0.1\nrest.address: 127.0.0.1\n' "$PORT" >"$WORK/conf/flink-conf.yaml"
java -jar emulator/target/pinterest-emulator.jar generate --count="$EVENTS" --seed=7 --output="$WORK/archive" 2>/dev/null
(
  while sleep 2; do
    jid=$(curl -s -m 2 "http://127.0.0.1:$PORT/jobs/overview" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["jid"])' 2>/dev/null) || continue
    [[ -s $WORK/plan.json ]] || curl -s -m 5 "http://127.0.0.1:$PORT/jobs/$jid/plan" >"$WORK/plan.json" || true
    curl -s -m 5 "http://127.0.0.1:$PORT/jobs/$jid" >"$WORK/job.tmp" && mv "$WORK/job.tmp" "$WORK/job.json" || true
  done
) &
POLL=$!
java -jar "${PIPELINES_JAR:-pipelines/target/pinterest-pipelines.jar}" batch --input="$WORK/archive" --output="$WORK/out" \
  --tableFormat=parquet --runner=FlinkRunner --parallelism=2 --flinkConfDir="$WORK/conf" >"$WORK/batch.log" 2>&1
kill "$POLL" 2>/dev/null || true
[[ -s $WORK/job.json && -s $WORK/plan.json ]] || { echo "no job metrics were read from Flink's REST API on port $PORT" >&2; exit 1; }
python3 bench/flink_channels.py "$WORK/job.json" "$WORK/plan.json" "$EVENTS"
