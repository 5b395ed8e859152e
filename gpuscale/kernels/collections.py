"""Kernels on gpuscale collections: lazy results of the same kind, metadata checked at graph-build time.

The CPU form is compiled for the inputs' dtypes on tiny stand-ins before any
task runs, so a function numba cannot compile fails when the expression is
built, naming the function.  Each chunk then runs the CPU or CUDA form by its
type (NumPy/pandas or CuPy/cuDF) on whichever worker computes it.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from gpuscale.collection import Collection
from gpuscale.kernels import _inputs, _numba
from gpuscale.kernels.errors import KernelTypeError

__all__ = ["elementwise", "stencil", "gufunc"]


def _kind(obj: Any) -> str | None:
    if not isinstance(obj, Collection):
        return None
    module = type(obj).__module__
    return "array" if module.startswith("gpuscale.array") else "frame" if module.startswith("gpuscale.dataframe") \
        else "other"


def _collection_kind(kernel: Any, args: tuple) -> str:
    kinds = {k for k in map(_kind, args) if k}
    if len(kinds) != 1 or "other" in kinds:
        raise KernelTypeError(f"kernel {kernel.name!r}: cannot mix {sorted(kinds)} collections in one call; "
                              "convert them to one kind first")
    return kinds.pop()


def _in_order(func: Callable, position: int, first: Any, *rest: Any) -> Any:
    # map_partitions passes the partition it was called on first; restore the kernel's argument order
    return func(*rest[:position], first, *rest[position:])


def _frame_call(kernel: Any, args: tuple, meta: Any) -> Any:
    position = next(i for i, a in enumerate(args) if _kind(a) == "frame")
    func = functools.partial(_in_order, kernel.chunk_function(), position)
    func.__name__ = kernel.pyfunc.__name__  # the task label
    rest = args[:position] + args[position + 1:]
    return args[position].map_partitions(func, *rest, meta=meta)


def _series_meta(template: Any, values: Any, name: Any) -> Any:
    return type(template)(values, index=template.index[:0], name=name)


def _check_frame_backend(kernel: Any, metas: list) -> None:
    # cuDF partitions need the CUDA form: fail now, in the client, if numba-cuda is missing
    if any(_numba.is_device_chunk(m) for m in metas):
        _numba.cuda(kernel.name)


def _frame_metas(kernel: Any, args: tuple) -> tuple[list, Any]:
    metas = [a._meta if _kind(a) == "frame" else a for a in args]
    _check_frame_backend(kernel, metas)
    for meta in metas:
        if type(meta).__name__ == "DataFrame":
            raise KernelTypeError(f"kernel {kernel.name!r} is element-wise: pass Series (columns), "
                                  "not a DataFrame")
    values, template = _inputs.split_series(tuple(metas), kernel.name)
    return values, template


# -- vectorize --------------------------------------------------------------------------------
def elementwise(kernel: Any, args: tuple) -> Any:
    """A lazy element-wise kernel call on Series or arrays (with broadcasting)."""
    if _collection_kind(kernel, args) == "frame":
        values, template = _frame_metas(kernel, args)
        dtype = kernel.result_dtype(*values)
        name = _inputs.result_name(tuple(a._meta if _kind(a) else a for a in args))
        meta = _series_meta(template, _numba.numpy().empty(0, dtype=dtype), name)
        return _frame_call(kernel, args, meta)
    from gpuscale.kernels import _array

    return _array.elementwise(kernel, args)


# -- stencil ----------------------------------------------------------------------------------
def stencil(kernel: Any, args: tuple) -> Any:
    """A lazy stencil call on arrays: blocks exchange halos of the kernel's depth."""
    if _collection_kind(kernel, args) != "array":
        raise KernelTypeError(f"stencil {kernel.name!r} runs on gpuscale.array arrays; for a Series pass its "
                              "values as one, lazily: series.to_dask_array(lengths=True) (or series.values)")
    from gpuscale.kernels import _array

    return _array.stencil(kernel, args)


# -- guvectorize ------------------------------------------------------------------------------
def gufunc(kernel: Any, args: tuple) -> Any:
    """A lazy gufunc call: on arrays block by block, on DataFrames row by row."""
    if _collection_kind(kernel, args) == "array":
        from gpuscale.kernels import _array

        return _array.gufunc(kernel, args)
    return _frame_gufunc(kernel, args)


def _frame_gufunc(kernel: Any, args: tuple) -> Any:
    if len(args) != 1 or type(args[0]._meta).__name__ != "DataFrame":
        raise KernelTypeError(f"kernel {kernel.name!r}: on gpuscale.dataframe, call a gufunc with one "
                              "DataFrame; its columns form each row's core axis")
    frame = args[0]
    meta = frame._meta
    _check_frame_backend(kernel, [meta])
    np = _numba.numpy()
    rows = meta.to_numpy()  # empty, of the dtype the partitions' rows will have
    (out_dtype, core), = kernel.result_meta(np.empty((0, len(meta.columns)), dtype=rows.dtype))
    if core == ():
        out_meta = _series_meta(meta.iloc[:, 0] if len(meta.columns) else meta, np.empty(0, out_dtype), None)
    elif core == (len(meta.columns),):
        out_meta = type(meta)(np.empty((0, len(meta.columns)), out_dtype), columns=meta.columns,
                              index=meta.index[:0])
    else:
        raise KernelTypeError(f"kernel {kernel.name!r}: on a DataFrame the output core shape must be () or "
                              f"(n,) with n the number of columns, got {core}")
    func = functools.partial(_rows, kernel.chunk_function())
    func.__name__ = kernel.pyfunc.__name__
    return frame.map_partitions(func, meta=out_meta)


def _rows(run: Callable, frame: Any) -> Any:
    values = frame.values if _numba.is_device_chunk(frame) else frame.to_numpy()
    out = run(values)
    if getattr(out, "ndim", 1) == 1:
        return type(frame.iloc[:, 0])(out, index=frame.index) if len(frame.columns) else out
    return type(frame)(out, index=frame.index, columns=frame.columns)
