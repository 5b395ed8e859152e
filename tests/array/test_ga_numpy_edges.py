"""NumPy's answers at the edges users reach through dask.array code: unknown lengths after a mask, the order of
``gradient``'s axes, variances without degrees of freedom, ``clip``'s promotion."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

DATA = np.array([3, 1, -1, 3, 2, -5])


def _masked() -> tuple:
    x = ga.from_array(DATA, chunks=2)
    return x[x > 0], DATA[DATA > 0]


def test_functions_that_join_an_unknown_axis_into_one_block() -> None:
    """unique, sort, diff and dot of a masked array (unknown block lengths) join its blocks (a rechunk of
    unknown lengths into one block was refused; diff reported a length of 0 and dropped data downstream)."""
    x, data = _masked()
    same = np.testing.assert_array_equal  # (the lengths are unknown until computed: values only)
    same(compute(ga.unique(x)), np.unique(data))
    values, counts = ga.unique(x, return_counts=True)
    same(compute(values), np.unique(data)), same(compute(counts), np.unique(data, return_counts=True)[1])
    same(compute(ga.sort(x)), np.sort(data))
    d = ga.diff(x)
    assert np.isnan(d.shape[0])
    same(compute(ga.concatenate([d, ga.ones(2, dtype=d.dtype)])), np.concatenate([np.diff(data), [1, 1]]))
    assert int(compute(ga.dot(x, x))) == int(np.dot(data, data))


@pytest.mark.parametrize("axis", [(1, 0), (0, 1), (-1, 0), 1, None])
def test_gradient_in_the_order_of_the_axes_asked(axis) -> None:
    data = np.arange(12.0).reshape(3, 4) ** 2
    got, expected = ga.gradient(ga.from_array(data, chunks=2), axis=axis), np.gradient(data, axis=axis)
    got = got if isinstance(got, tuple) else (got,)
    expected = expected if isinstance(expected, (tuple, list)) else (expected,)
    for a, b in zip(got, expected, strict=True):
        assert_same(a, b)
    spaced = ga.gradient(ga.from_array(data, chunks=2), 1.0, 2.0, axis=(1, 0))
    for a, b in zip(spaced, np.gradient(data, 1.0, 2.0, axis=(1, 0)), strict=True):
        assert_same(a, b)


@pytest.mark.parametrize("spacing", [(), (2.0,), (np.array([0.0, 1.0, 3.0, 7.0]),)])
@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_along_a_known_axis_of_a_masked_array(edge_order, spacing) -> None:
    # the rows' lengths are unknown after the mask; the gradient along the columns keeps them (it refused to
    # join its three column slabs, whose rows were unknown)
    data = np.arange(24.0).reshape(6, 4) ** 2 - 20
    x = ga.from_array(data, chunks=2)
    got = ga.gradient(x[x[:, 0] > 0], *spacing, axis=1, edge_order=edge_order)
    np.testing.assert_allclose(compute(got), np.gradient(data[data[:, 0] > 0], *spacing, axis=1,
                                                         edge_order=edge_order), rtol=1e-12)


@pytest.mark.parametrize(("values", "ddof"), [([5.0], 2), ([5.0, 6.0], 3), ([5.0, 6.0], 2), ([5.0, 5.0], 3)])
def test_variance_without_degrees_of_freedom_is_nan(values, ddof) -> None:
    """NaN, as the Array API standard and dask (it was -0.0 or negative: m2 / (n - ddof))."""
    x = ga.from_array(np.array(values))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.isnan(float(compute(ga.var(x, correction=ddof))))
        assert np.isnan(float(compute(ga.std(x, correction=ddof))))
        assert np.isnan(compute(ga.std(ga.zeros((0, 3)), axis=0, correction=1))).all()
    assert_same(ga.var(ga.from_array(np.array([5.0, 6.0, 8.0]), chunks=1), correction=1), np.var([5.0, 6.0, 8.0], ddof=1))


def test_clip_promotes_as_numpy() -> None:
    ints = np.arange(5)
    x = ga.from_array(ints, chunks=2)
    assert_same(ga.clip(x, 0.5, 2.5), np.clip(ints, 0.5, 2.5))  # float bounds of ints: floats, not truncated
    assert_same(np.clip(x, 0.5, 2.5), np.clip(ints, 0.5, 2.5))
    assert_same(ga.clip(x, 1, 3), np.clip(ints, 1, 3))  # same kind: the array's type
    small = np.arange(5, dtype=np.int8)
    assert_same(np.clip(ga.from_array(small), np.int16(-5), np.int16(150)), np.clip(small, np.int16(-5), np.int16(150)))



BOUNDS = [(np.arange(-5, 6), np.int8(-1), 5), (np.arange(-5, 6), np.array(-1, "int8"), 5),
          (np.arange(-5, 6, dtype="int8"), np.int16(-1), np.int16(300)), (np.arange(6, dtype="uint8"), np.int8(-1), 4),
          (np.arange(6, dtype="int16"), np.uint8(2), np.arange(2, 8, dtype="int8")),
          (np.arange(6, dtype="float32"), np.float64(2), None), (np.arange(6, dtype="int8"), None, 300)]


@pytest.mark.parametrize("data, low, high", BOUNDS, ids=[f"{d.dtype}-{lo!r}-{hi!r}" for d, lo, hi in BOUNDS])
def test_clip_by_bounds_of_another_width(data: np.ndarray, low: object, high: object) -> None:
    # a bound narrower than the array overflowed (array_api_compat read it by the array's range); a wider one
    # promotes the result, as NumPy
    assert_same(ga.clip(ga.from_array(data, chunks=4), low, high), np.clip(data, low, high))

def test_small_numpy_conformances() -> None:
    """np.int64 shifts, bincount of booleans, arg-reductions of empty results, block's new axes in front,
    covariances in float64."""
    x = ga.arange(5, chunks=2)
    assert_same(ga.roll(x, np.int64(2), axis=np.int64(0)), np.roll(np.arange(5), 2))
    flags = np.array([True, False, True])
    np.testing.assert_array_equal(compute(ga.bincount(ga.from_array(flags))), np.bincount(flags))
    assert_same(ga.argmax(ga.zeros((0, 4)), axis=1), np.argmax(np.zeros((0, 4)), axis=1))
    with pytest.raises(ValueError, match="empty sequence"):
        ga.argmax(ga.zeros((0, 4)), axis=0)
    b = np.arange(24.0).reshape(4, 6)
    assert_same(ga.block([[[ga.from_array(b)]], [[ga.from_array(b)]]]), np.block([[[b]], [[b]]]))
    single = np.random.default_rng(0).normal(size=(3, 5)).astype(np.float32)
    assert_same(ga.cov(ga.from_array(single)), np.cov(single), rtol=1e-5)
    assert_same(ga.corrcoef(ga.from_array(single)), np.corrcoef(single), rtol=1e-5)


@pytest.mark.parametrize("kwargs", [{}, {"return_counts": True}, {"equal_nan": False},
                                    {"return_index": True, "return_inverse": True, "return_counts": True}])
def test_unique_merges_nans_as_numpy(kwargs) -> None:
    """``unique`` takes NumPy's ``equal_nan=True``: the NaNs are one value (counts, first index and inverse
    merged); ``unique_values`` keeps the standard's distinct NaNs."""
    data = np.array([np.nan, 1.0, np.nan, 2.0, 1.0, np.nan])
    got, expected = ga.unique(ga.from_array(data, chunks=2), **kwargs), np.unique(data, **kwargs)
    got = got if isinstance(got, tuple) else (got,)
    expected = expected if isinstance(expected, tuple) else (expected,)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(compute(a), b)
    assert int(np.isnan(compute(ga.unique_values(ga.from_array(data)))).sum()) == 3


