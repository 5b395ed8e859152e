"""TPC-H fixtures: the SF 0.01 tables (generated once, cached) and DuckDB's answers over them."""

from __future__ import annotations

import pytest

from benchmarks.tpch import data, reference

TEST_SCALE_FACTOR = 0.01


@pytest.fixture(scope="session")
def tpch_path():
    """Folder with the SF 0.01 tables (``benchmarks/data/tpch/sf0.01`` or ``$GPUSCALE_TPCH_DATA``)."""
    return data.generate(TEST_SCALE_FACTOR)


@pytest.fixture(scope="session")
def duckdb_answers(tpch_path):
    """``duckdb_answers(n)``: DuckDB's answer to query ``n``, computed once per session."""
    con = reference.duckdb_connection(tpch_path)
    answers = {}

    def answer(n):
        if n not in answers:
            answers[n] = reference.duckdb_answer(n, tpch_path, con)
        return answers[n]

    yield answer
    con.close()
