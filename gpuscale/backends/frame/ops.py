"""Partition operations: selection, assignment, operators, creation helpers, merge (concat:
:mod:`gpuscale.backends.frame.partition_concat`)."""

from __future__ import annotations

import hashlib
import operator
from typing import Any, Callable

import numpy as np
import pandas as pd

from gpuscale.backends import _detect
from gpuscale.backends.frame.semi_join import drop_unmatchable
from gpuscale.backends.frame.sort_keys import categorical_levels_misorder, sorted_by_index_columns
from gpuscale.backends.frame.accessor_members import counts_as_pandas, objects_as_series, refuse_object_values
from gpuscale.backends.frame.comparison import as_pandas_comparison
from gpuscale.backends.frame.merge_columns import in_pandas_column_order, merged_keeping_index_levels, missing_labels
from gpuscale.backends.frame.core import (
    _to_pandas, convert_library, is_dataframe_like, is_frame_like, is_index_like, is_series_like, library_of, make_meta,
    meta_nonempty, namespace, python_scalar, stable_sort_kind,
)



# -- basic partition operations -------------------------------------------------------------
def call_method(obj: Any, method: str, /, *args: Any, **kwargs: Any) -> Any:
    """``obj.method(*args, **kwargs)``; pandas literals among ``args`` (a ``where`` condition, say) are moved
    to ``obj``'s library first (cuDF refuses pandas operands)."""
    library = library_of(obj)
    args = tuple(convert_library(a, library) if is_frame_like(a) else a for a in args)
    if method == "isin" and not kwargs and len(args) == 1 and (is_series_like(obj) or is_index_like(obj)):
        from gpuscale.backends.frame.cudf_isin import isin_values

        return isin_values(obj, args[0])
    return getattr(obj, method)(*args, **kwargs)


