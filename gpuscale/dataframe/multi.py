"""Functions of several collections: ``merge``, ``concat``; and ``to_datetime``."""

from __future__ import annotations

import warnings
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import frame_concat as bfc
from gpuscale.backends.frame.merge_columns import check_merge_key_options
from gpuscale.dataframe.core import FrameBase, new_collection
from gpuscale.dataframe.expr.base import co_partitioned
from gpuscale.dataframe.expr.blockwise import map_partitions_expr, unknown_column_error
from gpuscale.dataframe.expr.concat import Concat, StackAligned, at_divisions, union_divisions
from gpuscale.dataframe.expr.merge import Merge
from gpuscale.dataframe.merge_levels import levels_as_columns

__all__ = ["merge", "join", "concat", "to_datetime"]


def _as_list(value: Any) -> list | None:
    if value is None:
        return None
    return list(value) if isinstance(value, (list, tuple)) else [value]


MERGE_HOWS = ("inner", "left", "right", "outer", "leftsemi")
SHUFFLE_METHODS = (None, "tasks", "disk", "p2p")


def merge(left: Any, right: Any, how: str = "inner", on: Any = None, left_on: Any = None, right_on: Any = None,
          left_index: bool = False, right_index: bool = False, suffixes: tuple = ("_x", "_y"),
          indicator: bool = False, shuffle_method: Any = None, npartitions: int | None = None,
          broadcast: bool | float | None = None, validate: str | None = None) -> Any:
    """Join two DataFrames on columns or indexes, as ``pandas.merge``.

    The plan is chosen from partition counts: a side with one partition (or
    few partitions next to many on the other side) is broadcast to every
    partition of the other side; two sides merged on their indexes with known
    divisions are split at the union of their divisions and merged partition
    by partition (the result keeps those divisions); otherwise both sides are
    hash-shuffled on their keys into ``npartitions`` partitions.

    Parameters
    ----------
    left, right : DataFrame (or pandas/cuDF frames, broadcast as one partition)
    how : {"inner", "left", "right", "outer", "leftsemi", "cross"}
        ``"leftsemi"`` (cuDF's): the left rows whose keys occur on the right, with the left's columns.
        ``"cross"`` (no keys): every row of ``left`` with every row of ``right``, which is gathered into one
        partition given to each of ``left``'s (dask has no cross merge).
    on, left_on, right_on : label or list, optional
        Key columns (or index level names), as ``pandas.merge``.  With no keys
        at all the columns both sides share are the keys, and without shared
        columns the two indexes are (as dask).
    left_index, right_index : bool
        Join on the index of that side.
    suffixes : tuple of str
        Added to overlapping non-key column names.
    indicator : bool or str
        Add a categorical column (``"_merge"`` or this name) telling where each
        row came from: ``left_only``, ``right_only`` or ``both``.
    shuffle_method : {None, "tasks", "disk", "p2p"}
        Accepted for dask compatibility; gpuscale's runtime picks how to shuffle.
    npartitions : int, optional
        Partitions of the result (of a shuffled join, or of the large side of a
        broadcast join).
    broadcast : bool or float, optional
        Force (True) or forbid (False) a broadcast join; a float is dask's
        broadcast bias and leaves the choice to gpuscale.
    validate : {"1:1", "1:m", "m:1", "m:m", "one_to_one", ...}, optional
        As pandas: the keys of the side(s) said to be "one" must be unique, else computing the result raises
        pandas' ``MergeError`` (the keys are counted in a pass of their own).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> orders = gd.from_pandas(pd.DataFrame({"id": [1, 2, 3, 1], "qty": [5, 1, 2, 7]}), npartitions=2,
    ...                         backend="cpu")
    >>> names = pd.DataFrame({"id": [1, 2], "name": ["ann", "bob"]})
    >>> out = gd.merge(orders, names, on="id").compute()
    >>> out.sort_values("qty").values.tolist()
    [[2, 1, 'bob'], [1, 5, 'ann'], [1, 7, 'ann']]
    >>> gd.merge(orders, names, how="left", indicator=True).compute()["_merge"].tolist()
    ['both', 'both', 'left_only', 'both']
    """
    if how == "cross":
        return _cross(left, right, (on, left_on, right_on, left_index, right_index), tuple(suffixes))
    _check_options(how, shuffle_method, on, left_on, right_on)
    check_merge_key_options(on, left_on, right_on, left_index, right_index)
    if on is None and left_on is None and right_on is None and not left_index and not right_index:
        on = _common_columns(left, right)
        left_index = right_index = not on  # nothing shared: join on the indexes (as dask)
        on = on or None
    left, right = _as_collection(left, right, "left"), _as_collection(right, left, "right")
    _check_same_library(left, right)
    if hasattr(right, "name") and not hasattr(right, "columns"):
        right = right.to_frame()
    left, right = levels_as_columns(left, right, on, left_on, right_on)
    on, left_on, right_on, left_index, right_index = _index_levels(left, right, on, left_on, right_on,
                                                                   left_index, right_index)
    left_on, right_on = _keys(left, right, on, left_on, right_on, left_index, right_index)
    _check_key_dtypes(left, right, left_on, right_on, left_index, right_index)
    broadcast = broadcast if broadcast is None or isinstance(broadcast, bool) else None
    sides = _sides_to_validate(validate)
    expr = Merge(left.expr, right.expr, how, left_on, right_on, left_index, right_index, tuple(suffixes),
                 broadcast, npartitions, indicator)
    _warn_category_mismatch(expr)
    out = new_collection(expr)
    if not sides:
        return out
    keys = {"left": (left, left_on, left_index), "right": (right, right_on, right_index)}
    repeated = [_most_repeated_key(*keys[side]) for side in sides]
    return out.map_partitions(bf.check_unique_merge_keys, *repeated, sides=sides, validate=validate, meta=out._meta,
                              enforce_metadata=False)


