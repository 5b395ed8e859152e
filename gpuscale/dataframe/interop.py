"""Collections from functions and other task graphs, and back: ``from_map``, ``from_delayed``, ``from_graph``,
``to_delayed``, ``from_dask_array``, ``random_split`` (dask.dataframe's names and semantics)."""

from __future__ import annotations

import inspect
import itertools
import math
from typing import Any, Callable, Iterable

from gpuscale import config
from gpuscale.backends import frame as bf
from gpuscale.backends import resolve_frame_backend
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.sources import FromGraph, FromMap, FromMapColumns
from gpuscale.graph import flatten_keys

__all__ = ["from_map", "from_delayed", "from_graph", "frame_of_blocks", "to_delayed", "from_dask_array", "random_split"]


def from_map(func: Callable, *iterables: Iterable, args: tuple = (), meta: Any = None, divisions: Any = None,
             label: str | None = None, enforce_metadata: bool = True, **kwargs: Any) -> Any:
    """A collection whose partition ``i`` is ``func(iterables[0][i], ..., *args, **kwargs)``.

    Parameters
    ----------
    func : callable
        Returns one pandas/cuDF DataFrame or Series.
    *iterables
        One element per partition each (all of the same length).
    args : tuple
        Extra positional arguments given to every call.
    meta : optional
        The empty result (or a dask ``meta=`` form); by default ``func`` is called on the first
        elements to learn it (as dask does).
    divisions : sequence, optional
        Known index boundaries (``npartitions + 1`` values).
    label : str, optional
        Name of the tasks.
    enforce_metadata : bool
        Check every partition against ``meta`` (columns, in order), naming the mismatch.

    Notes
    -----
    A ``func`` with a ``columns`` argument is given the columns the computation needs
    (``columns=[...]``; all of them when the argument is required, which needs ``meta=``), and a
    ``columns=`` passed here is the columns to read, as in dask.  So is a ``func`` with dask's older
    ``DataFrameIOFunction`` protocol (a ``columns`` attribute and a ``project_columns(columns)``
    method returning the function that reads only those columns).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_map(lambda i: pd.DataFrame({"i": [i, i]}), [1, 2, 3])
    >>> df.npartitions, int(df.i.sum().compute())
    (3, 12)
    """
    for it in iterables:
        if not isinstance(it, Iterable):
            raise ValueError(f"from_map: All elements of `iterables` must be Iterable (one element per partition), "
                             f"got {type(it).__name__}")
    items = [tuple(group) for group in zip(*iterables)] if iterables else []
    if not items:
        raise ValueError("from_map needs at least one non-empty iterable (one element per partition)")
    if any(len(list(it)) != len(items) for it in iterables if hasattr(it, "__len__")):
        raise ValueError("from_map: the iterables have different lengths")
    items = [(*group, *args) for group in items]
    takes = _columns_parameter(func)
    chosen = kwargs.pop("columns", None) if takes else None  # dask: the columns to read, before any projection
    if takes == "required" and meta is None:
        raise TypeError("from_map: func has a required `columns` parameter and no meta= is given; pass meta= "
                        "(the frame all its columns make) or make `columns` optional")
    if meta is None:
        meta = bf.make_meta(func(*items[0], **kwargs, **({} if chosen is None else {"columns": chosen})))
    else:
        sample_library = bf.library_of(meta) if bf.is_frame_like(meta) else resolve_frame_backend(None)
        meta = bf.meta_from_spec(getattr(meta, "_meta", meta), sample_library)
    name = label or getattr(func, "__name__", "from_map")
    divisions = tuple(divisions) if divisions is not None else (None,) * (len(items) + 1)
    protocol = hasattr(func, "project_columns") and hasattr(func, "columns")
    if (takes or protocol) and bf.is_dataframe_like(meta):
        # the function is told the columns the plan needs (dask's columns= keyword, or DataFrameIOFunction)
        wanted = None if chosen is None else [chosen] if isinstance(chosen, str) else list(chosen)
        df = new_collection(FromMapColumns(wanted, None, func, tuple(items), dict(kwargs), meta, divisions, name,
                                           enforce_metadata, bool(takes), takes == "required"))
        return _converted_strings(df[chosen] if isinstance(chosen, str) else df)
    if chosen is not None:  # a Series: nothing to project, the function gets its argument back
        kwargs["columns"] = chosen
    return _converted_strings(new_collection(FromMap(func, tuple(items), dict(kwargs), meta, divisions, name,
                                                     enforce_metadata)))


