"""Tests of pipelines/src/main/airflow/pinterest_batch_daily.py without Airflow.

Airflow is not installable here, so the DAG is imported with the stand-in
``airflow`` package of ./stand_ins first on sys.path (DAG, Variable,
PythonOperator only).  Run from the pipelines module directory:

    python3 -m unittest discover -s src/test/airflow -p 'test_*.py' -v

(mvn test runs it through io.pinpipe.pipelines.schedule.AirflowDagTest).
"""

import importlib.util
import json
import os
import py_compile
import subprocess
import sys
import tempfile
import unittest
from datetime import datetime, timedelta, timezone
from unittest import mock

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

HERE = os.path.dirname(os.path.abspath(__file__))
STAND_INS = os.path.join(HERE, "stand_ins")
DAG_FILE = os.path.normpath(
    os.path.join(HERE, "..", "..", "main", "airflow", "pinterest_batch_daily.py"))

FLAGS = (
    "--add-opens=java.base/java.lang=ALL-UNNAMED"
    " --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
    " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
    " --add-opens=java.base/java.io=ALL-UNNAMED"
    " --add-opens=java.base/java.net=ALL-UNNAMED"
    " --add-opens=java.base/java.nio=ALL-UNNAMED"
    " --add-opens=java.base/java.util=ALL-UNNAMED"
    " --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
    " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
    " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
    " --add-opens=java.base/sun.nio.cs=ALL-UNNAMED"
    " --add-opens=java.base/sun.security.action=ALL-UNNAMED"
    " --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
)

ALL_SET = {
    "pinpipe_spark_submit": "/opt/spark/bin/spark-submit",
    "pinpipe_master": "spark://spark-master:7077",
    "pinpipe_deploy_mode": "client",
    "pinpipe_jar": "s3://test-bucket/jars/pinterest-pipelines-spark.jar",
    "pinpipe_input": "s3://test-bucket/raw",
    "pinpipe_output": "s3://test-bucket/batch",
    "pinpipe_topic_prefix": "testprefix",
    "pinpipe_extra_args": "  --endpoint=http://minio:9000\t--s3PathStyleAccess=true\n",
    "pinpipe_executor_memory": "8g",
}

REQUIRED_ONLY = {
    "pinpipe_jar": "/jars/pinterest-pipelines-spark.jar",
    "pinpipe_input": "s3://test-bucket/raw",
    "pinpipe_output": "s3://test-bucket/batch",
}


