"""Stand-in for ``airflow.operators.python.PythonOperator``.

Records task_id, python_callable and the retry settings, taken from the
operator's own arguments or else from the DAG's default_args (as Airflow
does), and the dependencies ``>>`` sets, and registers itself with the DAG given or the one of the enclosing
``with DAG(...)`` block.
"""

from airflow import current_dag


class PythonOperator:
    def __init__(self, *, task_id, python_callable, dag=None, **kwargs):
        dag = dag or current_dag()
        if dag is None:
            raise RuntimeError(f"task {task_id!r} is not inside a DAG")
        if not callable(python_callable):
            raise TypeError(f"python_callable of {task_id!r} is not callable")
        args = {**dag.default_args, **kwargs}
        self.task_id = task_id
        self.python_callable = python_callable
        self.dag = dag
        self.args = args
        self.owner = args.get("owner", "airflow")
        self.retries = args.get("retries", 0)
        self.retry_delay = args.get("retry_delay")
        self.retry_exponential_backoff = args.get("retry_exponential_backoff", False)
        self.execution_timeout = args.get("execution_timeout")
        self.upstream_task_ids = set()
        self.downstream_task_ids = set()
        dag.add_task(self)

    def __rshift__(self, other):
        """``a >> b``: b runs after a; returns b, as Airflow does."""
        self.downstream_task_ids.add(other.task_id)
        other.upstream_task_ids.add(self.task_id)
        return other