# validate= of pandas' merge: the sides whose keys must be unique
_VALIDATE = {"1:1": ("left", "right"), "one_to_one": ("left", "right"), "1:m": ("left",), "one_to_many": ("left",),
             "m:1": ("right",), "many_to_one": ("right",), "m:m": (), "many_to_many": ()}


def _sides_to_validate(validate: Any) -> tuple:
    if validate is None:
        return ()
    if validate not in _VALIDATE:
        valid = "\n".join(f'- "{v}"' for v in _VALIDATE)
        raise ValueError(f'"{validate}" is not a valid argument. Valid arguments are:\n{valid}')
    return _VALIDATE[validate]


def _most_repeated_key(frame: Any, keys: Any, by_index: bool) -> Any:
    """A lazy scalar: how often the commonest key of ``frame`` occurs (missing keys count as one key)."""
    grouped = frame.groupby(frame.index if by_index else list(keys), dropna=False)
    return grouped.size().max()


def _cross(left: Any, right: Any, keys: tuple, suffixes: tuple) -> Any:
    """``how="cross"``: each partition of ``left`` with all of ``right`` (its rows gathered into one partition
    given to every task), so rows come in pandas' order, each row of ``left`` with every row of ``right``."""
    bf.check_cross_keys(*keys)
    left, right = _as_collection(left, right, "left"), _as_collection(right, left, "right")
    _check_same_library(left, right)
    if not hasattr(right, "columns"):
        right = right.to_frame()
    meta = bf.make_meta(bf.cross_merge(bf.meta_nonempty(left._meta), bf.meta_nonempty(right._meta), suffixes))
    whole = right.repartition(npartitions=1) if right.npartitions > 1 else right
    whole = whole.clear_divisions()  # handed whole to every task, never aligned with left's by index
    return left.map_partitions(bf.cross_merge, whole, suffixes=suffixes, meta=meta,
                               enforce_metadata=False).clear_divisions()


def _warn_category_mismatch(expr: Any) -> None:
    """As dask: categorical keys whose (known) categories differ lose their dtype in the merge, as in pandas."""
    import warnings

    from gpuscale.backends.frame.merge_keys import key_categories_rule

    _, mismatched, _ = key_categories_rule(expr.left._meta, expr.right._meta, expr.merge_kwargs)
    if mismatched:
        warnings.warn(f"merge: the categories of the categorical key(s) {mismatched} mismatch between the two sides; "
                      "as pandas, the result's key holds their values, not categories (a right key of another "
                      "name keeps its own; give both sides the same "
                      "categories with cat.set_categories to keep it categorical)", UserWarning,
                      stacklevel=_caller_level())


def _caller_level() -> int:
    """The ``stacklevel`` of the first caller outside gpuscale (``df.merge`` and ``gd.merge`` differ in depth)."""
    import os
    import sys

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    level, frame = 2, sys._getframe(2)  # (the warning's own caller: its frame is level 1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package + os.sep):
        frame, level = frame.f_back, level + 1
    return level