def load_dag_module():
    """Imports the DAG file afresh with the stand-in airflow package, as the scheduler would parse it."""
    for name in [m for m in sys.modules if m == "airflow" or m.startswith("airflow.")]:
        del sys.modules[name]
    if sys.path[:1] != [STAND_INS]:
        sys.path.insert(0, STAND_INS)
    import airflow
    assert os.path.dirname(os.path.dirname(airflow.__file__)) == STAND_INS, airflow.__file__
    spec = importlib.util.spec_from_file_location("pinterest_batch_daily", DAG_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class PinterestBatchDailyTest(unittest.TestCase):
    def setUp(self):
        self.module = load_dag_module()
        self.variables = self.module.Variable
        self.parse_time_reads = list(self.variables.reads)
        self.task = self.module.dag.task_dict["batch"]

    def run_task(self, variables, data_interval_start):
        """Calls the task's callable as Airflow would; returns the mocked run_logged."""
        self.variables.reset(variables)
        context = {"data_interval_start": data_interval_start,
                   "data_interval_end": data_interval_start + timedelta(days=1)}
        with mock.patch.object(self.module, "run_logged") as run, \
                mock.patch.object(self.module, "log_committed_summary"):
            self.task.python_callable(**context)
        return run

    def test_dag_file_byte_compiles(self):
        with tempfile.TemporaryDirectory() as tmp:
            py_compile.compile(DAG_FILE, cfile=os.path.join(tmp, "dag.pyc"), doraise=True)

    def test_dag_structure_and_no_variables_read_at_parse_time(self):
        dag = self.module.dag
        self.assertEqual(dag.dag_id, "pinterest_batch_daily")
        self.assertEqual(dag.schedule, "@daily")
        self.assertIs(dag.catchup, False)
        self.assertEqual(dag.start_date, datetime(2026, 1, 1, tzinfo=timezone.utc))
        self.assertEqual(dag.max_active_runs, 1)
        self.assertEqual([t.task_id for t in dag.tasks], ["batch", "iceberg_maintain"])
        self.assertEqual(dag.task_dict["iceberg_maintain"].upstream_task_ids, {"batch"})
        self.assertEqual(self.task.upstream_task_ids, set())
        self.assertEqual(self.task.retries, 3)
        self.assertEqual(self.task.retry_delay, timedelta(minutes=10))
        self.assertIs(self.task.retry_exponential_backoff, True)
        self.assertIsInstance(self.task.execution_timeout, timedelta)
        self.assertEqual(self.task.owner, "data-eng")
        self.assertEqual(self.parse_time_reads, [],
                         "Variables must be read when the task runs, not when the DAG is parsed")

    def test_run_submits_the_full_command_for_the_interval_start_day(self):
        run = self.run_task(ALL_SET, datetime(2026, 11, 23, tzinfo=timezone.utc))
        run.assert_called_once_with([
            "/opt/spark/bin/spark-submit",
            "--master", "spark://spark-master:7077",
            "--deploy-mode", "client",
            "--class", "io.pinpipe.pipelines.PipelinesMain",
            "--conf", "spark.driver.extraJavaOptions=" + FLAGS,
            "--conf", "spark.executor.extraJavaOptions=" + FLAGS,
            "--executor-memory", "8g",
            "s3://test-bucket/jars/pinterest-pipelines-spark.jar",
            "batch",
            "--runner=SparkRunner",
            "--input=s3://test-bucket/raw",
            "--output=s3://test-bucket/batch/date=2026-11-23",
            "--topicPrefix=testprefix",
            "--date=2026-11-23",
            "--overwrite",
            "--tableFormat=parquet",
            "--endpoint=http://minio:9000",
            "--s3PathStyleAccess=true",
        ])

    def test_defaults_apply_when_optional_variables_are_unset(self):
        run = self.run_task(REQUIRED_ONLY, datetime(2026, 11, 23, tzinfo=timezone.utc))
        run.assert_called_once_with([
            "spark-submit",
            "--master", "yarn",
            "--deploy-mode", "cluster",
            "--class", "io.pinpipe.pipelines.PipelinesMain",
            "--conf", "spark.driver.extraJavaOptions=" + FLAGS,
            "--conf", "spark.executor.extraJavaOptions=" + FLAGS,
            "--executor-memory", "4g",
            "/jars/pinterest-pipelines-spark.jar",
            "batch",
            "--runner=SparkRunner",
            "--input=s3://test-bucket/raw",
            "--output=s3://test-bucket/batch/date=2026-11-23",
            "--topicPrefix=pinterest",
            "--date=2026-11-23",
            "--overwrite",
            "--tableFormat=parquet",
        ])

    def test_missing_required_variable_fails_naming_it_and_runs_nothing(self):
        for name in sorted(REQUIRED_ONLY):
            for variables in ({k: v for k, v in REQUIRED_ONLY.items() if k != name},
                              {**REQUIRED_ONLY, name: "  "}):
                with self.subTest(variable=name, blank=name in variables):
                    self.variables.reset(variables)
                    with mock.patch.object(self.module, "run_logged") as run:
                        with self.assertRaises(Exception) as raised:
                            self.task.python_callable(
                                data_interval_start=datetime(2026, 11, 23, tzinfo=timezone.utc))
                    self.assertIn(name, str(raised.exception))
                    for other in set(REQUIRED_ONLY) - {name}:
                        self.assertNotIn(other, str(raised.exception))
                    run.assert_not_called()

    def test_non_utc_interval_start_gives_the_utc_day(self):
        new_york = timezone(timedelta(hours=-5))
        run = self.run_task(REQUIRED_ONLY, datetime(2026, 11, 23, 23, 30, tzinfo=new_york))
        argv = run.call_args.args[0]
        self.assertIn("--date=2026-11-24", argv)
        self.assertIn("--output=s3://test-bucket/batch/date=2026-11-24", argv)
        self.assertNotIn("--date=2026-11-23", argv)

    def test_batch_command_is_pure_and_output_root_slash_is_not_doubled(self):
        settings = {**self.module.VARIABLES, **REQUIRED_ONLY,
                    "pinpipe_output": "s3://test-bucket/batch/"}
        argv = self.module.batch_command("2026-11-23", settings)
        self.assertEqual(argv, self.module.batch_command("2026-11-23", dict(settings)))
        self.assertIn("--output=s3://test-bucket/batch/date=2026-11-23", argv)
        self.assertEqual(self.variables.reads, self.parse_time_reads)


ICEBERG = {**REQUIRED_ONLY, "pinpipe_table_format": "iceberg", "pinpipe_warehouse": "/lake/warehouse"}


class IcebergMaintainTaskTest(unittest.TestCase):
    """With Iceberg tables, batch commits to the warehouse and iceberg_maintain keeps the tables up."""

    def setUp(self):
        self.module = load_dag_module()
        self.variables = self.module.Variable

    def call(self, task_id, variables):
        self.variables.reset(variables)
        with mock.patch.object(self.module, "run_logged") as run, \
                mock.patch.object(self.module, "log_committed_summary"):
            self.module.dag.task_dict[task_id].python_callable(
                data_interval_start=datetime(2026, 11, 23, tzinfo=timezone.utc))
        return run

    def test_batch_writes_the_warehouses_tables_and_maintain_compacts_the_day_and_expires(self):
        variables = {**ICEBERG, "pinpipe_catalog_uri": "jdbc:postgresql://db:5432/lake",
                     "pinpipe_expire_after": "30d"}
        batch = self.call("batch", variables).call_args.args[0]
        self.assertEqual(batch[batch.index("--overwrite") + 1:], [
            "--tableFormat=iceberg", "--warehouse=/lake/warehouse",
            "--catalogUri=jdbc:postgresql://db:5432/lake"])
        self.call("iceberg_maintain", variables).assert_called_once_with([
            "spark-submit",
            "--master", "yarn",
            "--deploy-mode", "client",
            "--class", "io.pinpipe.pipelines.PipelinesMain",
            "--conf", "spark.driver.extraJavaOptions=" + FLAGS,
            "--conf", "spark.executor.extraJavaOptions=" + FLAGS,
            "--executor-memory", "4g",
            "/jars/pinterest-pipelines-spark.jar",
            "iceberg-maintain",
            "--warehouse=/lake/warehouse",
            "--catalogUri=jdbc:postgresql://db:5432/lake",
            "--compactDate=2026-11-23",
            "--expireOlderThan=30d",
            "--orphanOlderThan=3d",
        ])

    def test_a_warehouse_on_s3_is_maintained_with_the_jobs_s3_options_only(self):
        variables = {**ICEBERG, "pinpipe_warehouse": "s3://lake/warehouse",
                     "pinpipe_catalog_uri": "jdbc:postgresql://db:5432/lake",
                     "pinpipe_extra_args": "--endpoint=http://s3.local:9000 --s3PathStyleAccess=true"
                                           " --maxRecordBytes=2000 --awsRegion=eu-west-1"}
        argv = self.call("iceberg_maintain", variables).call_args.args[0]
        self.assertEqual(argv[argv.index("iceberg-maintain"):], [
            "iceberg-maintain",
            "--warehouse=s3://lake/warehouse",
            "--catalogUri=jdbc:postgresql://db:5432/lake",
            "--endpoint=http://s3.local:9000",
            "--s3PathStyleAccess=true",
            "--awsRegion=eu-west-1",
            "--compactDate=2026-11-23",
            "--expireOlderThan=7d",
            "--orphanOlderThan=3d",
        ])

    def test_a_local_warehouse_gets_no_s3_options(self):
        variables = {**ICEBERG, "pinpipe_extra_args": "--endpoint=http://s3.local:9000"}
        argv = self.call("iceberg_maintain", variables).call_args.args[0]
        self.assertEqual(argv[argv.index("iceberg-maintain"):], [
            "iceberg-maintain", "--warehouse=/lake/warehouse", "--compactDate=2026-11-23",
            "--expireOlderThan=7d", "--orphanOlderThan=3d"])

    def test_the_log_shows_a_catalog_url_without_its_parameters(self):
        self.assertEqual(
            self.module.shown(["x", "--catalogUri=jdbc:postgresql://db:5432/lake?user=u&password=p"]),
            ["x", "--catalogUri=jdbc:postgresql://db:5432/lake (parameters not shown)"])
        self.assertEqual(
            self.module.shown(["--catalogUri=jdbc:sqlserver://db;password=p"]),
            ["--catalogUri=jdbc:sqlserver://db (parameters not shown)"])
        self.assertEqual(self.module.shown(["--catalogUri=jdbc:mariadb://db/lake"]), ["--catalogUri=jdbc:mariadb://db/lake"])

    def test_the_summary_shows_each_tables_current_snapshot_from_a_local_hadoop_catalog(self):
        warehouse = tempfile.mkdtemp()
        metadata = os.path.join(warehouse, "batch", "pin", "metadata")
        os.makedirs(metadata)
        with open(os.path.join(metadata, "version-hint.text"), "w") as f:
            f.write("3\n")
        with open(os.path.join(metadata, "v3.metadata.json"), "w") as f:
            json.dump({"current-snapshot-id": 22, "snapshots": [
                {"snapshot-id": 11, "summary": {"total-records": "5"}},
                {"snapshot-id": 22, "summary": {"total-records": "7"}}]}, f)
        summary = {"iceberg": {"run_id": "r1", "ingestion_dates": ["2026-11-23"], "tables": {
            "batch.pin": {"snapshot_id": 11}, "batch.geo": {"snapshot_id": 33}}}}
        self.assertEqual([
            "  iceberg run r1, ingestion_date 2026-11-23",
            "  batch.pin: current snapshot 22 (newer than the run's 11), 7 rows",
            "  batch.geo: committed snapshot 33 (current snapshot: read the catalog)",
        ], self.module.iceberg_lines(summary, warehouse))
        self.assertEqual(["  iceberg run r1, ingestion_date 2026-11-23",
                          "  batch.pin: committed snapshot 11 (current snapshot: read the catalog)",
                          "  batch.geo: committed snapshot 33 (current snapshot: read the catalog)"],
                         self.module.iceberg_lines(summary, "s3://lake/warehouse"))
        self.assertEqual([], self.module.iceberg_lines({"kinds": {}}, warehouse))

    def test_with_parquet_tables_maintain_runs_nothing(self):
        self.call("iceberg_maintain", REQUIRED_ONLY).assert_not_called()

    def test_iceberg_without_a_warehouse_fails_naming_it_and_runs_nothing(self):
        for task_id in ("batch", "iceberg_maintain"):
            with self.subTest(task=task_id):
                self.variables.reset({**ICEBERG, "pinpipe_warehouse": " "})
                with mock.patch.object(self.module, "run_logged") as run:
                    with self.assertRaises(ValueError) as raised:
                        self.module.dag.task_dict[task_id].python_callable(
                            data_interval_start=datetime(2026, 11, 23, tzinfo=timezone.utc))
                self.assertIn("pinpipe_warehouse", str(raised.exception))
                run.assert_not_called()


FAKE_SPARK_SUBMIT = """#!/usr/bin/env python3
# Stands in for spark-submit running the batch job: prints as the job does (progress on standard
# error), commits a run into --output as the job does (_pinpipe.json naming runs/run-000001 and
# its summary.json), and exits with FAKE_STATUS.
import json, os, sys
output = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--output="))
print("batch: 1.0 s; read/cleaned/dead-lettered/duplicates: pin 5/0/0/0, geo 5/0/0/0, user 5/0/0/0; 15 records read, 15/s", file=sys.stderr, flush=True)
print("batch finished in 2.0 s on SparkRunner: " + output, flush=True)
status = int(os.environ.get("FAKE_STATUS", "0"))
if status == 0:
    run = os.path.join(output, "runs", "run-000001")
    os.makedirs(run)
    kinds = {k: {"read": 5, "cleaned": 4, "dead_lettered": 1, "duplicates": 0, "conflicts": 0}
             for k in ("pin", "geo", "user")}
    with open(os.path.join(run, "summary.json"), "w") as f:
        json.dump({"kinds": kinds, "results": {"users_joined_by_year": 3}}, f)
    with open(os.path.join(output, "_pinpipe.json"), "w") as f:
        json.dump({"job": "batch", "committed_run": "runs/run-000001"}, f)
sys.exit(status)
"""


class TaskLogTest(unittest.TestCase):
    """The task log holds the job's output as it came and the committed run's summary."""

    def setUp(self):
        self.module = load_dag_module()
        self.task = self.module.dag.task_dict["batch"]
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.submit = os.path.join(self.tmp.name, "spark-submit")
        with open(self.submit, "w") as f:
            f.write(FAKE_SPARK_SUBMIT)
        os.chmod(self.submit, 0o755)
        self.output = os.path.join(self.tmp.name, "batch")
        self.module.Variable.reset({**REQUIRED_ONLY, "pinpipe_spark_submit": self.submit,
                                    "pinpipe_output": self.output + "/"})

    def run_task(self):
        self.task.python_callable(data_interval_start=datetime(2026, 11, 23, tzinfo=timezone.utc))

    def test_the_log_shows_the_jobs_output_then_the_committed_summary(self):
        with mock.patch.dict(os.environ, {"FAKE_STATUS": "0"}), \
                self.assertLogs(self.module.log, "INFO") as logged:
            self.run_task()
        messages = [r.getMessage() for r in logged.records]
        self.assertIn("batch: 1.0 s; read/cleaned/dead-lettered/duplicates: pin 5/0/0/0, geo 5/0/0/0,"
                      " user 5/0/0/0; 15 records read, 15/s", messages)
        day = self.output + "/date=2026-11-23"
        self.assertIn("batch finished in 2.0 s on SparkRunner: " + day, messages)
        start = messages.index(f"summary of {day} (committed run runs/run-000001):")
        self.assertEqual([
            "  kind        read    cleaned dead-letter duplicates  conflicts",
            "  pin            5          4           1          0          0",
            "  geo            5          4           1          0          0",
            "  user           5          4           1          0          0",
            "  result rows: users_joined_by_year 3",
        ], messages[start + 1:start + 6])

    def test_a_failed_job_fails_the_task_with_its_output_in_the_log(self):
        with mock.patch.dict(os.environ, {"FAKE_STATUS": "1"}), \
                self.assertLogs(self.module.log, "INFO") as logged:
            with self.assertRaises(subprocess.CalledProcessError) as raised:
                self.run_task()
        self.assertEqual(raised.exception.returncode, 1)
        messages = [r.getMessage() for r in logged.records]
        self.assertIn("batch finished in 2.0 s on SparkRunner: " + self.output + "/date=2026-11-23", messages)
        self.assertFalse([m for m in messages if m.startswith("summary")], messages)

    def test_an_output_this_worker_cannot_read_is_named_not_shown(self):
        with self.assertLogs(self.module.log, "INFO") as logged:
            self.module.log_committed_summary("gs://bucket/batch/date=2026-11-23", [])
        self.assertEqual(
            ["summary: not readable from this worker; the committed run is named by"
             " gs://bucket/batch/date=2026-11-23/_pinpipe.json"],
            [r.getMessage() for r in logged.records])


if __name__ == "__main__":
    unittest.main()
