"""The Array collection: metadata, compute/persist, Dask protocol, conversions, display, dask.array-style extras."""

from __future__ import annotations

import dask
import numpy as np
from array_api_compat import array_namespace  # CuPy 14 chunks have no __array_namespace__
import pytest

import gpuscale
import gpuscale.array as ga
from gpuscale.backends import copy_counts, reset_copy_counts
from gpuscale.graph.core import flatten_keys
from array_helpers import assert_same, compute

DATA = np.arange(30.0).reshape(6, 5)


def test_metadata(backend: str) -> None:
    x = ga.from_array(DATA, chunks=(4, 2))
    assert x.shape == (6, 5) and x.ndim == 2 and x.size == 30
    assert x.chunks == ((4, 2), (2, 2, 1)) and x.numblocks == (2, 3)
    assert x.dtype == ga.float64 and x.backend == backend
    assert x.device == {"numpy": "cpu", "array_api_strict": "device1", "cupy": "gpu"}[backend]
    assert x.__array_namespace__() is ga.standard and ga.standard.sum is ga.sum
    assert ga.__array_api_version__ == "2024.12"


def test_compute_returns_library_array(backend: str) -> None:
    out = ga.from_array(DATA, chunks=2).compute()
    assert type(out).__module__.split(".")[0] == backend


def test_persist_keeps_chunks_and_values() -> None:
    x = ga.from_array(DATA, chunks=(4, 2)) + 1
    p = x.persist()
    assert p.chunks == x.chunks and p.dtype == x.dtype
    assert p.name == x.name and p.__dask_keys__() == x.__dask_keys__()  # dask's persist keeps the keys
    assert len(p.__dask_graph__()) == len(flatten_keys(x.__dask_keys__()))  # the chunks themselves, no tasks
    assert_same(p * 2, (DATA + 1) * 2)


def test_dask_protocol() -> None:
    x = ga.from_array(DATA, chunks=(4, 2)).sum(axis=0)
    (out,) = dask.compute(x, scheduler="sync")
    np.testing.assert_allclose(compute(out), DATA.sum(axis=0))
    assert dask.base.tokenize(x) == dask.base.tokenize(x)
    persisted = dask.persist(x, scheduler="sync")[0]
    assert_same(persisted, DATA.sum(axis=0))


def test_dask_protocol_of_running_totals() -> None:
    # a running total reads the previous block of its own output: the protocol's renamed keys are read too
    data = np.array([[1.0, np.nan, 3.0, 4.0], [np.nan, 2.0, 5.0, np.nan]])
    x = ga.from_array(data, chunks=(1, 2))
    for got, want in [(ga.nancumsum(x, axis=1), np.nancumsum(data, axis=1)),
                      (ga.nancumprod(x, axis=0), np.nancumprod(data, axis=0)),
                      (ga.cumsum(ga.where(x > 2, x, 0), axis=1), np.cumsum(np.where(data > 2, data, 0), axis=1))]:
        (out,) = dask.compute(got, scheduler="sync")
        np.testing.assert_allclose(compute(out), want)


@pytest.mark.parametrize("make", [lambda m: m.ones((10, 4), chunks=(5, 2)),
                                  lambda m: m.ones((10, 4), chunks=(5, 2)).rechunk(5) * 2,
                                  lambda m: m.arange(12, chunks=5).reshape(3, 4)[:, 1:].sum(axis=0)])
def test_dask_optimize_and_clone_rebuild_from_tasks(make) -> None:
    # dask.optimize and dask.graph_manipulation.clone hand __dask_postpersist__'s rebuilder a graph of tasks (the
    # blocks' tasks and what they need, renamed by clone), where dask.persist hands over computed blocks
    import dask.array as da
    import dask.graph_manipulation as gm

    x, want = make(ga), make(da).compute()
    (optimized,) = dask.optimize(x)
    assert optimized.chunks == x.chunks
    assert_same(optimized, want)
    cloned = gm.clone(x)
    assert cloned.chunks == x.chunks and cloned.__dask_keys__() != x.__dask_keys__()
    assert_same(cloned, want)
    assert_same(dask.persist(x)[0], want)


def test_gpuscale_compute_many() -> None:
    x = ga.from_array(DATA, chunks=3)
    total, mean = gpuscale.compute(x.sum(), x.mean())
    assert float(compute(total)) == DATA.sum() and float(compute(mean)) == DATA.mean()


def test_scalar_conversions() -> None:
    x = ga.from_array(DATA, chunks=3)
    assert float(x.sum()) == DATA.sum()
    assert int(ga.argmax(x)) == 29
    assert bool(x[0, 0] == 0)
    with pytest.raises(TypeError, match="one element"):
        float(x)


def test_implicit_numpy_conversion_only_on_cpu(backend: str) -> None:
    x = ga.from_array(DATA, chunks=3)
    if backend == "numpy":
        np.testing.assert_array_equal(np.asarray(x), DATA)
    else:
        with pytest.raises(TypeError, match="Implicit conversion"):
            np.asarray(x)


