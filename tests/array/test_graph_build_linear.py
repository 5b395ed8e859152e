"""Building the tasks of an array of many blocks does constant work per block: what does not depend on the
block (a node's operands, how its arguments' blocks follow the output's) is worked out once per node, and
no garbage collection scans the heap while a layer's acyclic tasks are made."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.array.blocks import BlockSelection
from gpuscale.array.concatenation import Concatenate
from gpuscale.array.expr import ArrayExpr, Blockwise
from gpuscale.array.fuse import Fused
from gpuscale.array.reductions import TreeReduce
from gpuscale.expr import Expr
from array_helpers import assert_same, compute

BLOCKS = 400


@pytest.fixture
def operand_lookups(monkeypatch: pytest.MonkeyPatch) -> list:
    """The names of the operands asked for by name (``Expr.__getattr__``), while the fixture is active."""
    asked: list = []
    original = Expr.__getattr__

    def counting(self, key):
        asked.append(key)
        return original(self, key)

    monkeypatch.setattr(Expr, "__getattr__", counting)
    return asked


def _layer_lookups(array, kind: type, asked: list) -> int:
    """Operand lookups made building the layer of the largest ``kind`` node of ``array``'s plan."""
    node = max((n for n in array.expr.optimize().walk() if isinstance(n, kind)), key=lambda n: len(n._layer()))
    node._layer()  # what is kept for the node after its first layer (its plan)
    asked.clear()
    layer = node._layer()
    assert len(layer) >= BLOCKS / 4
    return len(asked)


def test_a_blockwise_layer_reads_its_operands_once_not_per_block(operand_lookups) -> None:
    data = np.arange(BLOCKS * 4.0)
    x = ga.from_array(data, chunks=4)
    y = x + 1.5
    assert _layer_lookups(y, Blockwise, operand_lookups) < 20
    assert_same(y, data + 1.5)


def test_a_fused_layer_reads_its_operands_once_not_per_block(operand_lookups) -> None:
    data = np.arange(BLOCKS * 4.0)
    y = (ga.from_array(data, chunks=4) + 1) * 2
    assert _layer_lookups(y, Fused, operand_lookups) < 20
    assert_same(y, (data + 1) * 2)


@pytest.mark.parametrize("axis", [0, 1, None])
def test_a_tree_reduction_level_reads_its_operands_once_not_per_block(operand_lookups, axis) -> None:
    data = np.arange(40 * 40.0).reshape(40, 40)
    y = ga.from_array(data, chunks=2).sum(axis=axis, split_every=2)
    assert _layer_lookups(y, TreeReduce, operand_lookups) < 20
    assert_same(y, data.sum(axis=axis))


def test_concatenate_and_block_selection_read_their_operands_once(operand_lookups) -> None:
    data = np.arange(BLOCKS * 4.0)
    x = ga.from_array(data, chunks=4)
    joined = ga.concatenate([x, x[::-1]])
    assert _layer_lookups(joined, Concatenate, operand_lookups) < 20
    assert_same(joined, np.concatenate([data, data[::-1]]))
    picked = x.blocks[::2]
    assert _layer_lookups(picked, BlockSelection, operand_lookups) < 20
    assert_same(picked, data.reshape(BLOCKS, 4)[::2].ravel())


def test_layers_are_built_with_the_garbage_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    original = Blockwise._layer

    def recording(self):
        seen.append(gc.isenabled())
        return original(self)

    monkeypatch.setattr(Blockwise, "_layer", recording)
    data = np.arange(BLOCKS * 4.0)
    y = ga.from_array(data, chunks=4) + 1.5
    y.optimize(fuse=False).__dask_graph__()
    assert seen and not any(seen)
    assert gc.isenabled()  # as it was before
    assert_same(y, data + 1.5)


def test_a_paused_collector_stays_off_when_it_was_off() -> None:
    x = ga.from_array(np.arange(40.0), chunks=4) + 1
    gc.disable()
    try:
        ArrayExpr._tasks(x.expr.optimize())
        assert not gc.isenabled()
    finally:
        gc.enable()


def _refers_to(task, name: str) -> bool:
    if type(task) is tuple:
        return (bool(task) and task[0] == name) or any(_refers_to(t, name) for t in task)
    if type(task) in (list, set):
        return any(_refers_to(t, name) for t in task)
    if type(task) is dict:
        return any(_refers_to(t, name) for t in task.values())
    return False


@pytest.mark.parametrize("make, reference", [
    (lambda x: (x + 1).T * 2, lambda a: (a + 1).T * 2),
    (lambda x: (x * 3).sum(axis=1), lambda a: (a * 3).sum(axis=1)),
    (lambda x: x.map_overlap(lambda b: b * 2, depth=1, boundary="none"), lambda a: a * 2)])
def test_the_protocol_renames_only_the_output_tasks(make, reference) -> None:
    # the keys of an array's graph carry x.name (dask's contract); only the output node's tasks are rewritten
    # for it, every other task is the plan's own object (rewriting all was most of a large graph's build time)
    import dask

    data = np.arange(240.0).reshape(12, 20)
    y = make(ga.from_array(data, chunks=(3, 4)))
    plan = y._optimized_expr()
    assert y._protocol_name(plan) == y.name != plan._name
    built = dict(plan.__dask_graph__())
    graph = dict(y.__dask_graph__())
    assert not any(_refers_to(task, plan._name) or (type(k) is tuple and k[0] == plan._name)
                   for k, task in graph.items())
    others = [k for k in graph if not (type(k) is tuple and k[0] == y.name)]
    assert others and all(graph[k] is built[k] for k in others)
    assert_same(compute(dask.compute(y, scheduler="sync")[0]), reference(data))
