"""``gpuscale.array.reduction`` with dask's full signature, and the ``reductions`` helpers, against NumPy and dask."""

from __future__ import annotations

import itertools

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.array.reductions import cumreduction, nannumel, numel

DATA = np.arange(6 * 8 * 5, dtype="f8").reshape(6, 8, 5)
CHUNKS = (2, 3, 2)
AXES = [0, 1, 2, (0, 1), (0, 2), (1, 2), (0, 1, 2)]


@pytest.fixture(autouse=True)
def _numpy_chunks(backend: str) -> None:
    # the user functions here are NumPy's, as in the dask code they port
    if backend != "numpy":
        pytest.skip("user reduction functions here are NumPy functions")


def _both(**kwargs: object) -> tuple:
    """The same reduction by gpuscale and by dask, computed."""
    g = ga.reduction(ga.from_array(DATA, chunks=CHUNKS), **kwargs)
    d = da.reduction(da.from_array(DATA, chunks=CHUNKS), **kwargs)
    return g, g.compute(), d.compute()


def _identity(block, axis, keepdims):  # noqa: ANN001, ANN202
    return block


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("split_every", [2, 4, {0: 2, 1: 3, 2: 1}])
def test_partials_reach_aggregate_in_array_order(axis: object, split_every: object) -> None:
    # an identity reduction gives back the array: the partial results are joined in block order
    _, ours, theirs = _both(chunk=_identity, aggregate=_identity, axis=axis, keepdims=True,
                            split_every=split_every, dtype=DATA.dtype, meta=np.empty((0, 0, 0)))
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(ours, DATA)


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_sum_matches_numpy_and_dask(axis: object, keepdims: bool) -> None:
    g, ours, theirs = _both(chunk=np.sum, aggregate=np.sum, axis=axis, keepdims=keepdims, dtype="f8",
                            split_every=2)
    np.testing.assert_allclose(ours, np.sum(DATA, axis=axis, keepdims=keepdims))
    np.testing.assert_allclose(ours, theirs)
    assert g.shape == ours.shape


def test_meta_gives_the_dtype() -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    out = ga.reduction(x, np.max, np.max, meta=np.empty((), dtype="f4"))
    assert out.dtype == np.dtype("f4")
    assert out.compute() == np.float32(DATA.max())
    with pytest.raises(ValueError, match="dtype"):
        ga.reduction(x, np.max, np.max)


def _mean_chunk(block, axis, keepdims):  # noqa: ANN001, ANN202
    return {"total": block.sum(axis=axis, keepdims=True), "n": np.prod([block.shape[a] for a in axis])}


def _flat(parts):  # noqa: ANN001, ANN202
    return [p for part in parts for p in _flat(part)] if isinstance(parts, list) else [parts]


def _mean_combine(parts, axis, keepdims):  # noqa: ANN001, ANN202
    parts = _flat(parts)
    return {"total": sum(p["total"] for p in parts), "n": sum(p["n"] for p in parts)}


def _mean_aggregate(parts, axis, keepdims):  # noqa: ANN001, ANN202
    merged = _mean_combine(parts, axis, keepdims)
    out = merged["total"] / merged["n"]
    return out if keepdims else out.squeeze(axis)


@pytest.mark.parametrize("axis", [0, (0, 2)])
def test_concatenate_false_passes_raw_partials(axis: object) -> None:
    # (dask itself cannot run these: it calls chunk on an empty block to learn the type and gets a dict)
    x = ga.from_array(DATA, chunks=CHUNKS)
    out = ga.reduction(x, _mean_chunk, _mean_aggregate, combine=_mean_combine, axis=axis, concatenate=False,
                       dtype="f8", split_every=2)
    np.testing.assert_allclose(out.compute(), np.mean(DATA, axis=axis))


def _weighted_sum(block, weights=None, axis=None, keepdims=False, dtype=None):  # noqa: ANN001, ANN202
    return np.sum(block if weights is None else block * weights, axis=axis, keepdims=keepdims, dtype=dtype)


@pytest.mark.parametrize("weights", [np.linspace(1, 2, 6).reshape(6, 1, 1), np.linspace(0, 1, 5), 2.0])
def test_weights_are_broadcast_to_the_blocks(weights: object) -> None:
    _, ours, theirs = _both(chunk=_weighted_sum, aggregate=np.sum, dtype="f8", weights=weights, axis=(0, 1))
    np.testing.assert_allclose(ours, np.sum(DATA * weights, axis=(0, 1)))
    np.testing.assert_allclose(ours, theirs)


def test_weights_that_do_not_broadcast_are_refused() -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    with pytest.raises(ValueError, match="broadcast"):
        ga.reduction(x, _weighted_sum, np.sum, dtype="f8", weights=[1, 2, 3])


