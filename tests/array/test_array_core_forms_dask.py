"""Forms of dask.array's core API that ported code relies on (dask's test_array_core): ``from_array`` copies its
input, ``astype``/``asarray``/``concatenate`` return the array itself when nothing changes, ``stack`` and
``block`` errors and nesting, ``broadcast_to(chunks=)``; values compared with NumPy and dask."""

from __future__ import annotations

import operator

import dask.array as da
import numpy as np
import pandas as pd
import pytest

import gpuscale.array as ga
import gpuscale.dataframe as gd
from array_helpers import assert_same, skip_without_frames


def test_from_array_copies_its_input():
    x = np.arange(60).reshape(6, 10)
    original = x.copy()
    ours = ga.from_array(x, chunks=(2, 3))
    x[2:4, x[0] > 3] = -5  # after the call: the array keeps the data it was given
    assert_same(ours, original)
    assert_same(ga.from_array(x, chunks=-1) + 0, x)


@pytest.mark.parametrize("value", [np.float32(1.5), np.int8(3), "abc", np.datetime64("2000-01-01"),
                                   memoryview(b"abc")])
def test_from_array_of_scalars_strings_and_memoryviews(value, backend):
    if backend != "numpy" and not isinstance(value, (np.float32, np.int8)):
        pytest.skip("array-api-strict holds numbers only")
    assert_same(ga.from_array(value, chunks=-1), np.array(value))


def test_from_array_name_is_the_key_name():
    x = np.arange(10.0)
    ours = ga.from_array(x, chunks=3, name="x")
    assert ours.name == "x" and set(ours.__dask_graph__()) >= {("x", i) for i in range(4)}
    assert ga.from_array(x, chunks=3).name == ga.from_array(x.copy(), chunks=3).name  # a hash of the data
    assert ga.from_array(x, chunks=3, name=False).name != ga.from_array(x, chunks=3, name=False).name
    assert_same(ours[::2] + ga.from_array(x, chunks=3)[1::2], x[::2] + x[1::2])


def test_astype_is_the_array_itself_for_its_own_dtype():
    x = ga.from_array(np.ones((5, 5)), chunks=2)
    assert x.astype("f8") is x
    assert_same(x.astype("i8", order="F"), np.ones((5, 5)).astype("i8"))
    with pytest.raises(TypeError, match="safe"):
        x.astype("i8", casting="safe")
    with pytest.raises(TypeError):
        x.astype("i8", not_a_real_kwarg="foo")


def test_asarray_of_an_array_is_the_array():
    x = ga.asarray([1, 2, 3])
    assert ga.asarray(x) is x and ga.asanyarray(x) is x
    assert ga.asarray(x, copy=True) is not x
    assert_same(ga.asarray([x[0], 2, x[2]]), np.array([1, 2, 3]))


def test_asarray_of_a_dataframe_collection_stays_lazy(backend):
    skip_without_frames(backend)
    s = gd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2)
    ours = ga.asarray(s)
    assert np.isnan(ours.shape[0])  # the partitions' lengths are not computed, as dask
    assert_same(ours.compute_chunk_sizes(), np.array([1, 2, 3, 4]))


def test_bool_of_several_elements_is_numpys_value_error():
    x = ga.from_array(np.arange(100).reshape(10, 10), chunks=5)
    with pytest.raises(ValueError, match="ambiguous"):
        bool(x)
    with pytest.raises(TypeError):
        int(x)
    assert bool(ga.asarray(1)) is True


def test_concatenate_and_block_leave_out_empty_arrays():
    x = np.random.default_rng(0).random(10)
    y = ga.from_array(x, chunks=3)
    assert ga.concatenate([y, y[:0]]) is y
    assert_same(ga.concatenate([ga.zeros(0, dtype=float), ga.zeros(1, dtype=int)]),
                np.concatenate([np.zeros(0, dtype=float), np.zeros(1, dtype=int)]))
    d1 = ga.ones((2, 2))
    assert ga.block([d1, (2 * d1)[:, :0]]) is d1
    assert_same(ga.block([d1, 2 * d1]), np.block([np.ones((2, 2)), 2 * np.ones((2, 2))]))
    with pytest.raises(ValueError, match=r"Shapes.*\(2, 1\)"):
        ga.concatenate([ga.zeros((2, 1), chunks=(2, 1)), ga.zeros((2, 3), chunks=(2, 3))])


