"""``to_dask_array`` / ``values``: gpuscale arrays from frames, against pandas' and dask's values."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends import to_host


@pytest.fixture
def pdf():
    return pd.DataFrame({"a": np.arange(11), "b": np.linspace(0, 1, 11)})


def test_to_dask_array_with_lengths(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    x = df.to_dask_array(lengths=True)
    theirs = dd.from_pandas(pdf, npartitions=3).to_dask_array(lengths=True)
    assert x.chunks[0] == tuple(len(df.get_partition(i)) for i in range(3)) and x.chunks[1] == theirs.chunks[1]
    assert x.dtype == theirs.dtype
    np.testing.assert_array_equal(to_host(x.compute()), theirs.compute())
    np.testing.assert_allclose(to_host(x.sum(axis=0).compute()), pdf.to_numpy().sum(axis=0))
    assert df.a.to_dask_array(lengths=[4, 4, 3]).chunks == ((4, 4, 3),)
    with pytest.raises(ValueError, match="lengths"):
        df.to_dask_array(lengths=[1, 2])


def test_values_has_unknown_row_counts(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    v = df[df.a % 2 == 0].b.values
    assert np.isnan(v.chunks[0][0])
    np.testing.assert_array_equal(to_host(v.compute()), pdf[pdf.a % 2 == 0].b.to_numpy())
    np.testing.assert_array_equal(to_host(df.values.compute()), pdf.values)


@pytest.mark.parametrize("order", [2, 3])
@pytest.mark.parametrize("axis", [0, None])
def test_moment_of_values_of_unknown_lengths_counts_the_rows_as_dask(pdf, backend, order, axis):
    import dask.array as da
    import scipy.stats

    import gpuscale.array as ga
    from gpuscale.array import stats

    values = gd.from_pandas(pdf, npartitions=3, backend=backend).values  # blocks of unknown length
    theirs = da.moment(dd.from_pandas(pdf, npartitions=3).values, order, axis=axis).compute()
    got = to_host(ga.moment(values, order, axis=axis).compute())  # was NaN: divided by the unknown length
    np.testing.assert_allclose(got, theirs, atol=1e-12)  # third moments of symmetric columns are ~0
    np.testing.assert_allclose(got, scipy.stats.moment(pdf.to_numpy(), order, axis=axis), atol=1e-12)
    series = gd.from_pandas(pdf.b, npartitions=2, backend=backend)
    np.testing.assert_allclose(to_host(stats.moment(series, order).compute()), scipy.stats.moment(pdf.b, order),
                               atol=1e-12)


@pytest.mark.parametrize("other", [[1.0, 2.0, 3.0], ["a", "b", "c"],
                                   pd.date_range("2024-01-01", periods=3, tz="UTC")])
def test_values_of_nullable_integers_beside_other_columns_are_pandas_objects(other):
    # pandas' and dask's values of such a frame: objects keeping 1 and <NA> (to_dask_array gave 1.0 and NaN)
    pdf = pd.DataFrame({"i": pd.array([1, None, 3], dtype="Int64"), "o": other})
    values = gd.from_pandas(pdf, npartitions=2, backend="cpu").values
    got = values.compute()
    assert values.dtype == got.dtype == pdf.values.dtype == object
    assert got.tolist() == pdf.values.tolist()
    assert got.tolist() == dd.from_pandas(pdf, npartitions=2).values.compute().tolist()