def _check_options(how: str, shuffle_method: Any, *keys: Any) -> None:
    if how not in MERGE_HOWS:
        raise ValueError(f"merge: how={how!r} is not supported (dask.dataframe.merge does not support "
                         f"how={how!r} either); use one of {', '.join(MERGE_HOWS)}")
    if shuffle_method not in SHUFFLE_METHODS:
        raise ValueError(f"merge: shuffle_method={shuffle_method!r} is not one of {SHUFFLE_METHODS}")
    if any(isinstance(key, FrameBase) for key in keys):
        raise NotImplementedError("merge: keys must be column or index level names, not collections (assign "
                                  "the Series as a column first)")


def _common_columns(left: Any, right: Any) -> list:
    if not hasattr(left, "columns") or not hasattr(right, "columns"):
        return []
    shared = set(right.columns)
    return [c for c in left.columns if c in shared]


def join(left: Any, other: Any, on: Any = None, how: str = "left", lsuffix: str = "", rsuffix: str = "",
         shuffle_method: Any = None, npartitions: int | None = None) -> Any:
    """``left.join(other)``: merge on the index of ``other`` (a frame, a named Series or a list of them).

    Parameters
    ----------
    left : DataFrame
    other : DataFrame, Series or list of them
        A list is joined on the indexes, as pandas: ``how="left"`` keeps the
        rows of ``left``, ``"outer"`` all rows (other ``how`` raise, as dask).
    on : label or list, optional
        Columns (or index level) of ``left`` matched with the index of ``other``.
    how : {"left", "right", "inner", "outer"}
    lsuffix, rsuffix : str
        Added to overlapping column names.
    shuffle_method : {None, "tasks", "disk", "p2p"}
        Accepted for dask compatibility.
    npartitions : int, optional
        Partitions of a shuffled join.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> a = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3]}), npartitions=2, backend="cpu")
    >>> b = gd.from_pandas(pd.DataFrame({"y": [10, 30]}, index=[0, 2]), npartitions=1, backend="cpu")
    >>> c = gd.from_pandas(pd.DataFrame({"z": [5]}, index=[1]), npartitions=1, backend="cpu")
    >>> a.join([b, c]).compute().fillna(0).values.tolist()
    [[1.0, 10.0, 0.0], [2.0, 0.0, 5.0], [3.0, 30.0, 0.0]]
    """
    if isinstance(other, (list, tuple)):
        return _join_many(left, list(other), how, lsuffix, rsuffix, shuffle_method, npartitions, on)
    return merge(left, other, how, left_on=on, left_index=on is None, right_index=True,
                 suffixes=(lsuffix, rsuffix), shuffle_method=shuffle_method, npartitions=npartitions)


def _join_many(left: Any, others: list, how: str, lsuffix: str, rsuffix: str, shuffle_method: Any,
               npartitions: int | None, on: Any) -> Any:
    """A left join keeps ``left``'s rows: it meets the outer join of the others (joined pairwise, as a
    balanced tree, so no chain of joins grows one by one); an outer join is that tree over all frames."""
    if how not in ("left", "outer"):
        raise ValueError(f"join: a list of frames joins with how='left' or 'outer', got how={how!r} (as dask: "
                         "merge_multi only supports left or outer joins)")
    if on is not None:
        raise ValueError("join: on= is not supported when joining a list of frames (as pandas)")
    if not others:
        return left

    def outer(frames: list) -> Any:
        if len(frames) == 1:
            return frames[0]
        half = len(frames) // 2
        return merge(outer(frames[:half]), outer(frames[half:]), "outer", left_index=True, right_index=True,
                     suffixes=(lsuffix, rsuffix), shuffle_method=shuffle_method, npartitions=npartitions)

    if how == "outer":
        return outer([left, *others])
    return merge(left, outer(others), "left", left_index=True, right_index=True, suffixes=(lsuffix, rsuffix),
                 shuffle_method=shuffle_method, npartitions=npartitions)