def test_gradient_with_evenly_spaced_coordinates_keeps_nans_local() -> None:
    """NumPy takes the plain central difference for evenly spaced coordinates (xarray's differentiate passes
    them): a NaN spoils only its neighbours' values, not its own row's weighted 0 * NaN."""
    y = np.array([0.0, 1.0, np.nan, 9.0, 16.0])
    x = np.arange(5.0)
    for edge_order in (1, 2):
        np.testing.assert_array_equal(compute(ga.gradient(ga.from_array(y, chunks=2), x, edge_order=edge_order)),
                                      np.gradient(y, x, edge_order=edge_order))
    uneven = np.array([0.0, 1.0, 3.0, 4.0, 6.0])
    np.testing.assert_allclose(compute(ga.gradient(ga.from_array(np.arange(5.0) ** 2, chunks=2), uneven)),
                               np.gradient(np.arange(5.0) ** 2, uneven))


def test_dot_of_complex_vectors_does_not_conjugate() -> None:
    """``dot`` of two 1-d arrays is NumPy's inner product (it was ``vecdot``, which conjugates the first)."""
    x = np.array([1 + 2j, 3, -1j])
    g = ga.from_array(x, chunks=2)
    for got in (ga.dot(g, g), np.dot(g, g), g.dot(g)):
        assert_same(got, np.dot(x, x))
    assert_same(ga.vdot(g, g), np.vdot(x, x))


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.uint16, np.bool_])
def test_norms_of_integers_are_of_their_floats(dtype) -> None:
    """Squares of integers overflowed in their own dtype (``norm([100, 100])`` of int8 gave 5.66)."""
    x = np.array([[100, 100, 3], [50000 % 127, 1, 0]]).astype(dtype)
    g = ga.from_array(x, chunks=1)
    np.testing.assert_allclose(compute(ga.linalg.norm(g)), np.linalg.norm(x))
    for ord_ in (None, 1, 3, np.inf):
        np.testing.assert_allclose(compute(ga.linalg.norm(g, axis=1, ord=ord_)), np.linalg.norm(x, axis=1, ord=ord_))


