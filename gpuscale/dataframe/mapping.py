"""``Series.map`` and ``Index.map``: values through a function, a dict, a pandas Series or a lazy Series.

A lazy Series mapper is concatenated into one partition given to every partition of the mapped values,
so every value is looked up in the whole mapper (as pandas; dask does the same when the two are not
partitioned alike).  Without ``meta`` the result's type is inferred from sample data with dask's warning.
"""

from __future__ import annotations

import functools

import warnings
from collections.abc import Mapping
from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.backends.callables import call_with_keywords_last, takes_argument

__all__ = ["map_partitions", "map_values", "warn_inferred_meta", "declared_meta", "sampled_meta"]


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
    args, kwargs = _stand_ins(args), dict(zip(kwargs, _stand_ins(tuple(kwargs.values()))))
    try:
        meta = bf.make_meta(partition_func(bf.meta_nonempty(obj._meta), *args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - the user's function failed on sample values
        raise ValueError(f"{method}: the result's metadata could not be inferred from sample data ({exc!r}); "
                         "pass meta= (e.g. meta=('x', 'f8'))" + bf.udf_failure_hint(exc)) from exc
    warn_inferred_meta(method, meta)
    return meta


def _stand_ins(values: tuple) -> tuple:
    """``values`` with each lazy Scalar as a sample value of its type (the partitions get the computed one)."""
    from gpuscale.dataframe.scalar import Scalar

    return tuple(v._meta if isinstance(v, Scalar) else v for v in values)


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
    if func is bf.series_map and bf.is_series_like(meta):
        kwargs = {**kwargs, "dtype": meta.dtype}
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
    if not callable(arg):  # a dict or Series: real data holds values it lacks, which map to missing values
        sample = bf.with_missing_value(sample)
    try:
        if hasattr(arg, "_meta"):  # a lazy mapper: its sample may repeat a label, which pandas refuses
            return _with_sample_mapper(func, sample, arg._meta, kwargs)
        return bf.make_meta(func(sample, arg, **kwargs))
    except Exception as exc:  # noqa: BLE001 - the user's function failed on sample values
        raise ValueError(f"map: the result's metadata could not be inferred from sample data ({exc!r}); "
                         "pass meta= (e.g. meta=('x', 'f8'))" + bf.udf_failure_hint(exc)) from exc


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
        elif isinstance(arg, Mapping) or (hasattr(arg, "get") and not hasattr(arg, "expr")):  # (not a collection)
            mapped = tuple(arg.get(d) for d in divisions)
        else:
            return None
        ordered = all(a <= b for a, b in zip(mapped[:-1], mapped[1:]))
    except Exception:  # noqa: BLE001 - a mapper that does not take the boundaries: they become unknown
        return None
    return mapped if ordered and all(d is not None for d in mapped) else None


# -- map_partitions -----------------------------------------------------------------------------------
def map_partitions(frame: Any, func: Callable, args: tuple, meta: Any, align_dataframes: bool, kwargs: dict,
                   enforce_metadata: bool = True, token: str | None = None) -> Any:
    """``frame.map_partitions(func, *args, meta=, align_dataframes=, **kwargs)`` (see its docstring): a frame
    when ``func`` gives frames, a gpuscale array when it gives arrays of rows, else a Series of one value per
    partition, as dask."""
    from gpuscale.dataframe.expr.blockwise import PARTITION_INFO
    from gpuscale.dataframe.interop import delayed_operand
    from gpuscale.dataframe.operators import to_expr

    label = token or getattr(func, "__name__", "map_partitions")
    wants_info = "partition_info" not in kwargs and takes_argument(func, "partition_info")
    func, args, kwargs = _lazy_keywords_as_operands(func, args, kwargs)
    args = tuple(delayed_operand(a) for a in args)  # a dask Delayed or a cluster's Future: its value, as dask
    call_kwargs = kwargs  # what each partition's call gets: dask's partition_info filled in per partition
    if wants_info:
        call_kwargs = {**kwargs, "partition_info": PARTITION_INFO}
    positional = align_dataframes is not None and not align_dataframes  # (None: the default, aligned)
    base, args = _positional(frame, args) if positional else (frame, args)
    if align_dataframes:  # given: a one-partition collection of known divisions is split too
        base, args = _at_common_divisions(frame, args)
    operands = [base.expr, *(to_expr(a) for a in args)]

    def node(function: Callable, kw: Any, out: Any) -> Any:
        return _mapped(function, kw, out, label, operands, base, positional)

    from gpuscale.dataframe.array_blocks import blocks_array, is_block_array

    if meta is not None and is_block_array(meta):  # meta= an array (np.empty((0, 2))): one array, as dask
        return blocks_array(node(func, call_kwargs or None, meta), meta, declared=True)
    if meta is not None:
        meta = declared_meta(meta, frame._meta)  # also meta=<collection>; a spec takes this index, as dask
        if bf.is_frame_like(meta) and not enforce_metadata:  # dask's enforce_metadata=False: taken on trust
            return node(func, call_kwargs or None, meta)
        if bf.is_series_like(meta):  # declared: checked against every computed partition, as dask does; a
            # partition's one value (len) is a row of the Series, as when meta is inferred
            return node(_one_value_per_partition, {"func": func, "kwargs": call_kwargs,
                                                   "library": bf.library_of(meta), "partition_info": PARTITION_INFO,
                                                   "declared": meta, "label": label}, meta)
        if bf.is_frame_like(meta):
            return node(_enforced, {"func": func, "kwargs": call_kwargs, "meta": meta, "label": label}, meta)
    else:
        sample = kwargs if call_kwargs is kwargs else {**kwargs, "partition_info": {"number": 0,
                                                                               "division": frame.divisions[0]}}
        meta, is_array = _inferred_result(func, operands, sample, label)
        if is_array:  # arrays of rows (np.asarray, df.values): one array, a block each, as dask
            return blocks_array(node(func, call_kwargs or None, meta), meta)
        if bf.is_frame_like(meta):  # each partition's kind checked (the sample's may differ from the data's)
            checked = {"func": func, "kwargs": call_kwargs, "meta": meta, "label": label}
            return node(_kind_checked, checked, meta)
    # one value per partition (len, a list, ...): a Series of them, as dask gives
    library = bf.library_of(frame._meta)
    series_meta = bf.make_meta(bf.values_as_series(meta, library))
    return node(_one_value_per_partition, {"func": func, "kwargs": call_kwargs, "library": library,
                                           "partition_info": PARTITION_INFO}, series_meta)


def _mapped(function: Callable, kwargs: Any, meta: Any, label: str, operands: list, base: Any,
            positional: bool) -> Any:
    """The collection of ``function`` on each partition of ``operands`` (the first is ``base``'s): paired by
    position (``positional``) or aligned, where a one-partition collection is given whole to every partition
    (dask broadcasts it: ``df.map_partitions(lambda p, lookup: p.merge(lookup), small)``), not cut at the others'
    divisions; ``base``'s divisions stay where ``meta`` keeps its kind of index, as dask keeps them."""
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.expr.loc import BroadcastMap, IndexKeepingBroadcastMap, IndexKeepingPositionalMap

    if _index_kept(meta, base):
        keeping = IndexKeepingPositionalMap if positional else IndexKeepingBroadcastMap
        return new_collection(keeping(function, kwargs, meta, label, False, *operands))
    if positional:
        return new_collection(map_partitions_expr(function, *operands, kwargs=kwargs, meta=meta, label=label,
                                                  positional=True))
    return new_collection(BroadcastMap(function, kwargs, meta, label, False, *operands))


def _at_common_divisions(frame: Any, args: tuple) -> tuple:
    """``align_dataframes=True`` given: ``frame`` and the collections among ``args``, all of known divisions,
    repartitioned at the union of their boundaries, one-partition ones too (dask documents it: "single-partition
    inputs will be split"; dask 2026 refuses ``align_dataframes=True``), so partition ``i`` of each covers the
    same rows; as they are where a collection's divisions are unknown (a one-partition one is then given whole to
    every partition, as by default)."""
    from gpuscale.dataframe.core import FrameBase, new_collection
    from gpuscale.dataframe.expr.concat import at_divisions, union_divisions

    frames = [a for a in (frame, *args) if isinstance(a, FrameBase)]
    if not all(f.known_divisions for f in frames) or len({tuple(f.divisions) for f in frames}) < 2:
        return frame, args
    try:
        union = union_divisions(*[f.divisions for f in frames])
    except TypeError:  # boundaries that do not compare: the alignment of every map refuses them, naming them
        return frame, args
    base, *rest = [new_collection(at_divisions(a.expr, union)) if isinstance(a, FrameBase) else a
                   for a in (frame, *args)]
    return base, tuple(rest)


def _lazy_keywords_as_operands(func: Callable, args: tuple, kwargs: dict) -> tuple:
    """``(func, args, kwargs)`` with the keyword values that are a gpuscale Scalar (``mu=df.a.mean()``), a dask
    ``Delayed`` or a cluster's ``Future`` (``map_partitions(f, df, z=delayed_table)``, as xgboost passes them)
    moved to the end of ``args``, and ``func`` taking them back as keywords: each partition's call gets their
    values, as dask gives them (a Scalar itself would make lazy Scalars of each value it meets)."""
    from gpuscale.dataframe.interop import is_delayed
    from gpuscale.dataframe.scalar import Scalar

    names = tuple(k for k, v in kwargs.items() if isinstance(v, Scalar) or is_delayed(v))
    if not names:
        return func, args, kwargs
    values = tuple(kwargs[k] for k in names)
    rest = {k: v for k, v in kwargs.items() if k not in names}
    return functools.partial(call_with_keywords_last, func, names), (*args, *values), rest


def _index_kept(meta: Any, frame: Any) -> bool:
    """Whether ``map_partitions`` keeps ``frame``'s known divisions, as dask keeps them (the function is taken
    to keep each row's label; ``clear_divisions=True`` forgets them): where the result's metadata ``meta`` is
    a frame or Series with the input's kind of index (type, dtype, names).  A function that visibly replaces the
    index (``reset_index``, ``set_index("other")``) gives unknown divisions."""
    given = frame._meta
    if not frame.known_divisions or not bf.is_frame_like(meta) or bf.is_index_like(meta) or bf.is_index_like(given):
        return False
    ours, theirs = meta.index, given.index
    return type(ours) is type(theirs) and ours.dtype == theirs.dtype and list(ours.names) == list(theirs.names)


def _positional(frame: Any, args: tuple) -> tuple:
    """``align_dataframes=False``: the collections paired by position as they are (never repartitioned nor
    shuffled), a one-partition one given to every partition of the others."""
    from gpuscale.dataframe.core import FrameBase

    args = tuple(a.clear_divisions() if isinstance(a, FrameBase) and a is not frame else a for a in args)
    widest = max(a.npartitions for a in (frame, *args) if isinstance(a, FrameBase))
    base, *spread = [_spread(a, widest) if isinstance(a, FrameBase) else a for a in (frame, *args)]
    return base, tuple(spread)


def _spread(frame: Any, n: int) -> Any:
    """A one-partition ``frame`` as ``n`` partitions, each all of it (dask's broadcast of a one-partition input
    of ``map_partitions(align_dataframes=False)``); other frames as they are."""
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.blockwise import Partitions

    if frame.npartitions != 1 or n == 1:
        return frame
    return new_collection(Partitions(frame.expr, (0,) * n)).clear_divisions()


def _inferred_result(func: Callable, operands: list, sample: dict, label: str) -> tuple:
    """The metadata of ``func``'s result on sample partitions, and whether it is an array of rows."""
    from gpuscale.dataframe.array_blocks import is_block_array
    from gpuscale.dataframe.expr.blockwise import infer_meta

    arrays: list = []  # the result when func gives an array of rows (not a list made an array)

    def keep_array(result: Any) -> bool:
        if is_block_array(result):
            arrays.append(result)
            return True
        return False

    meta = infer_meta(func, operands, sample, label, keep=keep_array, nonempty_first=True)
    return meta, bool(arrays) and meta is arrays[-1]


def _one_value_per_partition(*parts: Any, func: Callable, kwargs: dict, library: str, partition_info: dict,
                             declared: Any = None, label: str = "") -> Any:
    """``func``'s result on a partition, a value that is no frame (``len``) as a one-row Series, as dask's;
    checked against the ``declared`` Series metadata (``meta=``) where there is one."""
    from gpuscale.dataframe.expr.blockwise import PARTITION_INFO

    if kwargs.get("partition_info") == PARTITION_INFO:  # the user's function takes dask's partition_info too
        kwargs = {**kwargs, "partition_info": partition_info}
    result = func(*parts, **kwargs)
    if not bf.is_frame_like(result):  # (meta= a dtype, dask's meta="float", of a function giving a Series: kept)
        result = bf.values_as_series(result, library, position=partition_info["number"])
    return result if declared is None else bf.enforce_meta(result, declared, label)


def _enforced(*parts: Any, func: Callable, kwargs: dict, meta: Any, label: str) -> Any:
    return bf.enforce_meta(func(*parts, **kwargs), meta, label)


def _kind_checked(*parts: Any, func: Callable, kwargs: dict, meta: Any, label: str) -> Any:
    """``func``'s result on a partition, refused (the metadata mismatch ValueError of a declared ``meta=``) where
    it is another kind (DataFrame, Series, Index or value) than the ``meta`` inferred from sample data: the
    partitions would concatenate to another kind than the collection's.  Dtypes may differ, as dask allows; a
    result of no rows of another kind (pandas' ``apply(axis=1)`` of none gives its frame) is the metadata."""
    out = func(*parts, **kwargs)
    if _kind(out) == _kind(meta):
        return out
    if bf.is_frame_like(out) and not bf.is_index_like(out) and len(out) == 0:
        return bf.enforce_meta(out, meta, label)
    raise ValueError(f"Metadata mismatch found in `{label}`: the metadata inferred from sample data is a "
                     f"{_kind(meta)}, the partition is a {type(out).__name__}; pass meta= to declare the result")


def _kind(value: Any) -> str:
    if bf.is_dataframe_like(value):
        return "DataFrame"
    if bf.is_index_like(value):
        return "Index"
    return "Series" if bf.is_series_like(value) else "value"
