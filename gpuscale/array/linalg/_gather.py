"""Gathered linear algebra: ``xp.linalg.<name>`` on whole matrices, in one task.

The standard's ``linalg`` functions without a chunked algorithm rechunk their input into one block and run
the backend's function on it (they are meant for small matrices); a function with several outputs gives one
Array per output, each picked from that one task's result.
"""

from __future__ import annotations

from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.expr import Blockwise, blockwise_expr
from gpuscale.backends import array as chunkfn


def gathered(name: str, arrays: list, shapes: list[tuple], **kwargs: Any) -> Any:
    """Run ``xp.linalg.<name>`` on whole arrays in one task; one Array per output."""
    from gpuscale.array.manipulation import rechunk

    array_kwargs = {k: v for k, v in kwargs.items() if isinstance(v, Array)}
    kwargs = {k: v for k, v in kwargs.items() if k not in array_kwargs}
    arrays = list(arrays) + list(array_kwargs.values())
    whole = [rechunk(a, tuple((n,) for n in a.shape)) for a in arrays]
    dtypes = chunkfn.meta_call(arrays[0].backend, f"linalg.{name}",
                               *[chunkfn.Meta(a.dtype, a.ndim) for a in arrays[: len(arrays) - len(array_kwargs)]],
                               **kwargs)
    dtypes = dtypes if isinstance(dtypes, list) else [dtypes]
    inds = (None, None) + tuple(tuple(range(1000 * (i + 1), 1000 * (i + 1) + a.ndim)) for i, a in enumerate(whole))
    out_shape = shapes[0] if len(shapes) == 1 else ()
    node = blockwise_expr(chunkfn.call_with_array_kwargs, tuple(range(len(out_shape))),
                          tuple((n,) for n in out_shape), dtypes[0], arrays[0].backend, f"linalg.{name}",
                          tuple(array_kwargs), *(w._expr for w in whole), arg_inds=inds, kwargs=kwargs)
    if len(shapes) == 1:
        return Array(node)
    return [pick(node, i, shape, dtype) for i, (shape, dtype) in enumerate(zip(shapes, dtypes))]


def pick(node: Blockwise, i: int, shape: tuple, dtype: Any) -> Array:
    picked = blockwise_expr(chunkfn.pick, tuple(range(len(shape))), tuple((n,) for n in shape), dtype, node.backend,
                            node, i, arg_inds=((), None))
    return Array(picked)


def check_matrices(x: Array, name: str) -> None:
    # dask's words for a 0-d or 1-d input ("Array must be 2D"); gpuscale also takes stacks of matrices
    if x.ndim < 2:
        raise ValueError(f"linalg.{name}: Array must be 2D (or a stack of matrices), got shape {x.shape}")


def check_square(x: Array, name: str) -> None:
    from gpuscale.backends.array._errors import NumpyLinAlgError

    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:  # NumPy's LinAlgError (a ValueError, as dask's error)
        raise NumpyLinAlgError(f"linalg.{name} needs (a stack of) square matrices, got shape {x.shape}")