def _as_collection(side: Any, other: Any, name: str) -> Any:
    """A pandas/cuDF frame merged with a collection becomes a one-partition collection (broadcast), as dask."""
    if isinstance(side, FrameBase):
        return side
    if bf.is_frame_like(side):
        from gpuscale.dataframe.creation import from_pandas

        library = bf.library_of(other._meta) if isinstance(other, FrameBase) else bf.library_of(side)
        return from_pandas(side, npartitions=1, backend=library)
    raise TypeError(f"merge: {name} must be a gpuscale, pandas or cuDF DataFrame/Series, got {type(side).__name__}")


def _check_same_library(left: Any, right: Any) -> None:
    a, b = bf.library_of(left._meta), bf.library_of(right._meta)
    if a != b:
        raise TypeError(f"merge: the left side has {a} partitions and the right side {b} partitions; move one "
                        f"side first (e.g. read or create both with backend={a!r})")


def _index_levels(left: Any, right: Any, on: Any, left_on: Any, right_on: Any, li: bool, ri: bool) -> tuple:
    """Keys naming the index (not a column) of both sides join on the indexes, as pandas does.

    A key naming one side's index and a column of the other stays a key: pandas then numbers the result's rows
    anew and keeps the key as a column, unlike ``left_index=True, right_on=...`` (which keeps the right's labels).
    """
    def is_index_name(frame: Any, keys: Any) -> bool:
        keys = _as_list(keys)
        return keys is not None and len(keys) == 1 and keys[0] not in frame.columns and \
            keys[0] is not None and keys[0] == frame._meta.index.name

    lkeys, rkeys = (on, on) if on is not None else (left_on, right_on)
    if (li or is_index_name(left, lkeys)) and (ri or is_index_name(right, rkeys)):
        return None, None, None, True, True
    return on, left_on, right_on, li, ri


def _keys(left: Any, right: Any, on: Any, left_on: Any, right_on: Any, li: bool, ri: bool) -> tuple:
    if on is not None:
        left_on = right_on = _as_list(on)
    if left_on is None and right_on is None and not li and not ri:
        common = [c for c in left.columns if c in set(right.columns)]
        if not common:
            raise ValueError("merge: no common columns to join on; pass on=, left_on=/right_on= or *_index=True")
        left_on = right_on = common
    left_on, right_on = _as_list(left_on), _as_list(right_on)
    for frame, keys, side in ((left, left_on, "left"), (right, right_on, "right")):
        missing = [k for k in keys or [] if k not in frame.columns and not _names_index(frame, k)]
        if missing:
            raise unknown_column_error(missing, list(frame.columns), f"the {side} side of merge")
        _check_unique_keys(frame, keys, side)
    if left_on and right_on and len(left_on) != len(right_on):
        raise ValueError(f"merge: left_on has {len(left_on)} keys but right_on has {len(right_on)}")
    return (tuple(left_on) if left_on else None), (tuple(right_on) if right_on else None)


def _check_unique_keys(frame: Any, keys: Any, side: str) -> None:
    """A key column whose label ``frame`` holds twice has no one dtype or set of values (pandas refuses it)."""
    labels = list(frame.columns)
    repeated = [k for k in keys or [] if labels.count(k) > 1]
    if repeated:
        raise ValueError(f"The column label {repeated[0]!r} is not unique (the {side} side of merge holds it "
                         f"{labels.count(repeated[0])} times); rename the repeated columns first")


def _names_index(frame: Any, key: Any) -> bool:
    """Whether merge key ``key`` names the index of ``frame`` (keys mix columns and index level names, as
    pandas takes them: ``on=["idx", "k"]``)."""
    name = frame._meta.index.name
    return name is not None and key == name and key not in frame.columns


def _key_dtypes(frame: Any, keys: Any, use_index: bool) -> list:
    meta = frame._meta
    if use_index:
        return [("index", meta.index.dtype)]
    return [(k, meta.index.dtype if _names_index(frame, k) else meta[k].dtype) for k in keys]


def _check_key_dtypes(left: Any, right: Any, left_on: Any, right_on: Any, li: bool, ri: bool) -> None:
    for (lc, ldt), (rc, rdt) in zip(_key_dtypes(left, left_on, li), _key_dtypes(right, right_on, ri)):
        if bf.is_unknown_categorical(ldt) or bf.is_unknown_categorical(rdt):  # (their values' dtype is not known)
            continue
        if bf.key_kind(ldt) != bf.key_kind(rdt):
            raise ValueError(f"merge: incompatible key dtypes: left column {lc!r} is {ldt}, "
                             f"right column {rc!r} is {rdt}; cast one with astype() first")
    if left_on and right_on:
        warn_dtype_mismatch(left, right, list(left_on), list(right_on))


