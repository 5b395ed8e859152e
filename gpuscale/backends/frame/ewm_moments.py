"""Partition functions of ``ewm().sum()``, ``ewm().var()`` and ``ewm().std()`` as scans over the partitions
(``adjust=True`` weights, ``ignore_na=False``: missing rows still age the weights, as pandas' default).

A row ``t`` weighs the valid value of row ``j <= t`` by ``decay ** (t - j)``.  Every quantity is a sum of such
weighted terms, so a row ``p`` rows into a partition adds ``decay ** p`` times the carried sum (``decay ** 2p``
for the squared weights):

Sum
    the weighted sum itself (``ewm_total``'s ``s``, with ``ewm_combine``): NaN before the first valid value.
Variance
    per column ``(w, w2, s1, s2, n, c)``: the weights, squared weights, weighted sums of ``x - c`` and
    ``(x - c) ** 2`` about the partition's first valid value ``c`` (so values far from zero keep their digits),
    and valid values; carries are moved to the next partition's centre before they are added.  The variance is
    pandas' ``bias=False`` correction ``w ** 2 / (w ** 2 - w2)`` of the weighted one (``bias=True``: without it).

Covariance and correlation of column pairs
    per pair ``(w, w2, sx, sy, sxy, sxx, syy, n, cx, cy)`` over the rows where both hold a value (pandas' rule),
    about each partition's first such pair of values, carried the same way.

Each partition's own prefix sums come from the library's ``ewm(adjust=True).mean()`` of columns without missing
values, times the total weight, so pandas and cuDF partitions take the same path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.expanding import (_as_carry, _as_float, _check_numeric, _columns, _rebuild, _scalar,
                                              decay_powers)

__all__ = ["ewm_sum_finish", "ewm_moments_total", "ewm_moments_combine", "ewm_moments_finish", "ewm_pairs_total",
           "ewm_pairs_combine", "ewm_pairs_finish"]

_NONE = (0.0, 0.0, 0.0, 0.0, 0, 0.0)  # (w, w2, s1, s2, n, c) of no valid value


def _decayed_sums(values: Any, decay: float, powers: Any) -> Any:
    """For each row, the sum over rows ``j <= t`` of ``decay ** (t - j) * values[j]`` (no missing values);
    ``powers``: ``decay ** p`` of the rows' positions (:func:`decay_powers`)."""
    alpha = 1.0 - decay
    return values.ewm(alpha=alpha, adjust=True).mean() * ((1.0 - powers) / alpha)


def ewm_sum_finish(part: Any, carry: dict | None, decay: float, adjust: bool = True, min_periods: int = 0) -> Any:
    """``part.ewm(alpha=1 - decay).sum()`` continued from the partitions before it (``ewm_total`` carries)."""
    columns = _as_carry(carry, decay, True)["columns"] if carry else {}
    out, powers = {}, None
    for label, col in _columns(part):
        _check_numeric(col, "ewm().sum()")
        col = _as_float(col)
        powers = decay_powers(col, decay) if powers is None else powers
        m0, w0, n0 = columns.get(label, (np.nan, 0.0, 0))
        total = _decayed_sums(col.fillna(0.0), decay, powers)
        if n0:
            total = total + powers * (m0 * w0)
        count = col.notna().astype("int64").cumsum() + n0
        out[label] = total.where(count >= max(min_periods, 1))
    return _rebuild(part, out)


def _local(col: Any, decay: float, powers: Any) -> tuple:
    """``(w, w2, s1, s2, centre)`` of each row of one column within its partition (``powers``: see
    :func:`decay_powers`; those of ``decay ** 2`` are their squares)."""
    valid = col.notna()
    centre = _scalar(col[valid].iloc[0]) if bool(valid.any()) else 0.0
    shifted = (col - centre).fillna(0.0)
    ones = valid.astype("float64")
    w = _decayed_sums(ones, decay, powers)
    w2 = _decayed_sums(ones, decay * decay, powers * powers)
    return w, w2, _decayed_sums(shifted, decay, powers), _decayed_sums(shifted * shifted, decay, powers), centre


def _recentred(carry: tuple, centre: float) -> tuple:
    """A carry's sums about another centre."""
    w, w2, s1, s2, n, c = carry
    d = c - centre
    return w, w2, s1 + d * w, s2 + 2.0 * d * s1 + d * d * w, n, centre


