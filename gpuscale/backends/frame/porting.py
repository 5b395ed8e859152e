"""Partition functions of the dask methods ported code calls (``nunique_approx``, ``combine``, ``case_when``,
``to_timestamp``, ``to_backend``, ``to_string``): HyperLogLog sketches, partition moves between pandas and cuDF,
and the structure table dask prints for a lazy collection."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends import _detect
from gpuscale.backends.frame.categorical import has_known_categories, is_categorical
from gpuscale.backends.frame.combine import combine_frames
from gpuscale.backends.frame.core import is_dataframe_like, is_frame_like as _is_frame, is_index_like, library_of

__all__ = ["HLL_BITS", "row_hashes", "hll_chunk", "hll_combine", "hll_estimate", "MOVE_OPTIONS",
           "check_move_options", "move_partition",
           "combine_partition", "dot_partition", "check_partition_divisions", "row_idx_extreme",
           "case_when_partition", "timestamp_divisions", "period_divisions", "structure_table", "labels_by_column"]

HLL_BITS = 16  # 2**16 registers: a relative standard error of 1.04 / 2**8, about 0.4 % (dask's precision)


def row_hashes(part: Any) -> Any:
    """An unsigned hash of every row of a partition (all its columns; the index left out), on the host:
    64 bits (pandas, cuDF's xxhash64) or 32 (where a library gives only those).

    pandas and cuDF hash differently, so sketches are only merged within one library (a collection has one).
    """
    if is_index_like(part):  # an index hashes as the Series of its values (cuDF's Index has no hash_values)
        part = part.to_series()
    if _detect.is_cudf_object(part):
        from gpuscale.backends.convert import to_host

        return to_host(part.hash_values(method="xxhash64")).to_numpy()
    return pd.util.hash_pandas_object(part, index=False).to_numpy(dtype=np.uint64)


def hll_chunk(part: Any, bits: int = HLL_BITS) -> Any:
    """The HyperLogLog registers of one partition: per bucket (the top ``bits`` bits of the hash) the
    largest rank (position of the first set bit in the rest of the hash)."""
    hashes = np.asarray(row_hashes(part))
    registers = np.zeros(1 << bits, dtype=np.uint8)
    if hashes.size == 0:
        return registers
    rest_bits = hashes.dtype.itemsize * 8 - bits
    hashes = hashes.astype(np.uint64)
    buckets = (hashes >> np.uint64(rest_bits)).astype(np.int64)
    rest = hashes & np.uint64((1 << rest_bits) - 1)
    # the bit length of a value below 2**48 is exact through float64's exponent
    bit_length = np.frexp(rest.astype(np.float64))[1]
    ranks = (rest_bits - bit_length + 1).astype(np.uint8)
    np.maximum.at(registers, buckets, ranks)
    return registers


def hll_combine(parts: list, **kwargs: Any) -> Any:
    """Registers of several partitions: the bucket-wise maximum."""
    return np.maximum.reduce([np.asarray(p) for p in parts])


def hll_estimate(parts: list, **kwargs: Any) -> Any:
    """The distinct count estimated from merged registers (linear counting while many buckets are empty)."""
    registers = hll_combine(parts).astype(np.float64)
    m = registers.size
    alpha = 0.7213 / (1 + 1.079 / m)
    raw = alpha * m * m / np.sum(np.exp2(-registers))
    empty = int(np.count_nonzero(registers == 0))
    if raw <= 2.5 * m and empty:
        return np.float64(m * np.log(m / empty))
    return np.float64(raw)


# the options of each move's conversion: cudf.from_pandas's, cuDF's to_pandas's (dask_cudf's to_backend takes them)
MOVE_OPTIONS = {("pandas", "cudf"): ("nan_as_null",), ("cudf", "pandas"): ("nullable", "arrow_type")}


def check_move_options(source: str, library: str, options: dict) -> None:
    """Refuse ``options`` the conversion from ``source`` to ``library`` does not take (``ValueError`` naming them
    and the conversion, as dask_cudf's ``to_backend``)."""
    allowed = MOVE_OPTIONS.get((source, library), ())
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        takes = f"takes only {', '.join(allowed)}" if allowed else "takes no options"
        raise ValueError(f"to_backend: the {source}-to-{library} conversion {takes}; got {', '.join(unknown)}")


def move_partition(part: Any, library: str, **options: Any) -> Any:
    """A partition (or its metadata) as an object of ``library`` (``"pandas"`` or ``"cudf"``); each move
    is one counted host<->device copy; ``options`` are its conversion's (:data:`MOVE_OPTIONS`)."""
    from gpuscale.backends.convert import to_device, to_host

    return to_device(part, "cudf", **options) if library == "cudf" else to_host(part, **options)


def combine_partition(a: Any, b: Any, func: Any, self_facts: Any = None, other_facts: Any = None,
                      fill_value: Any = None, overwrite: Any = None) -> Any:
    """``a.combine(b, func, fill_value)`` of two aligned partitions (``overwrite`` of DataFrames only), as pandas
    computes it on the whole frames (``self_facts`` / ``other_facts``: theirs, :func:`combine_facts`).

    cuDF has no ``combine``: ``func`` is a Python function of values (or of host Series), so cuDF
    partitions are combined on the host and copied back.
    """
    library = library_of(a)
    a, b = move_partition(a, "pandas"), move_partition(b, "pandas")
    if is_dataframe_like(a) and is_dataframe_like(b):
        out = combine_frames(a, b, func, fill_value, True if overwrite is None else overwrite, self_facts,
                             other_facts)
    elif is_dataframe_like(a):
        out = a.combine(b, func, fill_value=fill_value, overwrite=True if overwrite is None else overwrite)
    else:
        out = a.combine(b, func, fill_value=fill_value)
    return move_partition(out, library)


def dot_partition(part: Any, other: Any) -> Any:
    """``part.dot(other)`` with an in-memory ``other`` moved to the partition's library first."""
    return part.dot(move_partition(other, library_of(part)) if _is_frame(other) else other)


def row_idx_extreme(part: Any, how: str, skipna: bool = True) -> Any:
    """The column label of each row's first largest (``how="max"``) or smallest value.

    cuDF has no ``DataFrame.idxmax``: its partitions are answered on the host and copied back.
    """
    library = library_of(part)
    out = getattr(move_partition(part, "pandas"), f"idx{how}")(axis=1, skipna=skipna)
    return move_partition(out, library)


def case_when_partition(part: Any, *flat: Any) -> Any:
    """pandas' ``Series.case_when`` (the first true condition chooses; no condition: the value stays), from
    ``mask`` so pandas and cuDF share it; ``flat`` is ``condition, replacement, condition, replacement ...``
    (each a partition, an array, a scalar or a callable of the partition)."""
    out = part
    pairs = list(zip(flat[0::2], flat[1::2]))
    for condition, replacement in reversed(pairs):  # the first condition is applied last, so it wins
        condition = condition(part) if callable(condition) else condition
        replacement = replacement(part) if callable(replacement) else replacement
        out = out.mask(condition, replacement)
    return out


def check_partition_divisions(part: Any, i: int, divisions: tuple = ()) -> Any:
    """``part`` (partition ``i``) unchanged if its index lies in ``[divisions[i], divisions[i + 1])`` (the last
    partition's upper bound included); otherwise a RuntimeError naming the partition and both ranges."""
    if len(part) == 0:
        return part
    index = part if is_index_like(part) else part.index
    low, high, last = divisions[i], divisions[i + 1], i == len(divisions) - 2
    real_min, real_max = index.min(), index.max()
    ok_min = pd.isna(low) or real_min >= low
    ok_max = pd.isna(high) or (real_max <= high if last else real_max < high)
    if not (ok_min and ok_max):
        closing = "]" if last else ")"
        raise RuntimeError(f"enforce_runtime_divisions: partition {i} should hold the index range "
                           f"[{low}, {high}{closing}, but holds [{real_min}, {real_max}]")
    return part


def timestamp_divisions(divisions: tuple, freq: Any, how: str) -> tuple:
    """Period divisions as timestamps (``PeriodIndex.to_timestamp``); unknown divisions stay unknown."""
    if any(d is None for d in divisions):
        return divisions
    return tuple(pd.PeriodIndex(list(divisions)).to_timestamp(freq=freq, how=how))


def period_divisions(divisions: tuple, freq: Any) -> tuple:
    """Datetime divisions as periods of ``freq`` (``DatetimeIndex.to_period``); unknown where two boundaries fall
    in one period (a period's rows would lie in two partitions) or were unknown."""
    if any(d is None for d in divisions):
        return divisions
    periods = pd.DatetimeIndex(list(divisions)).to_period(freq)
    return tuple(periods) if periods[:-1].is_unique and periods.is_monotonic_increasing else (None,) * len(divisions)


def _dtype_label(meta: Any) -> str:
    if is_categorical(meta.dtype):
        return "category[known]" if has_known_categories(meta) else "category[unknown]"
    return str(meta.dtype)


def structure_table(meta: Any, divisions: tuple) -> Any:
    """The table dask prints for a lazy collection: the divisions as index (named ``npartitions=N``), the
    dtype of each column in the first row and ``...`` below (a pandas object, whatever the library)."""
    npartitions = len(divisions) - 1
    name = f"npartitions={npartitions}"
    known = all(d is not None for d in divisions)
    index = pd.Index(list(divisions) if known else [""] * len(divisions), name=name)

    def column(series_meta: Any, label: Any) -> Any:
        return pd.Series([_dtype_label(series_meta)] + ["..."] * npartitions, index=index, name=label)

    if not is_dataframe_like(meta):
        return column(meta, meta.name)
    if len(meta.columns) == 0:
        return pd.DataFrame([[]] * len(index), columns=pd.Index(list(meta.columns)), index=index)
    return pd.concat([column(meta[c], c) for c in meta.columns], axis=1)


def labels_by_column(results: list, columns: list, dtype: Any, library: str) -> Any:
    """One label per column (``idxmax`` of each column) as a Series indexed by the column names (``columns``:
    the frame's column Index, whose dtype the result's index keeps, or a list)."""
    from gpuscale.backends.convert import to_device

    index = columns if isinstance(columns, pd.Index) else pd.Index(columns)
    out = pd.Series(list(results), index=index, dtype=dtype)
    return to_device(out, "cudf") if library == "cudf" else out
