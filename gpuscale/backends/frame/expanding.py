"""Partition functions of growing windows: ``expanding()`` and ``ewm()`` as scans over the partitions.

Both run as :class:`gpuscale.dataframe.expr.overlap.Scan`: a total per partition, totals folded into
a carry along the partitions, each partition finished with its carry.  Only cumulative sums, counts,
minima and maxima of the partition library are used (and ``ewm().mean()`` of series without missing
values), so pandas and cuDF partitions take the same path.

Expanding
    per column ``(n, mean, m2, lo, hi)``: valid values, their mean, the sum of squared deviations
    from it, minimum and maximum; folded with the pairwise update of Chan et al., so variances stay
    accurate on data far from zero.
Exponentially weighted mean, ``adjust=True`` (``ignore_na=False``)
    per column ``(mean, w, n)``: the mean shown at the partition's last row, the weight behind it and
    the valid values; a row ``t`` rows into a partition adds ``decay ** (t + 1)`` times the carried
    weighted sum.  The mean is carried apart from the weight, which a long run of missing values decays
    to 0 while pandas keeps showing the last mean.  The partition's own sums come from the library's
    ``ewm().mean()`` of columns without missing values.
Exponentially weighted mean, ``adjust=False``
    the recursive mean at the partition's end is an affine function of the mean right after its
    first valid value; the carry is ``(mean, rows since the last valid value, valid values)`` and a
    partition is finished by the library's own ``ewm(adjust=False)`` with the carry put in front.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.core import from_library, is_dataframe_like, library_of, namespace
from gpuscale.backends.frame.partition_concat import concat

__all__ = ["expanding_total", "expanding_combine", "expanding_finish", "ewm_total", "ewm_combine", "ewm_finish",
           "EXPANDING_METHODS", "EWM_METHODS"]

EXPANDING_METHODS = ("count", "sum", "mean", "min", "max", "var", "std")
EWM_METHODS = ("mean", "sum", "var", "std")


def _columns(obj: Any) -> list:
    if is_dataframe_like(obj):
        return [(c, obj[c]) for c in obj.columns]
    return [(None, obj)]


def _check_numeric(col: Any, what: str) -> None:
    if getattr(col.dtype, "kind", "O") not in "biuf":
        raise TypeError(f"{what}: column {col.name!r} has dtype {col.dtype}; only numeric columns have "
                        "growing windows (select them with select_dtypes('number'))")


def _as_float(col: Any) -> Any:
    return col.astype("float64")


def _rebuild(obj: Any, columns: dict) -> Any:
    """``obj``'s shape (DataFrame or Series) with new column values."""
    if not is_dataframe_like(obj):
        return columns[None]
    out = obj.copy(deep=False)
    for label, col in columns.items():
        out[label] = col
    return out


# -- expanding ----------------------------------------------------------------------------------------
_EMPTY = (0, 0.0, 0.0, np.nan, np.nan)


def _scalar(value: Any) -> float:
    return float(value) if value is not None and value == value else np.nan


def expanding_total(part: Any, how: str, min_periods: int = 1, ddof: int = 1) -> dict:
    """Per column ``(n, mean, m2, min, max)`` of the valid values of ``part``, and its row count."""
    out: dict = {}
    for label, col in _columns(part):
        if how == "count":  # (of any dtype, as pandas: only whether values are missing)
            out[label] = (int(col.count()), *_EMPTY[1:])
            continue
        _check_numeric(col, f"expanding().{how}()")
        col = _as_float(col)
        n = int(col.count())
        if n == 0:
            out[label] = _EMPTY
            continue
        mean = _scalar(col.mean())
        out[label] = (n, mean, _scalar(((col - mean) ** 2).sum()), _scalar(col.min()), _scalar(col.max()))
    return {"rows": len(part), "columns": out}


def _merge(a: tuple, b: tuple) -> tuple:
    na, ma, qa, loa, hia = a
    nb, mb, qb, lob, hib = b
    if nb == 0:
        return a
    if na == 0:
        return b
    n = na + nb
    delta = mb - ma
    return (n, ma + delta * nb / n, qa + qb + delta * delta * na * nb / n, min(loa, lob), max(hia, hib))


def expanding_combine(carry: dict, total: dict, how: str, min_periods: int = 1, ddof: int = 1) -> dict:
    """The carry after one more partition."""
    columns = {label: _merge(carry["columns"].get(label, _EMPTY), value) for label, value in total["columns"].items()}
    return {"rows": carry["rows"] + total["rows"], "columns": columns}