@pytest.mark.parametrize("chunks", [1, 2, 4])
def test_nan_extremes_of_datetimes_skip_nat(chunks, backend) -> None:
    """``nanmin``/``nanmax`` of datetimes and timedeltas skip NaT, as NumPy's (they gave NaT)."""
    if backend != "numpy":
        pytest.skip("datetimes are NumPy's only")
    d = np.array(["2020-01-01", "NaT", "2019-05-05", "NaT"], dtype="M8[s]")
    for values in (d, d - np.datetime64("2019-01-01", "s")):
        g = ga.from_array(values, chunks=chunks)
        assert compute(ga.nanmin(g)) == np.nanmin(values)
        assert compute(ga.nanmax(g)) == np.nanmax(values)


def test_union1d_and_unique_merge_nans_and_nats(backend) -> None:
    """``union1d`` keeps one NaN (it kept each, the standard's ``unique_values``); ``unique`` of datetimes one
    NaT, as NumPy."""
    x = np.array([np.nan, 0.0, np.nan, 1.0])
    np.testing.assert_array_equal(compute(ga.union1d(ga.from_array(x, chunks=1),
                                                     ga.from_array(np.array([1.0, 2.0]), chunks=1))),
                                  np.union1d(x, [1.0, 2.0]))
    if backend != "numpy":
        return  # (datetimes are NumPy's only)
    d = np.array(["NaT", "2020-01-01", "NaT"], dtype="M8[s]")
    for chunks in (1, 3):
        np.testing.assert_array_equal(compute(ga.unique(ga.from_array(d, chunks=chunks))), np.unique(d))
    np.testing.assert_array_equal(compute(ga.unique(ga.from_array(d, chunks=1), return_counts=True)[1]),
                                  np.unique(d, return_counts=True)[1])


INPLACE = {
    "putmask-scalar": lambda xp, a: xp.putmask(a, a > 3, 0),
    "putmask-cycled": lambda xp, a: xp.putmask(a, a > 2, [10, 20, 30]),
    "place-cycled": lambda xp, a: xp.place(a, a > 2, [10, 20]),
    "place-scalar": lambda xp, a: xp.place(a, a % 2 == 0, 9),
    "copyto-where": lambda xp, a: xp.copyto(a, 5, where=a > 3),
    "put": lambda xp, a: xp.put(a, [0, 2, -1], [7, 8, 9]),
    "put-clip": lambda xp, a: xp.put(a, [0, 99], [1], mode="clip"),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_numpy_in_place_functions_change_the_array(name) -> None:
    """``np.putmask``/``place``/``copyto``/``put`` of a gpuscale array change it, as NumPy's change theirs (a
    computed copy was written and dropped: the array stayed as it was, with only a FutureWarning)."""
    data = np.arange(12).reshape(3, 4)
    lazy, expected = ga.from_array(data.copy(), chunks=2), data.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)  # (no computing fallback)
        INPLACE[name](np, lazy)
    INPLACE[name](np, expected)
    assert_same(lazy, expected)


@pytest.mark.parametrize("key", [
    (None, [0, 1]), ([0, 1], None), (0, slice(None), [1, 2]), (slice(None), 0, slice(None), [1, 2]),
    (None, 0, slice(None), [1, 2]), (slice(None), None, [0, 2], slice(None), None), (None, [1, 0], [2, 1], None),
    (0, [1, 2], slice(None), 3), (None, Ellipsis, [1, 2], None), (0, slice(None), slice(None), [[1, 2]]),
], ids=str)
def test_integer_arrays_with_none_and_separated_integers(key) -> None:
    """NumPy's layout: an integer and an array index apart (a slice between) put the broadcast dimensions first
    (they stayed in place: ``x[0, :, [1, 2]]`` of shape (4, 2) for NumPy's (2, 4)); ``None`` beside integer arrays
    adds its axis (it raised)."""
    data = np.arange(120).reshape(2, 3, 4, 5)
    key = tuple(np.array(k) if isinstance(k, list) else k for k in key)
    assert_same(ga.from_array(data, chunks=2)[key], data[key])


