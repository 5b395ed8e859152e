"""Masked arrays: ``gpuscale.array.ma``, dask.array's ``da.ma``, block by block on ``numpy.ma`` chunks.

Each function makes blocks that are NumPy masked arrays (or reads their masks); the other
functions of :mod:`gpuscale.array` then keep the masks as ``numpy.ma`` does: element-wise
functions mask where an operand is masked, reductions skip masked elements (a reduction of
only masked elements is ``numpy.ma.masked``) and ``compute()`` returns a masked array.
Only NumPy has masked arrays: the functions refuse CuPy and array-api-strict arrays.

Examples
--------
>>> import numpy as np, gpuscale.array as ga
>>> x = ga.from_array(np.array([1, -2, 3, -4]), chunks=2)
>>> m = ga.ma.masked_less(x, 0)
>>> m.compute()
masked_array(data=[1, --, 3, --],
             mask=[False,  True, False,  True],
       fill_value=999999)
>>> int(m.sum().compute()), ga.ma.filled(m, 0).compute().tolist()
(4, [1, 0, 3, 0])
"""

from __future__ import annotations

from typing import Any

from gpuscale.array.core import Array, is_array
from gpuscale.backends import array as chunkfn

__all__ = [
    "filled", "masked_greater", "masked_greater_equal", "masked_less", "masked_less_equal", "masked_not_equal",
    "masked_equal", "masked_invalid", "masked_inside", "masked_outside", "masked_where", "masked_values",
    "fix_invalid", "getdata", "getmaskarray", "masked_array", "set_fill_value", "average", "count", "ones_like",
    "zeros_like", "empty_like", "nonzero", "where",
]


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


def _array(a: Any, what: str, backend: str | None = None) -> Array:
    """``a`` as a gpuscale array whose chunks can be masked (NumPy's)."""
    out = a if is_array(a) else _ga().asarray(a, backend=backend)
    chunkfn.check_masked_backend(out.backend, what)
    return out


def _array_like(value: Any) -> bool:
    """Whether ``value`` is an array operand (an array, or a list or tuple NumPy reads as one), not a scalar."""
    return hasattr(value, "shape") or isinstance(value, (list, tuple))


def _blocks(name: str, a: Array, *args: Any, dtype: Any = None, **kwargs: Any) -> Array:
    """``numpy.ma.<name>(block, *args, **kwargs)`` on every block of ``a``."""
    return _ga().map_blocks(chunkfn.masked_call, name, a, *args, dtype=a.dtype if dtype is None else dtype,
                            **kwargs)


def _broadcasting(name: str, *args: Any, dtype: Any) -> Array:
    """``numpy.ma.<name>`` of several operands, broadcast against each other (blocks aligned)."""
    from gpuscale.array.elementwise import broadcast_shapes
    from gpuscale.array.expr import blockwise_expr, elementwise_chunks
    from gpuscale.array.rechunk import align_chunks

    arrays = [a for a in args if is_array(a)]
    ndim = len(broadcast_shapes(*(a.shape for a in arrays)))
    aligned = iter(align_chunks([a._expr for a in arrays], ndim, name))
    exprs = [next(aligned) if is_array(a) else a for a in args]
    chunks = elementwise_chunks([e.chunks for e in exprs if hasattr(e, "chunks")])
    inds = [tuple(range(ndim - e.ndim, ndim)) if hasattr(e, "chunks") else None for e in exprs]
    node = blockwise_expr(chunkfn.masked_call, tuple(range(ndim)), chunks, chunkfn.numpy_dtype(dtype),
                          arrays[0].backend, name, *exprs, arg_inds=(None, *inds))
    return Array(node)


def _no_array_value(value: Any, what: str) -> None:
    # NumPy makes such a value the fill value, which must be one scalar for the whole array
    if getattr(value, "shape", ()):
        raise ValueError(f"gpuscale.array.ma.{what} needs a scalar value (NumPy would make an array value the "
                         "fill value, which is one scalar for all blocks)")