def call_accessor(obj: Any, accessor: str, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
    """``obj.str.attr(...)`` / ``obj.dt.attr``: an accessor attribute or method."""
    refuse_object_values(obj, accessor, attr)  # (cuDF: dt.date / dt.time)
    value = getattr(getattr(obj, accessor), attr)
    value = value(*args, **kwargs) if is_method else value
    if accessor == "dt" and attr in ("to_pytimedelta", "to_pydatetime") and is_series_like(obj):
        value = objects_as_series(obj, value)
    return counts_as_pandas(value, accessor, attr)


def apply(func: Callable, *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` (a task head that carries keyword arguments)."""
    return func(*args, **kwargs)


def getitem(obj: Any, key: Any) -> Any:
    """``obj[key]``; a list key selects columns."""
    return select_columns(obj, key) if isinstance(key, tuple) else obj[key]


def select_columns(df: Any, columns: Any) -> Any:
    """``df[list(columns)]``: the columns ``columns`` (a sequence of labels), as a DataFrame.

    pandas looks a list key up through ``Index.get_indexer`` and takes the column labels from
    that: ~0.2 ms per partition for a string column index (Arrow ``take``), more than a shift
    or a sum of 600k rows takes.  For a pandas frame with unique, flat column labels each label
    is one hash lookup (``get_loc``) and the frame is taken by position: the same frame (the
    columns share the data, as with ``df[list]``) in a fifth of the time.  Anything else
    (cuDF, repeated labels, a MultiIndex or datetime column index, a missing label) is
    ``df[list(columns)]``, with its errors.

    Examples
    --------
    >>> import pandas as pd
    >>> select_columns(pd.DataFrame({"a": [1], "b": [2.0], "c": ["x"]}), ("c", "a")).columns.tolist()
    ['c', 'a']
    """
    columns = list(columns)
    if not isinstance(df, pd.DataFrame):
        return df[columns]
    labels = df.columns
    if type(labels) is not pd.Index or not labels.is_unique:  # MultiIndex, datetimes (partial strings) ...
        return df[columns]
    try:
        positions = [labels.get_loc(c) for c in columns]
    except (KeyError, TypeError, pd.errors.InvalidIndexError):  # missing or unhashable: pandas' own error
        return df[columns]
    if not all(type(p) is int for p in positions) or any(isinstance(c, (bool, np.bool_)) for c in columns):
        return df[columns]
    return df.take(positions, axis=1)


def assign(df: Any, names: tuple, *values: Any) -> Any:
    """A copy of ``df`` with columns ``names`` set to ``values`` (partitions, scalars, or a pandas Series
    literal, aligned by label and moved to ``df``'s library)."""
    df = df.copy(deep=False)
    for name, value in zip(names, values):
        if is_series_like(value):
            value = convert_library(value, library_of(df))
            if len(df.index) == 0:  # pandas would give a frame of no rows the value's index (and rows)
                value = value.iloc[:0]
        df[name] = value
    return df


def filter_rows(obj: Any, mask: Any) -> Any:
    """Rows of ``obj`` where the boolean partition ``mask`` is True."""
    return obj[mask]


def head(obj: Any, n: int) -> Any:
    """The first ``n`` rows (a negative ``n``: all but the last ``-n``); an Index, which has no ``head``, is
    sliced (so a RangeIndex stays one, as pandas' ``idx[:n]``)."""
    return obj[:n] if is_index_like(obj) else obj.head(n)


def tail(obj: Any, n: int) -> Any:
    """The last ``n`` rows (a negative ``n``: all but the first ``-n``); an Index is sliced."""
    if is_index_like(obj):
        return obj[max(len(obj) - n, 0):] if n >= 0 else obj[-n:]
    return obj.tail(n)


def reverse_rows(obj: Any) -> Any:
    """The rows (or index values) in reverse order."""
    return obj[::-1] if is_index_like(obj) else obj.iloc[::-1]


def length(obj: Any) -> int:
    """Number of rows of a partition."""
    return len(obj)


def total(values: list) -> Any:
    """Sum of a list of numbers."""
    return sum(values)


_OPERATORS = {name: getattr(operator, name) for name in (
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "eq", "ne", "lt", "le", "gt", "ge",
    "and_", "or_", "xor")}


def binary_op(name: str, left: Any, right: Any) -> Any:
    """``left <op> right`` for an operator name of the ``operator`` module (``r``-prefix swaps)."""
    if name.startswith("r") and name[1:] in _OPERATORS and name not in _OPERATORS:
        return _OPERATORS[name[1:]](right, left)
    return as_pandas_comparison(_OPERATORS[name](left, right), name, left, right)  # (cuDF: null where an operand is)


def unary_op(name: str, obj: Any) -> Any:
    """``-obj``, ``+obj``, ``~obj``, ``abs(obj)``."""
    return getattr(operator, name)(obj)


def split_frame(obj: Any, n: int, chunksize: int | None = None, longer_first: bool = False) -> list:
    """Split a pandas/cuDF object into ``n`` row blocks of near-equal size (or blocks of ``chunksize`` rows, the
    last one shorter); ``longer_first``: the longer blocks first, as dask's ``from_pandas`` (else where
    ``linspace`` puts them, as dask's repartition)."""
    bounds = np.r_[_starts(len(obj), n, chunksize, longer_first).astype(int), len(obj)]
    return [obj.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _starts(length: int, n: int, chunksize: int | None, longer_first: bool = False) -> np.ndarray:
    """Where the row blocks start: every ``chunksize`` rows (dask's ``from_pandas(chunksize=)``), else ``n``
    blocks of near-equal size (``longer_first``: the longer ones first, as ``numpy.array_split``)."""
    if chunksize is not None:
        return np.arange(0, max(length, 1), chunksize)
    if not longer_first:
        return np.linspace(0, length, n + 1)[:-1]
    longer = length % n
    sizes = [length // n + 1] * longer + [length // n] * (n - longer)
    return np.r_[0, np.cumsum(sizes)[:-1]]


def _division_locations(index: Any, n: int, chunksize: int | None = None) -> list[int]:
    """Where ``n`` parts of a sorted index start (``chunksize``: parts of that many rows): near equal sizes,
    each at the first row of a value.

    Where duplicates pull two starts onto one value, the later start moves to the next value, and no start
    goes so far that the values left cannot start the remaining parts: with ``n`` or more distinct values
    there are exactly ``n`` parts (as dask's ``from_pandas``), else one per value.
    """
    values = index.to_numpy()
    starts = np.r_[0, np.flatnonzero(values[1:] != values[:-1]) + 1]  # first row of each distinct value
    targets = _starts(len(index), n, chunksize, longer_first=True)[1:]  # (from_pandas' parts: as dask's)
    n = len(targets) + 1
    exact = len(starts) >= n
    ranks = [0]
    for j, b in enumerate(targets, 1):
        rank = max(int(np.searchsorted(starts, int(b), side="right")) - 1, ranks[-1] + 1)
        if exact:
            rank = min(rank, len(starts) - (n - j))  # leave a distinct value for every later part
        if rank >= len(starts):
            break
        ranks.append(rank)
    return [int(starts[r]) for r in ranks]


def index_divisions(obj: Any, n: int, chunksize: int | None = None) -> tuple[list, tuple]:
    """Split an index-sorted object into at most ``n`` parts (or parts of about ``chunksize`` rows) that do not
    share index values.

    Returns the parts and their divisions (first index of each part, last index of the last).
    """
    if len(obj) == 0:
        return [obj], (None, None)
    index = _to_pandas(obj.index)
    locs = _division_locations(index, n, chunksize)
    parts = [obj.iloc[a:b] for a, b in zip(locs, [*locs[1:], len(obj)])]
    divisions = tuple(index[i] for i in locs) + (index[len(obj) - 1],)
    return parts, tuple(python_scalar(d) for d in divisions)




def is_monotonic_index(obj: Any) -> bool:
    """True if the index is one level that increases (so divisions can be known; a MultiIndex's
    tuples cannot be divisions, so its partitions keep unknown divisions, as in Dask)."""
    return getattr(obj.index, "nlevels", 1) == 1 and bool(obj.index.is_monotonic_increasing)


def sorted_by_index(obj: Any) -> Any:
    """``obj`` with its rows in index order (stable), as dask's ``from_pandas(sort=True)`` sorts them first;
    unchanged where no divisions could follow: an index already sorted, of several levels, with missing
    labels, or of values that do not compare (``[1, "a"]``)."""
    if getattr(obj.index, "nlevels", 1) != 1 or is_monotonic_index(obj) or bool(obj.index.hasnans):
        return obj
    try:
        return sort_index(obj)
    except TypeError:
        return obj


def sort_index(obj: Any) -> Any:
    """Sort by index (stable; NaN / NaT last).

    A single numeric or datetime pandas index is sorted with NumPy's stable
    argsort (timsort: linear on the few sorted runs that concatenated
    partitions form), several times faster than ``DataFrame.sort_index``.
    """
    kind = numpy_index_kind(obj)
    if kind is None and categorical_levels_misorder(obj):
        return sorted_by_index_columns(obj)
    if kind is None or kind not in "iufmM":
        return obj.sort_index(kind=stable_sort_kind(obj))
    if obj.index.is_monotonic_increasing:
        return obj
    return obj.take(np.argsort(obj.index.to_numpy(), kind="stable"))


def numpy_index_kind(obj: Any) -> str | None:
    """The NumPy dtype kind of a pandas object's single-level index (``None`` for other indexes)."""
    index = obj.index
    if library_of(obj) != "pandas" or index.nlevels != 1 or not isinstance(index.dtype, np.dtype):
        return None
    return index.dtype.kind


def apply_kwargs(func: Callable, kwargs: dict, *args: Any) -> Any:
    """``func(*args, **kwargs)``: a task head carrying keyword arguments as a literal dict."""
    return func(*args, **kwargs)


def project(obj: Any, columns: Any) -> Any:
    """Select columns: a tuple gives a DataFrame, a single label a Series."""
    return select_columns(obj, columns) if isinstance(columns, tuple) else obj[columns]


# -- creation ---------------------------------------------------------------------------------
def memory_bytes(obj: Any) -> int:
    """Bytes in memory of a partition (deep for strings)."""
    if _multiindex_columns_on_cudf(obj):
        # cuDF's DataFrame.memory_usage(index=True) labels its result ["Index", *columns.astype(str)], which
        # pandas refuses for MultiIndex columns (TypeError): columns and index are counted apart (cuDF counts
        # strings in full without deep=)
        return int(obj.memory_usage(index=False).sum()) + int(obj.index.memory_usage())
    usage = obj.memory_usage(deep=True, index=True)
    return int(usage.sum()) if is_series_like(usage) else int(usage)


def _multiindex_columns_on_cudf(obj: Any) -> bool:
    return is_dataframe_like(obj) and library_of(obj) == "cudf" and isinstance(obj.columns, pd.MultiIndex)


def frame_from_dict(data: dict, orient: str = "columns", dtype: Any = None, columns: Any = None) -> Any:
    """A pandas DataFrame from a dict."""
    return pd.DataFrame.from_dict(data, orient=orient, dtype=dtype, columns=columns)


def frame_from_array(x: Any, columns: Any = None) -> Any:
    """A pandas DataFrame (2-D) or Series (1-D) from a NumPy array (CuPy arrays go to cuDF)."""
    if _detect.is_cupy_array(x):
        import cudf

        return cudf.DataFrame(x, columns=columns) if x.ndim == 2 else cudf.Series(x, name=columns)
    x = np.asarray(x)
    if x.ndim == 1 and x.dtype.names:  # a record array: a column per field
        return pd.DataFrame(x, columns=columns)
    if x.ndim == 1:
        return pd.Series(x, name=columns)
    if x.ndim == 2:
        return pd.DataFrame(x, columns=columns)
    raise ValueError(f"from_array needs a 1-D or 2-D array, got {x.ndim} dimensions")


def split_bounds(frac: Any) -> tuple:
    """The cumulative bounds ``(0, f0, f0 + f1, ..., 1)`` of ``random_split``'s fractions, checked."""
    fractions = [float(f) for f in frac]
    if not fractions or any(f < 0 for f in fractions) or not np.isclose(sum(fractions), 1.0):
        raise ValueError(f"random_split: frac must be non-negative and sum to 1, got {list(frac)}")
    return tuple(float(b) for b in np.cumsum([0.0, *fractions]))


def random_seed(random_state: Any) -> int:
    """A 32-bit seed from an int, a NumPy ``RandomState``/``Generator`` or None (fresh entropy)."""
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**32 - 1))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**32 - 1))
    return int(np.random.SeedSequence(random_state).generate_state(1)[0])


def empty_frame_like_array(dtype: Any, tail_shape: tuple, columns: Any, index: Any = 0) -> Any:
    """The empty frame (2-D) or Series (1-D) :func:`frame_from_array` makes of such an array (with the
    empty ``index``, when given)."""
    return frame_from_array_at(np.zeros((0, *tail_shape), dtype=dtype), columns, index)


def random_split_part(part: Any, bounds: tuple, k: int, seed: int, shuffle: bool = False) -> Any:
    """The rows of a partition that ``random_split`` sends to output ``k`` (of ``len(bounds) - 1``), in a
    random order with ``shuffle``.

    Each output draws the same numbers for a partition (its stream is seeded by ``seed`` and the
    partition's length and first and last labels), so every row goes to exactly one output.
    """
    if len(part) == 0:
        return part
    index = _to_pandas(part.index[:1].append(part.index[-1:])) if len(part) else []
    labels = [_stable_hash32(repr(python_scalar(v))) for v in index]
    draws = np.random.default_rng([seed, len(part), *labels]).random(len(part))
    out = part[(draws >= bounds[k]) & (draws < bounds[k + 1])]
    if shuffle:
        out = out.iloc[np.random.default_rng([seed, k, len(part), *labels]).permutation(len(out))]
    return out


def _stable_hash32(text: str) -> int:
    """A 32-bit hash of ``text``, the same in every process (``hash()`` of a str is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "little")


def frame_from_array_at(x: Any, columns: Any, start: Any) -> Any:
    """:func:`frame_from_array` with an index numbering the rows from ``start`` (an int), or the labels
    ``start`` (an Index of as many rows), or the default ``0, 1, ...`` (None)."""
    out = frame_from_array(x, columns)
    if isinstance(start, (int, np.integer)):
        out.index = namespace(out).RangeIndex(start, start + len(out))
    elif start is not None:
        if len(start) != len(out):
            raise ValueError(f"from_dask_array: a block of {len(out)} rows meets an index partition of "
                             f"{len(start)} labels")
        out = convert_library(out, library_of(start))  # NumPy blocks meet cuDF labels on the GPU
        out.index = start
    return out


# -- merge ------------------------------------------------------------------------------------------
def merge_chunks(left: Any, right: Any, **kwargs: Any) -> Any:
    """``left.merge(right, **kwargs)`` of two partitions."""
    if kwargs.get("how") == "leftsemi" and _detect.is_pandas_object(left):
        return _pandas_leftsemi(left, right, kwargs)
    left, right = drop_unmatchable(left, right, kwargs)
    levels_kept = merged_keeping_index_levels(left, right, kwargs)  # (cuDF: index levels under other key names)
    if levels_kept is not None:
        return levels_kept
    return merged_pair(left, right, kwargs)


def merged_pair(left: Any, right: Any, kwargs: dict) -> Any:
    """``left.merge(right, **kwargs)`` with pandas' column order and the index a merge of columns with the other
    side's index keeps (its names; on no rows pandas gives the key instead: the index's dtype and names)."""
    out = in_pandas_column_order(left.merge(right, **kwargs), left, right, kwargs)
    carried = _carried_index(left, right, kwargs)
    if carried is not None and len(out) == 0:
        out.index = carried[:0]
    elif carried is not None and _other_side_empty(left, right, kwargs):
        # pandas gives the indexed side's own labels when the other side has no rows; merged with the whole
        # other side (which has rows elsewhere) they match nothing there: missing labels
        out.index = missing_labels(carried, len(out))
    elif carried is not None and carried.nlevels == out.index.nlevels and \
            list(out.index.names) != list(carried.names):
        out.index.names = list(carried.names)
    return out


def _pandas_leftsemi(left: Any, right: Any, kwargs: dict) -> Any:
    """cuDF's ``how="leftsemi"``, which pandas lacks: the left rows whose keys occur on the right, with
    the left's columns only (and a fresh index when the keys are columns, as a merge gives)."""
    def keys(frame: Any, on: Any, by_index: bool) -> Any:
        if by_index:
            return frame.index
        values = [frame[k] if k in frame.columns else frame.index.get_level_values(k) for k in on]
        return pd.MultiIndex.from_arrays(values) if len(values) > 1 else pd.Index(values[0])

    wanted = keys(right, kwargs.get("right_on"), kwargs.get("right_index"))
    rows = left[np.asarray(keys(left, kwargs.get("left_on"), kwargs.get("left_index")).isin(wanted))]
    return rows if kwargs.get("left_index") else rows.reset_index(drop=True)


def _other_side_empty(left: Any, right: Any, kwargs: dict) -> bool:
    """Whether the side that gives the labels (the indexed side's partner) is empty while the indexed side keeps
    its rows (``how`` keeps the unmatched rows of the indexed side)."""
    if kwargs.get("left_index"):
        return len(right) == 0 and kwargs.get("how", "inner") in ("left", "outer")
    return len(left) == 0 and kwargs.get("how", "inner") in ("right", "outer")


def _carried_index(left: Any, right: Any, kwargs: dict) -> Any:
    """The index a merge of columns with the other side's index keeps (its labels name the rows).

    pandas names an empty result's index after the indexed side, so partitions whose shards
    happen to be empty would disagree with the others (and with a merge of the whole frames).
    """
    if kwargs.get("right_index") and not kwargs.get("left_index"):
        return left.index
    if kwargs.get("left_index") and not kwargs.get("right_index"):
        return right.index
    return None


def key_kind(dtype: Any) -> str:
    """A coarse class of a dtype, for checking that merge keys can match."""
    kind = getattr(dtype, "kind", "O")
    if isinstance(dtype, pd.CategoricalDtype):
        return key_kind(dtype.categories.dtype)
    if kind in "iufb":
        return "number"
    if kind in "OSU" or str(dtype) in ("str", "string") or "string" in str(dtype):
        return "string"
    if kind == "M":
        return "datetime"
    if kind == "m":
        return "timedelta"
    return str(dtype)


def conform(obj: Any, meta: Any) -> Any:
    """Give a partition the columns (and dtypes where possible) of ``meta`` (concat of unlike frames)."""
    if is_dataframe_like(meta) and is_dataframe_like(obj) and list(obj.columns) != list(meta.columns):
        obj = obj.reindex(columns=meta.columns)
    if is_dataframe_like(meta):
        changed = {c: meta[c].dtype for c in meta.columns if obj[c].dtype != meta[c].dtype}
        if changed:
            obj = obj.astype(changed)
    return obj


def concat_meta(metas: list, join: str = "outer") -> Any:
    """The metadata of a row-wise concat."""
    return make_meta(namespace(metas[0]).concat([meta_nonempty(m) for m in metas], join=join))


def concat_columns(*parts: Any) -> Any:
    """Column-wise concat of aligned partitions."""
    return namespace(parts[0]).concat(list(parts), axis=1)


def to_datetime(obj: Any, **kwargs: Any) -> Any:
    """``to_datetime`` of the partition's library (see :func:`unparsed_text_in_microseconds`)."""
    out = namespace(obj).to_datetime(obj, **kwargs)
    return out if "unit" in kwargs else unparsed_text_in_microseconds(obj, out)


def unparsed_text_in_microseconds(text: Any, out: Any) -> Any:
    """``out``, times parsed from ``text``, in microseconds where no value parsed.  pandas 3 parses text to
    microseconds, but gives seconds where none parsed (an empty partition, the metadata's, or only missing
    ones): those take microseconds too, so the partitions and the metadata agree.

    Examples
    --------
    >>> import pandas as pd
    >>> empty = pd.Series([], dtype="object")
    >>> str(unparsed_text_in_microseconds(empty, pd.Series([], dtype="timedelta64[s]")).dtype)
    'timedelta64[us]'
    """
    dtype = getattr(text, "dtype", None)
    is_text = getattr(dtype, "kind", None) in ("O", "U", "T") or "str" in str(dtype)
    unit = str(getattr(out, "dtype", "")).partition("[")[2]
    if is_text and unit.startswith("s") and not bool(out.notna().any()):
        out = out.astype(str(out.dtype).replace("[s", "[us"))
    return out


def unit_numbers_meta(convert: Callable, meta: Any, **kwargs: Any) -> Any:
    """The metadata of ``convert(meta, **kwargs)`` (``to_datetime`` / ``to_timedelta`` of numbers), None where
    the empty metadata tells (the caller infers as usual).  It is that of a one-value sample, as the partitions
    with rows compute it: pandas 3 gives nanoseconds for integers without a unit and for julian dates but
    seconds/microseconds for no rows, and nanoseconds for floats with fractions but microseconds for whole
    ones: floats are taken to have fractions, as whole numbers would more often be integers.  The sample of
    ``origin="julian"`` is a julian date (``0.5`` is out of its bounds).

    Examples
    --------
    >>> import pandas as pd
    >>> str(unit_numbers_meta(to_datetime, pd.Series([], dtype="float64"), unit="s").dtype)
    'datetime64[ns]'
    >>> str(unit_numbers_meta(to_datetime, pd.Series([], dtype="float64"), unit="D", origin="julian").dtype)
    'datetime64[ns]'
    """
    if not (is_series_like(meta) or is_index_like(meta)) or getattr(meta.dtype, "kind", None) not in ("i", "u", "f"):
        return None
    julian = isinstance(kwargs.get("origin"), str) and kwargs["origin"] == "julian"
    value = (2440588 if julian else 1) + (0.25 if meta.dtype.kind == "f" else 0)  # (julian 2440588: 1970-01-01 12:00)
    try:
        sample = convert(namespace(meta).Series([value], dtype=meta.dtype), **kwargs)
        return make_meta(convert(meta, **kwargs)).astype(sample.dtype)  # (the metadata's name and index)
    except Exception:  # noqa: BLE001 - an option the sample does not meet: inferred as usual
        return None


__all__ = [
    "apply", "apply_kwargs", "assign", "binary_op", "call_accessor", "call_method",
    "concat_columns", "concat_meta", "conform", "empty_frame_like_array", "filter_rows", "frame_from_array",
    "frame_from_array_at", "frame_from_dict", "getitem", "head", "index_divisions", "is_monotonic_index",
    "key_kind", "length", "memory_bytes", "merge_chunks", "merged_pair", "numpy_index_kind", "project", "random_seed",
    "random_split_part", "reverse_rows", "sort_index", "sorted_by_index", "split_bounds", "split_frame", "tail",
    "to_datetime", "total", "unary_op", "unit_numbers_meta", "unparsed_text_in_microseconds",
]
