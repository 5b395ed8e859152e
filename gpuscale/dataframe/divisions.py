"""Divisions tools with dask.dataframe's semantics.

``clear_divisions``, ``compute_current_divisions``, partition selection
(``partitions[...]``, ``get_partition``), ``repartition`` by ``npartitions``,
``divisions``, ``partition_size`` or ``freq``, and ``set_index`` of a Series.
Plans that need sizes or boundaries of the data compute them when called (as
dask does when it plans them): ``compute_current_divisions`` and
``repartition(partition_size=...)`` run one pass over the partitions.
"""

from __future__ import annotations

import bisect
import warnings
from typing import Any

from gpuscale import config
from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import Partitions, map_partitions_expr
from gpuscale.dataframe.expr.loc import ClearDivisions, select_rows

__all__ = ["clear_divisions", "compute_current_divisions", "select_partitions", "get_partition", "repartition",
           "set_index_from_series"]


def clear_divisions(obj: Any) -> Any:
    """The same partitions with unknown divisions."""
    return new_collection(ClearDivisions(obj.expr))


def compute_current_divisions(obj: Any, col: Any = None, set_divisions: bool = False) -> Any:
    """The divisions of the data (``col``: of a column), computed now from each partition's min and max.

    Known divisions are returned as they are (when ``col`` is None).  Partitions must be
    sorted relative to each other (``ValueError`` otherwise); a label shared by two
    neighbours warns, as dask.  Empty partitions take the next one's first label; with
    empty partitions at the end no divisions describe the data: all ``None``, with a warning.
    ``set_divisions=True`` returns the collection with these divisions instead.
    """
    if col is None and obj.known_divisions:
        return obj if set_divisions else obj.divisions
    if col is not None and set_divisions:
        raise NotImplementedError("Can't set divisions of non-index, call set_index instead.")
    if col is not None and hasattr(obj, "_check_columns"):
        obj._check_columns([col])
    stats = _partition_values(map_partitions_expr(bf.label_bounds, obj.expr, col, meta=obj._meta, label="label-bounds"))
    mins, maxes, lens = [s[0] for s in stats], [s[1] for s in stats], [s[2] for s in stats]
    where = col or "the index"
    filled = [m for m, n in zip(mins, lens) if n]
    tops = [m for m, n in zip(maxes, lens) if n]
    if sorted(filled) != filled or sorted(tops) != tops:
        raise ValueError(f"Partitions are not sorted ascending by {where}. In your dataset the (min, max, len) "
                         f"values of {where} for each partition are: {list(zip(mins, maxes, lens))}")
    overlap = any(a <= b for a, b in zip(filled[1:], tops[:-1]))
    if overlap:
        message = (f"Partitions have overlapping values, so divisions are non-unique. In your dataset the "
                   f"(min, max, len) values of {where} for each partition are: {list(zip(mins, maxes, lens))}")
        if set_divisions:
            raise ValueError(message + "; set_index(...) (a shuffle) makes the partitions disjoint")
        warnings.warn(message, UserWarning, stacklevel=3)
    if not lens or lens[-1] == 0:
        warnings.warn("compute_current_divisions: the last partition is empty, so no divisions describe the "
                      "data; they stay unknown", UserWarning, stacklevel=3)
        divisions = (None,) * (len(lens) + 1)
    else:
        for i in range(len(mins) - 2, -1, -1):  # an empty partition takes the next one's first label
            if not lens[i]:
                mins[i] = mins[i + 1]
        divisions = (*mins, maxes[-1])
    if not set_divisions:
        return divisions
    from gpuscale.dataframe.expr.sorting import WithDivisions

    return new_collection(WithDivisions(obj.expr, divisions))


