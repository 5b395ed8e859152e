"""Groupby of frames with MultiIndex columns (``agg([...])`` results, tuple labels) by ``level=``, by a Series,
and by a tuple column label, against pandas (found by fuzzing against pandas 3)."""

from __future__ import annotations

import pandas as pd

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import check_by_index as check


def _tuple_columns() -> pd.DataFrame:
    return pd.DataFrame({("k", "a"): [0, 1, 2, 1, 0, 2], ("g", "x"): [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})


def test_groupby_level_of_frame_with_multiindex_columns(backend):
    pdf = pd.DataFrame({"k": [1, 1, 2, 2, 3], "v": [1.0, 2.0, 3.0, 4.0, 5.0]}).set_index("k")
    pdf.columns = pd.MultiIndex.from_tuples([("v", "sum")])
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    check(df.groupby(level=0).sum(), pdf.groupby(level=0).sum())
    check(df.groupby("k").max(), pdf.groupby("k").max())


def test_groupby_series_key_of_frame_with_multiindex_columns(backend):
    pdf = _tuple_columns()
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    check(df.groupby(df[("k", "a")] % 2).sum(), pdf.groupby(pdf[("k", "a")] % 2).sum())
    check(df.groupby([df[("k", "a")] % 2, ("k", "a")]).sum(), pdf.groupby([pdf[("k", "a")] % 2, ("k", "a")]).sum())


def test_groupby_index_level_of_an_agg_result(backend):
    pdf = pd.DataFrame({"a": [0, 0, 1, 1, 2], "b": list("xyxyx"), "v": [1.0, 2.0, 3.0, 4.0, 5.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = df.groupby(["a", "b"]).agg(["sum", "max"])
    want = pdf.groupby(["a", "b"]).agg(["sum", "max"])
    check(got.groupby(level="b").sum(), want.groupby(level="b").sum())
    check(got.groupby(level=[0, 1]).max(), want.groupby(level=[0, 1]).max())


def test_groupby_one_tuple_column_label(backend):
    pdf = _tuple_columns()
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    check(df.groupby(("k", "a")).sum(), pdf.groupby(("k", "a")).sum())
    check(df.groupby(("k", "a"))[[("g", "x")]].max(), pdf.groupby(("k", "a"))[[("g", "x")]].max())
    check(df.groupby([("k", "a")]).mean(), pdf.groupby([("k", "a")]).mean())