def warn_dtype_mismatch(left: Any, right: Any, left_on: Any, right_on: Any) -> None:
    """Warn (as dask) when merge key columns of the two sides have different dtypes (``int32`` and ``int64``
    keys match, but hashing and the result's dtype depend on the casts pandas makes).

    Examples
    --------
    >>> import warnings, pandas as pd
    >>> from gpuscale.dataframe.multi import warn_dtype_mismatch
    >>> a, b = pd.DataFrame({"k": [1, 2]}), pd.DataFrame({"k": [1.0, 2.0]})
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     warn_dtype_mismatch(a, b, "k", "k")
    >>> "type mismatches" in str(seen[0].message)
    True
    """
    left_on, right_on = _as_list(left_on), _as_list(right_on)
    if not all(k in left.columns for k in left_on) or not all(k in right.columns for k in right_on):
        return
    mismatched = [f"{lc!r} ({left.dtypes[lc]}) and {rc!r} ({right.dtypes[rc]})" for lc, rc in zip(left_on, right_on)
                  if str(left.dtypes[lc]) != str(right.dtypes[rc])]
    if mismatched:
        warnings.warn(f"Merging dataframes with merge column data type mismatches: {', '.join(mismatched)}; cast "
                      "the dtypes explicitly to avoid unexpected results", UserWarning, stacklevel=4)


def concat(dfs: list, axis: Any = 0, join: str = "outer", ignore_unknown_divisions: bool = False,
           ignore_order: bool = False, interleave_partitions: bool = False, ignore_index: bool = False,
           **kwargs: Any) -> Any:
    """Concatenate DataFrames and Series: stack rows (``axis=0``) or put columns side by side (``axis=1``).

    As dask: stacking rows keeps the inputs' partitions, one input after another (the divisions stay
    known when the inputs' index ranges follow each other; ``interleave_partitions=True`` splits inputs
    whose ranges overlap at the union of their divisions instead).  Side by side, partitions covering the
    same index range are joined (inputs with known divisions are split at their union first; inputs with
    unknown divisions must have as many partitions, each of the same length, and are assumed aligned,
    with a warning).  Categoricals with different categories stay categorical with the union of the
    categories (pandas would give ``object``).

    Parameters
    ----------
    dfs : list of DataFrame or Series
        gpuscale collections, or pandas/cuDF objects (taken as one partition).
    axis : {0, 1, "index", "columns"}
    join : {"outer", "inner"}
        Keep all columns (missing ones filled) or only the shared ones (rows of the shared index with
        ``axis=1``).
    ignore_unknown_divisions : bool
        Do not warn when ``axis=1`` inputs have unknown divisions.
    ignore_order : bool
        Union ordered categoricals with different categories as unordered ones.
    interleave_partitions : bool
        Keep known divisions when the inputs' index ranges overlap, by splitting them; the rows of each
        partition are sorted by index (stably), as ``pd.concat(...).sort_index(kind="stable")``.
    ignore_index : bool
        Renumber the result's index ``0, 1, ...``.
    **kwargs
        Passed to the partitions' ``concat`` (``sort=``, ...); ``keys=`` (and ``names=``) label each input's
        rows in new outer index levels, as pandas.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> a = gd.from_pandas(pd.DataFrame({"x": [1, 2]}), npartitions=1, backend="cpu")
    >>> b = gd.from_pandas(pd.DataFrame({"x": [3, 4, 5]}), npartitions=2, backend="cpu")
    >>> both = gd.concat([a, b], ignore_index=True)
    >>> both.npartitions, both.x.compute().tolist()
    (3, [1, 2, 3, 4, 5])
    >>> c = gd.from_pandas(pd.DataFrame({"y": [7, 8]}, index=[1, 2]), npartitions=1, backend="cpu")
    >>> gd.concat([a, c], axis=1).compute().fillna(0).values.tolist()
    [[1.0, 0.0], [2.0, 7.0], [0.0, 8.0]]
    """
    dfs = _concat_inputs(dfs, join)
    axis = _concat_axis(axis)
    if "keys" in kwargs and ignore_index:
        raise ValueError("concat: cannot set ignore_index=True and specify keys; either should be used (as pandas)")
    if axis == 0 and "keys" in kwargs:  # (side by side, the partitions' concat labels the columns)
        dfs = _with_keys(dfs, kwargs.pop("keys"), kwargs.pop("names", None))
    if len(dfs) == 1:
        return dfs[0].to_frame() if axis == 1 and not hasattr(dfs[0], "columns") else dfs[0]
    if axis == 1:
        return _concat_columns(dfs, join, ignore_unknown_divisions, {"ignore_index": ignore_index, **kwargs})
    out = _concat_rows(dfs, join, ignore_order, interleave_partitions, kwargs)
    return _numbered_rows(out) if ignore_index else out


