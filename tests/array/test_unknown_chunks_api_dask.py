"""Unknown (nan) block lengths as dask.array shows them: NumPy's ``nan`` object in ``chunks`` (so ported
comparisons hold), ``compute_chunk_sizes`` in place, and ``len``/slicing refusing with dask's error."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

VALUES = np.linspace(-1, 1, num=50)


def both() -> tuple[ga.Array, da.Array]:
    x, d = ga.asarray(VALUES, chunks=10), da.from_array(VALUES, chunks=10)
    return x[x < 0], d[d < 0]


def test_chunks_compare_equal_to_dasks() -> None:
    y, dy = both()
    assert y.chunks == dy.chunks == ((np.nan,) * 5,)
    assert np.isnan(y.shape[0]) and np.isnan(dy.shape[0])
    z = y.compute_chunk_sizes()
    assert z is y and z.chunks == dy.compute_chunk_sizes().chunks
    assert isinstance(z.chunks[0][0], int) and len(z) == len(VALUES[VALUES < 0])


def test_len_and_slicing_ask_for_chunk_sizes() -> None:
    y, dy = both()
    with pytest.raises(ValueError):
        len(dy)
    with pytest.raises(ValueError, match="unknown chunk size.*compute_chunk_sizes"):
        len(y)
    for key in [slice(0, 3), 2]:
        with pytest.raises(ValueError):
            dy[key]
        with pytest.raises(ValueError, match="compute_chunk_sizes"):
            y[key]
    with pytest.raises(IndexError):  # still an IndexError too, as gpuscale raised before
        y[:3]
    np.testing.assert_array_equal(compute(y[:]), VALUES[VALUES < 0])
    np.testing.assert_array_equal(compute(y.compute_chunk_sizes()[:3]), VALUES[VALUES < 0][:3])


def test_unit_axes_added_or_removed_need_no_lengths() -> None:
    y, dy = both()
    want = VALUES[VALUES < 0]
    for f, g in [(lambda m, a: m.atleast_3d(a), lambda a: np.atleast_3d(a)),
                 (lambda m, a: m.expand_dims(a, (0, 2)), lambda a: np.expand_dims(a, (0, 2))),
                 (lambda m, a: m.squeeze(a[:, None], axis=1), lambda a: a)]:
        got = f(ga, y)  # (dask's expand_dims/atleast_3d reshape, which cannot take a nan length)
        assert [len(c) for c in got.chunks] == [len(c) if n != 1 else 1 for c, n in zip(got.chunks, got.shape)]
        assert len(got.chunks[got.shape.index(y.shape[0])]) == len(dy.chunks[0])
        np.testing.assert_array_equal(compute(got), g(want))
    np.testing.assert_array_equal(compute(y.reshape(1, y.shape[0], 1)), want.reshape(1, -1, 1))
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        y.reshape(-1, 1, 2)


@pytest.mark.parametrize("join", ["concatenate", "stack"])
@pytest.mark.parametrize("axis", [0, 1])
def test_joining_unknown_lengths_needs_allow_unknown_chunksizes(join: str, axis: int) -> None:
    a, b = np.arange(12.0).reshape(6, 2), np.arange(12.0, 24.0).reshape(6, 2)
    lazy = []
    for lib in (ga, da):
        x, y = lib.from_array(a, chunks=(2, 2)), lib.from_array(b, chunks=(2, 2))
        lazy.append((x[x[:, 0] >= 0], y[y[:, 0] >= 0]))  # all rows kept, lengths unknown
    (gx, gy), (dx, dy) = lazy
    unchecked = join == "stack" or axis == 1  # the rows are then a dimension that must match
    if unchecked:
        with pytest.raises(ValueError):
            getattr(da, join)([dx, dy], axis=axis)
        with pytest.raises(ValueError, match="allow_unknown_chunksizes.*compute_chunk_sizes"):
            getattr(ga, join)([gx, gy], axis=axis)
    got = getattr(ga, join)([gx, gy], axis=axis, allow_unknown_chunksizes=True)
    want = getattr(da, join)([dx, dy], axis=axis, allow_unknown_chunksizes=True)
    assert [len(c) for c in got.chunks] == [len(c) for c in want.chunks]
    np.testing.assert_array_equal(compute(got), getattr(np, join)([a, b], axis=axis))


@pytest.mark.parametrize("join", ["hstack", "vstack", "dstack"])
def test_hstack_vstack_dstack_take_allow_unknown_chunksizes(join: str) -> None:
    # they accepted the keyword and dropped it: arrays of unknown rows could not be joined side by side
    a, b = np.arange(12.0).reshape(6, 2), np.arange(12.0, 24.0).reshape(6, 2)
    lazy = []
    for lib in (ga, da):
        x, y = lib.from_array(a, chunks=(2, 2)), lib.from_array(b, chunks=(2, 2))
        lazy.append((x[x[:, 0] >= 0], y[y[:, 0] >= 0]))  # all rows kept, lengths unknown
    (gx, gy), (dx, dy) = lazy
    if join != "vstack":  # the rows must match, unchecked
        with pytest.raises(ValueError, match="allow_unknown_chunksizes"):
            getattr(ga, join)([gx, gy])
    got = getattr(ga, join)([gx, gy], allow_unknown_chunksizes=True)
    want = getattr(da, join)([dx, dy], allow_unknown_chunksizes=True)
    assert [len(c) for c in got.chunks] == [len(c) for c in want.chunks]
    np.testing.assert_array_equal(compute(got), getattr(np, join)([a, b]))
    np.testing.assert_array_equal(compute(ga.block([[gx, gy]], allow_unknown_chunksizes=True)), np.block([[a, b]]))


def _declared_unknown(chunks: tuple, unknown: tuple) -> tuple[ga.Array, da.Array]:
    """The same array in gpuscale and dask, its block lengths along ``unknown`` declared unknown through
    dask's ``x._chunks`` attribute."""
    values = np.arange(24).reshape(4, 6)
    pair = [ga.asarray(values, chunks=chunks), da.from_array(values, chunks=chunks)]
    for x in pair:
        x._chunks = tuple(tuple(np.nan for _ in c) if d in unknown else c for d, c in enumerate(x.chunks))
    return pair[0], pair[1]


