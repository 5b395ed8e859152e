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
