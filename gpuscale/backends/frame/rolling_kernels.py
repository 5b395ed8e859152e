"""Rolling windows of pandas float/integer columns through pandas' own window kernels.

``s.rolling(100).mean()`` spends about half of its time around the kernel on a 625,000-row Series: the
window bounds (``np.arange`` and two ``np.clip`` passes), the argument checks and the result's
wrapping.  :func:`fast_rolling` calls the same Cython kernel (``pandas._libs.window.aggregations``) with
the same bounds, minimum count and values, so the answers are pandas' own bit for bit, for the plain
cases only: NumPy float or integer columns, ``sum``/``mean``/``min``/``max``/``var``/``std``, and

* a row-count window of at least one row, with ``min_periods`` only; or
* a time window (``"2h"``, a ``Timedelta``, a fixed offset) over a ``DatetimeIndex``/``TimedeltaIndex``
  without NaT that increases, with ``min_periods``, ``closed`` and ``center``.  Its bounds are pandas'
  ``VariableWindowIndexer``'s: from pandas' own Cython function, or, where the index steps evenly (a
  regular time series: checked by one pass over the steps), the fixed bounds of the rows one window
  spans, which are the same numbers without allocating and filling two arrays per partition.

Anything else (cuDF partitions, other options, another pandas whose private kernels are not there) returns
None, and the caller runs ``obj.rolling(...)`` as usual.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

try:  # private to pandas (stable since 1.3): without it, every window goes through pandas' Rolling
    from pandas._libs.window import aggregations as _kernels
except ImportError:  # pragma: no cover - another pandas
    _kernels = None
try:  # private to pandas (stable since 1.3): without it, time windows go through pandas' Rolling
    from pandas._libs.window.indexers import calculate_variable_window_bounds as _variable_bounds
except ImportError:  # pragma: no cover - another pandas
    _variable_bounds = None

__all__ = ["fast_rolling"]

_METHODS = {"sum": "roll_sum", "mean": "roll_mean", "min": "roll_min", "max": "roll_max", "var": "roll_var",
            "std": "roll_var"}
_CACHE_ROWS = 1 << 21  # bounds kept up to this many rows (16 MiB each array) ...
_CACHE_WINDOWS = 4  # ... for this many window sizes
_bounds_cache: dict = {}  # window -> (start, end) of the longest partition seen
_cache_lock = threading.Lock()
_CLOSED = (None, "right", "left", "both", "neither")
_INT64_MIN = -(1 << 63)


def _plain_window(window: Any, rolling_kwargs: dict) -> int | None:
    """The window's row count where only ``min_periods`` is given (a valid one), else None."""
    if isinstance(window, (bool, np.bool_, np.timedelta64)) or not isinstance(window, (int, np.integer)) \
            or window < 1:  # (NumPy's timedelta64 is an np.integer)
        return None
    if set(rolling_kwargs) - {"min_periods"}:
        return None
    minp = rolling_kwargs.get("min_periods")
    if minp is not None and (isinstance(minp, (bool, np.bool_)) or not isinstance(minp, (int, np.integer))
                             or not 0 <= minp <= window):
        return None  # pandas' own checks give the error
    return int(window)


def _min_periods(rolling_kwargs: dict, default: int) -> int | None:
    """``min_periods`` as an int (``default`` where not given), or None where pandas would refuse it."""
    minp = rolling_kwargs.get("min_periods")
    if minp is None:
        return default
    if isinstance(minp, (bool, np.bool_)) or not isinstance(minp, (int, np.integer)) or minp < 0:
        return None  # pandas' own checks give the error
    return int(minp)


