"""Zarr IO (``from_zarr`` / ``to_zarr``), ``store`` and lazy sources, against dask.array and zarr on the same
data.  Runs on NumPy chunks and on array-api-strict ``device1`` chunks (tests/array/conftest.py): blocks are
read on the host and moved to the device, and written back to the host explicitly."""

from __future__ import annotations

import threading

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.array.zarr import aligned_chunks
from array_helpers import assert_same, compute

zarr = pytest.importorskip("zarr")

DATA = np.arange(10 * 12, dtype="float64").reshape(10, 12) / 7


class CountingSource:
    """A sliceable stand-in for a lazy backend array: records every read."""

    def __init__(self, data: np.ndarray) -> None:
        self.data, self.shape, self.dtype, self.reads = data, data.shape, data.dtype, []
        self.lock = threading.Lock()

    def __getitem__(self, key: tuple) -> list:
        with self.lock:
            self.reads.append(key)
        return self.data[key].tolist()  # not an array: read_block must materialise it


def test_from_array_reads_a_lazy_source_block_by_block():
    source = CountingSource(DATA)
    x = ga.from_array(source, chunks=(4, 5))
    assert source.reads == []  # nothing read when the expression is built
    assert x.chunks == ((4, 4, 2), (5, 5, 2))
    assert_same(x[5:7, 6:9], DATA[5:7, 6:9])
    assert all(k[0].stop - k[0].start <= 4 and k[1].stop - k[1].start <= 5 for k in source.reads)
    assert len(source.reads) <= 2  # only the blocks holding the slice
    source.reads.clear()
    assert_same(ga.sum(x, axis=0), DATA.sum(axis=0))
    assert len(source.reads) == 9  # every block exactly once, never the whole array


def test_from_zarr_matches_dask_and_reads_lazily(tmp_path):
    path = str(tmp_path / "a.zarr")
    z = zarr.create_array(store=path, shape=DATA.shape, chunks=(3, 5), dtype="f8")
    z[...] = DATA
    x = ga.from_zarr(path)
    expected = da.from_zarr(path)
    assert x.chunks == expected.chunks
    assert_same(x, expected.compute())
    assert_same(ga.from_zarr(path, chunks=(6, 12)).rechunk((6, 12)), DATA)
    assert ga.from_zarr(path, chunks=(6, -1)).chunks == da.from_zarr(path, chunks=(6, -1)).chunks
    assert_same(ga.from_zarr(z)[2:9:3, ::-2], DATA[2:9:3, ::-2])  # a zarr.Array object


def test_from_zarr_component_and_memory_url():
    url = "memory://gpuscale-from-zarr"
    z = zarr.create_array(store=url, name="group/values", shape=DATA.shape, chunks=(4, 4), dtype="f8",
                          overwrite=True)
    z[...] = DATA
    x = ga.from_zarr(url, component="group/values")
    assert x.chunks == da.from_zarr(url, component="group/values").chunks
    assert_same(x * 2, DATA * 2)
    group = zarr.open_group(url, mode="r")
    assert_same(ga.from_zarr(group, component="group/values"), DATA)


@pytest.mark.parametrize("chunks", [(4, 5), (3, 12), ((2, 5, 3), (7, 5))])
def test_to_zarr_round_trip_matches_dask(tmp_path, chunks):
    x = ga.asarray(DATA, chunks=chunks)
    ga.to_zarr(x, str(tmp_path / "g.zarr"))
    da.to_zarr(da.from_array(DATA, chunks=tuple(max(c) for c in x.chunks)), str(tmp_path / "d.zarr"))
    ours, theirs = zarr.open_array(str(tmp_path / "g.zarr")), zarr.open_array(str(tmp_path / "d.zarr"))
    assert ours.chunks == theirs.chunks == tuple(max(c) for c in x.chunks)
    np.testing.assert_array_equal(ours[...], theirs[...])
    assert_same(ga.from_zarr(str(tmp_path / "g.zarr")), DATA)


