"""roll, squeeze, moveaxis and friends against NumPy and dask (the dask.array signatures users port)."""

import warnings

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

X = np.arange(24).reshape(4, 6)


@pytest.mark.parametrize("shift, axis", [(3, None), (-7, None), (9, 1), (3, (0, 1)), ((3, 9), (1, 0))])
def test_roll_matches_numpy_and_dask(shift, axis):
    got = ga.roll(ga.asarray(X, chunks=(2, 4)), shift, axis)
    assert_same(got, np.roll(X, shift, axis))
    got = compute(got)
    if not (isinstance(axis, tuple) and isinstance(shift, int)):  # dask refuses one shift for several axes
        np.testing.assert_array_equal(got, da.roll(da.from_array(X, chunks=(2, 4)), shift, axis).compute())


@pytest.mark.parametrize("shift, axis", [(1, 0), (-9, 0), (2, 1), ((1, 3), (0, 1))])
def test_roll_of_unknown_lengths_as_numpy(shift, axis):
    # after a mask the rows' lengths are unknown: rolling along them joins them into one block (it failed
    # indexing with slice(nan, ...)); along the known axis, joining the two slabs was refused
    x = ga.asarray(X, chunks=(3, 4))
    got = ga.roll(x[x[:, 0] % 12 == 0], shift, axis)
    np.testing.assert_array_equal(compute(got), np.roll(X[X[:, 0] % 12 == 0], shift, axis))


def test_roll_tuple_shift_without_axis_raises_like_dask():
    with pytest.raises(TypeError):
        da.roll(da.from_array(X), (3, 9))
    with pytest.raises(TypeError, match="shift must be an integer"):
        ga.roll(ga.asarray(X), (3, 9))


def test_roll_returns_a_new_array_even_without_a_shift():
    x = ga.arange(2, 3)
    y = ga.roll(x, 1)
    assert y is not x
    assert_same(y, np.roll(np.arange(2, 3), 1))


@pytest.mark.parametrize("method", [True, False])
def test_squeeze_default_removes_all_unit_axes(method):
    a = np.arange(10)[None, :, None, None]
    d = ga.asarray(a, chunks=(1, 3, 1, 1))
    got = d.squeeze() if method else ga.squeeze(d)
    assert got.shape == np.squeeze(a).shape
    assert got.chunks == da.squeeze(da.from_array(a, chunks=(1, 3, 1, 1))).chunks
    assert_same(got, np.squeeze(a))


def test_moveaxis_takes_keywords():
    a = np.zeros((2, 3, 4))
    got = ga.moveaxis(ga.asarray(a), source=0, destination=-1)
    assert got.shape == np.moveaxis(a, source=0, destination=-1).shape


