"""Library helpers and metadata: the only places that branch on pandas vs cuDF."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends import _detect


# -- library helpers (the only per-library branches) ----------------------------------
def namespace(obj: Any) -> Any:
    """The module (``pandas`` or ``cudf``) of a partition."""
    return sys.modules["cudf"] if _detect.is_cudf_object(obj) else pd


def library_of(obj: Any) -> str:
    """``"cudf"`` or ``"pandas"``."""
    return "cudf" if _detect.is_cudf_object(obj) else "pandas"


def from_library(library: str) -> Any:
    """The module for a library name."""
    if library == "cudf":
        import cudf

        return cudf
    return pd


def convert_library(obj: Any, library: str) -> Any:
    """Move a pandas object to ``library`` (counted by ``to_device``), or leave it."""
    if library == "cudf":
        from gpuscale.backends.convert import to_device

        return to_device(obj, "cudf")
    return obj


def stable_sort_kind(obj: Any) -> str:
    """The ``kind=`` of a stable sort: pandas needs ``"stable"``; cuDF refuses every kind but
    ``"quicksort"`` in ``sort_index`` and warns in ``sort_values``, and its sorts are stable anyway."""
    return "quicksort" if _detect.is_cudf_object(obj) else "stable"


def infer_dtypes(obj: Any) -> Any:
    """Object columns holding one kind of value get that dtype (after a transpose of partials).

    pandas: ``infer_objects``.  cuDF has no object dtype (nothing to infer) and no such method.
    """
    return obj if _detect.is_cudf_object(obj) else obj.infer_objects()


def is_dataframe_like(obj: Any) -> bool:
    """True for a pandas or cuDF DataFrame."""
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "columns")


def is_series_like(obj: Any) -> bool:
    """True for a pandas or cuDF Series."""
    return type(obj).__name__ == "Series" and hasattr(obj, "dtype")


def is_index_like(obj: Any) -> bool:
    """True for a pandas or cuDF Index."""
    return _detect.is_pandas_object(obj) and isinstance(obj, pd.Index) or (
        _detect.is_cudf_object(obj) and "Index" in type(obj).__name__)


def is_frame_like(obj: Any) -> bool:
    """True for a DataFrame, Series or Index partition."""
    return is_dataframe_like(obj) or is_series_like(obj) or is_index_like(obj)


# -- metadata ---------------------------------------------------------------------------
def make_meta(obj: Any) -> Any:
    """An empty object with the same columns / dtypes (scalars become typed NumPy scalars)."""
    if is_frame_like(obj):
        return obj[:0] if is_index_like(obj) else obj.iloc[:0]
    if isinstance(obj, np.generic):
        return obj
    if obj is None:
        return np.float64(np.nan)
    try:
        return np.array(obj).dtype.type(obj) if not isinstance(obj, str) else obj
    except (TypeError, ValueError):
        return obj


def meta_from_spec(spec: Any, library: str) -> Any:
    """A ``meta=`` as dask accepts it, as an empty object of ``library``.

    ``(name, dtype)`` -> an empty Series; a dict or a list of ``(name, dtype)`` -> an empty
    DataFrame; an empty pandas/cuDF object as is; anything else (a dtype, a scalar) -> a typed
    scalar (via :func:`make_meta`).
    """
    if is_frame_like(spec):  # (a pandas meta= of a cuDF collection is moved to cuDF: partitions are cuDF's)
        return convert_library(make_meta(spec), library) if library_of(spec) != library else make_meta(spec)
    if isinstance(spec, tuple) and len(spec) == 2 and not isinstance(spec[1], tuple):
        return convert_library(pd.Series([], name=spec[0], dtype=_dtype(spec[1])), library)
    if isinstance(spec, dict) or (isinstance(spec, list) and spec and all(isinstance(i, tuple) for i in spec)):
        pairs = spec.items() if isinstance(spec, dict) else spec
        frame = pd.DataFrame({name: pd.Series([], dtype=_dtype(dtype)) for name, dtype in pairs})
        return convert_library(frame, library)
    if isinstance(spec, (str, np.dtype, type)):
        return np.dtype(_dtype(spec)).type(0) if np.dtype(_dtype(spec)).kind != "O" else None
    return make_meta(spec)


def _dtype(dtype: Any) -> Any:
    return "object" if dtype in (object, "O", "object") else dtype


def values_as_series(value: Any, library: str, position: int = 0) -> Any:
    """Partition ``position``'s non-frame result (a number, a list, ...) as a one-row Series of ``library``
    (``map_partitions`` returning ``len(p)`` gives a Series with one value per partition, as dask).

    As dask's: a container (list, tuple, dict, set) is labelled by ``position`` (``result[i]`` is partition
    i's), a scalar by 0."""
    container = isinstance(value, (list, tuple, dict, set))
    series = pd.Series([value], index=[position if container else 0], dtype="object" if container else None)
    return convert_library(series, library)


