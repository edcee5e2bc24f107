"""Daily Airflow 2 DAG: the project's ``batch`` job on Spark, one run per ingestion day.

What it runs
    Task ``batch`` calls ``spark-submit`` on the cluster jar
    (``pinterest-pipelines-spark.jar``) with main class
    ``io.pinpipe.pipelines.PipelinesMain`` and job ``batch --runner=SparkRunner``
    over the raw archive of a single day, writing the results to
    ``<pinpipe_output>/date=<day>``.  With ``pinpipe_table_format=iceberg`` the
    cleaned tables are committed to the Iceberg tables of ``pinpipe_warehouse``
    instead (the project's docs/iceberg.md), and task ``iceberg_maintain``,
    after ``batch``, runs the jar's ``iceberg-maintain``: compact the day's
    small files, expire snapshots older than ``pinpipe_expire_after``
    (keeping the newest), remove orphan files older than ``pinpipe_orphan_age``.
    It runs through ``spark-submit --deploy-mode client`` (no Spark job: the
    jar's main runs on the worker, which must reach the warehouse), so the jar
    may be a URL as for ``batch``.  With Parquet tables it does nothing.

Where a day's results are
    The job writes each run into its own folder and commits it by replacing
    one small file, ``<pinpipe_output>/date=<day>/_pinpipe.json``, whose
    ``committed_run`` names that folder (``runs/run-000001``); the folder
    holds ``results/``, ``tables/``, ``dead-letter/``, ``summary.json``,
    ``report.html`` and ``_SUCCESS``.  Downstream tasks read only the run the
    manifest names: a killed or failed attempt never changes it, so they see
    the previous complete output or the new one, never a part (the project's
    docs/design.md#outputs).  Waiting for a day: wait for the manifest,
    then read ``<day folder>/<committed_run>/``.

What the task log shows
    The job's own output, line by line as it comes (spark-submit's, and in
    client deploy mode the job's progress lines and closing summary), then the
    committed run's counts read from its ``summary.json`` (records read,
    cleaned, dead-lettered, duplicates and conflicts per kind, rows per
    result; with Iceberg tables each table's current snapshot and rows, read
    from a local Hadoop catalog's metadata, or the snapshots the run committed), which are there in cluster deploy mode too, where the job's own
    output stays in the driver's log.  The summary is read from a local or
    mounted output directly and from ``s3://`` with boto3 when the worker has
    it (Amazon's Airflow provider brings it), using ``--endpoint`` and
    ``--s3PathStyleAccess`` of ``pinpipe_extra_args``; otherwise the log says
    where the summary is.

Which day
    Airflow's data-interval semantics: the run for the interval [D, D+1) is
    started after D has ended, so it processes day D, the run's
    ``data_interval_start`` converted to UTC and formatted YYYY-MM-DD (the
    archive is partitioned by UTC day).  ``catchup=False``: turning the DAG on
    does not backfill every day since ``start_date``; use ``airflow dags
    backfill`` for that on purpose.

Airflow Variables (read when the task runs, not when the scheduler parses this
file, so changing one needs no redeploy and parsing never touches the
metadata database)

    ============================  ===============  ============================================
    Variable                      Default          Meaning
    ============================  ===============  ============================================
    ``pinpipe_spark_submit``      ``spark-submit`` spark-submit executable (name or path)
    ``pinpipe_master``            ``yarn``         ``--master``: yarn, spark://host:7077, k8s://https://...
    ``pinpipe_deploy_mode``       ``cluster``      ``--deploy-mode``: cluster or client
    ``pinpipe_jar``               (required)       path or URL of pinterest-pipelines-spark.jar
    ``pinpipe_input``             (required)       raw archive root, e.g. s3://bucket/raw
    ``pinpipe_output``            (required)       output root; the day goes to <output>/date=<day>
    ``pinpipe_topic_prefix``      ``pinterest``    ``--topicPrefix`` of the archived topics
    ``pinpipe_extra_args``        (empty)          extra job options separated by whitespace,
                                                   e.g. ``--endpoint=... --s3PathStyleAccess=true``
    ``pinpipe_executor_memory``   ``4g``           ``--executor-memory``
    ``pinpipe_table_format``      ``parquet``      ``--tableFormat``: parquet or iceberg (passed
                                                   either way: the job's default is iceberg, which
                                                   needs a warehouse the days share)
    ``pinpipe_warehouse``         (empty)          ``--warehouse``, required with iceberg
    ``pinpipe_catalog_uri``       (empty)          ``--catalogUri`` (a JDBC catalog); empty:
                                                   the Hadoop catalog in the warehouse
    ``pinpipe_expire_after``      ``7d``           iceberg-maintain's ``--expireOlderThan``
    ``pinpipe_orphan_age``        ``3d``           iceberg-maintain's ``--orphanOlderThan``
    ============================  ===============  ============================================

    A missing (or blank) required Variable fails the task with a message naming
    it.  This file holds no hosts and no credentials: AWS credentials come from
    the cluster's default provider chain (instance profile, IRSA, environment).

Install
    Copy this file into the DAGs folder of the Airflow deployment (the
    ``[core] dags_folder`` setting, often ``$AIRFLOW_HOME/dags``), set the three
    required Variables, e.g.::

        airflow variables set pinpipe_jar s3://bucket/jars/pinterest-pipelines-spark.jar
        airflow variables set pinpipe_input s3://bucket/raw
        airflow variables set pinpipe_output s3://bucket/batch

    and make sure ``spark-submit`` is on the worker's PATH (or set
    ``pinpipe_spark_submit``).  Needs Airflow 2.4 or later (the ``schedule``
    argument) and nothing beyond Airflow core: no provider packages.

Tested without Airflow by pipelines/src/test/airflow (stand-in ``airflow``
modules, stdlib unittest), run by ``mvn test`` through AirflowDagTest.
"""

