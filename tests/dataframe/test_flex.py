"""Flex arithmetic and comparisons (``add`` ... ``rpow``, ``eq`` ... ``ge``) against pandas and dask.dataframe."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.dataframe.flex import ARITHMETIC, COMPARISONS
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def frames(backend):
    rng = np.random.default_rng(3)
    n = 60
    x = rng.normal(size=n)
    x[::7] = np.nan
    y = rng.integers(1, 9, n).astype("float64")
    y[::5] = np.nan
    pdf = pd.DataFrame({"x": x, "y": y}, index=np.arange(n) * 2)
    other = pd.DataFrame({"x": rng.normal(size=n), "y": y[::-1].copy()}, index=np.arange(n) * 2)
    return pdf, other, gd.from_pandas(pdf, npartitions=4, backend=backend), \
        gd.from_pandas(other, npartitions=3, backend=backend)


@pytest.mark.parametrize("name", ARITHMETIC)
def test_arithmetic_with_fill_value_matches_pandas_and_dask(frames, name):
    pdf, other, df, dother = frames
    expected = getattr(pdf, name)(other, fill_value=1.5)
    assert_eq(getattr(df, name)(dother, fill_value=1.5), expected)
    assert_eq(getattr(df.x, name)(dother.y, fill_value=2), getattr(pdf.x, name)(other.y, fill_value=2))
    assert_eq(getattr(df.y, name)(3), getattr(pdf.y, name)(3))
    if hasattr(dd.DataFrame, name):  # (dask lacks pandas' aliases multiply and subtract)
        theirs = getattr(dd.from_pandas(pdf, npartitions=4), name)(dd.from_pandas(other, npartitions=3),
                                                                   fill_value=1.5)
        assert_eq(getattr(df, name)(dother, fill_value=1.5), theirs.compute())


@pytest.mark.parametrize("name", COMPARISONS)
def test_comparisons_match_pandas(frames, name):
    pdf, other, df, dother = frames
    assert_eq(getattr(df, name)(0.5), getattr(pdf, name)(0.5))
    assert_eq(getattr(df, name)(dother), getattr(pdf, name)(other))
    assert_eq(getattr(df.x, name)(dother.x, fill_value=0), getattr(pdf.x, name)(other.x, fill_value=0))


def test_axis_index_with_a_series_and_columns_with_a_list(frames):
    pdf, _, df, _ = frames
    assert_eq(df.sub(df.x, axis=0), pdf.sub(pdf.x, axis=0))
    assert_eq(df.mul([2, 3], axis="columns"), pdf.mul([2, 3], axis="columns"))
    assert_eq(df.div(pd.Series({"x": 2.0, "y": 4.0})), pdf.div(pd.Series({"x": 2.0, "y": 4.0})))
    with pytest.raises(ValueError, match="axis=0"):  # as dask
        df.add(df.x, axis=1)


@pytest.mark.parametrize("lazy", [False, True])
def test_axis_index_with_a_one_partition_series_aligns_on_the_index(frames, backend, lazy):
    # Labels of the Series outside a partition's range are rows of the result once, not of every partition.
    pdf, _, df, _ = frames
    s = pd.Series(np.arange(12.0), index=np.arange(-5, 55, 5))
    other = gd.from_pandas(s, npartitions=1, backend=backend) if lazy else s
    for name in ("add", "rsub", "mul"):
        assert_eq(getattr(df, name)(other, axis=0), getattr(pdf, name)(s, axis=0))
    theirs = dd.from_pandas(pdf, npartitions=4).add(dd.from_pandas(s, npartitions=1), axis=0).compute()
    assert_eq(df.add(other, axis=0), theirs)
    with pytest.raises(ValueError, match="known divisions"):
        df.clear_divisions().add(other, axis=0)


def test_level_broadcasts_across_a_multiindex(backend):
    index = pd.MultiIndex.from_product([["a", "b"], [1, 2, 3]], names=["k", "n"])
    s = pd.Series(np.arange(6.0), index=index)
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    assert_eq(ds.add(pd.Series({1: 10.0, 2: 20.0, 3: 30.0}), level="n"),
              s.add(pd.Series({1: 10.0, 2: 20.0, 3: 30.0}), level="n"))


def test_projection_moves_below_a_scalar_flex_operation(frames):
    _, _, df, _ = frames
    plan = df.add(1, fill_value=0)["x"].expr.simplify().tree_repr()
    assert "columns=['x']" in plan.split("Map: add")[1]  # only column x is read below the map


@settings(max_examples=30, deadline=None)
@given(left=st.lists(st.one_of(st.floats(-100, 100), st.just(np.nan)), min_size=1, max_size=25),
       data=st.data(), fill=st.one_of(st.none(), st.floats(-5, 5)), nparts=st.integers(1, 5))
def test_fill_value_edge_cases(left, data, fill, nparts):
    right = data.draw(st.lists(st.one_of(st.floats(-100, 100), st.just(np.nan)), min_size=len(left),
                               max_size=len(left)))
    a, b = pd.Series(left), pd.Series(right)
    da, db = gd.from_pandas(a, npartitions=nparts), gd.from_pandas(b, npartitions=max(1, nparts - 1))
    for name in ("add", "rsub", "mul", "lt", "ge"):
        assert_eq(getattr(da, name)(db, fill_value=fill), getattr(a, name)(b, fill_value=fill))


def test_divmod_as_pandas(backend):
    s = pd.Series([7, -7, 9, 0], name="v")
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    for got, expected in [(divmod(ds, 4), divmod(s, 4)), (divmod(10, ds + 1), divmod(10, s + 1)),
                          (ds.divmod(3, fill_value=1), s.divmod(3, fill_value=1)), (ds.rdivmod(5), s.rdivmod(5)),
                          (ds.divmod(ds.abs() + 1), s.divmod(s.abs() + 1))]:
        assert len(got) == 2
        for g, e in zip(got, expected):
            assert_eq(g, e)
    # by zero: the built-in divmod gives the operators' inf/NaN (the methods give 0)
    t = pd.Series([2, 0, -2, 0], name="v")
    dt = gd.from_pandas(t, npartitions=2, backend=backend)
    for got, expected in [(divmod(ds, dt), divmod(s, t)), (divmod(7, dt), divmod(7, t))]:
        for g, e in zip(got, expected):
            assert_eq(g, e)
    pdf = s.to_frame()
    q, r = divmod(gd.from_pandas(pdf, npartitions=2, backend=backend), 4)
    assert_eq(q, pdf // 4)
    assert_eq(r, pdf % 4)


@needs_pandas_3("pandas 2.2 raises on the repeated labels itself")
def test_level_with_a_whole_pandas_operand_over_several_partitions(backend):
    # the operand given to every partition is cut to the partition's rows (they became extra rows, or raised)
    columns = pd.MultiIndex.from_product([["A", "B"], ["u", "v"]])
    pdf = pd.DataFrame(np.arange(12).reshape(3, 4), columns=columns)
    other = pd.DataFrame({"u": [1, 2, 3], "v": [4, 5, 6]})
    assert_eq(gd.from_pandas(pdf, npartitions=2, backend=backend).add(other, level=1), pdf.add(other, level=1))
    keyed = pd.DataFrame({"x": range(4)}, index=pd.Index(["a", "a", "b", "b"], name="k"))
    factors = pd.Series([10, 20], index=pd.Index(["a", "b"], name="k"))
    got = gd.from_pandas(keyed, npartitions=2, backend=backend).mul(factors, axis=0, level="k")
    assert_eq(got, keyed.mul(factors, axis=0, level="k"))