def ewm_moments_total(part: Any, decay: float, bias: bool = False, min_periods: int = 0, **kwargs: Any) -> dict:
    """Per column ``(w, w2, s1, s2, n, c)`` at the partition's last row, and its row count."""
    out = {}
    for label, col in _columns(part):
        _check_numeric(col, "ewm().var()")
        col = _as_float(col)
        n = int(col.count())
        if n == 0:
            out[label] = _NONE
            continue
        w, w2, s1, s2, centre = _local(col, decay, decay_powers(col, decay))
        out[label] = (_scalar(w.iloc[-1]), _scalar(w2.iloc[-1]), _scalar(s1.iloc[-1]), _scalar(s2.iloc[-1]), n,
                      centre)
    return {"rows": len(part), "columns": out}


def ewm_moments_combine(carry: dict, total: dict, decay: float, **kwargs: Any) -> dict:
    """The carry after one more partition: the earlier sums decay over its rows and are added to its own."""
    rows, columns = total["rows"], {}
    for label, own in total["columns"].items():
        before = carry["columns"].get(label, _NONE)
        if before[4] == 0:
            columns[label] = own
            continue
        w0, w20, s10, s20, n0, c = _recentred(before, own[5]) if own[4] else before
        fade = decay ** rows
        w, w2, s1, s2, n, _ = own
        columns[label] = (w + fade * w0, w2 + fade * fade * w20, s1 + fade * s10, s2 + fade * s20, n + n0, c)
    return {"rows": carry["rows"] + rows, "columns": columns}


def ewm_moments_finish(part: Any, carry: dict | None, decay: float, bias: bool = False, min_periods: int = 0,
                       how: str = "var") -> Any:
    """``part.ewm(alpha=1 - decay).var(bias=bias)`` (``how="std"``: its square root) continued from the
    partitions before it."""
    columns = carry["columns"] if carry else {}
    out, powers = {}, None
    for label, col in _columns(part):
        _check_numeric(col, f"ewm().{how}()")
        col = _as_float(col)
        powers = decay_powers(col, decay) if powers is None else powers
        w, w2, s1, s2, centre = _local(col, decay, powers)
        before = columns.get(label, _NONE)
        if before[4]:
            w0, w20, s10, s20, _, _ = _recentred(before, centre)
            w, w2, s1, s2 = w + powers * w0, w2 + powers * powers * w20, s1 + powers * s10, s2 + powers * s20
        mean = s1 / w.where(w > 0)
        var = (s2 / w.where(w > 0) - mean * mean).clip(lower=0.0)
        count = col.notna().astype("int64").cumsum() + before[4]
        if not bias:  # (one value: no correction, NaN as pandas; its weights' rounding must not make it 0)
            square = w * w
            var = (var * square / (square - w2).where(square - w2 > 0)).where(count >= 2)
        var = var.where(count >= max(min_periods, 1))
        out[label] = var ** 0.5 if how == "std" else var
    return _rebuild(part, out)


# -- cov and corr of column pairs ---------------------------------------------------------------------------
_NO_PAIR = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, 0.0)


def _pair_local(part: Any, pair: tuple, decay: float, powers: Any) -> tuple:
    """``(w, w2, sx, sy, sxy, sxx, syy, n, cx, cy)`` of each row of a column pair within its partition."""
    x, y = (_as_float(part[c]) for c in pair)
    both = x.notna() & y.notna()
    cx = _scalar(x[both].iloc[0]) if bool(both.any()) else 0.0
    cy = _scalar(y[both].iloc[0]) if bool(both.any()) else 0.0
    dx, dy = (x - cx).where(both, 0.0), (y - cy).where(both, 0.0)
    ones = both.astype("float64")
    sums = [_decayed_sums(v, decay, powers) for v in (ones, dx, dy, dx * dy, dx * dx, dy * dy)]
    w2 = _decayed_sums(ones, decay * decay, powers * powers)
    return (sums[0], w2, *sums[1:], both.astype("int64").cumsum(), cx, cy)


