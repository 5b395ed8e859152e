"""Module-level helpers of dask.dataframe: map_partitions, repartition, isna, to_numeric, to_timedelta,
compute, assert_eq — against pandas and dask.dataframe."""

from __future__ import annotations

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def pdf():
    return pd.DataFrame({"x": np.arange(20.0), "s": ["1", "2.5", "x", "4"] * 5, "n": np.arange(20)})


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=4, backend=backend)


def test_map_partitions(df, pdf):
    assert_eq(gd.map_partitions(lambda a, b: a + b, df.x, df.n), pdf.x + pdf.n)
    assert_eq(gd.map_partitions(lambda k, a: a * k, 3, df.x), pdf.x * 3)
    theirs = dd.map_partitions(lambda a, b: a + b, dd.from_pandas(pdf, npartitions=4).x,
                               dd.from_pandas(pdf, npartitions=4).n).compute()
    assert_eq(gd.map_partitions(lambda a, b: a + b, df.x, df.n), theirs)
    with pytest.raises(ValueError, match="collection"):
        gd.map_partitions(len, [1, 2])


def test_repartition_isna(df, pdf):
    out = gd.repartition(df, divisions=[0, 10, 19])
    assert out.divisions == (0, 10, 19)
    assert_eq(out, pdf)
    assert_eq(gd.isna(df.x.where(df.x > 3)), pdf.x.where(pdf.x > 3).isna())
    assert gd.isna(np.nan) and not gd.isna(1)


def test_repartition_of_a_pandas_object_splits_it_at_the_divisions(pdf):
    # as dask: the index is sorted, then cut at the given boundaries
    shuffled = pdf.iloc[::-1]
    ours, theirs = gd.repartition(shuffled, divisions=[0, 7, 19]), dd.repartition(shuffled, divisions=[0, 7, 19])
    assert ours.divisions == theirs.divisions == (0, 7, 19)
    assert [len(ours.get_partition(i)) for i in range(2)] == [len(theirs.get_partition(i)) for i in range(2)]
    assert_eq(ours, shuffled.sort_index())
    with pytest.raises(TypeError, match="DataFrame or Series"):
        gd.repartition([1, 2], divisions=[0, 1])


def test_to_numeric_and_to_timedelta(df, pdf):
    assert_eq(gd.to_numeric(df.s, errors="coerce"), pd.to_numeric(pdf.s, errors="coerce"))
    theirs = dd.to_numeric(dd.from_pandas(pdf, npartitions=4).s, errors="coerce").compute()
    assert_eq(gd.to_numeric(df.s, errors="coerce"), theirs.astype("float64"))  # dask: nullable Float64
    assert_eq(gd.to_timedelta(df.n, unit="s"), pd.to_timedelta(pdf.n, unit="s"))
    assert_eq(gd.to_timedelta(df.n, unit="ms"), dd.to_timedelta(dd.from_pandas(pdf, npartitions=4).n,
                                                                 unit="ms").compute())


def test_compute_and_assert_eq(df, pdf):
    total, largest = gd.compute(df.x.sum(), df.n.max())
    assert (total, largest) == dask.compute(dd.from_pandas(pdf, npartitions=2).x.sum(),
                                            dd.from_pandas(pdf, npartitions=2).n.max())
    gd.assert_eq(df, pdf)
    with pytest.raises(AssertionError):
        gd.assert_eq(df.x + 1, pdf.x)


def test_assert_eq_takes_dasks_keywords():
    """``dd.assert_eq(a, b, check_divisions=False, scheduler="sync", ...)`` in ported tests: dask's keywords,
    and dask's default of comparing rows in any order."""
    pdf = pd.DataFrame({"x": range(10), "s": list("abcdeabcde")})
    df = gd.from_pandas(pdf, npartitions=3)
    gd.assert_eq(df, pdf, check_divisions=False, scheduler="sync")
    gd.assert_eq(df, pdf.iloc[::-1])  # sort_results=True, as dask
    with pytest.raises(AssertionError):
        gd.assert_eq(df, pdf.iloc[::-1], sort_results=False)
    gd.assert_eq(df.s.rename("t"), pdf.s, check_names=False)
    with pytest.raises(AssertionError):
        gd.assert_eq(df.s.rename("t"), pdf.s)
    gd.assert_eq(df.x.astype("int32"), pdf.x, check_dtype=False)
    gd.assert_eq(df.x + 1, pdf.x + 1, check_index=False)
    unsorted = df.map_partitions(lambda p: p.iloc[::-1])  # divisions kept, rows out of order
    with pytest.raises(AssertionError, match="not sorted"):
        gd.assert_eq(unsorted, pdf.iloc[::-1])
    gd.assert_eq(unsorted, pdf.iloc[::-1], check_divisions=False)


