#!/usr/bin/env bash
# Quick start: build, generate 10,000 Pinterest-style posting events into a local archive, run the
# batch pipeline on DirectRunner, and show what it wrote. Needs only Java 17 and Maven.
#   ./quickstart.sh [events]        (default 10000; writes demo/archive and demo/output)
set -euo pipefail
cd "$(dirname "$0")"
EVENTS="${1:-10000}"

echo "== building (mvn package, tests skipped: run them with 'mvn -B verify'); the whole log: target/quickstart-build.log"
# One line per module and per build step as Maven reaches it, with the seconds since the start:
# the build takes minutes and should not look stuck. On failure, the log's end.
mkdir -p target
log=target/quickstart-build.log
started=$SECONDS
progress() {
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    case "$line" in
      "[INFO] Building "*"["*"/"*"]"*)
        module="${line#\[INFO\] Building }"
        printf '   %4ss  %s\n' "$((SECONDS - started))" "${module% [0-9]*-SNAPSHOT*} ${line##* }" ;;
      "[INFO] --- maven-resources-plugin:"*) ;;
      "[INFO] --- "*" @ "*" ---")
        step="${line#\[INFO\] --- }"; plugin="${step%%:*}"; goal="${step#*:*:}"; goal="${goal%% *}"
        printf '   %4ss      %s (%s)\n' "$((SECONDS - started))" "$goal" "${plugin#maven-}" ;;
    esac
  done
}
: >"$log"
if ! mvn -B -Dstyle.color=never -DskipTests package 2>&1 | progress; then
  tail -n 40 "$log"
  echo "== the build failed; the whole log: $log"
  exit 1
fi
echo "== built in $((SECONDS - started)) s"

# The ingestion day the demo's records are filed under, as the archive job files each day's records
# under dt=<day>/: the Iceberg tables (batch's default) are partitioned by it.
DAY=2026-11-23
echo "== generating ${EVENTS} events into demo/archive, filed under the ingestion day dt=${DAY}"
java -jar emulator/target/pinterest-emulator.jar generate \
  --count="${EVENTS}" --seed=42 --topicPrefix=pinterest --output=demo/archive --overwrite
for topic in demo/archive/topics/pinterest.*; do
  mkdir -p "$topic/dt=${DAY}"
  mv "$topic"/partition=* "$topic/dt=${DAY}/"
done

echo "== running the batch pipeline on DirectRunner"
# --adoptOutput: a demo/output left by a version from before output manifests is taken over too.
java -jar pipelines/target/pinterest-pipelines.jar batch \
  --input=demo/archive --date="${DAY}" --output=demo/output --overwrite --adoptOutput

echo "== the Iceberg tables in demo/output/warehouse (a Hadoop catalog), each table's current snapshot:"
java -jar pipelines/target/pinterest-pipelines.jar iceberg-maintain --warehouse=demo/output/warehouse
echo "== the nine results are also in demo/output/results/ (CSV); Spark SQL on the tables: docs/iceberg.md, \"Reading the tables\""
echo "== open demo/output/report.html in a browser for the charts, tables and data-quality counts"
