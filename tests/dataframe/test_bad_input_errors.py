"""Bad input is refused when the operation is built, with the exception type pandas raises for the same
call and a message naming the cause (found by a bad-input fuzzer)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.pandas_versions import needs_pandas_3


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


# -- 3: keyword values refused when the graph is built (each partition raised them when computed) ----------
_BAD_KEYWORDS = {
    "drop_duplicates-keep": (lambda o: o.drop_duplicates(keep="middle"), 'keep must be either "first", "last" or False'),
    "series-drop_duplicates-keep": (lambda o: o.a.drop_duplicates(keep=True), "keep must be either"),
    "nlargest-keep": (lambda o: o.nlargest(3, "a", keep="middle"), 'keep must be either "first", "last" or "all"'),
    "series-nsmallest-keep": (lambda o: o.a.nsmallest(3, keep="middle"), "keep must be either"),
    "nlargest-text": (lambda o: o.b.nlargest(3), "Cannot use method 'nlargest' with dtype"),
    "nlargest-text-column": (lambda o: o.nlargest(3, ["a", "b"]), "Column 'b' has dtype"),
    "nsmallest-category": (lambda o: o.b.astype("category").nsmallest(2), "with dtype category"),
    "nsmallest-n-text": (lambda o: o.nsmallest("x", "a"), "'x'"),
    "nsmallest-n-float": (lambda o: o.a.nsmallest(2.5), "2.5"),
    "sort_values-ascending": (lambda o: o.sort_values("a", ascending="yes"), 'For argument "ascending"'),
    "sort_values-ascending-list": (lambda o: o.sort_values(["a", "b"], ascending=[True, "yes"]),
                                   'For argument "ascending"'),
    "series-sort_values-ascending": (lambda o: o.a.sort_values(ascending="yes"), 'For argument "ascending"'),
    "where-text": (lambda o: o.where("notabool"), "Array conditional must be same shape as self"),
    "series-where-true": (lambda o: o.a.where(True), "Array conditional must be same shape as self"),
    "mask-number": (lambda o: o.mask(1), "Array conditional must be same shape as self"),
    "mask-text": (lambda o: o.a.mask("notabool"), "cannot be inverted"),
}


@pytest.mark.parametrize("case", list(_BAD_KEYWORDS))
def test_bad_keyword_values_are_refused_when_built(frames, case):
    pdf, df = frames
    call, words = _BAD_KEYWORDS[case]
    _same_error(lambda: call(pdf), lambda: call(df), words)


def test_good_keyword_values_still_work(frames):
    from tests.dataframe import host_testing as tm
    from tests.dataframe.frame_helpers import to_host

    pdf, df = frames
    tm.assert_frame_equal(to_host(df.nlargest(3, ["t", "a"]).compute()), pdf.nlargest(3, ["t", "a"]))
    tm.assert_series_equal(to_host(df.a.nsmallest(np.int64(2)).compute()), pdf.a.nsmallest(np.int64(2)))
    for flag in (0, np.False_):
        tm.assert_frame_equal(to_host(df.sort_values("a", ascending=flag).compute()),
                              pdf.sort_values("a", ascending=flag))
    tm.assert_series_equal(to_host(df.a.where(lambda s: s > 3).compute()), pdf.a.where(lambda s: s > 3))


# -- 5: isin of a single value ---------------------------------------------------------------------
@pytest.mark.parametrize("values", [5, "ab", None, np.array(3)], ids=["int", "str", "None", "0-d"])
@pytest.mark.parametrize("of", ["series", "frame", "index"])
def test_isin_of_a_single_value_is_refused(frames, values, of):
    pdf, df = frames
    pick = {"series": lambda o: o.a, "frame": lambda o: o, "index": lambda o: o.index}[of]
    _same_error(lambda: pick(pdf).isin(values), lambda: pick(df).isin(values),
                "only list-like", f"you passed a '{type(values).__name__}'")


@pytest.mark.parametrize("values", [{1, 2}, range(3), (1, 5)], ids=["set", "range", "tuple"])
def test_isin_of_list_likes_still_works(frames, values):
    from tests.dataframe import host_testing as tm
    from tests.dataframe.frame_helpers import to_host

    pdf, df = frames
    tm.assert_series_equal(to_host(df.a.isin(values).compute()), pdf.a.isin(values))


# -- 4: option values pandas refuses, which were read as true or false -------------------------------
@pytest.mark.parametrize("how", ["first", "sum", "max", "mean", "median", "sem"])
@pytest.mark.parametrize("value", ["x", 1, None], ids=["str", "int", "None"])
@needs_pandas_3("pandas 2.2's groupby takes any numeric_only (gpuscale refuses it there too, as dask)")
def test_groupby_numeric_only_must_be_a_boolean(frames, how, value):
    pdf, df = frames
    _same_error(lambda: getattr(pdf.groupby("b"), how)(numeric_only=value),
                lambda: getattr(df.groupby("b"), how)(numeric_only=value),
                "numeric_only accepts only Boolean values", repr(value))


def test_groupby_numeric_only_of_numpy_bool_still_works(frames):
    from tests.dataframe import host_testing as tm
    from tests.dataframe.frame_helpers import to_host

    pdf, df = frames
    got = to_host(df.groupby("b").sum(numeric_only=np.True_).compute())
    tm.assert_frame_equal(got.sort_index(), pdf.groupby("b").sum(numeric_only=np.True_))


@pytest.mark.parametrize("window", ["2h", 3])
@pytest.mark.parametrize("center", ["x", 1], ids=["str", "int"])
def test_rolling_center_must_be_a_boolean(frames, window, center):
    pdf, df = frames
    _same_error(lambda: pdf.set_index("t").a.rolling(window, center=center).sum(),
                lambda: df.set_index("t").a.rolling(window, center=center).sum(),
                "center must be a boolean", repr(center))
    _same_error(lambda: pdf.groupby("b").a.rolling(window, center=center).sum(),
                lambda: df.groupby("b").a.rolling(window, center=center).sum(), "center must be a boolean")


# -- 7: a label of another kind than the index's (text on integers, known divisions) -----------------
_LABEL_CALLS = {
    "series-getitem": lambda o: o.a["x"],
    "loc": lambda o: o.set_index("a").loc["x"],
    "loc-list": lambda o: o.set_index("a").loc[["x", 1]],
    "loc-list-number-on-text": lambda o: o.set_index("b").loc[[3, "x"]],
}


@pytest.mark.parametrize("case", list(_LABEL_CALLS))
def test_label_of_another_kind_raises_key_error(frames, case):
    pdf, df = frames
    call = _LABEL_CALLS[case]
    expected, got = _same_error(lambda: call(pdf), lambda: call(df), "not in")
    label = "'x'" if case != "loc-list-number-on-text" else "3"
    assert label in str(got)
