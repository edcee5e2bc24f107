#!/usr/bin/env bash
# The benchmark harness: measures every stage on generated events and writes the figures, with the
# machine and the method, between the "run.sh" markers of BENCHMARKS.md (the rest of that file, the
# analysis and the optimisation log, is written by hand and kept).
#
#   bench/run.sh [--sizes=100000,1000000] [--big=10000000] [--reps=3] [--only=SECTIONS]
#                [--engines=direct,flink,spark,sparksql,duckdb] [--out=BENCHMARKS.md] [--block=main] [--smoke]
#
# SECTIONS (comma-separated, default all): generate, kafka, jmh, batch, big, streaming.
#   generate   generator throughput (events/s) for each size
#   kafka      emulator -> Kafka beside Kafka's ProducerPerformance (bench/post-kafka-throughput.sh)
#   jmh        per-record hot paths (bench/jmh.sh)
#   batch      `batch` on DirectRunner, SparkRunner local[2], FlinkRunner (parallelism 2), the
#              native Spark SQL baseline (local[2]) and DuckDB (one SQL script, 2 threads), each size,
#              --reps cold JVMs each, results verified
#   big        `batch` on --big events with an 8 GB heap, on FlinkRunner (BIG_ENGINE=spark: SparkRunner)
#   streaming  the streaming job on FlinkRunner through Kafka (bench/streaming-kafka.sh)
# --engines: the batch engines, in order; the first is the reference the others' results must equal.
# --block: the name of the generated block in --out, so runs of different sections or sizes can sit
#   side by side in one file (each replaces only its own block).
# --smoke: tiny sizes, one repetition, short JMH: checks the harness itself (CI runs it); its figures
# mean nothing. Needs the jars (mvn -q -B -DskipTests package), GNU time and python3. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/outputs.sh

SIZES=100000,1000000
BIG=10000000
REPS=3
ONLY=generate,kafka,jmh,batch,big,streaming
OUT=BENCHMARKS.md
BLOCK=main
ENGINES=direct,flink,spark,sparksql,duckdb
SMOKE=false
for arg in "$@"; do
  case "$arg" in
    --sizes=*) SIZES="${arg#*=}" ;;
    --big=*) BIG="${arg#*=}" ;;
    --reps=*) REPS="${arg#*=}" ;;
    --only=*) ONLY="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    --block=*) BLOCK="${arg#*=}" ;;
    --engines=*) ENGINES="${arg#*=}" ;;
    --smoke) SMOKE=true ;;
    *) echo "unknown argument: $arg (see the header of $0)" >&2; exit 2 ;;
  esac
done
if $SMOKE; then
  SIZES=2000; BIG=4000; REPS=1
fi
section() { [[ ",$ONLY," == *",$1,"* ]]; }

EMU=emulator/target/pinterest-emulator.jar
PIPE=pipelines/target/pinterest-pipelines.jar
BENCH_CP="bench/target/pinterest-bench.jar:bench/target/lib/*"
for jar in "$EMU" "$PIPE" bench/target/pinterest-bench.jar; do
  [[ -f $jar ]] || { echo "missing $jar: run mvn -q -B -DskipTests package first" >&2; exit 1; }
done
command -v /usr/bin/time >/dev/null || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }
# Spark's Java 17 flags, from the one place the build keeps them.
SPARK_OPENS=$(sed -n 's:.*<spark.java17.argLine>\(.*\)</spark.java17.argLine>.*:\1:p' pom.xml)
export SPARK_LOCAL_IP=127.0.0.1

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
MD="$WORK/report.md"
: >"$MD"
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
minimum() { sort -g | sed -n 1p; }
maximum() { sort -g | tail -1; }
thousands() { python3 -c 'import sys; print(f"{round(float(sys.argv[1])):,}")' "$1"; }