def _converted_strings(df: Any) -> Any:
    """dask's ``dataframe.convert-string`` (option ``dataframe.convert_string``): text as ``string[pyarrow]``."""
    if not config.get("dataframe.convert_string") or bf.library_of(df._meta) != "pandas":
        return df
    from gpuscale.dataframe.creation import with_arrow_strings

    return with_arrow_strings(df)


def _columns_parameter(func: Callable) -> str | None:
    """Whether ``func`` takes a ``columns`` argument: ``"required"``, ``"optional"`` or None."""
    try:
        param = inspect.signature(func).parameters.get("columns")
    except (TypeError, ValueError):  # builtins without a signature
        return None
    if param is None:
        return None
    return "required" if param.default is param.empty else "optional"


def from_delayed(dfs: Any, meta: Any = None, divisions: Any = None, prefix: str | None = None,
                 verify_meta: bool = True) -> Any:
    """A collection of dask ``Delayed`` objects (or ``distributed`` Futures), each computing one pandas/cuDF
    partition.

    ``meta`` defaults to the empty version of the first partition (computed, as dask does).
    ``divisions`` are the index boundaries (one more than the partitions) when known (dask's ``"sorted"``
    is refused, as by dask). dask's ``prefix`` is taken (the tasks keep the Delayed objects' names). With
    ``verify_meta=True`` each partition is checked against ``meta`` when computed (a DataFrame's
    columns, in order; a DataFrame where ``meta`` is a Series), naming the mismatch.

    Examples
    --------
    >>> import dask, pandas as pd, gpuscale.dataframe as gd
    >>> parts = [dask.delayed(pd.DataFrame)({"a": [i]}) for i in range(3)]
    >>> int(gd.from_delayed(parts).a.sum().compute())
    3
    """
    from gpuscale.runtime.distributed import as_delayed

    if isinstance(divisions, str):
        raise NotImplementedError(f"from_delayed: divisions={divisions!r} is not supported (nor by dask): pass the "
                                  "index boundaries (one more than the partitions), or None and set_index(...) after")
    given = [dfs] if hasattr(dfs, "__dask_graph__") or as_delayed(dfs) is not dfs else list(dfs)
    dfs = [as_delayed(d) for d in given]  # distributed Futures (``client.scatter(parts)``) count as Delayed
    if not dfs or not all(hasattr(d, "__dask_graph__") for d in dfs):
        raise TypeError("from_delayed takes dask Delayed objects or distributed Futures (a list of them, or one)")
    if meta is None:
        import dask

        first = given[0] if dfs[0] is not given[0] else None  # a Future: its value is on the cluster
        meta = bf.make_meta(first.result() if first is not None else dask.compute(dfs[0], scheduler="sync")[0])
    else:
        meta = bf.meta_from_spec(getattr(meta, "_meta", meta), bf.library_of(meta) if bf.is_frame_like(meta)
                                 else resolve_frame_backend(None))
    graph: dict = {}
    for d in dfs:
        graph.update(dict(d.__dask_graph__()))
    keys = tuple(d.key for d in dfs)
    divisions = tuple(divisions) if divisions is not None else (None,) * (len(dfs) + 1)
    if len(divisions) != len(dfs) + 1:
        raise ValueError(f"from_delayed: divisions must have one value more than the partitions: {len(divisions)} "
                         f"values for {len(dfs)} partitions")
    return new_collection(FromGraph(graph, keys, meta, divisions, bool(verify_meta)))