def enforce_meta(result: Any, meta: Any, label: str) -> Any:
    """Check a partition computed by user code against the ``meta=`` it was declared with (dask's
    ``apply_and_enforce``): a DataFrame must have meta's columns in order; a Series takes meta's name.  A partition
    of no rows is the metadata (pandas' ``apply(axis=1)`` of no rows gives its input back, as dask's check
    allows)."""
    if is_frame_like(result) and is_frame_like(meta) and len(result) == 0 and not is_index_like(result):
        empty = meta.iloc[:0]
        if hasattr(result, "index") and result.index.dtype == empty.index.dtype:
            empty.index = result.index[:0]
        return empty
    if is_dataframe_like(meta):
        if not is_dataframe_like(result):
            raise ValueError(f"Metadata mismatch found in `{label}`: meta= declares a DataFrame, the partition is a "
                             f"{type(result).__name__}")
        got, want = list(result.columns), list(meta.columns)
        if got != want:
            extra, missing = [c for c in got if c not in want], [c for c in want if c not in got]
            order = "" if extra or missing else f"\n  Order: {got} (declared {want})"
            raise ValueError(f"Metadata mismatch found in `{label}`: The columns in the computed data do not match "
                             f"the columns in the provided metadata (meta=)\n  Extra:   {extra}\n"
                             f"  Missing: {missing}{order}")
    elif is_series_like(meta) and is_dataframe_like(result):
        raise ValueError(f"Metadata mismatch found in `{label}`: meta= declares a Series, the partition is a "
                         f"{type(result).__name__}")
    elif is_series_like(meta) and is_series_like(result) and result.name != meta.name:
        result = result.rename(meta.name)
    return result


_FAKE = {"i": 1, "u": 1, "f": 1.0, "b": True, "c": 1 + 0j}


def _fake_values(dtype: Any, n: int = 2) -> Any:
    if isinstance(dtype, pd.CategoricalDtype):  # the dtype itself: its ordering and categories' dtype kept
        if dtype.categories is not None and len(dtype.categories):
            return pd.Categorical.from_codes([0] * n, dtype=dtype)
        # no categories: missing values (as dask's stand-in); a made-up value would become a category of the
        # inferred metadata where the partitions have none
        return pd.Categorical([None] * n, dtype=dtype)
    if isinstance(dtype, pd.BooleanDtype):  # the missing value the dtype can hold shows, as in dask's stand-in
        return pd.array(([True, pd.NA] * n)[:n], dtype=dtype)
    kind = getattr(dtype, "kind", "O")
    if kind in _FAKE:
        return pd.array([_FAKE[kind]] * n, dtype=dtype)
    if kind == "M":
        return pd.array([pd.Timestamp("2000-01-01")] * n, dtype=dtype)
    if kind == "m":
        return pd.array([pd.Timedelta(1, "s")] * n, dtype=dtype)
    if getattr(dtype, "pyarrow_dtype", None) is not None:  # Arrow's kind "O" types: decimals, lists, structs, ...
        import pyarrow as pa  # (loaded already: the dtype is pyarrow's)

        value = _fake_arrow_value(dtype.pyarrow_dtype)
        return pd.arrays.ArrowExtensionArray(pa.array([value] * n, type=dtype.pyarrow_dtype))
    if isinstance(dtype, (pd.PeriodDtype, pd.IntervalDtype)):  # kind "O" too, but of periods / intervals
        return _fake_labels(dtype)[[0] * n]
    return pd.array(["a"] * n, dtype=dtype)