from __future__ import annotations  # list[str] on Pythons older than 3.9

import json
import os
import logging
import subprocess
from datetime import datetime, timedelta, timezone

from airflow import DAG
from airflow.models import Variable
from airflow.operators.python import PythonOperator

log = logging.getLogger(__name__)

MAIN_CLASS = "io.pinpipe.pipelines.PipelinesMain"

# Spark 3.5 on Java 17 reflects into JDK internals; without these opens the
# driver and executors fail with InaccessibleObjectException.  One
# space-separated string, as extraJavaOptions takes it.
JAVA_17_FLAGS = " ".join(
    "--add-opens=java.base/" + package + "=ALL-UNNAMED"
    for package in (
        "java.lang",
        "java.lang.invoke",
        "java.lang.reflect",
        "java.io",
        "java.net",
        "java.nio",
        "java.util",
        "java.util.concurrent",
        "java.util.concurrent.atomic",
        "sun.nio.ch",
        "sun.nio.cs",
        "sun.security.action",
        "sun.util.calendar",
    )
)

# Variable name -> default; None marks a required Variable.
VARIABLES = {
    "pinpipe_spark_submit": "spark-submit",
    "pinpipe_master": "yarn",
    "pinpipe_deploy_mode": "cluster",
    "pinpipe_jar": None,
    "pinpipe_input": None,
    "pinpipe_output": None,
    "pinpipe_topic_prefix": "pinterest",
    "pinpipe_extra_args": "",
    "pinpipe_executor_memory": "4g",
    "pinpipe_table_format": "parquet",
    "pinpipe_warehouse": "",
    "pinpipe_catalog_uri": "",
    "pinpipe_expire_after": "7d",
    "pinpipe_orphan_age": "3d",
}

TABLE_FORMATS = ("parquet", "iceberg")


def batch_command(day: str, settings: dict) -> list[str]:
    """The spark-submit argv for the batch job over ``day`` (YYYY-MM-DD).

    Pure: ``settings`` maps every name of VARIABLES to its value; no Airflow,
    no I/O, so the exact command is testable.
    """
    # A trailing slash on the root would give ".../out//date=...", a different
    # key on S3.
    output = settings["pinpipe_output"].rstrip("/")
    return [
        *_submit(settings, settings["pinpipe_deploy_mode"]),
        "batch",
        "--runner=SparkRunner",
        "--input=" + settings["pinpipe_input"],
        "--output=" + output + "/date=" + day,
        "--topicPrefix=" + settings["pinpipe_topic_prefix"],
        "--date=" + day,
        # A failed attempt commits nothing; a retry or a rerun of the day then
        # commits a new run in place of the day's earlier one, which the job
        # refuses to replace without --overwrite.
        "--overwrite",
        *_iceberg_args(settings, "tableFormat"),
        *settings["pinpipe_extra_args"].split(),
    ]