def test_assert_eq_returns_true_and_computes_dask_collections():
    """``assert dd.assert_eq(a, b)`` ports (dask's returns True), and a dask collection on either side (such as
    ``dask.datasets.timeseries()``) is computed, so a result can be checked against dask's."""
    pdf = pd.DataFrame({"x": range(10), "y": np.arange(10.0) % 3})
    assert gd.assert_eq(gd.from_pandas(pdf, npartitions=3), dd.from_pandas(pdf, npartitions=2)) is True
    assert assert_eq(gd.from_pandas(pdf, npartitions=3).x, pdf.x) is True
    with pytest.raises(AssertionError):
        gd.assert_eq(gd.from_pandas(pdf, npartitions=3).y, dd.from_pandas(pdf, npartitions=2).y + 1)


@pytest.mark.parametrize("case", ["index named as a column", "repeated column labels", "list values",
                                  "array values"])
def test_assert_eq_compares_rows_in_any_order_whatever_the_labels(case):
    """Rows are put in order by position: an index named as a column (``df.set_index(df.x)``), repeated column
    labels and values that cannot be ordered (the lists of ``groupby.agg(list)``) are compared too."""
    if case == "index named as a column":
        pdf = pd.DataFrame({"x": [3, 1, 2, 1], "y": [1.0, 2.0, 3.0, 4.0]})
        pdf = pdf.set_index(pdf.x)
    elif case == "repeated column labels":
        pdf = pd.DataFrame([[1, 2], [0, 5], [1, 1]], columns=["a", "a"])
    elif case == "list values":
        pdf = pd.DataFrame({"k": [1, 2, 3], "v": [[1, 2], [0], [5, 1]]})
    else:  # (the arrays of groupby(...).unique())
        pdf = pd.DataFrame({"k": [1, 2, 3], "v": [np.array([1, 2]), np.array([0, 4]), np.array([5, 1])]})
    assert gd.assert_eq(pdf, pdf.iloc[::-1])
    changed = pdf.copy()
    changed.iloc[0, 0] = changed.iloc[1, 0]
    with pytest.raises(AssertionError):
        gd.assert_eq(pdf, changed)


def test_dask_style_assert_eq_compares_strings_as_dask_does():
    """dask's ``assert_eq`` turns both sides' strings into pyarrow strings: ``object``, ``str`` and the NA-using
    ``string`` compare equal with the same values (columns, Series, index), and different strings still differ;
    gpuscale.testing's ``assert_eq`` keeps telling the dtypes apart."""
    values = ["a", "b", None]
    plain = pd.DataFrame({"s": pd.Series(values, dtype="str"), "n": [1, 2, 3]}, index=pd.Index(["x", "y", "z"]))
    nullable = plain.astype({"s": pd.StringDtype("pyarrow")}).set_axis(
        pd.Index(["x", "y", "z"], dtype=pd.StringDtype("pyarrow")))
    objects = plain.astype({"s": object})
    df = gd.from_pandas(plain, npartitions=2)
    assert gd.assert_eq(df, nullable) and gd.assert_eq(df, objects) and gd.assert_eq(df.s, nullable.s)
    with pytest.raises(AssertionError):
        gd.assert_eq(df, nullable.assign(s=["a", "c", None]))
    with pytest.raises(AssertionError):
        assert_eq(df, nullable)


def test_assert_eq_of_missing_scalars():
    """A lazy scalar that is pandas' NA (``first_valid_index`` of an Int64 index) equals NA; not a number."""
    s = pd.Series([np.nan, 1.0], index=pd.array([None, 4], dtype="Int64"))
    got = gd.from_pandas(s.iloc[:1], npartitions=1).first_valid_index()
    assert gd.assert_eq(gd.from_pandas(s, npartitions=1).first_valid_index(), s.first_valid_index())
    assert gd.assert_eq(pd.NA, pd.NA) and gd.assert_eq(np.nan, np.nan) and got.compute() is None
    with pytest.raises(AssertionError):
        gd.assert_eq(pd.NA, 1)


def test_notna_isnull_notnull_and_pivot_as_pandas(backend):
    pdf = pd.DataFrame({"d": [1, 1, 2, 3], "c": ["a", "b", "a", "b"], "v": [1.0, None, 3.0, 4.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(gd.notna(df), pd.notna(pdf))
    assert_eq(gd.isnull(df.v), pd.isnull(pdf.v))
    assert_eq(gd.notnull(df.v), pd.notnull(pdf.v))
    assert gd.notna(None) is pd.notna(None) and gd.isnull(float("nan")) == pd.isnull(float("nan"))
    assert_eq(gd.pivot(df, index="d", columns="c", values="v"), pd.pivot(pdf, index="d", columns="c", values="v"))