@pytest.mark.parametrize("arrays", [[1, [2]], [1, []], [[1], 2], [[], 2], [[[1], [2]], [[3, 4]], [5]]])
def test_block_reports_mismatched_depths_before_empty_lists(arrays):
    with pytest.raises(ValueError, match="depths are mismatched"):
        np.block(arrays)
    with pytest.raises(ValueError, match="depths are mismatched"):
        ga.block(arrays)


def test_stack_error_and_nested_lists_of_unknown_lengths(backend):
    with pytest.raises(ValueError) as e:
        ga.stack([ga.zeros((2,), chunks=2)] * 10 + [ga.zeros((3,), chunks=3)] * 10)
    assert str(e.value) == ("Stacked arrays must have the same shape. The first array had shape (2,), while "
                            "array 11 has shape (3,).")
    skip_without_frames(backend)  # the unknown lengths come from dataframe collections
    frames = [pd.DataFrame({"x": np.arange(12) * k}) for k in (1, 10, 100, 1000)]
    parts = [gd.from_pandas(f, npartitions=3, sort=False).values for f in frames]
    with pytest.raises(ValueError, match="nan"):
        ga.stack(parts[:2], axis=1)
    nested = ga.stack([parts[:2], parts[2:]], allow_unknown_chunksizes=True)
    assert_same(nested.compute_chunk_sizes(),
                np.stack([[frames[0].values, frames[1].values], [frames[2].values, frames[3].values]]))


def test_broadcast_arrays_is_a_tuple_and_broadcast_to_takes_chunks():
    assert ga.broadcast_arrays() == np.broadcast_arrays() == ()
    a, b = ga.broadcast_arrays(ga.arange(4, chunks=2)[None, :], ga.arange(4, chunks=2)[:, None])
    assert_same(b, np.broadcast_arrays(np.arange(4)[None, :], np.arange(4)[:, None])[1])
    x = np.random.default_rng(1).integers(10, size=(5, 1, 6))
    a = ga.from_array(x, chunks=(3, 1, 3))
    for shape, chunks, expected in [((5, 3, 6), (3, -1, 3), ((3, 2), (3,), (3, 3))),
                                    ((2, 5, 3, 6), (1, 3, 1, 3), ((1, 1), (3, 2), (1, 1, 1), (3, 3)))]:
        ours = ga.broadcast_to(a, shape, chunks=chunks)
        assert ours.chunks == expected == da.broadcast_to(da.from_array(x, chunks=(3, 1, 3)), shape,
                                                          chunks=chunks).chunks
        assert_same(ours, np.broadcast_to(x, shape))
    with pytest.raises(ValueError, match="axis 0"):
        ga.broadcast_to(a, a.shape, chunks=((2, 3), (1,), (3, 3)))


def test_setitem_of_numpys_masked_constant_masks_the_elements(backend):
    if backend != "numpy":
        pytest.skip("masked arrays are NumPy's")
    x = np.ma.arange(60).reshape((6, 10))
    ours = ga.from_array(x.data, chunks=(2, 3))
    x[1, 1:7:2] = np.ma.masked
    ours[1, 1:7:2] = np.ma.masked
    got = ours.compute()
    assert isinstance(got, np.ma.MaskedArray)
    np.testing.assert_array_equal(np.ma.getmaskarray(got), np.ma.getmaskarray(x))
    np.testing.assert_array_equal(got.filled(-1), x.filled(-1))


