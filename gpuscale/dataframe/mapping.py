"""``Series.map`` and ``Index.map``: values through a function, a dict, a pandas Series or a lazy Series.

A lazy Series mapper is concatenated into one partition given to every partition of the mapped values,
so every value is looked up in the whole mapper (as pandas; dask does the same when the two are not
partitioned alike).  Without ``meta`` the result's type is inferred from sample data with dask's warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Callable

from gpuscale.backends import frame as bf

__all__ = ["map_values", "warn_inferred_meta", "declared_meta", "sampled_meta"]


def warn_inferred_meta(method: str, guessed: Any = None) -> None:
    """dask's warning for a result whose metadata is guessed by running the function on sample data (the
    ``meta=`` that says the ``guessed`` metadata, when given)."""
    spec = "('x', 'f8') for a Series result"
    if bf.is_dataframe_like(guessed):
        spec = repr({c: str(t) for c, t in guessed.dtypes.items()})
    elif bf.is_series_like(guessed):
        spec = repr((guessed.name, str(guessed.dtype)))
    warnings.warn(f"You did not provide metadata, so gpuscale is running your function on a small dataset to "
                  f"guess output types; it may guess wrong. To give the output types (and silence this warning) "
                  f"pass meta=: .{method}(func, meta={spec})", UserWarning, stacklevel=4)


def sampled_meta(obj: Any, partition_func: Callable, method: str, *args: Any, **kwargs: Any) -> Any:
    """The metadata of ``partition_func(partition, *args, **kwargs)`` run on two sample rows of ``obj`` (an
    empty partition tells nothing of what ``apply`` returns), with dask's warning naming the ``meta=``."""
    try:
        meta = bf.make_meta(partition_func(bf.meta_nonempty(obj._meta), *args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - the user's function failed on sample values
        raise ValueError(f"{method}: the result's metadata could not be inferred from sample data ({exc!r}); "
                         "pass meta= (e.g. meta=('x', 'f8'))") from exc
    warn_inferred_meta(method, meta)
    return meta


def declared_meta(meta: Any, like: Any) -> Any:
    """A ``meta=`` as dask takes it (an empty or full pandas/cuDF object, a collection, ``(name, dtype)``, a
    dict or list of them), as empty metadata in the library of ``like`` (the parent's metadata); a spec that
    is no pandas/cuDF object gives a Series/DataFrame with the index of a Series/DataFrame ``like``, as dask."""
    spec = getattr(meta, "_meta", meta)
    library = bf.library_of(like)
    out = bf.meta_from_spec(spec, library)
    if not bf.is_frame_like(out):
        return out
    out = bf.convert_library(out, library)  # a pandas meta= of cuDF data
    if bf.is_frame_like(spec) or bf.is_index_like(out) or bf.is_index_like(like):
        return out
    return bf.with_index_of(out, like)


def map_values(obj: Any, arg: Any, na_action: Any, meta: Any, divisions: str) -> Any:
    """``obj.map(arg, na_action=)`` on every partition of the lazy Series or Index ``obj``.

    ``divisions``: ``"keep"`` (a Series: each value keeps its label), ``"map"`` (an Index mapped by an
    order-keeping ``arg``: the boundaries are mapped too) or ``"clear"``.
    """
    from gpuscale.dataframe.core import FrameBase, new_collection
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.expr.broadcast import map_with_table
    from gpuscale.dataframe.expr.loc import IndexKeepingMap
    from gpuscale.dataframe.expr.sorting import WithDivisions

    if na_action not in (None, "ignore"):
        raise ValueError(f"na_action must either be 'ignore' or None, got {na_action!r}")
    lazy = isinstance(arg, FrameBase)
    if lazy and not bf.is_series_like(arg._meta):
        raise TypeError(f"map: a lazy mapper must be a Series, got a {type(arg).__name__}")
    func = bf.index_map if bf.is_index_like(obj._meta) else bf.series_map
    kwargs = {"na_action": na_action}
    meta = _inferred_meta(obj, func, arg, kwargs) if meta is None else _declared(meta, obj._meta)
    if lazy:
        expr = map_with_table(obj.expr, arg.expr, func, kwargs, meta, "map", divisions == "keep")
    elif divisions == "keep":
        expr = IndexKeepingMap(func, kwargs, meta, "map", False, obj.expr, arg)
    else:
        expr = map_partitions_expr(func, obj.expr, arg, kwargs=kwargs, meta=meta, label="map")
    if divisions == "map" and not lazy and obj.known_divisions:
        mapped = _mapped_divisions(obj.divisions, arg)
        if mapped is not None:
            expr = WithDivisions(expr, mapped)
    return new_collection(expr)


def _declared(meta: Any, like: Any) -> Any:
    out = declared_meta(meta, like)
    return bf.series_values_index(out) if bf.is_index_like(like) and bf.is_series_like(out) else out


def _inferred_meta(obj: Any, func: Callable, arg: Any, kwargs: dict) -> Any:
    warn_inferred_meta("map")
    sample = bf.meta_nonempty(obj._meta)
    try:
        if hasattr(arg, "_meta"):  # a lazy mapper: its sample may repeat a label, which pandas refuses
            return _with_sample_mapper(func, sample, arg._meta, kwargs)
        return bf.make_meta(func(sample, arg, **kwargs))
    except Exception as exc:  # noqa: BLE001 - the user's function failed on sample values
        raise ValueError(f"map: the result's metadata could not be inferred from sample data ({exc!r}); "
                         "pass meta= (e.g. meta=('x', 'f8'))") from exc


def _with_sample_mapper(func: Callable, sample: Any, mapper_meta: Any, kwargs: dict) -> Any:
    try:
        return bf.make_meta(func(sample, bf.meta_nonempty(mapper_meta), **kwargs))
    except Exception:  # noqa: BLE001 - the empty mapper still gives the result's type (all missing)
        return bf.make_meta(func(sample, mapper_meta, **kwargs))


def _mapped_divisions(divisions: tuple, arg: Any) -> tuple | None:
    """The boundaries mapped by an order-keeping ``arg`` (None where one is not found, or the order breaks)."""
    try:
        if callable(arg):
            mapped = tuple(arg(d) for d in divisions)
        elif isinstance(arg, Mapping) or hasattr(arg, "get"):
            mapped = tuple(arg.get(d) for d in divisions)
        else:
            return None
        ordered = all(a <= b for a, b in zip(mapped[:-1], mapped[1:]))
    except Exception:  # noqa: BLE001 - a mapper that does not take the boundaries: they become unknown
        return None
    return mapped if ordered and all(d is not None for d in mapped) else None
