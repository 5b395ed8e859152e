"""The Collection base: compute/persist locally, through dask.compute, and on a distributed Client."""

from __future__ import annotations

import operator

import numpy as np

import pytest

import gpuscale
from gpuscale.collection import Collection
from gpuscale.expr import Expr


class Chunks(Expr):
    """A list of literal chunks."""

    _parameters = ["values"]

    def _layer(self):
        return {(self._name, i): v for i, v in enumerate(self.values)}

    def __dask_keys__(self):
        return [(self._name, i) for i in range(len(self.values))]


class AddScalar(Expr):
    _parameters = ["source", "scalar"]

    def _layer(self):
        return {(self._name, i): (operator.add, key, self.scalar) for i, key in enumerate(self.source.__dask_keys__())}

    def __dask_keys__(self):
        return [(self._name, i) for i in range(len(self.source.__dask_keys__()))]

    def _simplify_down(self):
        # (x + a) + b  ->  x + (a + b)
        if isinstance(self.source, AddScalar):
            return AddScalar(self.source.source, self.source.scalar + self.scalar)
        return None


class Bag(Collection):
    def _finalizer(self):
        return list

    def _from_persisted(self, chunks):
        return Bag(Chunks(list(chunks.values())))

    def __add__(self, other):
        return Bag(AddScalar(self.expr, other))


def test_compute_and_optimizer():
    bag = Bag(Chunks([1, 2, 3])) + 1 + 10
    assert bag.compute() == [12, 13, 14]
    assert bag.compute(scheduler="sync") == [12, 13, 14]
    assert isinstance(bag.optimize().expr.source, Chunks)  # the two additions were folded


def test_explain_shows_both_plans(capsys):
    (Bag(Chunks([1])) + 1 + 2).explain()
    out = capsys.readouterr().out
    assert "Logical plan" in out and "Optimized plan" in out
    assert out.count("AddScalar") == 3  # two before, one after


def test_explain_takes_dask_s_stages(capsys):
    # ported code passes dask's stage names: each prints one plan; format= other than text is refused clearly
    bag = Bag(Chunks([1])) + 1 + 2
    for stage, additions in [("logical", 2), ("simplified-logical", 1), ("physical", 1), ("fused", 1)]:
        bag.explain(stage)
        out = capsys.readouterr().out
        assert "Logical plan" not in out and out.count("AddScalar") == additions
    with pytest.raises(ValueError, match="stage must be one of"):
        bag.explain("optimized")
    with pytest.raises(ValueError, match="format='png'"):
        bag.explain(format="png")


def test_compute_many_and_plain_values():
    a, b = Bag(Chunks([1])), Bag(Chunks([2])) + 1
    assert gpuscale.compute(a, b, "x") == ([1], [3], "x")


def test_persist_keeps_values():
    bag = (Bag(Chunks([1, 2])) + 5).persist()
    assert isinstance(bag.expr, Chunks) and bag.expr.values == [6, 7]
    assert bag.compute() == [6, 7]


def test_names_are_deterministic():
    assert (Bag(Chunks([1])) + 1).expr._name == (Bag(Chunks([1])) + 1).expr._name
    assert (Bag(Chunks([1])) + 1).expr._name != (Bag(Chunks([1])) + 2).expr._name


def test_dask_compute_uses_the_protocol():
    dask = pytest.importorskip("dask")
    bag = Bag(Chunks([1, 2])) + 1
    assert dask.compute(bag)[0] == [2, 3]
    assert dask.compute(bag, scheduler="sync")[0] == [2, 3]


def test_distributed_client_compute_and_persist():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        bag = Bag(Chunks([1, 2])) + 1
        assert bag.compute() == [2, 3]  # the default client is used
        assert client.compute(bag, sync=True) == [2, 3]
        persisted = bag.persist()
        assert persisted.compute() == [2, 3]
        with gpuscale.config.set(use_default_client=False):
            assert bag.compute() == [2, 3]


def test_compute_many_runs_shared_work_once():
    import pandas as pd
    import gpuscale.dataframe as gd
    calls = []

    def expensive(part):
        calls.append(len(part))
        return part * 2

    df = gd.from_pandas(pd.DataFrame({"a": range(40)}), npartitions=4)
    doubled = df.a.map_partitions(expensive) + 1
    calls.clear()  # (the metadata was inferred on sample rows)
    total, largest = gpuscale.compute(doubled.sum(), doubled.max())
    assert (total, largest) == (sum(2 * i + 1 for i in range(40)), 79)
    assert calls == [10] * 4  # once per partition, not once per result


