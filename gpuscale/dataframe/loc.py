"""``.loc`` and ``.iloc`` with dask.dataframe's semantics, row slices in ``[]``, ``idxmax`` / ``idxmin``.

``.loc`` selects rows by index label.  With known divisions only the partitions
that can hold the labels are read (a label, a list of labels, a slice, a partial
date string on a DatetimeIndex); with unknown divisions every partition is
filtered (lists of labels then raise ``KeyError``, as in dask).  A boolean
Series collection (aligned partition by partition) filters rows; a callable is
called with the collection.  ``df.loc[rows, columns]`` also selects columns.
``.iloc`` selects columns by position only (``df.iloc[:, cols]``), as dask.
"""

from __future__ import annotations

import bisect
import numbers
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import loc_extra
from gpuscale.dataframe.core import FrameBase, new_collection, resolved
from gpuscale.dataframe.expr.blockwise import Filter
from gpuscale.dataframe.expr.loc import select_rows
from gpuscale.dataframe.expr.reductions import tree_reduce

__all__ = ["LocIndexer", "ILocIndexer", "getitem_slice", "boolean_filter", "idx_extreme"]

_ILOC_ROWS = ("'DataFrame.iloc' only supports selecting columns. It must be used like "
              "'df.iloc[:, column_indexer]'.")
_NON_BOOLEAN = ("Cannot index with non-boolean dask Series. Try passing computed values instead "
                "(e.g. ``ddf.loc[iindexer.compute()]``)")


class LocIndexer:
    """``collection.loc[...]``: rows by index label (and columns by label on a DataFrame).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"x": range(6), "y": list("abcdef")}, index=[10, 20, 30, 40, 50, 60])
    >>> df = gd.from_pandas(pdf, npartitions=3, backend="cpu")
    >>> df.loc[20:40, "y"].compute()
    20    b
    30    c
    40    d
    Name: y, dtype: str
    >>> df.loc[20:40].npartitions  # the third partition (50, 60) is not read
    2
    >>> df.loc[[50, 10]].x.compute().tolist()
    [0, 4]
    """

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __getitem__(self, key: Any) -> Any:
        rows, columns = key, None
        if isinstance(key, tuple) and not _one_row_label(self.obj, key):
            frame_like = bf.is_dataframe_like(self.obj._meta)
            if not frame_like and 1 < len(key) <= self.obj._meta.index.nlevels:
                _refuse_multi_key(key)
            if len(key) > (2 if frame_like else 1):  # pandas' IndexingError (an IndexError too)
                raise loc_extra.TooManyIndexers(f"Too many indexers: {len(key)} keys for the rows"
                                                f"{' and columns' if frame_like else ''} of a "
                                                f"{type(self.obj).__name__}")
            rows, columns = key if len(key) == 2 else (key[0], None)
        return loc(self.obj, rows, columns)


def _refuse_multi_key(key: tuple) -> None:
    """A MultiIndex key with slices or lists in its levels: pandas' rules for the levels it keeps depend on
    the key's kinds (and a missing label is a KeyError per partition), which is not supported."""
    raise NotImplementedError(f".loc[{key!r}]: a MultiIndex key holding slices or lists is not supported (as in "
                              "dask); select with xs(label, level=...) or map_partitions(lambda part: part.loc[key])")


def _one_row_label(obj: Any, key: tuple) -> bool:
    """Whether the tuple ``key`` is one label of a MultiIndex with as many levels (pandas tries it as a row
    label first): plain values, and for a DataFrame a second item that names no column."""
    meta = obj._meta
    if len(key) < 2 or len(key) != meta.index.nlevels:
        return False
    if any(isinstance(k, (slice, list, tuple, FrameBase)) or callable(k) for k in key):
        return False
    if len(key) == 2 and bf.is_dataframe_like(meta):
        try:
            return key[1] not in meta.columns
        except TypeError:  # unhashable: not a label
            return False
    return True