def _numbered_rows(out: Any) -> Any:
    """``out``'s rows numbered 0 .. n-1 over all its partitions (``reset_index(drop=True)`` restarts each)."""
    from gpuscale.dataframe.positions import rows_by_position

    # (the metadata's index too: int64, unnamed, whatever the inputs' index was)
    meta = bf.numbered_rows(out._meta, None)
    return rows_by_position(out, bf.numbered_rows, {}, "ignore-index", meta=meta).clear_divisions()


def _concat_inputs(dfs: Any, join: str) -> list:
    if not isinstance(dfs, (list, tuple)):
        raise TypeError(f"concat: dfs must be a list of DataFrames/Series, got {type(dfs).__name__}")
    if not dfs:
        raise ValueError("concat: No objects to concatenate (as pandas: give a list of collections)")
    if join not in ("inner", "outer"):
        raise ValueError(f"concat: 'join' must be 'inner' or 'outer', got {join!r}")
    first = next((d for d in dfs if isinstance(d, FrameBase)), None)
    out = []
    for d in dfs:
        if not isinstance(d, FrameBase) and not bf.is_frame_like(d):
            raise TypeError(f"concat takes DataFrames/Series (gpuscale, pandas or cuDF), got {type(d).__name__}")
        out.append(d if isinstance(d, FrameBase) else _as_collection(d, first, "each input of concat"))
    return out


def _with_keys(dfs: list, keys: Any, names: Any) -> list:
    """Each input's rows labelled by its key in new outer index levels (pandas' ``concat(keys=)``); the
    divisions, of the old index, are unknown after."""
    keys = list(keys)
    if len(keys) != len(dfs):
        raise ValueError(f"concat: keys= needs one key per input ({len(dfs)} inputs), got {len(keys)}")
    return [new_collection(map_partitions_expr(bfc.with_outer_levels, d.expr, kwargs={"key": k, "names": names},
                                               label="concat-keys")).clear_divisions() for d, k in zip(dfs, keys)]


def _concat_axis(axis: Any) -> int:
    if axis in (0, "index", "rows"):
        return 0
    if axis in (1, "columns"):
        return 1
    raise ValueError(f"concat: axis must be 0 / 'index' or 1 / 'columns', got {axis!r}")


def _concat_rows(dfs: list, join: str, ignore_order: bool, interleave: bool, kwargs: dict) -> Any:
    exprs = [d.expr for d in dfs]
    plain = Concat(join, ignore_order, tuple(kwargs.items()), *exprs)
    if not interleave or not all(d.known_divisions for d in dfs) or plain.known_divisions:
        return new_collection(plain)
    divisions = union_divisions(*[d.divisions for d in dfs])
    parts = [at_divisions(e, divisions) for e in exprs]
    return new_collection(StackAligned(plain._meta, 0, join, False, tuple(kwargs.items()), divisions, *parts))


def _concat_columns(dfs: list, join: str, ignore_unknown: bool, kwargs: dict) -> Any:
    dfs = [d for d in dfs if not hasattr(d, "columns") or len(d.columns) > 0] or dfs[:1]
    meta = bfc.concat_frames_meta([d._meta for d in dfs], join, 1, False, kwargs)
    exprs, check_lengths = [d.expr for d in dfs], False
    known = all(d.known_divisions for d in dfs)
    if all(d.npartitions == 1 for d in dfs):
        bounds = union_divisions(*[d.divisions for d in dfs]) if known else (None,)
        divisions = (bounds[0], bounds[-1])
    elif known and len({tuple(d.divisions) for d in dfs}) == 1:
        divisions = tuple(dfs[0].divisions)
    elif known:
        divisions = union_divisions(*[d.divisions for d in dfs])
        exprs = [at_divisions(e, divisions) for e in exprs]
    elif not any(d.known_divisions for d in dfs) and len({d.npartitions for d in dfs}) == 1:
        divisions, check_lengths = (None,) * (dfs[0].npartitions + 1), True
        if not ignore_unknown and not co_partitioned(exprs):
            warnings.warn("concat(axis=1) of collections with unknown divisions: their partitions are assumed "
                          "to hold the same rows (pass ignore_unknown_divisions=True to silence this)",
                          UserWarning, stacklevel=3)
    else:
        raise ValueError("Unable to concatenate DataFrame with unknown division specifying axis=1: give the "
                         "inputs known divisions (set_index) or as many partitions of the same rows")
    return new_collection(StackAligned(meta, 1, join, check_lengths, tuple(kwargs.items()), divisions, *exprs))


