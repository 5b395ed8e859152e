"""The engines that answer TPC-H queries, each as ``answer(n, path) -> pandas.DataFrame``.

* ``gpuscale``: :mod:`queries` with ``gpuscale.dataframe`` on the CPU (``backend="cpu"``: pandas partitions even
  where a GPU is usable; its default scheduler);
* ``gpuscale-gpu``: the same with ``backend="gpu"`` (cuDF partitions; the answer is brought to the host for the check);
* ``dask``: :mod:`queries` with ``dask.dataframe`` on the threaded scheduler;
* ``pandas``: :mod:`queries` with :mod:`pandas_shim` (eager pandas; tables are read whole);
* ``polars``: the SQL text of :mod:`sql` through ``polars.SQLContext`` over lazy ``scan_parquet`` frames;
* ``duckdb``: the same SQL in DuckDB over ``read_parquet`` views.

On a Dask distributed cluster (``run_query(..., on_cluster=True)``, with a ``distributed.Client`` made the
default first) ``gpuscale`` and ``dask`` compute on the default client: gpuscale sends its graphs there,
dask.dataframe too (its shuffles then use distributed's P2P shuffle service).
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


# gpuscale on whatever backend is configured (the tests' cuDF legs set it); the benchmark's engines pin theirs
gpuscale_answer = _dataframe_engine("gpuscale.dataframe")


def _gpuscale_on(backend: str):
    """gpuscale with ``backend`` pinned (``auto`` would turn the CPU engine into a GPU one on a GPU machine)."""
    def answer(n, path):
        import gpuscale
        from gpuscale.backends import to_host

        with gpuscale.config.set(backend=backend):
            return to_host(gpuscale_answer(n, path))

    return answer


ENGINES = {
    "gpuscale": _gpuscale_on("cpu"),
    "gpuscale-gpu": _gpuscale_on("gpu"),
    "dask": _dataframe_engine("dask.dataframe", scheduler="threads"),
    "pandas": _dataframe_engine("benchmarks.tpch.pandas_shim"),
    "polars": reference.polars_answer,
    "duckdb": reference.duckdb_answer,
}


# engines that run on a distributed cluster, each as answer(n, path): they compute on the default client
CLUSTER_ENGINES = {
    "gpuscale": _dataframe_engine("gpuscale.dataframe"),
    "dask": _dataframe_engine("dask.dataframe"),
}

_LIBRARIES = {"gpuscale": "gpuscale.dataframe", "gpuscale-gpu": "gpuscale.dataframe", "dask": "dask.dataframe", "pandas": "pandas",
              "polars": "polars", "duckdb": "duckdb"}


def warm_up(engine: str) -> None:
    """Import the engine's library, so that the first timed run does not pay for the import."""
    importlib.import_module(_LIBRARIES[engine])


def run_query(engine: str, n: int, path, on_cluster: bool = False) -> "pandas.DataFrame":  # noqa: F821
    """Answer query ``n`` with ``engine`` over the tables in ``path`` (``on_cluster``: on the default
    ``distributed.Client``, for the engines of ``CLUSTER_ENGINES``)."""
    table = CLUSTER_ENGINES if on_cluster else ENGINES
    try:
        answer = table[engine]
    except KeyError:
        where = " on a cluster" if on_cluster else ""
        raise ValueError(f"unknown engine {engine!r}{where}; choose from {sorted(table)}") from None
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