def _time_window(obj: Any, window: Any, rolling_kwargs: dict) -> tuple | None:
    """``(size, min_periods, closed, center)`` of a time window over ``obj``'s increasing datetime or
    timedelta index, as pandas' ``Rolling._validate`` finds them (``size`` in the index's unit, like
    ``_win_freq_i8``; ``min_periods`` 1 unless given), or None where pandas' own path should run (other
    windows or options, a PeriodIndex, NaT, a decreasing or unsorted index: pandas raises or handles it)."""
    if _variable_bounds is None or not isinstance(window, (str, timedelta, pd.offsets.BaseOffset)):
        return None
    if set(rolling_kwargs) - {"min_periods", "closed", "center"}:
        return None
    closed, center = rolling_kwargs.get("closed"), rolling_kwargs.get("center", False)
    if closed not in _CLOSED or not isinstance(center, (bool, np.bool_)):
        return None
    index = obj.index
    if type(index) not in (pd.DatetimeIndex, pd.TimedeltaIndex) or index.hasnans \
            or not index.is_monotonic_increasing:
        return None
    minp = _min_periods(rolling_kwargs, 1)
    if minp is None:
        return None
    try:  # pandas' own conversion: the offset's nanoseconds in the index's unit
        span = pd.Timedelta(pd.tseries.frequencies.to_offset(window).nanos).as_unit(index.unit)
    except (TypeError, ValueError):  # a calendar offset ("ME"): pandas raises
        return None
    size = int(span.to_timedelta64().astype(np.int64))
    return (size, minp, closed, bool(center)) if size >= 0 else None  # (a negative span: pandas' path)


def _regular_step(stamps: np.ndarray, freq: Any = None) -> int | None:
    """The step between consecutive ``stamps`` where all steps are that one positive step, else None.

    An index with a fixed frequency (``freq``: a ``Tick`` such as ``"s"``, which pandas checks the values
    against when it is given and keeps only through operations that preserve it) steps evenly by
    construction: there only its ends are checked, not every step (a pass over the partition)."""
    if len(stamps) < 2:
        return None
    step = int(stamps[1]) - int(stamps[0])
    if step <= 0:
        return None
    if isinstance(freq, pd.offsets.Tick):  # (not Day: a calendar day in a time zone is 23 or 25 hours too)
        return step if int(stamps[-1]) - int(stamps[0]) == step * (len(stamps) - 1) else None
    return step if (np.subtract(stamps[1:], stamps[:-1]) == step).all() else None


