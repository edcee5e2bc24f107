#!/usr/bin/env bash
# The streaming job's crash loops, long: StreamingCrashTest's DirectRunner and FlinkRunner loops for
# N iterations each (mvn verify runs both with 3).
#   bench/streaming-crash-soak.sh [iterations=10] [seed=21] [loops=both|direct|flink]
# Method: one local broker (the tests' KafkaFixture), topics of 2 partitions; events posted at 4 a
# second all along while the live job runs in a child JVM, so a window is always open.
# DirectRunner: halted at three named points (an offset committed, a table file written, an offset
# about to be committed), then killed with SIGKILL at times drawn from [2 s, 2 s + 1.2 x the longest
# run to a named point) with the window options drawn each time; after each kill every offset below
# the group's committed offsets must be in the tables; a last bounded replay from the committed
# offsets must leave every (topic, partition, offset) posted in the tables.
# FlinkRunner (embedded cluster, parallelism 1, a checkpoint a second under --flinkCheckpointDir):
# a first run killed at random once it has a checkpoint, then each run restarted with
# --restoreFromLatestCheckpoint, one halted with a table pane partly written and the others killed at random;
# the last restored run is stopped once every posted offset is in the tables.
# Prints each kill's line and each loop's figures line. Not a benchmark of speed.
set -euo pipefail
cd "$(dirname "$0")/.."
ITERATIONS="${1:-10}"
SEED="${2:-21}"
case "${3:-both}" in
  both) TESTS='StreamingCrashTest' ;;
  direct) TESTS='StreamingCrashTest#directRunner*' ;;
  flink) TESTS='StreamingCrashTest#flinkRunner*' ;;
  *) echo "streaming-crash-soak: loops must be both, direct or flink" >&2; exit 2 ;;
esac
LOG="$(mktemp -t streaming-crash-soak.XXXXXX)"
mvn -o -q -B -pl pipelines -am \
  -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dpinpipe.streamingCrash.iterations="$ITERATIONS" -Dpinpipe.streamingCrash.seed="$SEED" \
  test >"$LOG" 2>&1 || { tail -50 "$LOG"; echo "streaming-crash-soak: FAILED (log: $LOG)" >&2; exit 1; }
REPORT=pipelines/target/surefire-reports/io.pinpipe.pipelines.streaming.StreamingCrashTest-output.txt
grep -E '^(DirectRunner|FlinkRunner) kill [0-9]+' "$REPORT"
grep -E '^(DirectRunner|FlinkRunner) streaming crash loop' "$REPORT"
rm -f "$LOG"