def _fake_arrow_value(arrow: Any) -> Any:
    """A Python value of the Arrow type ``arrow`` (nested types hold one value of their parts' types)."""
    import datetime
    import decimal

    import pyarrow as pa

    t = pa.types
    if t.is_list(arrow) or t.is_large_list(arrow) or t.is_fixed_size_list(arrow):
        return [_fake_arrow_value(arrow.value_type)] * max(getattr(arrow, "list_size", 1), 1)
    if t.is_struct(arrow):
        return {arrow.field(i).name: _fake_arrow_value(arrow.field(i).type) for i in range(arrow.num_fields)}
    if t.is_map(arrow):
        return [(_fake_arrow_value(arrow.key_type), _fake_arrow_value(arrow.item_type))]
    if t.is_dictionary(arrow):
        return _fake_arrow_value(arrow.value_type)
    simple = [(t.is_boolean, True), (t.is_integer, 1), (t.is_floating, 1.0), (t.is_decimal, decimal.Decimal(1)),
              (t.is_string, "a"), (t.is_large_string, "a"), (t.is_binary, b"a"), (t.is_large_binary, b"a"),
              (t.is_timestamp, datetime.datetime(2000, 1, 1)), (t.is_date, datetime.date(2000, 1, 1)),
              (t.is_time, datetime.time(0, 0)), (t.is_duration, datetime.timedelta(seconds=1))]
    return next((value for test, value in simple if test(arrow)), None)  # (the null type holds only None)


def _fake_column(dtype: Any, index: Any) -> Any:
    # an object column stays one: pandas 3 would read its sample's text as a str column (and results cast to
    # that metadata would turn Python objects into their text)
    explicit = dtype if isinstance(dtype, np.dtype) and dtype == object else None
    return pd.Series(_fake_values(dtype), index=index, dtype=explicit)


def is_decimal_dtype(dtype: Any) -> bool:
    """True for an Arrow decimal dtype of pandas (``pd.ArrowDtype(pa.decimal128(p, s))``)."""
    arrow = getattr(dtype, "pyarrow_dtype", None)
    if arrow is None:
        return False
    import pyarrow as pa  # (loaded already: the dtype is pyarrow's)

    return pa.types.is_decimal(arrow)


def meta_nonempty(meta: Any) -> Any:
    """A two-row stand-in with the dtypes of ``meta`` (to infer what a function returns)."""
    library = library_of(meta)
    meta = _to_pandas(meta)
    if is_index_like(meta):  # an Index: two values of its dtype
        return convert_library(_fake_index(meta), library)
    index = _fake_index(meta.index)
    if is_dataframe_like(meta):
        data = {i: _fake_column(dt, index) for i, dt in enumerate(meta.dtypes)}
        out = pd.DataFrame(data, index=index)
        out.columns = meta.columns
    elif is_series_like(meta):
        out = _fake_column(meta.dtype, index).rename(meta.name)
    else:
        return convert_library(meta, library)
    return convert_library(out, library)


def _fake_index(index: Any) -> Any:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_arrays([_fake_labels(lvl.dtype) for lvl in index.levels], names=index.names)
    if isinstance(index, pd.RangeIndex):
        return pd.RangeIndex(2, name=index.name)
    return pd.Index(_fake_labels(index.dtype), name=index.name)


# two distinct labels per kind: a user function given the sample (``s.get(label)``, ``s.loc[label]``,
# pandas 2's ``Series.combine``) sees one row per label, as in real data with a unique index
_FAKE_LABELS = {"i": [1, 2], "u": [1, 2], "f": [1.0, 2.0], "c": [1 + 0j, 2 + 0j], "b": [True, False],
                "M": [pd.Timestamp("2000-01-01"), pd.Timestamp("2000-01-02")],
                "m": [pd.Timedelta(1, "s"), pd.Timedelta(2, "s")]}


def _fake_labels(dtype: Any) -> Any:
    """Two distinct values of ``dtype`` for a sample index (the same value twice where it has one)."""
    if isinstance(dtype, pd.CategoricalDtype) and dtype.categories is not None and len(dtype.categories) > 1:
        return pd.Categorical.from_codes([0, 1], dtype=dtype)
    kind = getattr(dtype, "kind", "O")
    if isinstance(dtype, pd.PeriodDtype):  # two consecutive periods of its frequency
        return pd.period_range("2000-01-01", periods=2, freq=dtype.freq).array
    if isinstance(dtype, pd.IntervalDtype) and dtype.subtype is not None:
        breaks = pd.array(_FAKE_LABELS.get(dtype.subtype.kind, [1, 2]), dtype=dtype.subtype)
        return pd.arrays.IntervalArray.from_arrays(breaks[:1].repeat(2), breaks[1:].repeat(2), closed=dtype.closed)
    try:
        if kind in _FAKE_LABELS:
            return pd.array(_FAKE_LABELS[kind], dtype=dtype)
        if kind == "O" and not is_decimal_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
            return pd.array(["a", "b"], dtype=dtype)
    except (TypeError, ValueError):  # a dtype that takes no such values (an Arrow type, say)
        pass
    return _fake_values(dtype)