def filled(a: Any, fill_value: Any = None) -> Array:
    """The data with masked elements replaced by ``fill_value`` (None: each block's fill value), as
    ``numpy.ma.filled``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> m = ga.ma.masked_equal(ga.from_array(np.array([1, 0, 2]), chunks=2), 0)
    >>> ga.ma.filled(m, -1).compute().tolist()
    [1, -1, 2]
    """
    return _blocks("filled", _array(a, "filled"), fill_value=fill_value)


def _comparison(name: str) -> Any:
    def masked(a: Any, value: Any) -> Array:
        a = _array(a, name)
        value = _array(value, name, a.backend) if _array_like(value) else value  # (blocks aligned with a's)
        return _broadcasting(name, a, value, dtype=a.dtype)

    masked.__name__ = masked.__qualname__ = name
    op = name.removeprefix("masked_").replace("_", " ")
    masked.__doc__ = f"""``a`` masked where it is {op} ``value`` (which may be an array broadcast against ``a``), as
    ``numpy.ma.{name}``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = ga.from_array(np.array([1, 2, 3, 4]), chunks=2)
    >>> ga.ma.getmaskarray(ga.ma.{name}(x, 2)).compute().tolist() == np.ma.getmaskarray(
    ...     np.ma.{name}(np.array([1, 2, 3, 4]), 2)).tolist()
    True
    """
    return masked


masked_greater = _comparison("masked_greater")
masked_greater_equal = _comparison("masked_greater_equal")
masked_less = _comparison("masked_less")
masked_less_equal = _comparison("masked_less_equal")
masked_not_equal = _comparison("masked_not_equal")


def masked_equal(a: Any, value: Any) -> Array:
    """``a`` masked where it equals the scalar ``value`` (also its fill value), as ``numpy.ma.masked_equal``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> ga.ma.masked_equal(ga.from_array(np.array([0, 1, 0]), chunks=2), 0).compute().mask.tolist()
    [True, False, True]
    """
    _no_array_value(value, "masked_equal")
    return _blocks("masked_equal", _array(a, "masked_equal"), value)


def masked_invalid(a: Any) -> Array:
    """``a`` masked where it is NaN or infinite, as ``numpy.ma.masked_invalid``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> ga.ma.masked_invalid(ga.from_array(np.array([1.0, np.nan, np.inf]))).compute().mask.tolist()
    [False, True, True]
    """
    return _blocks("masked_invalid", _array(a, "masked_invalid"))


def masked_inside(x: Any, v1: Any, v2: Any) -> Array:
    """``x`` masked inside the interval ``[v1, v2]``, as ``numpy.ma.masked_inside``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> ga.ma.masked_inside(ga.from_array(np.arange(5), chunks=2), 1, 3).compute().mask.tolist()
    [False, True, True, True, False]
    """
    return _blocks("masked_inside", _array(x, "masked_inside"), v1, v2)


def masked_outside(x: Any, v1: Any, v2: Any) -> Array:
    """``x`` masked outside the interval ``[v1, v2]``, as ``numpy.ma.masked_outside``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> ga.ma.masked_outside(ga.from_array(np.arange(5), chunks=2), 1, 3).compute().mask.tolist()
    [True, False, False, False, True]
    """
    return _blocks("masked_outside", _array(x, "masked_outside"), v1, v2)


def masked_where(condition: Any, a: Any) -> Array:
    """``a`` masked where ``condition`` (an array of ``a``'s shape, or a scalar) is true, as
    ``numpy.ma.masked_where``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = ga.from_array(np.arange(4), chunks=2)
    >>> ga.ma.masked_where(x % 2 == 1, x).compute().mask.tolist()
    [False, True, False, True]
    """
    a = _array(a, "masked_where")
    if _array_like(condition):  # (blocks aligned with a's)
        condition = _array(condition, "masked_where", a.backend)
    shape = getattr(condition, "shape", ())
    if shape and tuple(shape) != a.shape:
        raise IndexError(f"Inconsistent shape between the condition and the input (got {tuple(shape)} and "
                         f"{a.shape})")  # NumPy's error
    return _broadcasting("masked_where", condition, a, dtype=a.dtype)