class ILocIndexer:
    """``df.iloc[:, columns]``: columns by position (rows by position are not supported, as in dask).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2], "b": [3, 4], "c": [5, 6]}), npartitions=1, backend="cpu")
    >>> list(df.iloc[:, [0, 2]].columns)
    ['a', 'c']
    """

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, tuple):
            raise NotImplementedError(_ILOC_ROWS)
        if len(key) > 2:
            raise ValueError("Too many indexers")
        rows, columns = key
        if not _everything(rows):
            raise NotImplementedError(_ILOC_ROWS)
        labels = list(self.obj.columns)
        if len(labels) != len(set(labels)):
            raise NotImplementedError("iloc of a DataFrame with repeated column names is not supported")
        return self.obj[bf.iloc_columns(self.obj.columns, columns)]


def getitem_slice(obj: Any, key: slice) -> Any:
    """``df[start:stop]``: rows by index label, as ``df.loc[start:stop]`` (dask's rule).  Integer bounds
    would mean positions (as in pandas), which a lazy collection cannot select: they raise."""
    if any(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in (key.start, key.stop, key.step)):
        raise NotImplementedError(f"{type(obj).__name__}[{key.start}:{key.stop}]: integer slices select rows by "
                                  "position, which is not supported (as in dask); use .loc[start:stop] for index "
                                  "labels, head(n), or partitions[...]")
    return loc(obj, key, None)


def loc(obj: Any, rows: Any, columns: Any = None) -> Any:
    """``obj.loc[rows, columns]`` (see :class:`LocIndexer`)."""
    frame = obj
    if columns is not None:
        columns = resolved(columns, obj)
        frame = obj[bf.loc_columns(obj.columns, columns)]
    if _everything(rows):
        return frame
    rows = resolved(rows, obj)  # pandas evaluates it on the frame (before columns are selected)
    rows = _array_as_series(frame, rows)
    if isinstance(rows, FrameBase):
        if not loc_extra.is_boolean_mask(rows._meta):
            raise KeyError(_NON_BOOLEAN)
        return boolean_filter(frame, rows)
    return _by_labels(frame, rows)


def _array_as_series(frame: Any, key: Any) -> Any:
    """A lazy 1-D array (``(df.x > 0).values``) as a Series on ``frame``'s index, block ``i`` with
    partition ``i`` (as dask); anything else as it is."""
    from gpuscale.array.core import Array
    from gpuscale.array.expr import Opaque
    from gpuscale.dataframe.expr.loc import ArrayAsSeries

    if not isinstance(key, Array):
        return key
    try:
        boolean = str(key.dtype) == "bool"
    except KeyError:  # object arrays (strings) have no Array API dtype
        boolean = False
    if not boolean:
        raise KeyError(_NON_BOOLEAN)
    if key.ndim != 1 or key.numblocks[0] != frame.npartitions:
        raise ValueError(f".loc with an array: a 1-D array with one block per partition is needed (the frame has "
                         f"{frame.npartitions} partitions, the array {key.ndim} dimensions and blocks "
                         f"{key.numblocks}); make it from this frame, e.g. (df.x > 0).values")
    expr = key._optimized_expr()
    graph = Opaque(dict(expr.__dask_graph__()), f"array-graph-{expr._name}")
    keys = Opaque([k for k in expr.__dask_keys__()], f"array-keys-{expr._name}")
    meta = loc_extra.array_mask_meta(frame._meta, key.dtype)
    return new_collection(ArrayAsSeries(frame.expr, graph, keys, meta))


def boolean_filter(obj: Any, mask: Any) -> Any:
    """The rows of ``obj`` where the boolean Series collection ``mask`` is True (``obj[mask]``,
    ``obj.loc[mask]``): both are first repartitioned at the union of their divisions when those are
    known and differ, as dask aligns them; with unknown divisions partition ``i`` meets partition ``i``."""
    from gpuscale.dataframe.flex import aligned

    obj, mask = aligned(obj, mask)
    return new_collection(Filter(obj.expr, mask.expr))


def _everything(key: Any) -> bool:
    return isinstance(key, slice) and key == slice(None)


