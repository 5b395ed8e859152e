"""map_overlap's trimming of results that drop or add axes, asymmetric depths, and the public
trim_internal / trim_overlap, against dask.array and NumPy."""

import math

import dask.array as da
from array_api_compat import array_namespace  # CuPy 14 chunks have no __array_namespace__
import numpy as np
import pytest

import gpuscale.array as ga
from tests.array.array_helpers import assert_same, compute

BOUNDARIES = ["none", "reflect", "periodic", "nearest", 7]


def _pair(values, chunks):
    return ga.asarray(values, chunks=chunks), da.from_array(values, chunks=chunks)


@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_trim_internal_undoes_overlap_as_dask(boundary):
    values = np.arange(120).reshape(10, 12)
    ours, theirs = _pair(values, (4, 5))
    depth = {0: 2, 1: 3}
    grown = ga.overlap.overlap(ours, depth, boundary)
    trimmed = ga.overlap.trim_internal(grown, depth, boundary=boundary)
    expected = da.overlap.trim_internal(da.overlap.overlap(theirs, depth, boundary), depth, boundary=boundary)
    assert grown.chunks == da.overlap.overlap(theirs, depth, boundary).chunks
    assert trimmed.chunks == expected.chunks
    assert_same(trimmed, values)


def test_trim_overlap_takes_map_overlap_depths():
    values = np.arange(24).reshape(4, 6)
    ours, theirs = _pair(values, (2, 3))
    boundary = {0: "reflect", 1: "none"}
    grown = ga.overlap.overlap(ours, 2, boundary)
    trimmed = ga.overlap.trim_overlap(grown, 2, boundary=boundary)
    assert trimmed.chunks == da.overlap.trim_overlap(da.overlap.overlap(theirs, 2, boundary), 2, boundary).chunks
    assert_same(trimmed, values)


@pytest.mark.parametrize("drop_axis", [0, 1, 2, (0, 2), -1])
def test_map_overlap_trims_around_a_dropped_axis(drop_axis):
    values = np.random.default_rng(0).standard_normal((5, 10, 8))
    ours, theirs = _pair(values, (2, 5, 4))
    dropped = [d % 3 for d in np.atleast_1d(drop_axis)]
    depth = tuple(0 if d in dropped else n for d, n in enumerate((1, 3, 2)))
    kwargs = dict(depth=depth, boundary=(0, "reflect", "nearest"), drop_axis=drop_axis, dtype=float)
    got = ga.map_overlap(lambda b: array_namespace(b).mean(b, axis=drop_axis), ours, **kwargs)
    expected = da.map_overlap(lambda b: b.mean(axis=drop_axis), theirs, **kwargs)
    assert got.chunks == expected.chunks
    np.testing.assert_allclose(compute(got), values.mean(axis=drop_axis))


def test_map_overlap_new_axis_has_no_margin():
    ours, theirs = _pair(np.arange(6), 2)
    kwargs = dict(depth=1, boundary="none", new_axis=0, chunks=((2,), (3, 4, 3)))
    got = ga.map_overlap(lambda b: array_namespace(b).stack([b, b * 2]), ours, **kwargs)
    expected = da.map_overlap(lambda b: np.stack([b, b * 2]), theirs, **kwargs)
    assert got.chunks == expected.chunks == ((2,), (2, 2, 2))
    assert_same(got, np.stack([np.arange(6), np.arange(6) * 2]))


def test_asymmetric_depth_reaches_only_one_way():
    values = np.arange(30)
    ours, theirs = _pair(values, 10)
    got = ga.map_overlap(lambda b: b[:, None], ours, depth={0: (0, 2)}, new_axis=1,
                         chunks=((12, 12, 10), (1,)), boundary="none")
    assert ga.overlap.overlap(ours, {0: (1, 2)}, "none").chunks == da.overlap.overlap(theirs, {0: (1, 2)},
                                                                                     "none").chunks
    assert_same(ga.overlap.overlap(ours, {0: (1, 2)}, "none"), da.overlap.overlap(theirs, {0: (1, 2)}, "none"))
    assert_same(got, values[:, None])
    with pytest.raises(NotImplementedError, match="boundary='none'"):
        ga.map_overlap(lambda b: b, ours, depth={0: (0, 2)}, boundary="reflect")


