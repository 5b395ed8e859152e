"""Creation functions against NumPy, on both chunk libraries."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, chunk_budget, compute


@pytest.mark.parametrize("chunks", [1, 3, 7, (4,), "auto"])
def test_arange(chunks: object) -> None:
    assert_same(ga.arange(7, chunks=chunks), np.arange(7))
    assert_same(ga.arange(1, 10, 3, chunks=chunks), np.arange(1, 10, 3))
    assert_same(ga.arange(10, 0, -2, chunks=chunks), np.arange(10, 0, -2))
    assert_same(ga.arange(0.0, 1.0, 0.25, chunks=chunks), np.arange(0.0, 1.0, 0.25))


def test_arange_empty() -> None:
    assert_same(ga.arange(5, 5), np.arange(5, 5))


def test_filled() -> None:
    assert_same(ga.zeros((5, 3), chunks=2), np.zeros((5, 3)))
    assert_same(ga.ones((4,), dtype=ga.int32, chunks=3), np.ones(4, dtype=np.int32))
    assert_same(ga.full((3, 3), 7, chunks=2), np.full((3, 3), 7))
    assert_same(ga.full((2,), 1.5, dtype=ga.float32), np.full(2, 1.5, dtype=np.float32))
    assert ga.empty((3, 4), chunks=2).shape == (3, 4)
    assert_same(ga.zeros(()), np.zeros(()))
    assert_same(ga.zeros((0, 3)), np.zeros((0, 3)))


def test_like() -> None:
    x = ga.ones((5, 4), chunks=(2, 3), dtype=ga.int16)
    for func, ref in [(ga.zeros_like, np.zeros_like), (ga.ones_like, np.ones_like)]:
        out = func(x)
        assert out.chunks == x.chunks
        assert_same(out, ref(np.ones((5, 4), dtype=np.int16)))
    assert_same(ga.full_like(x, 3, dtype=ga.float64), np.full((5, 4), 3.0))


@pytest.mark.parametrize("k", [-2, 0, 1, 5])
def test_eye_tril_triu(k: int) -> None:
    assert_same(ga.eye(5, 7, k=k, chunks=2), np.eye(5, 7, k=k))
    data = np.arange(35.0).reshape(5, 7)
    x = ga.from_array(data, chunks=(2, 3))
    assert_same(ga.tril(x, k=k), np.tril(data, k=k))
    assert_same(ga.triu(x, k=k), np.triu(data, k=k))


def test_linspace() -> None:
    assert_same(ga.linspace(0, 1, 11, chunks=4), np.linspace(0, 1, 11))
    assert_same(ga.linspace(0, 1, 10, endpoint=False, chunks=3), np.linspace(0, 1, 10, endpoint=False))


def test_meshgrid() -> None:
    a, b = np.arange(3.0), np.arange(4.0)
    for indexing in ("xy", "ij"):
        outs = ga.meshgrid(ga.asarray(a, chunks=2), ga.asarray(b, chunks=3), indexing=indexing)
        for got, want in zip(outs, np.meshgrid(a, b, indexing=indexing)):
            assert_same(got, want)


def test_asarray_forms() -> None:
    assert_same(ga.asarray([[1, 2], [3, 4]]), np.asarray([[1, 2], [3, 4]]))
    assert_same(ga.asarray(3.5), np.asarray(3.5))
    assert_same(ga.asarray([True, False]), np.asarray([True, False]))
    assert_same(ga.asarray([1, 2], dtype=ga.float32), np.asarray([1, 2], dtype=np.float32))


def test_from_array_copies_user_data() -> None:
    data = np.arange(6)
    x = ga.from_array(data, chunks=2)
    data[0] = 100  # later changes to the input must not show through
    assert compute(x)[0] in (0, 100)  # numpy: copied when computed; documented as "copied block by block"


def test_chunks_normalization() -> None:
    x = ga.zeros((10, 6), chunks=(4, -1))
    assert x.chunks == ((4, 4, 2), (6,))
    assert ga.zeros((10, 6), chunks=((5, 5), (3, 3))).chunks == ((5, 5), (3, 3))
    assert ga.zeros((10,), chunks={0: 3}).chunks == ((3, 3, 3, 1),)
    with pytest.raises(ValueError, match="do not add up"):
        ga.zeros((10,), chunks=((3, 3),))
    with pytest.raises(ValueError, match="dimensions"):
        ga.zeros((10, 2), chunks=(3,))


def test_auto_chunks_follow_backend_setting() -> None:
    with chunk_budget(8 * 100):
        x = ga.zeros((1000,))
    assert max(x.chunks[0]) * 8 <= 800
    assert len(x.chunks[0]) > 1
    assert ga.zeros((1000,)).numblocks == (1,)


def test_negative_shape_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        ga.zeros((-1, 2))


def test_constant_blocks_are_writable_after_compute(backend: str) -> None:
    out = ga.ones((3, 2)).compute()  # blocks are broadcast views internally
    if backend == "numpy":
        out[0, 0] = 5
        assert out[0, 0] == 5 and out[1, 1] == 1


def test_nested_lists_of_lazy_scalars_make_one_block_when_small() -> None:
    x1, x2 = ga.asarray(np.arange(4.0)), ga.asarray(np.arange(3.0) - 1)
    out = ga.asarray([[x1[i] * x2[j] for j in range(3)] for i in range(4)])
    assert out.numblocks == (1, 1)  # not a block per element
    assert_same(out, np.outer(np.arange(4.0), np.arange(3.0) - 1))
    assert ga.asarray([[x1[i] for i in range(4)]] * 2, chunks=(1, 2)).numblocks == (2, 2)
    big = ga.from_array(np.zeros(2 ** 17), chunks=2 ** 16)  # 1 MiB: two of them are large
    assert ga.asarray([big, big]).numblocks == (2, 2)  # a large result keeps its parts' blocks


def test_full_with_a_lazy_zero_d_fill_value():
    # the fill stays lazy (dask computes it first); it failed when computed ('numpy.copyto' on an Array)
    fill = ga.asarray(np.int64(50)) * 2
    x = ga.full((5, 3), fill, chunks=2)
    assert (x.dtype, x.chunks) == (np.dtype("int64"), ((2, 2, 1), (2, 1)))
    np.testing.assert_array_equal(compute(x), np.full((5, 3), 100))
    y = ga.full((4,), ga.asarray(2.5), dtype="float32")
    assert y.dtype == np.float32
    np.testing.assert_array_equal(compute(y), np.full(4, 2.5, dtype="float32"))
    with pytest.raises(ValueError, match="fill_value must be scalar"):
        ga.full((2,), ga.ones(2))
