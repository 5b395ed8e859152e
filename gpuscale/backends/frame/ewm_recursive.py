"""Partition functions of ``ewm(adjust=False)``'s ``var``, ``std``, ``cov`` and ``corr`` as scans over the
partitions (``ignore_na=False``: missing rows still age the weights, as pandas' default).

pandas' recursive form keeps a *population* of the valid values whose weights sum to one.  The first valid
value starts it alone; a valid value ``g`` rows after the one before joins with weight
``alpha / (decay ** g + alpha)``, the values before keeping ``k = decay ** g / (decay ** g + alpha)`` of theirs
(``decay = 1 - alpha``).  A *pop* is that population's moments for a pair of columns
``(mean_x, mean_y, c_xy, c_xx, c_yy, u)``: the weighted means, the co-moments about them, and one less the sum
of the squared weights (pandas' bias correction divides by it; kept as ``u`` itself, which stays exact where the
squared weights come near 1 after long missing runs).  Pops mix as weighted populations do (:func:`_mix`), and
at each valid value every moment follows a linear recurrence ``m_j = k_j m_{j-1} + b_j`` (the means first, the
co-moments' ``b_j`` from the deviations of the value from the means before it), solved with NumPy on the host by
:func:`gpuscale.backends.frame.ewm_times_kernels.linear_scan` (cuDF partitions make a round trip).

A partition's total is ``(valid values, first valid row, its values x1 y1, R, L, rows after the last one)``: the
population at its last valid value is ``R * P1 + (1 - R) * L``, ``P1`` the earlier population mixed with
``(x1, y1)``, ``R`` the product of the later values' keep factors and ``L`` the population of the later values
alone, both independent of what came before.  The carry is ``(valid values, rows since the last one, pop)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.convert import to_host
from gpuscale.backends.frame.core import convert_library, library_of
from gpuscale.backends.frame.ewm_times_kernels import linear_scan
from gpuscale.backends.frame.expanding import _check_numeric, _columns, _rebuild

__all__ = ["ewm_recursive_total", "ewm_recursive_combine", "ewm_recursive_finish"]

_NO_STATE = (0, 0, None)  # (valid values, rows since the last one, pop)
_ROUNDS_TO_ONE = 2.0 ** -53  # u below it: pandas' sum of squared weights is 1.0 in float64


def _point(x: Any, y: Any) -> tuple:
    return (x, y, 0.0, 0.0, 0.0, 0.0)


def _mix(a: Any, p: tuple, q: tuple) -> tuple:
    """The pop of ``p`` with weight ``a`` and ``q`` with ``1 - a`` (scalars or columns)."""
    b = 1.0 - a
    dx, dy, ab = p[0] - q[0], p[1] - q[1], a * b
    return (q[0] + a * dx, q[1] + a * dy, a * p[2] + b * q[2] + ab * dx * dy, a * p[3] + b * q[3] + ab * dx * dx,
            a * p[4] + b * q[4] + ab * dy * dy, a * a * p[5] + b * b * q[5] + 2.0 * ab)


def _keeps(gaps: np.ndarray, decay: float) -> np.ndarray:
    """The weight the population keeps when a valid value comes ``gaps`` rows after the one before."""
    if decay == 0:
        return np.zeros(len(gaps))
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + (1.0 - decay) * np.exp(-np.log(decay) * gaps))  # (decay ** -g overflows: keep 0)


def _keep(gap: int, decay: float) -> float:
    return float(_keeps(np.array([float(gap)]), decay)[0])


def _pair_values(part: Any, pairs: list | None, how: str) -> list:
    """``[(key, x, y)]`` as float64 NumPy arrays: each column with itself (``pairs`` None: ``var``/``std``) or
    each pair with the rows where either is missing missing in both (pandas' rule for pairs)."""
    if pairs is None:
        out = []
        for label, col in _columns(part):
            _check_numeric(col, f"ewm().{how}()")
            x = col.astype("float64").to_numpy()
            out.append((label, x, x))
        return out
    out = []
    for a, b in pairs:
        for c in (a, b):
            _check_numeric(part[c], f"ewm().{how}()")
        x, y = (part[c].astype("float64").to_numpy() for c in (a, b))
        both = ~(np.isnan(x) | np.isnan(y))
        out.append(((a, b), np.where(both, x, np.nan), np.where(both, y, np.nan)))
    return out


def _populations(x: np.ndarray, y: np.ndarray, keep: np.ndarray, start: tuple | None) -> tuple:
    """The pop at each of the valid values ``x``, ``y`` joining with keep factors ``keep``, from the pop
    ``start`` (None: ``keep[0]`` is 0).  The means are taken about the first value, to keep their digits."""
    cx, cy = (x[0], y[0]) if start is None else (start[0], start[1])
    m0 = (0.0,) * 6 if start is None else (0.0, 0.0, *start[2:])
    share = keep * (1.0 - keep)
    means = []
    for values, centre, before in ((x, cx, m0[0]), (y, cy, m0[1])) if y is not x else ((x, cx, m0[0]),):
        shifted = values - centre
        mean = linear_scan(keep, (1.0 - keep) * shifted, before)
        means.append((mean, shifted - np.concatenate(([before], mean[:-1]))))
    (mx, dx), (my, dy) = means[0], means[-1]
    cxx = linear_scan(keep, share * dx * dx, m0[3])
    cxy, cyy = (cxx, cxx) if y is x else (linear_scan(keep, share * dx * dy, m0[2]),
                                           linear_scan(keep, share * dy * dy, m0[4]))
    u = linear_scan(keep * keep, 2.0 * share, m0[5])
    return (mx + cx, my + cy, cxy, cxx, cyy, u)


def _pair_total(x: np.ndarray, y: np.ndarray, decay: float) -> tuple:
    """``(n, first, x1, y1, R, L, tail)`` of one pair within its partition (see the module's docstring)."""
    rows = np.flatnonzero(~np.isnan(x))
    if len(rows) == 0:
        return (0, 0, np.nan, np.nan, 1.0, None, len(x))
    first, tail = int(rows[0]), len(x) - 1 - int(rows[-1])
    x1, y1 = float(x[first]), float(y[first])
    if len(rows) == 1:
        return (1, first, x1, y1, 1.0, None, tail)
    keep = _keeps(np.diff(rows).astype("float64"), decay)
    alone = linear_scan(keep, 1.0 - keep, 0.0)  # the later values' share of the weights
    inner = keep * np.concatenate(([0.0], alone[:-1])) / alone  # (their population alone: its own keeps)
    later = _populations(x[rows[1:]], y[rows[1:]], inner, None)
    return (len(rows), first, x1, y1, float(np.prod(keep)), tuple(float(v[-1]) for v in later), tail)


def _advance(state: tuple, total: tuple, rows: int, decay: float) -> tuple:
    """The state after a partition (its ``total``, ``rows`` rows) from the state before it."""
    n0, gap0, pop0 = state
    n, first, x1, y1, keep, later, tail = total
    if n == 0:
        return (n0, gap0 + rows, pop0)
    p1 = _point(x1, y1) if n0 == 0 else _mix(1.0 - _keep(gap0 + first + 1, decay), _point(x1, y1), pop0)
    return (n0 + n, tail, p1 if later is None else _mix(keep, p1, later))


def ewm_recursive_total(part: Any, decay: float, how: str, pairs: list | None = None, bias: bool = False,
                        min_periods: int = 0, layout: str = "series", name: Any = None) -> dict:
    """Per column (pair) its total within the partition, and the partition's row count."""
    columns = {key: _pair_total(x, y, decay) for key, x, y in _pair_values(to_host(part), pairs, how)}
    return {"rows": len(part), "columns": columns, "total": True}


def _as_state(carry: dict, decay: float) -> dict:
    if not carry.get("total"):
        return carry
    columns = {key: _advance(_NO_STATE, total, carry["rows"], decay) for key, total in carry["columns"].items()}
    return {"rows": carry["rows"], "columns": columns}


def ewm_recursive_combine(carry: dict, total: dict, decay: float, **kwargs: Any) -> dict:
    """The carry after one more partition."""
    carry = _as_state(carry, decay)
    columns = {key: _advance(carry["columns"].get(key, _NO_STATE), own, total["rows"], decay)
               for key, own in total["columns"].items()}
    return {"rows": carry["rows"] + total["rows"], "columns": columns}


def _pair_pops(x: np.ndarray, y: np.ndarray, state: tuple, decay: float) -> tuple:
    """``(pop per row, valid values per row)`` continuing from ``state``; missing rows show the pop before them
    (the state's before the partition's first valid value, NaN without one)."""
    n0, gap0, pop0 = state
    valid = ~np.isnan(x)
    rows = np.flatnonzero(valid)
    seen = np.cumsum(valid) + n0
    held = pop0 if n0 else (np.nan,) * 6
    if len(rows) == 0:
        return tuple(np.full(len(x), v) for v in held), seen
    gaps = np.diff(rows, prepend=rows[0] - (gap0 + rows[0] + 1)).astype("float64")
    keep = _keeps(gaps, decay)
    if not n0:
        keep[0] = 0.0
    pops = _populations(x[rows], y[rows], keep, pop0 if n0 else None)
    last = np.maximum.accumulate(np.where(valid, np.cumsum(valid) - 1, -1))  # (each row's last valid value)
    return tuple(np.where(last >= 0, v[np.maximum(last, 0)], h) for v, h in zip(pops, held)), seen


def _statistic(pop: tuple, seen: np.ndarray, how: str, bias: bool, min_periods: int) -> np.ndarray:
    mx, my, cxy, cxx, cyy, u = pop
    with np.errstate(invalid="ignore", divide="ignore"):
        if how == "corr":
            value = cxy / np.sqrt(np.maximum(cxx, 0.0) * np.maximum(cyy, 0.0))
        else:
            value = np.maximum(cxx, 0.0) if how in ("var", "std") else cxy
            if not bias:  # pandas' correction; one value (u = 0) has none: NaN, as where pandas' 1 - s2 rounds to 0
                value = value / np.where(u > _ROUNDS_TO_ONE, u, np.nan)
            if how == "std":
                value = np.sqrt(value)
    return np.where(seen >= max(min_periods, 1), value, np.nan)


def ewm_recursive_finish(part: Any, carry: dict | None, decay: float, how: str, pairs: list | None = None,
                         bias: bool = False, min_periods: int = 0, layout: str = "series", name: Any = None) -> Any:
    """``part.ewm(alpha=1 - decay, adjust=False).<how>()`` (``var``/``std`` of each column, ``cov``/``corr``
    of ``pairs``) continued from the partitions before it."""
    from gpuscale.backends.frame.expanding_moments import laid_out_pairs

    library, host = library_of(part), to_host(part)
    columns = _as_state(carry, decay)["columns"] if carry else {}
    values = {}
    for key, x, y in _pair_values(host, pairs, how):
        pop, seen = _pair_pops(x, y, columns.get(key, _NO_STATE), decay)
        values[key] = pd.Series(_statistic(pop, seen, how, bias, min_periods), index=host.index,
                                name=host.name if pairs is None and key is None else key if pairs is None else None)
    out = _rebuild(host, values) if pairs is None else laid_out_pairs(host, values, pairs, layout, name)
    return convert_library(out, library)