def test_map_overlap_takes_numpy_integer_depths_and_trim_false_keeps_input_blocks():
    ours, theirs = _pair(np.ones(10), 5)
    got = ga.map_overlap(lambda b: b + b.shape[0], ours, depth=np.int64(2), boundary="reflect")
    assert_same(got, da.map_overlap(lambda b: b + b.shape[0], theirs, depth=np.int64(2), boundary="reflect"))
    assert all(type(n) is int for n in got.shape)
    untrimmed = ga.map_overlap(lambda b: b[2:-2] * 3, ours, depth=2, trim=False, boundary="reflect",
                               dtype=ours.dtype)
    assert untrimmed.chunks == da.map_overlap(lambda b: b[2:-2], theirs, depth=2, trim=False).chunks
    assert_same(untrimmed, np.ones(10) * 3)


def test_depth_longer_than_the_axis_names_the_cause():
    with pytest.raises(ValueError, match="overlapping depth 13 is larger"):
        ga.overlap.overlap(ga.ones((12, 12), chunks=(3, 5)), {0: 13, 1: 4}, 1)


@pytest.mark.parametrize("x_chunks, y_shape, y_chunks", [
    ((2, 3, 5), (10,), (5, 3, 2)),
    ((10,), (10,), (4, 4, 2)),
    ((10,), (1, 10), (1, (4, 4, 2))),
])
def test_map_overlap_aligns_and_broadcasts_several_arrays(x_chunks, y_shape, y_chunks):
    x_values, y_values = np.arange(10), np.arange(10).reshape(y_shape)
    x, dx = _pair(x_values, x_chunks)
    y, dy = _pair(y_values, y_chunks)
    got = ga.map_overlap(lambda a, b: a + b, x, y, depth=1, boundary="none")
    expected = da.map_overlap(lambda a, b: a + b, dx, dy, depth=1, boundary="none")
    assert got.chunks == expected.chunks
    assert_same(got, x_values + y_values)


def test_map_overlap_takes_one_depth_per_array():
    x, dx = _pair(np.arange(12), 4)
    y, dy = _pair(np.arange(12) * 10, 4)

    def shifted_sum(a, b):  # a has no margin, b one on each side: b's element to the left of a's
        return a + b[:-2]

    got = ga.map_overlap(shifted_sum, x, y, depth=[0, 1], boundary=["none", 0], trim=False, dtype=x.dtype)
    expected = da.map_overlap(shifted_sum, dx, dy, depth=[0, 1], boundary=["none", 0], trim=False)
    assert got.chunks == expected.chunks
    assert_same(got, expected.compute())
    assert_same(got, np.arange(12) + np.concatenate([[0], np.arange(11) * 10]))
    with pytest.raises(ValueError, match="depth has 3 entries for 2 array"):
        ga.map_overlap(shifted_sum, x, y, depth=[0, 1, 2])


def test_map_overlap_without_aligning_needs_lined_up_blocks():
    x, y = ga.arange(10, chunks=10), ga.arange(10, chunks=5)
    with pytest.raises(ValueError, match="align_arrays=False"):
        ga.map_overlap(lambda a, b: a + b, x, y, depth=1, align_arrays=False)
    assert_same(ga.map_overlap(lambda a, b: a + b, x, y.rechunk(10), depth=1, align_arrays=False),
                np.arange(10) * 2)


def test_map_overlap_older_argument_order_warns_and_works():
    values = np.arange(6)
    x, dx = _pair(values, 3)
    with pytest.warns(FutureWarning):
        got = ga.map_overlap(x, lambda b: b[1:-1] * 2, 1, "reflect", False)
    with pytest.warns(FutureWarning):
        expected = da.map_overlap(dx, lambda b: b[1:-1] * 2, 1, "reflect", False)
    assert got.chunks == expected.chunks
    assert_same(got, values * 2)


