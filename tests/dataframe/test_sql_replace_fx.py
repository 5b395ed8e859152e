"""to_sql(if_exists="replace") of a collection that reads the same table never loses rows silently: it is
refused before anything is dropped, naming the table (persist() first, as pandas holds the rows in memory)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd

pytest.importorskip("sqlalchemy")


@pytest.fixture
def uri(tmp_path):
    uri = f"sqlite:///{tmp_path / 'r.db'}"
    pd.DataFrame({"id": range(6), "x": range(6)}).to_sql("t", uri, index=False)
    return uri


def _rows(uri, table="t"):
    return pd.read_sql_table(table, uri).sort_values("id").reset_index(drop=True)


def test_replace_of_the_table_read_is_refused(uri, tmp_path):
    df = gd.read_sql_table("t", uri, index_col="id", npartitions=3)
    with pytest.raises(ValueError, match=r"'t'.*persist"):
        df.to_sql("t", uri, if_exists="replace")
    with pytest.raises(ValueError, match=r"table 'T'"):  # the same database under another spelling of its path
        (df.x + 1).to_frame().to_sql("T", f"sqlite:///{tmp_path}/./r.db", if_exists="replace", compute=False)
    pd.testing.assert_frame_equal(_rows(uri), pd.DataFrame({"id": range(6), "x": range(6)}))


def test_replace_after_persist_keeps_every_row(uri):
    df = gd.read_sql_table("t", uri, index_col="id", npartitions=3).persist()
    df.to_sql("t", uri, if_exists="replace")
    expected = pd.read_sql_table("t", uri, index_col="id")  # pandas: read, then replace
    assert _rows(uri).id.tolist() == list(range(6)) == expected.index.tolist()


def test_replace_of_another_table_is_written(uri):
    df = gd.read_sql_table("t", uri, index_col="id", npartitions=3)
    df.to_sql("u", uri, if_exists="replace")
    df.to_sql("u", uri, if_exists="replace")
    assert _rows(uri, "u").id.tolist() == list(range(6))
