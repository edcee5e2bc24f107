"""Daily Airflow 2 DAG: the project's ``batch`` job on Spark, one run per ingestion day.

What it runs
    One task, ``batch``, which calls ``spark-submit`` on the cluster jar
    (``pinterest-pipelines-spark.jar``) with main class
    ``io.pinpipe.pipelines.PipelinesMain`` and job ``batch --runner=SparkRunner``
    over the raw archive of a single day, writing the results to
    ``<pinpipe_output>/date=<day>``.

Where a day's results are
    The job writes each run into its own folder and commits it by replacing
    one small file, ``<pinpipe_output>/date=<day>/_pinpipe.json``, whose
    ``committed_run`` names that folder (``runs/run-000001``); the folder
    holds ``results/``, ``tables/``, ``dead-letter/``, ``summary.json``,
    ``report.html`` and ``_SUCCESS``.  Downstream tasks read only the run the
    manifest names: a killed or failed attempt never changes it, so they see
    the previous complete output or the new one, never a part (the project's
    docs/design.md, "Outputs").  Waiting for a day: wait for the manifest,
    then read ``<day folder>/<committed_run>/``.

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
}


def batch_command(day: str, settings: dict) -> list[str]:
    """The spark-submit argv for the batch job over ``day`` (YYYY-MM-DD).

    Pure: ``settings`` maps every name of VARIABLES to its value; no Airflow,
    no I/O, so the exact command is testable.
    """
    # A trailing slash on the root would give ".../out//date=...", a different
    # key on S3.
    output = settings["pinpipe_output"].rstrip("/")
    return [
        settings["pinpipe_spark_submit"],
        "--master", settings["pinpipe_master"],
        "--deploy-mode", settings["pinpipe_deploy_mode"],
        "--class", MAIN_CLASS,
        "--conf", "spark.driver.extraJavaOptions=" + JAVA_17_FLAGS,
        "--conf", "spark.executor.extraJavaOptions=" + JAVA_17_FLAGS,
        "--executor-memory", settings["pinpipe_executor_memory"],
        settings["pinpipe_jar"],
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
        *settings["pinpipe_extra_args"].split(),
    ]


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
    return settings


def ingestion_day(data_interval_start: datetime) -> str:
    """The UTC day (YYYY-MM-DD) the run's data interval starts on."""
    if data_interval_start.tzinfo is None:
        # Airflow always passes an aware datetime; a naive one would be read
        # in the worker's local zone and could pick the wrong day.
        raise ValueError(f"data_interval_start has no time zone: {data_interval_start!r}")
    return data_interval_start.astimezone(timezone.utc).strftime("%Y-%m-%d")


def run_batch(**context) -> None:
    """PythonOperator callable: builds the command for the run's day and runs it (no shell)."""
    day = ingestion_day(context["data_interval_start"])
    argv = batch_command(day, read_settings())
    log.info("batch for %s: %s", day, argv)
    # check=True: a non-zero exit of spark-submit fails the task, so Airflow retries it.
    subprocess.run(argv, check=True)


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
    PythonOperator(task_id="batch", python_callable=run_batch)
