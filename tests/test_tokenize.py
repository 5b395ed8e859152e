"""Deterministic expression names: equal data -> equal tokens, computed once per live object."""

import gc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpuscale.backends import tokenize as data_tokens
from gpuscale.expr import tokenize


@given(st.lists(st.floats(allow_nan=False), max_size=20), st.lists(st.floats(allow_nan=False), max_size=20))
def test_equal_arrays_equal_tokens(a, b):
    same = np.array_equal(np.array(a), np.array(b)) and len(a) == len(b)
    assert (tokenize(np.array(a)) == tokenize(np.array(b))) == same


@pytest.mark.parametrize("make", [
    lambda: pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}),
    lambda: pd.Series([1.0, None], index=[5, 6], name="s"),
    lambda: pd.DataFrame({"t": pd.to_datetime(["2024-01-01", "2024-01-02"])}),
])
def test_pandas_objects_are_deterministic(make):
    assert tokenize(make()) == tokenize(make())


@pytest.mark.parametrize("change", [
    lambda df: df.assign(a=[1, 3]),
    lambda df: df.rename(columns={"a": "c"}),
    lambda df: df.set_axis([7, 8]),
    lambda df: df.astype({"a": "float64"}),
    lambda df: df.assign(b=["x", "z"]),
])
def test_any_change_changes_the_token(change):
    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert tokenize(df) != tokenize(change(df))


def test_data_is_hashed_once_per_live_object(monkeypatch):
    calls = []
    original = data_tokens._compute_token
    monkeypatch.setattr(data_tokens, "_compute_token", lambda obj: calls.append(1) or original(obj))
    df = pd.DataFrame({"a": range(10)})
    first = tokenize(df)
    assert all(tokenize(df) == first for _ in range(5))
    assert len(calls) == 1
    del df
    gc.collect()
    assert not any(ref() is None for ref, _ in data_tokens._cache.values())


def test_callables_and_containers():
    assert tokenize(len, [1, {"a": (2, 3)}], slice(1, 2)) == tokenize(len, [1, {"a": (2, 3)}], slice(1, 2))
    assert tokenize(len) != tokenize(sum)
    def add_one(x):
        return x + 1

    assert tokenize(add_one) == tokenize(add_one)
    assert tokenize(1) != tokenize(1.0) != tokenize("1")


def test_multiindex_frames_tokenize():
    index = pd.MultiIndex.from_tuples([(1, "a"), (2, "b")], names=["n", "s"])
    df = pd.DataFrame({"v": [1.0, 2.0]}, index=index)
    assert tokenize(df) == tokenize(df.copy())
    assert tokenize(df) != tokenize(df.set_axis(index.set_names(["n", "t"])))


def test_numpy_dtypes_have_deterministic_tokens():
    # dtypes cannot be weakly referenced, so they are never cached: each must be named by its content
    assert tokenize(np.dtype("int32")) == tokenize(np.dtype("int32"))
    assert tokenize(np.dtype("<i4")) != tokenize(np.dtype(">i4")) != tokenize(np.dtype("int64"))
    assert tokenize(np.dtype([("a", "i4")])) != tokenize(np.dtype([("b", "i4")]))


def test_equal_array_expressions_built_twice_share_a_name():
    import gpuscale.array as ga

    x = ga.asarray(np.arange(6).reshape(2, 3))
    assert (x + 1).name == (x + 1).name
    assert (x[1] == x[0]).name == (x[1] == x[0]).name
    assert ga.astype(x, ga.float32).name != ga.astype(x, ga.float64).name


def test_the_fast_paths_give_the_general_result():
    import gpuscale.array as ga
    from gpuscale.expr.tokenize import _normalize_general, normalize_token

    class Named(tuple):  # a tuple subclass with a hook: still a tuple for the general rules
        def __gpuscale_tokenize__(self):
            return "named"

    expr = (ga.asarray(np.arange(3)) + 1).expr
    for value in [expr, (1, [2.0, "a"], None), True, Named((1, 2)), b"x", 3 + 1j]:
        assert normalize_token(value) == _normalize_general(value)


class _DeviceFrame:
    """Shaped like a cuDF frame: cuDF defines ``__dask_tokenize__``, which hashes every row on the device,
    copies the hashes to the host and warns that dask_cudf is missing."""

    __module__ = "cudf.core.dataframe"
    hook_calls = 0

    def __dask_tokenize__(self):
        type(self).hook_calls += 1
        return "hashed-on-the-device"


def test_device_frames_are_named_without_cudf_s_dask_hook():
    first, second = _DeviceFrame(), _DeviceFrame()
    assert tokenize(first) == tokenize(first)  # cached per live object
    assert tokenize(first) != tokenize(second)  # not hashed: each object its own name
    assert _DeviceFrame.hook_calls == 0
