"""``chunks="auto"`` (and byte-size chunks) give dask.array's blocks for the same shape, dtype and target,
so code ported from dask gets the same blocks (NumPy chunks: gpuscale's CPU target is dask's 128 MiB)."""

from __future__ import annotations

import dask
import numpy as np
import dask.array as da
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale
import gpuscale.array as ga
from gpuscale.array import _chunks


@pytest.mark.parametrize("shape, chunks, dtype", [
    ((10000, 10000), "auto", "float64"), ((1000, 1000, 1000), "auto", "float64"), ((100, 20_000_000), "auto", "f8"),
    ((50_000,), "auto", "int8"), ((10000, 10000), (1000, "auto"), "float32"), ((4000, 4000), "1 MB", "float64"),
    ((6000, 6000, 10), ("auto", 100, None), "float64"), ((3, 5_000_000, 7), {1: "auto"}, "float64"),
])
def test_auto_blocks_are_dasks(backend, shape, chunks, dtype):
    if backend != "numpy":
        pytest.skip("the GPU target (1 GiB) is not dask's")
    assert ga.ones(shape, chunks=chunks, dtype=dtype).chunks == da.ones(shape, chunks=chunks, dtype=dtype).chunks


@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(1, 5000), min_size=1, max_size=4),
       target=st.sampled_from([2**10, 2**16, 2**20, 2**24]), itemsize=st.sampled_from([1, 4, 8]))
def test_any_shape_and_target_as_dask(shape, target, itemsize):
    dtype = {1: "int8", 4: "float32", 8: "float64"}[itemsize]
    ours = _chunks.auto_chunks(tuple(shape), itemsize, target)
    with dask.config.set({"array.chunk-size": target}):
        assert ours == da.ones(tuple(shape), chunks="auto", dtype=dtype).chunks
    assert all(sum(c) == n for c, n in zip(ours, shape))


def test_the_target_is_the_configured_one(backend):
    if backend != "numpy":
        pytest.skip("NumPy's option")
    with gpuscale.config.set(**{"array.chunk_bytes.cpu": "1MiB"}):
        assert ga.ones((4096, 4096), chunks="auto").chunks[0][0] == 362  # (2**20 / 8) ** 0.5


def _blocks(entries, shape):
    return tuple(_chunks.regular(c, n) if isinstance(c, int) else tuple(c) for c, n in zip(entries, shape))


@st.composite
def _chunked_request(draw):
    shape = tuple(draw(st.lists(st.integers(1, 3000), min_size=1, max_size=3)))
    previous = tuple(_chunks.regular(draw(st.integers(1, n)), n) for n in shape)
    chunks = tuple(draw(st.one_of(st.just("auto"), st.integers(1, n))) for n in shape)
    return shape, previous, chunks


@settings(max_examples=200, deadline=None)
@given(request=_chunked_request(), target=st.sampled_from([2**10, 2**14, 2**18, 2**22]),
       itemsize=st.sampled_from([1, 4, 8]))
def test_auto_from_previous_blocks_as_dask(request, target, itemsize):
    from dask.array.core import normalize_chunks

    shape, previous, chunks = request
    dtype = {1: "int8", 4: "float32", 8: "float64"}[itemsize]
    want = normalize_chunks(chunks, shape, limit=target, dtype=dtype, previous_chunks=previous)
    assert _blocks(_chunks.auto_chunks_from(previous, chunks, shape, itemsize, target), shape) == want


def test_auto_from_previous_merges_whole_disk_chunks():
    # 100-long blocks on disk, 1 MB target of float64 (131072 elements) over 64 rows: 2048 columns,
    # 20 whole disk blocks
    entries = _chunks.auto_chunks_from(((64,), (100,) * 50), (64, "auto"), (64, 5000), 8, 2**20)
    assert entries[1] == (2000, 2000, 1000)


@pytest.mark.parametrize("shape, before, request_", [
    ((6000, 6000, 10), (1000, 1000, 5), {0: -1, 1: 100, 2: "auto"}), ((100, 1000, 1000), (10, 100, 100), "auto"),
    ((10000, 10000), (1000, 1000), ("auto", None)), ((5000, 5000), (100, 100), {1: "auto"}),
    ((200, 300), (10, 10), "1 MB"), ((4000, 30), (7, 30), ("auto", -1)),
])
def test_rechunk_auto_keeps_whole_blocks_as_dask(backend, shape, before, request_):
    if backend != "numpy":
        pytest.skip("the GPU target (1 GiB) is not dask's")
    ours = ga.ones(shape, chunks=before).rechunk(request_)
    assert ours.chunks == da.ones(shape, chunks=before).rechunk(request_).chunks
    assert float(ours.sum().compute()) == float(np.prod(shape))


