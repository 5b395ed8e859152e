"""Column selection of partitions (``backends/frame/ops.select_columns``, behind ``df[[...]]`` and the
columns pushed into an in-memory source): the frame pandas' ``df[list]`` gives, by position where the
labels allow it, pandas' own lookup (and errors) elsewhere; and window workloads that read one or two
columns of a wider frame, against pandas and dask."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends.frame.ops import getitem, select_columns
from gpuscale.testing import assert_eq

dd = pytest.importorskip("dask.dataframe")


def _wide() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 300
    frame = pd.DataFrame({"x": rng.normal(size=n), "k": rng.integers(0, 7, n),
                          "c": pd.array(rng.choice(["a", "bb", "ccc"], n), dtype="str"),
                          "y": rng.uniform(size=n)},
                         index=pd.date_range("2024-01-01", periods=n, freq="min", name="t"))
    frame.columns.name = "fields"
    return frame


@pytest.mark.parametrize("columns", [("x",), ("c", "x"), ("y", "k", "c", "x"), ("x", "k", "c", "y"), ()])
def test_select_columns_is_pandas_list_getitem(columns):
    frame = _wide()
    got, expected = select_columns(frame, columns), frame[list(columns)]
    pd.testing.assert_frame_equal(got, expected)
    assert got.columns.name == expected.columns.name
    assert got is not frame


def test_select_columns_shares_data_and_copies_on_write():
    frame = _wide()
    got = select_columns(frame, ("k", "x"))
    if int(pd.__version__.split(".")[0]) >= 3:  # (pandas 2 without copy-on-write: a copy, shared by nothing)
        assert np.shares_memory(got["x"].to_numpy(), frame["x"].to_numpy())
    got.iloc[0, 1] = 1e9  # copy-on-write: the partition the selection came from is unchanged
    assert frame["x"].iloc[0] != 1e9


@pytest.mark.parametrize("frame,columns", [
    (pd.DataFrame([[1, 2, 3]], columns=["a", "a", "b"]), ("a",)),  # repeated labels: both columns
    (pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)])), ("a",)),
    (pd.DataFrame([[1, 2]], columns=pd.to_datetime(["2024-01-01", "2024-02-01"])), ("2024-01-01",)),
    (pd.DataFrame({1: [1], 1.5: [2]}), (1.0,)),
    (pd.DataFrame({"a": [1], 0: [2]}), (0,)),
])
def test_select_columns_other_labels_as_pandas(frame, columns):
    pd.testing.assert_frame_equal(select_columns(frame, columns), frame[list(columns)])


def test_select_columns_missing_label_is_pandas_key_error():
    frame = _wide()
    with pytest.raises(KeyError, match="zz"):
        select_columns(frame, ("x", "zz"))
    with pytest.raises(KeyError, match="zz"):
        getitem(frame, ("zz",))


@pytest.mark.parametrize("workload", ["shift", "diff", "cumsum", "rolling", "groupby_cumsum"])
def test_windows_of_a_projection_match_pandas_and_dask(workload):
    frame = _wide()
    ours = gd.from_pandas(frame, npartitions=4)
    theirs = dd.from_pandas(frame, npartitions=4)

    def run(df):
        if workload == "shift":
            return df.x.shift(3)
        if workload == "diff":
            return df[["y", "x"]].diff()
        if workload == "cumsum":
            return df[["x", "y"]].cumsum()
        if workload == "rolling":
            return df.x.rolling(5).mean()
        return df.groupby("k").x.cumsum()

    assert_eq(run(ours), run(frame))
    assert_eq(run(ours), run(theirs).compute())


def test_a_callable_key_is_called_with_the_frame_as_pandas(backend):
    # df[lambda d: ...] raised KeyError (the function was taken for a column label)
    from tests.dataframe.frame_helpers import to_host

    pdf = pd.DataFrame({"a": [1, 2, 3, 4], "b": list("wxyz")})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for key in (lambda d: d.a > 2, lambda d: ["b"], lambda d: "a"):
        got = to_host(df[key].compute())
        expected = pdf[key]
        (pd.testing.assert_frame_equal if isinstance(expected, pd.DataFrame) else pd.testing.assert_series_equal)(
            got, expected)
