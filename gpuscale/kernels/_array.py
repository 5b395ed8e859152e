"""Kernels on ``gpuscale.array`` arrays, through the public ``blockwise`` and a halo expression."""

from __future__ import annotations

import string
from typing import Any

from gpuscale.kernels import _numba
from gpuscale.kernels.errors import KernelTypeError

__all__ = ["elementwise", "stencil", "gufunc"]

LETTERS = string.ascii_lowercase


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


def _is_array(obj: Any) -> bool:
    return isinstance(obj, _ga().Array)


def _meta(obj: Any, shape: tuple | None = None) -> Any:
    """A zero-size NumPy stand-in for an array argument (other arguments unchanged)."""
    if not _is_array(obj):
        return obj
    np = _numba.numpy()
    return np.empty(shape if shape is not None else (0,) * obj.ndim, dtype=obj.dtype)


def check_backend(kernel: Any, arrays: list) -> None:
    """On a GPU backend, fail now (not in a worker) if numba-cuda is missing."""
    from gpuscale.backends import family_of

    if any(family_of(a.backend) == "gpu" for a in arrays):
        _numba.cuda(kernel.name)


def elementwise(kernel: Any, args: tuple) -> Any:
    """``kernel(*args)`` block by block, arrays broadcast against each other."""
    arrays = [a for a in args if _is_array(a)]
    check_backend(kernel, arrays)
    shapes = [a.shape for a in args if _is_array(a) or getattr(a, "ndim", 0)]
    try:
        _numba.numpy().broadcast_shapes(*shapes)
    except ValueError as exc:
        raise ValueError(f"kernel {kernel.name!r}: {exc}") from None
    dtype = kernel.result_dtype(*(_meta(a) for a in args))
    ndim = max(a.ndim for a in arrays)
    pairs: list = []
    for a in args:
        pairs += [a, LETTERS[ndim - a.ndim: ndim]] if _is_array(a) else [a, None]
    return _ga().blockwise(kernel.chunk_function(), LETTERS[:ndim], *pairs, dtype=dtype)


def stencil(kernel: Any, args: tuple) -> Any:
    """A stencil over chunked arrays; blocks exchange halos of the kernel's depth."""
    from gpuscale.array.core import Array
    from gpuscale.kernels._overlap import StencilBlocks

    kernel._check_arity(args)
    positions = [i for i, (a, p) in enumerate(zip(args, kernel.source.params))
                 if _is_array(a) and p not in kernel.options["standard_indexing"]]
    if not positions:
        raise KernelTypeError(f"stencil {kernel.name!r} needs a gpuscale array for a relatively indexed argument")
    arrays = [args[i] for i in positions]
    check_backend(kernel, arrays)
    first = arrays[0]
    if any(a.shape != first.shape for a in arrays):
        raise KernelTypeError(f"stencil {kernel.name!r}: array arguments must have one shape, got "
                              f"{[a.shape for a in arrays]}")
    _check_ndim(kernel, first)
    depth = kernel.depth
    dtype = kernel.result_dtype(*(_meta(a, (1,) * a.ndim) for a in args))
    literals = tuple((i, _literal(kernel, a)) for i, a in enumerate(args) if i not in positions)
    chunks = halo_chunks(first.chunks, depth)
    exprs = [(_ga().rechunk(a, chunks) if a.chunks != chunks else a)._expr for a in arrays]
    return Array(StencilBlocks(kernel, depth, dtype, literals, *exprs))


def _literal(kernel: Any, arg: Any) -> Any:
    if _is_array(arg):  # a small standard-indexing array: every block task needs all of it
        return arg.compute()
    return arg


def _check_ndim(kernel: Any, array: Any) -> None:
    if kernel.source.ndim != array.ndim:
        raise KernelTypeError(f"stencil {kernel.name!r} indexes {kernel.source.ndim} axes; the array has "
                              f"{array.ndim}")


def halo_chunks(chunks: tuple, depth: tuple) -> tuple:
    """``chunks`` with every block smaller than the halo merged into its neighbour.

    A halo is cut from the adjacent block only, so each block must be at least
    ``depth`` long on its axis.
    """
    return tuple(_merge_small(axis_chunks, d) for axis_chunks, d in zip(chunks, depth))


def _merge_small(axis_chunks: tuple, depth: int) -> tuple:
    merged: list[int] = []
    for size in axis_chunks:
        if merged and (size < depth or merged[-1] < depth):
            merged[-1] += size
        else:
            merged.append(size)
    return tuple(merged)


def gufunc(kernel: Any, args: tuple) -> Any:
    """A generalized ufunc over arrays: core axes are made whole, loop axes stay chunked."""
    layout = kernel.layout
    if len(args) != len(layout.inputs):
        raise TypeError(f"kernel {kernel.name!r} takes {len(layout.inputs)} inputs, got {len(args)}")
    if len(layout.outputs) != 1:
        raise KernelTypeError(f"kernel {kernel.name!r}: lazy calls support one output, not {len(layout.outputs)}")
    arrays = [a for a in args if _is_array(a)]
    check_backend(kernel, arrays)
    loop_ndim = max(getattr(a, "ndim", 0) - len(core) for a, core in zip(args, layout.inputs))
    loop_letters = LETTERS[:loop_ndim]
    symbols = {s: LETTERS[loop_ndim + k] for k, s in enumerate(sorted({s for c in layout.inputs for s in c}))}
    pairs, metas = [], []
    for a, core in zip(args, layout.inputs):
        if not _is_array(a):
            pairs += [a, None]
            metas.append(a)
            continue
        a = _whole_core(a, len(core))
        loop = a.ndim - len(core)
        pairs += [a, loop_letters[loop_ndim - loop:] + "".join(symbols[s] for s in core)]
        metas.append(_meta(a, (0,) * loop + a.shape[loop:]))
    (dtype, out_core), = kernel.result_meta(*metas)
    out_ind = loop_letters + "".join(symbols[s] for s in layout.outputs[0])
    return _ga().blockwise(kernel.chunk_function(), out_ind, *pairs, dtype=dtype)


def _whole_core(array: Any, ncore: int) -> Any:
    if ncore == 0 or all(len(c) == 1 for c in array.chunks[array.ndim - ncore:]):
        return array
    return _ga().rechunk(array, {axis: -1 for axis in range(array.ndim - ncore, array.ndim)})
