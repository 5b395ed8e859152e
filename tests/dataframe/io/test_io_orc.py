"""read_orc / to_orc against pandas, pyarrow's ORC files and dask.dataframe on the same files."""

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

orc = pytest.importorskip("pyarrow.orc")
dd = pytest.importorskip("dask.dataframe")


@pytest.fixture
def frame():
    rng = np.random.default_rng(7)
    n = 300
    return pd.DataFrame({"i": np.arange(n, dtype="int32"), "x": rng.normal(size=n),
                         "s": rng.choice(["ab", "c", "def"], n), "t": pd.date_range("2024-01-01", periods=n,
                                                                                     freq="h")})


def _stripes_file(path, frame, rows_per_stripe):
    """One ORC file whose stripes hold ``rows_per_stripe`` rows each (pyarrow cuts a stripe per batch)."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    with orc.ORCWriter(path, stripe_size=1, batch_size=rows_per_stripe) as writer:
        for start in range(0, len(frame), rows_per_stripe):
            writer.write(table.slice(start, rows_per_stripe))
    assert orc.ORCFile(path).nstripes == -(-len(frame) // rows_per_stripe)
    return path


def _host(df):
    return to_host(df.compute()).reset_index(drop=True)


@pytest.mark.parametrize("write_index", [True, False])
def test_roundtrip_matches_pandas_and_dask(tmp_path, frame, write_index):
    pdf = frame.set_index("i")
    df = gd.from_pandas(pdf, npartitions=3)
    df.to_orc(str(tmp_path / "g"), write_index=write_index)
    assert sorted(os.listdir(tmp_path / "g")) == ["part.0.orc", "part.1.orc", "part.2.orc"]
    back = gd.read_orc(str(tmp_path / "g"), index="i" if write_index else None)
    assert back.npartitions == 3
    want = pdf if write_index else pdf.reset_index(drop=True)
    got = to_host(back.compute())
    tm.assert_frame_equal(got if write_index else got.reset_index(drop=True), want, check_dtype=False,
                          check_index_type=False)
    theirs = dd.read_orc(str(tmp_path / "g"), index="i" if write_index else None).compute()
    tm.assert_frame_equal(got, theirs, check_dtype=False, check_index_type=False)


def test_dask_reads_what_gpuscale_writes_and_back(tmp_path, frame):
    dd.from_pandas(frame, npartitions=2).to_orc(str(tmp_path / "d"), write_index=False)
    tm.assert_frame_equal(_host(gd.read_orc(str(tmp_path / "d"))), frame, check_dtype=False)
    gd.from_pandas(frame, npartitions=2).to_orc(str(tmp_path / "g"), write_index=False)
    tm.assert_frame_equal(dd.read_orc(str(tmp_path / "g")).compute().reset_index(drop=True), frame,
                          check_dtype=False)


def test_columns_index_and_unknown_column(tmp_path, frame):
    gd.from_pandas(frame, npartitions=2).to_orc(str(tmp_path / "g"), write_index=False)
    got = gd.read_orc(str(tmp_path / "g"), columns=["x", "s"], index="i")
    assert list(got.columns) == ["x", "s"] and got.index.name == "i"
    tm.assert_frame_equal(to_host(got.compute()), frame.set_index("i")[["x", "s"]], check_dtype=False,
                          check_index_type=False)
    with pytest.raises(ValueError, match=r"\['nope'\] not in the ORC schema"):
        gd.read_orc(str(tmp_path / "g"), columns=["x", "nope"])
    with pytest.raises(ValueError, match="engine"):
        gd.read_orc(str(tmp_path / "g"), engine="fastorc")
    with pytest.raises(FileNotFoundError):
        gd.read_orc(str(tmp_path / "missing"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.integers(1, 40), min_size=1, max_size=4), per_stripe=st.integers(3, 30),
       split=st.sampled_from([False, 1, 2, 3, True]), aggregate=st.booleans())
def test_stripe_partitions_as_dask(tmp_path_factory, rows, per_stripe, split, aggregate):
    folder = tmp_path_factory.mktemp("stripes")
    frames = []
    for k, n in enumerate(rows):
        part = pd.DataFrame({"a": np.arange(n) + 100 * k, "b": np.arange(n) * 0.5})
        _stripes_file(str(folder / f"f{k}.orc"), part, per_stripe)
        frames.append(part)
    ours = gd.read_orc(str(folder), split_stripes=split, aggregate_files=aggregate)
    theirs = dd.read_orc(str(folder), split_stripes=split, aggregate_files=aggregate)
    assert ours.npartitions == theirs.npartitions
    tm.assert_frame_equal(_host(ours), pd.concat(frames, ignore_index=True), check_dtype=False)
    sizes = to_host(ours.map_partitions(len).compute()).tolist()
    assert sizes == theirs.map_partitions(len).compute().tolist()


def test_lazy_write_leaves_nothing_until_computed_and_nothing_after_an_error(tmp_path, frame):
    df = gd.from_pandas(frame, npartitions=3)
    job = df.to_orc(str(tmp_path / "lazy"), compute=False)
    assert not (tmp_path / "lazy").exists()
    job.compute()
    assert len(os.listdir(tmp_path / "lazy")) == 3
    with pytest.raises(FileExistsError, match="overwrite=True"):
        df.to_orc(str(tmp_path / "lazy"))
    df.to_orc(str(tmp_path / "lazy"), overwrite=True)

    def fail_last(part):
        if part.i.iloc[0] >= 200:
            raise RuntimeError("boom in the last partition")
        return part

    with pytest.raises(RuntimeError, match="boom"):
        df.map_partitions(fail_last, meta=df._meta).to_orc(str(tmp_path / "broken"))
    assert sorted(os.listdir(tmp_path)) == ["lazy"]  # no folder, no temporary sibling
    with pytest.raises(TypeError, match="to_frame"):
        gd.to_orc(df.x, str(tmp_path / "series"))


def test_only_the_columns_a_computation_needs_are_read(tmp_path, frame, monkeypatch):
    gd.from_pandas(frame, npartitions=2).to_orc(str(tmp_path / "g"), write_index=False)
    read = []
    original = orc.ORCFile.read_stripe

    def recording(self, n, columns=None):
        read.append(tuple(columns))
        return original(self, n, columns=columns)

    monkeypatch.setattr(orc.ORCFile, "read_stripe", recording)
    df = gd.read_orc(str(tmp_path / "g"), index="i")
    assert float(df.x.sum().compute()) == pytest.approx(frame.x.sum())
    assert set(read) == {("x", "i")}
    read.clear()
    assert len(df) == len(frame) and set(read) == {("i",)}
    tm.assert_frame_equal(to_host(df[["s", "x"]].compute()), frame.set_index("i")[["s", "x"]], check_dtype=False,
                          check_index_type=False)
    plain = gd.read_orc(str(tmp_path / "g"))
    read.clear()
    assert len(plain) == len(frame) and set(read) == {("i",)}  # one column for the row count


@pytest.mark.parametrize("compression", ["snappy", "ZLIB", "zstd", None])
def test_to_orc_compression(tmp_path, frame, compression):
    """``to_orc(compression=)`` (dask_cudf's keyword): every file's stripes use that codec, and the data reads
    back as written."""
    folder = str(tmp_path / "out")
    gd.from_pandas(frame, npartitions=3, backend="pandas").to_orc(folder, write_index=False, compression=compression)
    files = sorted(os.listdir(folder))
    assert files == ["part.0.orc", "part.1.orc", "part.2.orc"]
    expected = "UNCOMPRESSED" if compression is None else compression.upper()
    assert {orc.ORCFile(os.path.join(folder, f)).compression for f in files} == {expected}
    back = pd.concat([orc.read_table(os.path.join(folder, f)).to_pandas() for f in files], ignore_index=True)
    tm.assert_frame_equal(back, frame, check_dtype=False)


def test_to_orc_unknown_compression_is_refused_before_writing(tmp_path, frame):
    folder = tmp_path / "out"
    with pytest.raises(ValueError, match="compression='brotli' is not one of"):
        gd.from_pandas(frame, npartitions=2, backend="pandas").to_orc(str(folder), compression="brotli")
    assert not folder.exists()


def test_orc_dates_have_the_partition_library_s_dtype(tmp_path):
    """An ORC ``date`` column: pandas makes ``datetime.date`` objects, cuDF ``datetime64[s]`` (it has no date
    type); the metadata says what the partitions hold (it said object on cuDF), empty stripes included."""
    import datetime

    import pyarrow as pa

    path = str(tmp_path / "dates.orc")
    days = [datetime.date(1900, 12, 25) + datetime.timedelta(days=k) for k in range(6)]
    orc.write_table(pa.table({"d": pa.array(days, pa.date32()), "x": list(range(6))}), path)
    df = gd.read_orc(path)
    computed = df.compute()
    assert computed.dtypes["d"] == df.dtypes["d"]
    expected = pd.read_orc(path)
    if str(df.dtypes["d"]).startswith("datetime64"):  # cuDF's dates
        expected["d"] = pd.to_datetime(expected["d"]).astype(df.dtypes["d"])
    tm.assert_frame_equal(to_host(computed), expected)
    assert df[df.x > 10].compute().dtypes["d"] == df.dtypes["d"]


def test_overwrite_replaces_a_dataset_of_more_parts(tmp_path):
    """``overwrite=True`` after a write of more partitions removes its other ``part.<i>.orc`` files (they were
    read back with the new ones: 10 rows for 4); the folder's other files stay."""
    import os

    frame = pd.DataFrame({"a": range(10)})
    folder = tmp_path / "o"
    gd.from_pandas(frame, npartitions=5).to_orc(str(folder))
    (folder / "notes.txt").write_text("kept")
    gd.from_pandas(frame.iloc[:4], npartitions=2).to_orc(str(folder), overwrite=True)
    assert sorted(os.listdir(folder)) == ["notes.txt", "part.0.orc", "part.1.orc"]
    assert to_host(gd.read_orc(str(folder / "*.orc")).compute()).a.tolist() == [0, 1, 2, 3]
