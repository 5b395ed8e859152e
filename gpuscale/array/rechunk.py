"""Changing the block structure of an array (``rechunk``) and aligning operands."""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any, Iterator

from gpuscale.array import _chunks
from gpuscale.array._rechunk_plan import fan_in, plan_stages
from gpuscale.array.expr import ArrayExpr
from gpuscale.backends import array as chunkfn
from gpuscale.expr import Expr
from gpuscale.expr.core import operand_results, register_plan_rule, run_steps

__all__ = ["Rechunk", "RechunkStage", "rechunk_expr", "rechunk_max_mem", "runtime_bound", "stage_for_runtime",
           "align_chunks"]


class Rechunk(ArrayExpr):
    """Blocks of ``array`` cut and joined into ``new_chunks``.

    Each output block is assembled from the slices of the input blocks it
    overlaps, so no task holds more than one output block plus its inputs.
    """

    _parameters = ["array", "new_chunks"]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.new_chunks

    def _simplify_down(self) -> ArrayExpr | None:
        if _chunks.same_chunks(self.new_chunks, self.array.chunks):
            return self.array
        if isinstance(self.array, Rechunk) and not isinstance(self.array, RechunkStage) and self._merges():
            return Rechunk(self.array.array, self.new_chunks)
        return self.array._with_chunks(self.new_chunks)  # a planned take is planned again in these blocks

    def _merges(self) -> bool:
        """Whether this rechunk of a rechunk can be one: only if no task then gathers more than either did
        (``x.rechunk(middle).rechunk(target)`` written by hand to stage a large rechunk stays two)."""
        inner, source = self.array, self.array.array
        if any(_has_unknown(dim) for dim in (*source.chunks, *self.new_chunks)):
            return True
        itemsize = chunkfn.numpy_dtype(self.dtype).itemsize
        merged = fan_in(source.chunks, self.new_chunks, itemsize)
        return merged <= max(fan_in(source.chunks, inner.chunks, itemsize),
                             fan_in(inner.chunks, self.new_chunks, itemsize))

    @functools.cached_property
    def _pieces_per_dim(self) -> list:
        old = self.array.chunks
        return [_pieces(old[d], self.chunks[d]) for d in range(self.ndim)]

    def task(self, index: tuple, resolve: Any) -> tuple:
        """The task of output block ``index``, the input blocks given by ``resolve(expr, block)``: a key, or a
        step of a fused task (:mod:`gpuscale.array.fuse`: each block of a rechunk feeds one block of the
        step reading it, so the cut and join run inside that step's task)."""
        per_dim = [self._pieces_per_dim[d][i] for d, i in enumerate(index)]
        if all(len(p) == 1 for p in per_dim):  # one input block: it whole, or a slice of it (no join)
            source = resolve(self.array, tuple(p[0][0] for p in per_dim))
            if all(p[0][3] for p in per_dim):
                return (chunkfn.identity, source)
            return (chunkfn.getitem, source, _piece_slices([p[0] for p in per_dim]))
        nested = _nest(self.array, per_dim, (), resolve)
        return (chunkfn.concat_nested, nested, tuple(range(self.ndim)))

    def _layer(self) -> dict:
        def key(dep: ArrayExpr, block: tuple) -> tuple:
            return dep.key(block)

        return {self.key(index): self.task(index, key) for index in _chunks.block_indices(self.numblocks)}


class RechunkStage(Rechunk):
    """One stage of a rechunk planned in stages (``_rechunk_plan``): the same tasks as ``Rechunk``, but never
    merged with the rechunk below or above it, which would bring back the fan-in the stages avoid.

    ``planned_for`` is the ``(max_mem, threads)`` bound the stage was planned within: it is split again when
    lowered for a runtime with a tighter one.
    """

    _parameters = ["array", "new_chunks", "planned_for"]
    _defaults = {"planned_for": None}

    def _simplify_down(self) -> ArrayExpr | None:
        if _chunks.same_chunks(self.new_chunks, self.array.chunks):
            return self.array
        return None



