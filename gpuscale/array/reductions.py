"""Tree reductions and scans as expressions.

``Reduction`` is abstract; lowering turns it into a ``Blockwise`` chunk step
(which fuses with the element-wise work before it), a few ``TreeReduce``
combine levels (each merging at most ``split_every`` blocks) and a final
aggregate.  Partial results are tuples of arrays (``(count, mean, M2)`` for
the variance), so merges are exact and numerically stable.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.expr import ArrayExpr, BlockIndex, Blockwise, blockwise_expr
from gpuscale.array.scan import cumreduction  # noqa: F401  (dask.array.reductions.cumreduction)
from gpuscale.backends import array as chunkfn
from gpuscale.backends.array import _reductions as chunkfn_reductions

__all__ = ["Reduction", "TreeReduce", "Cumulative", "SPLIT_EVERY", "numel", "nannumel", "cumreduction"]

SPLIT_EVERY = 8  # blocks merged per combine task (over all reduced axes)
# reductions whose chunk step computes in the result dtype / reports positions (needs block offsets)
_TYPED_KINDS = ("sum", "prod", "mean", "var", "nansum", "nanprod", "nanmean", "nanvar")
_INDEX_KINDS = ("argmax", "argmin", "nanargmax", "nanargmin")
# reductions whose result does not depend on the order of the elements (up to floating-point rounding)
_ORDERLESS_KINDS = ("sum", "prod", "mean", "var", "min", "max", "any", "all", "count_nonzero", "nansum", "nanprod",
                    "nanmean", "nanvar", "nanmin", "nanmax")


def numel(x: Any, axis: Any = None, keepdims: bool = False, dtype: Any = None) -> Any:
    """Number of elements of a block along ``axis``, shaped as a reduction of it, as
    ``dask.array.reductions.numel``: a helper for the ``chunk`` functions of :func:`gpuscale.array.reduction`.

    Parameters
    ----------
    x : array
        One block (a NumPy or CuPy array).
    axis : int or tuple of int, optional
        The counted axes (all when None).
    keepdims : bool
        Keep the counted axes with length one.
    dtype : dtype, optional
        Of the counts (default ``float64``, as dask).

    Examples
    --------
    >>> import numpy as np
    >>> from gpuscale.array.reductions import numel
    >>> numel(np.ones((2, 3)), axis=1, dtype="i8").tolist()
    [3, 3]
    """
    return chunkfn_reductions.numel(x, axis=axis, keepdims=keepdims, dtype=dtype)


def nannumel(x: Any, axis: Any = None, keepdims: bool = False, dtype: Any = None) -> Any:
    """Number of non-NaN elements of a block along ``axis``, as ``dask.array.reductions.nannumel`` (see
    :func:`numel`).

    Examples
    --------
    >>> import numpy as np
    >>> from gpuscale.array.reductions import nannumel
    >>> nannumel(np.array([[1.0, np.nan], [np.nan, np.nan]]), axis=1).tolist()
    [1, 0]
    """
    return chunkfn_reductions.nannumel(x, axis=axis, keepdims=keepdims, dtype=dtype)


def _reduced_chunks(chunks: tuple, axis: tuple, keepdims: bool, size: int = 1) -> tuple:
    if keepdims:
        return tuple((size,) if d in axis else c for d, c in enumerate(chunks))
    return tuple(c for d, c in enumerate(chunks) if d not in axis)


class Reduction(ArrayExpr):
    """Reduce ``array`` over ``axis`` with one of the reductions of ``backends.array.reduce_chunk``."""

    # quiet: the NaN reductions' all-NaN-slice RuntimeWarning was ignored where the reduction was built
    _parameters = ["array", "kind", "axis", "keepdims", "dtype_", "split_every", "correction", "output_size",
                   "weights", "quiet"]
    _defaults = {"split_every": None, "correction": 0.0, "output_size": 1, "weights": None, "quiet": False}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # per axis, so that ways of writing the same tree give one name (split_every=2 and {0: 2} of a 1-d
        # array): the keys of equal reductions are equal, as dask's
        position = self._parameters.index("split_every")
        if self.operands[position] is not None:
            self.operands[position] = _per_axis(self.operands[position], tuple(self.axis))

    @functools.cached_property
    def chunks(self) -> tuple:
        return _reduced_chunks(self.array.chunks, self.axis, self.keepdims, self.output_size)

    @property
    def _funcname(self) -> str:
        return _kind_name(self.kind)

    @property
    def exact_chunks(self) -> bool:
        # a user reduction's blocks may differ from the declared chunks (dask tolerates it): compute() then
        # joins the blocks it gets rather than writing them into a result allocated from the metadata
        return not isinstance(self.kind, chunkfn.UserReduction)

    @functools.cached_property
    def dtype(self) -> Any:
        return chunkfn.numpy_dtype(self.dtype_)

    def _tree_label(self) -> str:
        return f"Reduction({self.kind}, axis={self.axis}): shape={self.shape}"

    def _simplify_down(self) -> ArrayExpr | None:
        # reduce through a transpose (contiguous reads).  (Not split over a float add/subtract: sum(x) - sum(y)
        # cancels where x - y is small, and float32 sums of large values overflow where their difference does not)
        if self.kind in _ORDERLESS_KINDS and self.split_every is None:
            out = _through_take(self)
            if out is not None:
                return out
        if self.kind not in ("sum", "mean") or self.split_every is not None:
            return None
        return _through_transpose(self)

    def _with_array(self, array: ArrayExpr, axis: tuple) -> "Reduction":
        return Reduction(array, self.kind, axis, keepdims=self.keepdims, dtype_=self.dtype_, split_every=None,
                         correction=self.correction, quiet=self.quiet)

    def _lower(self) -> ArrayExpr:
        x, axis, size = self.array, self.axis, self.output_size
        ind = tuple(range(x.ndim))
        partial_chunks = tuple(tuple(size for _ in c) if d in axis else c for d, c in enumerate(x.chunks))
        if isinstance(self.kind, chunkfn.UserReduction):
            operands = (x,) if self.weights is None else (x, self.weights)
            expr: ArrayExpr = blockwise_expr(chunkfn_reductions.user_chunk, ind, partial_chunks, self.dtype_,
                                             x.backend, self.kind, *operands,
                                             arg_inds=(None,) + (ind,) * len(operands), kwargs={"axis": axis})
        else:
            inner_dtype = self.dtype_ if self.kind in _TYPED_KINDS else None
            offsets = tuple(_chunks.offsets(x.chunks[axis[0]])) if self.kind in _INDEX_KINDS else ()
            expr = blockwise_expr(chunkfn.reduce_chunk, ind, partial_chunks, self.dtype_, x.backend, self.kind, x,
                                  axis, inner_dtype, offsets, BlockIndex(),
                                  arg_inds=(None, ind, None, None, None, None))
        groups = group_sizes(self.split_every, axis)
        common = {"keepdims": self.keepdims, "correction": self.correction, "dtype_": self.dtype_,
                  "output_size": size, "quiet": self.quiet}
        while any(expr.numblocks[a] > n for a, n in groups.items()):
            expr = TreeReduce(expr, self.kind, axis, group=tuple(sorted(groups.items())), final=False, **common)
        return TreeReduce(expr, self.kind, axis, group=None, final=True, **common)


def _ported_split_every() -> Any:
    """dask's ``split_every`` config (``dask.config.set(split_every=...)`` in ported code: an int or a dict of
    axis -> int), else None; read only if dask is already imported, so gpuscale's import stays light."""
    import sys

    dask_config = sys.modules.get("dask.config")
    return None if dask_config is None else dask_config.get("split_every", None)