def test_to_zarr_memory_url_component_and_overwrite():
    url = "memory://gpuscale-to-zarr"
    x = ga.asarray(DATA, chunks=(5, 6))
    ga.to_zarr(x, url, component="out", overwrite=True)
    with pytest.raises(zarr.errors.ContainsArrayError):
        ga.to_zarr(x, url, component="out")
    ga.to_zarr(x + 1, url, component="out", overwrite=True)
    np.testing.assert_array_equal(zarr.open_array(url, path="out", mode="r")[...], DATA + 1)


def test_aligned_chunks_give_each_zarr_chunk_to_one_block():
    assert aligned_chunks(((4, 4, 2),), (0,), (4,)) == ((4, 4, 2),)  # already aligned: kept
    assert aligned_chunks(((8, 2),), (0,), (4,)) == ((8, 2),)  # multiples of the zarr chunk: kept
    assert aligned_chunks(((3, 3, 4),), (0,), (4,)) == ((4, 4, 2),)  # misaligned: the zarr grid
    assert aligned_chunks(((10,),), (3,), (5,)) == ((10,),)  # one block covers the region
    assert aligned_chunks(((5, 5),), (3,), (5,)) == ((2, 5, 3),)  # region offset 3: grid cells inside it


def test_to_zarr_rechunks_misaligned_blocks(tmp_path):
    x = ga.asarray(DATA, chunks=((3, 3, 4), (7, 5)))
    z = zarr.create_array(store=str(tmp_path / "t.zarr"), shape=DATA.shape, chunks=(4, 4), dtype="f8")
    writes = ga.to_zarr(x, z, compute=False)
    assert writes.numblocks == (3, 3)  # one write per zarr chunk, not per source block
    writes.compute()
    np.testing.assert_array_equal(z[...], DATA)


def test_to_zarr_region_matches_dask(tmp_path):
    ours = zarr.create_array(store=str(tmp_path / "r1.zarr"), shape=(20, 12), chunks=(5, 6), dtype="f8",
                             fill_value=-1)
    theirs = zarr.create_array(store=str(tmp_path / "r2.zarr"), shape=(20, 12), chunks=(5, 6), dtype="f8",
                               fill_value=-1)
    region = (slice(3, 13), slice(0, 12))
    ga.to_zarr(ga.asarray(DATA, chunks=(4, 5)), str(tmp_path / "r1.zarr"), region=region)
    da.to_zarr(da.from_array(DATA, chunks=(5, 6)), theirs, region=region)
    np.testing.assert_array_equal(ours[...], theirs[...])
    with pytest.raises(ValueError, match="region shape"):
        ga.to_zarr(ga.asarray(DATA), str(tmp_path / "r1.zarr"), region=(slice(0, 4),))


def _fail_on_block(block, block_id=None):
    if block_id == (1, 1):
        raise RuntimeError("block (1, 1) failed")
    return block


def test_failed_to_zarr_removes_the_new_array(tmp_path):
    path = str(tmp_path / "fail.zarr")
    x = ga.map_blocks(_fail_on_block, ga.asarray(DATA, chunks=(4, 4)), dtype=DATA.dtype)
    with pytest.raises(RuntimeError, match=r"block \(1, 1\) failed"):
        ga.to_zarr(x, path)
    with pytest.raises(FileNotFoundError):
        zarr.open_array(path, mode="r")
    url = "memory://gpuscale-fail"
    with pytest.raises(RuntimeError):
        ga.to_zarr(x, url, component="a/b", overwrite=True)
    with pytest.raises(FileNotFoundError):
        zarr.open_array(url, path="a/b", mode="r")


def test_failed_region_write_keeps_each_chunk_old_or_new(tmp_path):
    path = str(tmp_path / "old.zarr")
    z = zarr.create_array(store=path, shape=DATA.shape, chunks=(4, 4), dtype="f8", fill_value=-1)
    x = ga.map_blocks(_fail_on_block, ga.asarray(DATA, chunks=(4, 4)), dtype=DATA.dtype)
    with pytest.raises(RuntimeError):
        ga.to_zarr(x, path, region=(slice(0, 10), slice(0, 12)))
    out = z[...]
    for i in range(0, 10, 4):
        for j in range(0, 12, 4):
            chunk = out[i:i + 4, j:j + 4]
            assert np.array_equal(chunk, DATA[i:i + 4, j:j + 4]) or (chunk == -1).all()
    assert (out[4:8, 4:8] == -1).all()  # the failed block's chunk was never written