# ---------------------------------------------------------------------------------------------
# How each engine runs `batch`. Beam runners take the same jar and the same job options; only the
# runner options differ. Throughput settings (measured in BENCHMARKS.md) are the jobs' defaults.
declare -A ENGINE_LABEL=(
  [flink]="Beam on FlinkRunner, parallelism 2"
  [spark]="Beam on SparkRunner, local[2]"
  [direct]="Beam on DirectRunner"
  [sparksql]="native Spark SQL baseline, local[2]"
  [duckdb]="DuckDB SQL, 2 threads"
)
IFS=, read -r -a ENGINE_LIST <<<"$ENGINES"
REFERENCE=${ENGINE_LIST[0]}
for engine in "${ENGINE_LIST[@]}"; do
  [[ -n ${ENGINE_LABEL[$engine]:-} ]] || { echo "unknown engine $engine (direct, flink, spark, sparksql, duckdb)" >&2; exit 2; }
done

# run_batch ENGINE ARCHIVE OUTPUT [java options...] -> prints "seconds peak_rss_mb max_heap_after_gc_mb"
run_batch() {
  local engine=$1 archive=$2 output=$3; shift 3
  local gclog="$WORK/gc.log" cmd
  rm -rf "$output" "$gclog"
  case "$engine" in
    sparksql)
      cmd=(java "$@" -Xlog:gc:file="$gclog" $SPARK_OPENS -cp "$BENCH_CP" io.pinpipe.bench.sparksql.SparkSqlBaseline
           --input="$archive" --output="$output" --master="local[2]") ;;
    duckdb)
      cmd=(java "$@" -Xlog:gc:file="$gclog" -cp "$BENCH_CP" io.pinpipe.bench.duckdb.DuckDbBatch
           --input="$archive" --output="$output" --threads=2) ;;
    flink) cmd=(java "$@" -Xlog:gc:file="$gclog" -jar "$PIPE" batch --input="$archive" --output="$output" "${TABLES[@]}" --runner=FlinkRunner --parallelism=2) ;;
    spark) cmd=(java "$@" -Xlog:gc:file="$gclog" -jar "$PIPE" batch --input="$archive" --output="$output" "${TABLES[@]}" --runner=SparkRunner --sparkMaster="local[2]") ;;
    direct) cmd=(java "$@" -Xlog:gc:file="$gclog" -jar "$PIPE" batch --input="$archive" --output="$output" "${TABLES[@]}" --runner=DirectRunner) ;;
  esac
  if ! /usr/bin/time -f "%e %M" -o "$WORK/time" "${cmd[@]}" >"$WORK/$engine.log" 2>&1; then
    echo "$engine failed; last lines of its output:" >&2; tail -20 "$WORK/$engine.log" >&2; return 1
  fi
  local seconds kb heap
  read -r seconds kb <"$WORK/time"
  # The largest heap occupancy right after a collection: an upper bound of the live data (after a
  # young collection the old generation may still hold garbage). "-" when there was no collection.
  heap=$(grep -o '[0-9]*M->[0-9]*M' "$gclog" 2>/dev/null | sed 's/.*->//; s/M//' | maximum)
  echo "$seconds $((kb / 1024)) ${heap:--}"
}

# verify OUTPUT REFERENCE: the nine result files must equal the reference's, byte for byte; so must
# the nine result tables of a Beam run's Iceberg warehouse (batch's default), each its current
# snapshot read through Iceberg (bench/IcebergResultFiles.java), never a glob of the table's files.
verify() {
  local results reference
  results=$(results_of "$1") && reference=$(results_of "$2") || { echo "NO COMMITTED RUN"; return 1; }
  if [[ $(ls "$results" | wc -l) -ne 9 ]]; then echo "MISSING FILES"; return 1; fi
  diff -r "$reference" "$results" >/dev/null || { echo "DIFFERENT"; return 1; }
  if [[ -d $1/warehouse ]]; then
    rm -rf "$WORK/tables"
    java -cp "$PIPE" bench/IcebergResultFiles.java "$1/warehouse" "$WORK/tables" >/dev/null 2>&1 \
      || { echo "UNREADABLE TABLES"; return 1; }
    diff -r "$reference" "$WORK/tables" >/dev/null || { echo "TABLES DIFFERENT"; return 1; }
    echo "identical (files and tables)"
  else
    echo "identical"
  fi
}

# The ingestion day the generated events are filed under (generate writes no dt= folders), as the
# archive job files a day's records: the Beam runs read it with --date and write Iceberg tables
# (batch's default); TABLE_FORMAT=parquet runs them with plain Parquet tables instead.
DAY=2026-11-23
TABLES=(--date="$DAY")
[[ ${TABLE_FORMAT:-iceberg} == parquet ]] && TABLES+=(--tableFormat=parquet)

