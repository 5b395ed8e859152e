"""Partition functions of element-wise methods: flex operators, ``replace``, ``explode``, ``map``."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import (convert_library, is_dataframe_like, is_frame_like, is_index_like,
                                         library_of, make_meta, meta_nonempty, namespace)
from gpuscale.backends.frame.comparison import COMPARISON_NAMES, as_pandas_comparison
from gpuscale.backends.frame.cudf_gaps import all_on_host, flex_needs_host
from gpuscale.backends.frame.cudf_ufuncs import ufunc_by_column, ufunc_needs_host, ufunc_on_host, ufunc_spreads_nulls
from gpuscale.backends.frame.ops import unparsed_text_in_microseconds

__all__ = ["flex_op", "is_scalar_like", "partition_values", "is_tz_aware_values", "array_library", "sample_partition", "partition_nbytes",
           "memory_usage_of", "memory_total", "monotonic_chunk", "monotonic_aggregate", "to_numeric_part",
           "to_timedelta_part", "isna_value", "notna_value", "apply_ufunc", "host_array", "is_zero_dim_array",
           "replacement_meta", "numpy_ufunc"]


def numpy_ufunc(name: Any) -> Any:
    """NumPy's ufunc named ``name`` (``"sqrt"``: pandas' ``apply("sqrt")``), or None."""
    func = getattr(np, name, None) if isinstance(name, str) else None
    return func if isinstance(func, np.ufunc) else None


def is_scalar_like(value: Any) -> bool:
    """True for a single value (a number, string, timestamp, None), not a sequence or a frame."""
    return value is None or bool(pd.api.types.is_scalar(value))


_NO_OTHER = object()  # (an explicit None is a value: pandas keeps None in object columns)


def replacement_meta(meta: Any, method: str, other: Any = _NO_OTHER, axis: Any = None) -> Any:
    """The metadata of ``obj.where(cond, other)`` / ``obj.mask(cond, other)`` (``method``) where some values are
    replaced and some kept: pandas then gives the values' and ``other``'s common dtype (float64 for an integer
    Series and NaN, objects for numbers and text).  An empty partition replaces nothing, so it would say the
    values' own dtype.  ``other`` is a value or the metadata of a collection (left out: NaN); None where the
    sample cannot tell (the caller infers as usual).  ``axis`` aligns a Series ``other`` with the rows (0: the metadata of a
    collection) or the columns (1: a value per column).

    Examples
    --------
    >>> import pandas as pd
    >>> replacement_meta(pd.Series([], dtype="int64"), "where").dtype
    dtype('float64')
    >>> replacement_meta(pd.Series([], dtype="float64"), "mask", "text").dtype
    dtype('O')
    """
    try:
        sample = meta_nonempty(meta)
        mixed = np.arange(len(sample)) % 2 == 0  # the first row meets the condition, the second does not
        host = pd.DataFrame({c: mixed for c in range(sample.shape[1])}) if is_dataframe_like(sample) else \
            pd.Series(mixed)
        host.index = pd.RangeIndex(len(sample))
        if is_dataframe_like(sample):
            host.columns = sample.columns
        cond = convert_library(host, library_of(sample))
        cond.index = sample.index
        by_column = axis in (1, "columns")  # other: a value per column label, not metadata
        args = (cond,) if other is _NO_OTHER else (cond, meta_nonempty(other) if is_frame_like(other) and not by_column
                                              else other)
        return make_meta(getattr(sample, method)(*args, **({} if axis is None else {"axis": axis})))
    except Exception:  # noqa: BLE001 - the usual inference decides
        return None


def _literal_for(obj: Any, value: Any) -> Any:
    """A pandas Series/DataFrame literal moved to ``obj``'s library (cuDF refuses pandas operands)."""
    if isinstance(value, (pd.Series, pd.DataFrame)) and library_of(obj) != "pandas":
        return convert_library(value, library_of(obj))
    return value