def test_setitem_with_a_lazy_index_and_leading_length_one_values():
    x = np.arange(60).reshape((6, 10))
    for key_of, value in [(lambda a: (slice(2, 4), a[0] > 3), -5), (lambda a: (2, a[0] < 30), -7),
                          (lambda a: (slice(None), a[0] > 6), [[1, 2, 3]])]:
        ours, expected = ga.from_array(x, chunks=(2, 3)), x.copy()
        ours[key_of(ours)] = value
        expected[key_of(expected)] = value
        assert_same(ours, expected)
    index = ga.where(ga.arange(3, chunks=1) < 2)[0]  # unknown length: computed to place the values
    ours, expected = ga.from_array(x, chunks=(2, 3)), x.copy()
    ours[index, 7] = [-23, -33]
    expected[[0, 1], 7] = [-23, -33]
    assert_same(ours, expected)
    ours, expected = ga.from_array(x, chunks=(2, 3)), x.copy()
    ours[...] = x.reshape((1, 1) + x.shape) * 2  # NumPy drops the leading length-1 axes of the value
    expected[...] = x.reshape((1, 1) + x.shape) * 2
    assert_same(ours, expected)
    with pytest.raises(ValueError):
        ours[...] = np.arange(120).reshape((2, 1, 6, 10))
    with pytest.raises(NotImplementedError):
        ours[True] = 5


def test_map_blocks_name_token_meta_and_enforce_ndim(backend):
    x = np.arange(400).reshape((20, 20))
    ours = ga.from_array(x, chunks=(7, 7))
    named = ours.map_blocks(lambda b: b + 1, name="foo")
    assert named.name == named._name == "foo"
    assert_same(named, x + 1)
    assert ours.map_blocks(np.negative, token="neg").name.startswith("neg-")
    assert ours.map_blocks(np.negative, token="f").name != ours.map_blocks(np.positive, token="f").name
    if backend == "numpy":  # the function calls a NumPy method
        meta = ours.map_blocks(lambda b: b.astype("f4"), meta=np.array((), dtype="f4"))
        assert meta.dtype == da.from_array(x).map_blocks(lambda b: b, meta=np.array((), dtype="f4")).dtype
        assert_same(meta, x.astype("f4"))
    checked = ga.from_array(np.array([1, 2, 2, 3, 3, 3]), chunks=((1, 2, 3),))
    scalar = checked.map_blocks(lambda b: 5, chunks=((1, 1, 1),), enforce_ndim=True, dtype=int)
    with pytest.raises(ValueError, match="Dimension mismatch"):
        scalar.compute()
    assert checked.map_blocks(np.sum, enforce_ndim=True).name != checked.map_blocks(np.sum).name


class _Recorder:
    """A store target with ``__setitem__`` only (no ``shape``) that fails on concurrent writes."""

    def __init__(self):
        import threading

        self.busy, self.writes, self._lock = False, 0, threading.Lock()

    def __setitem__(self, key, value):
        import time

        with self._lock:
            assert not self.busy, "two writes at once"
            self.busy = True
        time.sleep(0.001)
        self.writes += 1
        self.busy = False


class _AcquireOnlyLock:
    def __init__(self):
        import threading

        self.lock, self.calls = threading.Lock(), 0

    def acquire(self, *args):
        self.calls += 1
        return self.lock.acquire(*args)

    def release(self):
        self.lock.release()


def test_store_into_targets_without_shape_locks_by_default_and_takes_acquire_locks():
    x = ga.ones((10, 10), chunks=(2, 2))
    target = _Recorder()
    assert ga.store(x, target, scheduler="threads", num_workers=8) is None  # locked by default, as dask
    assert target.writes == 25
    lock, out = _AcquireOnlyLock(), np.zeros((10, 10))
    ga.store(x * 2, out, lock=lock)
    assert lock.calls == 25 and (out == 2).all()


