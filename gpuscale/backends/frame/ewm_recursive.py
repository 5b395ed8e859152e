"""Partition functions of ``ewm(adjust=False)``'s ``var``, ``std``, ``cov`` and ``corr`` as scans over the
partitions (``ignore_na=False``: missing rows still age the weights, as pandas' default).

pandas' recursive form keeps a *population* of the valid values whose weights sum to one.  The first valid
value starts it alone; every later row ages it, and a valid value ``g`` rows after the last one joins with
weight ``alpha / (decay ** g + alpha)`` while the values before keep ``decay ** g / (decay ** g + alpha)`` of
theirs (``decay = 1 - alpha``).  A *pop* is that population's moments for a pair of columns
``(mean_x, mean_y, c_xy, c_xx, c_yy, s2)``: the weighted means, the co-moments about them, and the sum of the
squared weights (pandas' bias correction divides by ``1 - s2``).  Pops mix as weighted populations do
(:func:`_mix`), so:

* after a partition's first valid value ``x1`` the population is ``P1``, the earlier population (if any) mixed
  with ``x1``; every later valid value only rescales what is there, so the population at its last valid
  value is ``R * P1 + (1 - R) * L``: ``R`` the product of the later values' "keep" factors and ``L`` the
  population of the later values alone, both independent of what came before.  That is a partition's total;
  the carry is ``(valid values, rows since the last one, pop)``.
* inside a partition the population of the later values at each row is a sum of weights ``decay ** (t - j)``
  times ``E[j]`` (the product of ``decay ** g + alpha`` of the values before, 1 without missing rows), so the
  library's ``ewm(adjust=True).mean()`` of columns without missing values gives it (as for ``adjust=True``);
  where missing rows make ``E`` span more than float64 can, the partition is finished in row blocks, each
  continuing from the one before.

Only means and ewm means of float columns, cumulative sums and products, ``exp``/``log`` and ``ffill`` are
used, so pandas and cuDF partitions take the same path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.ewm_moments import _decayed_sums
from gpuscale.backends.frame.expanding import _as_float, _check_numeric, _columns, _rebuild, _scalar, decay_powers

__all__ = ["ewm_recursive_total", "ewm_recursive_combine", "ewm_recursive_finish"]

_NO_STATE = (0, 0, None)  # (valid values, rows since the last one, pop)
_BLOCK_LOG_SPAN = 300.0  # how far (natural log) the weights E may fall within one row block


def _point(x: Any, y: Any) -> tuple:
    return (x, y, 0.0, 0.0, 0.0, 1.0)


def _mix(a: Any, p: tuple, q: tuple) -> tuple:
    """The pop of ``p`` with weight ``a`` and ``q`` with ``1 - a`` (scalars or columns)."""
    b = 1.0 - a
    dx, dy, ab = p[0] - q[0], p[1] - q[1], a * b
    return (q[0] + a * dx, q[1] + a * dy, a * p[2] + b * q[2] + ab * dx * dy, a * p[3] + b * q[3] + ab * dx * dx,
            a * p[4] + b * q[4] + ab * dy * dy, a * a * p[5] + b * b * q[5])


def _log_decay(decay: float) -> float:
    return float(np.log(decay)) if decay > 0 else -np.inf


def _keep(gap: int, decay: float) -> float:
    """The weight the population keeps when a valid value comes ``gap`` rows after the last one."""
    aged = float(np.exp(gap * _log_decay(decay)))
    return aged / (aged + 1.0 - decay)


def _pair_values(part: Any, pairs: list | None, how: str) -> list:
    """``[(key, x, y)]``: each column with itself (``pairs`` None: ``var``/``std``) or each pair, as float64
    with the rows where either is missing missing in both (pandas' rule for pairs)."""
    if pairs is None:
        out = []
        for label, col in _columns(part):
            _check_numeric(col, f"ewm().{how}()")
            col = _as_float(col)
            out.append((label, col, col))
        return out
    out = []
    for a, b in pairs:
        for c in (a, b):
            _check_numeric(part[c], f"ewm().{how}()")
        x, y = _as_float(part[a]), _as_float(part[b])
        both = x.notna() & y.notna()
        out.append(((a, b), x.where(both), y.where(both)))
    return out


def _later_values(x: Any, decay: float) -> tuple:
    """For the valid values after the first: ``(later, keep, log_factor)`` per row: whether the row holds one,
    the weight the population keeps there, and ``log(decay ** g + alpha)`` (0 elsewhere)."""
    valid = x.notna()
    seen = valid.astype("int64").cumsum()
    positions = (x.isna().astype("float64") * 0.0 + 1.0).cumsum()
    previous = positions.where(valid).ffill().shift(1)
    later = valid & (seen >= 2)
    aged = np.exp((positions - previous).where(later, 1.0) * _log_decay(decay)) if decay > 0 else positions * 0.0
    factor = (aged + (1.0 - decay)).where(later, 1.0)
    return later, (aged / factor).where(later, 1.0), np.log(factor)


def _first(x: Any, y: Any) -> tuple:
    valid = x.notna()
    position = int((valid.astype("int64").cumsum() == 0).sum())
    return position, _scalar(x.iloc[position]), _scalar(y.iloc[position])


def _last_gap(x: Any) -> int:
    """Rows after the last valid value."""
    return int((x.notna().iloc[::-1].astype("int64").cumsum() == 0).sum())


def _pair_total(x: Any, y: Any, decay: float) -> tuple:
    """``(n, first, x1, y1, R, L, tail)`` of one pair within its partition (see the module's docstring)."""
    n = int(x.count())
    if n == 0:
        return (0, 0, np.nan, np.nan, 1.0, None, len(x))
    first, x1, y1 = _first(x, y)
    tail = _last_gap(x)
    if n == 1 or decay == 0:
        return (n, first, x1, y1, 0.0 if n > 1 else 1.0, None if n == 1 else _point(_scalar(x.dropna().iloc[-1]),
                _scalar(y.dropna().iloc[-1])), tail)
    later, keep, log_factor = _later_values(x, decay)
    log_e = log_factor.cumsum()
    last = len(x) - 1 - tail
    positions = (x.isna().astype("float64") * 0.0 + 1.0).cumsum() - 1.0
    # each later value's weight in L at the last valid value, in logs: alpha decay**(t_n - t_j) E[j-1] / E[n]
    log_w = (float(np.log(1.0 - decay)) + (last - positions) * _log_decay(decay) + (log_e - log_factor)
             - _scalar(log_e.iloc[last]))
    w = np.exp(log_w.where(later, -np.inf))
    total = _scalar(w.sum())
    dx, dy = (x - x1).where(later, 0.0), (y - y1).where(later, 0.0)
    mx, my = _scalar((w * dx).sum()) / total, _scalar((w * dy).sum()) / total
    moments = [_scalar((w * u * v).sum()) / total for u, v in ((dx, dy), (dx, dx), (dy, dy))]
    pop = (x1 + mx, y1 + my, moments[0] - mx * my, moments[1] - mx * mx, moments[2] - my * my,
           _scalar((w * w).sum()) / (total * total))
    return (n, first, x1, y1, _scalar(np.exp(np.log(keep).sum())), pop, tail)


def _advance(state: tuple, total: tuple, rows: int, decay: float) -> tuple:
    """The state after a partition (its ``total``, ``rows`` rows) from the state before it."""
    n0, gap0, pop0 = state
    n, first, x1, y1, keep, later, tail = total
    if n == 0:
        return (n0, gap0 + rows, pop0)
    p1 = _point(x1, y1) if n0 == 0 else _mix(_keep(gap0 + first + 1, decay), pop0, _point(x1, y1))
    return (n0 + n, tail, p1 if later is None else _mix(keep, p1, later))


def ewm_recursive_total(part: Any, decay: float, how: str, pairs: list | None = None, bias: bool = False,
                        min_periods: int = 0, layout: str = "series", name: Any = None) -> dict:
    """Per column (pair) its total within the partition, and the partition's row count."""
    columns = {key: _pair_total(x, y, decay) for key, x, y in _pair_values(part, pairs, how)}
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


def _block_pops(x: Any, y: Any, state: tuple, decay: float) -> tuple:
    """``(pop per row, valid values per row)`` of one row block continuing from ``state``; the rows before the
    block's first valid value show the state's pop (NaN without one)."""
    n0, gap0, pop0 = state
    seen = x.notna().astype("int64").cumsum()
    zeros = x.isna().astype("float64") * 0.0
    held = tuple(zeros + v for v in pop0) if n0 else (zeros * np.nan,) * 6
    if len(x) == 0 or int(seen.iloc[-1]) == 0:  # (an empty partition, or no valid value: the state shows)
        return held, seen + n0
    first, x1, y1 = _first(x, y)
    p1 = _point(x1, y1) if n0 == 0 else _mix(_keep(gap0 + first + 1, decay), pop0, _point(x1, y1))
    if decay == 0:  # alpha = 1: only the last value
        pops = (x, y, zeros, zeros, zeros, zeros + 1.0)
    else:
        later, keep, log_factor = _later_values(x, decay)
        z = np.exp(log_factor.cumsum() - log_factor).where(later, 0.0)
        powers = decay_powers(x, decay)
        dx, dy = (x - x1).where(later, 0.0), (y - y1).where(later, 0.0)
        w = _decayed_sums(z, decay, powers)
        sx = _decayed_sums(z * dx, decay, powers) / w
        cxx = _decayed_sums(z * dx * dx, decay, powers) / w
        if y is x:  # var / std: one column's moments
            sy, cxy, cyy = sx, cxx, cxx
        else:
            sy = _decayed_sums(z * dy, decay, powers) / w
            cxy, cyy = (_decayed_sums(z * dy * v, decay, powers) / w for v in (dx, dy))
        s2 = _decayed_sums(z * z, decay * decay, powers * powers) / (w * w)
        pops = _mix(keep.cumprod(), p1, (x1 + sx, y1 + sy, cxy - sx * sy, cxx - sx * sx, cyy - sy * sy, s2))
    valid = x.notna()
    out = []
    for value, start, before in zip(pops, p1, held):
        value = value.where(seen >= 2, start).where(valid).ffill()  # missing rows keep the population
        out.append(value.where(seen >= 1, before))
    return tuple(out), seen + n0


def _blocks(x: Any, decay: float) -> list:
    """Row ranges within which the weights ``E`` stay within float64's range (one in the common case)."""
    if decay == 0 or len(x) == 0:
        return [(0, len(x))]
    later, _, log_factor = _later_values(x, decay)
    fallen = -(log_factor.cumsum() - log_factor)
    if len(x) == 0 or _scalar(fallen.max()) < _BLOCK_LOG_SPAN:
        return [(0, len(x))]
    block = (fallen // _BLOCK_LOG_SPAN).where(later).ffill().fillna(0.0)
    values = np.asarray(block.to_numpy() if hasattr(block, "to_numpy") else block, dtype="float64")
    starts = [0, *(np.flatnonzero(np.diff(values)) + 1).tolist()]
    return list(zip(starts, starts[1:] + [len(x)]))


def _pair_pops(x: Any, y: Any, state: tuple, decay: float) -> tuple:
    """Each row's pop and valid-value count, block by block."""
    blocks = _blocks(x, decay)
    if len(blocks) == 1:
        return _block_pops(x, y, state, decay)
    pieces, counts = [], []
    for start, stop in blocks:
        bx, by = x.iloc[start:stop], y.iloc[start:stop]
        pops, seen = _block_pops(bx, by, state, decay)
        pieces.append(pops)
        counts.append(seen)
        state = _advance(state, _pair_total(bx, by, decay), stop - start, decay)
    from gpuscale.backends.frame.partition_concat import concat

    return tuple(concat([p[i] for p in pieces]) for i in range(6)), concat(counts)


def _statistic(pop: tuple, seen: Any, how: str, bias: bool, min_periods: int) -> Any:
    mx, my, cxy, cxx, cyy, s2 = pop
    if how == "corr":
        value = cxy / (cxx.clip(lower=0.0) * cyy.clip(lower=0.0)) ** 0.5
    else:
        value = cxx.clip(lower=0.0) if how in ("var", "std") else cxy
        if not bias:  # pandas' correction; one value (s2 = 1) has none: NaN
            value = value / (1.0 - s2).where(1.0 - s2 > 0)
        if how == "std":
            value = value ** 0.5
    return value.where(seen >= max(min_periods, 1))


def ewm_recursive_finish(part: Any, carry: dict | None, decay: float, how: str, pairs: list | None = None,
                         bias: bool = False, min_periods: int = 0, layout: str = "series", name: Any = None) -> Any:
    """``part.ewm(alpha=1 - decay, adjust=False).<how>()`` (``var``/``std`` of each column, ``cov``/``corr``
    of ``pairs``) continued from the partitions before it."""
    from gpuscale.backends.frame.expanding_moments import laid_out_pairs

    columns = _as_state(carry, decay)["columns"] if carry else {}
    values = {}
    for key, x, y in _pair_values(part, pairs, how):
        pop, seen = _pair_pops(x, y, columns.get(key, _NO_STATE), decay)
        values[key] = _statistic(pop, seen, how, bias, min_periods)
    if pairs is None:
        return _rebuild(part, values)
    return laid_out_pairs(part, values, pairs, layout, name)
