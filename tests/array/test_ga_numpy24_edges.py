"""NumPy 2.4 behaviours found by fuzzing ``gpuscale.array`` against NumPy: dict pad widths, moments of rows
of unknown count, empty blocks in reshapes and quantiles, ``out=`` dtypes, 0-d inputs, complex infinities
and NumPy's keyword names."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

X = np.arange(6.0).reshape(2, 3)


@pytest.mark.parametrize("pad_width", [{1: (1, 2)}, {0: 3, -1: (0, 2)}, {}])
@pytest.mark.parametrize("mode", ["constant", "edge"])
def test_pad_takes_numpy2_dict_widths(pad_width, mode):
    # the axes a dict leaves out are not padded (each axis got 1 on both sides before)
    assert_same(ga.pad(ga.asarray(X, chunks=2), pad_width, mode=mode), np.pad(X, pad_width, mode=mode))


def _unknown_rows(data: np.ndarray) -> ga.Array:
    """``data`` with rows of unknown count (a boolean mask that keeps them all)."""
    g = ga.asarray(data, chunks=2)
    return g[g[:, 0] >= 0]


def test_pad_of_unknown_length_says_to_compute_chunk_sizes():
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        ga.pad(_unknown_rows(X.T.copy())[:, 0], 1)


@pytest.mark.parametrize("ddof", [None, 0, 2])
def test_cov_of_rows_of_unknown_count_counts_them(ddof):
    # the count was x.shape[1], NaN for rows picked by a mask: every entry came out NaN
    data = X.T.copy() ** 2
    assert_same(ga.cov(_unknown_rows(data), rowvar=False, ddof=ddof), np.cov(data, rowvar=False, ddof=ddof))
    assert_same(ga.cov(_unknown_rows(data)[:, 1], ddof=ddof), np.cov(data[:, 1], ddof=ddof))


def test_corrcoef_and_float32_cov_of_rows_of_unknown_count():
    data = X.T.copy() ** 2
    assert_same(ga.corrcoef(_unknown_rows(data), rowvar=False), np.corrcoef(data, rowvar=False))
    assert_same(ga.cov(_unknown_rows(data), rowvar=False, dtype="float32"),
                np.cov(data, rowvar=False, dtype="float32"), rtol=1e-6)


@pytest.mark.parametrize("chunks", [((2, 0), (3,)), ((0, 1, 1, 0), (3, 0)), ((1, 0, 1), (1, 0, 2))])
@pytest.mark.parametrize("shape", [(6,), (3, 2), (1, 6), (2, 1, 3)])
def test_reshape_with_empty_blocks(chunks, shape):
    # blocks as many as the rows were taken for blocks of one row ("cannot reshape array of size 6")
    assert_same(ga.asarray(X, chunks=chunks).reshape(shape), X.reshape(shape))


def test_ravel_concatenate_and_outer_with_empty_blocks():
    a = ga.asarray(X, chunks=((2, 0), (3,)))
    assert_same(a.ravel(), X.ravel())
    assert_same(ga.concatenate([a, a], axis=None), np.concatenate([X, X], axis=None))
    one = ga.asarray(np.array([5.0]), chunks=((1, 0),))
    assert_same(ga.reshape(one, (1, 1)), np.array([[5.0]]))
    assert_same(ga.multiply.outer(one, one), np.multiply.outer([5.0], [5.0]))


def test_ufunc_out_keeps_its_dtype_where_casting_allows():
    x = ga.asarray([1.5, 2.5, 3.5], chunks=2)
    low = ga.zeros(3, dtype=ga.float32, chunks=2)
    ga.multiply(x, 2, out=low)
    assert low.dtype == ga.float32
    assert_same(low, np.multiply([1.5, 2.5, 3.5], 2, out=np.zeros(3, "float32")))
    out = ga.zeros(3, dtype=ga.int64, chunks=2)
    ga.add(x, 1, out=out, casting="unsafe")
    assert_same(out, np.add([1.5, 2.5, 3.5], 1, out=np.zeros(3, "int64"), casting="unsafe"))
    # where NumPy refuses the cast (same_kind), dask.array's rebinding: out takes the result
    rebound = ga.zeros(3, dtype=ga.int64, chunks=2)
    ga.add(x, 1, out=rebound)
    assert rebound.dtype == ga.float64
    assert_same(rebound, np.add([1.5, 2.5, 3.5], 1))


@pytest.mark.parametrize("name", ["max", "sum", "mean", "std"])
def test_reduction_out_keeps_its_dtype_where_same_kind_allows(name):
    data = np.array([[1.5, 2.5], [0.5, 4.0]])
    out = ga.zeros(2, dtype="float32")
    result = getattr(ga, name)(ga.asarray(data, chunks=1), axis=0, out=out)
    assert result is out and out.dtype == ga.float32
    assert_same(out, getattr(np, name)(data, axis=0, out=np.zeros(2, "float32")))
    ints = ga.zeros(2, dtype="int64")  # (dask.array's rebinding, as dask's test_array_reduction_out)
    getattr(ga, name)(ga.asarray(data, chunks=1), axis=0, out=ints)
    assert ints.dtype == ga.float64
    assert_same(ints, getattr(np, name)(data, axis=0))


def test_median_with_an_empty_block_on_a_kept_axis():
    # NumPy's median of the empty (2, 0, 3) block raised "cannot reshape array of size 0"
    x3 = np.arange(24.0).reshape(2, 4, 3)
    g = ga.asarray(x3, chunks=((2,), (4, 0), (3,)))
    assert_same(ga.median(g, axis=(0, 2)), np.median(x3, axis=(0, 2)))
    assert_same(ga.nanmedian(g, axis=(0, 2), keepdims=True), np.nanmedian(x3, axis=(0, 2), keepdims=True))


@pytest.mark.parametrize("q", [0.25, [0.25, 0.5]])
def test_nanquantile_higher_of_integers_with_an_empty_block_keeps_the_dtype(q):
    # the empty block came out float64 where the array's dtype says int64
    xi = np.arange(12).reshape(3, 4)
    g = ga.asarray(xi, chunks=((0, 1, 2), (4,)))
    assert_same(ga.nanquantile(g, q, axis=1, method="higher"), np.nanquantile(xi, q, axis=1, method="higher"))


def test_nanpercentile_along_an_empty_axis_is_nan():
    # NumPy's nanpercentile of a (0, n) block drops q's dimension (a block-shape error here); the answer for
    # an empty slice is NaN, one per q and column
    with pytest.warns(RuntimeWarning):
        nan_one = np.nanpercentile(np.zeros((0, 1)), 10, axis=0)
    got = ga.nanpercentile(ga.zeros((0, 3), chunks=2), [10, 90], axis=0)
    assert got.shape == (2, 3)
    assert np.isnan(compute(got)).all() and np.isnan(nan_one).all()
    assert_same(ga.nanmedian(ga.zeros((0, 3), chunks=2), axis=0), np.full(3, np.nan))


@pytest.mark.parametrize("condlist, funclist", [([True], [lambda v: v + 1]), (True, [lambda v: v * 2]),
                                                ([False], [lambda v: v + 1, 9.0]), ([False, True], [1.0, 2.0])])
def test_piecewise_of_a_0d_array(condlist, funclist):
    # [True] was taken for one condition of shape (1,), which does not broadcast to ()
    assert_same(ga.piecewise(ga.asarray(np.array(3.0)), condlist, funclist),
                np.piecewise(np.array(3.0), condlist, funclist))


def test_fromfunction_of_shape_0d_calls_func_without_indices():
    assert_same(ga.fromfunction(lambda *i: 7.0, shape=(), dtype=float), np.asarray(np.fromfunction(lambda *i: 7.0, ())))
    assert_same(ga.fromfunction(lambda i, j: i + j, shape=(2, 3), dtype=int), np.fromfunction(lambda i, j: i + j, (2, 3),
                                                                                                 dtype=int))


COMPLEX = np.array([np.inf + 0j, complex(np.inf, 1), complex(1, -np.inf), complex(-np.inf, 2), complex(np.inf, np.inf),
                    complex(np.nan, 1), 1e300 + 1e300j, 0j, complex(-0.0, 1.26), complex(-2.35, -0.0)])


def _same_with_zero_signs(got: ga.Array, expected: np.ndarray) -> None:
    assert_same(got, expected)
    values = compute(got)
    for part in (np.real, np.imag):
        signed = ~np.isnan(part(expected))  # a NaN's sign means nothing
        np.testing.assert_array_equal(np.signbit(part(values))[signed], np.signbit(part(expected))[signed])


@pytest.mark.parametrize("decimals", [1, -1, 0])
def test_complex_round_keeps_infinities_and_signed_zeros(decimals):
    # the complex number was scaled by 10**decimals: inf * 10 made NaN, and -0. lost its sign
    _same_with_zero_signs(ga.round(ga.asarray(COMPLEX, chunks=4), decimals), np.round(COMPLEX, decimals))


def test_complex_sign_of_an_infinite_part_is_its_direction():
    # they were NaN (x / |x|); the signs of zero parts of finite numbers' signs are the chunk library's
    data = np.array([np.inf + 0j, complex(np.inf, 1), complex(1, -np.inf), complex(-np.inf, 2), complex(np.inf, np.inf),
                     complex(np.nan, 1), 1e300 + 1e300j, 0j, 3 + 4j])
    _same_with_zero_signs(ga.sign(ga.asarray(data, chunks=4)), np.sign(data))


@pytest.mark.parametrize("name", ["argmax", "argmin", "nanargmax"])
@pytest.mark.parametrize("axis", [0, -1, None])
@pytest.mark.parametrize("keepdims", [False, True])
def test_arg_reductions_of_a_0d_array_take_axis_0(name, axis, keepdims):
    # NumPy searches a 0-d array as one element (axis=0 raised IndexError here)
    s = np.array(2.5)
    assert_same(getattr(ga, name)(ga.asarray(s), axis=axis, keepdims=keepdims),
                getattr(np, name)(s, axis=axis, keepdims=keepdims))


def test_arg_reduction_of_a_0d_array_along_axis_1_raises_as_numpy():
    with pytest.raises(np.exceptions.AxisError):
        ga.argmax(ga.asarray(np.array(2.5)), axis=1)


def test_sort_of_a_0d_array():
    s = np.array(2.5)
    assert_same(ga.sort(ga.asarray(s), axis=None), np.sort(s, axis=None))  # a ValueError before
    assert_same(ga.argsort(ga.asarray(s), axis=None), np.argsort(s, axis=None))
    assert_same(ga.argsort(ga.asarray(s), axis=0), np.argsort(s, axis=0))
    with pytest.raises(np.exceptions.AxisError):
        ga.sort(ga.asarray(s), axis=0)
    x = np.array([[3, 1], [2, 5]])
    assert_same(ga.sort(ga.asarray(x, chunks=1), axis=None), np.sort(x, axis=None))


def test_numpy_keyword_names():
    x = np.array([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]])
    g = ga.asarray(x, chunks=2)
    assert_same(ga.tile(g, reps=2), np.tile(x, reps=2))
    assert_same(ga.repeat(g, repeats=2, axis=0), np.repeat(x, repeats=2, axis=0))
    assert_same(ga.take(g, indices=[2, 0], axis=1), np.take(x, indices=[2, 0], axis=1))
    assert_same(ga.clip(g, a_min=2, a_max=4), np.clip(x, a_min=2, a_max=4))
    assert_same(ga.clip(g, 2, a_max=4), np.clip(x, 2, a_max=4))
    with pytest.raises(ValueError):
        ga.clip(g, min=1, a_min=2)
    assert_same(g.diagonal(), x.diagonal())
    assert_same(g.T.diagonal(offset=-1), x.T.diagonal(offset=-1))


X3 = np.arange(24).reshape(2, 3, 4)


@pytest.mark.parametrize("name, args", [("split", (2,)), ("split", ([1, 3], 2)), ("split", ([-1, 10, 2], 1)),
                                        ("array_split", (3, 2)), ("array_split", (5,)), ("hsplit", (3,)),
                                        ("hsplit", ([1],)), ("vsplit", (2,)), ("dsplit", ([1, 1],))])
def test_split_family(name, args):
    got, expected = getattr(ga, name)(ga.asarray(X3, chunks=2), *args), getattr(np, name)(X3, *args)
    assert isinstance(got, list) and len(got) == len(expected)
    for piece, want in zip(got, expected):
        assert_same(piece, want)


def test_split_errors_are_numpys():
    with pytest.raises(ValueError, match="equal division"):
        ga.split(ga.asarray(X3), 5, axis=2)
    with pytest.raises(ValueError, match="2 or more dimensions"):
        ga.vsplit(ga.ones(3), 1)
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        ga.split(_unknown_rows(X.T.copy()), 2)


def test_column_stack():
    a, b = np.arange(3), np.ones((3, 2), dtype=np.int64)
    assert_same(ga.column_stack([ga.asarray(a), ga.asarray(b, chunks=1)]), np.column_stack([a, b]))
    assert_same(ga.column_stack([ga.asarray(a), ga.asarray(a)]), np.column_stack([a, a]))


@pytest.mark.parametrize("kwargs", [{}, {"dx": 0.5}, {"x": "1-d"}, {"x": "2-d"}, {"axis": 0}])
def test_trapezoid(kwargs):
    rng = np.random.default_rng(3)
    y = rng.normal(size=(3, 5))
    points = {"1-d": np.cumsum(rng.random(5)), "2-d": np.cumsum(rng.random((3, 5)), axis=1)}
    numpy_kwargs = {k: points.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
    lazy_kwargs = {k: ga.asarray(v, chunks=2) if isinstance(v, np.ndarray) else v for k, v in numpy_kwargs.items()}
    assert_same(ga.trapezoid(ga.asarray(y, chunks=2), **lazy_kwargs), np.trapezoid(y, **numpy_kwargs))


def test_histogram_bin_edges():
    edges = ga.histogram_bin_edges(ga.asarray(X3, chunks=2), 4, range=(0, 24))
    np.testing.assert_array_equal(compute(edges), np.histogram_bin_edges(X3, 4, range=(0, 24)))
    with pytest.raises(ValueError, match="range"):
        ga.histogram_bin_edges(ga.asarray(X3), 4)


@pytest.mark.parametrize("chunks", [((1,), (1, 0)), ((1, 0), (1,))])
@pytest.mark.parametrize("pad_width", [1, ((0, 2), (1, 1))])
def test_pad_linear_ramp_with_empty_blocks(chunks, pad_width):
    # map_blocks aligned the edge's blocks (dropping the empty one) where chunks= kept it: a block-count error
    data = np.full((1, 1), 3.0)
    got = ga.pad(ga.asarray(data, chunks=chunks), pad_width, mode="linear_ramp", end_values=(5, -1))
    assert_same(got, np.pad(data, pad_width, mode="linear_ramp", end_values=(5, -1)))


@pytest.mark.parametrize("default", [-5, 7, 1.5, np.int64(-5)])
def test_select_with_a_python_default_is_weak(default):
    # a Python default promoted uint8 choices to int64 (NumPy keeps uint8: -5 wraps to 251)
    xu = np.array([5, 200], "u1")
    g = ga.asarray(xu)
    assert_same(ga.select([g > 100], [g], default=default), np.select([xu > 100], [xu], default=default))


def test_joining_dtype_follows_the_casting_rule():
    parts = [np.array([1.5]), np.array([2])]
    with pytest.raises(TypeError, match="according to the rule 'same_kind'"):
        ga.concatenate([ga.asarray(p) for p in parts], dtype="int16")  # it truncated 1.5 silently
    assert_same(ga.concatenate([ga.asarray(p) for p in parts], dtype="int16", casting="unsafe"),
                np.concatenate(parts, dtype="int16", casting="unsafe"))
    with pytest.raises(TypeError, match="same_kind"):
        ga.hstack([ga.asarray(p) for p in parts], dtype="int16")
    assert_same(ga.stack([ga.ones(2)], dtype="float32"), np.stack([np.ones(2)], dtype="float32"))
    with pytest.raises(TypeError, match="same_kind"):
        ga.stack([ga.ones(2)], dtype="int32")