def _pair_recentred(carry: tuple, cx: float, cy: float) -> tuple:
    """A pair carry's sums about other centres."""
    w, w2, sx, sy, sxy, sxx, syy, n, c0x, c0y = carry
    ex, ey = c0x - cx, c0y - cy
    return (w, w2, sx + ex * w, sy + ey * w, sxy + ex * sy + ey * sx + ex * ey * w, sxx + 2.0 * ex * sx + ex * ex * w,
            syy + 2.0 * ey * sy + ey * ey * w, n, cx, cy)


def ewm_pairs_total(part: Any, decay: float, how: str, pairs: list, bias: bool = False, min_periods: int = 0,
                    layout: str = "series", name: Any = None) -> dict:
    """Per column pair its sums at the partition's last row, and the partition's row count."""
    out = {}
    for pair in pairs:
        for c in pair:
            _check_numeric(part[c], f"ewm().{how}()")
        if len(part) == 0:
            out[pair] = _NO_PAIR
            continue
        local = _pair_local(part, pair, decay, decay_powers(part[pair[0]], decay))
        out[pair] = tuple(_scalar(v.iloc[-1]) for v in local[:7]) + (int(local[7].iloc[-1]), local[8], local[9])
    return {"rows": len(part), "columns": out}


def ewm_pairs_combine(carry: dict, total: dict, decay: float, **kwargs: Any) -> dict:
    """The carry after one more partition: the earlier sums decay over its rows and are added to its own."""
    rows, columns = total["rows"], {}
    for pair, own in total["columns"].items():
        before = carry["columns"].get(pair, _NO_PAIR)
        if before[7] == 0:
            columns[pair] = own
            continue
        if own[7]:
            before = _pair_recentred(before, own[8], own[9])
        fade = decay ** rows
        w0, w20, *sums0 = before[:7]
        w, w2, *sums = own[:7]
        columns[pair] = (w + fade * w0, w2 + fade * fade * w20, *[s + fade * s0 for s, s0 in zip(sums, sums0)],
                         own[7] + before[7], before[8], before[9])
    return {"rows": carry["rows"] + rows, "columns": columns}


def _pair_statistic(part: Any, pair: tuple, before: tuple, decay: float, how: str, bias: bool,
                    min_periods: int) -> Any:
    powers = decay_powers(part[pair[0]], decay)
    w, w2, sx, sy, sxy, sxx, syy, n, cx, cy = _pair_local(part, pair, decay, powers)
    if before[7]:
        w0, w20, sx0, sy0, sxy0, sxx0, syy0, n0, _, _ = _pair_recentred(before, cx, cy)
        w, w2 = w + powers * w0, w2 + powers * powers * w20
        sx, sy, sxy, sxx, syy = (s + powers * s0 for s, s0 in ((sx, sx0), (sy, sy0), (sxy, sxy0), (sxx, sxx0),
                                                              (syy, syy0)))
    weight = w.where(w > 0)
    mx, my = sx / weight, sy / weight
    cov = sxy / weight - mx * my
    count = n + before[7]
    if how == "corr":
        vx, vy = (sxx / weight - mx * mx).clip(lower=0.0), (syy / weight - my * my).clip(lower=0.0)
        value = (cov / (vx * vy) ** 0.5).where(count >= 2)
    elif bias:
        value = cov
    else:  # pandas' bias=False correction (one value: NaN)
        square = w * w
        value = (cov * square / (square - w2).where(square - w2 > 0)).where(count >= 2)
    return value.where(count >= max(min_periods, 1))


def ewm_pairs_finish(part: Any, carry: dict | None, decay: float, how: str, pairs: list, bias: bool = False,
                     min_periods: int = 0, layout: str = "series", name: Any = None) -> Any:
    """``ewm().cov()`` / ``corr()`` of the column ``pairs`` continued from the partitions before it, laid out as
    ``expanding()``'s pairs are (:func:`gpuscale.backends.frame.expanding_moments.expanding_pairs_finish`)."""
    from gpuscale.backends.frame.expanding_moments import laid_out_pairs

    columns = carry["columns"] if carry else {}
    for column in dict.fromkeys(c for pair in pairs for c in pair):
        _check_numeric(part[column], f"ewm().{how}()")
    values = {pair: _pair_statistic(part, pair, columns.get(pair, _NO_PAIR), decay, how, bias, min_periods)
              for pair in pairs}
    return laid_out_pairs(part, values, pairs, layout, name)