def _expanding_column(col: Any, carry: tuple, rows_before: int, how: str, min_periods: int, ddof: int) -> Any:
    n0, m0, q0, lo0, hi0 = carry
    valid = col.notna()
    count = valid.astype("int64").cumsum() + n0
    if how == "count":
        positions = valid.astype("int64").cumsum() * 0 + 1  # ones, on the partition's index
        enough = positions.cumsum() + rows_before >= min_periods
        return _as_float(count).where(enough)
    col = _as_float(col)
    enough = count >= min_periods  # no valid value: sum 0, others missing, as pandas
    if how in ("min", "max"):
        running = (col.cummin() if how == "min" else col.cummax()).ffill()
        bound = lo0 if how == "min" else hi0
        if bound == bound:  # a value before this partition
            keep = (running <= bound) if how == "min" else (running >= bound)
            running = running.where(keep, bound)
        return running.where(enough)
    # sums, means and squared deviations of this partition's prefix, around the partition's own mean
    centre = _scalar(col.mean())
    centre = 0.0 if centre != centre else centre
    shifted = (col - centre).fillna(0.0)
    local_n = valid.astype("int64").cumsum()
    s1 = shifted.cumsum()
    total = s1 + local_n * centre + (n0 * m0 if n0 else 0.0)
    if how == "sum":
        return total.where(enough)
    if how == "mean":
        return (total / count.where(count > 0)).where(enough)
    local_mean = centre + s1 / local_n.where(local_n > 0)
    local_q = (shifted * shifted).cumsum() - s1 * s1 / local_n.where(local_n > 0)
    local_q = local_q.where(local_q > 0, 0.0)
    if n0:
        delta = local_mean - m0
        merged = q0 + local_q + delta * delta * n0 * local_n / count
        local_q = merged.where(local_n > 0, q0)
    # values constant so far vary by exactly nothing (the sums leave rounding there), as pandas
    local_q = local_q.where(~_constant_so_far(col, lo0, hi0), 0.0)
    var = local_q / (count - ddof).where(count - ddof > 0)
    var = var.where(enough)
    return var ** 0.5 if how == "std" else var


def _constant_so_far(col: Any, lo0: float, hi0: float) -> Any:
    """Whether each row's prefix of valid values (the carry's range ``lo0``..``hi0`` before the partition, NaN
    where none) holds one value only."""
    lo, hi = col.cummin().ffill(), col.cummax().ffill()
    if lo0 == lo0:
        lo, hi = lo.where(lo <= lo0, lo0), hi.where(hi >= hi0, hi0)
    return lo == hi


def expanding_finish(part: Any, carry: dict | None, how: str, min_periods: int = 1, ddof: int = 1) -> Any:
    """``part.expanding(min_periods).<how>()`` continued from the partitions before it."""
    columns = carry["columns"] if carry else {}
    rows_before = carry["rows"] if carry else 0
    out = {}
    for label, col in _columns(part):
        if how != "count":
            _check_numeric(col, f"expanding().{how}()")
        out[label] = _expanding_column(col, columns.get(label, _EMPTY), rows_before, how, min_periods, ddof)
    return _rebuild(part, out)


# -- exponentially weighted mean ----------------------------------------------------------------------------
def decay_powers(like: Any, decay: float) -> Any:
    """``decay ** p`` for the positions ``p = 1, 2, ...`` of ``like``'s rows (missing values count), as ``exp``:
    several times faster than ``**`` of a column."""
    positions = (like.isna().astype("float64") * 0.0 + 1.0).cumsum()
    return np.exp(positions * np.log(decay)) if decay > 0 else positions * 0.0


def _ewm_local(col: Any, decay: float) -> tuple:
    """``(s, w, powers)``: adjust=True's weighted sum and weight of each row's prefix within the
    partition (weights ``decay ** (t - j)``), and ``decay ** p`` of each row's position ``p`` (1, 2, ...)."""
    valid = col.notna()
    alpha = 1.0 - decay
    powers = decay_powers(col, decay)
    full = (1.0 - powers) / alpha  # the sum of decay ** k for k < t + 1
    s = col.fillna(0.0).ewm(alpha=alpha, adjust=True).mean() * full  # no missing values: same in every library
    w = valid.astype("float64").ewm(alpha=alpha, adjust=True).mean() * full
    return s, w, powers


