"""All 22 TPC-H queries at SF 0.01 against DuckDB's answers, on gpuscale.dataframe and on the peers.

The dask.dataframe, pandas and polars runs prove the query text (benchmarks/tpch/queries.py, sql.py) is
right; the gpuscale run is the product test. Queries gpuscale cannot run yet are listed in
``GPUSCALE_XFAIL`` with the first line of their error. The marks are strict: a query that starts passing
fails the suite until it is removed from the list, so the list stays the current to-do list
(also kept in docs/tpch.md, "gpuscale status").
"""

from __future__ import annotations

import pytest

from benchmarks.tpch import engines, reference

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


@pytest.mark.parametrize("engine", ["dask", "pandas", "polars"])
@pytest.mark.parametrize("n", QUERY_NUMBERS)
def test_peer_engine(engine, n, tpch_path, duckdb_answers):
    reference.compare(engines.run_query(engine, n, tpch_path), duckdb_answers(n), n)


def test_every_query_returns_rows_somewhere(tpch_path, duckdb_answers):
    """SF 0.01 is small: make sure the reference answers are not all trivially empty."""
    empty = [n for n in QUERY_NUMBERS if len(duckdb_answers(n)) == 0]
    assert empty == []