def test_no_host_copies_on_device(backend: str) -> None:
    x = ga.from_array(DATA, chunks=(4, 2))
    reset_copy_counts()
    y = (ga.sin(x) * 2 + x.T.T).mean(axis=0)
    y.compute()
    assert copy_counts["to_host"] == 0


def test_to_backend_roundtrip(backend: str) -> None:
    x = ga.from_array(DATA, chunks=(4, 2))
    other = "numpy" if backend != "numpy" else "array_api_strict"
    moved = x.to_backend(other)
    assert moved.backend == other
    assert_same(moved + 1, DATA + 1)


def test_repr_and_html() -> None:
    x = ga.from_array(DATA, chunks=(4, 2))
    assert "shape=(6, 5)" in repr(x)
    html = x._repr_html_()
    for text in ("(6, 5)", "(4, 2)", "float64", "240 B", x.backend):
        assert text in html


def test_repr_gives_the_largest_block_as_dask() -> None:
    import dask.array as da

    for chunks in [((1, 5, 5),), ((5, 1, 5),)]:
        ours, theirs = ga.from_array(np.arange(11), chunks=chunks), da.from_array(np.arange(11), chunks=chunks)
        assert "chunksize=(5,)" in repr(ours) and "chunksize=(5,)" in repr(theirs)
    assert "chunksize=(4,)" in repr(ga.arange(10, chunks=4)[3:])


def test_a_host_array_joins_a_device_array() -> None:
    a = ga.ones(3, backend="numpy")
    b = ga.ones(3, backend="array_api_strict")
    assert (a + b).backend == (b + a).backend == "array_api_strict"  # as NumPy data would (more: test_mixed_backends)


def test_map_blocks() -> None:
    x = ga.from_array(DATA, chunks=(4, 2))
    assert_same(ga.map_blocks(lambda b: b * 2, x), DATA * 2)
    y = x.map_blocks(lambda b, block_id=None: b * 0 + block_id[1], dtype=ga.float64)
    np.testing.assert_array_equal(compute(y)[0], [0, 0, 1, 1, 2])
    summed = ga.map_blocks(lambda b: array_namespace(b).sum(b, axis=0, keepdims=True), x,
                           chunks=((1, 1), (2, 2, 1)))
    assert summed.shape == (2, 5)


def test_blockwise_matmul_like() -> None:
    a = ga.from_array(DATA, chunks=(3, 2))
    b = ga.from_array(DATA.T, chunks=(2, 4))
    out = ga.blockwise(lambda x, y: x @ y, "ij", a, "ik", b, "kj", dtype=ga.float64, concatenate=True)
    assert_same(out, DATA @ DATA.T)


def test_user_reduction() -> None:
    x = ga.from_array(DATA, chunks=(2, 2))

    def chunk(b, axis, keepdims):
        return (b * b).sum(axis=axis, keepdims=keepdims) if hasattr(b, "sum") else b

    def agg(b, axis, keepdims):
        return b.sum(axis=axis, keepdims=keepdims)

    if x.backend != "numpy":
        pytest.skip("user functions here use NumPy methods")
    assert_same(ga.reduction(x, chunk, agg, axis=0, dtype=ga.float64, split_every=2), (DATA**2).sum(axis=0))


def test_store_into_numpy(backend: str) -> None:
    # device chunks are copied to the host explicitly (counted) to land in a host target
    target = np.zeros_like(DATA)
    ga.store(ga.from_array(DATA, chunks=(4, 2)), target)
    np.testing.assert_array_equal(target, DATA)


def test_random_does_not_depend_on_threads() -> None:
    x = ga.random.default_rng(42).normal(size=(50, 40), chunks=(7, 9))
    a = compute(x)
    b = np.asarray(gpuscale.backends.to_host(x.compute(scheduler="threads", num_workers=4)))
    np.testing.assert_array_equal(a, b)
    again = compute(ga.random.default_rng(42).normal(size=(50, 40), chunks=(7, 9)))
    np.testing.assert_array_equal(a, again)
    assert abs(a.mean()) < 0.2 and 0.8 < a.std() < 1.2
    ints = compute(ga.random.integers(0, 5, size=100, seed=1, chunks=30))
    assert ints.min() >= 0 and ints.max() < 5


def test_namespace_info() -> None:
    info = ga.__array_namespace_info__()
    assert info.default_dtypes()["real floating"] == ga.float64
    assert set(info.dtypes(kind="integral")) == {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                                                 "uint64"}
    assert "cpu" in info.devices()


def test_dtype_functions() -> None:
    assert ga.result_type(ga.int8, ga.uint8) == ga.int16
    assert ga.can_cast(ga.int8, ga.int64) and not ga.can_cast(ga.float64, ga.int8)
    assert ga.finfo(ga.float32).eps == float(np.finfo(np.float32).eps)
    assert ga.iinfo(ga.int16).max == 32767
    assert ga.isdtype(ga.float32, "real floating") and not ga.isdtype(ga.int8, ("real floating", "bool"))
    x = ga.from_array(DATA, chunks=3)
    assert_same(ga.astype(x, ga.int32), DATA.astype(np.int32))


