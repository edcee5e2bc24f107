"""Stand-in package ``airflow.operators`` (see airflow/__init__.py)."""