def test_store_regions_of_steps_ints_and_lists_as_numpy_indexes():
    d = ga.ones((4, 4, 4), dtype=int, chunks=(2, 2, 2))
    a, b = (d + 1)[:, 1:, :].astype(float), d + 2
    region = (slice(None, None, 2), slice(None), [1, 2, 4, 5])
    at, bt = np.zeros((8, 3, 6)), np.zeros((8, 4, 6))
    writes = ga.store([a, b], [at, bt], regions=region, compute=False)
    assert (at == 0).all() and all(w.compute().size == 0 for w in writes)  # dask's empty results
    expected_a, expected_b = np.zeros((8, 3, 6)), np.zeros((8, 4, 6))
    expected_a[region], expected_b[region] = 2, 3
    np.testing.assert_array_equal(at, expected_a)
    np.testing.assert_array_equal(bt, expected_b)
    y = np.zeros((2, 10))
    ga.store(ga.arange(10, chunks=3), y, regions=(1,))
    ga.store(ga.arange(10, chunks=3)[::-1], y, regions=(0, slice(None, None, -1)))
    np.testing.assert_array_equal(y, np.stack([np.arange(10), np.arange(10)]))
    with pytest.raises(ValueError, match="sources must be gpuscale arrays"):
        ga.store(np.ones(3), np.ones(3))


def test_compute_passes_other_keywords_to_a_dask_style_get_function():
    seen = {}

    def get(graph, keys, **kwargs):
        seen.update(kwargs)
        import dask

        return dask.get(graph, keys)

    out = np.zeros((4, 4))
    ga.store(ga.ones((4, 4), chunks=2) + 1, out, scheduler=get, foo="test kwarg")
    assert seen == {"foo": "test kwarg"} and (out == 2).all()
    with pytest.warns(UserWarning, match="options ignored: 'bogus_keyword'"):  # the local runtime names a typo
        assert ga.ones(3).sum().compute(bogus_keyword=1) == 3


def test_to_zarr_takes_zarrs_array_options_and_mode(tmp_path):
    zarr = pytest.importorskip("zarr", minversion="3")
    x = ga.from_array(np.arange(3600.0).reshape(60, 60), chunks=(3, 3))
    x.to_zarr(tmp_path / "a.zarr", shards=(18, 18))
    z = zarr.open_array(str(tmp_path / "a.zarr"))
    assert z.shards == (18, 18) and z.chunks == (3, 3)
    assert_same(ga.from_zarr(tmp_path / "a.zarr", inline_array=True), np.arange(3600.0).reshape(60, 60))
    with pytest.raises(ValueError, match="Cannot use mode 'r'"):
        (x + 1).to_zarr(tmp_path / "a.zarr", mode="r")
    (x + 1).to_zarr(tmp_path / "a.zarr", mode="w", zarr_format=2)  # replaces the array, as dask's mode="w"
    assert zarr.open_array(str(tmp_path / "a.zarr")).metadata.zarr_format == 2
    assert_same(ga.from_zarr(tmp_path / "a.zarr"), np.arange(3600.0).reshape(60, 60) + 1)


def test_from_array_of_a_sharded_zarr_array_reads_whole_shards():
    zarr = pytest.importorskip("zarr", minversion="3")
    z = zarr.create_array({}, shape=(1000,) * 3, chunks=(101,) * 3, shards=(404,) * 3, dtype="uint8")
    chunks = ga.from_array(z).chunks
    assert all(n % 404 == 0 for dim in chunks for n in dim[:-1])
    assert chunks == da.from_array(z).chunks


def test_float_indices_raise_index_error_as_numpy():
    d = ga.ones((5,), chunks=(3,))
    for key in [1.5, slice(0, 1.5), np.float64(2.0)]:
        with pytest.raises((IndexError, TypeError)):  # NumPy: a TypeError for the slice
            np.ones(5)[key]
        with pytest.raises(IndexError, match="float"):  # dask's IndexError for all
            d[key]


def test_view_in_fortran_order_to_backend_default_chunks_setter_and_repr(backend):
    if backend != "numpy":
        pytest.skip("view needs NumPy or CuPy chunks")
    x = np.asfortranarray(np.arange(64).reshape((8, 8)))
    d = ga.from_array(x, chunks=(2, 3))
    assert_same(d.view("i4", order="F"), x.T.view("i4").T)
    assert_same(d.view("i2", order="F"), x.T.view("i2").T)
    with pytest.raises(ValueError, match="order"):
        d.view("i4", order="asdf")
    assert d.to_backend().backend == "numpy"
    with pytest.raises(TypeError, match=r"rechunk\(2\)"):
        d.chunks = 2
    assert "chunktype=numpy.ndarray" in repr(d) and "chunktype=numpy.ndarray" in repr(da.from_array(x))