def maintain_command(day: str, settings: dict) -> list[str]:
    """The spark-submit argv for ``iceberg-maintain`` after the batch of ``day``; pure.

    Client deploy mode: the jar's main runs here and starts no Spark job (in
    YARN's cluster mode the application master would wait for one in vain).
    """
    return [
        *_submit(settings, "client"),
        "iceberg-maintain",
        *_iceberg_args(settings, None),
        *_s3_args(settings),
        "--compactDate=" + day,
        "--expireOlderThan=" + settings["pinpipe_expire_after"],
        "--orphanOlderThan=" + settings["pinpipe_orphan_age"],
    ]


def _s3_args(settings: dict) -> list[str]:
    """For a warehouse on s3://, the S3 options of ``pinpipe_extra_args`` that
    iceberg-maintain takes too (endpoint, region, addressing); none otherwise."""
    if not settings["pinpipe_warehouse"].startswith("s3://"):
        return []
    return [arg for arg in settings["pinpipe_extra_args"].split()
            if arg.split("=", 1)[0] in ("--endpoint", "--awsRegion", "--s3PathStyleAccess")]


def _submit(settings: dict, deploy_mode: str) -> list[str]:
    """spark-submit up to and including the jar."""
    return [
        settings["pinpipe_spark_submit"],
        "--master", settings["pinpipe_master"],
        "--deploy-mode", deploy_mode,
        "--class", MAIN_CLASS,
        "--conf", "spark.driver.extraJavaOptions=" + JAVA_17_FLAGS,
        "--conf", "spark.executor.extraJavaOptions=" + JAVA_17_FLAGS,
        "--executor-memory", settings["pinpipe_executor_memory"],
        settings["pinpipe_jar"],
    ]


def _iceberg_args(settings: dict, format_option: str | None) -> list[str]:
    """The Iceberg tables' options (with Parquet tables only the format, if named: the job's own
    default is iceberg); the format itself if named."""
    if settings["pinpipe_table_format"] != "iceberg":
        return ["--" + format_option + "=parquet"] if format_option else []
    args = ["--" + format_option + "=iceberg"] if format_option else []
    args.append("--warehouse=" + settings["pinpipe_warehouse"])
    if settings["pinpipe_catalog_uri"]:
        args.append("--catalogUri=" + settings["pinpipe_catalog_uri"])
    return args


def read_settings() -> dict:
    """All VARIABLES from Airflow, defaults applied; fails naming a missing required one."""
    settings = {}
    for name, default in VARIABLES.items():
        value = Variable.get(name, default_var=default)
        if default is None and (value is None or not str(value).strip()):
            raise ValueError(
                f"Airflow Variable {name} is required and not set; "
                f"set it with: airflow variables set {name} <value>"
            )
        settings[name] = str(value).strip() if value is not None else ""
    if settings["pinpipe_table_format"] not in TABLE_FORMATS:
        raise ValueError(
            f"Airflow Variable pinpipe_table_format must be one of {', '.join(TABLE_FORMATS)}, "
            f"got {settings['pinpipe_table_format']!r}"
        )
    if settings["pinpipe_table_format"] == "iceberg" and not settings["pinpipe_warehouse"]:
        raise ValueError(
            "Airflow Variable pinpipe_warehouse is required with pinpipe_table_format=iceberg; "
            "set it with: airflow variables set pinpipe_warehouse <folder>"
        )
    return settings


def ingestion_day(data_interval_start: datetime) -> str:
    """The UTC day (YYYY-MM-DD) the run's data interval starts on."""
    if data_interval_start.tzinfo is None:
        # Airflow always passes an aware datetime; a naive one would be read
        # in the worker's local zone and could pick the wrong day.
        raise ValueError(f"data_interval_start has no time zone: {data_interval_start!r}")
    return data_interval_start.astimezone(timezone.utc).strftime("%Y-%m-%d")


