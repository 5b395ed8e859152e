"""Unwrapping Series inputs to arrays and wrapping results back, for pandas and cuDF alike."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import _detect
from gpuscale.kernels.errors import KernelTypeError

__all__ = ["is_series", "split_series", "result_name", "wrap_like", "meta_value", "dtype_of"]


def is_series(obj: Any) -> bool:
    """True for pandas or cuDF Series."""
    return _detect.is_frame_object(obj) and type(obj).__name__ == "Series"


def _values(series: Any) -> Any:
    if _detect.is_cudf_object(series):
        return series.values  # a CuPy array on the device
    dtype = series.dtype
    if getattr(dtype, "kind", "O") in "fiub" and not hasattr(dtype, "na_value"):
        return series.to_numpy()
    if getattr(dtype, "kind", "O") in "fiu":  # nullable numeric: missing -> NaN
        return series.to_numpy(dtype="float64", na_value=float("nan"))
    return series.to_numpy()


def split_series(args: tuple, name: str) -> tuple[list, Any]:
    """Replace Series by their values; return (values, first Series or None).

    Series must share their index: a kernel is element-wise by position.
    """
    series = [a for a in args if is_series(a)]
    for other in series[1:]:
        if not other.index.equals(series[0].index):
            raise KernelTypeError(f"kernel {name!r}: Series arguments must have equal indexes "
                                  "(align them first, e.g. with DataFrame columns)")
    return [_values(a) if is_series(a) else a for a in args], (series[0] if series else None)


def result_name(args: tuple) -> Any:
    """The shared name of the Series arguments, or None if they differ (pandas' rule)."""
    names = {a.name for a in args if is_series(a)}
    return names.pop() if len(names) == 1 else None


def wrap_like(template: Any, values: Any, name: Any = None) -> Any:
    """``values`` as a Series like ``template`` (same type and index); arrays if no template."""
    if template is None:
        return values
    return type(template)(values, index=template.index, name=name)


def dtype_of(obj: Any) -> Any:
    """The dtype of an array/Series argument, or the Python type of a scalar (NumPy's weak scalars)."""
    dtype = getattr(obj, "dtype", None)
    return dtype if dtype is not None else type(obj)


def meta_value(obj: Any, np: Any) -> Any:
    """A zero-length stand-in for an array argument (scalars stay as they are)."""
    if getattr(obj, "ndim", 0) == 0:
        return obj
    return np.empty((0,) * obj.ndim, dtype=np.dtype(obj.dtype))
