"""Blockwise fusion: a chain of block-by-block operations becomes one task per block.

A ``Blockwise`` node absorbs an operand that is itself ``Blockwise`` (or a
``Rechunk``, whose inputs stay outside) when the operand is used by nobody
else and each of its blocks feeds exactly one output block (no contraction, no
broadcasting of blocks).  The fused node's task for a block runs the absorbed
nodes' tasks in turn, so intermediates live only inside one task call.

A ``FusedBlock`` does not interpret keyed tasks (that is ``graph.evaluate_task``,
used by the runtime and by fused dataframe tasks): its steps are positional,
each refers to an input block (``Input``) or an earlier step's result
(``Step``, read once so a chain holds one intermediate), and they are evaluated
in turn.
"""

from __future__ import annotations

import functools
from typing import Any, Iterator

from gpuscale.array import _chunks
from gpuscale.array.expr import ArrayExpr, Blockwise, Opaque, is_small
from gpuscale.array.rechunk import Rechunk
from gpuscale.backends import array as chunkfn
from gpuscale.backends.array import _contract as contract
import gpuscale.expr.annotations as annotated
from gpuscale.expr.core import collect_dependents, operand_results, run_steps

__all__ = ["fuse_blockwise", "Fused"]


class Fused(ArrayExpr):
    """Several ``Blockwise`` nodes computed in one task per block.

    Operands: the root node (kept opaque), the names of the absorbed nodes,
    the names of the external inputs as the root's subtree refers to them,
    then the (possibly rewritten) external input expressions.
    """

    _parameters = ["root", "members", "external_names"]

    @property
    def inputs(self) -> list:
        return self.operands[len(self._parameters):]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.root.value.chunks

    @functools.cached_property
    def dtype(self) -> Any:
        return self.root.value.dtype

    @property
    def backend(self) -> str:
        return self.root.value.backend

    @property
    def _funcname(self) -> str:
        return "fused-" + self.root.value._funcname

    def _layer(self) -> dict:
        return {self.key(i): self._block_task(i) for i in _chunks.block_indices(self.numblocks)}

    def _block_task(self, index: tuple) -> tuple:
        """``(FusedBlock, *input keys)``: the members' tasks for this block as one call on the input blocks."""
        root, members, renamed = self._names
        keys: dict[tuple, Input] = {}
        todo: list[tuple] = [(root, index, None)]  # (member, block, the Step of its result)

        def resolve(dep: ArrayExpr, block: tuple) -> Any:
            if dep._name not in members:
                return keys.setdefault((renamed[dep._name], *block), Input(len(keys)))
            step = Step()
            todo.append((dep, block, step))
            return step

        found = []  # (task, its Step): each member after the one that uses it
        while todo:  # a loop, not recursion: a chain may be thousands of members long
            node, block, step = todo.pop()
            found.append((node.task(block, resolve), step))
        found.reverse()  # each member block feeds exactly one task (``_absorbable``): this order runs it first
        for position, (_, step) in enumerate(found):
            if step is not None:
                step.position = position
        return (FusedBlock([task for task, _ in found], self._steps_label), *keys)

    @functools.cached_property
    def _names(self) -> tuple[ArrayExpr, set, dict]:
        # once per node, not per block: the root, the absorbed nodes, the inputs' names as the graph has them
        return self.root.value, set(self.members), dict(zip(self.external_names, (e._name for e in self.inputs)))

    @functools.cached_property
    def _steps_label(self) -> str:
        """What the fused tasks run, for their repr: the members' distinct operations, first to last
        (``rechunk > add``); a few only, as the label travels with every task of the node."""
        names = list(dict.fromkeys(name.rsplit("-", 1)[0] for name in reversed(self.members)))
        return " > ".join(names[:4] + (["..."] if len(names) > 4 else []))

    def _tree_label(self) -> str:
        return f"Fused({len(self.members)} blockwise): shape={self.shape}, numblocks={self.numblocks}"


