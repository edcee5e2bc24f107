#!/usr/bin/env bash
# JMH microbenchmarks of the per-record hot paths (JSON parse, clean, follower-count parse):
# average nanoseconds per record, 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement (see HotPathBenchmarks).
#   bench/jmh.sh [result.json|result.csv] [extra JMH options, e.g. -f 3]
# Needs the bench module's jar: mvn -q -B -DskipTests package. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-bench/target/jmh-result.json}"
shift $(( $# > 0 ? 1 : 0 ))
[[ -f bench/target/pinterest-bench.jar ]] || mvn -q -B -DskipTests package
java -cp "bench/target/pinterest-bench.jar:bench/target/lib/*" org.openjdk.jmh.Main \
  -rf "${OUT##*.}" -rff "$OUT" "$@" HotPathBenchmarks