# generate N DIR: the archive of N events under dt=$DAY; prints generate's summary line (it reports on stderr).
generate() {
  java -jar "$EMU" generate --count="$1" --seed=7 --output="$2" 2>&1 >/dev/null | tail -1
  local topic
  for topic in "$2"/topics/*; do mkdir -p "$topic/dt=$DAY" && mv "$topic"/partition=* "$topic/dt=$DAY/"; done
}

# jar_commit JAR: the commit the jar was built from (git.properties, written by the build), "+uncommitted"
# when its tree had changes; the checkout may have moved on since the build.
jar_commit() {
  local props commit
  props=$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("git.properties").decode())' "$1" 2>/dev/null || true)
  commit=$(sed -n 's/^git.commit.id.abbrev=//p' <<<"$props")
  [[ -n $commit ]] || { echo "unknown"; return; }
  grep -q '^git.dirty=true' <<<"$props" && commit+="+uncommitted"
  echo "$commit"
}

# ---------------------------------------------------------------------------------------------
machine() {
  local cpu
  cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
  cat <<EOF
### Machine and method

- Machine: $(nproc) cores (${cpu:-unknown CPU}), $(free -g | awk '/Mem:/ {print $2}') GB memory, $(uname -sr);
  $(java -version 2>&1 | sed -n 1p), default heap unless stated. Jobs built from commit \`$(jar_commit "$PIPE")\`,
  $(date -u +%Y-%m-%d). Command: \`bench/run.sh $ARGS\`.
- Input: \`generate --seed=7\` (the emulator's synthetic events, no resends), N events = 3N JSON records.
- Every timed batch run is a cold JVM doing the whole job: read, clean, the nine result CSVs, the
  dead letters and summary, and the tables: the Beam runners batch's default Iceberg tables (the
  archive filed under one \`dt=\` day, \`--date\` of it; \`TABLE_FORMAT=parquet\`: plain Parquet
  tables, \`${TABLE_FORMAT:-iceberg}\` here), the Spark SQL baseline the nine CSVs and Parquet
  tables. Wall time and peak RSS by GNU time; "heap after GC" is the largest heap occupancy right
  after a collection (\`-Xlog:gc\`), an upper bound of the live data. Repetitions per engine and
  size: $REPS, one after another; median with min–max. After the runs each engine's nine result files are
  compared byte for byte with those of the first engine listed (${ENGINE_LABEL[$REFERENCE]}), and so
  are a Beam run's nine result tables, each its current snapshot read through Iceberg.
EOF
  duckdb_method
  cat <<EOF
- Benchmarks run one at a time on an otherwise idle machine; the 2 cores run the job, its runner
  and (for Kafka) the broker together.

EOF
}

# What the duckdb engine does, for the method text: only when the batch section runs it.
duckdb_method() {
  section batch && [[ ",$ENGINES," == *",duckdb,"* ]] || return 0
  local version
  version=$(ls bench/target/lib/duckdb_jdbc-*.jar 2>/dev/null | sed -n 's:.*/duckdb_jdbc-\(.*\)\.jar$:\1:p' | head -1 || true)
  cat <<EOF
- ${ENGINE_LABEL[duckdb]}: \`DuckDbBatch\` (\`bench/src/main/java/io/pinpipe/bench/duckdb/\`) runs one SQL script,
  \`bench/src/main/resources/io/pinpipe/bench/duckdb/batch.sql\`, in-process through DuckDB's JDBC driver
  (\`org.duckdb:duckdb_jdbc:${version:-unknown}\`), a cold JVM per run like the others, \`SET threads=2\`, DuckDB's
  default memory limit. The script reads the JSON lines (\`read_json\`), cleans them by the same rules
  (placeholders and blank strings to null, follower counts to int64, the \`Local save in \` prefix stripped,
  coordinates, UTC datetimes, user_name, exact duplicates removed), and writes the nine result CSVs and
  the three cleaned tables as Parquet; no dead letters, no summary. It does not recognise the records
  the job would dead-letter (a malformed line fails the run instead): the generated input has none,
  and the results are verified like the others'. Its memory is native, outside the Java heap: peak RSS
  counts it, "heap after GC" only the JVM's own ("-": no collection).
EOF
}

ARGS="$*"
machine >>"$MD"
IFS=, read -r -a SIZE_LIST <<<"$SIZES"

if section generate; then
  log "generate"
  {
    echo "### Generator throughput"
    echo
    echo "\`generate --count=N --seed=7\` writing the archive; events/s as the command reports it (generation and"
    echo "file writing, JVM start excluded); runs per size: $REPS."
    echo
    echo "| events | median events/s | min–max |"
    echo "|---:|---:|---|"
  } >>"$MD"
  for n in "${SIZE_LIST[@]}"; do
    rates=()
    for _ in $(seq "$REPS"); do
      rm -rf "$WORK/gen"
      line=$(generate "$n" "$WORK/gen")
      rates+=("$(sed -E 's/.*\(([0-9,]+) events\/s\).*/\1/' <<<"$line" | tr -d ,)")
    done
    printf '| %s | %s | %s–%s |\n' "$(thousands "$n")" \
      "$(thousands "$(printf '%s\n' "${rates[@]}" | median)")" \
      "$(thousands "$(printf '%s\n' "${rates[@]}" | minimum)")" "$(thousands "$(printf '%s\n' "${rates[@]}" | maximum)")" >>"$MD"
  done
  rm -rf "$WORK/gen"
  echo >>"$MD"
fi

if section kafka; then
  log "kafka"
  events=$($SMOKE && echo 2000 || echo 200000)
  {
    echo "### Emulator → Kafka beside Kafka's ProducerPerformance"
    echo
    echo "\`bench/post-kafka-throughput.sh $events $REPS\`: one local broker; \`post\` sends $events events from the generator;"
    echo "ProducerPerformance sends as many records of the same mean size with the same producer settings."
    echo
    echo '```'
    bench/post-kafka-throughput.sh "$events" "$REPS"
    echo '```'
    echo
  } >>"$MD"