@register_plan_rule
def stage_for_runtime(root: Expr) -> Expr:
    """``root`` with each rechunk planned again in stages where the runtime's bound asks for more of them.

    Run by ``Expr.optimize`` before lowering (see ``register_plan_rule``), under the options of the compute
    call being planned (``gpuscale.runtime.options``): a rechunk is planned when built, but
    ``compute(memory_limit=...)``, or a limit configured after it was built, may be tighter.  A plain
    ``Rechunk`` was one stage within the bound at build time, so the same bound keeps it (the same graph); a
    ``RechunkStage`` is planned again only for a bound tighter than its own.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> from gpuscale.runtime.options import compute_options
    >>> y = ga.asarray(np.zeros((8, 8)), chunks=(1, 8)).rechunk((8, 1))
    >>> with compute_options({"memory_limit": 256, "num_workers": 1}):
    ...     plan = y._expr.optimize(fuse=False)
    >>> [type(n).__name__ for n in plan.walk()][:3]
    ['RechunkStage', 'RechunkStage', 'FromArray']
    """
    bounds: dict = {}
    plans = {}
    nodes = [node for node in root.walk() if isinstance(node, Rechunk)]
    inner = {node.array._name for node in nodes if _continues(node)}  # planned again with the stage above
    for node in nodes:
        if node._name in inner:
            continue
        if node.backend not in bounds:
            bounds[node.backend] = runtime_bound(node.backend)
        source, current = _chain(node)
        stages = _replanned(node, source, current, bounds[node.backend])
        if stages is not None:
            plans[node._name] = (source, stages, bounds[node.backend])
    if not plans:
        return root
    memo: dict = {}
    return run_steps(root, lambda node: _restaged(node, plans, memo))


def _continues(node: Rechunk) -> bool:
    """Whether ``node`` is a stage over another stage of the same plan."""
    below = node.array
    return isinstance(node, RechunkStage) and isinstance(below, RechunkStage) and \
        below.planned_for == node.planned_for


def _chain(node: Rechunk) -> tuple[ArrayExpr, list]:
    """The input of the plan ``node`` ends and the chunks after each of its stages (the last: ``node``'s)."""
    stages = [node.chunks]
    while _continues(node):
        node = node.array
        stages.append(node.chunks)
    return node.array, stages[::-1]


def _restaged(node: Expr, plans: dict, memo: dict) -> Any:
    if node._name in memo:
        return memo[node._name]
    return _restage_work(node, plans, memo)


def _restage_work(node: Expr, plans: dict, memo: dict) -> Iterator:
    if node._name in plans:  # the new stages over the (perhaps restaged) input of the old ones
        source, stages, bound = plans[node._name]
        out = _staged((yield source), stages, bound)
    else:
        out = node.substitute_operands((yield from operand_results(node)))
    memo[node._name] = out
    return out


def _replanned(node: Rechunk, source: ArrayExpr, current: list, bound: tuple) -> list | None:
    """The stages from ``source`` to ``node``'s chunks planned within ``bound``, or None to keep the
    ``current`` ones: the bound is no tighter than the one they were planned for, or asks for one stage."""
    planned_for = node.planned_for if isinstance(node, RechunkStage) else None
    if planned_for is not None and not _tighter(bound, planned_for):
        return None
    stages = plan_stages(source.chunks, node.new_chunks, chunkfn.numpy_dtype(node.dtype).itemsize, *bound)
    if len(stages) == 1 or [tuple(s) for s in stages] == [tuple(c) for c in current]:
        return None
    return stages


def _tighter(bound: tuple, planned_for: tuple) -> bool:
    """Whether ``bound`` lets tasks running at once, or one task, gather less than ``planned_for`` did."""
    (mem, threads), (old_mem, old_threads) = bound, planned_for
    return mem < old_mem or mem // max(1, threads) < old_mem // max(1, old_threads)


def _staged(expr: ArrayExpr, stages: list, bound: tuple) -> ArrayExpr:
    for stage in stages:
        expr = RechunkStage(expr, stage, bound)
    return expr


def _pieces(old: tuple, new: tuple) -> list[list[tuple]]:
    """For each new block: ``(old block, start, stop, whole)`` of each old block it overlaps."""
    if _chunks.same_dim(old, new):  # unchanged (perhaps unknown) axis: block i is old block i, whole
        return [[(i, 0, n, True)] for i, n in enumerate(old)]
    out = []
    for start, n in zip(_chunks.offsets(new), new):
        covering = _chunks.blocks_covering(old, start, start + n)
        if not covering:  # an empty block: take an empty slice of a neighbour
            block = min(_block_at(old, start), len(old) - 1)
            covering = [(block, 0, 0)]
        out.append([(b, lo, hi, lo == 0 and hi == old[b]) for b, lo, hi in covering])
    return out


