"""Smaller dask.dataframe behaviours, compared with pandas and dask: value_counts(normalize=True) over
several output partitions, DataFrame.cov/corr arguments by position, a 1-D dask array with one column
name, Scalar.ndim, and compute() of collections nested in lists, tuples and dicts."""

from __future__ import annotations

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale
import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    x = rng.integers(0, 6, 60).astype(float)
    x[::7] = np.nan
    return pd.DataFrame({"x": x, "y": rng.normal(size=60), "z": rng.normal(size=60)})


@pytest.mark.parametrize("dropna", [True, False])
def test_value_counts_normalize_over_several_output_partitions(frame, backend, dropna):
    s = gd.from_pandas(frame, npartitions=4, backend=backend).x
    got = s.value_counts(split_out=3, normalize=True, dropna=dropna)
    expected = frame.x.value_counts(normalize=True, dropna=dropna)
    assert_eq(got.compute().sort_index(), expected.sort_index())
    ddf_result = dd.from_pandas(frame, npartitions=4).x.value_counts(split_out=3, normalize=True, dropna=dropna)
    assert_eq(got.compute().sort_index(), ddf_result.compute().sort_index())


def test_frame_cov_and_corr_arguments_by_position(frame, backend):
    df = gd.from_pandas(frame[["y", "z"]], npartitions=3, backend=backend)
    ddf = dd.from_pandas(frame[["y", "z"]], npartitions=3)
    assert_eq(df.cov(10), frame[["y", "z"]].cov(10), rtol=1e-9)
    assert_eq(df.cov(100), frame[["y", "z"]].cov(100))  # too few pairs: NaN, as pandas
    assert_eq(df.cov(10), ddf.cov(10).compute(), rtol=1e-9)
    assert_eq(df.corr("pearson"), frame[["y", "z"]].corr("pearson"), rtol=1e-9)
    with pytest.raises(TypeError, match="takes no other"):
        df.cov(df.y)


def test_one_dimensional_dask_array_with_one_column_name(backend):
    array = da.arange(10.0, chunks=5)
    got = gd.from_dask_array(array, columns=["x"])
    expected = dd.from_dask_array(array, columns=["x"])
    assert list(got.columns) == ["x"]
    assert_eq(got, expected.compute())
    with pytest.raises(ValueError, match="one column"):
        gd.from_dask_array(array, columns=["x", "y"])


def test_scalar_ndim(frame, backend):
    s = gd.from_pandas(frame, npartitions=3, backend=backend).y
    assert s.sum().ndim == dd.from_pandas(frame, npartitions=3).y.sum().ndim == 0


def _scalars(lib, data):
    df = lib.from_pandas(data, npartitions=2)
    median = df.ar.median() if lib is gd else df.ar.median_approximate()
    return {"str max": df.s.max(), "tz max": df.t.max(), "timedelta max": df.td.max(), "categorical min": df.c.min(),
            "int sum": df.i.sum(), "float mean": df.f.mean(), "rows": df.shape[0], "size": df.i.size,
            "count": df.i.count(), "bool any": df.b.any(), "arrow median": median}


def test_scalar_dtype_as_dask(backend):
    data = pd.DataFrame({"s": list("abcd"), "t": pd.date_range("2020", periods=4, tz="UTC"),
                         "td": pd.to_timedelta([1, 2, 3, 4], unit="s"), "c": pd.Categorical(list("abab"), ordered=True),
                         "i": [1, 2, 3, 4], "f": [0.5, 1.5, 2.5, 3.5], "b": [True, False, True, True],
                         "ar": pd.array([1.0, 2.0, 3.0, 4.0], dtype="double[pyarrow]")})
    ours, theirs = _scalars(gd, data), _scalars(dd, data)
    for name, scalar in ours.items():
        # was the metadata's Python class: <class 'str'>, <class 'pandas.Timestamp'>, <class 'int'>
        assert scalar.dtype == theirs[name].dtype, name
        assert repr(scalar) == f"<gpuscale Scalar: dtype={theirs[name].dtype}>", name


def test_compute_traverses_lists_tuples_and_dicts(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    nested = [df.y.sum(), {"n": df.shape[0], "cols": df.shape[1]}, (df.z.max(), "label")]
    got = gpuscale.compute(nested, 7)
    ddf = dd.from_pandas(frame, npartitions=3)
    expected = dask.compute([ddf.y.sum(), {"n": ddf.shape[0], "cols": ddf.shape[1]}, (ddf.z.max(), "label")], 7)
    assert got[1] == expected[1] == 7
    assert got[0][0] == pytest.approx(expected[0][0])
    assert got[0][1] == expected[0][1] == {"n": len(frame), "cols": 3}
    assert got[0][2] == (pytest.approx(frame.z.max()), "label")
