"""Footer statistics (sizes, null counts, min/max) and filter terms for parquet pushdown.

A term the optimizer pushes from a pandas mask must select exactly the rows
pandas would: :func:`pushable` admits only comparisons pyarrow evaluates the
same way, and :func:`pandas_term` makes ``!=`` keep missing values.  A term's
value is a literal, or a :class:`ColumnRef` to compare two columns of a row
(``l_commitdate < l_receiptdate``).
"""

from __future__ import annotations

import functools
import operator
from typing import Any, NamedTuple

from gpuscale.backends.io.parquet_read import ParquetPartition

__all__ = ["ColumnRef", "filter_columns", "pandas_term", "same_kind", "comparable_columns", "partition_bounds",
           "null_counts", "integer_or_boolean", "row_group_column_sizes", "selected_bytes", "is_midnight",
           "pushable_membership", "dnf_expression"]


class ColumnRef(NamedTuple):
    """The value of a filter term that is another column of the same row."""

    name: str


_COLUMN_OPS = {"==": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def filter_columns(groups: list | None, pushed: list | None) -> set[str]:
    """Columns named by DNF ``groups`` and loose ``pushed`` terms (both sides of a column comparison)."""
    terms = [term for group in groups or [] for term in group] + list(pushed or [])
    return {term[0] for term in terms} | {term[2].name for term in terms if isinstance(term[2], ColumnRef)}


def partition_bounds(partition: ParquetPartition, column: str, dtype: Any = None) -> tuple | None:
    """The smallest and largest value of ``column`` in a partition from its footer statistics, as values of the
    pandas ``dtype`` the column is read as (timestamps and dates: only where that is a datetime64 dtype); None
    where a fragment has none that can be trusted."""
    lows, highs = [], []
    for piece in partition.fragments:
        stats = _column_statistics(piece, column, dtype)
        if stats is None:
            return None
        lows.append(stats[0])
        highs.append(stats[1])
    return min(lows), max(highs)


def _column_statistics(piece: Any, column: str, dtype: Any = None) -> tuple | None:
    metadata = piece.metadata.row_group(piece.row_groups[0].id)
    for j in range(metadata.num_columns):
        chunk = metadata.column(j)
        if chunk.path_in_schema == column:
            stats = chunk.statistics
            if stats is None or not stats.has_min_max or stats.null_count:
                return None
            if stats.logical_type.type in ("TIMESTAMP", "DATE"):
                return _datetime_statistics(stats, dtype)
            if not isinstance(stats.min, (int, float, str)) or isinstance(stats.min, bool):
                return None  # only plain numbers and strings compare like the pandas index
            return stats.min, stats.max
    return None


_TIME_UNITS = {"milliseconds": "ms", "microseconds": "us", "nanoseconds": "ns"}
_FINER = ["D", "s", "ms", "us", "ns"]  # (a coarser index unit would round the bounds)


def _datetime_statistics(stats: Any, dtype: Any) -> tuple | None:
    """A timestamp or date column's min/max as ``pd.Timestamp`` of the datetime64 ``dtype`` it is read as (its
    unit and time zone); None where the pandas dtype is another, or the stored instants are not comparable
    with it (UTC instants read as wall times, or the other way round; INT96 timestamps, whose order parquet
    leaves undefined)."""
    import json

    import numpy as np
    import pandas as pd

    if not isinstance(dtype, (np.dtype, pd.DatetimeTZDtype)) or dtype.kind != "M" \
            or stats.physical_type not in ("INT32", "INT64"):
        return None
    spec = json.loads(stats.logical_type.to_json())
    unit = "D" if spec["Type"] == "Date" else _TIME_UNITS.get(spec.get("timeUnit"))
    tz = getattr(dtype, "tz", None)
    target = dtype.unit if tz is not None else np.datetime_data(dtype)[0]
    if unit is None or target not in _FINER or _FINER.index(target) < _FINER.index(unit) \
            or bool(spec.get("isAdjustedToUTC")) != (tz is not None):
        return None

    def stamp(raw: int) -> Any:
        value = pd.Timestamp(np.datetime64(raw, unit)).as_unit(target)
        return value.tz_localize("UTC").tz_convert(tz) if tz is not None else value

    return stamp(stats.min_raw), stamp(stats.max_raw)


def null_counts(row_group: Any, names: set) -> dict:
    """``{column: nulls}`` for the top-level columns ``names`` stored in a row group's footer entry
    (``row_group``: pyarrow's ``RowGroupMetaData``); None where the writer recorded no null count."""
    counts = {}
    for j in range(row_group.num_columns):
        chunk = row_group.column(j)
        if chunk.path_in_schema in names:
            stats = chunk.statistics
            counts[chunk.path_in_schema] = stats.null_count if stats is not None and stats.has_null_count else None
    return counts


def integer_or_boolean(kind: Any) -> bool:
    """Whether an Arrow type is an integer or boolean one (NumPy cannot hold a null of it)."""
    import pyarrow as pa

    return pa.types.is_integer(kind) or pa.types.is_boolean(kind)


def row_group_column_sizes(metadata: Any, schema: Any) -> tuple[dict, int]:
    """Estimated in-memory bytes of each top-level column of one row group, and its total footer size.

    Footer sizes are encoded sizes: dictionary or run-length encoded columns
    (prices, dates, flags) are far smaller on disk than in memory, so a
    fixed-width column counts ``rows * width`` and a variable-width one its
    encoded size plus an offset per row (a nested column: the sum of its leaves).
    """
    rows, sizes = metadata.num_rows, {}
    for j in range(metadata.num_columns):
        column = metadata.column(j)
        name = column.path_in_schema.split(".")[0]
        sizes[name] = sizes.get(name, 0) + _column_bytes(column, name, schema, rows)
    return sizes, metadata.total_byte_size


def selected_bytes(sizes: dict, total: int, wanted: set) -> int:
    """The bytes of the ``wanted`` columns among a row group's ``sizes``; all of it when none is stored there
    (only hive keys, or no column: the row group's footer size)."""
    found = [size for name, size in sizes.items() if name in wanted]
    return sum(found) if found else total


def _column_bytes(column: Any, name: str, schema: Any, rows: int) -> int:
    index = schema.get_field_index(name)
    width = _fixed_width(schema.field(index).type) if index >= 0 else None
    return rows * width if width else column.total_uncompressed_size + 8 * rows


def _fixed_width(arrow_type: Any) -> int | None:
    try:
        return max(arrow_type.bit_width // 8, 1)
    except ValueError:  # variable width (strings, lists)
        return None


def same_kind(kind: Any, value: Any) -> bool:
    import datetime

    import numpy as np
    import pandas as pd
    import pyarrow as pa

    if isinstance(value, (bool, np.bool_)):
        return pa.types.is_boolean(kind)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return pa.types.is_integer(kind) or pa.types.is_floating(kind)
    if isinstance(value, str):
        return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)
    if isinstance(value, (datetime.datetime, np.datetime64)):
        if value is pd.NaT or (isinstance(value, np.datetime64) and np.isnat(value)):
            return False  # (pandas: no NaT is equal to anything; pyarrow cannot take it)
        value_tz = getattr(value, "tzinfo", None)
        return pa.types.is_timestamp(kind) and (kind.tz is None) == (value_tz is None)
    if isinstance(value, datetime.date):  # date32/date64 columns hold datetime.date objects in pandas
        return pa.types.is_date(kind)
    return False


def exact_in_column(kind: Any, value: Any) -> bool:
    """Whether a number compares with a narrow float column (float32, float16) in pyarrow as in pandas: pandas
    (NumPy's rules) rounds a Python number to the column's precision, pyarrow widens the column; they agree when
    the number is exactly one of the column's values."""
    import numpy as np
    import pyarrow as pa

    if not pa.types.is_floating(kind) or kind.bit_width >= 64 or isinstance(value, (bool, np.bool_)):
        return True
    if not isinstance(value, (int, float, np.integer, np.floating)):
        return True
    narrow = np.asarray(value).astype(kind.to_pandas_dtype())
    return bool(float(narrow) == float(value))


def comparable_columns(left: Any, right: Any, op: str) -> bool:
    """Whether pyarrow compares columns of Arrow types ``left`` and ``right`` as pandas does."""
    import pyarrow as pa

    if op not in _COLUMN_OPS:  # "!=": pandas matches missing values, pyarrow does not
        return False
    numeric = [pa.types.is_integer(t) or pa.types.is_floating(t) for t in (left, right)]
    if all(numeric):
        return True
    if pa.types.is_timestamp(left) and pa.types.is_timestamp(right):
        return (left.tz is None) == (right.tz is None)
    return (pa.types.is_date(left) and pa.types.is_date(right)) or (
        left == right and (pa.types.is_string(left) or pa.types.is_large_string(left)))


def pandas_term(term: tuple) -> Any:
    """One ``(column, op, value)`` as pandas evaluates it: ``!=`` is true for missing values."""
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    column, op, value = term
    if isinstance(value, ColumnRef):  # missing on either side: no match, in pandas and pyarrow alike
        return _COLUMN_OPS[op](ds.field(column), ds.field(value.name))
    if op == "!=na":  # a nullable column: NA != x is missing and drops the row, as pyarrow's null
        return pq.filters_to_expression([[(column, "!=", value)]])
    expression = pq.filters_to_expression([[term]])
    return expression | ds.field(column).is_null() if op == "!=" else expression


def is_midnight(value: Any) -> bool:
    """Whether ``value`` is a time-zone-naive timestamp at midnight."""
    import datetime

    import pandas as pd

    return (isinstance(value, datetime.datetime) and value.tzinfo is None
            and pd.Timestamp(value) == pd.Timestamp(value).normalize())


def pushable_membership(kind: Any, values: Any) -> bool:
    """Whether pyarrow's ``is_in`` over ``values`` keeps the rows pandas' ``isin`` keeps.

    Missing values (None, NaN) are left to pandas, which matches them where
    pyarrow's null handling differs; an integer column takes only integers
    (pyarrow would refuse to cast 2.5 into its value set).
    """
    import math

    import pyarrow as pa

    if not isinstance(values, (list, tuple)) or not values:
        return False
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)) or not same_kind(kind, value):
            return False
        if pa.types.is_integer(kind) and not float(value).is_integer():
            return False
    return True


def dnf_expression(groups: list) -> Any:
    """pyarrow's expression of user DNF filters, with dask's ``("x", "is", None)`` / ``"is not"`` terms
    (missing values; NaN counts as missing, as in pandas), which pyarrow's own filters lack."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    def term(column: str, op: str, value: Any) -> Any:
        if op in ("is", "is not"):
            missing = pc.field(column).is_null(nan_is_null=True)
            return missing if op == "is" else ~missing
        return pq.filters_to_expression([[(column, op, value)]])

    clauses = [functools.reduce(lambda a, b: a & b, [term(*t) for t in group]) for group in groups]
    return functools.reduce(lambda a, b: a | b, clauses)