fi

if section jmh; then
  log "jmh"
  jmh_opts=()
  $SMOKE && jmh_opts=(-f 0 -wi 0 -i 1 -r 200ms)
  bench/jmh.sh "$WORK/jmh.csv" "${jmh_opts[@]}" >"$WORK/jmh.log" 2>&1 || { tail -30 "$WORK/jmh.log" >&2; exit 1; }
  {
    echo "### Per-record hot paths (JMH)"
    echo
    echo "\`bench/jmh.sh\` (\`HotPathBenchmarks\`): average time per record, $($SMOKE && echo "smoke settings" || echo "1 fork, 3 × 2 s warm-up, 5 × 2 s measurement"),"
    echo "each call on the next of a few sample records of the kind."
    echo
    echo "| benchmark | kind | ns/record | ± (99.9%) |"
    echo "|---|---|---:|---:|"
    # "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: kind"
    tail -n +2 "$WORK/jmh.csv" | tr -d '"\r' | awk -F, '{split($1, b, "."); printf "| %s | %s | %.0f | %s |\n", b[length(b)], ($8 == "" ? "-" : $8), $5, ($6 == "NaN" ? "-" : sprintf("%.0f", $6))}'
    echo
  } >>"$MD"
fi

if section batch; then
  {
    echo "### Batch: every runner and the Spark SQL baseline"
    echo
    echo "| events | engine | median s | min–max s | events/s | peak RSS MB | heap after GC MB | results |"
    echo "|---:|---|---:|---|---:|---:|---:|---|"
  } >>"$MD"
  for n in "${SIZE_LIST[@]}"; do
    log "batch: generating $n events"
    generate "$n" "$WORK/archive-$n" >/dev/null
    for engine in "${ENGINE_LIST[@]}"; do
      : >"$WORK/runs"
      for rep in $(seq "$REPS"); do
        log "batch: $n events, $engine, run $rep of $REPS"
        run_batch "$engine" "$WORK/archive-$n" "$WORK/out-$engine" >>"$WORK/runs"
      done
      check=$(verify "$WORK/out-$engine" "$WORK/out-$REFERENCE") || { echo "$engine results on $n events: $check" >&2; exit 1; }
      if [[ $engine == "$REFERENCE" ]]; then check="(reference)"; else check="identical to ${ENGINE_LABEL[$REFERENCE]%%,*}'s"; fi
      t=$(awk '{print $1}' "$WORK/runs" | median)
      row=$(awk -v t="$t" '$1 == t {print; exit}' "$WORK/runs")
      read -r _ rss heap <<<"$row"
      printf '| %s | %s | %s | %s–%s | %s | %s | %s | %s |\n' "$(thousands "$n")" "${ENGINE_LABEL[$engine]}" "$t" \
        "$(awk '{print $1}' "$WORK/runs" | minimum)" "$(awk '{print $1}' "$WORK/runs" | maximum)" \
        "$(thousands "$(awk -v n="$n" -v t="$t" 'BEGIN {print n / t}')")" "$rss" "$heap" "$check" >>"$MD"
      if [[ $engine == sparksql ]]; then
        # Warm: one JVM runs the job 1 + REPS times; the first run warms the session and the JIT.
        log "batch: $n events, sparksql warm, $((REPS + 1)) runs in one JVM"
        rm -rf "$WORK/out-warm"
        /usr/bin/time -f "%M" -o "$WORK/time" java $SPARK_OPENS -cp "$BENCH_CP" io.pinpipe.bench.sparksql.SparkSqlBaseline \
          --input="$WORK/archive-$n" --output="$WORK/out-warm" --master="local[2]" --repeat=$((REPS + 1)) >"$WORK/warm.txt" 2>"$WORK/warm.log" \
          || { tail -20 "$WORK/warm.log" >&2; exit 1; }
        check=$(verify "$WORK/out-warm" "$WORK/out-$REFERENCE") || { echo "sparksql warm results on $n events: $check" >&2; exit 1; }
        sed -n 's/^spark-sql run \([0-9]*\): \([0-9.]*\) s$/\1 \2/p' "$WORK/warm.txt" | awk '$1 > 1 {print $2}' >"$WORK/warm-runs"
        t=$(median <"$WORK/warm-runs")
        printf '| %s | %s | %s | %s–%s | %s | %s | - | %s |\n' "$(thousands "$n")" "${ENGINE_LABEL[sparksql]}, warm (in-JVM runs after one)" "$t" \
          "$(minimum <"$WORK/warm-runs")" "$(maximum <"$WORK/warm-runs")" "$(thousands "$(awk -v n="$n" -v t="$t" 'BEGIN {print n / t}')")" \
          "$(( $(cat "$WORK/time") / 1024 ))" "identical to ${ENGINE_LABEL[$REFERENCE]%%,*}'s (last run)" >>"$MD"
      fi
    done
    rm -rf "$WORK/archive-$n" "$WORK"/out-*
  done
  echo >>"$MD"