class Input:
    """Placeholder in a ``FusedBlock``'s steps: its argument number ``position``."""

    def __init__(self, position: int) -> None:
        self.position = position

    def __reduce__(self) -> tuple:
        return Input, (self.position,)


class Step:
    """Placeholder in a ``FusedBlock``'s steps: the result of step number ``position`` (read once)."""

    def __init__(self, position: int = -1) -> None:
        self.position = position

    def __reduce__(self) -> tuple:
        return Step, (self.position,)


class FusedBlock:
    """The tasks of one block of a ``Fused`` node, run in turn on the blocks of its inputs.

    ``steps`` is a flat list of tasks ``(func, *args)``, each after the steps whose results (``Step``)
    it uses; the last gives the block.  Flat, not nested, so a chain of thousands of operations needs
    no deep recursion to run or to pickle.  The graph sees a flat ``(FusedBlock, *keys)`` task, so the
    runtime finds the inputs without looking inside.  The steps are evaluated directly: each block has its
    own ``FusedBlock``, run once, so turning its steps into closures first cost more than it saved (a third
    of the run time of 39,420 two-step blocks).  Literals are never taken for graph keys.  It accepts
    ``out=`` when the last function does (``writes_into``: compute() hands it the region of its result).
    ``label`` names the fused operations in its repr (a graph printed shows what each task runs).
    """

    def __init__(self, steps: list, label: str = "") -> None:
        self.steps = steps
        self.label = label
        last = steps[-1][0]
        func = last.func if isinstance(last, functools.partial) else last
        self.writes_into = getattr(func, "writes_into", False)

    def __call__(self, *blocks: Any, **kwargs: Any) -> Any:
        results: list = []
        *body, last = _contracted(self.steps)
        for func, *args in body:
            results.append(func(*[_value(a, blocks, results) for a in args]))
        return last[0](*[_value(a, blocks, results) for a in last[1:]], **kwargs)

    def __reduce__(self) -> tuple:
        return FusedBlock, (self.steps, self.label)

    def __repr__(self) -> str:
        last = self.steps[-1][0]
        return f"FusedBlock({self.label or getattr(last, '__name__', last)!r}, {len(self.steps)} steps)"


def _contracted(steps: list) -> list:
    """``steps`` with each sum of a product (``multiply`` then a ``sum`` reduction's first step: weighted sums,
    ``einsum``) computed as one contraction that never makes the block-sized product
    (``backends/array/_contract.py``).  A ``Step`` is read by one later step only, so the product has no other
    user; positions stay as they were (the multiply step now just hands its two factors on)."""
    out = list(steps)
    for position, task in enumerate(steps):
        if not (task[0] is chunkfn.reduce_chunk and len(task) >= 4 and task[1] == "sum"
                and type(task[2]) is Step):
            continue
        product = steps[task[2].position]
        if product[0] is chunkfn.xp_call and len(product) == 4 and product[1] == "multiply":
            out[task[2].position] = (contract.multiply_pair, *product[2:])
            out[position] = (contract.sum_of_product, *task[2:])
    return out


def _value(obj: Any, blocks: tuple, results: list) -> Any:
    """An argument of a step: an input block (``Input``), an earlier step's result (``Step``: read once, so a
    long chain holds one intermediate, not all), an inner task, a list, or a literal (inner tasks nest a few
    levels at most: contractions, not chains)."""
    kind = type(obj)
    if kind is Input:
        return blocks[obj.position]
    if kind is Step:
        value, results[obj.position] = results[obj.position], None
        return value
    if kind is tuple and obj and callable(obj[0]):
        return obj[0](*[_value(a, blocks, results) for a in obj[1:]])
    if kind is list:
        return [_value(item, blocks, results) for item in obj]
    return obj