def _block_at(old: tuple, position: int) -> int:
    return sum(1 for o in itertools.accumulate(old) if o <= position)


def _piece_slices(pieces: Any) -> tuple:
    """The slices of one input block that pieces ``(block, start, stop, whole)`` (one per axis) take."""
    return tuple(slice(None) if p[3] else slice(p[1], p[2]) for p in pieces)  # whole: length maybe unknown


def _nest(array: ArrayExpr, per_dim: list, prefix: tuple, resolve: Any) -> Any:
    d = len(prefix)
    if d == len(per_dim):
        return (chunkfn.getitem, resolve(array, tuple(p[0] for p in prefix)), _piece_slices(prefix))
    return [_nest(array, per_dim, (*prefix, piece), resolve) for piece in per_dim[d]]


def rechunk_expr(expr: ArrayExpr, chunks: tuple) -> ArrayExpr:
    """``Rechunk`` unless the chunks already match.

    Raises
    ------
    ValueError
        If a dimension with unknown block lengths would have to change, or would be given unknown ones.
    """
    if _chunks.same_chunks(chunks, expr.chunks):
        return expr
    joined = [d for d, (old, new) in enumerate(zip(expr.chunks, chunks))
              if _has_unknown(old) and len(new) == 1 and len(old) > 1]
    if joined:  # an unknown axis into one block: its blocks joined end to end (sort, unique, diff need them so)
        rest = tuple(tuple(old) if d in joined else new for d, (old, new) in enumerate(zip(expr.chunks, chunks)))
        return _joined_blocks(rechunk_expr(expr, rest), joined)
    for d, (old, new) in enumerate(zip(expr.chunks, chunks)):
        if not _chunks.same_dim(old, new) and (_has_unknown(old) or _has_unknown(new)):
            raise ValueError(f"cannot rechunk axis {d} from {old} to {new}: Chunks must be unchanging along "
                             "dimensions with missing values (block lengths unknown after a data-dependent "
                             "operation); call x.compute_chunk_sizes() first")
    # an unknown axis kept as it is: the same (nan) objects, so the layer maps its blocks one to one
    chunks = tuple(old if _chunks.same_dim(old, new) else tuple(new) for old, new in zip(expr.chunks, chunks))
    bound = runtime_bound(expr.backend)
    stages = plan_stages(expr.chunks, chunks, chunkfn.numpy_dtype(expr.dtype).itemsize, *bound)
    if len(stages) == 1:
        return Rechunk(expr, chunks)  # the common case: one all-to-all stage, as always
    return _staged(expr, stages, bound)


def _joined_blocks(expr: ArrayExpr, axes: list) -> ArrayExpr:
    """``expr`` with the blocks along ``axes`` (of unknown lengths) joined into one block each."""
    from gpuscale.array.expr import blockwise_expr

    in_ind = tuple(range(expr.ndim))
    out_ind = tuple(expr.ndim + d if d in axes else d for d in in_ind)  # new indices: the old ones are joined
    chunks = tuple(((math.nan,),) if d in axes else (c,) for d, c in enumerate(expr.chunks))
    return blockwise_expr(chunkfn.identity, out_ind, tuple(c[0] for c in chunks), expr.dtype, expr.backend, expr,
                          arg_inds=(in_ind,), concatenate=True)


def runtime_bound(backend: str) -> tuple[int, int]:
    """``(rechunk_max_mem(backend), threads of the runtime)``: what a rechunk is planned within."""
    from gpuscale.runtime.options import runtime_threads

    return rechunk_max_mem(backend), runtime_threads()


def rechunk_max_mem(backend: str) -> int:
    """The bytes a rechunk's tasks running at once may gather: ``array.rechunk.max_mem``, or by default four
    blocks of ``array.chunk_bytes`` for ``backend``, at most the runtime's ``memory_limit`` (the one given to
    the compute call being planned, else the configured one, else the runtime's default under a cgroup limit:
    ``gpuscale.runtime.options``)."""
    from gpuscale import config
    from gpuscale.array.creation_common import chunk_bytes
    from gpuscale.runtime.options import runtime_memory_limit

    chosen = config.get("array.rechunk.max_mem")
    if chosen is not None:
        return chosen
    bound = 4 * chunk_bytes(backend)
    limit = runtime_memory_limit()
    return bound if limit is None else min(bound, limit)