fi

if section big; then
  log "big: generating $BIG events"
  generate "$BIG" "$WORK/archive-big" >/dev/null
  {
    echo "### Batch on $(thousands "$BIG") events, ${ENGINE_LABEL[${BIG_ENGINE:-flink}]}, 8 GB heap"
    echo
    echo "| events | engine | median s | min–max s | events/s | peak RSS MB | heap after GC MB |"
    echo "|---:|---|---:|---|---:|---:|---:|"
  } >>"$MD"
  : >"$WORK/runs"
  for rep in $(seq "$REPS"); do
    log "big: run $rep of $REPS"
    run_batch "${BIG_ENGINE:-flink}" "$WORK/archive-big" "$WORK/out-big" -Xmx8g >>"$WORK/runs"
  done
  [[ $(ls "$(results_of "$WORK/out-big")" | wc -l) -eq 9 ]] || { echo "big run: result files missing" >&2; exit 1; }
  t=$(awk '{print $1}' "$WORK/runs" | median)
  read -r _ rss heap <<<"$(awk -v t="$t" '$1 == t {print; exit}' "$WORK/runs")"
  printf '| %s | %s | %s | %s–%s | %s | %s | %s |\n\n' "$(thousands "$BIG")" "${ENGINE_LABEL[${BIG_ENGINE:-flink}]}, -Xmx8g" "$t" \
    "$(awk '{print $1}' "$WORK/runs" | minimum)" "$(awk '{print $1}' "$WORK/runs" | maximum)" \
    "$(thousands "$(awk -v n="$BIG" -v t="$t" 'BEGIN {print n / t}')")" "$rss" "$heap" >>"$MD"
  rm -rf "$WORK/archive-big" "$WORK/out-big"