def _absorbable(parent: Blockwise, child: Any, ind: tuple, dependents: dict, checks: list) -> bool:
    # a rechunk's blocks each feed one block of the step reading them too: its cuts and joins run inside that
    # step's task (an xarray ``.chunk()`` of chunked data before element-wise work: one task per block, not two)
    if not isinstance(child, (Blockwise, Rechunk)) or not annotated.same(parent, child):
        return False  # nodes built under different dask.annotate blocks stay apart, each with its own
    single_user = len(dependents.get(child._name, ())) == 1
    checks.append((child._name, single_user))  # the only fact used that depends on the rest of the plan
    if not single_user or sum(1 for a, _ in parent.array_args() if a._name == child._name) != 1:
        return False
    out_blocks = dict(zip(parent.out_ind, parent.numblocks))
    # each child block must feed exactly one parent block (else it would be recomputed per parent block)
    if any(n > 1 for letter, n in out_blocks.items() if letter not in ind):
        return False
    return all(out_blocks.get(letter, 1) == n for letter, n in zip(ind, child.numblocks))


def _region(root: Blockwise, dependents: dict, checks: list) -> tuple[list[Blockwise], list[ArrayExpr]]:
    members, externals, stack = [root], {}, [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Rechunk):  # its input block feeds several of its blocks: never absorbed
            externals.setdefault(node.array._name, node.array)
            continue
        for arg, ind in node.array_args():
            if _absorbable(node, arg, ind, dependents, checks):
                members.append(arg)
                stack.append(arg)
            else:
                externals.setdefault(arg._name, arg)
    return members, list(externals.values())


def fuse_blockwise(expr: ArrayExpr) -> ArrayExpr:
    """Return ``expr`` with maximal chains of ``Blockwise`` nodes fused."""
    dependents = collect_dependents(expr)
    memo: dict[str, ArrayExpr] = {}

    def rewrite(node: ArrayExpr) -> Any:  # a step of run_steps: the result, or a generator making it
        return memo[node._name] if node._name in memo else fuse(node)

    def fuse(node: ArrayExpr) -> Iterator:
        out = yield from _fused_before(node, dependents)
        if out is None:
            out = yield from _fuse_at(node, dependents)
        memo[node._name] = out
        return out

    return run_steps(expr, rewrite)


def _fuse_at(node: ArrayExpr, dependents: dict) -> Iterator:
    """``node`` rewritten: the region of ``Blockwise`` nodes it heads fused, its inputs rewritten."""
    checks: list = []
    if isinstance(node, Blockwise):
        members, externals = _region(node, dependents, checks)
    else:
        members, externals = [node], node.dependencies()
    inputs = []
    for e in externals:
        inputs.append((yield e))
    if len(members) > 1:
        out = annotated.carry(node, Fused(Opaque(node, node._name), tuple(m._name for m in members),
                                          tuple(e._name for e in externals), *inputs))
    else:
        out = node.substitute_operands((yield from operand_results(node)))
    if isinstance(node, ArrayExpr) and is_small(node):
        # small plans are built again and again around the same nodes (x[i] for each i): keep the result on
        # the node; only for small ones, as the result refers back to the node and frees it only in a gc pass.
        # A node that is its own result is kept as _SELF: a node referring to itself would outlive its last
        # user until a gc pass, and with it the data it holds (a persisted array's futures on a cluster)
        node.__dict__["_fused"] = (tuple(checks), externals, inputs, _SELF if out is node else out)
    return out


_SELF = object()  # the result kept by _fuse_at is the node itself


def _fused_before(node: ArrayExpr, dependents: dict) -> Iterator:
    """The result kept by ``_fuse_at`` if the plan around ``node`` still leads to it, else None."""
    kept = node.__dict__.get("_fused")
    if kept is None:
        return None
    checks, externals, inputs, out = kept
    if any((len(dependents.get(name, ())) == 1) != single for name, single in checks):
        return None
    for e, i in zip(externals, inputs):
        if (yield e) is not i:
            return None
    return node if out is _SELF else out
