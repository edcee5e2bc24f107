"""Stand-in for the part of Airflow 2 that pinterest_batch_daily.py uses: ``DAG``.

Test-only: Airflow cannot be installed here.  A DAG keeps its arguments, is a
context manager, and registers the operators created inside its ``with``
block, as Airflow's does.  Nothing else of Airflow is imitated.
"""

_current_dags = []


class DAG:
    def __init__(self, dag_id, *, default_args=None, **kwargs):
        self.dag_id = dag_id
        self.default_args = dict(default_args or {})
        self.kwargs = kwargs
        self.schedule = kwargs.get("schedule")
        self.start_date = kwargs.get("start_date")
        self.catchup = kwargs.get("catchup", True)  # Airflow's default
        self.max_active_runs = kwargs.get("max_active_runs")
        self.task_dict = {}

    def __enter__(self):
        _current_dags.append(self)
        return self

    def __exit__(self, *exc):
        _current_dags.pop()
        return False

    @property
    def tasks(self):
        return list(self.task_dict.values())

    def add_task(self, task):
        if task.task_id in self.task_dict:
            raise ValueError(f"duplicate task_id {task.task_id!r} in DAG {self.dag_id!r}")
        self.task_dict[task.task_id] = task


def current_dag():
    return _current_dags[-1] if _current_dags else None
