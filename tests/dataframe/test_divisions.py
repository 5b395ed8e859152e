"""Divisions tools against dask.dataframe and pandas: clear_divisions, compute_current_divisions,
partitions / get_partition, repartition by npartitions, divisions, partition_size and freq,
set_index of a Series or with divisions."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def data():
    return pd.DataFrame({"x": range(20), "y": np.arange(20.0) * 2, "s": list("abcdefghijklmnopqrst")},
                        index=np.arange(20) * 10)


@pytest.fixture
def frames(data, backend):
    return gd.from_pandas(data, npartitions=4, backend=backend), dd.from_pandas(data, npartitions=4)


@pytest.fixture
def hourly():
    return pd.DataFrame({"v": range(24 * 20)}, index=pd.date_range("2021-09-25", periods=24 * 20, freq="h"))


def _partitions(collection):
    return [to_host(collection.get_partition(i).compute()) for i in range(collection.npartitions)]


def _same_as_dask(got, expected, data):
    """Same divisions and partition contents as dask, and the same data as pandas."""
    assert got.divisions == expected.divisions
    assert got.npartitions == expected.npartitions
    for mine, theirs in zip(_partitions(got), [expected.get_partition(i).compute()
                                               for i in range(expected.npartitions)]):
        pd.testing.assert_frame_equal(mine, theirs, check_dtype=False) if isinstance(mine, pd.DataFrame) else \
            pd.testing.assert_series_equal(mine, theirs, check_dtype=False)
    assert_eq(got, data)


def test_known_and_clear_divisions(frames, data):
    df, ddf = frames
    assert df.known_divisions and df.divisions == ddf.divisions == (0, 50, 100, 150, 190)
    cleared = df.clear_divisions()
    assert not cleared.known_divisions and cleared.divisions == ddf.clear_divisions().divisions
    assert_eq(cleared, data)
    assert_eq(df.clear_divisions().x, data.x)  # projections pass through
    assert cleared.x.optimize().npartitions == 4


def test_compute_current_divisions(frames, data):
    df, ddf = frames
    cleared, dcleared = df.clear_divisions(), ddf.clear_divisions()
    assert cleared.compute_current_divisions() == dcleared.compute_current_divisions() == (0, 50, 100, 150, 190)
    assert cleared.compute_current_divisions("y") == dcleared.compute_current_divisions("y")
    assert df.compute_current_divisions() == df.divisions  # known: no computation
    restored = cleared.compute_current_divisions(set_divisions=True)
    assert restored.divisions == dcleared.compute_current_divisions(set_divisions=True).divisions
    assert_eq(restored.loc[60:120], data.loc[60:120])
    with pytest.raises(NotImplementedError, match="set_index"):
        cleared.compute_current_divisions("x", set_divisions=True)


def test_compute_current_divisions_checks_the_order(data, backend):
    shuffled = gd.from_pandas(data.iloc[::-1], npartitions=4, backend=backend, sort=False)
    with pytest.raises(ValueError, match="not sorted"):
        shuffled.compute_current_divisions()
    repeated = data.set_axis([0] * 5 + [1] * 10 + [2] * 5)
    overlapping = gd.concat([gd.from_pandas(repeated.iloc[i:i + 5], npartitions=1, backend=backend)
                             for i in range(0, 20, 5)]).clear_divisions()  # partitions of 5 rows: 0, 1, 1, 2
    with pytest.warns(UserWarning, match="overlapping"):
        assert overlapping.compute_current_divisions() == (0, 1, 1, 2, 2)
    with pytest.raises(ValueError, match="overlapping"):
        overlapping.compute_current_divisions(set_divisions=True)


def test_compute_current_divisions_with_empty_partitions(data, backend):
    df = gd.from_pandas(data, npartitions=4, backend=backend)
    holes = df[(df.x < 3) | (df.x > 12)].clear_divisions()  # partition 1 is empty
    assert holes.compute_current_divisions() == (0, 130, 130, 150, 190)
    kept = data[(data.x < 3) | (data.x > 12)]
    assert_eq(holes.compute_current_divisions(set_divisions=True).loc[20:160], kept.loc[20:160])
    with pytest.warns(UserWarning, match="last partition is empty"):
        assert df[df.x < 3].clear_divisions().compute_current_divisions() == (None,) * 5


def test_partitions_and_get_partition(frames, data):
    df, ddf = frames
    for key in [1, -1, slice(1, 3), [0, 2], [True, False, True, True], np.array([1, 3])]:
        got, expected = df.partitions[key], ddf.partitions[key]
        assert got.divisions == expected.divisions
        assert_eq(got, expected.compute(), check_dtype=False)
    reordered = df.partitions[::-1]
    assert not reordered.known_divisions  # dask keeps (150, 100, 50, 0, 50), which no partitioning has
    assert_eq(reordered, ddf.partitions[::-1].compute(), check_dtype=False)
    assert df.get_partition(2).divisions == ddf.get_partition(2).divisions == (100, 150)
    assert_eq(df.get_partition(3), data.iloc[15:])
    for n in (-1, 4):
        with pytest.raises(ValueError, match="0 <= n < 4"):
            df.get_partition(n)
    with pytest.raises(ValueError, match="no partition"):
        df.partitions[3:1]
    with pytest.raises(IndexError):
        df.partitions[[True, False]]


@pytest.mark.parametrize("npartitions", [1, 3, 4, 7, 12])
def test_repartition_npartitions(frames, data, npartitions):
    df, ddf = frames
    got = df.repartition(npartitions=npartitions)
    assert got.npartitions == npartitions
    assert_eq(got, data)
    if npartitions > 4:  # more: interpolated divisions, as dask
        _same_as_dask(got, ddf.repartition(npartitions=npartitions), data)
    assert df.repartition(npartitions) .npartitions == npartitions  # positional count, as before


def test_repartition_npartitions_without_numeric_divisions(data, backend):
    strings = data.set_index("s")
    df = gd.from_pandas(strings, npartitions=2, backend=backend)
    got = df.repartition(npartitions=5)
    assert got.npartitions == 5 and not got.known_divisions
    assert_eq(got, strings)


@pytest.mark.parametrize("divisions", [[0, 35, 90, 190], [0, 10, 20, 30, 45, 55, 190], [0, 100, 190, 190],
                                       [0, 190], [0, 50, 100, 150, 190], [0, 49, 50, 51, 190]])
def test_repartition_divisions(frames, data, divisions):
    df, ddf = frames
    _same_as_dask(df.repartition(divisions=divisions), ddf.repartition(divisions=divisions), data)
    _same_as_dask(df.x.repartition(divisions=divisions), ddf.x.repartition(divisions=divisions), data.x)


def test_repartition_divisions_rules(frames, data):
    df, ddf = frames
    for bad in ([5, 100, 190], [0, 100, 200]):
        with pytest.raises(ValueError, match="side of old and new divisions are different"):
            df.repartition(divisions=bad)
        with pytest.raises(ValueError, match="side of old and new divisions are different"):
            ddf.repartition(divisions=bad).compute()  # dask raises when it builds the graph
    forced = df.repartition(divisions=[-5, 100, 300], force=True)
    assert forced.divisions == ddf.repartition(divisions=[-5, 100, 300], force=True).divisions
    assert_eq(forced, data)
    with pytest.raises(ValueError, match="equal or smaller"):
        df.repartition(divisions=[5, 300], force=True)
    with pytest.raises(ValueError, match="must increase"):
        df.repartition(divisions=[0, 100, 50, 190])
    with pytest.raises(ValueError, match="unknown divisions"):
        df.clear_divisions().repartition(divisions=[0, 100, 190])
    with pytest.raises(ValueError, match="exactly one"):
        df.repartition(npartitions=2, divisions=[0, 190])


@needs_pandas_3("dask sizes text as Arrow strings under pandas 2 (other partition counts)")
@pytest.mark.parametrize("size", ["150B", "500B", "700B", "100MB", 330])
def test_repartition_partition_size(frames, data, backend, size):
    df, ddf = frames
    got = df.repartition(partition_size=size)
    assert_eq(got, data)
    if backend == "pandas":  # the same memory sizes as dask measures: the same plan
        expected = ddf.repartition(partition_size=size)
        assert got.npartitions == expected.npartitions and got.divisions == expected.divisions
    assert got.repartition(partition_size="1GB").npartitions == 1


@pytest.mark.parametrize("freq", ["1D", "12h", "W", "ME", "3D"])
def test_repartition_freq(hourly, backend, freq):
    df = gd.from_pandas(hourly, npartitions=5, backend=backend)
    ddf = dd.from_pandas(hourly, npartitions=5)
    _same_as_dask(df.repartition(freq=freq), ddf.repartition(freq=freq), hourly)


def test_repartition_freq_needs_a_time_index(frames):
    df, _ = frames
    with pytest.raises(TypeError, match="timeseries"):
        df.repartition(freq="1D")


def test_set_index_of_a_series(frames, data):
    df, ddf = frames
    got = df.set_index(df.y * 2)
    expected = data.set_index(data.y * 2)
    assert got.known_divisions and got.npartitions == ddf.set_index(ddf.y * 2).npartitions
    assert_eq(got, expected)
    assert to_host(got.compute()).index.name == "y"
    divisions = [100, 105, 110, 119]
    _same_as_dask(df.set_index(df.x + 100, divisions=divisions), ddf.set_index(ddf.x + 100, divisions=divisions),
                  data.set_index(data.x + 100))
    other = gd.from_pandas(data.x.rename("k") % 4, npartitions=4)
    assert_eq(df.set_index(other, sorted=False), data.set_index(data.x.rename("k") % 4).sort_index(kind="stable"))


def test_set_index_with_divisions(frames, data):
    df, ddf = frames
    divisions = [0, 10, 20, 38]
    _same_as_dask(df.set_index("y", divisions=divisions), ddf.set_index("y", divisions=divisions),
                  data.set_index("y"))
    sorted_index = df.set_index("x", sorted=True, divisions=[0, 5, 10, 15, 19])
    assert sorted_index.divisions == (0, 5, 10, 15, 19)
    assert_eq(sorted_index.loc[7:12], data.set_index("x").loc[7:12])


@pytest.mark.parametrize("dtype", ["float64", "Int64", "datetime64[ns]"])
def test_set_index_sorted_keeps_a_partition_of_missing_keys(backend, dtype):
    """``set_index(col, sorted=True)`` where a partition holds missing keys only: its rows are kept, last (they
    were dropped with the partitions that have no boundaries)."""
    values = [1, 2, None] if dtype != "datetime64[ns]" else ["2020-01-01", "2020-01-02", None]
    pdf = pd.DataFrame({"f": pd.Series(values).astype(dtype) if dtype != "datetime64[ns]" else
                        pd.to_datetime(values), "i": [1, 2, 3]})
    got = gd.from_pandas(pdf, npartitions=3, backend=backend).set_index("f", sorted=True)
    assert len(got) == 3
    assert to_host(got.compute()).i.tolist() == [1, 2, 3]


def test_set_index_given_divisions_are_kept_without_computing(backend):
    # as dask: the divisions are the caller's (a min / max pass to widen them computed at graph-build time,
    # which dask's test_set_index_with_explicit_divisions refuses with a scheduler that raises)
    import dask

    pdf = pd.DataFrame({"k": [1, 7, 12, 20, 29, 3], "v": range(6)})

    def refuse(*args, **kwargs):
        raise AssertionError("set_index(divisions=) computed something")

    with dask.config.set(scheduler=refuse):
        got = gd.from_pandas(pdf, npartitions=2, backend=backend).set_index("k", divisions=[0, 10, 30])
    assert got.divisions == (0, 10, 30)
    want = pdf.set_index("k").sort_index()
    assert to_host(got.compute()).index.tolist() == want.index.tolist()
    for key in (slice(16, None), slice(None, 2), slice(3, 25)):
        assert to_host(got.loc[key].compute()).index.tolist() == want.loc[key].index.tolist()