def masked_values(x: Any, value: Any, rtol: float = 1e-05, atol: float = 1e-08, shrink: bool = True) -> Array:
    """``x`` masked where it is close to the scalar ``value`` (``isclose``), as ``numpy.ma.masked_values``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> ga.ma.masked_values(ga.from_array(np.array([1.0, 1.1, 2.0])), 1.1).compute().mask.tolist()
    [False, True, False]
    """
    _no_array_value(value, "masked_values")
    return _blocks("masked_values", _array(x, "masked_values"), value, rtol=rtol, atol=atol, shrink=shrink)


def fix_invalid(a: Any, fill_value: Any = None) -> Array:
    """``a`` with NaN and infinite values masked and replaced by ``fill_value`` in the data, as
    ``numpy.ma.fix_invalid``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> out = ga.ma.fix_invalid(ga.from_array(np.array([1.0, np.nan])), fill_value=0).compute()
    >>> out.mask.tolist(), out.data.tolist()
    ([False, True], [1.0, 0.0])
    """
    return _blocks("fix_invalid", _array(a, "fix_invalid"), fill_value=fill_value)


def getdata(a: Any) -> Array:
    """The data of a masked array, masked elements included (plain blocks unchanged), as
    ``numpy.ma.getdata``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> ga.ma.getdata(ga.ma.masked_equal(ga.from_array(np.array([0, 1])), 0)).compute().tolist()
    [0, 1]
    """
    return _blocks("getdata", _array(a, "getdata"))


def getmaskarray(a: Any) -> Array:
    """The mask as a full boolean array (all False for blocks without one), as ``numpy.ma.getmaskarray``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> ga.ma.getmaskarray(ga.from_array(np.array([0, 1]))).compute().tolist()
    [False, False]
    """
    return _blocks("getmaskarray", _array(a, "getmaskarray"), dtype=chunkfn.numpy_dtype("bool"))


def masked_array(data: Any, mask: Any = None, fill_value: Any = None, *, dtype: Any = None,
                 chunks: Any = "auto", keep_mask: bool = True, hard_mask: Any = None, copy: bool = False,
                 **kwargs: Any) -> Array:
    """A masked array of ``data`` and ``mask`` (same shape, or one value for all), as ``numpy.ma.masked_array``.

    Parameters
    ----------
    data : array_like or Array
        The values.
    mask : array_like or Array, optional
        True where masked; None (or ``numpy.ma.nomask``): nothing masked.
    fill_value : scalar or 0-d Array, optional
        Value of masked elements in ``filled``; None: NumPy's default for the dtype.
    dtype : dtype, optional
        The result's dtype (default: ``data``'s).
    chunks : optional
        Blocks of ``data`` when it is not a gpuscale array yet.
    keep_mask : bool, default True
        Whether ``mask`` is added to the mask ``data`` already has (False: it replaces it).
    hard_mask : bool, optional
        Whether the blocks' masks are hard (assigning to a masked element leaves it masked).
    copy : bool, default False
        Whether the blocks copy their data (as NumPy's).
    **kwargs
        Further keywords of :func:`gpuscale.array.map_blocks` (``name`` ...).

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> m = ga.ma.masked_array(np.arange(4), mask=[1, 0, 0, 1], chunks=2)
    >>> m.compute().mask.tolist(), int(m.sum())
    ([True, False, False, True], 3)
    """
    if getattr(fill_value, "shape", ()):
        raise ValueError("gpuscale.array.ma.masked_array: fill_value must be a scalar (one for all blocks)")
    ga = _ga()
    data = _array(data if is_array(data) else ga.from_array(_host(data), chunks=chunks), "masked_array")
    operands: list = [data, None]
    if not chunkfn.is_no_mask(mask):
        mask = _array(mask, "masked_array", data.backend)
        if mask.size == 1:
            mask = ga.reshape(mask, (1,) * data.ndim)
        elif mask.shape != data.shape:
            raise chunkfn.mask_error(f"Mask and data not compatible: data shape is {data.shape}, and mask shape is "
                              f"{mask.shape}.")
        operands[1] = mask
    dtype = data.dtype if dtype is None else chunkfn.numpy_dtype(dtype)
    options = {"keep_mask": keep_mask, "hard_mask": hard_mask, "copy": copy}
    return ga.map_blocks(chunkfn.masked_block, *operands, fill_value, dtype, dtype=dtype, **options, **kwargs)


