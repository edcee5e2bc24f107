#!/usr/bin/env bash
# The archive's crash loop, long: ArchiveCrashTest's random loop for N iterations (CI runs 3).
#   bench/archive-crash-soak.sh [iterations=10] [seed=21]
# Method: one local broker (the tests' KafkaFixture), 1,000 events posted, a complete `archive` run
# in a child JVM timed; then per iteration 200-999 more events posted, `archive` started in a child
# JVM with a --maxRecordsPerFile drawn from {50, 333, 1000, 100000} and killed with SIGKILL after a
# time drawn from [0, 1.3 x the last complete run's time) (it may finish first); after each kill no record
# may be in two files. A last complete run must leave every (topic, partition, offset) in exactly one
# line and one range record. Prints the loop's figures line. Not a benchmark of speed.
set -euo pipefail
cd "$(dirname "$0")/.."
ITERATIONS="${1:-10}"
SEED="${2:-21}"
LOG="$(mktemp -t archive-crash-soak.XXXXXX)"
mvn -o -q -B -pl pipelines -am \
  -Dtest='ArchiveCrashTest#killedAtSeededRandomTimesThenRerunArchivesEveryOffsetOnce' \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dpinpipe.archiveCrash.iterations="$ITERATIONS" -Dpinpipe.archiveCrash.seed="$SEED" \
  test >"$LOG" 2>&1 || { tail -50 "$LOG"; echo "archive-crash-soak: FAILED (log: $LOG)" >&2; exit 1; }
REPORT=pipelines/target/surefire-reports/io.pinpipe.pipelines.archive.ArchiveCrashTest-output.txt
grep -E '^iteration [0-9]+:' "$REPORT"
grep -E '^archive crash loop' "$REPORT"
rm -f "$LOG"