def test_result_type_of_python_scalars_alone_is_numpys(backend):
    for args in [(1, 1.0), (1, 1), (True,), (1, 1e200), (1j, 1)]:
        assert ga.result_type(*args) == np.result_type(*args) == da.result_type(*args)
    if backend != "numpy":
        return  # the standard refuses to mix Python floats with integer arrays
    x = ga.from_array(np.ones(5, np.float32), chunks=3)
    for a in (x, 1, 1.0, np.int64(1)):
        for b in (x, 1, 1.0, np.int64(1)):
            assert ga.maximum(a, b).dtype == ga.result_type(a, b)


def test_from_array_of_0d_data_ignores_chunks():
    d0 = ga.from_array(np.array(1), chunks=(1,))
    assert bool(d0) is True and int(d0) == 1 and complex(d0) == 1
    assert d0.chunks == da.from_array(np.array(1), chunks=(1,)).chunks == ()


def test_elementwise_that_multiplies_blocks_warns_as_dask():
    x, y = ga.ones((20, 20), chunks=(20, 1)), ga.ones((20, 20), chunks=(1, 20))
    with pytest.warns(ga.PerformanceWarning, match="factor of 20"):
        z = x + y
    assert_same(z, np.full((20, 20), 2.0))


def test_scalar_conversions_of_one_element_and_mask_shape_errors():
    d1 = ga.from_array(np.array([1]), chunks=(1,))
    assert int(d1) == 1 and float(d1) == 1.0
    with pytest.raises(TypeError):
        int(ga.from_array(np.arange(2), chunks=2))
    x = ga.from_array(np.arange(10), chunks=5)
    for error in (IndexError, ValueError):  # NumPy's IndexError, dask's ValueError
        with pytest.raises(error, match="does not match"):
            x[ga.ones(11, chunks=3) > 5]


def test_array_protocol_warns_about_unknown_keywords(backend):
    if backend != "numpy":
        pytest.skip("__array__ is for NumPy chunks")
    x = ga.ones(10)
    with pytest.warns(FutureWarning, match="ignored"):
        out = x.__array__(something="foo")
    np.testing.assert_array_equal(out, np.ones(10))


@pytest.mark.parametrize("value, message", [(np.nan, "NaN"), (np.inf, "infinity"), (-np.inf, "infinity")])
def test_setitem_of_nan_or_infinity_into_integers_raises_as_numpy(value, message):
    with pytest.raises((ValueError, OverflowError), match=message):  # NumPy: an OverflowError for infinity
        np.ones((3, 3), dtype=int)[:, 1] = value
    x = ga.ones((3, 3), dtype=int, chunks=2)
    with pytest.raises(ValueError, match=f"cannot convert float {message} to integer"):
        x[:, 1] = value
    with pytest.raises(ValueError, match=message):
        x[x > 0] = value
    y = ga.ones(3)
    y[0] = value  # floats take it
    assert_same(y, np.array([value, 1.0, 1.0]))


class _Wrapped:
    """A lazy array-like (shape, dtype, slicing), as dask's tests wrap NumPy data."""

    def __init__(self, x):
        self.x, self.dtype, self.shape, self.ndim = x, x.dtype, x.shape, x.ndim

    def __getitem__(self, index):
        return self.x[index]


def test_from_array_of_a_lazy_source_takes_getitem_and_lock():
    x = np.arange(10)
    calls = []

    def getter(a, index):
        calls.append(index)
        return a[index]

    assert_same(ga.from_array(_Wrapped(x), chunks=5, getitem=getter), x)
    assert len(calls) == 2
    lock = _AcquireOnlyLock()
    assert_same(ga.from_array(_Wrapped(x), chunks=5, lock=lock) * 2, x * 2)
    assert lock.calls == 2
    assert_same(ga.from_array(_Wrapped(x), chunks=3, lock=True).sum(), x.sum())


