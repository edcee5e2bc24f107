# Sourced by the bench scripts: where a batch output's files are.
#
# results_of OUTPUT: the folder of the nine result CSVs. The batch job's are in the run that
# OUTPUT/_pinpipe.json names, the only run readers may use (docs/design.md#outputs); outputs
# without a manifest (the Spark SQL and DuckDB baselines, builds from before manifests) hold
# OUTPUT/results themselves.
results_of() {
  if [[ -f $1/_pinpipe.json ]]; then
    local run
    run=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["committed_run"])' "$1/_pinpipe.json") \
      || { echo "$1/_pinpipe.json names no committed run" >&2; return 1; }
    [[ -f $1/$run/_SUCCESS ]] || { echo "$1/$run has no _SUCCESS" >&2; return 1; }
    echo "$1/$run/results"
  else
    echo "$1/results"
  fi
}
