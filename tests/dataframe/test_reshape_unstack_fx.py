"""unstack / pivot / stack fuzzer findings: missing row keys, duplicates hidden by NaN, fill_value dtypes,
booleans over several partitions, stack by the column level's name, a list of levels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_unstack_keeps_missing_row_and_column_keys_in_pandas_order(backend, npartitions):
    """A missing key (NaN, not among the MultiIndex's levels) is a row / column of its own, first, as pandas
    (rows of it were dropped when merged from several partitions)."""
    s = pd.Series([1., 2, 3, 4], index=pd.MultiIndex.from_arrays([[1.0, np.nan, 2.0, np.nan], list("aabb")]))
    g = gd.from_pandas(s, npartitions=npartitions, sort=False)
    assert_eq(g.unstack(), s.unstack())
    assert_eq(g.unstack(0), s.unstack(0))
    p = pd.DataFrame({"r": [1.0, np.nan, 2.0, np.nan], "c": list("aabb"), "x": [1, 2, 3, 4]})
    d = gd.from_pandas(p, npartitions=npartitions)
    assert_eq(d.pivot(index="r", columns="c", values="x"), p.pivot(index="r", columns="c", values="x"))
    assert_eq(d.pivot(index="c", columns="r", values="x"), p.pivot(index="c", columns="r", values="x"))


def test_unstack_of_groupby_keeps_missing_key_last(backend):
    """groupby(dropna=False) lists the missing key among the levels: pandas puts it last (rows and columns)."""
    p = pd.DataFrame({"k": [1.0, np.nan, 2.0, np.nan], "j": list("aabb"), "x": [1, 2, 3, 4]})
    d = gd.from_pandas(p, npartitions=2)
    expected = p.groupby(["k", "j"], dropna=False).x.sum()
    assert_eq(d.groupby(["k", "j"], dropna=False).x.sum().unstack(), expected.unstack())


def test_unstack_duplicate_cell_with_a_missing_value_is_an_error(backend):
    s = pd.Series([np.nan, 2., 3.], index=pd.MultiIndex.from_tuples([(1, "a"), (2, "a"), (1, "a")]))
    with pytest.raises(ValueError, match="duplicate entries"):
        s.unstack()
    with pytest.raises(ValueError, match="duplicate entries"):
        gd.from_pandas(s, npartitions=2, sort=False).unstack().compute()


@pytest.mark.filterwarnings("ignore:Using a fill_value that cannot be held")  # (pandas 3.1's, of 0.5)
@pytest.mark.parametrize("fill_value", [0.5, 0, 0.0])
@pytest.mark.parametrize("full", [False, True])
def test_unstack_fill_value_gives_pandas_dtype(backend, fill_value, full):
    """A float fill_value of missing integer cells makes the columns float64, as pandas; a full table keeps
    int64 (no cell is filled)."""
    keys = [(1, "a"), (1, "b"), (2, "a")] + ([(2, "b")] if full else [])
    s = pd.Series(np.arange(1, len(keys) + 1), index=pd.MultiIndex.from_tuples(keys))
    for npartitions in (1, 2):
        got = gd.from_pandas(s, npartitions=npartitions, sort=False).unstack(fill_value=fill_value)
        expected = s.unstack(fill_value=fill_value)
        assert list(got._meta.dtypes) == list(expected.dtypes)
        assert_eq(got, expected)


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_unstack_booleans_missing_cells_are_nan(backend, npartitions):
    s = pd.Series([True, False, True], index=pd.MultiIndex.from_tuples([(1, "a"), (1, "b"), (2, "a")]))
    got = to_host(gd.from_pandas(s, npartitions=npartitions, sort=False).unstack().compute())
    expected = s.unstack()
    assert list(got.dtypes) == list(expected.dtypes)
    assert [type(v) for v in got["b"]] == [type(v) for v in expected["b"]]  # NaN (a float), not None
    assert_eq(got, expected)


def test_stack_by_the_name_of_the_column_level(backend):
    p = pd.DataFrame({"x": [1], "y": [2]}).rename_axis(columns="cols")
    d = gd.from_pandas(p, npartitions=1)
    assert_eq(d.stack(level="cols"), p.stack(level="cols", future_stack=True))
    with pytest.raises(KeyError):
        d.stack(level="nope")


def test_unstack_of_several_levels_is_refused_clearly(backend):
    s = pd.Series([1, 2], index=pd.MultiIndex.from_tuples([(1, "a", "x"), (2, "b", "y")]))
    g = gd.from_pandas(s, npartitions=1)
    with pytest.raises(NotImplementedError, match="one level"):
        g.unstack([1, 2])
    assert_eq(g.unstack([2]), s.unstack([2]))
