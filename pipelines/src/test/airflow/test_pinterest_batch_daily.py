"""Tests of pipelines/src/main/airflow/pinterest_batch_daily.py without Airflow.

Airflow is not installable here, so the DAG is imported with the stand-in
``airflow`` package of ./stand_ins first on sys.path (DAG, Variable,
PythonOperator only).  Run from the pipelines module directory:

    python3 -m unittest discover -s src/test/airflow -p 'test_*.py' -v

(mvn test runs it through io.pinpipe.pipelines.schedule.AirflowDagTest).
"""

import importlib.util
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
        """Calls the task's callable as Airflow would; returns the mocked subprocess.run."""
        self.variables.reset(variables)
        context = {"data_interval_start": data_interval_start,
                   "data_interval_end": data_interval_start + timedelta(days=1)}
        with mock.patch.object(subprocess, "run") as run:
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
        self.assertEqual([t.task_id for t in dag.tasks], ["batch"])
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
            "--endpoint=http://minio:9000",
            "--s3PathStyleAccess=true",
        ], check=True)

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
        ], check=True)

    def test_missing_required_variable_fails_naming_it_and_runs_nothing(self):
        for name in sorted(REQUIRED_ONLY):
            for variables in ({k: v for k, v in REQUIRED_ONLY.items() if k != name},
                              {**REQUIRED_ONLY, name: "  "}):
                with self.subTest(variable=name, blank=name in variables):
                    self.variables.reset(variables)
                    with mock.patch.object(subprocess, "run") as run:
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


if __name__ == "__main__":
    unittest.main()