def test_rechunk_none_keeps_the_axis(backend):
    x = ga.ones((40, 30), chunks=(7, 4))
    assert x.rechunk((10, None)).chunks == ((10,) * 4, x.chunks[1]) == da.ones((40, 30), chunks=(7, 4)).rechunk(
        (10, None)).chunks


@pytest.mark.parametrize("request_", ["auto", {0: -1, 1: "auto"}, ("auto", 250)])
def test_from_array_of_a_chunked_store_keeps_its_chunks_whole_as_dask(backend, tmp_path, request_):
    zarr = pytest.importorskip("zarr")
    if backend != "numpy":
        pytest.skip("the GPU target (1 GiB) is not dask's")
    z = zarr.create_array(store=str(tmp_path / "z"), shape=(10000, 6000), chunks=(1000, 750), dtype="f8")
    assert ga.from_array(z, chunks=request_).chunks == da.from_array(z, chunks=request_).chunks


@pytest.mark.parametrize("previous", [(100, 100), ((100,), (7,)), ((60, 40), (100,))])
def test_xarray_chunk_manager_normalizes_as_dask(previous):
    from dask.array.core import normalize_chunks

    from gpuscale.xarray import GpuscaleManager

    got = GpuscaleManager().normalize_chunks(("auto", "auto"), shape=(100, 100), limit=4000, dtype=np.dtype("f8"),
                                             previous_chunks=previous)
    assert got == normalize_chunks(("auto", "auto"), (100, 100), limit=4000, dtype="f8", previous_chunks=previous)


def test_a_flat_tuple_is_the_block_lengths_of_a_one_dimensional_array(backend):
    x = ga.asarray(np.arange(10), chunks=(3, 3, 4))
    assert x.chunks == ((3, 3, 4),) == da.from_array(np.arange(10), chunks=(3, 3, 4)).chunks
    with pytest.raises(ValueError, match="do not add up"):
        ga.asarray(np.arange(10), chunks=(3, 3, 3))
    assert ga.ones((4, 6), chunks=(2, 3)).chunks == ((2, 2), (3, 3))  # one entry per axis stays that


@pytest.mark.parametrize("size, make", [
    ("10MiB", lambda m: m.ones((100, 1000, 1000), chunks=(1, 1000, 1000), dtype="uint8").rechunk("auto")),
    ("7MiB", lambda m: m.ones((100, 1000, 1000), chunks=(1, 1000, 1000), dtype="uint8").rechunk("auto")),
    ("1MiB", lambda m: m.ones((100, 2000, 2000), chunks=(1, 1000, 1000), dtype="float64").rechunk("auto")),
    ("1MiB", lambda m: m.ones((100, 1000, 1000), chunks=(10, 1000, 1000), dtype="uint8").rechunk({1: "auto"})),
    ("1B", lambda m: m.ones(10, chunks=5).rechunk("auto")),
    ("100 B", lambda m: m.asarray(np.ones(1000))),
    ("128kiB", lambda m: m.from_array(np.empty((100, 100, 100)), chunks={0: 10, 1: -1, 2: "auto"})),
])
def test_dasks_chunk_size_option_sets_the_target_on_every_backend(size, make, backend):
    # gpuscale.config.set({"array.chunk-size": ...}) where ported code had dask.config.set: dask's blocks
    with dask.config.set({"array.chunk-size": size}):
        expected = make(da).chunks
    with gpuscale.config.set({"array.chunk-size": size}):
        assert make(ga).chunks == expected
    assert gpuscale.config.get("array.chunk_size") is None  # unset: the per-device targets


@pytest.mark.parametrize("size", ["10MiB", "1MiB", "100 B"])
def test_ported_dask_config_chunk_size_is_honoured(size, backend):
    # ported code keeps its dask.config.set calls: they set gpuscale's target too, unless gpuscale's own is set
    make = lambda m: m.ones((100, 1000, 100), chunks=(1, 1000, 100), dtype="float64").rechunk("auto")  # noqa: E731
    with dask.config.set({"array.chunk-size": size}):
        expected = make(da).chunks
        assert make(ga).chunks == expected
        with gpuscale.config.set({"array.chunk-size": "128MiB"}):  # gpuscale's own option wins
            assert make(ga).chunks == ((100,), (1000,), (100,))
    assert make(ga).chunks == make(da).chunks == ((100,), (1000,), (100,))  # dask's default: gpuscale's own