def group_sizes(split_every: Any, axis: tuple) -> dict:
    """Blocks merged per combine task along each reduced axis, from dask's ``split_every`` (an int for all
    reduced axes together, or a dict per axis; 1 along an axis: merged only by the final step); None: dask's
    ``split_every`` config where ported code set it, else :data:`SPLIT_EVERY`."""
    if split_every is None:
        split_every = _ported_split_every() or SPLIT_EVERY
    return {a: n for a, n in _per_axis(split_every, axis).items() if n > 1}


def _per_axis(split_every: Any, axis: tuple) -> dict:
    """``split_every`` (an int or a dict) as the number of blocks merged along each of the reduced axes."""
    if isinstance(split_every, dict):
        groups = {a: int(split_every.get(a, 2)) for a in axis}
    elif isinstance(split_every, int) and not isinstance(split_every, bool):
        groups = dict.fromkeys(axis, max(int(split_every ** (1 / max(len(axis), 1))), 2))
    else:
        raise ValueError(f"split_every must be an int or a dict of axis -> int, not {split_every!r}")
    if any(n < 1 for n in groups.values()):
        raise ValueError(f"split_every must be at least 1 along every axis, not {split_every!r}")
    return groups


class TreeReduce(ArrayExpr):
    """One level of a tree reduction: merge groups of ``group`` blocks along the reduced axes.

    With ``final`` all remaining blocks along the axes are merged and the
    reduction finished (``reduce_aggregate``).
    """

    _parameters = ["array", "kind", "axis", "group", "final", "keepdims", "correction", "dtype_", "output_size",
                   "quiet"]
    _defaults = {"output_size": 1, "quiet": False}

    @functools.cached_property
    def chunks(self) -> tuple:
        if self.final:
            return _reduced_chunks(self.array.chunks, self.axis, self.keepdims, self.output_size)
        return tuple((self.output_size,) * math.ceil(len(c) / self._group_size(d)) if d in self.axis else c
                     for d, c in enumerate(self.array.chunks))

    @property
    def _funcname(self) -> str:
        return _kind_name(self.kind) + ("-aggregate" if self.final else "-partial")

    @functools.cached_property
    def dtype(self) -> Any:
        return chunkfn.numpy_dtype(self.dtype_)

    def _group_size(self, d: int) -> int:
        # ``group``: (axis, blocks merged) pairs; an axis not listed is merged only by the final step
        return self.array.numblocks[d] if self.final else dict(self.group).get(d, 1)

    def _input_index(self, out_index: tuple) -> list:
        """Per input dimension: the fixed block, or the range of blocks merged (reduced axes)."""
        per_dim = []
        for size, n, position in self._dim_plan:
            if size is None:
                per_dim.append(out_index[position])
            else:
                i = 0 if position is None else out_index[position]
                per_dim.append(range(i * size, min((i + 1) * size, n)))
        return per_dim

    @functools.cached_property
    def _dim_plan(self) -> tuple:
        # per input dimension, worked out once (not per block: 10,000 blocks asked each operand by name per
        # dimension): (blocks merged or None where kept, its blocks, where its output block number is)
        axis, final, numblocks = self.axis, self.final, self.array.numblocks
        plan, position = [], 0
        for d in range(self.array.ndim):
            if d in axis:
                plan.append((self._group_size(d), numblocks[d], None if final else position))
                position += bool(not final or self.keepdims)
            else:
                plan.append((None, numblocks[d], position))
                position += 1
        return tuple(plan)

    def _layer(self) -> dict:
        if self.final:
            head, tail = (chunkfn.reduce_aggregate, self.kind), (self.axis, self.keepdims, self.correction,
                                                                 self.dtype_, self.quiet)
        else:
            head, tail = (chunkfn.reduce_combine, self.kind), (self.axis,)
        name = self.array._name
        return {self.key(index): (*head, _nested_keys(name, self._input_index(index), ()), *tail)
                for index in _chunks.block_indices(self.numblocks)}


