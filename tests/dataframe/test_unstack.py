"""``unstack``, ``pivot`` and ``stack`` (pandas'; dask has none), against pandas on both backends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 120
    return pd.DataFrame({"k": rng.integers(0, 5, n), "j": rng.choice(list("abc"), n), "x": rng.normal(size=n),
                         "y": rng.integers(0, 9, n), "b": rng.random(n) > 0.5})


@pytest.fixture
def table() -> pd.DataFrame:
    """Every (d, c) pair once: a full table, whose integer cells stay integers."""
    return pd.DataFrame({"d": np.repeat(np.arange(6), 3), "c": list("xyz") * 6, "v": np.arange(18),
                         "w": np.arange(18.0)})


_UNSTACK = {
    "sum": lambda m: m.groupby(["k", "j"]).y.sum().unstack(),
    "outer level": lambda m: m.groupby(["k", "j"]).y.sum().unstack(0),
    "by name, filled": lambda m: m.groupby(["k", "j"]).x.mean().unstack("j", fill_value=0),
    "frame": lambda m: m.groupby(["k", "j"])[["x", "y"]].max().unstack(),
    "three levels": lambda m: m.assign(z=m.y % 2).groupby(["k", "j", "z"]).x.sum().unstack(1),
    # pairs missing: integers become float64, booleans object, as pandas
    "missing cells": lambda m: m[m.y > 5].groupby(["k", "y"]).y.count().unstack(),
    "missing booleans": lambda m: m[m.y > 5].groupby(["k", "y"]).b.first().unstack(),
    "missing filled": lambda m: m[m.y > 5].groupby(["k", "y"]).y.count().unstack(fill_value=0),
}


@pytest.mark.parametrize("case", list(_UNSTACK))
@pytest.mark.parametrize("split_out", [1, 3])
def test_unstack_as_pandas(pdf, backend, case, split_out):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    with_split = _UNSTACK[case]
    if split_out > 1:  # the groupby result in several partitions: row keys meet through the shuffle
        df = df.repartition(npartitions=split_out)
    got = with_split(df)
    assert got.npartitions == 1
    assert_eq(got, with_split(pdf))


_PIVOT = {
    "one value": lambda m: m.pivot(index="d", columns="c", values="v"),
    "all values": lambda m: m.pivot(index="d", columns="c"),
    "a list of values": lambda m: m.pivot(index="d", columns="c", values=["w"]),
    "the index": lambda m: m.set_index("d").pivot(columns="c", values="w"),
    "missing cells": lambda m: m[m.v % 4 != 0].pivot(index="d", columns="c", values="v"),
}


@pytest.mark.parametrize("case", list(_PIVOT))
def test_pivot_as_pandas(table, backend, case):
    df = gd.from_pandas(table, npartitions=3, backend=backend)
    assert_eq(_PIVOT[case](df), _PIVOT[case](table))


def test_pivot_duplicates_and_errors(backend):
    pdf = pd.DataFrame({"d": [1, 1, 2, 1], "c": list("aaba"), "v": [1, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)  # (1, "a") twice, in different partitions
    with pytest.raises(ValueError, match="duplicate entries"):
        pdf.pivot(index="d", columns="c", values="v")
    with pytest.raises(ValueError, match="duplicate entries"):
        df.pivot(index="d", columns="c", values="v").compute()
    with pytest.raises(KeyError, match="'nope' is not a column"):
        df.pivot(index="d", columns="nope")
    with pytest.raises(NotImplementedError, match="one level"):
        df.set_index("d").v.unstack()
    with pytest.raises(IndexError, match="Too many levels"):
        df.groupby(["d", "c"]).v.sum().unstack(5)


def test_stack_as_pandas(table, backend):
    df = gd.from_pandas(table, npartitions=3, backend=backend)
    assert_eq(df[["v", "w"]].stack(), table[["v", "w"]].stack())
    mixed = table.assign(w=np.where(table.v % 2 == 0, np.nan, table.w))
    got = gd.from_pandas(mixed, npartitions=3, backend=backend).stack()
    assert got.npartitions == 3
    assert_eq(got, mixed.stack(future_stack=True))  # missing values kept
    with pytest.raises(NotImplementedError, match="dropna="):
        df.stack(dropna=True)


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3), st.integers(-5, 5)), min_size=1, max_size=30,
                     unique_by=lambda r: (r[0], r[1])),
       nparts=st.integers(1, 4))
def test_pivot_any_partitioning(rows, nparts):
    pdf = pd.DataFrame(rows, columns=["r", "c", "v"])
    df = gd.from_pandas(pdf, npartitions=min(nparts, len(rows)), backend="cpu")
    assert_eq(df.pivot(index="r", columns="c", values="v"), pdf.pivot(index="r", columns="c", values="v"))


def test_unstack_categorical_level_as_pandas(backend):
    """A categorical level gives categorical columns in the categories' order, as pandas."""
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"c": pd.Categorical(rng.choice(list("abc"), 80), categories=list("dcba")),
                        "s": rng.choice(["x", "y"], 80), "y": rng.integers(0, 9, 80)})
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(df.groupby(["s", "c"], observed=True).y.sum().unstack(),
              pdf.groupby(["s", "c"], observed=True).y.sum().unstack())
    assert_eq(df.groupby(["c", "s"], observed=True)[["y"]].max().unstack(0),
              pdf.groupby(["c", "s"], observed=True)[["y"]].max().unstack(0))


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_fill_value_fills_only_cells_without_a_row(backend, npartitions):
    """``unstack(fill_value=)`` fills the cells no row gives; a missing value a row gives stays missing (it was
    filled too)."""
    s = pd.Series([1.0, np.nan, 3.0, 4.0], index=pd.MultiIndex.from_tuples([("a", "x"), ("a", "y"), ("b", "x"),
                                                                            ("c", "z")]))
    frame = s.to_frame("v").assign(w=[1, 2, 3, 4])
    for obj in (s, frame):
        got = gd.from_pandas(obj, npartitions=npartitions, sort=False, backend=backend).unstack(fill_value=0)
        assert_eq(got, obj.unstack(fill_value=0))


@pytest.mark.parametrize("key", ["c", "I", "b", "s"])
def test_missing_labels_unstack_to_a_column_of_the_levels_dtype(backend, key):
    # groupby(dropna=False) keeps the missing key: pandas unstacks it to the last column; the columns keep the
    # level's (nullable) dtype
    if backend != "pandas" and key != "c":
        pytest.skip("cuDF holds nullable values in its own dtypes")
    pdf = pd.DataFrame({"a": ["x", "y", "x", "y", "z"], "c": [1.0, np.nan, np.nan, 2.0, 1.0], "v": [1.0, 2, 3, 4, 5],
                        "I": pd.array([1, None, 2, 1, None], dtype="Int64"),
                        "b": pd.array([True, None, False, True, True], dtype="boolean"),
                        "s": pd.array(["p", None, "q", "p", "q"], dtype="string")})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for fill_value in (None, 0):
        got = df.groupby(["a", key], dropna=False).v.sum().unstack(fill_value=fill_value)
        expected = pdf.groupby(["a", key], dropna=False).v.sum().unstack(fill_value=fill_value)
        assert_eq(got, expected)
