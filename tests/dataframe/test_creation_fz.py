"""Collections whose values, metadata or divisions disagreed with pandas / dask (found by fuzzing against
pandas 3.1 and dask 2026.7.1): ``values`` of tz-aware datetimes, ``map_partitions(transform_divisions=)``,
the metadata of categoricals without categories, ``repartition`` of a tz-aware index."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


def _eastern():
    return pd.Series(pd.date_range("2020-01-01", periods=3, tz="US/Eastern"))


def test_values_of_tz_aware_datetimes_are_the_utc_instants(backend):
    # pandas' Series.values / Index.values give the UTC instants as naive datetime64; gpuscale gave an object
    # array of Timestamps (with the extension-dtype warning)
    ps = _eastern()
    s = gd.from_pandas(ps, npartitions=2, backend=backend)
    index = gd.from_pandas(pd.DataFrame({"a": range(3)}, index=ps), npartitions=2, backend=backend).index
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning about extension dtypes
        arrays = [s.values, s.to_dask_array(), index.values]
    expected = ps.dt.tz_convert(None).to_numpy()  # pandas' (deprecated) ps.values
    for x in arrays:
        assert x.dtype == expected.dtype  # (the index's unit: microseconds in pandas 3, nanoseconds in pandas 2.2)
        np.testing.assert_array_equal(np.asarray(to_host(x.compute())), expected)


def test_map_partitions_takes_dasks_transform_divisions(backend):
    # the keyword of dask's signature was passed on to the function (which had no such argument)
    pdf = pd.DataFrame({"a": range(6)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for flag in (True, False):
        out = df.map_partitions(lambda x: x + 1, transform_divisions=flag)
        assert out.divisions == df.divisions  # kept, as before and as dask
        assert to_host(out.compute()).a.tolist() == [1, 2, 3, 4, 5, 6]
        values = df.a.map_partitions(lambda s: s * 2, transform_divisions=flag, meta=("a", "int64"))
        assert to_host(values.compute()).tolist() == [0, 2, 4, 6, 8, 10]
        series = df.index.map_partitions(lambda i: i.to_series(), transform_divisions=flag)
        assert to_host(series.compute()).tolist() == list(range(6))
    top = gd.map_partitions(lambda x: x - 1, df, transform_divisions=False)
    assert to_host(top.compute()).a.tolist() == [-1, 0, 1, 2, 3, 4]
    parent = df.map_partitions(lambda x: x + 1, parent_meta=df._meta)  # dask's keyword, not the function's
    assert to_host(parent.compute()).a.tolist() == [1, 2, 3, 4, 5, 6]


def test_inferred_metadata_of_a_categorical_without_categories_invents_none(backend):
    # the sample stand-in of a categorical without categories held a made-up "a", which became a category of
    # the inferred metadata (the partitions have none), where dask's metadata has none either
    empty = pd.Categorical([None, None], categories=pd.Index([], dtype="str"))
    pdf = pd.DataFrame({"c": empty, "v": [1.0, 2.0]})
    df = gd.from_pandas(pdf, npartitions=1, backend=backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warning of metadata inferred from sample data
        frame = df.map_partitions(lambda x: x.assign(z=x.v * 2))
        series = df.c.map_partitions(lambda s: s)
    for dtype in (frame.dtypes["c"], series.dtype):
        assert len(dtype.categories) == 0
    assert list(to_host(frame.compute()).c.cat.categories) == []


def test_repartition_to_more_partitions_keeps_tz_aware_divisions(backend):
    # the boundaries were spread only over numbers and naive datetimes: a tz-aware index lost its divisions
    # (dask spreads them over the UTC instants; across a DST change here)
    index = pd.date_range("2020-03-08", periods=12, freq="h", tz="US/Eastern")
    pdf = pd.DataFrame({"a": range(12)}, index=index)
    out = gd.from_pandas(pdf, npartitions=3, backend=backend).repartition(npartitions=5)
    assert out.known_divisions and out.npartitions == 5
    assert out.divisions[0] == index[0] and out.divisions[-1] == index[-1]
    assert out.divisions[1] == pd.Timestamp("2020-03-08 03:24", tz="US/Eastern")  # dask's boundary
    assert all(str(d.tz) == "US/Eastern" for d in out.divisions)
    pd.testing.assert_frame_equal(to_host(out.compute()), pdf)