class PartitionIndexer:
    """``collection.partitions``: ``[key]`` selects partitions (see :func:`select_partitions`)."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection

    def __getitem__(self, key: Any) -> Any:
        return select_partitions(self._collection, key)


def select_partitions(obj: Any, key: Any) -> Any:
    """``obj.partitions[key]``: partitions by position (int, slice, list of ints, boolean mask).

    Divisions stay known when the selected partitions keep their order.
    """
    n = obj.npartitions
    positions = list(range(n))
    if isinstance(key, slice):
        indices = positions[key]
    elif bf.is_label_list(key) or isinstance(key, (tuple, range)):
        values = bf.label_list(key)
        if bf.is_boolean_list(values):
            if len(values) != n:
                raise IndexError(f"partitions: a boolean mask of {len(values)} values for {n} partitions")
            indices = [i for i, keep in zip(positions, values) if keep]
        else:
            indices = [_position(positions, v) for v in values]
    else:
        indices = [_position(positions, key)]
    if not indices:
        raise ValueError(f"partitions[{key!r}] selects no partition (of {n})")
    expr = Partitions(obj.expr, indices)
    if any(b <= a for a, b in zip(indices, indices[1:])):  # reordered or repeated: boundaries no longer hold
        expr = ClearDivisions(expr)
    return new_collection(expr)


def _position(positions: list, value: Any) -> int:
    """Partition number ``value`` (negative from the end); out of range: dask's (NumPy's) IndexError."""
    try:
        return positions[int(value)]
    except IndexError:
        raise IndexError(f"index {int(value)} is out of bounds for axis 0 with size {len(positions)}") from None


def get_partition(obj: Any, n: int) -> Any:
    """Partition ``n`` (``0 <= n < npartitions``) as a one-partition collection."""
    if not 0 <= n < obj.npartitions:
        raise ValueError(f"n must be 0 <= n < {obj.npartitions}")
    return select_partitions(obj, n)


def repartition(obj: Any, divisions: Any = None, npartitions: int | None = None, partition_size: Any = None,
                freq: Any = None, force: bool = False) -> Any:
    """See :meth:`gpuscale.dataframe.methods.RowMethods.repartition`."""
    if isinstance(divisions, int) and not isinstance(divisions, bool):  # repartition(4): a count
        divisions, npartitions = None, divisions
    given = [name for name, v in (("divisions", divisions), ("npartitions", npartitions),
                                  ("partition_size", partition_size), ("freq", freq)) if v is not None]
    if len(given) != 1:
        raise ValueError(f"repartition needs exactly one of divisions=, npartitions=, partition_size=, freq= "
                         f"(got {given or 'none'})")
    if npartitions is not None:
        return _to_npartitions(obj, int(npartitions))
    if divisions is not None:
        return repartition_divisions(obj, tuple(divisions), force)
    if freq is not None:
        return _by_freq(obj, freq)
    return _by_size(obj, partition_size)


def _to_npartitions(obj: Any, npartitions: int) -> Any:
    from gpuscale.dataframe.expr.repartition import SplitPartitions
    from gpuscale.dataframe.expr.shuffle import ConcatPartitions

    if npartitions < 1:
        raise ValueError(f"repartition: npartitions must be at least 1, got {npartitions}")
    if npartitions == obj.npartitions:
        return obj
    if npartitions < obj.npartitions:
        return new_collection(ConcatPartitions(obj.expr, npartitions))
    if obj.known_divisions:  # numeric / datetime boundaries: split by index values, divisions stay known
        spread = bf.interpolate_divisions(obj.divisions, npartitions)
        if spread is not None and len(spread) == npartitions + 1:
            return repartition_divisions(obj, tuple(spread), False)
    return new_collection(SplitPartitions(obj.expr, npartitions))


def repartition_divisions(obj: Any, new: tuple, force: bool = False) -> Any:
    """Split and merge partitions at the index boundaries ``new`` (needs known divisions).

    As dask: the first and last boundaries must equal the current ones, or with
    ``force=True`` enclose them.  Boundaries increase; the last two may be equal (a last
    partition of one label).
    """
    if not obj.known_divisions:
        raise ValueError("Cannot repartition on divisions with unknown divisions")
    old = obj.divisions
    if len(new) < 2:
        raise ValueError("New division must be longer than 2 elements")
    new = tuple(bf.coerce_label(old[0], v) for v in new)
    if any(b <= a for a, b in zip(new[:-2], new[1:-1])) or new[-1] < new[-2]:
        raise ValueError(f"repartition: divisions must increase (the last two may be equal), got {list(new)}")
    if force:
        if old[0] < new[0]:
            raise ValueError("left side of the new division must be equal or smaller than old division")
        if old[-1] > new[-1]:
            raise ValueError("right side of the new division must be equal or larger than old division")
    else:
        if old[0] != new[0]:
            raise ValueError("left side of old and new divisions are different")
        if old[-1] != new[-1]:
            raise ValueError("right side of old and new divisions are different")
    if new == tuple(old):
        return obj
    return new_collection(select_rows(obj.expr, _division_plan(tuple(old), new), new, "repartition-divisions"))


def _division_plan(old: tuple, new: tuple) -> list:
    """For each new partition, the pieces of the old partitions it overlaps.  Both boundary lists are sorted,
    so the old partitions a new one overlaps are a run found by bisection (linear, not old x new)."""
    n_old, m = len(old) - 1, len(new) - 1
    starts, ends, plan = old[:-1], old[1:], []
    for j in range(m):
        lo, hi, closed = new[j], new[j + 1], j == m - 1
        first = bisect.bisect_right(ends, lo)
        if first == n_old and ends[-1] >= lo:  # the last old partition also holds its upper boundary
            first = n_old - 1
        stop = bisect.bisect_right(starts, hi) if closed else bisect.bisect_left(starts, hi)
        pieces = []
        for i in range(first, stop):
            last = i == n_old - 1  # the last old partition holds [old[i], old[i+1]], the others [.., old[i+1])
            inside = lo <= old[i] and (old[i + 1] < hi or (old[i + 1] == hi and (closed or not last)))
            # rows without an index label sort last, outside every division: the last piece keeps them
            ends_all = closed and last
            pieces.append((i, "all") if inside else (i, "range", lo, hi, closed, ends_all) if ends_all else
                          (i, "range", lo, hi, closed))
        plan.append(pieces)
    return plan


def _by_freq(obj: Any, freq: Any) -> Any:
    if not obj.known_divisions:
        raise ValueError("repartition(freq=...) needs known divisions (set_index on the datetime column first)")
    if not bf.is_timestamp(obj.divisions[0]):
        raise TypeError("Can only repartition on frequency for timeseries")
    new = bf.freq_divisions(obj.divisions[0], obj.divisions[-1], freq)
    return repartition_divisions(obj, tuple(new), False)


def _by_size(obj: Any, partition_size: Any) -> Any:
    """Partitions of at most ``partition_size`` bytes in memory (deep): larger ones are split in equal
    row blocks, consecutive small ones concatenated (dask's plan).  Sizes are measured now."""
    size = config.parse_bytes(partition_size)
    if not size:
        raise ValueError(f"repartition: partition_size must be a positive size, got {partition_size!r}")
    usages = _partition_values(map_partitions_expr(bf.memory_bytes, obj.expr, meta=obj._meta, label="memory-usage"))
    pieces, weights = [], []
    for i, usage in enumerate(usages):
        k = 1 + int(usage) // size
        for j in range(k):
            pieces.append((i, "all") if k == 1 else (i, "rows", k, j))
            weights.append(usage / k)
    groups, current, total = [], [], 0.0
    for piece, weight in zip(pieces, weights):  # consecutive pieces while they fit
        if current and total + weight > size:
            groups.append(current)
            current, total = [], 0.0
        current.append(piece)
        total += weight
    groups.append(current)
    if any(p[1] == "rows" for p in pieces) or not obj.known_divisions:
        divisions = (None,) * (len(groups) + 1)
    else:
        divisions = (*(obj.divisions[g[0][0]] for g in groups), obj.divisions[-1])
    return new_collection(select_rows(obj.expr, groups, divisions, "repartition-size"))


def set_index_from_series(df: Any, series: Any, drop: bool = True, sorted: bool = False,
                          npartitions: int | None = None, divisions: Any = None, sort: bool = True,
                          method: Any = None) -> Any:
    """``df.set_index(series)``: a Series or Index collection partitioned as ``df`` (derived from it row by
    row); its values become the index by position, as pandas, named after it; ``df``'s columns all stay."""
    from gpuscale.dataframe.expr.sorting import WithDivisions
    from gpuscale.dataframe.indexing import set_index

    if bf.is_dataframe_like(series._meta):
        raise NotImplementedError("set_index of a DataFrame (several index levels) is not supported")
    if series.npartitions != df.npartitions:
        raise ValueError(f"set_index: the new index has {series.npartitions} partitions and the frame "
                         f"{df.npartitions}; it must be partitioned as the frame (derived from it row by row)")
    temporary = "__gpuscale_set_index__"
    while temporary in df.columns:
        temporary += "_"
    meta = bf.with_values_column(df._meta, temporary, series._meta)
    keyed = new_collection(map_partitions_expr(bf.with_values_column, df.expr, temporary, ClearDivisions(series.expr),
                                               meta=meta, label="assign-index", positional=True))
    indexed = set_index(keyed, temporary, drop=True, sorted=sorted, npartitions=npartitions, divisions=divisions,
                        sort=sort, shuffle_method=method)
    renamed = map_partitions_expr(bf.rename_index, indexed.expr, series.name, label="rename_index")
    return new_collection(WithDivisions(renamed, indexed.divisions))


def _partition_values(expr: Any) -> list:
    """One computed value per partition of ``expr`` (a Map returning host values), computed now."""
    from gpuscale.dataframe.indexing import _partition_values as values

    return values(new_collection(expr))


def _relabelled_meta(meta: Any, index: Any) -> Any:
    """The metadata of ``meta`` relabelled by the function ``index``, from sample labels (an empty index keeps its
    dtype whatever the function gives: ``lambda i: f"r{i}"`` makes text); None (inferred as before) for a mapping,
    or where the function fails on the sample."""
    if not callable(index):
        return None
    try:
        return bf.make_meta(bf.relabel_index(bf.meta_nonempty(meta), index))
    except Exception:  # (the user's function may fail on made-up labels: the empty metadata's answer then)
        return None


def renamed_index(obj: Any, index: Any, sorted_index: bool = False) -> Any:
    """``Series.rename(func_or_mapping)``: new index labels partition by partition; the divisions are mapped
    through ``index`` when ``sorted_index`` says the order holds, else unknown (as dask)."""
    from gpuscale.dataframe.expr.sorting import WithDivisions

    relabelled = map_partitions_expr(bf.relabel_index, obj.expr, index, meta=_relabelled_meta(obj._meta, index),
                                     label="rename-index")
    if sorted_index and obj.known_divisions:
        divisions = tuple(bf.relabel_values(obj.divisions, index))
        if any(a > b for a, b in zip(divisions, divisions[1:])):  # the labels would be in the wrong partitions
            raise ValueError(f"rename(sorted_index=True): the renamed divisions {divisions} are non-monotonic, so "
                             "the renaming does not keep the index order; pass sorted_index=False")
        return new_collection(WithDivisions(relabelled, divisions))
    return clear_divisions(new_collection(relabelled))
