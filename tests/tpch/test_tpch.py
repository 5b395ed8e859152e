"""All 22 TPC-H queries at SF 0.01 against DuckDB's answers, on gpuscale.dataframe and on the peers.

The dask.dataframe, pandas and polars runs prove the query text (benchmarks/tpch/queries.py, sql.py) is
right; the gpuscale run is the product test. Queries gpuscale cannot run yet are listed in
``GPUSCALE_XFAIL`` with the first line of their error. The marks are strict: a query that starts passing
fails the suite until it is removed from the list, so the list stays the current to-do list
(also kept in docs/tpch.md, "gpuscale status").
"""

from __future__ import annotations

import inspect

import pytest

from benchmarks.tpch import engines, queries, reference

QUERY_NUMBERS = list(range(1, 23))

# dask's parquet reader calls reset_index(inplace=True), which pandas 3.1 deprecates; not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")

# query number -> the first line of the error gpuscale.dataframe raises today
GPUSCALE_XFAIL: dict[int, str] = {}


def _gpuscale_params():
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=GPUSCALE_XFAIL[n]))
            if n in GPUSCALE_XFAIL else n for n in QUERY_NUMBERS]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("n", _gpuscale_params())
def test_gpuscale(n, tpch_path, duckdb_answers):
    reference.compare(engines.run_query("gpuscale", n, tpch_path), duckdb_answers(n), n)


# query number -> the first line of the error on the strict cuDF stand-in (cuDF partitions)
STRICT_CUDF_XFAIL: dict[int, str] = {}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("n", [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=STRICT_CUDF_XFAIL[n]))
                               if n in STRICT_CUDF_XFAIL else n for n in QUERY_NUMBERS])
def test_gpuscale_on_cudf_partitions(n, tpch_path, duckdb_answers, monkeypatch):
    """The same queries with cuDF partitions, on the strict stand-in (tests/strict_cudf): every call
    the backend makes must be one cuDF accepts, and every result a cuDF object until the end."""
    import strict_cudf

    import gpuscale
    from gpuscale.backends import to_host

    strict_cudf.install(monkeypatch)
    with gpuscale.config.set(backend="cudf"):
        answer = engines.gpuscale_answer(n, tpch_path)
    if "_one_row(" not in inspect.getsource(queries.QUERIES[n]):  # those build a pandas row of scalars
        assert strict_cudf.is_stand_in(answer), f"Q{n} returned a {type(answer).__module__} object"
    reference.compare(to_host(answer), duckdb_answers(n), n)


@pytest.mark.parametrize("n", [1, 6, 13])
def test_the_benchmarks_gpu_engine_on_the_stand_in(n, tpch_path, duckdb_answers, monkeypatch):
    """``benchmarks.tpch.run --engines gpuscale-gpu`` (backend="gpu", answer brought to the host), on the
    strict cuDF stand-in: the engine a GPU run of the benchmark times."""
    import strict_cudf

    strict_cudf.install(monkeypatch)
    answer = engines.run_query("gpuscale-gpu", n, tpch_path)
    assert type(answer).__module__.startswith("pandas")
    reference.compare(answer, duckdb_answers(n), n)


@pytest.mark.gpu
@pytest.mark.timeout(300)
@pytest.mark.parametrize("n", QUERY_NUMBERS)
def test_gpuscale_on_real_cudf(n, tpch_path, duckdb_answers):
    """The same queries on a real GPU with cuDF partitions (skipped without one): the answer stays a cuDF
    object until the end and equals DuckDB's."""
    import gpuscale
    from gpuscale.backends import to_host

    with gpuscale.config.set(backend="cudf"):
        answer = engines.gpuscale_answer(n, tpch_path)
    if "_one_row(" not in inspect.getsource(queries.QUERIES[n]):
        assert type(answer).__module__.startswith("cudf"), f"Q{n} returned a {type(answer).__module__} object"
    reference.compare(to_host(answer), duckdb_answers(n), n)


@pytest.mark.parametrize("engine", ["dask", "pandas", "polars"])
@pytest.mark.parametrize("n", QUERY_NUMBERS)
def test_peer_engine(engine, n, tpch_path, duckdb_answers):
    reference.compare(engines.run_query(engine, n, tpch_path), duckdb_answers(n), n)


def test_the_benchmarks_cpu_engine_stays_on_the_cpu(tpch_path, duckdb_answers, monkeypatch):
    """On a GPU machine ``backend="auto"`` picks cuDF: the benchmark's ``gpuscale`` engine pins the CPU, so the
    GPU run compares cuDF against pandas partitions (the first GPU run timed cuDF twice and its answer check
    failed on cuDF objects). A configured GPU backend must not reach it either."""
    import strict_cudf

    import gpuscale

    strict_cudf.install(monkeypatch)
    with gpuscale.config.set(backend="cudf"):
        answer = engines.run_query("gpuscale", 1, tpch_path)
    assert type(answer).__module__.startswith("pandas")
    reference.compare(answer, duckdb_answers(1), 1)


def test_every_query_returns_rows_somewhere(tpch_path, duckdb_answers):
    """SF 0.01 is small: make sure the reference answers are not all trivially empty."""
    empty = [n for n in QUERY_NUMBERS if len(duckdb_answers(n)) == 0]
    assert empty == []