def from_graph(layer: Any, _meta: Any, divisions: Any, keys: Iterable, name_prefix: str | None = None) -> Any:
    """A collection whose partitions are the outputs ``keys`` of the task graph ``layer`` (dask's ``from_graph``,
    which ``dask.array``'s ``map_blocks`` calls when its ``meta=`` is a DataFrame).

    Parameters
    ----------
    layer : Mapping
        The tasks (a dict or a dask graph), in dask's task spec or as tuples.
    _meta : DataFrame, Series or Index
        A pandas/cuDF object like the partitions (its empty version is kept).
    divisions : sequence
        ``len(keys) + 1`` index boundaries, or Nones when unknown.
    keys : iterable
        One key of ``layer`` per partition, in order.
    name_prefix : str, optional
        Taken for dask's signature; the collection's name is a token of the graph and keys.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> layer = {("part", i): (pd.DataFrame, {"a": [i, i]}) for i in range(3)}
    >>> df = gd.from_graph(layer, pd.DataFrame({"a": [0]}), [None] * 4, sorted(layer), "part")
    >>> df.npartitions, df.a.sum().compute().item()
    (3, 6)
    """
    keys = tuple(keys)
    divisions = tuple(divisions)
    if len(divisions) != len(keys) + 1:
        raise ValueError(f"from_graph: divisions must have one value more than the keys: {len(divisions)} values "
                         f"for {len(keys)} keys")
    if not bf.is_frame_like(_meta):
        raise TypeError(f"from_graph: _meta must be a pandas or cuDF DataFrame, Series or Index, not "
                        f"{type(_meta).__name__}")
    return new_collection(FromGraph(dict(layer), keys, bf.make_meta(_meta), divisions))


def frame_of_blocks(array: Any, meta: Any) -> Any:
    """A gpuscale array whose blocks are pandas/cuDF objects (``map_blocks(func, meta=<DataFrame>)``) as a
    collection with one partition per block down axis 0, as dask (divisions unknown)."""
    if any(n != 1 for n in array.numblocks[1:]):
        raise ValueError(f"map_blocks with a DataFrame/Series meta= needs one block across axes 1 and on (the "
                         f"blocks are {array.numblocks}); rechunk those axes to one block first")
    expr = array._optimized_expr()
    keys = flatten_keys(expr.__dask_keys__())
    return from_graph(dict(expr.__dask_graph__()), meta, (None,) * (len(keys) + 1), keys)


_LITERALS = frozenset({int, float, str, bool, bytes, type(None)})


def is_delayed(obj: Any) -> bool:
    """Whether ``obj`` is one dask ``Delayed`` value (not a collection), or a ``distributed.Future`` (a value on
    a cluster, which dask's collections take where they take a ``Delayed``)."""
    if type(obj) in _LITERALS:  # the common case, quickly (isin of a list of 100,000 numbers asks of each)
        return False
    from gpuscale.runtime.distributed import as_delayed

    obj = as_delayed(obj)
    return type(obj).__module__ == "dask.delayed" and hasattr(obj, "__dask_graph__") and hasattr(obj, "key")


def delayed_operand(value: Any) -> Any:
    """A dask ``Delayed`` (or a cluster's ``Future``) as a lazy scalar operand (its graph runs once; every
    partition's task gets its value, as dask passes a ``Delayed`` argument of ``map_partitions``); other values
    as they are."""
    from gpuscale.runtime.distributed import as_delayed

    if not is_delayed(value):
        return value
    value = as_delayed(value)  # a Future: the task that takes it gets its value on the cluster
    return FromGraph(dict(value.__dask_graph__()), (value.key,), None, (None, None))


def to_delayed(collection: Any, optimize_graph: bool = True) -> list:
    """One dask ``Delayed`` per partition (their graph is the collection's optimized plan).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> parts = gd.from_pandas(pd.DataFrame({"a": range(4)}), npartitions=2, backend="cpu").to_delayed()
    >>> [len(p.compute()) for p in parts]
    [2, 2]
    """
    from dask.delayed import Delayed

    from gpuscale.graph.optimize import cull

    expr = collection._optimized_expr() if optimize_graph else collection.expr.lower_completely()
    keys = expr.__dask_keys__()
    graph = dict(expr.__dask_graph__())
    if optimize_graph:  # only the tasks the partitions need (a .loc of a few partitions reads only those)
        graph = cull(graph, keys)[0]
    return [Delayed(key, graph) for key in keys]


