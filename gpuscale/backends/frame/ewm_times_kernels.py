"""NumPy kernels of ``ewm(halflife=..., times=...).mean()`` over one column's valid values
(:mod:`gpuscale.backends.frame.ewm_times`).

Times are int64 nanoseconds of *effective* time: pandas ages the weights by the time since the row before at every
row (``ignore_na=False``) or only at valid rows (``ignore_na=True``: the time between a missing row and the row
before it is skipped, as pandas' loop does).  Both forms are linear recurrences over the valid values; they are
solved in blocks within which no weight leaves float64's range, each block continuing from the one before.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["elapsed", "halving_sums", "linear_scan", "recursive_means"]

_SPAN = 500.0  # half-lives per block of the adjusted sums: 2 ** 500 is far inside float64's range
_LOG_SPAN = 600.0  # natural-log fall of the recursive form's weights per block (exp(600) < float64's max)


def elapsed(times: np.ndarray, valid: np.ndarray, t_prev: Any, ignore_na: bool) -> np.ndarray:
    """Effective nanoseconds from ``t_prev`` (the last row before; None: the first row) to each row."""
    delta = np.diff(times, prepend=times[0] if t_prev is None else np.int64(t_prev))
    if ignore_na:  # (pandas ages the weights only at valid rows, by the time since the row before)
        delta = np.where(valid, delta, 0)
    return np.cumsum(delta)


def halving_sums(x: np.ndarray, since: np.ndarray, halflife: int, before: tuple) -> tuple:
    """``adjust=True``: the weighted sums and weights at each valid value ``x`` (``since``: its effective time
    since the carried sums ``before = (sum, weight)``, not decreasing)."""
    sums, weights = np.empty(len(x)), np.empty(len(x))
    s0, w0 = before
    at = 0
    lives = since / halflife
    start = 0
    while start < len(x):
        end = int(np.searchsorted(lives, lives[start] + _SPAN, side="right"))
        grow = np.exp2((since[start:end] - since[start]) / halflife)  # (int differences: exact block times)
        fade = np.exp2(-((since[start:end] - at) / halflife)) if w0 else 0.0
        sums[start:end] = s0 * fade + np.cumsum(x[start:end] * grow) / grow
        weights[start:end] = w0 * fade + np.cumsum(grow) / grow
        s0, w0, at = sums[end - 1], weights[end - 1], since[end - 1]
        start = end
    return sums, weights


def linear_scan(keep: np.ndarray, add: np.ndarray, y0: float) -> np.ndarray:
    """``y[j] = keep[j] * y[j - 1] + add[j]`` from ``y[-1] = y0`` (``0 <= keep <= 1``), block by block."""
    if not keep.any():  # (every value alone: alpha = 1, or weights below float64's range)
        return add.astype("float64")
    with np.errstate(divide="ignore"):
        fall = np.minimum(-np.log(keep), 2.0 * _LOG_SPAN)  # (keep 0: a block of its own, its keep used as is)
    reach = np.cumsum(fall)  # (only to cut blocks; each block sums its own falls)
    out = np.empty(len(keep))
    y, start = y0, 0
    while start < len(keep):
        end = int(np.searchsorted(reach, reach[start] + _LOG_SPAN, side="right"))
        grow = np.exp(np.concatenate(([0.0], np.cumsum(fall[start + 1:end]))))
        out[start:end] = (keep[start] * y + np.cumsum(add[start:end] * grow)) / grow
        y, start = out[end - 1], end
    return out


def recursive_means(x: np.ndarray, gaps: np.ndarray, halflife: int, m0: Any) -> tuple:
    """``adjust=False``: the mean at each valid value ``x`` (``gaps``: effective time since the valid value
    before), continued from the mean ``m0`` (None: the first value starts it); and each value's keep factor."""
    keep = np.exp2(-(gaps / halflife))  # (pandas: the mean so far keeps 0.5 ** (gap / halflife), x the rest)
    if m0 is None and len(keep):
        keep[0] = 0.0
    return linear_scan(keep, (1.0 - keep) * x, 0.0 if m0 is None else float(m0)), keep