def _nested_keys(name: str, per_dim: list, prefix: tuple) -> Any:
    """The keys ``(name, *block)`` of the blocks ``per_dim`` picks (a block number, or a range: a list level)."""
    d = len(prefix)
    if d == len(per_dim):
        return (name, *prefix)
    if type(per_dim[d]) is range:
        return [_nested_keys(name, per_dim, (*prefix, i)) for i in per_dim[d]]
    return _nested_keys(name, per_dim, (*prefix, per_dim[d]))



def _kind_name(kind: Any) -> str:
    """The name prefix of a reduction's expressions: ``sum-...``, or a user reduction's ``name=``."""
    if isinstance(kind, str):
        return kind
    func = kind.aggregate.func if isinstance(kind.aggregate, functools.partial) else kind.aggregate
    return kind.name or getattr(func, "__name__", "reduction").lower().replace("_", "-")


class Cumulative(ArrayExpr):
    """``cumulative_sum`` / ``cumulative_prod`` along one axis: each block continues from the previous one."""

    _parameters = ["array", "kind", "axis", "dtype_"]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.array.chunks

    @functools.cached_property
    def dtype(self) -> Any:
        return chunkfn.numpy_dtype(self.dtype_)

    def _layer(self) -> dict:
        layer, carry_name = {}, self._name + "-carry"
        for index in _chunks.block_indices(self.numblocks):
            carry, i = None, index[self.axis]
            if i > 0:  # the running total after the previous block (an empty one hands its own carry on)
                previous = index[: self.axis] + (i - 1,) + index[self.axis + 1:]
                carry = (carry_name, *index)
                layer[carry] = (chunkfn.last_along, self.key(previous), self.axis,
                                (carry_name, *previous) if i > 1 else None)
            layer[self.key(index)] = (chunkfn.cumulative_block, self.kind, self.array.key(index), self.axis,
                                      self.dtype_, carry)
        return layer


def _namespace_call(expr: ArrayExpr, names: tuple) -> bool:
    return isinstance(expr, Blockwise) and expr.func is chunkfn.xp_call and bool(expr.args) and \
        expr.args[0] in names


def _through_take(red: Reduction) -> ArrayExpr | None:
    # a reduction over the rows a planned take gathers (xarray's groupby: x.isel(time=days of a month).mean())
    # reads them where they are, block by block, instead of gathering copies
    from gpuscale.array.gather import TakeBlocks

    x = red.array
    if not isinstance(x, TakeBlocks) or x.axis not in red.axis:
        return None
    aligned = x.in_input_order()
    return None if aligned is x else red._with_array(aligned, red.axis)


def _through_transpose(red: Reduction) -> ArrayExpr | None:
    x = red.array
    if not _namespace_call(x, ("permute_dims",)) or red.keepdims:
        return None
    axes = x.kwargs["axes"]
    kept = [axes[d] for d in range(len(axes)) if d not in red.axis]
    if kept != sorted(kept):
        return None  # the result would need a transpose of its own
    return red._with_array(x.args[1], tuple(sorted(axes[d] for d in red.axis)))