def from_dask_array(x: Any, columns: Any = None, index: Any = None, meta: Any = None) -> Any:
    """A DataFrame (2-D) or Series (1-D) from a dask or gpuscale array, one partition per block of rows, lazily.

    Parameters
    ----------
    x : dask.array.Array or gpuscale.array.Array
        1-D (a Series, or a column per field of a record dtype) or 2-D (a DataFrame). Other arrays
        (NumPy, CuPy) go through :func:`gpuscale.dataframe.from_array`.
    columns : label or list, optional
        The Series name, or the column names (as many as the array is wide; a list of one name
        makes a 1-D array a one-column DataFrame).
    index : gpuscale.dataframe.Index, optional
        The labels of the rows, with as many partitions as ``x`` has blocks of rows (their
        divisions are the result's). By default the rows are numbered from 0 across the blocks
        (known divisions), or from 0 in each block when the block lengths are unknown.
    meta : optional
        An empty pandas or cuDF object: the library of the partitions (as dask, only its type counts; the
        columns and dtypes are the array's).

    Examples
    --------
    >>> import dask.array as da, gpuscale.dataframe as gd
    >>> df = gd.from_dask_array(da.ones((6, 2), chunks=(3, 2)), columns=["a", "b"])
    >>> df.npartitions, df.divisions, float(df.a.sum().compute())
    (2, (0, 3, 5), 6.0)
    """
    from gpuscale.dataframe.creation import _array_with_columns, from_array
    from gpuscale.dataframe.series import Index

    if not hasattr(x, "to_delayed") or not hasattr(x, "dask"):
        return from_array(x, columns=columns)
    x = _array_with_columns(x, columns, "from_dask_array")
    if x.ndim == 2 and len(x.chunks[1]) > 1:
        x = x.rechunk({1: -1})  # a partition holds whole rows
    if index is not None and not isinstance(index, Index):
        raise ValueError(f"from_dask_array: 'index' must be an instance of gpuscale.dataframe.Index, got "
                         f"{type(index).__name__}")
    if index is not None and index.npartitions != len(x.chunks[0]):
        raise ValueError(f"from_dask_array: the index and array have different numbers of blocks "
                         f"({index.npartitions} != {len(x.chunks[0])})")
    import dask

    blocks = list(x.to_delayed().ravel() if x.ndim == 1 else x.to_delayed()[:, 0])
    lengths = x.chunks[0]
    if index is not None:
        labels, divisions = index.to_delayed(), index.divisions
    elif any(math.isnan(n) for n in lengths):
        labels, divisions = [None] * len(blocks), (None,) * (len(blocks) + 1)
    else:
        labels = [0, *itertools.accumulate(lengths)][:-1]
        # dask's divisions: each block's first row, then the last row (also after empty blocks)
        divisions = (*labels, max(sum(lengths) - 1, 0)) if sum(lengths) else (None,) * (len(blocks) + 1)
        divisions = tuple(min(d, divisions[-1]) if d is not None else None for d in divisions)
    parts = [dask.delayed(bf.frame_from_array_at)(block, columns, at) for block, at in zip(blocks, labels)]
    built = bf.empty_frame_like_array(x.dtype, x.shape[1:], columns, index._meta if index is not None else 0)
    if meta is not None and bf.library_of(meta) != bf.library_of(built):
        # as dask, meta= says only which library the partitions are of: the columns and dtypes are the array's
        library = bf.library_of(meta)
        built = bf.convert_library(built, library)
        parts = [dask.delayed(bf.convert_library)(part, library) for part in parts]
    return from_delayed(parts, meta=built, divisions=divisions)


def random_split(collection: Any, frac: list, random_state: Any = None, shuffle: bool = False) -> list:
    """Split rows at random into ``len(frac)`` collections with about those fractions of the rows.

    Each row goes to exactly one output; the same ``random_state`` gives the same split.  With ``shuffle``
    the rows of each partition are also put in a random order (as dask).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"a": range(100)}), npartitions=4, backend="cpu")
    >>> train, test = df.random_split([0.8, 0.2], random_state=0)
    >>> len(train) + len(test)
    100
    """
    bounds = bf.split_bounds(frac)
    seed = bf.random_seed(random_state)
    return [collection.map_partitions(bf.random_split_part, bounds, k, seed, bool(shuffle), meta=collection._meta)
            for k in range(len(bounds) - 1)]
