"""Creation routines against NumPy and dask.array: inferred dtypes, dask's ``name=``, NumPy arrays as shape and
chunks, ``*_like`` of blocks of unknown length, linspace/eye/meshgrid signatures."""

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.testing import assert_eq

TYPES = [np.uint8, np.int8, np.int64, np.float32, np.float64, int, float]


@pytest.mark.parametrize("start_type", TYPES)
@pytest.mark.parametrize("stop_type", TYPES)
@pytest.mark.parametrize("step_type", [np.uint8, np.float32, int, float])
def test_arange_dtype_as_numpy(start_type, stop_type, step_type):
    start, stop, step = start_type(3), stop_type(13), step_type(2)
    expected = np.arange(start, stop, step)
    got = ga.arange(start, stop, step, chunks=2, device="cpu")
    assert got.dtype == expected.dtype == da.arange(start, stop, step).dtype
    np.testing.assert_array_equal(got.compute(), expected)


def test_arange_keyword_forms():
    np.testing.assert_array_equal(ga.arange(stop=10, step=3, device="cpu").compute(), np.arange(stop=10, step=3))
    np.testing.assert_array_equal(ga.arange(10, step=2, device="cpu").compute(), np.arange(10, step=2))
    with pytest.raises(TypeError, match="requires stop"):
        ga.arange()


@pytest.mark.parametrize("func", ["zeros", "ones", "empty", "full"])
def test_names_and_numpy_shapes(func):
    args = (5,) if func == "full" else ()
    shape, chunks = np.asarray((10, 10)), np.asarray((4, 4))
    got = getattr(ga, func)(shape, *args, chunks=chunks, dtype="i4", device="cpu")
    ref = getattr(da, func)(shape, *args, chunks=chunks, dtype="i4")
    assert got.shape == ref.shape and got.chunks == ref.chunks and got.dtype == ref.dtype
    assert func in got.name and got.name != getattr(ga, func)((10, 9), *args, device="cpu").name
    assert getattr(ga, func)(shape, *args, chunks=chunks, name="my-name", device="cpu").name == "my-name"
    like = getattr(ga, func + "_like")(np.ones((3, 4), "i2"), *args, chunks=chunks, name="other", device="cpu")
    assert like.name == "other" and like.dtype == np.dtype("i2")
    if func != "empty":
        assert_eq(got, getattr(np, func)((10, 10), *args, dtype="i4"))


@pytest.mark.parametrize("func, args", [("zeros_like", ()), ("ones_like", ()), ("full_like", (99,)),
                                        ("empty_like", ())])
@pytest.mark.parametrize("dtype", [None, "u4", np.float32])
def test_like_of_unknown_lengths(func, args, dtype):
    x = np.random.default_rng(0).standard_normal((50, 4))
    gx = ga.from_array(x, chunks=(10, 2))
    kept = gx[gx < 0.5]  # blocks of unknown length
    expected = getattr(np, func)(x[x < 0.5], *args, dtype=dtype)
    got = getattr(ga, func)(kept, *args, dtype=dtype)
    assert got.dtype == expected.dtype and got.chunks[1:] == kept.chunks[1:]
    if func == "empty_like":
        assert got.compute().shape == expected.shape
    else:
        assert_eq(got, expected)


def test_full_takes_numpy_0d_fill_values():
    got = ga.full(3, np.array(7, dtype="int16"), chunks=2, device="cpu")
    assert got.dtype == np.full(3, np.array(7, dtype="int16")).dtype
    np.testing.assert_array_equal(got.compute(), [7, 7, 7])


def test_linspace_num_retstep_and_lazy_ends():
    np.testing.assert_allclose(ga.linspace(6, 49, chunks=5, device="cpu").compute(), np.linspace(6, 49))
    got, step = ga.linspace(1.4, 4.9, num=13, endpoint=False, retstep=True, chunks=5, device="cpu")
    expected, np_step = np.linspace(1.4, 4.9, num=13, endpoint=False, retstep=True)
    np.testing.assert_allclose(got.compute(), expected)
    assert step == pytest.approx(np_step)
    x = ga.asarray([0.2, 6.4, 3.0, 1.6], device="cpu")
    lazy = ga.linspace(ga.argmin(x), ga.argmax(x) + 1, 8, endpoint=False)
    assert_eq(lazy, np.linspace(0, 2, 8, endpoint=False))


def test_eye_both_signatures():
    np.testing.assert_array_equal(ga.eye(7, chunks=3, M=11, k=5, device="cpu").compute(), np.eye(7, M=11, k=5))
    np.testing.assert_array_equal(ga.eye(4, 6, device="cpu").compute(), np.eye(4, 6))
    assert ga.eye(10, 4, device="cpu").chunks == ((10,), (4,))  # an int second argument is n_cols
    assert ga.eye(10, 4, device="cpu").shape == (10, 4)
    assert ga.eye(10, "auto", device="cpu").chunks == da.eye(10, "auto").chunks  # anything else is chunks


@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("sparse", [False, True])
def test_meshgrid_as_numpy_and_dask(indexing, sparse):
    a, b, c = np.arange(3.0), np.arange(4.0), [1, 2]
    expected = np.meshgrid(a, b, c, indexing=indexing, sparse=sparse)
    got = ga.meshgrid(ga.from_array(a, chunks=2), ga.from_array(b, chunks=3), c, indexing=indexing,
                      sparse=sparse)
    ref = da.meshgrid(da.from_array(a, chunks=2), da.from_array(b, chunks=3), c, indexing=indexing, sparse=sparse)
    assert type(got) is type(expected)
    for g, e, r in zip(got, expected, ref):
        assert g.chunks == r.chunks
        assert_eq(g, e)


@pytest.mark.parametrize("func", [ga.asarray, ga.arange])
def test_like_gives_the_backend_only(func):
    like = ga.arange(3, device="cpu").map_blocks(lambda b: b)  # a graph holding a local function
    out = func(4, like=ga.asarray([1, 2], backend="array_api_strict"))
    assert out.backend == "array_api_strict"
    import pickle

    pickle.dumps(func(4, like=like))  # nothing of like's graph is kept
    assert_eq(func(4, like=like), np.asarray(4) if func is ga.asarray else np.arange(4))


def test_diag_names_the_bad_input():
    with pytest.raises(ValueError, match="1d or 2d only"):
        ga.diag(ga.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="1d or 2d only"):
        da.diag(da.zeros((2, 3, 4)))
    with pytest.raises(TypeError, match="must be a dask array or numpy array"):
        ga.diag(1)
    with pytest.raises(TypeError, match="must be a dask array or numpy array"):
        da.diag(1)
    assert_eq(ga.diag([1, 2], k=1), np.diag([1, 2], k=1))  # a list is data, as NumPy takes it


def test_indices_blocks_as_dask():
    chunks = ((1, 4, 2, 3), (5, 5))
    got = ga.indices((10, 10), chunks=chunks)
    assert got.chunks == da.indices((10, 10), chunks=chunks).chunks  # one block per index grid
    assert_eq(got, np.indices((10, 10)))