def _time_bounds(stamps: np.ndarray, size: int, closed: str | None, center: bool, freq: Any = None) -> tuple:
    """pandas' ``VariableWindowIndexer`` bounds of a time window of ``size`` index units over the increasing
    ``stamps`` (the index's int64 values; ``freq`` its frequency, if any).

    pandas starts row ``i``'s window at the first row later than ``stamps[i] - size`` (``- 1`` more with a
    closed left end) and ends it after row ``i`` (at row ``i`` with an open right end).  Where the stamps
    step evenly by ``step``, that first row is ``i + 1 - ceil(reach / step)`` (at least 0): the bounds of a
    fixed window of that many rows, kept and sliced by :func:`_bounds`.  Elsewhere (uneven steps, ``center``,
    a zero span, a window reaching below the int64 range, where pandas' own arithmetic wraps) pandas'
    function runs."""
    reach = size + (closed in ("left", "both"))
    step = None if center or reach < 1 or int(stamps[0]) - reach < _INT64_MIN else _regular_step(stamps, freq)
    if step is None:
        return _variable_bounds(len(stamps), size, None, center, closed, stamps)
    start, end = _bounds(len(stamps), -(-reach // step))
    if closed in ("left", "neither"):  # an open right end: row i itself is left out
        end = end - 1
    return start, end


def _columns(obj: Any) -> list | None:
    """The columns of a pandas Series / DataFrame as NumPy arrays, or None where a column is not a NumPy
    float or integer (pandas converts those to float64 for its kernels; others take pandas' path)."""
    if type(obj) is pd.Series:
        arrays = [obj._values]
    elif type(obj) is pd.DataFrame and obj.columns.is_unique:
        arrays = [obj.iloc[:, j]._values for j in range(obj.shape[1])]
    else:
        return None
    if not arrays or not all(isinstance(a, np.ndarray) and a.dtype.kind in "fiu" for a in arrays):
        return None
    return arrays


def _bounds(rows: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """pandas' ``FixedWindowIndexer`` bounds (end: 1..rows; start: end - window, at least 0), without its
    two ``np.clip`` passes.  The bounds of ``rows`` rows are the first ``rows`` of any longer ones, so one
    pair per window size is kept (read only: the kernels take them as constant) and sliced."""
    cached = _bounds_cache.get(window)
    if cached is not None and len(cached[1]) >= rows:
        return cached[0][:rows], cached[1][:rows]
    end = np.arange(1, rows + 1, dtype=np.int64)
    start = end - window
    np.maximum(start, 0, out=start)
    if rows <= _CACHE_ROWS:
        start.flags.writeable = end.flags.writeable = False
        with _cache_lock:  # partitions run on threads
            if window not in _bounds_cache and len(_bounds_cache) >= _CACHE_WINDOWS:
                _bounds_cache.pop(next(iter(_bounds_cache)))
            _bounds_cache[window] = (start, end)
    return start, end


def _prepared(values: np.ndarray) -> np.ndarray:
    """As pandas' ``_prep_values``: float64, infinities as NaN (a finite total means there are none)."""
    values = values.astype(np.float64, copy=False)
    with np.errstate(all="ignore"):
        if np.isfinite(np.add.reduce(values)):
            return values
    infinite = np.isinf(values)
    return np.where(infinite, np.nan, values) if infinite.any() else values


def _kernel(values: np.ndarray, how: str, start: np.ndarray, end: np.ndarray, minp: int, ddof: Any) -> np.ndarray:
    func = getattr(_kernels, _METHODS[how])
    with np.errstate(all="ignore"):
        if how in ("var", "std"):
            out = func(values, start, end, minp, ddof=ddof)
        else:
            out = func(values, start, end, minp)
        if how == "std":  # pandas' zsqrt: a rounding error's negative variance is 0
            negative = out < 0
            out = np.sqrt(out)
            out[negative] = 0
    return out


def fast_rolling(obj: Any, window: Any, rolling_kwargs: dict, how: str, how_args: tuple = (),
                 how_kwargs: dict | None = None) -> Any:
    """``obj.rolling(window, **rolling_kwargs).<how>()`` of a pandas Series or DataFrame through pandas'
    window kernel, or None where this does not apply (the caller then asks pandas).

    Parameters
    ----------
    obj : pandas.Series or pandas.DataFrame
        The values (NumPy float or integer columns).
    window : int, str, timedelta or fixed offset
        Rows per window (at least 1), or a time span over ``obj``'s increasing datetime/timedelta index.
    rolling_kwargs : dict
        ``min_periods``; for a time window also ``closed`` and ``center``.
    how : str
        ``"sum"``, ``"mean"``, ``"min"``, ``"max"``, ``"var"`` or ``"std"``.
    how_args, how_kwargs : tuple, dict
        ``ddof`` (positional or keyword) of ``var``/``std``; nothing else.

    Returns
    -------
    pandas.Series, pandas.DataFrame or None
        Float64 results with ``obj``'s index and labels, as pandas gives them.

    Examples
    --------
    >>> import pandas as pd
    >>> fast_rolling(pd.Series([1.0, 2.0, 4.0]), 2, {}, "mean").tolist()
    [nan, 1.5, 3.0]
    >>> hours = pd.date_range("2024-01-01", periods=3, freq="h")
    >>> fast_rolling(pd.Series([1.0, 2.0, 4.0], index=hours), "2h", {}, "sum").tolist()
    [1.0, 3.0, 6.0]
    """
    if _kernels is None or how not in _METHODS or len(obj) == 0:
        return None
    how_kwargs = dict(how_kwargs or {})
    if how in ("var", "std"):
        if len(how_args) > 1 or set(how_kwargs) - {"ddof"} or (how_args and how_kwargs):
            return None
        ddof = how_args[0] if how_args else how_kwargs.get("ddof", 1)
        if isinstance(ddof, (bool, np.bool_)) or not isinstance(ddof, (int, np.integer)):
            return None
    elif how_args or how_kwargs:
        return None
    else:
        ddof = None
    arrays = _columns(obj)
    if arrays is None:
        return None
    size = _plain_window(window, rolling_kwargs)
    if size is not None:
        start, end = _bounds(len(obj), size)
        minp = _min_periods(rolling_kwargs, size)
    else:
        timed = _time_window(obj, window, rolling_kwargs)
        if timed is None:
            return None
        size, minp, closed, center = timed
        start, end = _time_bounds(obj.index.asi8, size, closed, center, obj.index.freq)
    results = [_kernel(_prepared(a), how, start, end, minp, ddof) for a in arrays]
    if isinstance(obj, pd.Series):
        return pd.Series(results[0], index=obj.index, name=obj.name, copy=False)
    data = np.column_stack(results) if results else np.empty((len(obj), 0))
    return pd.DataFrame(data, index=obj.index, columns=obj.columns, copy=False)