def _gap_cap(decay: float) -> int:
    """Rows after which ``decay ** rows`` is 0 in float64 (longer gaps change nothing)."""
    return 0 if decay <= 0 else int(np.ceil(-746.0 / np.log(decay))) + 1


def _recursive(col: Any, decay: float, before: tuple | None = None) -> Any:
    """adjust=False's mean of ``col`` (min_periods 0); ``before = (value, rows since the last valid
    value)``: the state the rows before left, put in front as one value and that many missing ones."""
    alpha = 1.0 - decay
    if before is None:
        return col.ewm(alpha=alpha, adjust=False).mean()
    value, gap = before
    gap = min(gap, _gap_cap(decay))
    lead = namespace(col).Series([value] + [np.nan] * gap, dtype="float64", name=col.name)
    out = concat([lead, col.reset_index(drop=True)], ignore_index=True).ewm(alpha=alpha, adjust=False).mean()
    out = out.iloc[gap + 1:]
    out.index = col.index
    return out


_GAP_WEIGHTS: dict = {}


def _previous_weight(gaps: Any, decay: float, library: str) -> Any:
    """The weight ``library``'s ``ewm(alpha=1 - decay, adjust=False)`` gives the previous mean when a
    valid value comes ``gaps`` rows after the last one (1: the next row); the new value gets one minus
    it.  Asked of the library itself (the mean of ``[1, NaN * (g - 1), 0]``), once per gap: pandas
    versions differ in how a gap of missing rows is weighed."""
    gaps = np.minimum(np.atleast_1d(np.asarray(gaps, dtype="int64")), max(_gap_cap(decay), 1))
    out = np.empty(len(gaps), dtype="float64")
    for g in np.unique(gaps):
        key = (library, decay, int(g))
        if key not in _GAP_WEIGHTS:
            probe = from_library(library).Series([1.0] + [np.nan] * (int(g) - 1) + [0.0], dtype="float64")
            _GAP_WEIGHTS[key] = _scalar(probe.ewm(alpha=1.0 - decay, adjust=False).mean().iloc[-1])
        out[gaps == g] = _GAP_WEIGHTS[key]
    return out


def _recursive_total(col: Any, decay: float) -> tuple:
    """adjust=False: ``(rows, first, x_first, end, slope, gap, n, library)``: the first valid value and
    its row, the mean at the last row when nothing came before, how that end moves with the mean right
    after the first valid value (the product of the later steps' weights on the previous mean), rows
    after the last valid value, valid values, and the partition library (its gap weights)."""
    rows, n = len(col), int(col.count())
    library = library_of(col)
    if n == 0:
        return (rows, 0, np.nan, np.nan, 0.0, rows, 0, library)
    valid = col.notna()
    before_first = valid.astype("int64").cumsum() == 0
    first = int(before_first.sum())
    positions = (valid.astype("float64") * 0.0 + 1.0).cumsum()
    valid_positions = positions[valid]
    gaps = valid_positions.diff().iloc[1:]  # rows between consecutive valid values
    gaps = np.asarray(gaps.to_numpy() if hasattr(gaps, "to_numpy") else gaps, dtype="float64")
    slope = 0.0 if decay <= 0 else float(np.prod(_previous_weight(gaps, decay, library))) if len(gaps) else 1.0
    end = _scalar(_recursive(col.iloc[first:], decay).iloc[-1])
    x_first = _scalar(col[valid].iloc[0])
    return (rows, first, x_first, end, slope, rows - int(_scalar(valid_positions.iloc[-1])), n, library)


def _recursive_carry(carry: tuple, total: tuple, decay: float) -> tuple:
    """``(value, gap, n)`` after a partition's total, from the carry before it."""
    value, gap, n0 = carry
    rows, first, x_first, end, slope, tail_gap, n, library = total
    if n == 0:
        return (value, gap + rows, n0)
    if n0 == 0:
        return (end, tail_gap, n)
    weight = float(_previous_weight(gap + first + 1, decay, library)[0])
    at_first = weight * value + (1.0 - weight) * x_first
    return (end + slope * (at_first - x_first), tail_gap, n0 + n)


