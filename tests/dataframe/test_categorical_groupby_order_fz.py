"""Groupby on categorical keys with ``observed=False, dropna=False``: the groups of a missing key come where
pandas puts them (last, in the other keys' order), found by a categorical fuzzer."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

_FRAMES = {
    "int": pd.DataFrame({"c": pd.Categorical([1, None]), "d": pd.Categorical(["x", "y"]), "v": [1.0, 2.0]}),
    "datetime": pd.DataFrame({"c": pd.Categorical(pd.to_datetime(["2020-01-05", None, "2020-01-02", None])),
                              "d": pd.Categorical(["y", "x", "x", "y"], categories=["y", "x", "z"]),
                              "v": [1.0, 2.0, 3.0, 4.0]}),
}


@pytest.mark.parametrize("npartitions", [1, 2])
@pytest.mark.parametrize("frame", sorted(_FRAMES))
def test_missing_key_groups_of_several_categorical_keys_are_in_pandas_order(backend, frame, npartitions):
    """The groups of a missing first key follow the second key's categories, as pandas' (they kept the order in
    which they were found, observed ones first: (nan, 'y') before (nan, 'x')); the key level holds no NaN."""
    pdf = _FRAMES[frame]
    gb = gd.from_pandas(pdf, npartitions=npartitions, backend=backend).groupby(
        ["c", "d"], observed=False, dropna=False, sort=True)
    pgb = pdf.groupby(["c", "d"], observed=False, dropna=False, sort=True)
    for how in ("size", "count", "sum", "min", "mean", "first"):
        got, expected = to_host(getattr(gb.v, how)().compute()), getattr(pgb.v, how)()
        tm.assert_series_equal(got, expected)
        if backend == "pandas":
            for level, want in zip(got.index.levels, expected.index.levels):
                tm.assert_index_equal(level, want)


@pytest.mark.parametrize("npartitions", [1, 2])
def test_missing_key_group_of_one_categorical_key_is_last_when_no_category_occurs(backend, npartitions):
    """Every key missing: the missing key's group is after the unobserved categories, as pandas' (pandas'
    ``sort_index`` took the codes -1, 0, 1, ... as sorted and left it first)."""
    pdf = pd.DataFrame({"c": pd.Categorical([None, None, None], categories=["f", "e", "a"]), "x": [5.0, 3.0, 1.0],
                        "i": [0, 1, 2]})
    gb = gd.from_pandas(pdf, npartitions=npartitions, backend=backend).groupby("c", observed=False, dropna=False)
    pgb = pdf.groupby("c", observed=False, dropna=False)
    spec = {"x": ["sum", "count"], "i": "max"}
    tm.assert_frame_equal(to_host(gb.agg(spec).compute()), pgb.agg(spec))
    tm.assert_series_equal(to_host(gb.x.sum().compute()), pgb.x.sum())
