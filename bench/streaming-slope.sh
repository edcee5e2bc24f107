#!/usr/bin/env bash
# Sustained catch-up of the streaming job on FlinkRunner, without start-up: the SLOPE between two
# backlogs (issue 20: 1,000,000 and 4,000,000 events), for one or more jars side by side.
#   bench/streaming-slope.sh [small=1000000] [large=4000000] [rounds=3] [jar ...]
# jar: pipelines jars to compare (default: this checkout's); STREAMING_OPTS as in streaming-kafka.sh,
# for every jar; STREAMING_OPTS_<i> adds options for the i-th jar only (from 0), so one jar can be
# compared with itself, e.g. STREAMING_OPTS_0=--tableFormat=parquet STREAMING_OPTS_1=--tableFormat=iceberg
# ... jar jar (give the format to both: a jar built before streaming defaulted to Iceberg writes
# Parquet without it). A run with an explicit --tableFormat=iceberg starts from its fresh tables'
# positions (the log's start) without --startFrom=earliest, which such older jars refused with it;
# the tables are in the run's output (removed after).
# UNBOUNDED=1: time the live (unbounded) job instead of the bounded one: each run reads the backlog
# without --maxRecordsPerStream and is timed from JVM start to the newest window summary once the
# summaries count every record (3N), its CPU read from /proc at that moment; then, once no output
# file has changed for 5 s (results are written apart from summaries), it is stopped.
# Method: one local KRaft broker (Kafka 3.9.1), each backlog posted ONCE (`post`, seeds 1 and 2,
# topics sN.{pin,geo,user}, one partition each) and read by every run from the earliest offset, so
# the jars read the same records. Each round runs every jar on the small then the large backlog
# (cold JVM, bounded by --maxRecordsPerStream unless UNBOUNDED=1, 10 s windows, parallelism 2); each run is checked
# (every record read is in a window's summary: cleaned, dead-lettered or a duplicate) and its
# output removed. Per jar: medians of wall and CPU (user + system of the job's JVM, GNU time), and
#   slope events/s = (large - small) / (median wall large - median wall small)
#   slope CPU µs an event = (median CPU large - median CPU small) / (large - small)
# KEEP_RESULTS=dir: keep each run's results and summaries (not its tables) in dir/out-<jar>-<events>-<round>.
# On a shared machine the CPU figure is the comparable one (the load average is printed per run).
# Beside it, Kafka's ConsumerPerformance reads the large backlog (a cold JVM per topic). Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL="${1:-1000000}"
LARGE="${2:-4000000}"
ROUNDS="${3:-3}"
shift $(( $# > 3 ? 3 : $# ))
JARS=("$@")
[[ ${#JARS[@]} -gt 0 ]] || JARS=(pipelines/target/pinterest-pipelines.jar)
read -r -a EXTRA <<<"${STREAMING_OPTS:-}"
EMU=emulator/target/pinterest-emulator.jar
LIB=local-services/target/kafka/lib
WORK="$(mktemp -d)"
read -r PORT CONTROLLER_PORT < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
trap 'java -jar "$EMU" kafka stop --dataDir "$WORK/kafka" >/dev/null; rm -rf "$WORK"' EXIT
java -jar "$EMU" kafka start --dataDir "$WORK/kafka" --port "$PORT" --controllerPort "$CONTROLLER_PORT" --kafkaLib "$LIB" >/dev/null
BOOT="127.0.0.1:$PORT"
echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p); FlinkRunner (parallelism 2) ${STREAMING_OPTS:-}; broker: Kafka 3.9.1 KRaft on 127.0.0.1"
# The tables each jar's runs write: their --tableFormat, else the job's default, Iceberg (a jar built
# before 2026-12-07 writes Parquet files by default).
for j in "${!JARS[@]}"; do
  own="STREAMING_OPTS_$j" tables="the job's default (iceberg; parquet for a jar built before 2026-12-07)"
  for o in "${EXTRA[@]}" ${!own:-}; do [[ $o != --tableFormat=* ]] || tables=${o#--tableFormat=}; done
  echo "jar $j: ${JARS[$j]} ${!own:-}; tables: $tables"
done
echo "job: $([[ ${UNBOUNDED:-0} == 1 ]] && echo "unbounded (live), timed to the last window's summary" || echo "bounded (--maxRecordsPerStream), JVM start to exit")"
TICK=$(getconf CLK_TCK)
seed=0
for n in "$SMALL" "$LARGE"; do
  seed=$((seed + 1))
  for k in pin geo user; do
    java -cp "$LIB/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOT" --create --topic "s$n.$k" \
      --partitions 1 --replication-factor 1 >/dev/null 2>&1
  done
  t0=$(date +%s)
  java -jar "$EMU" post --bootstrapServers="$BOOT" --topicPrefix="s$n" --count="$n" --seed="$seed" 2>/dev/null | tail -1
  echo "  posted $n events in $(( $(date +%s) - t0 )) s"
done

# run JAR_INDEX EVENTS ROUND: one cold bounded run; appends "jar n wall cpu" to $WORK/results.
run() {
  local j=$1 n=$2 r=$3 out="$WORK/out-$1-$2-$3" start secs cpu check load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  start=$(date +%s.%N)
  local own="STREAMING_OPTS_$j" jar_opts start_from=--startFrom=earliest
  read -r -a jar_opts <<<"${!own:-}"
  [[ " ${EXTRA[*]} ${jar_opts[*]} " == *" --tableFormat=iceberg "* ]] && start_from=
  if [[ ${UNBOUNDED:-0} == 1 ]]; then
    java -jar "${JARS[$j]}" streaming --runner=FlinkRunner --parallelism=2 "${EXTRA[@]}" "${jar_opts[@]}" \
      --source=kafka --bootstrapServers="$BOOT" --topicPrefix="s$n" $start_from --groupId="slope-$j-$n-$r" \
      --output="$out" --windowSeconds=10 >/dev/null 2>"$out.log" &
    local job=$! last="" ticks=0
    for _ in $(seq 3600); do
      sleep 1
      last=$(python3 - "$out/summary" "$((n * 3))" <<'PY'
import glob, json, os, sys
files = glob.glob(os.path.join(sys.argv[1], "summary-*.json"))
read = sum(k["read"] for f in files for k in json.load(open(f))["kinds"].values())
print("%.3f" % max(os.path.getmtime(f) for f in files) if files and read >= int(sys.argv[2]) else "partial %d" % read)
PY
)
      [[ $last == partial* ]] || { ticks=$(awk '{print $14 + $15}' "/proc/$job/stat"); break; }
      kill -0 "$job" 2>/dev/null || break
    done
    # Not timed: the windows' result files are written by other steps than their summaries, so
    # wait until no file has changed for 5 s (at most 60 s) before stopping the job; the results'
    # digest below then covers every window, as a bounded run's does.
    local quiet=0 before="" now
    for _ in $(seq 60); do
      # A file renamed while find reads makes it exit 1: not an error here.
      now=$( (find "$out" -path "$out/tables" -prune -o -type f -printf '%p %T@\n' 2>/dev/null || true) | sort | sha256sum)
      [[ $now == "$before" ]] && quiet=$((quiet + 1)) || quiet=0
      [[ $quiet -ge 5 ]] && break
      before=$now; sleep 1
    done
    [[ $quiet -ge 5 ]] || echo "  warning: output files still changing 60 s after the timed point; results digest may miss some"
    kill "$job" 2>/dev/null || true; wait "$job" 2>/dev/null || true
    if [[ $last == partial* || -z $last ]]; then echo "  FAILED: ${JARS[$j]} $n ($last)"; tail -5 "$out.log"; last=$(date +%s.%N); fi
    secs=$(echo "$last - $start" | bc)
    cpu=$(echo "$ticks / $TICK" | bc -l)
  else
    /usr/bin/time -f "%U %S" -o "$out.cpu" java -jar "${JARS[$j]}" streaming --runner=FlinkRunner --parallelism=2 "${EXTRA[@]}" "${jar_opts[@]}" \
      --source=kafka --bootstrapServers="$BOOT" --topicPrefix="s$n" $start_from --groupId="slope-$j-$n-$r" \
      --output="$out" --windowSeconds=10 --maxRecordsPerStream="$n" >/dev/null 2>"$out.log" || { echo "  FAILED: ${JARS[$j]} $n"; tail -5 "$out.log"; }
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    cpu=$(awk '{print $1 + $2}' "$out.cpu")
  fi
  check=$(python3 - "$out/summary" "$((n * 3))" <<'PY'
import glob, json, os, sys
kinds = [k for f in glob.glob(os.path.join(sys.argv[1], "summary-*.json")) for k in json.load(open(f))["kinds"].values()]
read = sum(k["read"] for k in kinds)
out = sum(k["cleaned"] + k["dead_lettered"] + k["duplicates"] for k in kinds)
print("checked: %d read = cleaned + dead-lettered + duplicates" % read if read == out == int(sys.argv[2])
      else "RESULTS WRONG: %d read, %d accounted, %s expected" % (read, out, sys.argv[2]))
PY
)
  # The results themselves, for comparing jars: a digest of every window's CSVs and summaries.
  digest=$(cd "$out" && find . -path ./tables -prune -o -type f \( -name '*.csv' -o -name 'summary-*.json' \) -print | sort | xargs cat | sha256sum | cut -c1-12)
  printf "  round %d, jar %d, %d events: %.1f s wall, %.1f s CPU; load before %s; %s; results %s\n" \
    "$r" "$j" "$n" "$secs" "$cpu" "$load" "$check" "$digest"
  echo "$j $n $secs $cpu" >>"$WORK/results"
  [[ -z ${KEEP_RESULTS:-} ]] || { mkdir -p "$KEEP_RESULTS"; cp -r "$out" "$KEEP_RESULTS/"; rm -rf "$KEEP_RESULTS/$(basename "$out")/tables"; }
  rm -rf "$out"
}

for r in $(seq "$ROUNDS"); do
  for j in "${!JARS[@]}"; do
    run "$j" "$SMALL" "$r"
    run "$j" "$LARGE" "$r"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
for j in "${!JARS[@]}"; do
  ws=$(awk -v j="$j" -v n="$SMALL" '$1 == j && $2 == n {print $3}' "$WORK/results" | median)
  wl=$(awk -v j="$j" -v n="$LARGE" '$1 == j && $2 == n {print $3}' "$WORK/results" | median)
  cs=$(awk -v j="$j" -v n="$SMALL" '$1 == j && $2 == n {print $4}' "$WORK/results" | median)
  cl=$(awk -v j="$j" -v n="$LARGE" '$1 == j && $2 == n {print $4}' "$WORK/results" | median)
  own="STREAMING_OPTS_$j"
  printf "jar %d (%s %s): medians %d events %.1f s wall %.1f s CPU, %d events %.1f s wall %.1f s CPU;\n  slope %.0f events/s (wall), %.1f µs CPU an event (= %.0f events/s on 2 cores)\n" \
    "$j" "${JARS[$j]}" "${!own:-}" "$SMALL" "$ws" "$cs" "$LARGE" "$wl" "$cl" \
    "$(echo "($LARGE - $SMALL) / ($wl - $ws)" | bc -l)" "$(echo "($cl - $cs) * 1000000 / ($LARGE - $SMALL)" | bc -l)" \
    "$(echo "2 * ($LARGE - $SMALL) / ($cl - $cs)" | bc -l)"
done

cp_ms=0
for k in pin geo user; do
  t0=$(date +%s%3N)
  java -cp "$LIB/*" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOT" --topic "s$LARGE.$k" \
    --messages "$LARGE" --timeout 60000 --hide-header >/dev/null 2>&1
  cp_ms=$(( cp_ms + $(date +%s%3N) - t0 ))
done
printf "Kafka's ConsumerPerformance on the %d-event backlog: %.1f s for the three topics = %.0f events/s (cold JVM per topic)\n" \
  "$LARGE" "$(echo "$cp_ms / 1000" | bc -l)" "$(echo "$LARGE * 1000 / $cp_ms" | bc -l)"
