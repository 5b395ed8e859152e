"""xarray's dask-only steps given gpuscale arrays (split from ``gpuscale/xarray.py``, which installs them):
``map_blocks`` (its graph wrapped in gpuscale arrays, its inferred template in NumPy dtypes) and
``Dataset.to_dask_dataframe`` (gpuscale variables as dask arrays over the same tasks)."""

from __future__ import annotations

import functools
from typing import Any, Callable


def _variables(obj: Any) -> list:
    """The variables of a Dataset, or of a DataArray (its own and its coordinates'); none of anything else."""
    if hasattr(obj, "data_vars"):
        return list(obj.variables.values())
    if hasattr(obj, "variable") and hasattr(obj, "coords"):
        return [obj.variable, *obj.coords.variables.values()]
    return []


def _gpuscale_backend(*objs: Any) -> str | None:
    """The backend of the first gpuscale array among the variables of the xarray objects in ``objs``."""
    from gpuscale.array.core import Array

    for obj in objs:
        for var in _variables(obj):
            if isinstance(var.data, Array):
                return var.data.backend
    return None


def _dask_to_gpuscale(obj: Any, backend: str) -> Any:
    """``obj`` (a DataArray or Dataset) with its dask arrays as gpuscale arrays over the same task graphs."""
    from dask.array import Array as DaskArray

    from gpuscale.array.interop import from_dask_blocks

    if not _variables(obj):  # map_blocks returns func(obj) as it is when nothing is chunked
        return obj
    out = obj.copy(deep=False)  # new Variable objects over the same data
    for var in _variables(out):
        if isinstance(var.data, DaskArray):
            var.data = from_dask_blocks(var.data, backend)
    return out


def _map_blocks_shim(map_blocks: Callable) -> Callable:
    """xarray's ``map_blocks`` builds a dask graph over the inputs' blocks (gpuscale arrays speak dask's graph
    protocol) and wraps it in dask arrays; with gpuscale inputs, the results are gpuscale arrays over that graph,
    so they combine with the inputs and compute on gpuscale's runtime."""
    @functools.wraps(map_blocks)
    def wrapper(func: Callable, obj: Any, args: Any = (), kwargs: Any = None, template: Any = None) -> Any:
        import xarray

        backend = _gpuscale_backend(obj, template, *(args if isinstance(args, (list, tuple)) else ()))
        if backend is None:
            return map_blocks(func, obj, args, kwargs, template)
        # xarray chunks the in-memory inputs with the default manager: gpuscale's, not dask's wrapping ours
        with xarray.set_options(chunk_manager="gpuscale"):
            result = map_blocks(func, obj, args, kwargs, template)
        return _dask_to_gpuscale(result, backend)

    wrapper._gpuscale_shim = True  # type: ignore[attr-defined]
    return wrapper


def _infer_template_shim(infer_template: Callable) -> Callable:
    """xarray's ``map_blocks`` without ``template=`` runs ``func`` on zero-size stand-ins of the inputs' blocks
    (array-api-strict arrays for strict chunks) and makes dask arrays of the dtypes of what it returns: with
    gpuscale inputs, the stand-ins it returns become NumPy ones of the same shape and dtype (dask reads NumPy
    dtypes only, not array-api-strict's)."""
    from gpuscale.backends import array as chunkfn

    @functools.wraps(infer_template)
    def wrapper(func: Callable, obj: Any, *args: Any, **kwargs: Any) -> Any:
        template = infer_template(func, obj, *args, **kwargs)
        if _gpuscale_backend(obj, *args) is None:
            return template
        for var in _variables(template):
            if chunkfn.library_of(var.data) != "numpy":
                var.data = chunkfn.create("numpy", "empty", tuple(var.shape), chunkfn.numpy_dtype(var.data.dtype))
        return template

    wrapper._gpuscale_shim = True  # type: ignore[attr-defined]
    return wrapper


def _as_dask_array(x: Any) -> Any:
    """A dask array over the task graph of gpuscale array ``x`` (its blocks' keys and tasks)."""
    import dask.array as dsa

    from gpuscale.graph import flatten_keys

    name = flatten_keys(x.__dask_keys__())[0][0]
    return dsa.Array(dict(x.__dask_graph__()), name, x.chunks, dtype=x.dtype.dtype)


def _to_dask_dataframe_shim(to_dask_dataframe: Callable) -> Callable:
    """``Dataset.to_dask_dataframe`` is a conversion to dask: xarray chunks every column (strings too) with the
    default chunk manager and hands the blocks to ``dask.dataframe.from_dask_array``.  With gpuscale data or
    gpuscale as the default manager, the gpuscale variables become dask arrays over the same tasks and the rest
    is chunked with dask, so the result is the dask DataFrame dask gives (a string coordinate stayed a NumPy
    array under gpuscale, which ``from_dask_array`` refused)."""
    @functools.wraps(to_dask_dataframe)
    def wrapper(self: Any, dim_order: Any = None, set_index: bool = False) -> Any:
        import xarray
        from xarray.core.options import OPTIONS

        from gpuscale.array.core import Array

        ours = [v for v in _variables(self) if isinstance(v._data, Array)]
        if not ours and OPTIONS["chunk_manager"] != "gpuscale":
            return to_dask_dataframe(self, dim_order, set_index)
        converted = self.copy(deep=False)  # new Variable objects over the same data
        for var in _variables(converted):
            if isinstance(var._data, Array):
                var.data = _as_dask_array(var._data)
        with xarray.set_options(chunk_manager="dask"):
            return to_dask_dataframe(converted, dim_order, set_index)

    wrapper._gpuscale_shim = True  # type: ignore[attr-defined]
    return wrapper
