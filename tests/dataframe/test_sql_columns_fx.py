"""read_sql_table(columns=) takes SQLAlchemy column constructs by name: ``sa.column("b")`` (a ColumnClause)
as ``sa.Column``; other objects are refused with a message naming what is accepted."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

sa = pytest.importorskip("sqlalchemy")


@pytest.fixture
def uri(tmp_path):
    uri = f"sqlite:///{tmp_path / 'c.db'}"
    pd.DataFrame({"id": [1, 2, 3, 4], "a": [1.5, 2.5, 3.5, 4.5], "b": ["w", "x", "y", "z"]}).to_sql(
        "t", uri, index=False)
    return uri


@pytest.mark.parametrize("columns", [[sa.column("b")], ["b"], [sa.Column("b", sa.Text)]])
def test_read_sql_table_column_constructs(uri, columns):
    expected = pd.read_sql_table("t", uri, index_col="id", columns=["b"])
    got = gd.read_sql_table("t", uri, index_col="id", columns=columns, npartitions=2)
    assert list(got.columns) == ["b"]
    pd.testing.assert_frame_equal(to_host(got.compute()), expected, check_dtype=False)


def test_read_sql_table_column_clause_index(uri):
    got = gd.read_sql_table("t", uri, index_col=sa.column("id"), columns=[sa.column("a")], npartitions=2)
    assert to_host(got.compute()).a.tolist() == [1.5, 2.5, 3.5, 4.5]


def test_read_sql_table_columns_refusal_message(uri):
    with pytest.raises(TypeError, match=r"sa\.column.*not int"):
        gd.read_sql_table("t", uri, index_col="id", columns=[3])