@pytest.mark.parametrize("key", [
    ([0, 1], slice(None), [1, 2]), ([0, 1], slice(None), slice(None), [1, 2]), (slice(None), [0, 1], 1, [2, 0]),
    ([[0], [1]], slice(None), [1, 2, 3]), (None, [1, 0], slice(None), [-1, 2]), ([0, 1], slice(None), [1, 2], None),
    ([-1, 0], slice(None, None, -1), [2, 0], [1, 4]), ([0, 1], Ellipsis, [0, 2]),
], ids=str)
def test_integer_arrays_on_axes_apart(key) -> None:
    """Integer arrays with a slice between them index point-wise, their broadcast dimensions first, as NumPy
    (refused: 'integer array indices must be on adjacent axes')."""
    data = np.arange(240).reshape(2, 3, 8, 5)
    key = tuple(np.array(k) if isinstance(k, list) else k for k in key)
    assert_same(ga.from_array(data, chunks=(1, 2, 3, 2))[key], data[key])
    lazy = tuple(ga.asarray(k, chunks=1) if isinstance(k, np.ndarray) else k for k in key)
    assert_same(ga.from_array(data, chunks=(1, 2, 3, 2))[lazy], data[key])


def test_linalg_and_fft_dtypes_as_numpy(backend) -> None:
    """``qr(mode="r")`` gives R (it raised); factors of integers are float64 (``pinv`` refused them, ``qr`` and
    ``matrix_power(-1)`` said int in the metadata); ``einsum`` sums in the operands' integer dtype, and takes
    NumPy's sublist form; transforms of float16 are complex64 (the metadata said complex128)."""
    x = np.arange(12.0).reshape(4, 3) ** 1.5
    r = compute(np.linalg.qr(ga.from_array(x, chunks=2), mode="r"))
    np.testing.assert_allclose(np.abs(r), np.abs(np.linalg.qr(x, mode="r")), atol=1e-9)
    ints = np.array([[2, 1], [1, 3]])
    for got, expected in ((np.linalg.pinv(ga.from_array(ints)), np.linalg.pinv(ints)),
                          (np.linalg.matrix_power(ga.from_array(ints), -1), np.linalg.matrix_power(ints, -1))):
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(compute(got), expected)
    assert np.linalg.qr(ga.from_array(ints))[1].dtype == np.float64
    small = np.full((2, 2), 100, dtype=np.int8)
    assert_same(ga.einsum("ij->i", ga.from_array(small, chunks=1)), np.einsum("ij->i", small))
    v = np.arange(3.0)
    assert_same(ga.einsum(ga.from_array(v), [0], ga.from_array(v), [0]), np.einsum(v, [0], v, [0]))
    m = np.arange(6.0).reshape(2, 3)
    assert_same(ga.einsum(ga.from_array(m), [0, 1], [1, 0]), np.einsum(m, [0, 1], [1, 0]))
    if backend == "numpy":  # (float16 is NumPy's, not the standard's)
        half = np.ones(4, np.float16)
        for transform in (np.fft.fft, np.fft.rfft):
            got = transform(ga.from_array(half))
            assert got.dtype == transform(half).dtype == compute(got).dtype


def test_blocks_of_a_wider_dtype_than_declared_keep_their_values() -> None:
    """A ``map_blocks`` function whose blocks need a wider dtype than the declared one (xarray declares int64 for
    ``dt.month``, whose NaT gives NaN) gives the blocks' common dtype, as the blocks joined do (dask's result):
    they were cast into the declared dtype, NaN becoming -2**63 and float64 rounded to float32."""
    def third(b):
        xp = b.__array_namespace__()
        return xp.astype(b, xp.float64) / 3

    def missing_above_two(b):
        xp = b.__array_namespace__()
        return xp.where(b > 2, xp.nan, xp.astype(b, xp.float64))

    x = np.arange(6, dtype="float32")
    got = compute(ga.map_blocks(third, ga.from_array(x, chunks=3), dtype="float32"))
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, x.astype("float64") / 3)
    got = compute(ga.map_blocks(missing_above_two, ga.from_array(np.arange(6), chunks=3), dtype="int64"))
    np.testing.assert_array_equal(got, [0.0, 1.0, 2.0, np.nan, np.nan, np.nan])