fi

if section streaming; then
  log "streaming"
  # Catch-up at two backlog sizes: the slope between them is the sustained rate, free of the fixed
  # cost of starting and stopping a job; the larger run is followed by the live measurement.
  if $SMOKE; then small=1000; large=2000; rate=20; live=10; warmup=10; else small=100000; large=400000; rate=1000; live=60; warmup=60; fi
  # The job's default tables, Iceberg (a pin is in the table when the snapshot adding it commits,
  # every --commitSeconds), or with TABLE_FORMAT=parquet plain files (when its pane's file is written).
  STREAM_OPTS="${STREAMING_OPTS:-}"
  STREAM_TABLES="Iceberg, the job's default (a pin counts once the snapshot adding it is committed, every 10 s)"
  if [[ ${TABLE_FORMAT:-iceberg} == parquet ]]; then
    STREAM_OPTS+=" --tableFormat=parquet"
    STREAM_TABLES="plain Parquet files (TABLE_FORMAT=parquet; a pin counts once its pane's file is written)"
  fi
  {
    echo "### Streaming on FlinkRunner through Kafka"
    echo
    echo "\`STREAMING_RUNNER=flink bench/streaming-kafka.sh BACKLOG RATE SECONDS $REPS $warmup\`. Catch-up: a bounded streaming job reads a"
    echo "backlog already in Kafka (10 s windows), JVM start to exit, at $(thousands $small) and $(thousands $large) events; the sustained"
    echo "rate is the slope between the two medians. Live: a running job (10 s windows, 5 s assembly wait) is first fed"
    echo "$(thousands $rate) events/s for $warmup s (start-up and JIT, not measured) until all of it is in the table; then \`post\` sends"
    echo "$(thousands $rate) events/s for $live s, $REPS times, each once the last is in the table; latency = pin in the table −"
    echo "record sent (Kafka timestamp), every pin of the run; median of the runs' p50 and p99. Tables: $STREAM_TABLES."
    echo
    echo '```'
    STREAMING_OPTS="$STREAM_OPTS" STREAMING_RUNNER=flink bench/streaming-kafka.sh "$small" 0 0 "$REPS" | tee "$WORK/stream-small.txt"
    STREAMING_OPTS="$STREAM_OPTS" STREAMING_RUNNER=flink bench/streaming-kafka.sh "$large" "$rate" "$live" "$REPS" "$warmup" | tee "$WORK/stream-large.txt"
    echo '```'
  } >>"$MD"
  t_small=$(sed -n 's/^  median \([0-9.]*\) s.*/\1/p' "$WORK/stream-small.txt")
  t_large=$(sed -n 's/^  median \([0-9.]*\) s.*/\1/p' "$WORK/stream-large.txt")
  awk -v a="$small" -v b="$large" -v ta="$t_small" -v tb="$t_large" 'BEGIN {
    if (tb > ta) printf "\nSustained catch-up rate: (%d − %d) events / (%.1f − %.1f) s = **%.0f events/s**.\n\n", b, a, tb, ta, (b - a) / (tb - ta);
    else printf "\nSustained catch-up rate: not measurable (the larger backlog was not slower).\n\n" }' >>"$MD"
fi

# ---------------------------------------------------------------------------------------------
# Replace what lies between the markers in $OUT (or write a new file with just the block).
BEGIN_MARK="<!-- bench/run.sh block $BLOCK: begin (generated; edit outside these markers) -->"
END_MARK="<!-- bench/run.sh block $BLOCK: end -->"
python3 - "$OUT" "$MD" "$BEGIN_MARK" "$END_MARK" <<'EOF'
import os, sys
out, block, begin, end = sys.argv[1:]
text = open(out).read() if os.path.exists(out) else ""
generated = begin + "\n\n" + open(block).read().rstrip() + "\n\n" + end
if begin in text and end in text:
    text = text[: text.index(begin)] + generated + text[text.index(end) + len(end):]
else:
    text = (text.rstrip() + "\n\n" if text else "") + generated + "\n"
open(out, "w").write(text)
EOF
log "wrote $OUT"