def _by_labels(frame: Any, key: Any) -> Any:
    index = frame._meta.index
    if loc_extra.points_in_intervals(index, key):
        raise NotImplementedError(f".loc[{key!r}] of an IntervalIndex: points inside the intervals are not "
                                  "supported (as in dask); select with Interval labels or with "
                                  "map_partitions(lambda part: part.loc[key])")
    if isinstance(key, slice):
        if key.step == -1:  # pandas' loc[b:a:-1] of an increasing index: loc[a:b], last row first
            return _reversed(_by_labels(frame, slice(key.stop, key.start)))
        if key.step not in (None, 1):
            raise NotImplementedError(".loc slices with a step other than 1 or -1 are not supported")
        start, stop = _partial_bounds(index, key.start), _partial_bounds(index, key.stop)
        return _label_range(frame, start[0] if start else key.start, stop[1] if stop else key.stop, "loc-slice")
    bounds = _partial_bounds(index, key)
    if bounds is not None:
        return _label_range(frame, *bounds, "loc-dates")
    if bf.is_label_list(key):
        return _label_list(frame, bf.label_list(key))
    if index.nlevels > 1 and isinstance(key, tuple) and len(key) > 1 and not _one_row_label(frame, key):
        _refuse_multi_key(key)
    if index.nlevels > 1 and not isinstance(key, tuple):  # a label of the first level, which pandas then drops
        rows = _label_range(frame.clear_divisions(), key, key, "loc-label")
        return rows._map(bf.without_first_level, label="droplevel")
    if frame.known_divisions:
        divisions, order = frame.divisions, _label_order(frame)
        label = order(bf.coerce_label(divisions[0], key))
        if not _comparable(label, order(divisions[0])) or label < order(divisions[0]) \
                or label > order(divisions[-1]):
            raise KeyError(f"the label [{key!r}] is not in the index")
    return _label_range(frame, key, key, "loc-label")


def _comparable(label: Any, division: Any) -> bool:
    """Whether ``label`` orders with the index's labels (text on numbers does not: pandas finds no such row, a
    KeyError, where comparing it with the divisions raised TypeError)."""
    try:
        label < division
    except TypeError:
        return False
    return True


def _label_order(frame: Any) -> Any:
    """The sort key of index labels as the divisions are ordered: an ordered categorical index's labels by their
    categories' order (as pandas compares them), others as they are."""
    dtype = frame._meta.index.dtype
    categories = list(bf.host_dtype(dtype).categories) if bf.is_categorical(dtype) and dtype.ordered else None
    if not categories or bf.UNKNOWN_CATEGORIES in categories:
        return lambda label: label
    position = {value: i for i, value in enumerate(categories)}
    return lambda label: position.get(label, len(position))


def _reversed(frame: Any) -> Any:
    """``frame``'s rows last to first: its partitions in reverse order, each reversed (divisions unknown: they
    no longer increase)."""
    from gpuscale.dataframe.expr.blockwise import Partitions, map_partitions_expr

    backwards = Partitions(frame.expr, tuple(range(frame.npartitions - 1, -1, -1)))
    return new_collection(map_partitions_expr(bf.reverse_rows, backwards, meta=frame._meta,
                                              label="reverse-rows")).clear_divisions()


def _partial_bounds(index: Any, key: Any) -> tuple | None:
    """The first and last label a partial date string covers on a datetime or period index (else None)."""
    bounds = bf.partial_date_bounds(index, key)
    return bounds if bounds is not None else loc_extra.partial_period_bounds(index, key)


