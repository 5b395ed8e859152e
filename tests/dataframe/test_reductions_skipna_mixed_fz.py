"""Reductions that disagreed with pandas (found by fuzzing): ``skew``/``kurt(axis=1, skipna=False)`` and
``median(axis=1, skipna=False)`` skipped missing values, ``mode`` of values that do not compare, object
minima/maxima/sums/idxmin with a missing value under ``skipna=False``, ``None`` for pandas' ``<NA>`` in
object-dtype results, ``nunique(axis=None)``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host
from tests.pandas_versions import PANDAS_3


@pytest.mark.parametrize("how", ["skew", "kurt", "median"])
@pytest.mark.parametrize("skipna", [True, False])
def test_row_moments_keep_skipna(backend, how, skipna):
    # the axis=1 branch dropped skipna: a row with a missing value got a number where pandas gives NaN
    pdf = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [2.0, 1.0, 0.5], "c": [4.0, 2.0, 7.0],
                        "d": [8.0, 5.0, 1.0], "e": [3.0, 9.0, 2.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = to_host(getattr(df, how)(axis=1, skipna=skipna).compute())
    expected = getattr(pdf, how)(axis=1, skipna=skipna)
    pd.testing.assert_series_equal(got, expected)


@pytest.mark.filterwarnings("ignore:Unable to sort modes")
@pytest.mark.parametrize("values", [[1, "a", 2.5], ["b", "a", 2.5, 1, "b", 1, 2.5, "a"], [1, "a", None, "a", 1, None]])
@pytest.mark.parametrize("npartitions", [1, 2])
def test_mode_of_values_that_do_not_compare(backend, values, npartitions):
    # sorting the modes raised TypeError ('<' not supported between 'str' and 'int'); pandas orders them
    # as its version does (pandas 3: numbers, then text, then missing values; pandas 2.2: unsorted)
    skip_on_stand_in("cuDF has no object columns of mixed types")
    ps = pd.Series(values, dtype=object)
    s = gd.from_pandas(ps, npartitions=npartitions, backend=backend)
    # (dropna=False of None: the missing mode comes back as NaN, a separate difference of the value counts)
    for dropna in (True, False) if ps.notna().all() else (True,):
        got = to_host(s.mode(dropna=dropna).compute())
        pd.testing.assert_series_equal(got, ps.mode(dropna=dropna))
    pdf = ps.to_frame("o")
    got = to_host(gd.from_pandas(pdf, npartitions=npartitions, backend=backend).mode().compute())
    pd.testing.assert_frame_equal(got, pdf.mode())


def _outcome(f):
    """``f()``, or the type of the error it raises."""
    try:
        return f()
    except (TypeError, ValueError) as error:
        return type(error)


def _same(got, expected):
    if isinstance(expected, pd.Series):
        assert list(got.index) == list(expected.index)
        for a, b in zip(got.tolist(), expected.tolist()):
            assert (a is None) == (b is None)  # (pandas' missing answer of an object column is None, not NaN)
            _same(a, b)
    elif isinstance(expected, type):
        assert got is expected
    else:
        assert (pd.isna(got) and pd.isna(expected)) or got == expected


@pytest.mark.parametrize("how", ["min", "max", "sum"])
@pytest.mark.parametrize("npartitions", [1, 2, 4])
def test_object_reductions_of_mixed_values_with_a_missing_one(backend, how, npartitions):
    # a partition of values that do not compare raised TypeError before the missing value of another
    # partition was seen: pandas 3 answers NaN (a missing value decides under skipna=False); pandas 2.2 raises
    skip_on_stand_in("cuDF has no object columns of mixed types")
    ps = pd.Series([1, "a", None, "b"], dtype=object)
    for values in (ps, ps.iloc[[2, 3, 0, 1]].reset_index(drop=True)):
        s = gd.from_pandas(values, npartitions=npartitions, backend=backend)
        _same(_outcome(lambda: to_host(getattr(s, how)(skipna=False).compute())),
              _outcome(lambda: getattr(values, how)(skipna=False)))
        pdf = pd.DataFrame({"o": values, "x": [1.0, 2.0, 3.0, 4.0]})
        df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
        _same(_outcome(lambda: to_host(getattr(df, how)(skipna=False).compute())),
              _outcome(lambda: getattr(pdf, how)(skipna=False)))
    # without a missing value the values are compared: pandas' TypeError
    whole = gd.from_pandas(pd.Series([1, "a", 2, "b"], dtype=object), npartitions=npartitions, backend=backend)
    with pytest.raises(TypeError):
        getattr(whole, how)(skipna=False).compute()


@pytest.mark.skipif(not PANDAS_3, reason="pandas 2.2 compares first (TypeError), and returns NaN with a "
                                         "FutureWarning where the values compare; gpuscale follows pandas 3")
@pytest.mark.parametrize("how", ["idxmin", "idxmax"])
@pytest.mark.parametrize("npartitions", [1, 2, 4])
def test_idx_extreme_of_mixed_values_checks_missing_first(backend, how, npartitions):
    # the values were compared first (TypeError); pandas' ValueError for the missing value decides first
    skip_on_stand_in("cuDF has no object columns of mixed types")
    for values in ([1, "a", None, "b"], [1, "a", "b", None]):
        ps = pd.Series(values, dtype=object)
        s = gd.from_pandas(ps, npartitions=npartitions, backend=backend)
        with pytest.raises(ValueError, match="Encountered an NA value with skipna=False"):
            getattr(ps, how)(skipna=False)
        with pytest.raises(ValueError, match="Encountered an NA value with skipna=False"):
            getattr(s, how)(skipna=False).compute()
    whole = gd.from_pandas(pd.Series([1, "a", 2, "b"], dtype=object), npartitions=npartitions, backend=backend)
    with pytest.raises(TypeError):
        getattr(whole, how)(skipna=False).compute()


_NULLABLE = {
    "Int64": pd.array([1, None, 3, None], dtype="Int64"),
    "all-missing Int64": pd.array([None] * 4, dtype="Int64"),
    "boolean": pd.array([True, None, False, None], dtype="boolean"),
    "double[pyarrow]": pd.array([1.5, None, 2.5, None], dtype="double[pyarrow]"),
    "timestamp[pyarrow]": pd.array(pd.to_datetime(["2020", None, "2021", None]), dtype="timestamp[ns][pyarrow]"),
    "duration[pyarrow]": pd.array(pd.to_timedelta(["1s", None, "2s", None]), dtype="duration[ns][pyarrow]"),
}


@pytest.mark.parametrize("column", list(_NULLABLE))
@pytest.mark.parametrize("how", ["min", "max"])
@pytest.mark.parametrize("npartitions", [1, 2])
def test_missing_answer_of_nullable_column_beside_text_is_na(backend, column, how, npartitions):
    # the answer is an object Series (text beside it): a nullable/Arrow column's missing answer is pandas'
    # <NA>; the partials stacked as objects gave None (pandas 2.2 raised TypeError comparing NA)
    skip_on_stand_in("cuDF refuses answers of several types (numbers beside text) in one column")
    pdf = pd.DataFrame({"c": _NULLABLE[column], "s": ["a", "b", "c", "d"]})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for skipna in (True, False):
        got = to_host(getattr(df, how)(skipna=skipna).compute())
        expected = getattr(pdf, how)(skipna=skipna)
        assert list(got.index) == list(expected.index)
        for a, b in zip(got.tolist(), expected.tolist()):
            assert (a is pd.NA) == (b is pd.NA) and (a is None) == (b is None)
            assert (pd.isna(a) and pd.isna(b)) or a == b