def ewm_total(part: Any, decay: float, adjust: bool = True, min_periods: int = 0) -> dict:
    """Per column what this partition alone hands on (adjust=True: ``(s, w, n)`` at its last row;
    adjust=False: see :func:`_recursive_total`), and its row count."""
    out = {}
    for label, col in _columns(part):
        _check_numeric(col, "ewm().mean()")
        col = _as_float(col)
        if not adjust:
            out[label] = _recursive_total(col, decay)
        else:
            out[label] = _weighted_total(col, decay)
    return {"rows": len(part), "columns": out, "total": True}


def _weighted_total(col: Any, decay: float) -> tuple:
    """adjust=True: ``(mean, w, last, w_end, n)``: the mean and weight at the last valid value, its row, the
    weight at the last row, and the valid values.  The mean is kept apart from the weights, which a long run
    of missing values decays to 0 (pandas keeps showing the last mean there)."""
    n = int(col.count())
    if n == 0:
        return (np.nan, 0.0, -1, 0.0, 0)
    s, w, _ = _ewm_local(col, decay)
    last = len(col) - 1 - int(col.notna().iloc[::-1].astype("int64").cumsum().eq(0).sum())
    w_last = _scalar(w.iloc[last])
    return (_scalar(s.iloc[last]) / w_last, w_last, last, _scalar(w.iloc[-1]), n)


def _weighted_carry(carry: tuple, total: tuple, rows: int, decay: float) -> tuple:
    """adjust=True: ``(mean, w, n)`` after a partition: the mean shown at its last row, the decayed weight
    behind it, the valid values."""
    m0, w0, n0 = carry
    mean, w_last, last, w_end, n = total
    if n == 0:
        return (m0, w0 * decay ** rows, n0)
    if n0 == 0:
        return (mean, w_end, n)
    before = w0 * decay ** (last + 1)  # the earlier weight as it reaches the last valid value
    return ((mean * w_last + m0 * before) / (w_last + before), w_end + w0 * decay ** rows, n + n0)


def _as_carry(carry: dict, decay: float, adjust: bool) -> dict:
    """The first partition's total as a carry (adjust=False: ``(value, gap, n)``; adjust=True: ``(mean, w,
    n)``)."""
    if not carry.get("total"):
        return carry
    if adjust:
        columns = {label: _weighted_carry((np.nan, 0.0, 0), total, carry["rows"], decay)
                   for label, total in carry["columns"].items()}
    else:
        columns = {label: _recursive_carry((np.nan, 0, 0), total, decay) for label, total in carry["columns"].items()}
    return {"rows": carry["rows"], "columns": columns}


def ewm_combine(carry: dict, total: dict, decay: float, adjust: bool = True, min_periods: int = 0) -> dict:
    """The carry after one more partition: the earlier sums decay over its rows."""
    carry = _as_carry(carry, decay, adjust)
    columns = {}
    for label, value in total["columns"].items():
        if not adjust:
            columns[label] = _recursive_carry(carry["columns"].get(label, (np.nan, 0, 0)), value, decay)
            continue
        columns[label] = _weighted_carry(carry["columns"].get(label, (np.nan, 0.0, 0)), value, total["rows"], decay)
    return {"rows": carry["rows"] + total["rows"], "columns": columns}


def ewm_finish(part: Any, carry: dict | None, decay: float, adjust: bool = True, min_periods: int = 0) -> Any:
    """``part.ewm(alpha=1 - decay, adjust=adjust, min_periods=min_periods).mean()`` continued from the
    partitions before it."""
    columns = _as_carry(carry, decay, adjust)["columns"] if carry else {}
    out = {}
    for label, col in _columns(part):
        _check_numeric(col, "ewm().mean()")
        col = _as_float(col)
        if not adjust:
            value, gap, n0 = columns.get(label, (np.nan, 0, 0))
            mean = _recursive(col, decay, (value, gap) if n0 else None)
        else:
            m0, w0, n0 = columns.get(label, (np.nan, 0.0, 0))
            s, w, powers = _ewm_local(col, decay)
            if n0:
                s, w = s + powers * (m0 * w0), w + powers * w0
            # the mean of the last valid value on the rows after it, whose weights may decay to 0
            mean = (s / w.where(w > 0)).where(col.notna()).ffill()
            if n0:
                mean = mean.fillna(m0)
        count = col.notna().astype("int64").cumsum() + n0
        out[label] = mean.where(count >= max(min_periods, 1))
    return _rebuild(part, out)
