"""Element-wise operations on arrays of unknown length (after boolean indexing of lazy data).

The rule (never a wrong answer): blocks that cannot be proven to line up raise a ``ValueError`` that
names the operation and points at ``compute_chunk_sizes()``; with the lengths known the result is
NumPy's.  Broadcasting against a length-1 or 0-d operand or a scalar keeps working, as in dask.array.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale.array as ga
from array_helpers import assert_same, compute

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
HINT = r"add.*unknown.*compute_chunk_sizes\(\)"


def masked(values: np.ndarray, chunks: int, keep: np.ndarray) -> ga.Array:
    """``values[keep]`` with unknown block lengths (the mask is computed lazily from the data)."""
    x = ga.asarray(values, chunks=chunks)
    return x[(x * 0 + ga.asarray(keep.astype(np.int8), chunks=chunks)) == 1]


def example() -> tuple[ga.Array, np.ndarray]:
    values = np.arange(20)
    x = ga.asarray(values, chunks=10)
    return x[x % 10 == 0], values[values % 10 == 0]


@pytest.mark.parametrize("chunks", [1, 2, 3, 4])
def test_known_operand_with_several_blocks_asks_for_chunk_sizes(chunks: int) -> None:
    y, _ = example()
    z = ga.asarray([100, 200, 300, 400], chunks=chunks)
    for left, right in [(y, z), (z, y)]:  # either order: the same answer
        with pytest.raises(ValueError, match=HINT):
            (left + right).compute()


def test_compute_chunk_sizes_then_combine_matches_numpy() -> None:
    y, want = example()
    other = np.array([100, 200])
    z = ga.asarray(other, chunks=1)
    assert y.compute_chunk_sizes() is y  # in place and returned, as in dask.array
    assert y.chunks == ((1, 1),)
    assert_same(y + z, want + other)
    assert_same(z + y, other + want)


def test_one_block_each_needs_no_lengths() -> None:
    values = np.arange(20)
    x = ga.asarray(values, chunks=20)
    y, want = x[x % 10 == 0], values[values % 10 == 0]
    z = ga.asarray([100, 200], chunks=2)
    assert_same(y + z, want + np.array([100, 200]))  # the block lengths are NumPy's own to broadcast
    assert_same(z - y, np.array([100, 200]) - want)
    with pytest.raises(ValueError):
        (y + ga.asarray([1, 2, 3])).compute()  # NumPy's own broadcasting error, not a wrong result


@pytest.mark.parametrize("other", [np.array([7]), np.array(7), 7, np.array([[1], [2]])], ids=repr)
def test_broadcasting_against_length_one_still_works(other: object) -> None:
    y, want = example()
    operand = ga.asarray(other) if isinstance(other, np.ndarray) else other
    out = y + operand
    assert math.isnan(out.shape[-1])
    np.testing.assert_array_equal(compute(out), want + other)
    np.testing.assert_array_equal(compute(operand * y), other * want)


def test_unknown_blocks_that_do_not_line_up_raise_when_computed() -> None:
    values = np.arange(8)
    a = masked(values, 4, np.array([1, 0, 0, 0, 1, 1, 1, 0], bool))  # blocks of 1 and 3
    b = masked(values, 4, np.array([1, 1, 1, 0, 1, 0, 0, 0], bool))  # blocks of 3 and 1
    with pytest.raises(ValueError, match=r"add.*compute_chunk_sizes\(\)"):
        (a + b).compute()  # a length-1 block must not broadcast against a length-3 one


def unknown_operand(values: np.ndarray, chunks: int, keep: np.ndarray) -> tuple[ga.Array, np.ndarray]:
    return masked(values, chunks, keep), values[keep]


@SETTINGS
@given(st.data())
def test_never_a_wrong_answer(data: st.DataObject) -> None:
    n = data.draw(st.integers(0, 9))
    values = np.arange(n) * 3
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), bool)
    chunks = data.draw(st.integers(1, max(n, 1)))
    left, want_left = unknown_operand(values, chunks, keep)
    kind = data.draw(st.sampled_from(["known", "one", "zero-d", "scalar", "same", "other-mask"]))
    must_work = kind in ("one", "zero-d", "scalar", "same")
    if kind == "known":
        length = data.draw(st.sampled_from(sorted({int(keep.sum()), 1, 0, 2})))
        other = np.arange(length) + 100
        right = ga.asarray(other, chunks=data.draw(st.integers(1, max(length, 1))))
    elif kind == "one":
        other = np.array([5])
        right = ga.asarray(other)
    elif kind == "zero-d":
        other = np.array(5)
        right = ga.asarray(other)
    elif kind == "scalar":
        right = other = 5
    elif kind == "same":
        right, other = unknown_operand(values + 1, chunks, keep)
    else:
        keep2 = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), bool)
        right, other = unknown_operand(values, data.draw(st.integers(1, max(n, 1))), keep2)
    pair = [(left, want_left), (right, other)]
    if data.draw(st.booleans()):
        pair.reverse()
    (a, wa), (b, wb) = pair
    try:
        want = np.add(wa, wb)
    except ValueError:
        want = None  # NumPy cannot broadcast these either
    try:
        got = compute(ga.add(a, b))
    except ValueError as error:
        assert not must_work, error
        assert want is None or "compute_chunk_sizes()" in str(error)
        return
    assert want is not None, f"NumPy raises for shapes {np.shape(wa)} and {np.shape(wb)}, we gave {got}"
    np.testing.assert_array_equal(got, want)


def test_selections_by_one_in_memory_mask_line_up() -> None:
    """The lengths ``x[mask]`` selects per block are known when the mask is in memory, whatever the data:
    ``x[mask]`` of in-memory data and ``(x * 10)[mask]`` line up (the second's were unknown, so their sum and
    ``stack`` were refused, where dask computes two unknown selections of one mask)."""
    values, keep = np.arange(12.0), np.arange(12) % 3 == 0
    x, mask = ga.asarray(values, chunks=5), ga.asarray(keep, chunks=5)
    a, b = x[mask], (x * 10)[mask]
    assert a.chunks == b.chunks == ((2, 2, 0),)
    assert_same(a + b, values[keep] * 11)
    assert_same(ga.stack([a, b]), np.stack([values[keep], values[keep] * 10]))
    grid = np.arange(24.0).reshape(6, 4)
    rows = grid[:, 0] > 5
    lazy = ga.asarray(grid, chunks=(4, 2)) * 2
    assert lazy[ga.asarray(rows)].chunks == ((2, 2), (2, 2))
    assert_same(lazy[ga.asarray(rows)], grid[rows] * 2)
    lazy_mask = x > 4  # not in memory: lengths unknown until computed, as dask
    assert all(math.isnan(n) for n in (x * 10)[lazy_mask].chunks[0])


def test_unknown_lengths_that_cannot_line_up_say_so_in_dasks_words():
    # ported code matches dask's "Arrays' chunk sizes" (dask's test_ravel_multi_index_unknown_shape_fails)
    da = pytest.importorskip("dask.array")
    for lib in (ga, da):
        first = lib.from_array(np.array([2, -1, 3, -1]), chunks=2)
        second = lib.from_array(np.array([[1, 2], [-1, -1], [3, 4], [5, 6], [7, 8], [-1, -1]]), chunks=(2, 1))
        index = [1, first[first > 0], second[(second > 0).all(axis=1)]]
        with pytest.raises(ValueError, match="Arrays' chunk sizes"):
            lib.ravel_multi_index(index, dims=(8, 9, 10))
    x = ga.asarray(np.arange(6.0), chunks=2)
    with pytest.raises(ValueError, match=r"Arrays' chunk sizes are unknown: add .*compute_chunk_sizes\(\)"):
        ga.add(x[x > 1], ga.asarray([1.0, 2.0, 3.0, 4.0], chunks=2))


@SETTINGS
@given(keep=st.lists(st.booleans(), min_size=1, max_size=12), chunks=st.integers(1, 4))
def test_scans_and_arg_reductions_over_empty_blocks(keep: list, chunks: int) -> None:
    """Blocks left empty by a mask hand the running total on (it was dropped: a broadcast error) and have no
    position for argmax/argmin (NumPy's error on an empty block); all empty: NumPy's error."""
    values = np.array([3.0, -1.0, 7.0, np.nan, 2.0, 9.0, 4.0, 0.5, -6.0, 8.0, 1.0, 5.0])[:len(keep)]
    keep = np.array(keep)
    lazy_mask = ga.asarray(keep.astype(np.int8), chunks=chunks) + 0 == 1  # (computed: unknown lengths)
    y, expected = ga.asarray(values, chunks=chunks)[lazy_mask], values[keep]
    assert math.isnan(y.shape[0])
    np.testing.assert_allclose(compute(y.cumsum(axis=0)), np.cumsum(expected))
    np.testing.assert_allclose(compute(ga.nancumsum(y, axis=0)), np.nancumsum(expected))
    np.testing.assert_allclose(compute(ga.cumulative_prod(y)), np.cumprod(expected))
    known = y.compute_chunk_sizes()
    for name in ("argmax", "argmin", "nanargmax", "nanargmin"):
        if not expected.size or name.startswith("nan") and np.isnan(expected).all():
            with pytest.raises(ValueError):
                compute(getattr(ga, name)(known))
            continue
        assert int(compute(getattr(ga, name)(known))) == getattr(np, name)(expected), name


@pytest.mark.parametrize("k", [2, -2, 5])
def test_argtopk_of_unknown_lengths(k: int) -> None:
    """argtopk over blocks of unknown lengths: positions within the whole axis (the blocks' offsets were NaN,
    giving float positions and NaN)."""
    values = np.array([5.0, 1, 9, 3, 7, 2, 8, 0, 6, 4])
    x = ga.asarray(values, chunks=3)
    y, expected = x[x > 2], values[values > 2]
    order = np.argsort(-expected if k > 0 else expected, kind="stable")[:abs(k)]
    got = ga.argtopk(y, k)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(compute(got), order)


M = np.arange(12.).reshape(4, 3)
WHOLE_KEYS = [(Ellipsis, -1.0), (slice(None), 7.0), ((slice(None), slice(1, None)), -1.0), ((Ellipsis, 0), 5.0),
              ((slice(None), [True, False, True]), 2.0), (Ellipsis, np.array([1., 2., 3.]))]


@pytest.mark.parametrize("key, value", WHOLE_KEYS, ids=[repr(k) for k, _ in WHOLE_KEYS])
def test_setitem_of_whole_unknown_axes(key: object, value: object) -> None:
    # x[...] = v after a mask was accepted, then failed when computed ('float' object cannot be interpreted as an
    # integer): a key that takes every element of the unknown axes needs no lengths
    z = ga.from_array(M, chunks=2)
    z = z[z[:, 0] > 2]
    expected = M[M[:, 0] > 2].copy()
    z[key] = ga.asarray(value) if isinstance(value, np.ndarray) else value
    expected[key] = value
    np.testing.assert_array_equal(compute(z), expected)


def test_setitem_of_whole_unknown_axis_1d() -> None:
    a = np.array([3., 1., 3., 2.])
    x = ga.from_array(a, chunks=2)
    y, expected = x[x > 1], a[a > 1].copy()
    y[...] = -1
    expected[...] = -1
    np.testing.assert_array_equal(compute(y), expected)
    y, expected = x[x > 1], a[a > 1].copy()
    y[y > 2] = -1  # a mask of the same (unknown) shape
    expected[expected > 2] = -1
    np.testing.assert_array_equal(compute(y), expected)


REFUSED = [([1], 1.0), (0, 1.0), (slice(1, None), 1.0), ((slice(None), 0, None), 1.0),
           ((slice(None), slice(1, None)), np.array([1.0, 2.0]))]


@pytest.mark.parametrize("key, value", REFUSED, ids=[repr(k) for k, _ in REFUSED])
def test_setitem_that_needs_unknown_lengths_says_so_up_front(key: object, value: object) -> None:
    # as dask: refused at the assignment, naming compute_chunk_sizes(), not failing when computed
    z = ga.from_array(M, chunks=2)
    z = z[z[:, 0] > 2]
    with pytest.raises(ValueError, match=r"chunk sizes are unknown.*compute_chunk_sizes"):
        z[key] = ga.asarray(value) if isinstance(value, np.ndarray) else value