def test_store_regions_lock_and_return_stored_match_dask():
    x = ga.asarray(DATA, chunks=(4, 5))
    ours, theirs = np.zeros((14, 12)), np.zeros((14, 12))
    ga.store(x, ours, regions=(slice(2, 12),), lock=True)
    da.store(da.from_array(DATA, chunks=(4, 5)), theirs, regions=(slice(2, 12),), lock=True)
    np.testing.assert_array_equal(ours, theirs)
    a, b = np.zeros(DATA.shape), np.zeros(DATA.shape)
    lazy = ga.store([x, x * 2], [a, b], compute=False, lock=threading.Lock())
    assert not a.any()
    for w in lazy:
        w.compute()
    np.testing.assert_array_equal(b, DATA * 2)
    c = np.zeros(DATA.shape)
    stored = ga.store(x + 1, c, return_stored=True)
    assert_same(stored, DATA + 1)
    np.testing.assert_array_equal(c, DATA + 1)
    d = np.zeros(DATA.shape)
    stored_lazy = ga.store(x, d, return_stored=True, compute=False)
    assert not d.any()
    assert_same(stored_lazy, DATA)
    np.testing.assert_array_equal(d, DATA)


def test_store_checks_shapes():
    with pytest.raises(ValueError, match="differs from source shape"):
        ga.store(ga.asarray(DATA), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="2 sources but 1 targets"):
        ga.store([ga.asarray(DATA), ga.asarray(DATA)], [np.zeros(DATA.shape)])


def test_from_zarr_to_zarr_pipeline_is_lazy(tmp_path):
    src = str(tmp_path / "src.zarr")
    zarr.create_array(store=src, shape=DATA.shape, chunks=(5, 6), dtype="f8")[...] = DATA
    y = ga.from_zarr(src) * 3 - 1
    ga.to_zarr(y, str(tmp_path / "dst.zarr"))
    np.testing.assert_allclose(compute(ga.from_zarr(str(tmp_path / "dst.zarr"))), DATA * 3 - 1)


def test_from_zarr_name_keys_the_blocks(tmp_path) -> None:
    # dask's from_zarr(name=) / from_array(<zarr array>, name=): the array is called so, its blocks keyed by it
    path = str(tmp_path / "named.zarr")
    data = np.arange(24.0).reshape(6, 4)
    zarr.create_array(store=path, shape=data.shape, chunks=(3, 4), dtype="f8")[...] = data
    x = ga.from_zarr(path, name="temperature")
    assert x.name == "temperature"
    assert sorted(x.__dask_keys__()) == [[("temperature", 0, 0)], [("temperature", 1, 0)]]
    assert_same(x - x.mean(), data - data.mean())
    assert ga.from_zarr(path).name != ga.from_zarr(path, name="other").name


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_a_chunk_that_does_not_decompress_names_the_chunk(tmp_path, zarr_format):
    # Zarr's "Zstd decompression error" (or the codec's) named no chunk; now the same error type names it
    path = tmp_path / "a.zarr"
    z = zarr.create_array(str(path), shape=(40,), chunks=(10,), dtype="f8", zarr_format=zarr_format)
    z[:] = np.arange(40.0)
    key = z.metadata.encode_chunk_key((2,))
    (path / key).write_bytes(b"garbage!!")
    with pytest.raises(Exception) as expected:
        zarr.open_array(str(path), mode="r")[:]
    x = ga.from_zarr(str(path), chunks=20)
    with pytest.raises(type(expected.value), match=f"cannot read Zarr chunk '{key}' of '.*a.zarr'") as got:
        x.sum().compute()
    assert str(expected.value) in str(got.value)
    assert_same(x[:20], np.arange(20.0))  # the other chunks read as before
