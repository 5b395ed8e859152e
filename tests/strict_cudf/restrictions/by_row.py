"""Row-wise (``axis=1``) reductions, scans, shifts and differences: cuDF runs few, on CuPy (not NaN-aware)."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from .base import Restriction


def _row_wise(args: tuple, kwargs: dict) -> bool:
    return kwargs.get("axis", args[0] if args else 0) in (1, "columns")


def _skew_by_row(args: tuple, kwargs: dict) -> str | None:
    return "Only axis=0 is currently supported." if _row_wise(args, kwargs) else None


def _verify_skew(cudf: Any) -> None:
    for how in ("skew", "kurtosis", "kurt"):
        with pytest.raises(NotImplementedError, match="axis=0"):
            getattr(cudf.DataFrame(), how)(axis=1)


def _min_count_by_row(args: tuple, kwargs: dict) -> str | None:
    if _row_wise(args, kwargs) and kwargs.get("min_count") not in (None, 0):
        return "Row-wise operations currently do not support `min_count`."
    return None


def _verify_min_count(cudf: Any) -> None:
    for how in ("sum", "prod", "product"):
        with pytest.raises(NotImplementedError, match="min_count"):
            getattr(cudf.DataFrame(), how)(axis=1, min_count=1)


def _any_all_by_row(obj: Any, args: tuple, kwargs: dict) -> str | None:
    # any/all are not among cuDF's NaN-aware row-wise (CuPy) reductions
    if not _row_wise(args, kwargs):
        return None
    if kwargs.get("skipna", args[1] if len(args) > 1 else True) is False:
        return "Row-wise operations currently do not support `skipna=False` for any/all."
    if obj is not None and (bool(obj.isna().any().any()) or any(dtype.kind == "f" for dtype in obj.dtypes)):
        # cuDF checks col.nullable: a null mask, which a float column converted from data with NaN keeps in
        # slices without a null (here: every float column may carry one)
        return "Row-wise any/all do not currently support columns with null values."
    return None


def _verify_any_all(cudf: Any) -> None:
    import types

    for how in ("any", "all"):
        with pytest.raises(NotImplementedError, match="skipna=False"):
            getattr(cudf.DataFrame(), how)(axis=1, skipna=False)
        nullable = types.SimpleNamespace(_columns=[types.SimpleNamespace(nullable=True)])
        with pytest.raises(ValueError, match="null values"):  # the check before CuPy sees a row
            cudf.DataFrame._prepare_for_rowwise_op(nullable, how, True, False)


def _quantile_by_row(args: tuple, kwargs: dict) -> str | None:
    axis = kwargs.get("axis", args[1] if len(args) > 1 else 0)
    return None if axis in (0, None) else "axis is not implemented yet"


def _verify_quantile(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="axis"):
        cudf.DataFrame().quantile(0.5, axis=1)


def _clip_axis(args: tuple, kwargs: dict) -> str | None:
    axis = kwargs.get("axis", args[2] if len(args) > 2 else 1)
    return None if axis == 1 else "`axis is not yet supported in clip` (cuDF clips only with its default axis=1)"


def _verify_clip(cudf: Any) -> None:
    for axis in (0, None):
        with pytest.raises(NotImplementedError, match="axis"):
            cudf.DataFrame().clip(lower=0, axis=axis)


def _nunique_by_row(args: tuple, kwargs: dict) -> str | None:
    axis = kwargs.get("axis", args[0] if args else 0)
    return None if axis == 0 else "axis parameter is not supported yet."  # cuDF refuses even "index"


def _verify_nunique(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="axis"):
        cudf.DataFrame().nunique(axis=1)
    with pytest.raises(NotImplementedError, match="axis"):
        cudf.DataFrame().nunique(axis="index")


def _scan_by_row_of(how: str) -> Callable[[Any, tuple, dict], str | None]:
    def check(obj: Any, args: tuple, kwargs: dict) -> str | None:
        if how in _CUPY_LACKS_SCANS and _row_wise(args, kwargs):
            return f"module 'cupy' has no attribute {how!r} (AttributeError in cuDF)"
        return _scan_by_row(obj, args, kwargs)
    return check


_CUPY_LACKS_SCANS = ("cummax", "cummin")  # cuDF scans rows with getattr(cupy, how); CuPy 14 has no cummax/cummin


def _scan_by_row(obj: Any, args: tuple, kwargs: dict) -> str | None:
    # row-wise scans are CuPy cumulative functions on a 2-D view: not NaN-aware
    if not _row_wise(args, kwargs):
        return None
    if kwargs.get("skipna", args[1] if len(args) > 1 else True) is False:
        return "Row-wise operations currently do not support `skipna=False` for scans."
    if obj is not None and bool(obj.isna().any().any()):
        return "Row-wise scans do not currently support columns with null values."
    return None


def _verify_scan_by_row(cudf: Any) -> None:
    import types

    for how in ("cumsum", "cumprod", "cummax", "cummin"):
        with pytest.raises(NotImplementedError, match="skipna=False"):
            getattr(cudf.DataFrame(), how)(axis=1, skipna=False)
        nullable = types.SimpleNamespace(_columns=[types.SimpleNamespace(nullable=True)])
        with pytest.raises(ValueError, match="null values"):
            cudf.DataFrame._prepare_for_rowwise_op(nullable, how, True, False)
    for how in _CUPY_LACKS_SCANS:  # a frame without rows, prepared: cuDF looks the scan up in CuPy
        prepared = types.SimpleNamespace(_column_names=[], to_cupy=lambda: [])
        frame = types.SimpleNamespace(_prepare_for_rowwise_op=lambda *a: (prepared, None, None))
        with pytest.raises(AttributeError, match=how):
            cudf.DataFrame._apply_cupy_method_axis_1(frame, how, skipna=True)


def _shift_by_row_or_freq(args: tuple, kwargs: dict) -> str | None:
    # (periods, freq, axis, fill_value, suffix)
    if kwargs.get("axis", args[2] if len(args) > 2 else 0) in (1, "columns"):
        return "Only axis=0 is supported."
    freq = kwargs.get("freq", args[1] if len(args) > 1 else None)
    return "The freq argument is not yet supported." if freq is not None else None


def _diff_by_row(args: tuple, kwargs: dict) -> str | None:
    axis = kwargs.get("axis", args[1] if len(args) > 1 else 0)
    return "Only axis=0 is supported." if axis in (1, "columns") else None


def _verify_shift_and_diff(cudf: Any) -> None:
    from cudf.core.indexed_frame import IndexedFrame

    assert cudf.Series.shift is IndexedFrame.shift and cudf.DataFrame.shift is IndexedFrame.shift
    with pytest.raises(NotImplementedError, match="axis=0"):
        cudf.DataFrame().shift(1, axis=1)
    with pytest.raises(NotImplementedError, match="freq"):
        cudf.DataFrame().shift(1, freq="D")
    with pytest.raises(NotImplementedError, match="axis=0"):
        cudf.DataFrame().diff(1, axis=1)


RESTRICTIONS = [
    Restriction(("DataFrame",), "cumsum", _scan_by_row, _verify_scan_by_row, needs_data=True),
    Restriction(("DataFrame",), "cumprod", _scan_by_row, _verify_scan_by_row, needs_data=True),
    Restriction(("DataFrame",), "cummax", _scan_by_row_of("cummax"), _verify_scan_by_row, needs_data=True),
    Restriction(("DataFrame",), "cummin", _scan_by_row_of("cummin"), _verify_scan_by_row, needs_data=True),
    Restriction(("DataFrame", "Series"), "shift", _shift_by_row_or_freq, _verify_shift_and_diff),
    Restriction(("DataFrame",), "diff", _diff_by_row, _verify_shift_and_diff),
    Restriction(("DataFrame",), "nunique", _nunique_by_row, _verify_nunique),
    Restriction(("DataFrame", "Series"), "clip", _clip_axis, _verify_clip),
    Restriction(("DataFrame",), "quantile", _quantile_by_row, _verify_quantile),
    Restriction(("DataFrame",), "skew", _skew_by_row, _verify_skew),
    Restriction(("DataFrame",), "kurtosis", _skew_by_row, _verify_skew),
    Restriction(("DataFrame",), "kurt", _skew_by_row, _verify_skew),
    Restriction(("DataFrame",), "sum", _min_count_by_row, _verify_min_count),
    Restriction(("DataFrame",), "prod", _min_count_by_row, _verify_min_count),
    Restriction(("DataFrame",), "product", _min_count_by_row, _verify_min_count),
    Restriction(("DataFrame",), "any", _any_all_by_row, _verify_any_all, needs_data=True),
    Restriction(("DataFrame",), "all", _any_all_by_row, _verify_any_all, needs_data=True),
]