def align_chunks(exprs: list[ArrayExpr], ndim: int, op: str = "operation") -> list[ArrayExpr]:
    """Rechunk broadcasting operands so their blocks line up (dimensions counted from the right).

    Along an axis with unknown block lengths nothing can be rechunked: the operands must already line
    up (see ``_unknown_target``).  An operand of length 1 is broadcast: it becomes one block.

    Raises
    ------
    ValueError
        Naming ``op``, when blocks of unknown length cannot be shown to line up.
    """
    from gpuscale.array.interop import warn_block_growth

    targets = [_target(exprs, ndim, d, op) for d in range(ndim)]
    out = []
    for e in exprs:
        new = tuple((1,) if e.shape[d] == 1 else targets[d - e.ndim + ndim] or e.chunks[d] for d in range(e.ndim))
        out.append(rechunk_expr(e, new))
    if any(targets):
        blocks = 1
        for d in range(ndim):
            blocks *= max((len(o.chunks[d - ndim + o.ndim]) for o in out if d - ndim + o.ndim >= 0), default=1)
        warn_block_growth(max(math.prod(e.numblocks) for e in exprs), blocks, op, stacklevel=5)
    return out


def unknown_axes(exprs: list[ArrayExpr], ndim: int) -> list[tuple[int, list[int]]]:
    """Axes whose blocks of unknown length are assumed to line up over several blocks, with the operands
    (positions in ``exprs``) that meet there: ``[(axis counted from the right, positions)]``.

    Nothing proves those lengths equal, so the block function must check them (a block of length 1
    would otherwise broadcast silently against a longer one).
    """
    out = []
    for d in range(ndim):
        dims = _non_broadcast(exprs, ndim, d)
        if len(dims) > 1 and any(_has_unknown(c) for _, c in dims) and len(dims[0][1]) > 1:
            out.append((d - ndim, [i for i, _ in dims]))
    return out


def _non_broadcast(exprs: list[ArrayExpr], ndim: int, d: int) -> list[tuple[int, tuple]]:
    """``(position, chunks along d)`` of the operands that have axis ``d`` and are not broadcast along it."""
    return [(i, e.chunks[d - ndim + e.ndim]) for i, e in enumerate(exprs)
            if d - ndim + e.ndim >= 0 and e.shape[d - ndim + e.ndim] != 1]


def _fixed(exprs: list[ArrayExpr], ndim: int, d: int) -> list[tuple[int, tuple]]:
    """``_non_broadcast`` less the operands free to take any blocks along ``d`` (planned takes), unless all are:
    ``x - clim.take(codes)`` keeps ``x``'s blocks and plans the take in them (no rechunk of either)."""
    dims = _non_broadcast(exprs, ndim, d)
    fixed = [(i, c) for i, c in dims if d - ndim + exprs[i].ndim not in exprs[i]._free_chunk_axes()]
    return fixed or dims


def _target(exprs: list[ArrayExpr], ndim: int, d: int, op: str) -> tuple | None:
    """The chunks every non-broadcast operand gets along ``d`` (None: each keeps its own)."""
    dims = [c for _, c in _fixed(exprs, ndim, d)]
    if not dims:
        return None
    if any(_has_unknown(c) for c in dims):
        return _unknown_target(dims, d, exprs, op)
    return _chunks.common_chunks(dims)


def _unknown_target(dims: list[tuple], axis: int, exprs: list[ArrayExpr], op: str) -> None:
    # one block each: the block function sees whole operands and broadcasts them as NumPy would;
    # all unknown with as many blocks: assumed to line up, as in dask (checked when computed)
    if all(len(c) == 1 for c in dims):
        return None
    if all(_has_unknown(c) for c in dims) and len({len(c) for c in dims}) == 1:
        return None
    shapes = ", ".join(f"{e.shape} with chunks {e.chunks}" for e in exprs)
    # dask's words first ("Arrays' chunk sizes are unknown"), which ported code may match
    raise ValueError(f"Arrays' chunk sizes are unknown: {op} cannot line up arrays of unknown block lengths along "
                     f"axis {axis} (after a data-dependent operation such as boolean indexing): {shapes}; call "
                     ".compute_chunk_sizes() on the arrays with nan lengths first")


def _has_unknown(dim: tuple) -> bool:
    return any(_chunks.is_unknown(c) for c in dim)