def test_output_size_name_and_out() -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)

    def two(block, axis, keepdims):  # noqa: ANN001, ANN202
        return np.concatenate([block.min(axis=axis, keepdims=True), block.max(axis=axis, keepdims=True)], axis[0])

    out = ga.zeros((2, 8, 5), chunks=CHUNKS)
    result = ga.reduction(x, two, two, axis=0, keepdims=True, output_size=2, dtype="f8", name="minmax", out=out)
    assert result is out and out.chunks[0] == (2,)
    assert out.name.startswith("minmax")
    expected = da.reduction(da.from_array(DATA, chunks=CHUNKS), two, two, axis=0, keepdims=True, output_size=2,
                            dtype="f8")
    assert out.chunks == expected.chunks
    np.testing.assert_array_equal(out.compute(), expected.compute())


def test_split_every_sets_the_tree_depth() -> None:
    # dask's rule: merge at most split_every[axis] partials along each axis per task
    x = ga.from_array(np.ones((11, 22)), chunks=(3, 4))  # 4 x 6 blocks
    for axis, split_every, widest in [(None, {0: 2, 1: 3}, 6), (0, {0: 2, 1: 3}, 2), (1, 20, 6), (None, 5, 4)]:
        graph = dict(ga.reduction(x, np.sum, np.sum, dtype="f8", axis=axis, split_every=split_every)
                     .__dask_graph__())
        assert max(len(list(_keys_in(task))) for task in graph.values()) == widest
    with pytest.raises(ValueError, match="split_every"):
        ga.reduction(x, np.sum, np.sum, dtype="f8", split_every="4")
    with pytest.raises(ValueError, match="split_every"):
        ga.reduction(x, np.sum, np.sum, dtype="f8", split_every={0: 0})


def _keys_in(task):  # noqa: ANN001, ANN202
    if isinstance(task, tuple) and task and isinstance(task[0], str):
        yield task
    elif isinstance(task, (tuple, list)):
        for t in task:
            yield from _keys_in(t)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("dtype", ["f4", "i8"])
def test_numel_and_nannumel_match_dask(keepdims: bool, dtype: str) -> None:
    from dask.array import reductions as dask_reductions

    data = np.where(np.arange(24).reshape(2, 3, 4) % 3 == 0, np.nan, 1.0)
    for n in range(4):
        for axis in [None, *itertools.combinations(range(3), n)]:
            for ours, theirs in ((numel, dask_reductions.numel), (nannumel, dask_reductions.nannumel)):
                got = ours(data, axis=axis, keepdims=keepdims, dtype=dtype)
                want = theirs(data, axis=axis, keepdims=keepdims, dtype=dtype)
                np.testing.assert_array_equal(got, want)
                assert np.shape(got) == np.shape(want) and got.dtype == want.dtype


def test_cumreduction_is_offered_by_the_reductions_module() -> None:
    data = np.linspace(0, 1, 10)
    out = cumreduction(np.maximum.accumulate, np.maximum, -np.inf, ga.from_array(data, chunks=3), dtype="f8")
    np.testing.assert_allclose(out.compute(), np.maximum.accumulate(data))


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "var", "std", "min", "max", "all", "any", "argmin",
                                  "argmax", "nanargmax"])
def test_functions_take_dask_signature(name: str) -> None:
    # positional axis, NumPy input, split_every= and out=, as dask.array's functions
    data = DATA / 100
    ours = getattr(ga, name)(data, 1, split_every=2)
    theirs = getattr(da, name)(da.from_array(data, chunks=CHUNKS), 1, split_every=2)
    np.testing.assert_allclose(ours.compute(), theirs.compute())
    np.testing.assert_allclose(ours.compute(), getattr(np, name)(data, 1))
    target = ga.zeros(ours.shape, dtype=ours.dtype)
    result = getattr(ga, name)(ga.from_array(data, chunks=CHUNKS), 1, out=target)
    assert result is target
    np.testing.assert_allclose(target.compute(), getattr(np, name)(data, 1))


@pytest.mark.parametrize("name", ["sum", "mean", "var", "std", "min", "max", "prod", "all", "any", "argmax"])
def test_methods_pass_split_every(name: str) -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    d = da.from_array(DATA, chunks=CHUNKS)
    ours = getattr(x, name)(axis=0, split_every=2)
    np.testing.assert_allclose(ours.compute(), getattr(d, name)(axis=0, split_every=2).compute())
    assert len(dict(ours.__dask_graph__())) > len(dict(getattr(x, name)(axis=0).__dask_graph__()))