def test_dtype_objects() -> None:
    assert ga.float64 == np.float64 and ga.float64 == np.dtype("float64") and ga.float64 == "float64"
    assert ga.float64 != None  # noqa: E711 - NumPy's dtypes say equal; the standard's must not
    assert ga.asarray([1.0]).dtype is ga.float64
    assert np.zeros(2, dtype=ga.float32).dtype == np.float32
    assert {ga.int8: 1}[ga.int8] == 1


@pytest.fixture
def thread_runs(monkeypatch: pytest.MonkeyPatch) -> list:
    """Calls of the threaded executor, under the default scheduler (the suite pins "sync")."""
    from gpuscale.runtime import core as runtime_core

    calls: list = []
    real = runtime_core.run_threads
    monkeypatch.setattr(runtime_core, "run_threads", lambda *args, **kw: calls.append(args[0]) or real(*args, **kw))
    with gpuscale.config.set(scheduler=None):
        yield calls


def test_a_tiny_computation_runs_in_the_calling_thread(thread_runs: list) -> None:
    x = ga.from_array(np.arange(12).reshape(3, 4), chunks=2)
    y = x * 2
    assert bool(x[1, 2] == y[0, 3])  # two independent branches: threads could overlap them
    assert int((x + y).sum()) == 198
    assert thread_runs == []


def test_large_user_code_and_explicit_threads_still_use_threads(thread_runs: list) -> None:
    big = ga.from_array(np.arange(2 ** 18, dtype=np.float64), chunks=2 ** 16)  # 2 MiB
    assert float((big + 1).sum()) == float(np.sum(np.arange(2 ** 18, dtype=np.float64) + 1))
    assert len(thread_runs) == 1
    x = ga.from_array(np.arange(12), chunks=2)
    assert int(ga.map_blocks(lambda b: b + 1, x).sum()) == 78  # a user's function may be slow on any size
    assert len(thread_runs) == 2
    assert int(x.sum().compute(scheduler="threads")) == 66
    assert len(thread_runs) == 3


def test_a_small_node_builds_its_tasks_once_and_computing_leaves_them_intact() -> None:
    x = ga.from_array(np.arange(12).reshape(3, 4), chunks=2)
    y = x * 3
    plan = y.expr.optimize()
    assert plan._tasks() is plan._tasks()
    for _ in range(2):  # six blocks written into one result in place: that must not touch the kept tasks
        assert_same(y, np.arange(12).reshape(3, 4) * 3)
    big = ga.from_array(np.zeros(2 ** 18), chunks=2 ** 16).expr  # 2 MiB: its tasks are not kept
    assert big._tasks() is not big._tasks() and big._tasks().keys() == big._tasks().keys()


def test_map_blocks_infers_dtypes_on_chunks_of_the_backends_own_library(monkeypatch) -> None:
    # a user function may call the chunk library (cupy.fft...): its dtype is inferred on a CuPy chunk
    # for CuPy arrays, not on a NumPy stand-in; gpuscale's own functions stay on the host
    import sys
    import types

    import numpy as np

    from gpuscale.backends import array as chunkfn

    class FakeCupyArray(np.ndarray):
        pass

    fake = types.ModuleType("cupy")
    fake.ones = lambda shape, dtype=None: np.ones(shape, dtype=dtype).view(FakeCupyArray)
    monkeypatch.setitem(sys.modules, "cupy", fake)
    chunkfn.module_for.cache_clear()  # modules are cached by name: forget the fake afterwards too
    try:
        seen = []
        dtype = chunkfn.meta_call("cupy", lambda b: seen.append(type(b)) or b.astype("float32"),
                                  chunkfn.Meta("int64", 2))
        assert seen == [FakeCupyArray] and dtype == np.float32
        assert chunkfn.meta_call("cupy", "sqrt", chunkfn.Meta("int64", 1)) == np.float64  # on the host
    finally:
        chunkfn.module_for.cache_clear()


def test_result_type_takes_numpy_scalar_types() -> None:
    x = ga.asarray(np.ones(5, np.int16), chunks=3)
    assert ga.result_type(x, np.float32) == np.result_type(np.int16, np.float32)
    assert ga.result_type(np.float32, np.int8) == np.result_type(np.float32, np.int8)


def test_clone_of_in_memory_blocks_renames_them_and_persist_does_not() -> None:
    """``graph_manipulation.clone`` hands the rebuilder renamed keys; ``persist`` hands the same ones (as dask)."""
    from dask.graph_manipulation import clone

    x = ga.from_array(DATA, chunks=(4, 2)).persist()
    y = clone(x)
    assert y.name != x.name and set(flatten_keys(y.__dask_keys__())).isdisjoint(flatten_keys(x.__dask_keys__()))
    assert_same(y + x, DATA * 2)
    (z,) = dask.persist(x + 1)
    assert z.__dask_keys__() == (x + 1).__dask_keys__()
    assert_same(z, DATA + 1)