def _to_pandas(obj: Any) -> Any:
    # metadata, samples and sort keys come to the host through the one counted copy function
    from gpuscale.backends.convert import to_host

    return to_host(obj)


def empty_like_meta(meta: Any) -> Any:
    """A fresh empty partition shaped like ``meta`` (no placeholder of unknown categories)."""
    from gpuscale.backends.frame.categorical import empty_partition_of

    return empty_partition_of(meta) if is_frame_like(meta) else meta


def cast_meta(obj: Any, meta: Any) -> Any:
    """Cast a computed partition to the dtypes of ``meta`` where they differ (empty partitions)."""
    if is_dataframe_like(obj) and is_dataframe_like(meta) and len(obj) == 0:
        return empty_like_meta(meta)
    return obj


def schema_text(obj: Any) -> str:
    """Type, columns, dtypes and index (names, dtypes) of a partition, as text."""
    index = obj if is_index_like(obj) else obj.index
    levels = getattr(index, "levels", None)
    index_text = [(n, str(lvl.dtype)) for n, lvl in zip(index.names, levels)] if levels is not None else \
        [(index.name, str(index.dtype), type(index).__name__)]
    if is_dataframe_like(obj):
        body = [(repr(c), str(t)) for c, t in obj.dtypes.items()]
    else:
        body = [(repr(getattr(obj, "name", None)), str(obj.dtype))]
    return f"{library_of(obj)}:{type(obj).__name__}:{body}:{index_text}"


def host_series(values: list) -> Any:
    """A pandas Series of boundary values."""
    return pd.Series(values)


def python_scalar(value: Any) -> Any:
    """A NumPy scalar as a Python value (other values unchanged)."""
    return value.item() if isinstance(value, np.generic) else value


def never_missing(meta: Any, columns: list) -> bool:
    """Whether ``columns`` of a frame with metadata ``meta`` cannot hold a missing value: NumPy integers and
    booleans of pandas (a nullable ``Int64`` has the kind ``"i"`` too; cuDF's integers hold nulls)."""
    if library_of(meta) != "pandas":
        return False
    return all(isinstance(d, np.dtype) and d.kind in "iub" for d in meta[list(columns)].dtypes)


def with_dtypes_by_position(frame: Any, dtypes: list) -> Any:
    """``frame`` with column ``i`` of ``dtypes[i]`` (by position where labels repeat: pandas only, cuDF's
    labels are unique)."""
    changed = [i for i, (have, want) in enumerate(zip(frame.dtypes, dtypes)) if have != want]
    if not changed:
        return frame
    if frame.columns.is_unique:
        return frame.astype({frame.columns[i]: dtypes[i] for i in changed})
    out = frame.copy()
    for i in changed:
        out.isetitem(i, out.iloc[:, i].astype(dtypes[i]))
    return out


def snapshot(obj: Any) -> Any:
    """A pandas object as it is now: its shallow copy, which copy-on-write keeps apart from later in-place
    changes of either (so a stored partition handed out, or a user's frame taken in, is not changed through the
    other); cuDF objects and other values as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1, 2]})
    >>> kept = snapshot(frame)
    >>> frame.iloc[0, 0] = 9
    >>> kept.a.tolist()
    [1, 2]
    """
    return obj.copy(deep=False) if library_of(obj) == "pandas" and is_frame_like(obj) else obj


__all__ = [
    "cast_meta", "convert_library", "empty_like_meta", "enforce_meta", "from_library", "host_series",
    "infer_dtypes", "is_dataframe_like", "is_decimal_dtype", "is_frame_like", "is_index_like", "is_series_like",
    "library_of", "make_meta", "meta_from_spec", "meta_nonempty", "namespace", "never_missing", "python_scalar",
    "schema_text", "snapshot", "stable_sort_kind", "values_as_series", "with_dtypes_by_position",
]

