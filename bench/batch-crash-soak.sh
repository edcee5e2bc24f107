#!/usr/bin/env bash
# The batch crash loop at length (docs/design.md, "Outputs"): BatchCrashTest with every named crash
# point and N kills at seeded random times, each followed by a check that the output is the previous
# complete run or the new one, never a mix. `mvn verify` runs the same test with four points and
# three kills; this is the soak, not part of the build.
#
#   bench/batch-crash-soak.sh [--iterations=10] [--seed=21]
#
# Needs the modules built and installed (mvn -q -B install -DskipTests); runs offline.
set -euo pipefail
cd "$(dirname "$0")/.."

ITERATIONS=10
SEED=21
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
REPORT=pipelines/target/surefire-reports/io.pinpipe.pipelines.batch.BatchCrashTest-output.txt
rm -f "$REPORT"
started=$(date +%s)
if ! mvn -o -B -pl pipelines test -Dtest=BatchCrashTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dpinpipe.crashAllPoints=true -Dpinpipe.crashIterations="$ITERATIONS" -Dpinpipe.crashSeed="$SEED" >"$LOG" 2>&1; then
  [[ -f $REPORT ]] && grep "batch crash:" "$REPORT" >&2
  grep -E "FAIL|AssertionError|Expected|but:" "$LOG" | head -40 >&2
  echo "batch crash soak FAILED (seed $SEED): rerun with the same seed; surefire's reports are in pipelines/target/surefire-reports" >&2
  exit 1
fi
grep "batch crash:" "$REPORT"
crashes=$(grep -c "batch crash:" "$REPORT" || true)
old=$(grep -c "is the old run" "$REPORT" || true)
new=$(grep -c "is the new run" "$REPORT" || true)
echo "batch crash soak: $crashes crashes (every named point, $ITERATIONS random kills, seed $SEED) in $(( $(date +%s) - started )) s:" \
  "each left a whole output, $old the old run and $new the new one"