def test_assigning_chunks_declares_unknown_lengths_as_dask() -> None:
    x, d = _declared_unknown((2, 2), unknown=(1,))
    assert (x + 1).chunks == (d + 1).chunks == ((2, 2), (np.nan,) * 3)
    assert x.T.chunks == d.T.chunks
    assert x.dot(x.T).chunks == d.dot(d.T).chunks == ((2, 2), (2, 2))
    np.testing.assert_array_equal(compute(x[0]), d[0].compute())
    np.testing.assert_array_equal(compute(x.dot(x.T)), d.dot(d.T).compute())
    with pytest.raises(ValueError, match="the array has"):
        x._chunks = ((4,), (2, 2, 2))  # a different number of blocks: rechunk's job


@pytest.mark.parametrize("index", [np.s_[:, 4], np.s_[:, ::2], np.s_[0, 2:4]])
def test_slicing_an_unknown_axis_raises_dasks_error(index) -> None:
    x, d = _declared_unknown((2, 2), unknown=(1,))
    for array in (x, d):
        with pytest.raises(ValueError, match="chunk sizes are unknown"):
            array[index]


def test_integer_array_index_over_unknown_blocks_raises_dasks_error() -> None:
    x, d = _declared_unknown((2, 3), unknown=(0,))
    with pytest.raises(ValueError, match="Array chunk size or shape is unknown"):
        x[[0, 2]]
    with pytest.raises(ValueError, match="Array chunk size or shape is unknown"):
        d[[0, 2]].compute()
    one, one_d = _declared_unknown((2, 6), unknown=(1,))  # one block along the axis: nothing to find
    np.testing.assert_array_equal(compute(one[:, [0, -1]]), one_d[:, [0, -1]].compute())


def test_boolean_mask_over_unknown_column_blocks_keeps_numpys_order() -> None:
    # dask gives the elements block by block here (with a warning that the order differs); gpuscale joins the
    # column blocks of each row block first, so the order is NumPy's
    x, _ = _declared_unknown((2, 2), unknown=(1,))
    values = np.arange(24).reshape(4, 6)
    np.testing.assert_array_equal(compute(x[x % 2 == 0]), values[values % 2 == 0])
    np.testing.assert_array_equal(compute(x[x > 6]), values[values > 6])