def flex_op(obj: Any, name: str, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
    """``obj.<name>(other, axis=axis, level=level, fill_value=fill_value)`` (``add``, ``rsub``, ``lt`` ...);
    keywords left at None are not passed (pandas' DataFrame comparisons take no ``fill_value``)."""
    if flex_needs_host(obj, level):  # cuDF's flex methods refuse level=
        return all_on_host(flex_op, obj, name, other, axis, level, fill_value)
    given = {k: v for k, v in (("level", level), ("fill_value", fill_value)) if v is not None}
    other = _rows_of_this_partition(obj, _literal_for(obj, other), axis, level)
    if _by_index_column_by_column(obj, axis, other):
        result = _column_by_column(obj, name, other, given)
    elif _comparison_by_operator(obj, name, other, given):
        result = getattr(operator, name)(obj, other)
    else:
        result = getattr(obj, name)(other, axis=_flex_axis(obj, axis, other), **given)
    return as_pandas_comparison(result, name, obj, other)  # (cuDF: null where an operand is)


def _comparison_by_operator(obj: Any, name: str, other: Any, given: dict) -> bool:
    """Whether ``df.gt(scalar)`` (and friends) runs as ``df > scalar``, the same in pandas: cuDF's DataFrame
    comparison methods fill every null of a scalar comparison (``_make_replacement_func``), also those of
    nullable columns, which pandas keeps missing; its operators leave them for ``as_pandas_comparison``."""
    return (name in COMPARISON_NAMES and not given and library_of(obj) == "cudf" and is_dataframe_like(obj)
            and is_scalar_like(other))


def _rows_of_this_partition(obj: Any, other: Any, axis: Any, level: Any) -> Any:
    """With ``level=``, a whole operand (given to every partition) cut to the rows this partition holds: its
    rows are matched with the partition's (a DataFrame's always; a Series' with ``axis=0``, on the level), and
    the others would become rows of every partition (or, repeated, raise)."""
    if level is None or not is_frame_like(other) or is_index_like(other):
        return other
    if not is_dataframe_like(other) and axis not in (0, "index"):
        return other  # (a Series matched on the columns)
    labels = obj.index.get_level_values(level) if axis in (0, "index") and obj.index.nlevels > 1 or \
        obj.index.name == level else obj.index
    return other[other.index.isin(labels)] if len(other) else other


def _flex_axis(obj: Any, axis: Any, other: Any) -> Any:
    """The ``axis=`` to pass: a Series' is 0 (cuDF's Series take ``0`` only, not ``"index"``); a DataFrame
    with a scalar takes its default, "columns" (the same answer on either axis; cuDF's DataFrame flex
    methods take axis=1 only)."""
    if not is_dataframe_like(obj):
        return 0 if axis in (0, "index") else axis
    return "columns" if is_scalar_like(other) and axis in (0, "index") else axis


def _by_index_column_by_column(obj: Any, axis: Any, other: Any) -> bool:
    """Whether a DataFrame's flex operator matching ``other`` on the index must run column by column:
    cuDF's DataFrame flex methods refuse ``axis=0`` ("Only axis=1 supported"), its Series ones align on
    the index as pandas' DataFrame does with ``axis=0``."""
    return (library_of(obj) == "cudf" and is_dataframe_like(obj) and axis in (0, "index")
            and not is_scalar_like(other) and obj.shape[1] > 0)


def _column_by_column(frame: Any, name: str, other: Any, given: dict) -> Any:
    """``frame.<name>(other, axis=0)`` as each column's ``<name>(other)``, put back together under the
    frame's labels (every result has the same, aligned index)."""
    columns = [getattr(frame.iloc[:, i], name)(other, **given) for i in range(frame.shape[1])]
    out = namespace(frame).concat(columns, axis=1)
    out.columns = frame.columns
    return out


def partition_values(part: Any) -> Any:
    """A partition's values as an array of its library's device: NumPy for pandas, CuPy for cuDF
    (``.values``, as dask's ``to_dask_array``)."""
    if is_tz_aware_values(part):
        # pandas' and dask's ``values``: the UTC instants as naive datetime64 (pandas' to_numpy() gives
        # Timestamps; pandas 3.1 deprecates ``.values`` of tz-aware data, so through tz_convert(None))
        part = part.tz_convert(None) if is_index_like(part) else part.dt.tz_convert(None)
    return _nullable_as_array_ready(part).to_numpy() if library_of(part) == "pandas" else part.values


def _nullable_as_array_ready(part: Any) -> Any:
    """A pandas partition with its nullable integers (``Int64``, ``uint8[pyarrow]``, categories of integers) as
    float64 (NaN where missing), nullable floats as NumPy floats and nullable booleans as objects: pandas' ``to_numpy()`` gives those where values are missing and
    int64/bool where none are, so the blocks would differ from each other and from the metadata's dtype; this
    is one dtype for all, that of the usual data (with missing values)."""
    if is_dataframe_like(part):
        wanted = [_array_ready_dtype(dtype) for dtype in part.dtypes]
        if all(w is None for w in wanted):
            return part
        columns = [col if w is None else col.astype(w) for (_, col), w in zip(part.items(), wanted)]
        return pd.concat(columns, axis=1) if columns else part  # (by position: repeated labels each keep theirs)
    wanted = _array_ready_dtype(part.dtype)
    return part if wanted is None else part.astype(wanted)


def _array_ready_dtype(dtype: Any) -> Any:
    if isinstance(dtype, pd.CategoricalDtype):  # (its values' array: that of its categories, NaN where missing)
        kind = getattr(getattr(dtype.categories, "dtype", None), "kind", "O")
        return np.float64 if kind in "iu" else object if kind == "b" else None
    if isinstance(dtype, np.dtype):
        return None
    if pd.api.types.is_bool_dtype(dtype):
        return object
    if pd.api.types.is_float_dtype(dtype):  # (Float32: float32, also beside other columns, not objects)
        return np.dtype(dtype.numpy_dtype)
    return np.float64 if pd.api.types.is_integer_dtype(dtype) else None


def is_tz_aware_values(obj: Any) -> bool:
    """Whether ``obj`` is a Series or Index (not a DataFrame) of tz-aware datetimes, whose ``.values`` are the
    UTC instants as naive ``datetime64`` (a DataFrame's ``.values`` are objects, as pandas')."""
    return not is_dataframe_like(obj) and isinstance(getattr(obj, "dtype", None), pd.DatetimeTZDtype)


def array_library(meta: Any) -> str:
    """The array library (``"numpy"`` or ``"cupy"``) of :func:`partition_values` of partitions like ``meta``."""
    from gpuscale.backends.array import library_of as array_library_of

    return array_library_of(partition_values(meta))


def sample_partition(part: Any, i: int, frac: float, replace: bool, seed: int) -> Any:
    """``part.sample(frac=, replace=)`` drawn from a stream seeded by ``seed`` and the partition's position."""
    import numpy as np

    state = int(np.random.SeedSequence([seed, i]).generate_state(1)[0])
    return part.sample(frac=frac, replace=replace, random_state=state)


def partition_nbytes(part: Any) -> int:
    """Bytes of a partition's values, without the index (pandas' ``nbytes``; cuDF has no ``nbytes``)."""
    if library_of(part) == "pandas" and not is_dataframe_like(part):
        return int(part.nbytes)
    usage = part.memory_usage(index=False)
    return int(usage.sum()) if hasattr(usage, "sum") else int(usage)


def memory_usage_of(part: Any, index: bool = True, deep: bool = False) -> Any:
    """``memory_usage`` of a partition (cuDF's has no ``deep``: its strings are always counted)."""
    if library_of(part) == "pandas":
        return part.memory_usage(index=index, deep=deep)
    return part.memory_usage(index=index)


def memory_total(part: Any, index: bool = True, deep: bool = False) -> int:
    """The bytes of a partition, all columns together."""
    usage = memory_usage_of(part, index=index, deep=deep)
    return int(usage.sum()) if hasattr(usage, "sum") else int(usage)


def monotonic_chunk(part: Any, increasing: bool) -> tuple | None:
    """``(monotonic, first, last)`` of a partition's values (None for an empty partition)."""
    if len(part) == 0:
        return None
    flag = part.is_monotonic_increasing if increasing else part.is_monotonic_decreasing
    from gpuscale.backends import to_host

    ends = _ordering_values(to_host(part[[0, len(part) - 1]] if is_index_like(part) else part.iloc[[0, len(part) - 1]]))
    return (bool(flag), ends[0], ends[-1])


def _ordering_values(host: Any) -> list:
    """A host Series / Index's values as they order: an ordered categorical's by their codes (the categories'
    order, as pandas and cuDF compare them; cuDF partitions come here on the host), others as they are."""
    dtype = host.dtype
    if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
        return (host.codes if isinstance(host, pd.Index) else host.cat.codes).tolist()
    return host.tolist()


def monotonic_aggregate(partials: list, increasing: bool) -> bool:
    """Every partition monotonic and each one starting where the one before ended (or beyond)."""
    partials = [p for p in partials if p is not None]
    if not all(p[0] for p in partials):
        return False
    for before, after in zip(partials, partials[1:]):
        if (after[1] < before[2]) if increasing else (after[1] > before[2]):
            return False
    return True


def to_numeric_part(part: Any, errors: str = "raise", downcast: Any = None) -> Any:
    """The library's ``to_numeric`` of a partition (pandas and cuDF both have it)."""
    from gpuscale.backends.frame.core import namespace

    return namespace(part).to_numeric(part, errors=errors, downcast=downcast)


def to_timedelta_part(part: Any, unit: Any = None, errors: str = "raise") -> Any:
    """``to_timedelta`` of a partition: pandas' function (text where nothing parsed in microseconds, as
    :func:`~gpuscale.backends.frame.ops.unparsed_text_in_microseconds`); cuDF has none, numbers are cast
    with their unit."""
    if library_of(part) == "pandas":
        out = pd.to_timedelta(part, unit=unit, errors=errors)
        return out if unit is not None else unparsed_text_in_microseconds(part, out)
    if errors != "raise":
        raise NotImplementedError("to_timedelta(errors=...) of cuDF partitions: only 'raise'")
    target = pd.to_timedelta(pd.Series([0]), unit=unit).dtype  # the resolution pandas gives
    if getattr(part.dtype, "kind", "O") in "biuf":
        nanoseconds = int(pd.Timedelta(1, unit=unit or "ns").value)
        if part.dtype.kind != "f":
            return (part.astype("int64") * nanoseconds).astype("timedelta64[ns]").astype(target)
        # fractions of a unit are rounded to nanoseconds; missing values (NaN) stay missing (NaT), as pandas
        # (NumPy's int64 holds none: they are cast as 0, then masked)
        missing = part.isna()
        ticks = (part * nanoseconds).round().where(~missing, 0).astype("int64")
        return ticks.astype("timedelta64[ns]").astype(target).mask(missing)
    if getattr(part.dtype, "kind", "O") == "O" or "str" in str(part.dtype):  # text: pandas' resolution of text
        target = pd.to_timedelta(pd.Series(["0 days"])).dtype
    return part.astype(target)


def isna_value(value: Any) -> Any:
    """pandas' ``isna`` of a value that is not a collection (a scalar, a list, an array)."""
    return pd.isna(value)


def notna_value(value: Any) -> Any:
    """pandas' ``notna`` of a value that is not a collection (a scalar, a list, an array)."""
    return pd.notna(value)


def apply_ufunc(ufunc: Any, *args: Any, output: int | None = None, **kwargs: Any) -> Any:
    """``ufunc(*args, **kwargs)`` on partitions (output ``output`` of a ufunc with several), as the library gives
    it; an array result of Index partitions (pandas' ``np.isnan(index)``) becomes an Index again.

    cuDF runs NumPy's ufuncs through its own ``__array_ufunc__`` (CuPy on the device), which covers most but not
    all of them: the ones it lacks are named in the error instead of NumPy's generic message.  It takes no
    keywords (``dtype=``, ``where=`` ...) and fails on ufuncs CuPy lacks: such calls run on the host
    (:func:`ufunc_on_host`)."""
    try:
        if ufunc_needs_host(ufunc, args, kwargs):  # cuDF: keywords, or a ufunc CuPy lacks
            result = ufunc_on_host(ufunc, args, kwargs)
        elif ufunc_spreads_nulls(args):  # cuDF: a frame's null masks leak into its later columns
            result = ufunc_by_column(ufunc, args)
        else:
            result = ufunc(*args, **kwargs)
    except TypeError as exc:
        if any(library_of(a) == "cudf" for a in args if is_frame_like(a)):
            raise TypeError(f"numpy.{ufunc.__name__} is not supported on cuDF partitions: {exc}") from exc
        raise
    if output is not None:
        result = result[output]
    indexes = [a for a in args if is_index_like(a)]
    if indexes and not is_frame_like(result) and not is_scalar_like(result):
        return namespace(indexes[0]).Index(result)
    return result


def is_zero_dim_array(obj: Any) -> bool:
    """True for a 0-d NumPy/CuPy array (``np.array(2.5)``): NumPy's ufuncs take it as a scalar."""
    return getattr(obj, "ndim", None) == 0 and hasattr(obj, "dtype") and not is_frame_like(obj)


def host_array(obj: Any, dtype: Any = None) -> Any:
    """A computed pandas object (or scalar) as a NumPy array, for NumPy's ``__array__``; cuDF data stays on
    the device unless converted explicitly, as cuDF itself refuses implicit conversion."""
    if is_frame_like(obj) and library_of(obj) == "cudf":
        raise TypeError("Implicit conversion of a gpuscale collection of cuDF partitions to a NumPy array is not "
                        "allowed (as in cuDF): use .compute().to_pandas() or .to_dask_array()")
    return np.asarray(obj, dtype=dtype)