def test_to_zarr_warns_as_dask_where_it_rechunks_or_writes_parts_of_chunks(tmp_path):
    zarr = pytest.importorskip("zarr", minversion="3")
    with pytest.warns(UserWarning, match="irregular chunk"):
        ga.zeros((6, 2), chunks=((2, 1, 1, 2), 1)).to_zarr(tmp_path / "irregular.zarr")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ga.zeros((7, 2), chunks=((2, 2, 2, 1), 1)).to_zarr(tmp_path / "regular.zarr")  # no rechunk: no warning
    a = ga.arange(16, chunks=4).reshape((4, 4)).rechunk(2)
    z = zarr.zeros((4, 4), chunks=(2, 2), dtype=a.dtype)
    a[:2, :2].to_zarr(z, region=(slice(2), slice(2)))
    with pytest.warns(ga.PerformanceWarning, match="line up"):
        a[3:, 3:].to_zarr(z, region=(slice(2, 3), slice(1, 2)))
    expected = np.zeros((4, 4))
    expected[:2, :2], expected[2, 1] = np.arange(16).reshape(4, 4)[:2, :2], 15
    np.testing.assert_array_equal(z[...], expected)


def test_broadcast_arrays_block_every_output_alike_and_blocks_take_masks():
    a = np.arange(12).reshape(3, 4)
    for inputs in [(a, np.arange(4)), (a, a[:, :1]), (np.arange(4)[None], np.arange(3)[:, None])]:
        ours = ga.broadcast_arrays(ga.from_array(inputs[0], chunks=2), inputs[1])
        theirs = da.broadcast_arrays(da.from_array(inputs[0], chunks=2), inputs[1])
        assert [o.chunks for o in ours] == [t.chunks for t in theirs]
        for o, expected in zip(ours, np.broadcast_arrays(*inputs)):
            assert_same(o, expected)
    x = np.arange(120.0).reshape(10, 12)
    mask = np.array([True, False, True, False])
    ours, theirs = ga.from_array(x, chunks=(3, 5)).blocks[mask], da.from_array(x, chunks=(3, 5)).blocks[mask]
    assert ours.chunks == theirs.chunks
    assert_same(ours, theirs.compute())


@pytest.mark.parametrize("ndim", [0, 1, 2])
def test_map_blocks_of_python_numbers_and_one_element_blocks(ndim):
    # a function giving a Python number has NumPy's dtype for it (as dask: not object); one-element blocks of
    # more or fewer dimensions fill their one-element places (NumPy blocks: the functions give NumPy data)
    values = np.array([1, 2, 2, 3, 3, 3])
    ours = ga.asarray(values, chunks=((1, 2, 3),), device="cpu")
    theirs = da.from_array(values, chunks=((1, 2, 3),))
    number = ours.map_blocks(lambda b: 5, chunks=((1, 1, 1),))
    assert number.dtype == theirs.map_blocks(lambda b: 5, chunks=((1, 1, 1),)).dtype == np.int64
    assert_same(number, np.array([5, 5, 5]))
    ones = ours.map_blocks(lambda b: np.array(5)[(None,) * ndim], chunks=((1, 1, 1),), dtype=int)
    assert_same(ones, theirs.map_blocks(lambda b: np.array(5)[(None,) * ndim], chunks=((1, 1, 1),)).compute())
    objects = ga.asarray(np.array([1, 2], dtype=object), device="cpu")
    assert objects.map_blocks(lambda b: b.sum(), chunks=((1,),)).dtype == object


def test_from_array_of_an_xarray_dataarray_takes_its_gpuscale_array():
    xr = pytest.importorskip("xarray")
    data = ga.asarray(np.arange(20.0).reshape(4, 5), chunks=(2, 5))
    wrapped = xr.DataArray(data, dims=["y", "x"])
    assert ga.from_array(wrapped) is data  # its blocks, as dask takes a DataArray's dask array
    assert ga.from_array(wrapped, chunks=(4, 1)).chunks == ((4,), (1,) * 5)
    assert_same(ga.from_array(xr.DataArray(np.ones((3, 2)))), np.ones((3, 2)))
    theirs = da.from_array(xr.DataArray(da.from_array(np.arange(20.0).reshape(4, 5), chunks=(2, 5))))
    assert theirs.chunks == ga.from_array(wrapped).chunks