CALLS: list = []  # the blocks the step below has seen (module-level: a cluster's worker calls it by reference)


def _expensive(block):
    CALLS.append(block.shape[0])
    return block * 2


def _counted_shared_work() -> tuple:
    """Two arrays and two frame results over one expensive step each, which planned alone each fuses in."""
    import pandas as pd
    import gpuscale.array as ga
    import gpuscale.dataframe as gd

    CALLS.clear()
    x = ga.map_blocks(_expensive, ga.arange(40.0, chunks=10), dtype=float)
    df = gd.from_pandas(pd.DataFrame({"a": range(40)}), npartitions=4)
    doubled = df.a.map_partitions(_expensive, meta=("a", "int64"))
    return (x + 1, x.sum(), doubled.sum(), doubled.max()), (np.arange(40.0) * 2 + 1, 1560.0, 1560, 78)


def test_dask_compute_of_several_collections_runs_their_shared_work_once():
    # dask.compute hands gpuscale's optimizer the graphs of all its collections at once: planned again together
    # (PlannedGraph), each block of the shared step is computed once, not once per collection fusing it
    import dask
    results, expected = _counted_shared_work()
    got = dask.compute(*results)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e)
    assert sorted(n for n in CALLS if n) == [10] * 8  # 4 blocks and 4 partitions, once each (0: metadata)
    CALLS.clear()
    x = results[0]  # one of the outputs is read by the others: its keys stand for the joint plan's
    persisted = dask.persist(x, x * 2, x.sum())
    np.testing.assert_allclose(persisted[1].compute(), (np.arange(40.0) * 2 + 1) * 2)
    np.testing.assert_allclose(persisted[0].compute(), np.arange(40.0) * 2 + 1)
    assert sorted(n for n in CALLS if n) == [10] * 4


def test_compute_and_persist_on_a_cluster_run_shared_work_once():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster, \
            distributed.Client(cluster):
        results, expected = _counted_shared_work()
        got = gpuscale.compute(*results)
        for g, e in zip(got, expected):
            np.testing.assert_allclose(g, e)
        assert sorted(n for n in CALLS if n) == [10] * 8
        results, expected = _counted_shared_work()
        persisted = gpuscale.persist(*results)
        distributed.wait([f for p in persisted for f in distributed.futures_of(p)])
        assert sorted(n for n in CALLS if n) == [10] * 8
        for p, e in zip(persisted, expected):
            assert distributed.futures_of(p)
            np.testing.assert_allclose(p.compute(), e)


def test_persist_many_frames_built_from_a_persisted_frame():
    import pandas as pd
    import gpuscale.dataframe as gd
    pdf = pd.DataFrame({"k": [1, 2, 1, 3] * 5, "v": range(20), "w": range(20, 40)})
    (base,) = gpuscale.persist(gd.from_pandas(pdf, npartitions=3).assign(x=lambda d: d.v * 2))
    a = base.groupby("k").v.sum().reset_index()
    b = base.groupby("k").w.max().reset_index()
    pa, pb = gpuscale.persist(a, b)
    expected = pdf.assign(x=pdf.v * 2)
    pd.testing.assert_frame_equal(pa.compute().sort_values("k").reset_index(drop=True),
                                  expected.groupby("k").v.sum().reset_index())
    pd.testing.assert_frame_equal(pb.compute().sort_values("k").reset_index(drop=True),
                                  expected.groupby("k").w.max().reset_index())


def test_explain_expands_a_shared_node_once(capsys):
    import pandas as pd
    import gpuscale.dataframe as gd
    df = gd.from_pandas(pd.DataFrame({"a": range(4)}), npartitions=2)
    (df.a * 2 + df.a * 2).explain()
    out = capsys.readouterr().out
    assert "(shared, shown above)" in out


def test_local_runtime_options_with_a_client_warn_instead_of_being_dropped():
    distributed = pytest.importorskip("distributed")
    import gpuscale.array as ga

    x = ga.arange(10, chunks=5)
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        with pytest.warns(UserWarning, match="memory_limit ignored"):
            assert int(x.sum().compute(scheduler=client, memory_limit="1GiB")) == 45
        with pytest.warns(UserWarning, match="num_workers ignored"):
            x.persist(scheduler=client, num_workers=2)


