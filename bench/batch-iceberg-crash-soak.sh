#!/usr/bin/env bash
# The batch crash loop with its default Iceberg tables, at length (docs/iceberg.md, "What a failure
# leaves"): BatchIcebergCrashTest with N kills at seeded random times, after its three named points
# (after the first table's commit, after the tenth, after the last; CI halts at the last two),
# each followed by a check that every table holds exactly one run's day and the tables the killed
# run committed are a prefix of the commit order. `mvn verify` runs the same test with two kills;
# this is the soak, not part of the build.
#
#   bench/batch-iceberg-crash-soak.sh [--iterations=10] [--seed=22]
#
# Needs the modules built and installed (mvn -q -B install -DskipTests); runs offline.
set -euo pipefail
cd "$(dirname "$0")/.."

ITERATIONS=10
SEED=22
for arg in "$@"; do
  case "$arg" in
    --iterations=*) ITERATIONS="${arg#*=}" ;;
    --seed=*) SEED="${arg#*=}" ;;
    *) echo "unknown argument: $arg (see the header of $0)" >&2; exit 2 ;;
  esac
done
[[ $ITERATIONS -ge 1 ]] || { echo "--iterations must be at least 1" >&2; exit 2; }

LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
# The test's own lines (one per crash) go to its surefire output file, not to Maven's log.
REPORT=pipelines/target/surefire-reports/io.pinpipe.pipelines.batch.BatchIcebergCrashTest-output.txt
rm -f "$REPORT"
started=$(date +%s)
if ! mvn -o -B -pl pipelines test -Dtest=BatchIcebergCrashTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dpinpipe.crashAllPoints=true -Dpinpipe.crashIterations="$ITERATIONS" -Dpinpipe.crashSeed="$SEED" >"$LOG" 2>&1; then
  [[ -f $REPORT ]] && grep "batch iceberg crash:" "$REPORT" >&2
  grep -E "FAIL|AssertionError|Expected|but:" "$LOG" | head -40 >&2
  echo "batch iceberg crash soak FAILED (seed $SEED): rerun with the same seed; surefire's reports are in pipelines/target/surefire-reports" >&2
  exit 1
fi
grep "batch iceberg crash:" "$REPORT"
crashes=$(grep -c -E "batch iceberg crash: (halted|killed)" "$REPORT" || true)
echo "batch iceberg crash soak: $crashes crashes (three named points, $ITERATIONS random kills, seed $SEED; a run that ended" \
  "before its kill is not counted) in $(( $(date +%s) - started )) s: after each, every table held one run's day whole"
