#!/usr/bin/env bash
# The batch crash loops at length, each followed by a check after every crash. `mvn verify` runs the
# same tests with fewer points and kills; this is the soak, not part of the build.
# - --tables=parquet (docs/design.md#outputs): BatchCrashTest with every named crash point and N
#   kills at seeded random times; the output is the previous complete run or the new one, never a mix.
# - --tables=iceberg, batch's default (docs/iceberg.md#what-a-failure-leaves): BatchIcebergCrashTest
#   with N kills after its three named points (after the first table's commit, after the tenth,
#   after the last; CI halts at the last two); every table holds exactly one run's day and the
#   tables the killed run committed are a prefix of the commit order.
#
#   bench/batch-crash-soak.sh [--tables=parquet|iceberg] [--iterations=10] [--seed=21 (parquet), 22 (iceberg)]
#
# Needs the modules built and installed (mvn -q -B install -DskipTests); runs offline.
set -euo pipefail
cd "$(dirname "$0")/.."

TABLES=parquet
ITERATIONS=10
SEED=
for arg in "$@"; do
  case "$arg" in
    --tables=*) TABLES="${arg#*=}" ;;
    --iterations=*) ITERATIONS="${arg#*=}" ;;
    --seed=*) SEED="${arg#*=}" ;;
    *) echo "unknown argument: $arg (see the header of $0)" >&2; exit 2 ;;
  esac
done
[[ $ITERATIONS -ge 1 ]] || { echo "--iterations must be at least 1" >&2; exit 2; }
case "$TABLES" in
  parquet) TEST=BatchCrashTest; SEED=${SEED:-21}; LINE="batch crash:" ;;
  iceberg) TEST=BatchIcebergCrashTest; SEED=${SEED:-22}; LINE="batch iceberg crash:" ;;
  *) echo "--tables must be parquet or iceberg, got '$TABLES'" >&2; exit 2 ;;
esac

LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
# The test's own lines (one per crash) go to its surefire output file, not to Maven's log.
REPORT=pipelines/target/surefire-reports/io.pinpipe.pipelines.batch.$TEST-output.txt
rm -f "$REPORT"
started=$(date +%s)
if ! mvn -o -B -pl pipelines test -Dtest="$TEST" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dpinpipe.crashAllPoints=true -Dpinpipe.crashIterations="$ITERATIONS" -Dpinpipe.crashSeed="$SEED" >"$LOG" 2>&1; then
  [[ -f $REPORT ]] && grep "$LINE" "$REPORT" >&2
  grep -E "FAIL|AssertionError|Expected|but:" "$LOG" | head -40 >&2
  echo "batch crash soak ($TABLES) FAILED (seed $SEED): rerun with the same seed; surefire's reports are in pipelines/target/surefire-reports" >&2
  exit 1
fi
grep "$LINE" "$REPORT"
seconds=$(( $(date +%s) - started ))
if [[ $TABLES == parquet ]]; then
  crashes=$(grep -c "$LINE" "$REPORT" || true)
  old=$(grep -c "is the old run" "$REPORT" || true)
  new=$(grep -c "is the new run" "$REPORT" || true)
  echo "batch crash soak: $crashes crashes (every named point, $ITERATIONS random kills, seed $SEED) in $seconds s:" \
    "each left a whole output, $old the old run and $new the new one"
else
  crashes=$(grep -c -E "$LINE (halted|killed)" "$REPORT" || true)
  echo "batch iceberg crash soak: $crashes crashes (three named points, $ITERATIONS random kills, seed $SEED; a run that ended" \
    "before its kill is not counted) in $seconds s: after each, every table held one run's day whole"
fi
