"""Python protocols and small argument checks of DataFrame/Series, compared with pandas and dask:
iteration, ``in``, ``del``, IPython key completion, ``copy(deep=)``, ``head`` of too few partitions,
list conditions of ``where``/``mask``, ``nlargest`` without columns."""

from __future__ import annotations

import warnings

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"A": np.arange(9), 0: np.arange(9) * 1.5, "C": list("abcabcabc")})


def test_iteration_and_membership(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    ddf = dd.from_pandas(frame, npartitions=3)
    assert list(df) == list(frame) == list(ddf)
    assert ("A" in df, 0 in df, "B" in df, 1 in df) == (True, True, False, False)
    assert [float(v) for v in df[0]] == [float(v) for v in frame[0]] == [float(v) for v in ddf[0]]
    assert df._ipython_key_completions_() == list(frame.columns)


def test_del_removes_the_column_from_this_frame_only(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    before = df.copy()
    del df["C"]
    assert_eq(df, frame.drop(columns="C"))
    assert_eq(before, frame)


def test_copy_is_shallow_only(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    assert_eq(df.copy(deep=False), frame)
    for deep in (True, None):
        with pytest.raises(ValueError, match="must be False"):
            df.copy(deep=deep)


def test_head_of_too_few_partitions(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    with pytest.warns(UserWarning, match="5 elements requested, only 3 elements"):
        got = df.head(5)
    assert_eq(got, frame.head(3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_eq(df.head(5, npartitions=2), frame.head(5))
        assert_eq(df.head(20, npartitions=-1), frame)
    with pytest.raises(ValueError, match="only 3 partitions"):
        df.head(2, npartitions=4)


def test_where_mask_refuse_unlabelled_conditions(frame, backend):
    numbers = frame[["A", 0]]
    df = gd.from_pandas(numbers, npartitions=3, backend=backend)
    cond = (numbers.to_numpy() > 3).tolist()
    for method in ("where", "mask"):
        with pytest.raises(ValueError, match="can be aligned"):
            getattr(df, method)(cond, 5)
        with pytest.raises(ValueError, match="can be aligned"):
            getattr(df, method)(np.array(cond), 5)
        labelled = pd.DataFrame(cond, index=numbers.index, columns=numbers.columns)
        assert_eq(getattr(df, method)(labelled, 5), getattr(numbers, method)(labelled, 5))
        expected = getattr(dd.from_pandas(numbers, npartitions=3), method)(labelled, 5).compute()
        assert_eq(getattr(df, method)(labelled, 5), expected)


def test_nlargest_of_a_frame_needs_columns(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    with pytest.raises(TypeError, match="required positional argument: 'columns'"):
        df.nlargest()
    with pytest.raises(TypeError, match="required positional argument: 'columns'"):
        df.nsmallest(2)
    assert_eq(df.nlargest(2, "A"), frame.nlargest(2, "A"))
    assert_eq(df.A.nsmallest(), frame.A.nsmallest())


def test_columns_assignment_by_position(backend):
    nested = pd.DataFrame({("A", "0"): [1, 2, 2, 3], ("B", 1): [1, 2, 3, 4]})
    df = gd.from_pandas(nested, npartitions=2, backend=backend)
    df.columns = ["x", "y"]
    expected = nested.copy()
    expected.columns = ["x", "y"]
    assert list(df.columns) == ["x", "y"] and df.known_divisions
    assert_eq(df, expected)
    with pytest.raises(ValueError, match="Expected axis has 2 elements, new values have 4 elements"):
        df.columns = [1, 2, 3, 4]


def test_squeeze_and_dropna_argument_errors(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    with pytest.raises(NotImplementedError, match="does not support squeeze along axis 0"):
        df.squeeze(axis=0)
    with pytest.raises(ValueError, match="No axis 2 for object type"):
        df.squeeze(axis=2)
    assert_eq(df[["A"]].squeeze(axis=1), frame[["A"]].squeeze(axis=1))
    with pytest.raises(TypeError, match="both the how and thresh"):
        df.dropna(how="all", thresh=1)
    assert_eq(df.dropna(thresh=2), frame.dropna(thresh=2))
