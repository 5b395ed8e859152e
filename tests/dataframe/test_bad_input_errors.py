"""Bad input is refused when the operation is built, with the exception type pandas raises for the same
call and a message naming the cause (found by a bad-input fuzzer)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd


@pytest.fixture
def frames():
    pdf = pd.DataFrame({"a": range(20), "b": list("xyzw") * 5,
                        "t": pd.date_range("2020", periods=20, freq="h")})
    return pdf, gd.from_pandas(pdf, npartitions=4)


def _pandas_error(call):
    """The exception pandas raises for ``call``."""
    with pytest.raises(Exception) as info:
        call()
    return info.value


def _same_error(pandas_call, gpuscale_call, *words):
    """``gpuscale_call`` raises the exception type of ``pandas_call`` (when the graph is built), the message
    holding pandas' first words and ``words``."""
    expected = _pandas_error(pandas_call)
    with pytest.raises(type(expected)) as info:
        gpuscale_call()
    message = str(info.value)
    for word in (*words,):
        assert word in message, message
    return expected, info.value


# -- 1: in-memory arrays and boolean lists as masks or groupby keys ---------------------------------
@pytest.mark.parametrize("key", [np.array([True, False]), [True, False, True, False], [True, False, True]],
                         ids=["array", "list", "list-of-columns-length"])
def test_getitem_in_memory_boolean_mask_is_refused(frames, key):
    pdf, df = frames
    _same_error(lambda: pdf[key], lambda: df[key], "Item wrong length", f"{len(key)}", "gpuscale boolean Series")


def test_getitem_boolean_mask_of_the_rows_length_is_refused(frames):
    # pandas takes it as a row mask; the lazy frame's length is not known (dask refuses it: ValueError)
    pdf, df = frames
    with pytest.raises(ValueError, match="boolean list or array"):
        df[np.array([True, False] * 10)]
    with pytest.raises(ValueError, match="boolean list or array"):
        df[pd.Series([True, False] * 10)]


@pytest.mark.parametrize("key", [np.arange(5), [np.arange(3)], ["b", np.arange(3)]], ids=["array", "in-list",
                                                                                         "with-column"])
def test_groupby_in_memory_array_key_is_refused(frames, key):
    pdf, df = frames
    _same_error(lambda: pdf.groupby(key).a.sum(), lambda: df.groupby(key).a.sum(),
                "Grouper and axis must be same length", "ndarray", "gpuscale Series")


def test_series_groupby_in_memory_array_key_is_refused(frames):
    pdf, df = frames
    _same_error(lambda: pdf.a.groupby(np.arange(5)).sum(), lambda: df.a.groupby(np.arange(5)).sum(),
                "Grouper and axis must be same length", "ndarray of 5 values")


# -- 2: a merge key whose label a side holds twice ---------------------------------------------------
@pytest.mark.parametrize("side", ["left", "right"])
def test_merge_on_a_repeated_column_label_is_refused(frames, side, backend):
    pdf, df = frames
    if backend == "cudf":
        pytest.skip("a cuDF DataFrame cannot hold a column label twice")
    pdup, dup = pdf.assign(c=1).rename(columns={"c": "a"}), df.assign(c=1).rename(columns={"c": "a"})
    pleft, pright, left, right = (pdup, pdf, dup, df) if side == "left" else (pdf, pdup, df, dup)
    _same_error(lambda: pleft.merge(pright, on="a"), lambda: left.merge(right, on="a"),
                "The column label 'a' is not unique", f"{side} side")


# -- 6: merge of keys of incompatible dtypes: pandas' (and dask's) ValueError -------------------------
@pytest.mark.parametrize("on", [{"on": "a"}, {"left_on": "a", "right_on": "b"}], ids=["on", "left_on-right_on"])
def test_merge_of_int_and_text_keys_raises_a_value_error(frames, on):
    pdf, df = frames
    ptext, text = pdf.assign(a=pdf.a.astype(str)), df.assign(a=df.a.astype(str))
    pright, right = (ptext, text) if "on" in on else (pdf, df)
    _same_error(lambda: pdf.merge(pright, **on), lambda: df.merge(right, **on),
                "incompatible key dtypes", "left column 'a' is int64")
