"""The ``.str`` accessor's dask behaviours (split with expand=, cat, extractall, removeprefix) and
``dd.extensions`` registration, compared with pandas and dask (issue 14)."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.dataframe.extensions import register_dataframe_accessor, register_series_accessor
from gpuscale.testing import assert_eq

WORDS = pd.Series(["a b c d", "aa bb cc dd", "aaa bbb ccc dddd", "x"], index=["r1", "r2", "r3", "r4"], name="w")


@pytest.mark.parametrize("method", ["split", "rsplit"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_split_expand_gives_n_plus_one_columns(method, n, backend):
    s = gd.from_pandas(WORDS.iloc[:3], npartitions=2, backend=backend)
    expected = getattr(WORDS.iloc[:3].str, method)(n=n, expand=True)
    got = getattr(s.str, method)(n=n, expand=True)
    assert list(got.columns) == list(range(n + 1))
    assert_eq(got, expected)
    assert_eq(getattr(s.str, method)(n=n), getattr(WORDS.iloc[:3].str, method)(n=n))


def test_split_expand_pads_partitions_with_fewer_parts(backend):
    # "x" alone in its partition has one part: its row gets missing values in the other columns
    s = gd.from_pandas(WORDS, npartitions=2, backend=backend)
    assert_eq(s.str.split(n=2, expand=True), WORDS.str.split(n=2, expand=True))
    with pytest.raises(NotImplementedError, match="n="):
        s.str.split(expand=True)
    with pytest.raises(NotImplementedError, match="n="):
        dd.from_pandas(WORDS, npartitions=2).str.split(expand=True)


def test_cat_with_others(backend):
    s = gd.from_pandas(WORDS, npartitions=2, backend=backend)
    upper = WORDS.str.upper()
    assert_eq(s.str.cat(s.str.upper(), sep=":"), WORDS.str.cat(upper, sep=":"))
    assert_eq(s.str.cat(upper, sep=":"), WORDS.str.cat(upper, sep=":"))  # a pandas Series, aligned by index
    both = [s.str.upper(), WORDS.str.lower()]
    assert_eq(s.str.cat(both, sep=":"), WORDS.str.cat([upper, WORDS.str.lower()], sep=":"))
    for bad in ("foo", ["foo"]):
        with pytest.raises(TypeError, match="others"):
            s.str.cat(bad)


@pytest.mark.parametrize("kwargs", [{}, {"na_rep": "-"}, {"sep": "_"}, {"sep": "_", "na_rep": "-"}])
def test_cat_of_all_values_is_a_scalar(kwargs, backend):
    values = pd.Series(["a", "a", "b", "b", "c", np.nan, np.nan, np.nan], name="foo")
    s = gd.from_pandas(values, npartitions=3, backend=backend)  # the last partition holds only missing values
    # as pandas (dask 2026.7.1 adds a separator for the all-missing partition: "a_a_b_b_c_")
    assert s.str.cat(**kwargs).compute() == values.str.cat(**kwargs)
    two = gd.from_pandas(values.iloc[:5], npartitions=2, backend=backend)
    assert two.str.cat(**kwargs).compute() == dd.from_pandas(values.iloc[:5], npartitions=2).str.cat(**kwargs).compute()
    assert s[s == "zzz"].str.cat(sep="_").compute() == values[values == "zzz"].str.cat(sep="_") == ""


@pytest.mark.parametrize("method", ["removeprefix", "removesuffix"])
def test_removeprefix_and_removesuffix(method, backend):
    s = gd.from_pandas(WORDS, npartitions=2, backend=backend)
    for arg in ("a ", "dd", "missing"):
        assert_eq(getattr(s.str, method)(arg), getattr(WORDS.str, method)(arg))


def test_extractall_and_dir():
    s = gd.from_pandas(WORDS, npartitions=2, backend="pandas")
    assert_eq(s.str.extractall("(a+) (b+)"), WORDS.str.extractall("(a+) (b+)"))
    names = dir(s.str)
    assert {"upper", "split", "cat", "removeprefix", "extractall"} <= set(names)
    assert "get_dummies" in names and hasattr(s.str, "get_dummies")  # (its columns computed at once)
    assert "str" not in dir(gd.from_pandas(pd.Series([1, 2]), npartitions=1).astype(int))


class _Item:
    def __init__(self, obj):
        self.obj = obj

    @property
    def prop(self):
        return "item"


@pytest.mark.parametrize("cls, register", [(gd.Series, register_series_accessor),
                                           (gd.DataFrame, register_dataframe_accessor)])
def test_registered_accessors_are_listed_per_class(cls, register):
    name = f"tmp_{cls.__name__.lower()}_item"
    before = set(dir(cls))
    try:
        register(name)(_Item)
        assert name in cls._accessors and (before ^ set(dir(cls))) == {name}
        other = gd.DataFrame if cls is gd.Series else gd.Series
        assert name not in other._accessors
        instance = gd.from_pandas(cls._partition_type([], dtype=float), npartitions=1)
        assert isinstance(instance, cls) and getattr(instance, name).obj is instance
        assert getattr(instance, name).prop == "item"
        assert cls._partition_type is getattr(dd, cls.__name__)._partition_type
    finally:
        delattr(cls, name)
        cls._accessors.discard(name)


@pytest.mark.parametrize("other", [pd.Index(list("wxyz")), list("wxyz"), np.array(list("wxyz")),
                                   [pd.Index(list("wxyz")), np.array(list("pqrs"))]], ids=["index", "list", "array",
                                                                                           "several"])
def test_cat_with_in_memory_others_by_position(backend, other):
    """An Index, array or list pairs with the rows by position, as pandas (an Index raised a length error, lists
    and arrays were refused); a length other than the collection's raises pandas' error."""
    s = pd.Series(["a", "b", None, "c"], index=[5, 1, 9, 2])
    gs = gd.from_pandas(s, npartitions=2, sort=False, backend=backend)
    assert_eq(gs.str.cat(other, sep="-"), s.str.cat(other, sep="-"))
    with pytest.raises(ValueError, match="same length"):
        gs.str.cat(list("wx")).compute()