def run_logged(argv: list[str]) -> None:
    """Runs ``argv`` (no shell), writing each line of its output into the task log as it comes.

    A child process writes to the worker's own file descriptors, which are not
    the task log: its output is read here and logged line by line instead (as
    Airflow's BashOperator does).  A non-zero exit raises CalledProcessError,
    which fails the task, so Airflow retries it.
    """
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace") as process:
        for line in process.stdout:
            log.info("%s", line.rstrip("\n"))
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, argv)


def _option(args: list[str], name: str) -> str | None:
    """The value of ``--name=value`` (or ``--name`` alone: "true") in ``args``."""
    for arg in args:
        if arg == "--" + name:
            return "true"
        if arg.startswith("--" + name + "="):
            return arg.split("=", 1)[1]
    return None


def read_output_file(url: str, extra_args: list[str]) -> bytes | None:
    """A file of the job's output: local (or file://) directly, s3:// with boto3 if installed.

    None when it cannot be read from this worker (no boto3 for s3://, another
    scheme): the caller then says where it is.
    """
    if url.startswith("s3://"):
        try:
            import boto3  # optional: Amazon's Airflow provider brings it
            from botocore.config import Config
        except ImportError:
            return None
        bucket, _, key = url[len("s3://"):].partition("/")
        path_style = (_option(extra_args, "s3PathStyleAccess") or "").lower() == "true"
        client = boto3.client(
            "s3",
            endpoint_url=_option(extra_args, "endpoint"),
            config=Config(s3={"addressing_style": "path"}) if path_style else None,
        )
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()
    if url.startswith("file://"):
        url = url[len("file://"):]
    if "://" in url:
        return None
    with open(url, "rb") as f:
        return f.read()


def summary_lines(summary: dict) -> list[str]:
    """summary.json's counts as the job's console summary shows them."""
    lines = ["  %-5s %10s %10s %11s %10s %10s" % (
        "kind", "read", "cleaned", "dead-letter", "duplicates", "conflicts")]
    for kind in ("pin", "geo", "user"):
        counts = summary.get("kinds", {}).get(kind, {})
        lines.append("  %-5s %10d %10d %11d %10d %10d" % (
            kind, counts.get("read", 0), counts.get("cleaned", 0), counts.get("dead_lettered", 0),
            counts.get("duplicates", 0), counts.get("conflicts", 0)))
    results = summary.get("results", {})
    if results:
        lines.append("  result rows: " + ", ".join(
            f"{name} {rows}" for name, rows in sorted(results.items())))
    return lines


def iceberg_lines(summary: dict, warehouse: str) -> list[str]:
    """With Iceberg tables: each table's current snapshot (id and rows), read from a local Hadoop
    catalog's metadata (its version hint names the table's current metadata file), and whether it
    is the snapshot summary.json says the run committed; elsewhere (a JDBC catalog, s3://) the
    committed snapshots only, and where to read the current ones."""
    iceberg = summary.get("iceberg")
    if not iceberg:
        return []
    lines = ["  iceberg run %s, ingestion_date %s" % (
        iceberg.get("run_id", "?"), ",".join(iceberg.get("ingestion_dates", [])))]
    for table, committed in iceberg.get("tables", {}).items():
        committed_id = committed.get("snapshot_id")
        current = _current_snapshot(warehouse, table)
        if current is None:
            lines.append(f"  {table}: committed snapshot {committed_id} (current snapshot: read the catalog)")
            continue
        snapshot_id, rows = current
        same = "the run's" if snapshot_id == committed_id else f"newer than the run's {committed_id}"
        lines.append(f"  {table}: current snapshot {snapshot_id} ({same}), {rows} rows")
    return lines


