"""``.loc`` of a MultiIndexed collection (groupby results by several keys) with labels of the first level, as
pandas: a label selects its rows and drops the level, a slice keeps every level."""

from __future__ import annotations

import pandas as pd

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


def test_first_level_labels_and_slices(backend):
    pdf = pd.DataFrame({"a": ["x", "y", "x", "y", "z", "w"], "b": [0, 0, 1, 1, 0, 2], "v": [1.0, 2, 3, 4, 5, 6]})
    grouped = gd.from_pandas(pdf, npartitions=3, backend=backend).groupby(["a", "b"])
    expected = pdf.groupby(["a", "b"])
    for got, want in [(grouped.v.sum(), expected.v.sum()), (grouped.sum(), expected.sum())]:
        for key in ("y", "w"):
            selected = got.loc[key]
            out = to_host(selected.compute()).sort_index()
            assert out.index.names == want.loc[key].index.names == selected._meta.index.names
            assert_eq(out, want.loc[key])
        assert_eq(to_host(got.loc["x":"y"].compute()).sort_index(), want.loc["x":"y"])
        assert_eq(to_host(got.loc[:"x"].compute()).sort_index(), want.loc[:"x"])


def test_bare_tuple_is_one_row_label(backend):
    # g.loc[("a", 2)] is the row labelled ("a", 2) (it was taken as (rows, columns): TooManyIndexers / KeyError 2)
    pdf = pd.DataFrame({"k1": list("aabb"), "k2": [1, 2, 1, 2], "v": [1.0, 2.0, 3.0, 4.0]})
    grouped = gd.from_pandas(pdf, npartitions=2, backend=backend).groupby(["k1", "k2"])
    expected = pdf.groupby(["k1", "k2"])
    series = to_host(grouped.v.sum().loc[("a", 2)].compute())
    assert series.tolist() == [expected.v.sum().loc[("a", 2)]]
    assert series.index.tolist() == [("a", 2)]
    frame = to_host(grouped.agg({"v": "sum"}).loc[("b", 1)].compute())
    assert frame.v.tolist() == [expected.agg({"v": "sum"}).loc[("b", 1)]["v"]]
    assert to_host(grouped.agg({"v": "sum"}).loc[("b", 1), "v"].compute()).tolist() == [3.0]


def test_keys_with_slices_or_lists_in_levels_are_refused_by_name(backend):
    # s.loc[(slice(None), "x")] said "Too many indexers: 2 keys for the rows of a Series" of a 2-level Series,
    # and df.loc[(slice(None), "x"), "v"] a KeyError; pandas keeps or drops levels by the key's kinds
    import pytest

    pdf = pd.DataFrame({"a": [0, 0, 1, 1], "b": list("xyxy"), "v": [1.0, 2.0, 3.0, 4.0]})
    grouped = gd.from_pandas(pdf, npartitions=2, backend=backend).groupby(["a", "b"])
    for key in [(slice(None), "x"), (1, slice(None)), ([0, 1], "x")]:
        with pytest.raises(NotImplementedError, match="MultiIndex key holding slices or lists"):
            grouped.v.sum().loc[key]
        with pytest.raises(NotImplementedError, match="MultiIndex key holding slices or lists"):
            grouped.sum().loc[key, "v"]


def test_points_of_an_interval_index_are_refused_by_name(backend):
    # g.loc[5] said "the label [5] is not in the index" and g.loc[5:9] raised a raw TypeError
    import pytest

    pdf = pd.DataFrame({"x": [0.0, 1, 2, 3, 4, 5]}, index=pd.IntervalIndex.from_breaks(range(0, 14, 2), closed="left"))
    try:
        frame = gd.from_pandas(pdf, npartitions=2, backend=backend)
    except (TypeError, NotImplementedError, ValueError) as exc:  # cuDF's interval support is narrower
        pytest.skip(f"no IntervalIndex partitions on this backend: {exc}")
    for key in (5, slice(5, 9), [5, pd.Interval(4, 6, closed="left")]):
        with pytest.raises(NotImplementedError, match="points inside the intervals"):
            frame.loc[key]
    interval = pd.Interval(4, 6, closed="left")
    assert to_host(frame.loc[interval].compute()).x.tolist() == pdf.loc[[interval]].x.tolist()
    assert to_host(frame.loc[[interval]].compute()).x.tolist() == [2.0]