def _host(data: Any) -> Any:
    # lists become NumPy data, which from_array splits into blocks
    return data if hasattr(data, "shape") else chunkfn.asarray_eager(data, "numpy")


def set_fill_value(a: Array, fill_value: Any) -> None:
    """Set the fill value of masked array ``a`` in place (blocks without a mask are unchanged), as
    ``numpy.ma.set_fill_value``; NumPy's ``TypeError`` if the value does not fit the dtype.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> m = ga.ma.masked_equal(ga.from_array(np.array([0, 1])), 0)
    >>> ga.ma.set_fill_value(m, -9)
    >>> ga.ma.filled(m).compute().tolist()
    [-9, 1]
    """
    a = _array(a, "set_fill_value")
    _no_array_value(fill_value, "set_fill_value")
    value = chunkfn.checked_fill_value(fill_value, a.dtype)
    a._expr = a.map_blocks(chunkfn.with_fill_value, value, dtype=a.dtype)._expr


def average(a: Any, axis: Any = None, weights: Any = None, returned: bool = False, keepdims: bool = False) -> Any:
    """Weighted average of the unmasked elements, as ``numpy.ma.average`` (masked where all are masked).

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> m = ga.ma.masked_array(np.array([1.0, 2.0, 4.0]), mask=[0, 0, 1])
    >>> float(ga.ma.average(m, weights=ga.asarray([1.0, 3.0, 5.0])))
    1.75
    """
    ga = _ga()
    a = _array(a, "average")
    if weights is None:
        avg = ga.mean(a, axis=axis, keepdims=keepdims)
        return (avg, count(a, axis=axis, keepdims=keepdims).astype(avg.dtype)) if returned else avg
    w = _array(weights, "average", a.backend)
    w = _weights_like(ga, a, w, axis)
    w = ga.where(getmaskarray(a), 0, w)  # masked elements weigh nothing
    total = ga.sum(w, axis=axis, keepdims=keepdims)
    avg = ga.sum(a * w, axis=axis, keepdims=keepdims) / total
    return (avg, ga.broadcast_to(total, avg.shape)) if returned else avg


def _weights_like(ga: Any, a: Array, w: Array, axis: Any) -> Array:
    """1-d weights along ``axis`` broadcast to ``a``'s shape (NumPy's rules and errors)."""
    if w.shape == a.shape:
        return w
    if axis is None:
        raise TypeError("Axis must be specified when shapes of a and weights differ.")
    if w.ndim != 1 or not isinstance(axis, int):
        raise TypeError("1D weights expected when shapes of a and weights differ.")
    if w.shape[0] != a.shape[axis]:
        raise ValueError("Length of weights not compatible with specified axis.")
    w = ga.reshape(w, tuple(-1 if d == axis % a.ndim else 1 for d in range(a.ndim)))
    return ga.broadcast_to(w, a.shape)


def count(a: Any, axis: Any = None, keepdims: bool = False, split_every: Any = None) -> Array:
    """Number of unmasked elements along ``axis`` (all when None), as ``numpy.ma.count``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> m = ga.ma.masked_array(np.arange(6).reshape(2, 3), mask=[[1, 0, 0], [1, 1, 0]], chunks=1)
    >>> int(ga.ma.count(m)), ga.ma.count(m, axis=0).compute().tolist()
    (3, [0, 1, 2])
    """
    a = _array(a, "count")
    return _ga().reduction(a, chunkfn.count_block, chunkfn.sum_counts, combine=chunkfn.sum_counts, axis=axis,
                           keepdims=keepdims, dtype=chunkfn.numpy_dtype("intp"), split_every=split_every,
                           name="count")


