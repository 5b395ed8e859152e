"""Groupby with ``observed=False`` and categorical keys (unused categories, missing keys), as pandas answers:
``ngroup(ascending=False)``, ``value_counts``, ``idxmin``/``idxmax`` and the levels of a missing key."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def _cat(values, categories=("x", "y", "z")):
    return pd.Categorical(values, categories=list(categories))


@pytest.mark.parametrize("npartitions", [1, 2])
@pytest.mark.parametrize("keys", [["c"], ["c", "b"], ["c", "d"]])
@pytest.mark.parametrize("categories", [("x", "y", "z"), ("x", "z", "y", "w")])
def test_ngroup_descending_counts_unobserved_groups(npartitions, keys, categories):
    """Descending numbers start at pandas' ngroups - 1, which counts the unused categories' groups (pandas 2
    with several keys: only the groups with rows); they were numbered among the groups with rows only."""
    pdf = pd.DataFrame({"c": _cat(["x", "y", "x"], categories), "b": [1, 1, 2],
                        "d": pd.Categorical([1, 1, 2], categories=[1, 2, 3]), "f": [1.0, 2.0, 0.5]})
    gdf = gd.from_pandas(pdf, npartitions=npartitions)
    for ascending in (True, False):
        expected = pdf.groupby(keys, observed=False).ngroup(ascending=ascending)
        got = gdf.groupby(keys, observed=False).ngroup(ascending=ascending).compute()
        tm.assert_series_equal(to_host(got), expected)


@pytest.mark.parametrize("keys", [["c", "a"], ["a", "c"], ["c"], ["c", "a", "b"]])
@pytest.mark.parametrize("kwargs", [{}, {"sort": False}, {"ascending": True}, {"normalize": True}])
def test_value_counts_unobserved_rows_as_pandas(keys, kwargs):
    """pandas 3 crosses the unused categories with the combinations of the other keys and the values that
    occur (pandas 2: with every value of each); every combination of all the values was given."""
    pdf = pd.DataFrame({"c": _cat(["x", "x", "y", "x"]), "a": [1, 2, 1, 1], "b": [5, 5, 6, 6],
                        "v": [10, 20, 30, 30]})
    expected = pdf.groupby(keys, observed=False).v.value_counts(**kwargs)
    got = gd.from_pandas(pdf, npartitions=2).groupby(keys, observed=False).v.value_counts(**kwargs).compute()
    tm.assert_series_equal(to_host(got), expected)


@pytest.mark.parametrize("how", ["idxmin", "idxmax"])
@pytest.mark.parametrize("keys", [["c"], ["c", "b"], ["c", "d"]])
@pytest.mark.parametrize("selected", [True, False])
@pytest.mark.parametrize("split_out", [1, 2])
def test_idxmin_idxmax_of_unobserved_groups_raise_as_pandas(how, keys, selected, split_out):
    """pandas raises for the empty group of an unused category (it was left out); all groups with rows: the
    labels, as pandas'."""
    pdf = pd.DataFrame({"c": _cat(["x", "y", "x", "y"]), "b": [1, 1, 2, 2],
                        "d": pd.Categorical([1, 1, 2, 2], categories=[1, 2, 3]), "f": [1.0, 2.0, 0.5, 3.0]})
    for frame, raises in ((pdf, True), (pdf.astype({"c": _cat([], ("x", "y")).dtype}), keys == ["c", "d"])):
        frame = frame[keys + ["f"]]  # (no other categorical column: pandas' idxmin refuses an unordered one)
        gb = gd.from_pandas(frame, npartitions=2).groupby(keys, observed=False)
        pgb = frame.groupby(keys, observed=False)
        gb, pgb = (gb.f, pgb.f) if selected else (gb, pgb)
        got = getattr(gb, how)(split_out=split_out)
        if raises:
            with pytest.raises(ValueError, match=f"Can't get {how} of an empty group due to unobserved categories"):
                getattr(pgb, how)()
            with pytest.raises(ValueError, match=f"Can't get {how} of an empty group due to unobserved categories"):
                got.compute()
        else:
            expected = getattr(pgb, how)()
            got = to_host(got.compute()).sort_index()
            (tm.assert_series_equal if selected else tm.assert_frame_equal)(got, expected)
