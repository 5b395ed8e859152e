"""read_sql_table: a NULL in a later partition of a column whose metadata (learnt from the first rows) holds no
missing values (bool, int) is never turned into a value: the read raises naming the column and the fix
(dtype= / meta=), and with those the NULLs stay missing, as pandas reads them."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

pytest.importorskip("sqlalchemy")


@pytest.fixture
def uri(tmp_path):
    path = tmp_path / "n.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (id INTEGER, b BOOLEAN, n INTEGER)")
        con.executemany("INSERT INTO t VALUES (?, ?, ?)", [(1, 1, 10), (2, 0, 20), (3, None, None), (4, 1, 40)])
    return f"sqlite:///{path}"


@pytest.mark.parametrize("column", ["b", "n"])
def test_null_past_head_rows_is_refused(uri, column):
    expected = pd.read_sql_table("t", uri, index_col="id", columns=[column])[column]
    assert expected.isna().tolist() == [False, False, True, False]
    df = gd.read_sql_table("t", uri, index_col="id", columns=[column], npartitions=2, head_rows=2)
    with pytest.raises(ValueError, match=rf"column '{column}'.*(dtype=|meta=)"):
        df.compute()


def test_null_past_head_rows_with_dtype(uri):
    expected = pd.read_sql_table("t", uri, index_col="id")
    got = gd.read_sql_table("t", uri, index_col="id", npartitions=2, head_rows=2,
                            dtype={"b": "boolean", "n": "Int64"})
    result = to_host(got.compute())
    assert result.b.isna().tolist() == expected.b.isna().tolist() == [False, False, True, False]
    assert result.b.dropna().tolist() == expected.b.dropna().tolist()
    assert result.n.isna().tolist() == expected.n.isna().tolist()
    assert [str(t) for t in result.dtypes] == [str(t) for t in got.dtypes]


def test_no_null_still_bool(uri):
    got = gd.read_sql_table("t", uri, index_col="id", head_rows=2, divisions=[1, 2, 2])
    assert to_host(got.compute()).b.tolist() == [True, False]