def _like(name: str) -> Any:
    def like(a: Any, dtype: Any = None, **kwargs: Any) -> Array:
        a = _array(a, name)
        dtype = a.dtype if dtype is None else chunkfn.numpy_dtype(dtype)
        return _blocks(name, a, dtype, dtype=dtype, **kwargs)  # (the block's dtype: NumPy's second argument)

    fill = {"ones_like": "ones", "zeros_like": "zeros", "empty_like": "uninitialised values"}[name]
    like.__name__ = like.__qualname__ = name
    like.__doc__ = f"""A masked array of {fill} with ``a``'s shape, blocks and mask, as ``numpy.ma.{name}``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> m = ga.ma.masked_array(np.arange(3), mask=[0, 1, 0])
    >>> ga.ma.getmaskarray(ga.ma.{name}(m)).compute().tolist()
    [False, True, False]
    """
    return like


ones_like = _like("ones_like")
zeros_like = _like("zeros_like")
empty_like = _like("empty_like")


def nonzero(a: Any) -> tuple:
    """Indices of the unmasked non-zero elements, one array per dimension, as ``numpy.ma.nonzero``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> m = ga.ma.masked_array(np.array([0, 1, 2]), mask=[0, 0, 1])
    >>> [i.compute().tolist() for i in ga.ma.nonzero(m)]
    [[1]]
    """
    a = _array(a, "nonzero")
    return _ga().nonzero(getdata(a) * ~getmaskarray(a))


def where(condition: Any, x: Any = None, y: Any = None) -> Any:
    """``x`` where ``condition``, else ``y``, keeping masks (as ``numpy.ma.where``); with ``condition`` alone,
    :func:`nonzero`.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> m = ga.ma.masked_array(np.array([1, 2, 3]), mask=[0, 1, 0])
    >>> ga.ma.where(m > 1, m, 0).compute()
    masked_array(data=[0, --, 3],
                 mask=[False,  True, False],
           fill_value=999999)
    """
    if (x is None) != (y is None):
        raise ValueError("either both or neither of x and y should be given")
    if x is None:
        return nonzero(condition)
    ga = _ga()
    arrays = [v for v in (condition, x, y) if is_array(v)]
    backend = arrays[0].backend if arrays else None
    operands = [_array(v, "where", backend) if _array_like(v) else v for v in (condition, x, y)]
    if not any(is_array(v) for v in operands):
        operands[1] = _array(operands[1], "where")
    dtype = ga.result_type(*(v.dtype if is_array(v) else v for v in operands[1:]))
    return _broadcasting("where", *operands, dtype=dtype)


# -- which arrays have masked blocks (dask's masked _meta) ---------------------------------------------------
_UNMASKING = ("filled", "getdata", "getmaskarray")  # numpy.ma functions giving plain blocks


def may_be_masked(expr: Any) -> bool:
    """Whether the blocks of expression ``expr`` may be masked arrays: some node below it makes masked blocks
    (this module's functions, masked in-memory data) and no node on the way takes the masks off (``filled``,
    ``getdata``, ``getmaskarray``, ``count``)."""
    seen, stack = set(), [expr]
    while stack:
        node = stack.pop()
        if node._name in seen:
            continue
        seen.add(node._name)
        verdict = _masks_of(node)
        if verdict:
            return True
        if verdict is None:
            stack.extend(node.dependencies())
    return False


def _masks_of(node: Any) -> Any:
    """True: ``node`` makes masked blocks; False: its blocks are plain whatever its inputs; None: as its inputs."""
    func = getattr(node, "func", None)
    if func is chunkfn.masked_call:
        return node.args[0] not in _UNMASKING
    if func in (chunkfn.masked_block, chunkfn.with_fill_value):
        return True
    kind = getattr(node, "kind", None)
    if isinstance(kind, chunkfn.UserReduction) and kind.chunk is chunkfn.count_block:
        return False
    data = getattr(getattr(node, "data", None), "value", None)  # in-memory data (from_array)
    blocks = getattr(getattr(node, "blocks", None), "value", None)  # persisted blocks
    if data is not None and chunkfn.is_masked(data):
        return True
    if isinstance(blocks, dict) and any(chunkfn.is_masked(b) for b in blocks.values()):
        return True
    return None