def test_dtype_of_mean_and_var() -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    for name in ("mean", "var", "std"):
        ours = getattr(ga, name)(x, axis=0, dtype="f4")
        theirs = getattr(np, name)(DATA, axis=0, dtype="f4")
        assert ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours.compute(), theirs, rtol=1e-6)


@pytest.mark.parametrize("name", ["argmax", "nanargmin"])
def test_arg_reductions_need_known_offsets(name: str) -> None:
    x = ga.arange(10, chunks=5)
    with pytest.raises(ValueError, match="unknown chunksize"):
        getattr(ga, name)(x[x > 1])
    y = ga.ones((10, 10), chunks=(5, 5))
    y = y[y[0, :] > 0, :]
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        getattr(ga, name)(y, axis=0)
    np.testing.assert_array_equal(getattr(ga, name)(y, axis=1).compute(), np.zeros(10, dtype=int))


@pytest.mark.parametrize("name", ["min", "max", "nanmin", "nanmax"])
def test_min_max_skip_empty_blocks(name: str) -> None:
    data = np.arange(24.0).reshape(4, 6)
    data[1, 1] = np.nan if name.startswith("nan") else 7.0
    x = ga.from_array(data, chunks=((2, 0, 2), (3, 0, 3)))
    for axis in [None, 0, 1, ()]:  # (dask fails on empty blocks of 2-d arrays: it joins 1-d and 2-d partials)
        ours = getattr(ga, name)(x, axis=axis, split_every=2).compute()
        np.testing.assert_array_equal(ours, getattr(np, name)(data, axis=axis))
    flat = data.ravel()
    ours = getattr(ga, name)(ga.from_array(flat, chunks=((12, 0, 12),))).compute()
    assert ours == getattr(da, name)(da.from_array(flat, chunks=((12, 0, 12),))).compute() == getattr(np, name)(flat)
    picked = ga.from_array(np.arange(10), chunks=1)
    np.testing.assert_array_equal(getattr(ga, name)(picked[picked < 2]).compute(), getattr(np, name)(np.arange(2)))
    with pytest.raises(ValueError) as ours_error:
        getattr(ga, name)(picked[picked < 0]).compute()
    with pytest.raises(ValueError) as numpy_error:
        getattr(np, name)(np.arange(10)[np.arange(10) < 0])
    assert str(ours_error.value).splitlines()[0] == str(numpy_error.value)


@pytest.mark.parametrize("name", ["nansum", "nanprod"])
def test_nan_skipped_before_an_integer_dtype(name: str) -> None:
    data = np.arange(1.0, 11.0)
    data[::3] = np.nan
    x = ga.from_array(data, chunks=3)
    expected = getattr(np, name)(data, dtype="i8")
    assert getattr(ga, name)(x, dtype="i8").compute() == expected
    assert getattr(da, name)(da.from_array(data, chunks=3), dtype="i8").compute() == expected


def test_variance_of_complex_numbers_keeps_the_imaginary_parts() -> None:
    data = (np.arange(5) + 1j * np.arange(5)).astype("c8")
    x = ga.from_array(data, chunks=2)
    d = da.from_array(data, chunks=2)
    for name in ("var", "std"):
        ours = getattr(ga, name)(x)
        assert ours.dtype == getattr(np, name)(data).dtype
        np.testing.assert_allclose(ours.compute(), getattr(np, name)(data), rtol=1e-6)
        np.testing.assert_allclose(ours.compute(), getattr(d, name)().compute(), rtol=1e-6)


def test_std_with_an_integer_dtype_is_an_integer() -> None:
    data = np.arange(5.0)
    ours = ga.std(ga.from_array(data, chunks=2), dtype="i8")
    assert ours.dtype == np.std(data, dtype="i8").dtype
    assert ours.compute() == np.std(data, dtype="i8") == da.std(da.from_array(data, chunks=2), dtype="i8").compute()


def test_nanstd_with_an_integer_dtype_is_an_integer() -> None:
    data = np.arange(5, dtype="i4")
    ours = ga.nanstd(ga.from_array(data, chunks=2), dtype="i8")
    assert ours.dtype == np.nanstd(data, dtype="i8").dtype
    assert ours.compute() == np.nanstd(data, dtype="i8") == da.nanstd(da.from_array(data, chunks=2),
                                                                       dtype="i8").compute()


def test_moment_passes_split_every() -> None:
    x = ga.from_array(DATA, chunks=CHUNKS)
    d = da.from_array(DATA, chunks=CHUNKS)
    ours = x.moment(3, axis=0, split_every=2)
    np.testing.assert_allclose(ours.compute(), d.moment(3, axis=0, split_every=2).compute())
    assert len(dict(ours.__dask_graph__())) > len(dict(x.moment(3, axis=0).__dask_graph__()))
