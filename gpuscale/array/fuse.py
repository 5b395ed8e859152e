"""Blockwise fusion: a chain of block-by-block operations becomes one task per block.

A ``Blockwise`` node absorbs an operand that is itself ``Blockwise`` when
the operand is used by nobody else and each of its blocks feeds exactly one
output block (no contraction, no broadcasting of blocks).  The fused node's
task for a block nests the absorbed nodes' tasks, so intermediates live only
inside one task call.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from gpuscale.array import _chunks
from gpuscale.array.expr import ArrayExpr, Blockwise, Opaque, is_small
from gpuscale.expr.core import collect_dependents

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
        """``(FusedBlock, *input keys)``: the nested tasks of the members as one call on the input blocks."""
        members = set(self.members)
        renamed = dict(zip(self.external_names, (e._name for e in self.inputs)))
        keys: dict[tuple, Input] = {}

        def resolve(dep: ArrayExpr, block: tuple) -> Any:
            if dep._name in members:
                return dep.task(block, resolve)
            return keys.setdefault((renamed[dep._name], *block), Input(len(keys)))

        nested = self.root.value.task(index, resolve)
        return (FusedBlock(nested), *keys)

    def _tree_label(self) -> str:
        return f"Fused({len(self.members)} blockwise): shape={self.shape}, numblocks={self.numblocks}"


class Input:
    """Placeholder in a ``FusedBlock``'s nested task: its argument number ``position``."""

    def __init__(self, position: int) -> None:
        self.position = position

    def __reduce__(self) -> tuple:
        return Input, (self.position,)


class FusedBlock:
    """The nested tasks of one block of a ``Fused`` node, called with the blocks of its inputs.

    The graph sees a flat ``(FusedBlock, *keys)`` task, so the runtime finds the inputs without walking
    the nesting, and the nesting is turned into Python closures once (on the first call) instead of
    being interpreted at every run.  Literals are never taken for graph keys.  It accepts ``out=`` when
    the outermost function does (``writes_into``: compute() hands it the region of its result).
    """

    def __init__(self, task: tuple) -> None:
        self.task = task
        func = task[0].func if isinstance(task[0], functools.partial) else task[0]
        self.writes_into = getattr(func, "writes_into", False)
        self._run: Callable | None = None

    def __call__(self, *blocks: Any, **kwargs: Any) -> Any:
        if self._run is None:
            self._run = _compiled_call(self.task)
        return self._run(blocks, kwargs)

    def __reduce__(self) -> tuple:
        return FusedBlock, (self.task,)

    def __repr__(self) -> str:
        return f"FusedBlock({getattr(self.task[0], '__name__', self.task[0])!r})"


def _compiled_call(task: tuple) -> Callable:
    """The outermost call: it may be given ``out=``."""
    func, args = task[0], [_compiled(a) for a in task[1:]]
    return lambda blocks, kwargs: func(*[a(blocks) for a in args], **kwargs)


def _compiled(obj: Any) -> Callable:
    """A function of the input blocks computing ``obj``: a nested task, a list, an ``Input`` or a literal."""
    if type(obj) is Input:
        position = obj.position
        return lambda blocks: blocks[position]
    if type(obj) is tuple and obj and callable(obj[0]):
        func, args = obj[0], [_compiled(a) for a in obj[1:]]
        return lambda blocks: func(*[a(blocks) for a in args])
    if type(obj) is list:
        items = [_compiled(item) for item in obj]
        return lambda blocks: [item(blocks) for item in items]
    return lambda blocks: obj


def _absorbable(parent: Blockwise, child: Any, ind: tuple, dependents: dict, checks: list) -> bool:
    if not isinstance(child, Blockwise):
        return False
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

    def rewrite(node: ArrayExpr) -> ArrayExpr:
        if node._name in memo:
            return memo[node._name]
        out = _fused_before(node, dependents, rewrite)
        if out is None:
            out = _fuse_at(node, dependents, rewrite)
        memo[node._name] = out
        return out

    return rewrite(expr)


def _fuse_at(node: ArrayExpr, dependents: dict, rewrite: Callable) -> ArrayExpr:
    """``node`` rewritten: the region of ``Blockwise`` nodes it heads fused, its inputs rewritten."""
    checks: list = []
    if isinstance(node, Blockwise):
        members, externals = _region(node, dependents, checks)
    else:
        members, externals = [node], node.dependencies()
    inputs = [rewrite(e) for e in externals]
    if len(members) > 1:
        out = Fused(Opaque(node, node._name), tuple(m._name for m in members), tuple(e._name for e in externals),
                    *inputs)
    else:
        out = node.map_dependencies(rewrite)
    if isinstance(node, ArrayExpr) and is_small(node):
        # small plans are built again and again around the same nodes (x[i] for each i): keep the result on
        # the node; only for small ones, as the result refers back to the node and frees it only in a gc pass
        node.__dict__["_fused"] = (tuple(checks), externals, inputs, out)
    return out


def _fused_before(node: ArrayExpr, dependents: dict, rewrite: Callable) -> ArrayExpr | None:
    """The result kept by ``_fuse_at`` if the plan around ``node`` still leads to it, else None."""
    kept = node.__dict__.get("_fused")
    if kept is None:
        return None
    checks, externals, inputs, out = kept
    if any((len(dependents.get(name, ())) == 1) != single for name, single in checks):
        return None
    if any(rewrite(e) is not i for e, i in zip(externals, inputs)):
        return None
    return out