def test_dasks_low_level_constructor_takes_a_graph_name_and_chunks():
    graph = {("x", 0): np.array([1, 2]), ("x", 1): (operator.neg, ("x", 0))}  # a task reading another block
    ours = ga.Array(graph, "x", chunks=(2,), shape=(4,), dtype=np.int64)
    theirs = da.Array(graph, "x", chunks=(2,), shape=(4,), dtype=np.int64)
    assert ours.chunks == theirs.chunks == ((2, 2),)
    assert_same(ours + 1, theirs.compute() + 1)
    assert ga.Array({}, "y", chunks=(3, 3), shape=(10, 10), dtype="f8").chunks == ((3, 3, 3, 1),) * 2
    unknown = ga.Array({("z", 0): np.arange(5), ("z", 1): np.arange(5, 11)}, "z", ((np.nan, np.nan),), np.int64)
    assert np.isnan(unknown.shape[0])
    assert_same(unknown.sum(), np.arange(11).sum())
    with pytest.raises(ValueError, match="chunks"):
        ga.Array(graph, "x", chunks=None, dtype=np.int64)


def test_a_lazy_index_from_a_graph_runs_only_when_computed():
    def fail():
        raise NotImplementedError("the index ran")

    index = ga.Array({("i", 0): (fail,)}, "i", chunks=((2,),), dtype=np.int64)
    taken = ga.arange(5, chunks=-1)[index]  # building the take does not compute the index
    with pytest.raises(NotImplementedError, match="the index ran"):
        taken.compute()


def test_store_names_its_writes_by_the_target_as_dask():
    x = ga.ones((10, 10), chunks=(2, 2))
    target, other = np.zeros((10, 10)), np.zeros((10, 10))
    first = x.store(target, compute=False, lock=False)
    assert set(first.__dask_graph__()) == set(x.store(target, compute=False, lock=False).__dask_graph__())
    assert first.name != x.store(other, compute=False, lock=False).name


@pytest.mark.parametrize("return_stored", [False, True])
def test_store_into_a_delayed_target_computes_it_once(return_stored):
    dask = pytest.importorskip("dask")
    made = []

    def make_target():
        made.append(np.zeros((4, 4)))
        return made[-1]

    x = ga.asarray(np.arange(16.0).reshape(4, 4), chunks=2, device="cpu")
    stored = ga.store(x + 1, dask.delayed(make_target)(), return_stored=return_stored)
    assert len(made) == 1  # one buffer for all four blocks
    np.testing.assert_array_equal(made[0], np.arange(16.0).reshape(4, 4) + 1)
    if return_stored:
        assert_same(stored, made[0])
    target = dask.delayed(np.zeros((4, 4)))  # named by its key: the same target, the same writes
    assert x.store(target, compute=False, lock=False).name == x.store(target, compute=False, lock=False).name


def test_from_array_of_a_dask_array_keeps_its_blocks():
    xr = pytest.importorskip("xarray")
    theirs = da.arange(10, chunks=3)
    ours = ga.from_array(theirs)  # its blocks' tasks run on gpuscale's runtime (not one block sliced from it)
    assert ours.chunks == theirs.chunks == ((3, 3, 3, 1),)
    assert_same(ours, np.arange(10))
    assert ga.from_array(theirs, chunks=5).chunks == ((5, 5),)
    assert ga.asarray(theirs).chunks == ga.from_array(xr.DataArray(theirs)).chunks == theirs.chunks


def test_from_array_of_another_dask_collection_warns_as_dask():
    class Collection(np.ndarray):
        def __dask_graph__(self):
            return {"bar": 1}

    data = np.arange(3).view(Collection)
    with pytest.warns(UserWarning, match="dask collection"):
        ours = ga.from_array(data)
    with pytest.warns(UserWarning):
        da.from_array(data)
    assert_same(ours, np.arange(3))