def _current_snapshot(warehouse: str, table: str):
    """(snapshot id, total rows) of a table's current snapshot in a local Hadoop catalog, or None."""
    if not warehouse or "://" in warehouse.replace("file://", ""):
        return None
    metadata = os.path.join(warehouse.replace("file://", ""), *table.split("."), "metadata")
    try:
        with open(os.path.join(metadata, "version-hint.text")) as f:
            version = f.read().strip()
        with open(os.path.join(metadata, f"v{version}.metadata.json")) as f:
            meta = json.load(f)
    except OSError:
        return None
    current = meta.get("current-snapshot-id")
    for snapshot in meta.get("snapshots", []):
        if snapshot.get("snapshot-id") == current:
            return current, int(snapshot.get("summary", {}).get("total-records", 0))
    return None


def log_committed_summary(day_output: str, extra_args: list[str], warehouse: str = "") -> None:
    """Logs the committed run's summary.json, found as downstream readers find it: _pinpipe.json."""
    manifest_url = day_output + "/_pinpipe.json"
    try:
        manifest = read_output_file(manifest_url, extra_args)
        if manifest is None:
            log.info("summary: not readable from this worker; the committed run is named by %s", manifest_url)
            return
        run = json.loads(manifest)["committed_run"]
        summary_url = f"{day_output}/{run}/summary.json"
        summary = read_output_file(summary_url, extra_args)
    except Exception as e:  # the job succeeded: a summary that cannot be shown must not fail it
        log.warning("summary: cannot read %s: %s", manifest_url, e)
        return
    if summary is None:
        log.info("summary: not readable from this worker: %s", summary_url)
        return
    log.info("summary of %s (committed run %s):", day_output, run)
    parsed = json.loads(summary)
    for line in summary_lines(parsed) + iceberg_lines(parsed, warehouse):
        log.info("%s", line)


def shown(argv: list[str]) -> list[str]:
    """``argv`` as the task log shows it: a JDBC catalog URL cut before its parameters, which may
    hold a user or password (the job itself shows it the same way)."""
    out = []
    for arg in argv:
        if arg.startswith("--catalogUri="):
            url = arg[len("--catalogUri="):]
            cut = min((i for i in (url.find("?"), url.find(";")) if i >= 0), default=-1)
            if cut >= 0:
                arg = "--catalogUri=" + url[:cut] + " (parameters not shown)"
        out.append(arg)
    return out


def run_batch(**context) -> None:
    """PythonOperator callable: runs the batch job for the run's day, then logs its summary."""
    day = ingestion_day(context["data_interval_start"])
    settings = read_settings()
    argv = batch_command(day, settings)
    log.info("batch for %s: %s", day, shown(argv))
    run_logged(argv)
    log_committed_summary(
        settings["pinpipe_output"].rstrip("/") + "/date=" + day,
        settings["pinpipe_extra_args"].split(),
        settings["pinpipe_warehouse"] if settings["pinpipe_table_format"] == "iceberg" else "")


def run_maintain(**context) -> None:
    """PythonOperator callable: the Iceberg tables' upkeep after the day's batch; nothing for Parquet."""
    day = ingestion_day(context["data_interval_start"])
    settings = read_settings()
    if settings["pinpipe_table_format"] != "iceberg":
        log.info("iceberg_maintain: the tables are Parquet files (pinpipe_table_format=%s): nothing to do",
                 settings["pinpipe_table_format"])
        return
    argv = maintain_command(day, settings)
    log.info("iceberg-maintain after the batch of %s: %s", day, shown(argv))
    run_logged(argv)


with DAG(
    dag_id="pinterest_batch_daily",
    description="Daily batch job (spark-submit) over the previous ingestion day",
    schedule="@daily",
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    # One day at a time: runs share the cluster and a manual rerun must not
    # race the scheduled one on the same output.
    max_active_runs=1,
    default_args={
        "owner": "data-eng",
        # Transient cluster or S3 errors: 10, 20, 40 minutes apart.
        "retries": 3,
        "retry_delay": timedelta(minutes=10),
        "retry_exponential_backoff": True,
        # A hung job fails (and retries) instead of blocking the next day.
        "execution_timeout": timedelta(hours=4),
    },
    tags=["pinpipe", "batch", "spark"],
) as dag:
    batch = PythonOperator(task_id="batch", python_callable=run_batch)
    # After the day's commit, never beside it: compaction and the batch's
    # overwrite of the day would conflict, and one of them would fail.
    batch >> PythonOperator(task_id="iceberg_maintain", python_callable=run_maintain)