@pytest.mark.parametrize("func", ["quantile", "nanquantile", "percentile", "nanpercentile"])
@pytest.mark.parametrize("axis", [-1, 0, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_quantile_with_nd_q(func, axis, keepdims):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((6, 5, 4))
    a[0, 0, 0] = np.nan if func.startswith("nan") else a[0, 0, 0]
    q = np.array([[0.1, 0.5], [0.9, 0.95]]) * (100 if func.endswith("percentile") else 1)
    got = getattr(ga, func)(ga.asarray(a, chunks=(2, 3, 2)), q, axis=axis, keepdims=keepdims)
    expected = getattr(np, func)(a, q, axis=axis, keepdims=keepdims)
    if func.startswith("nan") and isinstance(axis, tuple):
        # NumPy 2.4's nan* functions misplace an n-d q's dimensions here: the right answer is the flat q's
        flat = getattr(np, func)(a, q.ravel(), axis=axis, keepdims=keepdims)
        expected = flat.reshape(q.shape + flat.shape[1:])
    assert_same(got, expected)
    if axis != (0, 2):  # dask reduces one axis only
        ref = getattr(da, func)(da.from_array(a, chunks=(2, 3, 2)), q, axis=axis, keepdims=keepdims)
        assert ref.shape == got.shape


@pytest.mark.parametrize("a_dtype", [np.float32, np.float64, np.int16, np.uint16])
@pytest.mark.parametrize("q", [0.5, [0.5], np.float32(0.5), np.asarray([0.5], dtype=np.float32),
                               np.asarray([0.5], dtype=np.float64)])
def test_quantile_dtype_follows_numpy(a_dtype, q):
    a = np.asarray([100, 200, 300], dtype=a_dtype)
    got = ga.quantile(ga.asarray(a), q)
    assert_same(got, np.quantile(a, q))


def test_quantile_refuses_non_numeric_q():
    with pytest.raises(TypeError, match="q must be numbers"):
        ga.quantile(ga.asarray(np.arange(3.0)), "half")


@pytest.mark.parametrize("call", [lambda m, x: m.expand_dims(x, axis=3), lambda m, x: m.delete(x, [1], axis=2),
                                  lambda m, x: m.append(x, x, axis=2), lambda m, x: m.sum(x, axis=-3)])
def test_axis_out_of_range_raises_numpys_axis_error(call):
    x = np.ones((2, 3))
    for module, arr in ((np, x), (da, da.from_array(x)), (ga, ga.asarray(x))):
        with pytest.raises(np.exceptions.AxisError):
            call(module, arr)


@pytest.mark.parametrize("shape", [(0,), (0, 0), (5, 6)])
def test_where_with_only_a_condition_is_nonzero(shape):
    x = np.random.default_rng(1).integers(3, size=shape)
    got = ga.where(ga.asarray(x, chunks=2))
    expected = np.where(x)
    assert isinstance(got, tuple) and len(got) == len(expected) == len(da.where(da.from_array(x)))
    for g, e in zip(got, expected):
        assert_same(g, e)


@pytest.mark.parametrize("kwargs", [{"x": 1.0}, {"y": 1.0}])
def test_where_with_x_or_y_alone_raises_like_dask(kwargs):
    cond = np.arange(4) > 1
    for module, c in ((da, da.from_array(cond)), (ga, ga.asarray(cond))):
        with pytest.raises(ValueError, match="either both or neither of x and y"):
            module.where(c, **kwargs)


@pytest.mark.parametrize("index, axis", [(3, 0), (-1, 1), (np.int64(2), -1)])
def test_take_a_single_position_removes_the_axis(index, axis):
    x = np.arange(48).reshape(6, 8)
    got = ga.take(ga.asarray(x, chunks=(4, 3)), index, axis=axis)
    assert_same(got, np.take(x, index, axis=axis))
    assert got.shape == da.take(da.from_array(x, chunks=(4, 3)), index, axis=axis).shape


@pytest.mark.parametrize("k", [-7, -2, 0, 1, 5])
def test_tril_triu_take_k_positionally(k):
    a = np.arange(36.0).reshape(6, 6)
    x = ga.asarray(a, chunks=4)
    assert_same(ga.tril(x, k), np.tril(a, k))
    assert_same(ga.triu(x, k), np.triu(a, k))


@pytest.mark.parametrize("decimals", [0, 1, 3, -1])
def test_round_takes_decimals_positionally(decimals):
    a = np.random.default_rng(2).random(10) * 100
    x = ga.asarray(a, chunks=4)
    assert_same(ga.round(x, decimals), np.round(a, decimals))
    assert_same(x.round(decimals), a.round(decimals))


@pytest.mark.parametrize("axes", [0, 1, 2, (0, 1), (1, 0), (-1, 0), ((1, 0), (2, 1)), ((2, 0), (1, 2))])
def test_tensordot_axes_as_numpy(axes):
    x = np.arange(64).reshape(4, 4, 4)
    got = ga.tensordot(ga.asarray(x, chunks=2), ga.asarray(x, chunks=2), axes)
    assert_same(got, np.tensordot(x, x, axes))
    assert got.shape == da.tensordot(da.from_array(x, chunks=2), da.from_array(x, chunks=2), axes).shape


def test_tensordot_with_a_numpy_operand():
    x, y = np.arange(400).reshape(20, 20), np.arange(200).reshape(20, 10)
    assert_same(ga.tensordot(x, ga.asarray(y, chunks=4), axes=(1, 0)), np.tensordot(x, y, axes=(1, 0)))
    assert_same(ga.tensordot(ga.asarray(x, chunks=5), y, axes=1), np.tensordot(x, y, axes=1))


def test_tensordot_that_multiplies_the_blocks_warns_as_dask():
    x, y = np.arange(400).reshape(20, 20), np.arange(200).reshape(20, 10)
    a, b = ga.asarray(x, chunks=(5, 4)), ga.asarray(y, chunks=(4, 5))
    with pytest.warns(ga.PerformanceWarning, match="tensordot: .* factor of 10 \\(20 -> 200\\)"):
        got = ga.tensordot(a, b, axes=0)
    with pytest.warns(da.PerformanceWarning):
        da.tensordot(da.from_array(x, chunks=(5, 4)), da.from_array(y, chunks=(4, 5)), axes=0)
    assert_same(got, np.tensordot(x, y, axes=0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # contracting: no more blocks than the operands had
        assert_same(ga.tensordot(a, b, axes=(1, 0)), np.tensordot(x, y, axes=(1, 0)))


@pytest.mark.parametrize("axes", [([0], [0]), ([0, 1], [0, 1])])
def test_tensordot_over_an_unknown_length_as_numpy_and_dask(axes):
    # the summed axis has unknown length (nan, after a mask): checked when the blocks meet, as matmul and dask
    m = np.arange(24.).reshape(6, 2, 2) - 3
    g = ga.asarray(m, chunks=2)
    u, kept = g[g[:, 0, 0] > 0], m[m[:, 0, 0] > 0]
    assert_same(ga.tensordot(u, u, axes=axes), np.tensordot(kept, kept, axes=axes))
    d = da.from_array(m, chunks=2)
    np.testing.assert_array_equal(compute(ga.tensordot(u, u, axes=axes)),
                                  da.tensordot(d[d[:, 0, 0] > 0], d[d[:, 0, 0] > 0], axes=axes).compute())


def test_tensordot_unequal_axes_raise():
    x = np.ones((3, 3))
    with pytest.raises(ValueError, match="as many axes"):
        ga.tensordot(ga.asarray(x), ga.asarray(x), axes=((0, 1), (0,)))


@pytest.mark.parametrize("fweights, aweights", [([1, 4, 1], None), (None, [0.5, 2.0, 0.5]), ([1, 2, 1], [0.5, 1.0, 2.0])])
@pytest.mark.parametrize("kwargs", [{}, {"ddof": 0}, {"ddof": 2}, {"bias": True}])
def test_cov_with_weights(fweights, aweights, kwargs):
    x = np.array([[0.0, 2.0], [1.0, 1.0], [2.0, 0.0], [4.0, 1.0]]).T[:, :3]
    got = ga.cov(ga.asarray(x, chunks=2), fweights=None if fweights is None else ga.asarray(fweights),
                 aweights=aweights, **kwargs)
    assert_same(got, np.cov(x, fweights=fweights, aweights=aweights, **kwargs))
    ref = da.cov(da.from_array(x, chunks=2), fweights=None if fweights is None else np.asarray(fweights),
                 aweights=None if aweights is None else np.asarray(aweights), **kwargs)
    np.testing.assert_allclose(compute(got), ref.compute())


@pytest.mark.parametrize("kwargs", [{"fweights": np.ones((2, 3), dtype=int)}, {"fweights": np.ones(2, dtype=int)},
                                    {"aweights": np.ones((2, 3))}, {"aweights": np.ones(2)}])
def test_cov_badly_shaped_weights_raise_runtime_error_as_numpy(kwargs):
    x = np.arange(6.0).reshape(2, 3)
    with pytest.raises(RuntimeError):
        np.cov(x, **kwargs)
    with pytest.raises(RuntimeError, match="weights"):
        ga.cov(ga.asarray(x), **kwargs)


def test_cov_fractional_ddof_raises_like_dask():
    x = np.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError):
        da.cov(da.from_array(x), ddof=1.5)
    with pytest.raises(ValueError, match="ddof must be an integer"):
        ga.cov(ga.asarray(x), ddof=1.5)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("rowvar", [True, False])
def test_cov_corrcoef_of_one_row(rowvar):
    x = np.array([[1.0, 2.0, 4.0]])
    assert_same(ga.cov(ga.asarray(x), rowvar=rowvar), np.cov(x, rowvar=rowvar))
    assert_same(ga.corrcoef(ga.asarray(x), rowvar=rowvar), np.corrcoef(x, rowvar=rowvar))


@pytest.mark.parametrize("axis", [0, -1, (0,)])
def test_flip_of_a_0d_array_along_an_axis_raises_numpys_axis_error(axis):
    with pytest.raises(np.exceptions.AxisError):
        np.flip(np.array(1.0), axis=axis)
    with pytest.raises(np.exceptions.AxisError):
        ga.flip(ga.asarray(1.0), axis=axis)
    assert_same(ga.flip(ga.asarray(1.0)), np.flip(np.array(1.0)))


@pytest.mark.parametrize("func", ["quantile", "nanquantile", "percentile"])
@pytest.mark.parametrize("q", [[0.25, 0.5, 0.75], 0.5, [[0.1, 0.5], [0.9, 0.95]]])
@pytest.mark.parametrize("axis", [-1, 0])
def test_quantile_with_a_lazy_q(func, q, axis):
    a = np.random.default_rng(3).standard_normal((4, 5, 6))
    q = np.asarray(q) * (100 if func == "percentile" else 1)
    got = getattr(ga, func)(ga.asarray(a, chunks=(2, 3, 2)), ga.asarray(q, chunks=1), axis=axis)
    assert_same(got, getattr(np, func)(a, q, axis=axis))
    ref = getattr(da, func)(da.from_array(a, chunks=(2, 3, 2)), da.from_array(q), axis=axis)
    np.testing.assert_allclose(compute(got), ref.compute())


def test_quantile_lazy_q_out_of_range_raises_numpys_error_at_compute():
    got = ga.quantile(ga.asarray(np.arange(5.0)), ga.asarray([2.0]))
    with pytest.raises(ValueError, match="range"):
        got.compute()


@pytest.mark.parametrize("wrap", [False, True])
def test_ravel_multi_index_refuses_lazy_dims_like_dask(wrap):
    from dask import delayed

    for module, dims in ((da, da.from_array([5, 10])), (ga, ga.asarray([5, 10])), (ga, delayed([5, 10], nout=2))):
        with pytest.raises(NotImplementedError, match="Dask types are not supported"):
            module.ravel_multi_index((2, 1), [dims[0], dims[1]] if wrap else dims)
    assert_same(ga.ravel_multi_index((ga.asarray([2]), ga.asarray([1])), (5, 10)),
                np.ravel_multi_index((np.asarray([2]), np.asarray([1])), (5, 10)))


def test_ravel_multi_index_of_rows_selected_by_data():
    a = np.array([[3, 6, 6], [4, 5, 1], [-1, -1, -1]])
    m = ga.asarray(a)
    m = m[(m > 0).all(axis=1)]
    assert np.isnan(m.shape[0])
    expected = np.ravel_multi_index(a[(a > 0).all(axis=1)], dims=(7, 6))
    got = ga.ravel_multi_index(m, dims=(7, 6))
    np.testing.assert_array_equal(compute(got), expected)
    d = da.from_array(a)
    np.testing.assert_array_equal(da.ravel_multi_index(d[(d > 0).all(axis=1)], dims=(7, 6)).compute(), expected)


def test_ravel_multi_index_unknown_rows_in_several_blocks_raise():
    m = ga.asarray(np.arange(12).reshape(6, 2) % 3, chunks=(2, 2))
    m = m[(m >= 0).all(axis=1)]
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        ga.ravel_multi_index(m, dims=(7, 6))


def test_take_of_numpy_data_with_gpuscale_indices():
    x = np.arange(5.0) * 2
    idx = np.array([1, 2, 3, 3, 2, 1])
    got = ga.take(x, ga.asarray(idx, chunks=3))
    assert_same(got, np.take(x, idx))
    np.testing.assert_array_equal(compute(got), da.take(x, da.from_array(idx, chunks=3)).compute())


@pytest.mark.parametrize("condition", [True, False, np.True_, np.False_, 1, 0])
def test_where_with_a_constant_condition_returns_the_chosen_operand(condition):
    a, b = np.arange(12).reshape(3, 4), np.arange(12, 24).reshape(3, 4)
    x, y = ga.asarray(a, chunks=2), ga.asarray(b, chunks=2)
    got = ga.where(condition, x, y)
    assert got is (x if condition else y)
    assert_same(got, np.where(condition, a, b))
    small = a.astype(np.int32)
    promoted = ga.where(condition, ga.asarray(small, chunks=2), y)  # int32 chosen: a new, int64 array
    assert (promoted is y) == (not condition)
    assert_same(promoted, np.where(condition, small, b))


@pytest.mark.parametrize("chunks", [(5, 7, 3), (20, 30, 10), (3, 30, 10)])
def test_argwhere_keeps_a_block_per_input_block_as_dask(chunks):
    # dask's GH#10080: no block joins the input's blocks along its other axes; C order as NumPy's
    mask = np.random.default_rng(0).random((20, 30, 10)) < 0.3
    ours, theirs = ga.argwhere(ga.asarray(mask, chunks=chunks)), da.argwhere(da.from_array(mask, chunks=chunks))
    assert len(ours.chunks[0]) == len(theirs.chunks[0]) and ours.chunks[1] == theirs.chunks[1] == (1, 1, 1)
    np.testing.assert_array_equal(compute(ours), np.argwhere(mask))
    one_d = ga.argwhere(ga.asarray(mask[0, 0], chunks=3))
    assert one_d.chunks[1] == (1,)
    np.testing.assert_array_equal(compute(one_d), np.argwhere(mask[0, 0]))


def test_nonzero_over_blocks_of_unknown_length_asks_for_their_sizes():
    x = ga.asarray(np.arange(30.0), chunks=7)
    y = x[x > 10]  # five blocks of unknown lengths: where each block's positions start is unknown
    for f in (ga.argwhere, ga.flatnonzero, lambda a: ga.nonzero(a)[0]):
        with pytest.raises(ValueError, match="compute_chunk_sizes"):
            f(y)
    np.testing.assert_array_equal(compute(ga.flatnonzero(y.compute_chunk_sizes())), np.arange(19))
    single = ga.asarray(np.arange(30.0), chunks=-1)
    np.testing.assert_array_equal(compute(ga.flatnonzero(single[single > 25])), np.arange(4))


def test_nonzero_of_nd_arrays_keeps_the_input_block_sizes():
    mask = np.random.default_rng(1).random((20, 30, 10)) < 0.3
    x = ga.asarray(mask, chunks=(5, 7, 3))
    ours = ga.nonzero(x)
    # a block per block of the flattened array (as many as dask's ravel makes), not one per slab of rows
    flat_blocks = len(da.ravel(da.from_array(mask, chunks=(5, 7, 3))).chunks[0])
    assert flat_blocks > 4 and all(len(c.chunks[0]) == len(ga.ravel(x).chunks[0]) == flat_blocks for c in ours)
    for got, want in zip(ours, np.nonzero(mask)):
        np.testing.assert_array_equal(compute(got), want)
