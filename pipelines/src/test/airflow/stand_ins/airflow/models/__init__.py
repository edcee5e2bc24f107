"""Stand-in for ``airflow.models.Variable``, backed by a dict the test fills.

``get`` behaves as Airflow 2's: the stored value, else ``default_var`` when
given, else KeyError.  Every name asked for is recorded in ``Variable.reads``
so a test can check that parsing the DAG reads none.
"""

_NOT_GIVEN = object()


class Variable:
    values = {}
    reads = []

    @classmethod
    def get(cls, key, default_var=_NOT_GIVEN, deserialize_json=False):
        cls.reads.append(key)
        if key in cls.values:
            return cls.values[key]
        if default_var is _NOT_GIVEN:
            raise KeyError(f"Variable {key} does not exist")
        return default_var

    @classmethod
    def reset(cls, values=None):
        cls.values = dict(values or {})
        cls.reads = []