def _label_range(frame: Any, lo: Any, hi: Any, label: str) -> Any:
    """Rows with ``lo <= index <= hi`` (``None``: open), reading only the partitions that may hold them."""
    n, divisions = frame.npartitions, frame.divisions
    if not frame.known_divisions:  # (a slice of an unsorted index is pandas' slice between the labels' positions)
        plan = [[(i, "slice", lo, hi, n == 1) if label == "loc-slice" else (i, "range", lo, hi, True)]
                for i in range(n)]
        return new_collection(select_rows(frame.expr, plan, divisions, label))
    lo, hi = bf.coerce_label(divisions[0], lo), bf.coerce_label(divisions[0], hi)
    order = _label_order(frame)  # (compared as the divisions are ordered; the labels themselves go on)
    at = [order(d) for d in divisions]
    klo, khi = (None if lo is None else order(lo)), (None if hi is None else order(hi))
    parts = [i for i in range(n) if _may_hold(at, i, klo, khi)]
    if not parts:  # nothing can match: one empty partition
        return new_collection(select_rows(frame.expr, [[(0, "range", lo, hi, True)]], (None, None), label))
    # a partition within [lo, hi] is taken whole, but the last one: missing labels sort last, past its division
    # (set_index of a column with NaN), and must not be taken for its largest label
    plan = [[(i, "all") if (lo is None or klo <= at[i]) and (hi is None or at[i + 1] <= khi)
             and (i < n - 1 or hi is None) else _range_piece(i, lo, hi, i == n - 1)] for i in parts]
    first = divisions[parts[0]] if lo is None or klo <= at[parts[0]] else lo
    last = divisions[parts[-1] + 1] if hi is None or khi >= at[parts[-1] + 1] else hi
    new = (first, *(divisions[i] for i in parts[1:]), last)
    return new_collection(select_rows(frame.expr, plan, new, label))


def _range_piece(i: int, lo: Any, hi: Any, last: bool) -> tuple:
    """Partition ``i``'s rows in ``[lo, hi]``; open above, the last partition keeps its missing labels (sorted
    last), as pandas' ``loc[lo:]`` does."""
    return (i, "range", lo, hi, True, True) if last and hi is None else (i, "range", lo, hi, True)


def _may_hold(divisions: tuple, i: int, lo: Any, hi: Any) -> bool:
    """Whether partition ``i`` (labels in ``[d_i, d_i+1)``, the last one ``[d_i, d_i+1]``) meets ``[lo, hi]``."""
    last = i == len(divisions) - 2
    above_lo = lo is None or (divisions[i + 1] >= lo if last else divisions[i + 1] > lo)
    return above_lo and (hi is None or divisions[i] <= hi)


def _label_list(frame: Any, labels: list) -> Any:
    if bf.is_boolean_list(labels):
        raise NotImplementedError(".loc with a list of booleans is not supported: pass a boolean Series "
                                  "collection aligned with the frame (df.loc[df.x > 0])")
    if not frame.known_divisions:
        raise KeyError("Cannot index with list against unknown division. Try setting divisions using "
                       "``ddf.set_index`` (or ``compute_current_divisions(set_divisions=True)`` when the "
                       "partitions are already sorted)")
    if not labels:
        return new_collection(select_rows(frame.expr, [[(0, "labels", ())]], (None, None), "loc-list"))
    divisions = frame.divisions
    labels = [bf.coerce_label(divisions[0], v) for v in labels]
    strangers = [v for v in labels if not _comparable(v, divisions[0])]
    if strangers:
        raise KeyError(f"{strangers} not in index (labels that do not compare with the index's: another kind, "
                       "or time zone)")
    groups: dict = {}
    for value in labels:  # each label to the partition that can hold it (out of range: first / last)
        part = min(len(divisions) - 2, max(0, bisect.bisect_right(divisions, value) - 1))
        groups.setdefault(part, []).append(value)
    parts = sorted(groups)
    plan = [[(i, "labels", tuple(groups[i]))] for i in parts]
    new = (*(min(groups[i]) for i in parts), max(groups[parts[-1]]))
    return new_collection(select_rows(frame.expr, plan, new, "loc-list"))


def idx_extreme(series: Any, how: str, skipna: bool = True, split_every: Any = None) -> Any:
    """``idxmax`` (``how="max"``) / ``idxmin``: the label of the first extreme value, a tree reduction
    whose partials are one row each."""
    try:
        meta = bf.make_meta(bf.idx_extreme_meta(series._meta, how))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"idx{how}: not supported for dtype {series.dtype}: {exc}") from None
    kwargs = {"how": how, "skipna": skipna}
    expr = tree_reduce(series.expr, bf.idx_extreme_chunk, bf.idx_extreme_combine, bf.idx_extreme_aggregate,
                       kwargs, meta, f"idx{how}", split_every, chunk_kwargs=kwargs)
    return new_collection(expr)
