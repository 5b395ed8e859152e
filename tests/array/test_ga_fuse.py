"""Blockwise fusion, and the fused form a small node keeps for the next plan built around it."""

from __future__ import annotations

import numpy as np

import gpuscale
import gpuscale.array as ga
from gpuscale.array.fuse import Fused, Input, Step
from gpuscale.expr import Tuple
from array_helpers import assert_same


def _fused_nodes(expr):
    return [node for node in expr.walk() if isinstance(node, Fused)]


def test_a_chain_of_blockwise_nodes_is_fused() -> None:
    x = ga.from_array(np.arange(12.0).reshape(3, 4), chunks=2)
    y = (x + 1) * 2 - 3
    (fused,) = _fused_nodes(y.expr.optimize())
    assert len(fused.members) == 3
    assert_same(y, (np.arange(12.0).reshape(3, 4) + 1) * 2 - 3)


def test_small_plans_around_the_same_node_reuse_its_fused_form() -> None:
    x = ga.from_array(np.arange(12.0).reshape(3, 4), chunks=2)
    y = (x + 1) * 2
    first = _fused_nodes(y[0, 1].expr.optimize())
    again = _fused_nodes((y[2, 3] == y[1, 1]).expr.optimize())
    assert len(first) == 1 and again == first and again[0] is first[0]  # the same object: no new name to compute
    assert float(y[2, 3]) == 24.0 and bool(y[1, 1] == 12.0)


def test_a_node_that_gains_another_user_is_no_longer_fused_away() -> None:
    x = ga.from_array(np.arange(12.0).reshape(3, 4), chunks=2)
    inner = x + 1
    outer = inner * 2
    (alone,) = _fused_nodes(outer[0].expr.optimize())
    assert inner.name in alone.members
    shared = Tuple(outer[0].expr, inner[0].expr).optimize()  # ``inner`` has two users now: computed once
    assert all(inner.name not in f.members for f in _fused_nodes(shared))
    assert inner.name in {node._name for node in shared.walk()}
    out, mid = gpuscale.compute(outer[0], inner[0])
    assert_same(out, (np.arange(4.0) + 1) * 2)
    assert_same(mid, np.arange(4.0) + 1)


def test_a_fused_block_is_one_flat_task_that_pickles_and_writes_into_a_result() -> None:
    import pickle

    from gpuscale.array.fuse import FusedBlock
    from gpuscale.backends import array as chunkfn

    x = ga.from_array(np.arange(12.0).reshape(3, 4), chunks=2)
    plan = ((x + 1) * 2).expr.optimize()
    tasks = plan.__dask_graph__()
    task = tasks[plan.key((0, 0))]
    assert isinstance(task[0], FusedBlock) and all(arg in tasks for arg in task[1:])  # inputs: keys only
    block = np.arange(4.0).reshape(2, 2)
    again = pickle.loads(pickle.dumps(task[0]))
    assert_same(again(block), (block + 1) * 2)

    def double_into(a, out=None):
        out[...] = 2 * a
        return out

    double_into.writes_into = True
    writer = FusedBlock([(chunkfn.xp_call, "abs", Input(0)), (chunkfn.xp_call, "negative", Step(0)),
                         (double_into, Step(1))])
    assert writer.writes_into
    target = np.zeros(3)
    assert writer(np.array([1.0, -2.0, 3.0]), out=target) is target
    assert_same(target, np.array([-2.0, -4.0, -6.0]))


def _task_names(array) -> dict:
    import collections

    plan = array.expr.optimize()
    # block tasks by name (a source a block reads from, such as from_array's copy for a device, is left out)
    return collections.Counter(str(key[0]).rsplit("-", 1)[0] for key in plan.__dask_graph__()
                               if isinstance(key, tuple))


def test_a_rechunk_runs_inside_the_blockwise_step_that_reads_it() -> None:
    data = np.arange(120.0).reshape(12, 10)
    x = ga.from_array(data, chunks=(6, 5))
    cut = x.rechunk(((4, 2, 3, 3), (2, 3, 5))) * 2 + 1  # every new block inside one old block, uneven cuts
    joined = x.rechunk((12, 10)) - 1  # one block joining the four
    across = x.rechunk(((4, 4, 4), (3, 7))) / 2  # blocks 4-7 and 3-9 straddle old boundaries
    for y, expected in ((cut, data * 2 + 1), (joined, data - 1), (across, data / 2)):
        tasks = _task_names(y)
        assert not any("rechunk" in name for name in tasks)  # no task of its own: one task per output block
        (fused,) = _fused_nodes(y.expr.optimize())
        assert any(name.startswith("rechunk") for name in fused.members)
        assert sum(tasks.values()) == x.npartitions + y.npartitions
        assert_same(y, expected)
        assert_same(y.sum(axis=0), expected.sum(axis=0))  # a reduction's first step reads the rechunked blocks
    assert cut.chunks == ((4, 2, 3, 3), (2, 3, 5)) and across.chunks == ((4, 4, 4), (3, 7))
    # a printed graph shows what each fused task runs
    task = next(t for k, t in cut.expr.optimize().__dask_graph__().items() if str(k[0]).startswith("fused"))
    assert repr(task[0]) == "FusedBlock('rechunk > multiply > add', 3 steps)"


def test_a_rechunk_read_by_two_steps_keeps_its_own_tasks() -> None:
    data = np.arange(120.0).reshape(12, 10)
    cut = ga.from_array(data, chunks=(6, 5)).rechunk((3, 5))
    both = gpuscale.compute(cut + 1, cut * 2)  # the cut blocks are read twice: computed once, kept
    assert_same(both[0], data + 1)
    assert_same(both[1], data * 2)
    shared = Tuple((cut + 1).expr, (cut * 2).expr).optimize()
    assert cut.name in {node._name for node in shared.walk()}


def test_the_keys_of_an_array_carry_its_name_whatever_its_plan() -> None:
    # dask.array's contract, which xarray's map_blocks relies on: blocks are keyed ``(x.name, *index)``
    import dask

    from gpuscale.graph.core import flatten_keys

    data = np.arange(16.0).reshape(4, 4)
    x = ga.from_array(data, chunks=2)
    cases = {"chain": ((x + 1) * 2, (data + 1) * 2), "rechunk": (x.rechunk(1) - 1, data - 1),
             "transpose_mean": ((x + x.T).mean(axis=0), (data + data.T).mean(axis=0)), "sum": (x.sum(), data.sum())}
    for y, expected in cases.values():
        assert y.expr.optimize()._name != y.name  # the plan's root has a name of its own
        keys = flatten_keys(y.__dask_keys__())
        graph = y.__dask_graph__()
        assert {key[0] for key in keys} == {y.name} and all(key in graph for key in keys)
        assert y.__dask_layers__() == (y.name,)
        assert_same(dask.compute(y, scheduler="sync")[0], expected)  # dask's scheduler on the protocol alone
        assert_same(y, expected)