def to_datetime(arg: Any, meta: Any = None, **kwargs: Any) -> Any:
    """``pandas.to_datetime`` partition-wise (strings or numbers to datetimes).

    Parameters
    ----------
    arg : Series, DataFrame or Index
        A gpuscale collection, or a pandas/cuDF Series or DataFrame (taken as one partition, as dask); a
        DataFrame needs year/month/day columns, as pandas.  An Index gives a DatetimeIndex whose divisions
        are unknown (its labels changed).
    meta : optional
        The result's metadata, as dask's ``meta=`` (``("a", "datetime64[ns, UTC]")``), where it cannot be
        inferred from an empty partition (``format="ISO8601"`` of strings with offsets).
    **kwargs
        Passed to ``pandas.to_datetime`` (``format=``, ``unit=``, ``utc=``, ...).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series(["2024-01-31", "2024-02-29"]), npartitions=2, backend="cpu")
    >>> gd.to_datetime(s).dt.month.compute().tolist()
    [1, 2]
    """
    if not isinstance(arg, FrameBase) and (bf.is_series_like(arg) or bf.is_dataframe_like(arg)):
        from gpuscale.dataframe.creation import from_pandas

        arg = from_pandas(arg, npartitions=1, sort=False)
    if not isinstance(arg, FrameBase):
        raise NotImplementedError(f"gpuscale.dataframe.to_datetime: dask does not support non-index-able arguments "
                                  f"(like scalars), got {type(arg).__name__}; pass a Series, DataFrame or Index")
    if meta is not None:
        from gpuscale.dataframe.mapping import declared_meta

        meta = declared_meta(meta, arg._meta)
    elif bf.is_frame_like(arg._meta):  # floats with a unit: pandas' resolution of fractions (None: inferred)
        meta = bf.unit_numbers_meta(bf.to_datetime, arg._meta, **kwargs)
    index = bf.is_index_like(arg._meta)  # new labels: the divisions no longer hold
    if _guesses_format(arg, kwargs):
        return _to_datetime_with_one_format(arg, meta, kwargs)
    return new_collection(map_partitions_expr(bf.to_datetime, arg.expr, kwargs=kwargs or None, meta=meta,
                                              label="to_datetime", columnwise=not index))


def _guesses_format(arg: Any, kwargs: dict) -> bool:
    """Whether pandas would guess one format for text of the whole Series (no ``format=``/``unit=``), or check
    the UTC offsets of the whole Series (``format="ISO8601"``/``"mixed"``)."""
    dtype = str(getattr(arg._meta, "dtype", ""))
    return (bf.is_series_like(arg._meta) and kwargs.get("format") in (None, "ISO8601", "mixed") and "unit" not in kwargs
            and (dtype in ("object", "str", "string") or dtype.startswith("string[")) and arg.npartitions > 1)


def _to_datetime_with_one_format(arg: Any, meta: Any, kwargs: dict) -> Any:
    """Text parsed with the format pandas guesses from the first value (see
    :mod:`gpuscale.backends.frame.datetime_text`)."""
    guessed = arg.reduction(bf.first_valid_text, aggregate=bf.guessed_datetime_format,
                            aggregate_kwargs={"dayfirst": kwargs.get("dayfirst", False),
                                              "format": kwargs.get("format")}, meta=("format", "object"),
                            token="datetime-format")
    if meta is None:
        meta = bf.make_meta(bf.to_datetime(bf.meta_nonempty(arg._meta).iloc[:0], **kwargs))
    return arg.map_partitions(bf.to_datetime_with_format, guessed, meta=meta, token="to_datetime", **kwargs)