@pytest.mark.parametrize("window, axis", [(5, 0), (40, 0), ((5, 4), (0, 2)), ((3, 3), (1, 1)), ((2, 2, 2), None)])
def test_sliding_window_view_bounds_its_blocks_as_dask(window, axis):
    values = np.random.default_rng(2).standard_normal((50, 50, 50))
    ours, theirs = _pair(values, 25)
    got = ga.sliding_window_view(ours, window, axis)
    expected = da.lib.stride_tricks.sliding_window_view(theirs, window, axis)
    assert got.chunks == expected.chunks
    unsplit = ga.sliding_window_view(ours, window, axis, automatic_rechunk=False)
    assert math.prod(max(dim) for dim in got.chunks) <= math.prod(max(dim) for dim in unsplit.chunks)
    assert_same(got, np.lib.stride_tricks.sliding_window_view(values, window, axis))


def test_sliding_window_view_without_automatic_rechunk_keeps_the_other_axes():
    ours = ga.ones((50, 50), chunks=25)
    assert ga.sliding_window_view(ours, 5, 0, automatic_rechunk=False).chunks[1] == (25, 25)


def test_map_overlap_new_axis_without_chunks_joins_the_blocks_it_gets():
    # dask declares length 1 on the new axis; the blocks are longer there, and compute() gives what they hold
    ours, theirs = _pair(np.arange(6), 2)
    got = ga.map_overlap(lambda b: array_namespace(b).stack([b, b * 2]), ours, depth=1, new_axis=[0])
    expected = da.map_overlap(lambda b: np.stack([b, b * 2]), theirs, depth=1, new_axis=[0])
    assert got.chunks == expected.chunks == ((1,), (2, 2, 2))
    np.testing.assert_array_equal(compute(got), expected.compute())


def test_map_overlap_function_returning_a_scalar_is_not_trimmed():
    ours, theirs = _pair(np.ones(3), 3)
    with pytest.warns(FutureWarning):
        got = ga.map_overlap(ours, lambda b: array_namespace(b).sum(b), 1, "reflect", True)
    with pytest.warns(FutureWarning):
        expected = da.map_overlap(theirs, lambda b: np.array(b.sum()), 1, "reflect", True)
    assert got.shape == expected.shape == (3,)
    assert compute(got) == expected.compute() == 5


def test_map_blocks_blocks_unlike_the_chunks_given_raise_instead_of_broadcasting():
    x = ga.ones((4, 2), chunks=(2, 2))
    wrong = ga.map_blocks(lambda b: b[:1, ...], x, chunks=((2, 2), (2,)))  # says 2 rows, gives 1
    with pytest.raises(ValueError, match="a block of shape"):
        wrong.compute()


@pytest.mark.parametrize("chunks, window", [((3, 9), 4), ((5, 2, 5), 3), ((1,) * 12, 3), ((1, 7, 4), 2),
                                            ((4, 3, 1, 4), 4)])
def test_windows_over_short_blocks_give_dask_s_blocks(chunks, window):
    # blocks shorter than the window are first made long enough as dask makes them (so xarray's rolling of
    # a padded axis has dask's blocks), and halos over short blocks too
    values = np.arange(12.0)
    ours, theirs = ga.from_array(values, chunks=(chunks,)), da.from_array(values, chunks=(chunks,))
    got = ga.sliding_window_view(ours, window)
    assert got.chunks == da.lib.stride_tricks.sliding_window_view(theirs, window).chunks
    assert_same(got, np.lib.stride_tricks.sliding_window_view(values, window))
    halo = window - 1 or 1
    got = ga.map_overlap(lambda b: b * 2, ours, depth=halo, boundary="none", trim=False)
    assert got.chunks == da.map_overlap(lambda b: b * 2, theirs, depth=halo, boundary="none", trim=False).chunks
