#!/usr/bin/env bash
# Quick start: build, generate 10,000 Pinterest-style posting events into a local archive, run the
# batch pipeline on DirectRunner, and show what it wrote. Needs only Java 17 and Maven.
#   ./quickstart.sh [events]        (default 10000; writes demo/archive and demo/output)
set -euo pipefail
cd "$(dirname "$0")"
EVENTS="${1:-10000}"

echo "== building (mvn package, tests skipped: run them with 'mvn -B verify')"
mvn -q -B -Dstyle.color=never -DskipTests package 2>&1 | sed "s/\x1b\[[0-9;]*m//g"

echo "== generating ${EVENTS} events into demo/archive"
java -jar emulator/target/pinterest-emulator.jar generate \
  --count="${EVENTS}" --seed=42 --topicPrefix=pinterest --output=demo/archive --overwrite

echo "== running the batch pipeline on DirectRunner"
java -jar pipelines/target/pinterest-pipelines.jar batch \
  --input=demo/archive --output=demo/output --overwrite

echo "== the nine results are in demo/output/results/, the cleaned tables in demo/output/tables/"
echo "== open demo/output/report.html in a browser for the charts, tables and data-quality counts"