def test_dask_graph_is_built_once_per_plan_and_handed_out_as_copies(monkeypatch):
    # dask.is_dask_collection builds the graph to see it is not None; xarray's map_blocks asks once per variable
    # and block (4,320 times in xarray's test_minimize_graph_size), so a rebuild each time took minutes
    import dask
    import numpy as np

    import gpuscale.array as ga

    x = ga.ones((40,), chunks=4) + 1
    expr_type = type(x._optimized_expr())
    builds = []
    real = expr_type.graph_layers
    monkeypatch.setattr(expr_type, "graph_layers", lambda self: builds.append(1) or real(self))
    assert all(dask.is_dask_collection(x) for _ in range(5))
    x.__dask_graph__().clear()  # a caller's change stays in its copy
    assert len(builds) == 1 and len(x.__dask_graph__()) == len(x._optimized_expr().__dask_graph__())
    np.testing.assert_array_equal(dask.compute(x)[0], np.full(40, 2.0))


def test_dask_compute_runs_only_the_tasks_the_result_needs():
    """dask's schedulers run every task of the graph they get: a collection's ``__dask_optimize__`` culls it,
    as dask's own collections do (one element of a 1,600-block array ran all 1,600 blocks)."""
    dask = pytest.importorskip("dask")
    from dask.callbacks import Callback

    import gpuscale.array as ga

    class Counted(Callback):
        def __init__(self):
            super().__init__()
            self.keys = []

        def _pretask(self, key, dsk, state):
            self.keys.append(key)

    x = ga.arange(40 * 40, chunks=40).reshape(40, 40).rechunk((4, 4))
    element = x[5, 7]
    assert len(dict(element.__dask_graph__())) > 100  # the graph still names every block
    counted = Counted()
    with counted:
        (value,) = dask.compute(element, scheduler="sync")
    assert value == 5 * 40 + 7
    graph = dict(element.__dask_graph__())
    culled = element.__dask_optimize__(graph, element.__dask_keys__())
    ran = {k for k in counted.keys if isinstance(k, tuple)}  # (dask adds its own finalize task)
    assert ran == set(culled) and len(culled) < len(graph) / 10  # one block's inputs only


class _ExprFinder(__import__("pickle").Pickler):
    """A pickler that records every expression node it is asked to pickle."""

    def __init__(self, file):
        super().__init__(file)
        self.exprs = []

    def reducer_override(self, obj):
        if isinstance(obj, Expr):
            self.exprs.append(type(obj).__name__)
        return NotImplemented


@pytest.mark.parametrize("kind", ["frame", "series", "scalar", "array", "zero_d"])
def test_postcompute_function_pickles_without_the_expression(kind):
    # dask's schedulers pickle __dask_postcompute__ into the graph (distributed runs it on a worker): holding
    # the collection would rebuild its whole expression there on unpickling (a parquet read planned anew)
    import io
    import pickle

    import numpy as np
    import pandas as pd

    import gpuscale.array as ga
    import gpuscale.dataframe as gd

    pdf = pd.DataFrame({"x": np.arange(6.0), "k": [1, 2, 1, 2, 1, 2]})
    df = gd.from_pandas(pdf, npartitions=2)
    collection = {"frame": lambda: df[df.x > 1], "series": lambda: df.x + 1, "scalar": lambda: df.x.sum(),
                  "array": lambda: ga.arange(10, chunks=3) * 2, "zero_d": lambda: ga.arange(10, chunks=3).sum()}[kind]()
    func, args = collection.__dask_postcompute__()
    finder = _ExprFinder(io.BytesIO())
    finder.dump((func, args))
    assert finder.exprs == []
    restored = pickle.loads(pickle.dumps(func))
    graph, keys = collection.__dask_graph__(), collection.__dask_keys__()
    import dask

    results = list(dask.get(graph, keys))  # (dask.compute hands over lists, as the keys nest)
    expected = collection.compute()
    got = restored(results, *args)
    if kind in ("frame", "series"):
        pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(expected))
    else:
        np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))
        assert type(got) is type(expected)


def test_simplify_and_pprint_as_dask_expr(capsys):
    import pandas as pd

    import gpuscale.dataframe as gd

    pdf = pd.DataFrame({"x": [1, 2, 3], "y": [4.0, 5.0, 6.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    picked = df[["x", "y"]][df.y > 4.5]["x"]
    simple = picked.simplify()
    assert type(simple) is type(picked) and simple.expr._name != picked.expr._name
    pd.testing.assert_series_equal(simple.compute(), pdf[pdf.y > 4.5].x)
    simple.pprint()
    printed = capsys.readouterr().out
    assert "FromChunks" in printed and printed.count("\n") == len(simple.expr.tree_repr(1).splitlines())
