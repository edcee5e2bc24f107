#!/usr/bin/env bash
# The streaming job's Iceberg crash loops, long: StreamingIcebergCrashTest's DirectRunner and
# FlinkRunner loops with N random kills each (mvn verify runs 1 each).
#   bench/streaming-iceberg-crash-soak.sh [iterations=10] [seed=22] [loops=both|direct|flink]
# Method: one local broker (the tests' KafkaFixture), topics of 2 partitions; events posted at 2 a
# second while the live job (--tableFormat=iceberg --commitSeconds=2 --windowSeconds=1
# --allowedLatenessSeconds=1, Hadoop catalog in <output>/warehouse) runs in a child JVM; every 9th
# event's records sent twice in a row, every 7th event with an unparseable pin record. Halted at the
# named points (DirectRunner: a data file written, between two tables' commits, after a commit;
# FlinkRunner: between two tables' commits), then killed with SIGKILL a seeded random 0-6 s after a
# table's position first moved in the run; each
# restart is anew (no checkpoint restore). After each kill the tables (Iceberg's generic reader,
# current snapshots) must hold no origin twice and nothing at or above their recorded positions,
# and every posted record below them; the last run, stopped once every table is at every
# partition's end, must leave every posted offset in exactly one row of its kind's table or its
# dead-letter table, or an exact copy of one that is. Prints each kill's line. Not a benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
ITERATIONS="${1:-10}"
SEED="${2:-22}"
case "${3:-both}" in
  both) TESTS='StreamingIcebergCrashTest' ;;
  direct) TESTS='StreamingIcebergCrashTest#directRunner*' ;;
  flink) TESTS='StreamingIcebergCrashTest#flinkRunner*' ;;
  *) echo "streaming-iceberg-crash-soak: loops must be both, direct or flink" >&2; exit 2 ;;
esac
LOG="$(mktemp -t streaming-iceberg-crash-soak.XXXXXX)"
mvn -o -q -B -pl pipelines -am \
  -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dpinpipe.streamingCrash.iterations="$ITERATIONS" -Dpinpipe.streamingCrash.flinkIterations="$ITERATIONS" \
  -Dpinpipe.streamingCrash.seed="$SEED" \
  test >"$LOG" 2>&1 || { tail -50 "$LOG"; echo "streaming-iceberg-crash-soak: FAILED (log: $LOG)" >&2; exit 1; }
REPORT=pipelines/target/surefire-reports/io.pinpipe.pipelines.streaming.StreamingIcebergCrashTest-output.txt
grep -E '^ice(direct|flink): ' "$REPORT"
rm -f "$LOG"
