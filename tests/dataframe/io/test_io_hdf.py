"""read_hdf / to_hdf against pandas and dask.dataframe on the same HDF5 files."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

pytest.importorskip("tables")
dd = pytest.importorskip("dask.dataframe")


@pytest.fixture
def frame():
    rng = np.random.default_rng(3)
    n = 50
    return pd.DataFrame({"x": rng.normal(size=n), "k": rng.integers(0, 9, n)},
                        index=pd.Index(np.arange(n) * 2.0, name="t"))


def test_read_chunks_columns_and_sorted_index_as_dask(tmp_path, frame):
    path = str(tmp_path / "a.h5")
    frame.to_hdf(path, key="/data", format="table")
    for options in ({}, {"chunksize": 7}, {"chunksize": 7, "sorted_index": True}, {"columns": ["k"]}):
        ours = gd.read_hdf(path, "/data", **options)
        theirs = dd.read_hdf(path, "/data", **options)
        assert ours.npartitions == theirs.npartitions and ours.divisions == theirs.divisions
        tm.assert_frame_equal(to_host(ours.compute()), theirs.compute())
    # rows 5 to 32, as pandas reads them (dask's last chunk reads past stop=: rows 33 and 34 too)
    ours = gd.read_hdf(path, "/data", start=5, stop=33, chunksize=10)
    assert ours.npartitions == 3
    tm.assert_frame_equal(to_host(ours.compute()), pd.read_hdf(path, "/data", start=5, stop=33))
    assert gd.read_hdf(path, "data", chunksize=7, sorted_index=True).known_divisions
    series = frame.x.rename("x")
    series.to_hdf(path, key="/s", format="table")
    tm.assert_series_equal(to_host(gd.read_hdf(path, "/s", chunksize=9).compute()), series)


def test_globs_over_files_and_keys(tmp_path, frame):
    for i in range(3):
        frame.iloc[i * 10:(i + 1) * 10].to_hdf(str(tmp_path / f"f{i}.h5"), key=f"/d{i}", format="table")
        frame.iloc[i * 10:(i + 1) * 10].to_hdf(str(tmp_path / "one.h5"), key=f"/d{i}", format="table")
    by_file = gd.read_hdf(str(tmp_path / "f*.h5"), "/d*")
    by_key = gd.read_hdf(str(tmp_path / "one.h5"), "/d*")
    tm.assert_frame_equal(to_host(by_file.compute()), frame.iloc[:30])
    tm.assert_frame_equal(to_host(by_key.compute()), dd.read_hdf(str(tmp_path / "one.h5"), "/d*").compute())
    listed = gd.read_hdf([str(tmp_path / "f0.h5"), str(tmp_path / "f2.h5")], "/d*")
    assert len(listed.compute()) == 20


def test_errors_name_the_cause(tmp_path, frame):
    path = str(tmp_path / "a.h5")
    frame.to_hdf(path, key="/data", format="table")
    frame.to_hdf(path, key="/fixed", format="fixed")
    with pytest.raises(FileNotFoundError, match="nope.h5"):
        gd.read_hdf(str(tmp_path / "nope.h5"), "/data")
    with pytest.raises(ValueError, match="empty list"):
        gd.read_hdf([], "/data")
    with pytest.raises(TypeError, match="'fixed' format"):
        gd.read_hdf(path, "/fixed")
    with pytest.raises(ValueError, match="number of rows"):
        gd.read_hdf(path, "/data", stop=500)
    with pytest.raises(ValueError, match="positive integer"):
        gd.read_hdf(path, "/data", chunksize=0)
    df = gd.from_pandas(frame, npartitions=2)
    with pytest.raises(ValueError, match="'table' format"):
        df.to_hdf(str(tmp_path / "b.h5"), "/d", format="fixed")
    with pytest.raises(ValueError, match="at most one"):
        df.to_hdf(str(tmp_path / "c-*.h5"), "/d*")


@pytest.mark.parametrize("layout", [("one.h5", "/data"), ("one.h5", "/data_*"), ("part-*.h5", "/data")])
def test_to_hdf_layouts_as_dask(tmp_path, frame, layout):
    path, key = str(tmp_path / "ours" / layout[0]), layout[1]
    os.makedirs(tmp_path / "ours")
    os.makedirs(tmp_path / "dask")
    written = gd.from_pandas(frame, npartitions=3).to_hdf(path, key)
    theirs = dd.from_pandas(frame, npartitions=3).to_hdf(str(tmp_path / "dask" / layout[0]), key)
    assert [os.path.basename(p) for p in written] == [os.path.basename(p) for p in theirs]
    tm.assert_frame_equal(to_host(gd.read_hdf(path, key).compute()), frame)
    tm.assert_frame_equal(dd.read_hdf(path, key).compute(), frame)


def test_to_hdf_append_and_lazy_and_failure(tmp_path, frame):
    path = str(tmp_path / "a.h5")
    df = gd.from_pandas(frame, npartitions=2)
    job = df.to_hdf(path, "/d", compute=False)
    assert not os.path.exists(path)
    job.compute()
    df.to_hdf(path, "/d", append=True)
    assert len(pd.read_hdf(path, "/d")) == 100
    df.to_hdf(path, "/d", mode="a")  # a new first write replaces the key
    assert len(pd.read_hdf(path, "/d")) == 50

    def boom(part):
        if part.k.iloc[0] >= 0 and part.index[0] > 40:
            raise RuntimeError("boom in a partition")
        return part

    with pytest.raises(RuntimeError, match="boom"):
        df.map_partitions(boom, meta=df._meta).to_hdf(str(tmp_path / "new-*.h5"), "/d")
    assert sorted(os.listdir(tmp_path)) == ["a.h5"]  # the files this write made are gone


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 60), chunksize=st.integers(1, 25), npartitions=st.integers(1, 5))
def test_roundtrip_any_chunking(tmp_path_factory, n, chunksize, npartitions):
    folder = tmp_path_factory.mktemp("h")
    frame = pd.DataFrame({"v": np.arange(n) * 0.5}, index=pd.Index(np.arange(n), name="i"))
    gd.from_pandas(frame, npartitions=npartitions).to_hdf(str(folder / "r.h5"), "/v")
    got = gd.read_hdf(str(folder / "r.h5"), "/v", chunksize=chunksize, sorted_index=True)
    assert got.npartitions == -(-n // chunksize)
    tm.assert_frame_equal(to_host(got.compute()), frame)


def test_projected_reads_match_pandas(tmp_path, frame):
    path = str(tmp_path / "p.h5")
    frame.assign(s=frame.k.astype(str)).to_hdf(path, key="/d", format="table", data_columns=True)
    df = gd.read_hdf(path, "/d", chunksize=12)
    assert float(df.x.sum().compute()) == pytest.approx(frame.x.sum())
    tm.assert_frame_equal(to_host(df[["s", "k"]].compute()), frame.assign(s=frame.k.astype(str))[["s", "k"]])
    assert len(df) == len(frame)


def test_text_columns_keep_pandas_text_dtype_in_the_metadata(tmp_path, backend):
    """The metadata is read from the first row: pandas reads no row's text as object, a row's as its text dtype
    (the metadata said object where the partitions hold pandas 3's str)."""
    pdf = pd.DataFrame({"s": ["a", None, "b"], "x": [1, 2, 3]})
    path = str(tmp_path / "text.h5")
    pdf.to_hdf(path, key="k", format="table")
    if backend == "cudf":
        pytest.skip("pandas' text dtypes")
    df = gd.read_hdf(path, "k")
    expected = pd.read_hdf(path, "k")
    assert list(df._meta.dtypes) == list(expected.dtypes)
    pd.testing.assert_frame_equal(df.compute(), expected)


def test_key_glob_skips_the_categories_pandas_keeps_under_a_key(tmp_path):
    """pandas keeps a table's categories in keys under it (``/data-0/meta/values_block_1/meta``); a key glob took
    them as data and failed (a metadata mismatch)."""
    frame = pd.DataFrame({"a": range(4), "c": pd.Categorical(list("xyxy"))})
    path = str(tmp_path / "k.h5")
    for key in ("/data-0", "/data-1"):
        frame.to_hdf(path, key=key, format="table")
    got = gd.read_hdf(path, "/data-*").compute()
    tm.assert_frame_equal(to_host(got).reset_index(drop=True), pd.concat([frame, frame], ignore_index=True))
