"""The engines that answer TPC-H queries, each as ``answer(n, path) -> pandas.DataFrame``.

* ``gpuscale``: :mod:`queries` with ``gpuscale.dataframe`` (its default scheduler);
* ``dask``: :mod:`queries` with ``dask.dataframe`` on the threaded scheduler;
* ``pandas``: :mod:`queries` with :mod:`pandas_shim` (eager pandas; tables are read whole);
* ``polars``: the SQL text of :mod:`sql` through ``polars.SQLContext`` over lazy ``scan_parquet`` frames;
* ``duckdb``: the same SQL in DuckDB over ``read_parquet`` views.
"""

from __future__ import annotations

import importlib

from . import queries, reference


def _dataframe_engine(module_name: str, **compute_kwargs):
    def answer(n, path):
        dd = importlib.import_module(module_name)
        result = queries.QUERIES[n](dd, path)
        if hasattr(result, "compute"):
            return result.compute(**compute_kwargs)
        return result

    return answer


ENGINES = {
    "gpuscale": _dataframe_engine("gpuscale.dataframe"),
    "dask": _dataframe_engine("dask.dataframe", scheduler="threads"),
    "pandas": _dataframe_engine("benchmarks.tpch.pandas_shim"),
    "polars": reference.polars_answer,
    "duckdb": reference.duckdb_answer,
}


_LIBRARIES = {"gpuscale": "gpuscale.dataframe", "dask": "dask.dataframe", "pandas": "pandas",
              "polars": "polars", "duckdb": "duckdb"}


def warm_up(engine: str) -> None:
    """Import the engine's library, so that the first timed run does not pay for the import."""
    importlib.import_module(_LIBRARIES[engine])


def run_query(engine: str, n: int, path) -> "pandas.DataFrame":  # noqa: F821
    """Answer query ``n`` with ``engine`` over the tables in ``path``."""
    try:
        answer = ENGINES[engine]
    except KeyError:
        raise ValueError(f"unknown engine {engine!r}; choose from {sorted(ENGINES)}") from None
    return answer(n, path)


def parse_queries(spec: str) -> list[int]:
    """``"1-22"``, ``"1,3,5-7"`` -> sorted query numbers, each within 1..22."""
    numbers: set[int] = set()
    for item in filter(None, (part.strip() for part in str(spec).split(","))):
        low, _, high = item.partition("-")
        numbers.update(range(int(low), int(high or low) + 1))
    bad = sorted(n for n in numbers if not 1 <= n <= 22)
    if bad:
        raise ValueError(f"TPC-H has queries 1..22; got {bad} from {spec!r}")
    return sorted(numbers)
