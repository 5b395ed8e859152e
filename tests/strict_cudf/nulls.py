"""cuDF's missing values in comparisons, emulated on pandas objects.

cuDF's ``from_pandas`` turns NaN into nulls, and libcudf's comparisons give null where an operand is null
(``NumericalColumn._binaryop`` and ``StringColumn._binaryop`` fill nothing outside ``mode.pandas_compatible``);
``to_pandas`` then gives an ``object`` column of ``True``/``False``/``None``.  pandas compares NaN as ``False``
(``!=``: ``True``).  cuDF fills only in a few places (read from cuDF 26.10):

* ``DataFrame.eq/ne/lt/le/gt/ge`` with a scalar fill every null (``ne``: ``True``), nullable columns' too, and
  columns present on one side only (``dataframe._make_replacement_func``); with a Series or a DataFrame the nulls of common columns stay;
* ``fill_value=`` fills a null on one side only; nulls on both sides stay null (``Frame._colwise_binop``);
* datetime and timedelta comparisons fill (``DatetimeColumn._binaryop``), so do an Index's (``Index._binaryop``).

Here a comparison result with a missing value is a ``bool[pyarrow]`` column (pandas masks with it as cuDF
does: missing is ``False``); ``fillna`` gives a plain ``bool`` column back and ``to_pandas`` gives what cuDF's
does.  (A NaN a cuDF computation makes itself, 0/0, is NaN, not null, there; here it is missing too.)
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
import pandas as pd

COMPARISONS = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt,
               "ge": operator.ge}
_NULLABLE_BOOL = None  # pd.ArrowDtype(pa.bool_()), made on first use


def _nullable_bool() -> Any:
    global _NULLABLE_BOOL
    if _NULLABLE_BOOL is None:
        import pyarrow as pa

        _NULLABLE_BOOL = pd.ArrowDtype(pa.bool_())
    return _NULLABLE_BOOL


def _nulls_propagate(dtype: Any) -> bool:
    """Whether cuDF leaves a null of a column of ``dtype`` null in a comparison (numbers, strings)."""
    if isinstance(dtype, pd.StringDtype):
        return True
    return getattr(dtype, "kind", None) in ("b", "i", "u", "f", "O") and not isinstance(
        dtype, (pd.CategoricalDtype, pd.api.extensions.ExtensionDtype))


def _missing(operand: Any, like: pd.Series, column: Any = None) -> Any:
    """Where ``operand`` (a Series, a DataFrame's ``column``, an array or a scalar) is null for the rows of
    ``like``: a boolean array, or a bool for a scalar; None where cuDF fills (or it cannot be told)."""
    if isinstance(operand, pd.DataFrame):
        if column not in operand.columns or not operand.columns.is_unique:
            return None  # a column on one side only: filled by cuDF's comparison methods, refused by operators
        operand = operand[column]
    if isinstance(operand, pd.Series):
        if not _nulls_propagate(operand.dtype):
            return None
        missing = operand.isna()
        if missing.index.equals(like.index):
            return missing.to_numpy()
        if not missing.index.is_unique:
            return None
        return missing.reindex(like.index, fill_value=True).to_numpy()  # labels on one side only: null
    if pd.api.types.is_scalar(operand):
        return bool(pd.isna(operand))
    if isinstance(operand, (list, np.ndarray)) and len(operand) == len(like):
        return np.asarray(pd.isna(np.asarray(operand)), dtype=bool).reshape(-1)
    return None


def _with_nulls(result: pd.Series, left: Any, right: Any, both: bool) -> pd.Series:
    """``result`` missing where cuDF's is: either operand null (``both``: both operands null)."""
    if result.dtype != bool or len(result) == 0:
        return result
    lhs, rhs = _missing(left, result, result.name), _missing(right, result, result.name)
    if lhs is None or rhs is None:
        return result
    mask = np.broadcast_to((lhs & rhs) if both else (lhs | rhs), (len(result),))
    return result.astype(_nullable_bool()).mask(mask) if mask.any() else result


def compared(result: Any, left: Any, right: Any, both: bool = False) -> Any:
    """A pandas comparison result of ``left`` with ``right`` made cuDF's (see the module docstring)."""
    if isinstance(result, pd.Series):
        return _with_nulls(result, left, right, both)
    if isinstance(result, pd.DataFrame) and result.columns.is_unique:
        out = result.copy(deep=False)
        for name in result.columns:
            other = right[name] if isinstance(right, pd.Series) and not isinstance(left, pd.Series) \
                and name in right.index else right
            if isinstance(right, pd.Series) and other is right:
                continue  # a column the Series has no value for: filled by cuDF
            out[name] = _with_nulls(result[name], left, other, both)
        return out
    return result


def after_method(cls: str, name: str, obj: Any, args: tuple, kwargs: dict, result: Any) -> Any:
    """A method's pandas result as cuDF's: comparisons with nulls, ``fillna`` of such a result."""
    if name in COMPARISONS and cls in ("Series", "DataFrame") and obj is not None:
        other = kwargs.get("other", args[0] if args else None)
        at = 3 if cls == "DataFrame" else 2  # (other, axis, level, fill_value) / (other, level, fill_value, axis)
        fill_value = kwargs.get("fill_value", args[at] if len(args) > at else None)
        if cls == "DataFrame" and pd.api.types.is_scalar(other):
            # cuDF's DataFrame comparison methods fill every null of a scalar comparison, nullable columns' too
            return result.fillna(name == "ne") if isinstance(result, pd.DataFrame) and result.isna().any().any() \
                else result
        return compared(result, obj, other, both=fill_value is not None)
    if name == "replace" and cls in ("Series", "DataFrame") and obj is not None:
        return _replaced(obj, result, kwargs.get("value", args[1] if len(args) > 1 else None))
    return plain_bools(result)


def _is_marker(dtype: Any) -> bool:
    """Whether ``dtype`` stands for a cuDF bool or integer column with nulls (an Arrow bool/integer type)."""
    import pyarrow as pa

    return isinstance(dtype, pd.ArrowDtype) and (pa.types.is_boolean(dtype.pyarrow_dtype)
                                                 or pa.types.is_integer(dtype.pyarrow_dtype))


def _replaced(obj: Any, result: Any, value: Any) -> Any:
    """cuDF's ``replace(x, NaN)`` of an integer column: the column stays integer, with nulls (pandas makes it
    float64); here an Arrow integer column with missing values."""
    if not (isinstance(value, float) and np.isnan(value)):
        return result
    if isinstance(obj, pd.Series) and obj.dtype.kind in "iu" and result.dtype.kind == "f":
        import pyarrow as pa

        return result.astype(pd.ArrowDtype(pa.from_numpy_dtype(obj.dtype)))
    if isinstance(obj, pd.DataFrame) and isinstance(result, pd.DataFrame) and result.columns.is_unique:
        out = result.copy(deep=False)
        for i in range(out.shape[1]):
            out.isetitem(i, _replaced(obj.iloc[:, i], out.iloc[:, i], value))
        return out
    return result


def plain_bools(obj: Any) -> Any:
    """Bool or integer columns (and an index) marked as holding nulls (:func:`_is_marker`) without a missing
    value as plain NumPy ones (cuDF's columns without nulls)."""
    if isinstance(obj, (pd.Series, pd.Index)):
        if _is_marker(obj.dtype) and not obj.isna().any():
            return obj.astype(obj.dtype.numpy_dtype)
        return obj
    if isinstance(obj, pd.DataFrame) and any(_is_marker(dtype) for dtype in obj.dtypes):
        return _column_by_column(obj, plain_bools)
    return obj


def to_pandas(obj: Any) -> Any:
    """cuDF's ``to_pandas`` of a column with nulls: bools are ``object`` (``None``), integers ``float64``."""
    obj = plain_bools(obj)
    if isinstance(obj, (pd.Series, pd.Index)) and _is_marker(obj.dtype):
        if obj.dtype == _nullable_bool():
            values = obj.to_numpy(dtype=object, na_value=None)
            return pd.Series(values, index=obj.index, name=obj.name, dtype=object) if isinstance(obj, pd.Series) \
                else pd.Index(values, name=obj.name, dtype=object)
        return obj.astype("float64")
    if isinstance(obj, pd.DataFrame) and any(_is_marker(dtype) for dtype in obj.dtypes):
        return _column_by_column(obj, to_pandas)
    return obj


def _column_by_column(frame: pd.DataFrame, func: Any) -> pd.DataFrame:
    out = frame.copy(deep=False)
    for i in range(out.shape[1]):
        out.isetitem(i, func(out.iloc[:, i]))
    return out


def astype_keeping_nulls(obj: Any, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """``astype`` arguments for cuDF's cast: a column with nulls cast to integers or booleans keeps its nulls (a
    cuDF column carries its null mask through the cast).  Here such a column is pandas' masked ``Int64``/``boolean``
    (see ``readers._masked_integers``), which pandas refuses to cast to NumPy while missing values are present:
    it is cast to the masked form of the target instead."""
    dtype = kwargs.get("dtype", args[0] if args else None)
    if isinstance(obj, pd.Series):
        target = _masked_target(obj, dtype)
    elif isinstance(obj, pd.DataFrame):
        wanted = dtype if isinstance(dtype, dict) else {c: dtype for c in obj.columns}
        target = {c: _masked_target(obj[c], t) for c, t in wanted.items() if c in obj.columns}
    else:
        return args, kwargs
    return (target, *args[1:]) if args else args, ({**kwargs, "dtype": target} if "dtype" in kwargs else kwargs)


def _masked_target(column: pd.Series, dtype: Any) -> Any:
    """``dtype``, or pandas' masked dtype for it where ``column`` is masked with nulls and ``dtype`` NumPy's
    integers or booleans."""
    try:
        target = np.dtype(dtype)
    except TypeError:
        return dtype
    masked = isinstance(column.dtype, pd.api.extensions.ExtensionDtype) and hasattr(column.array, "_mask")
    if not (masked and target.kind in "iub" and column.isna().any()):
        return dtype
    return masked_name(target)


def masked_name(dtype: np.dtype) -> str:
    """pandas' masked dtype standing for cuDF's NumPy integer or boolean ``dtype`` with nulls (``Int64``)."""
    return "boolean" if dtype.kind == "b" else {"i": "Int", "u": "UInt"}[dtype.kind] + str(8 * dtype.itemsize)
