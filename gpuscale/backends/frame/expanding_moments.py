"""Partition functions of ``expanding().skew()``, ``kurt()``, ``cov()`` and ``corr()``: scans whose carry
holds central moments.

Skewness and kurtosis
    per column ``(n, mean, M2, M3, M4)`` of the valid values (sums of the 2nd to 4th powers of the
    deviations from the mean), merged along the partitions with Pébay's pairwise update, so values far
    from zero lose no precision.  Inside a partition each row's prefix comes from cumulative sums of the
    powers of the deviations from the partition's mean, merged with the carry row by row.
Covariance and correlation
    per column pair ``(n, mean_x, mean_y, C, M2x, M2y, lo_x, hi_x, lo_y, hi_y)`` over the rows where both
    columns hold a value (pandas' rule), merged with the same update.  The ranges find the prefixes where a
    column has been constant: its sums of squares there are rounding leftovers, and pandas gives a
    covariance of 0 and no correlation.

Only Series arithmetic and cumulative sums are used, so pandas and cuDF partitions take the same path;
only the two-level index of a DataFrame's pairwise result is built on the host for cuDF.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.core import library_of
from gpuscale.backends.frame.expanding import _as_float, _check_numeric, _columns, _rebuild, _scalar

__all__ = ["expanding_moments_total", "expanding_moments_combine", "expanding_moments_finish",
           "expanding_pairs_total", "expanding_pairs_combine", "expanding_pairs_finish", "laid_out_pairs"]

_NO_MOMENTS = (0, np.nan, 0.0, 0.0, 0.0)
_NO_PAIR = (0, np.nan, np.nan, 0.0, 0.0, 0.0, np.nan, np.nan, np.nan, np.nan)


def _ratio(a: Any, b: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore"):
        return a / b


# -- skew and kurt -----------------------------------------------------------------------------------------
def _prefix_moments(col: Any) -> tuple:
    """``(n, mean, M2, M3, M4)`` of each row's prefix of ``col``'s valid values (Series; ``n`` counts)."""
    centre = _scalar(col.mean())
    centre = 0.0 if centre != centre else centre
    d = (col - centre).fillna(0.0)
    n = col.notna().astype("int64").cumsum()
    d2 = d * d
    s1, s2, s3, s4 = d.cumsum(), d2.cumsum(), (d2 * d).cumsum(), (d2 * d2).cumsum()
    u = _ratio(s1, n.where(n > 0))  # the prefix mean's offset from the centre
    u2 = u * u
    m2 = s2 - n * u2
    m3 = s3 - 3.0 * u * s2 + 2.0 * n * u2 * u
    m4 = s4 - 4.0 * u * s3 + 6.0 * u2 * s2 - 3.0 * n * u2 * u2
    return n, centre + u, m2, m3, m4


def _merge_moments(a: tuple, b: tuple) -> tuple:
    """Pébay's update of ``(n, mean, M2, M3, M4)``: ``a`` scalars, ``b`` scalars or Series with ``n > 0``."""
    na, ma, qa, ca, fa = a
    nb, mb, qb, cb, fb = b
    n = na + nb
    delta = mb - ma
    ab = na * nb
    m2 = qa + qb + delta * delta * ab / n
    m3 = ca + cb + delta ** 3 * ab * (na - nb) / (n * n) + 3.0 * delta * (na * qb - nb * qa) / n
    m4 = (fa + fb + delta ** 4 * ab * (na * na - ab + nb * nb) / (n ** 3)
          + 6.0 * delta * delta * (na * na * qb + nb * nb * qa) / (n * n) + 4.0 * delta * (na * cb - nb * ca) / n)
    return n, ma + delta * nb / n, m2, m3, m4


def expanding_moments_total(part: Any, how: str, min_periods: int = 1) -> dict:
    """Per column ``(n, mean, M2, M3, M4)`` of ``part``'s valid values, and its row count."""
    out = {}
    for label, col in _columns(part):
        _check_numeric(col, f"expanding().{how}()")
        col = _as_float(col).dropna()
        if len(col) == 0:
            out[label] = _NO_MOMENTS
            continue
        mean = _scalar(col.mean())
        d = col - mean
        d2 = d * d
        out[label] = (len(col), mean, _scalar(d2.sum()), _scalar((d2 * d).sum()), _scalar((d2 * d2).sum()))
    return {"rows": len(part), "columns": out}


def expanding_moments_combine(carry: dict, total: dict, how: str, min_periods: int = 1) -> dict:
    """The carry after one more partition."""
    columns = {}
    for label, b in total["columns"].items():
        a = carry["columns"].get(label, _NO_MOMENTS)
        columns[label] = b if a[0] == 0 else a if b[0] == 0 else _merge_moments(a, b)
    return {"rows": carry["rows"] + total["rows"], "columns": columns}


def _flat(n: Any, mean: Any, m2: Any) -> Any:
    """Rows whose values are all the same (up to rounding): pandas gives no skewness or kurtosis there."""
    return m2 <= n * (1e-14 * mean) ** 2


def _skew_kurt(moments: tuple, how: str, enough: Any) -> Any:
    n, mean, m2, m3, m4 = moments
    n = n.astype("float64")
    if how == "skew":
        value = _ratio((n * (n - 1.0)) ** 0.5 * _ratio(m3, n), (n - 2.0) * _ratio(m2, n) ** 1.5)
        least = 3
    else:
        g2 = _ratio(m4 * n, m2 * m2) - 3.0
        value = _ratio((n - 1.0) * ((n + 1.0) * g2 + 6.0), (n - 2.0) * (n - 3.0))
        least = 4
    return value.where(enough & (n >= least) & ~_flat(n, mean, m2))


def expanding_moments_finish(part: Any, carry: dict | None, how: str, min_periods: int = 1) -> Any:
    """``part.expanding(min_periods).<how>()`` (skew or kurt) continued from the partitions before it."""
    columns = carry["columns"] if carry else {}
    out = {}
    for label, col in _columns(part):
        _check_numeric(col, f"expanding().{how}()")
        local = _prefix_moments(_as_float(col))
        before = columns.get(label, _NO_MOMENTS)
        moments = local
        if before[0]:
            merged = _merge_moments(before, local)
            has_local = local[0] > 0
            moments = tuple(m.where(has_local, b) if hasattr(m, "where") else m for m, b in zip(merged, before))
        out[label] = _skew_kurt(moments, how, moments[0] >= max(min_periods, 1))
    return _rebuild(part, out)


# -- cov and corr of column pairs ---------------------------------------------------------------------------
def _pair_columns(part: Any, pair: tuple, how: str) -> tuple:
    for c in pair:
        _check_numeric(part[c], f"expanding().{how}()")
    x, y = (_as_float(part[c]) for c in pair)
    both = x.notna() & y.notna()
    return x.where(both), y.where(both), both


def _lower(a: Any, b: Any) -> Any:
    """The smaller of ``a`` (a number) and ``b`` (a number or a Series; missing: ``a``)."""
    return b.where(b <= a, a) if hasattr(b, "where") else min(a, b)


def _upper(a: Any, b: Any) -> Any:
    return b.where(b >= a, a) if hasattr(b, "where") else max(a, b)


def _merge_pair(a: tuple, b: tuple) -> tuple:
    """Chan's update of a pair's moments, and the union of their ranges: ``a`` scalars with ``n > 0``, ``b``
    scalars or Series."""
    na, xa, ya, ca, qxa, qya, *range_a = a
    nb, xb, yb, cb, qxb, qyb, *range_b = b
    n = na + nb
    dx, dy = xb - xa, yb - ya
    w = na * nb / n
    lo_x, hi_x, lo_y, hi_y = (f(ra, rb) for f, ra, rb in zip((_lower, _upper) * 2, range_a, range_b))
    return n, xa + dx * nb / n, ya + dy * nb / n, ca + cb + dx * dy * w, qxa + qxb + dx * dx * w, \
        qya + qyb + dy * dy * w, lo_x, hi_x, lo_y, hi_y


def expanding_pairs_total(part: Any, how: str, pairs: list, min_periods: int = 1, ddof: int = 1,
                          layout: str = "series", name: Any = None) -> dict:
    """Per column pair ``(n, mean_x, mean_y, C, M2x, M2y)`` over ``part``'s rows holding both values."""
    out = {}
    for pair in pairs:
        x, y, both = _pair_columns(part, pair, how)
        x, y = x.dropna(), y.dropna()
        if len(x) == 0:
            out[pair] = _NO_PAIR
            continue
        mx, my = _scalar(x.mean()), _scalar(y.mean())
        dx, dy = x - mx, y - my
        out[pair] = (len(x), mx, my, _scalar((dx * dy).sum()), _scalar((dx * dx).sum()), _scalar((dy * dy).sum()),
                     _scalar(x.min()), _scalar(x.max()), _scalar(y.min()), _scalar(y.max()))
    return {"rows": len(part), "columns": out}


def expanding_pairs_combine(carry: dict, total: dict, how: str, pairs: list, min_periods: int = 1, ddof: int = 1,
                            layout: str = "series", name: Any = None) -> dict:
    """The carry after one more partition."""
    columns = {}
    for pair, b in total["columns"].items():
        a = carry["columns"].get(pair, _NO_PAIR)
        columns[pair] = b if a[0] == 0 else a if b[0] == 0 else _merge_pair(a, b)
    return {"rows": carry["rows"] + total["rows"], "columns": columns}


def _pair_statistic(part: Any, pair: tuple, before: tuple, how: str, min_periods: int, ddof: int) -> Any:
    x, y, both = _pair_columns(part, pair, how)
    cx, cy = _scalar(x.mean()), _scalar(y.mean())
    cx, cy = (0.0 if c != c else c for c in (cx, cy))
    dx, dy = (x - cx).fillna(0.0), (y - cy).fillna(0.0)
    n = both.astype("int64").cumsum()
    sx, sy = dx.cumsum(), dy.cumsum()
    mean_x, mean_y = cx + _ratio(sx, n.where(n > 0)), cy + _ratio(sy, n.where(n > 0))
    ranges = (x.cummin().ffill(), x.cummax().ffill(), y.cummin().ffill(), y.cummax().ffill())
    local = (n, mean_x, mean_y, (dx * dy).cumsum() - _ratio(sx * sy, n), (dx * dx).cumsum() - _ratio(sx * sx, n),
             (dy * dy).cumsum() - _ratio(sy * sy, n), *ranges)
    stats = local
    if before[0]:
        merged = _merge_pair(before, local)
        stats = tuple(m.where(n > 0, b) for m, b in zip(merged, before))
    count, _, _, c, qx, qy, lo_x, hi_x, lo_y, hi_y = stats
    count = count.astype("float64")
    # a column constant so far varies by nothing: exact zeros where the sums left rounding (pandas' NaN
    # correlation, 0 covariance), which would otherwise be any number
    flat_x, flat_y = lo_x == hi_x, lo_y == hi_y
    qx, qy = qx.where(~flat_x, 0.0), qy.where(~flat_y, 0.0)
    c = c.where(~(flat_x | flat_y), 0.0)
    if how == "cov":
        value = _ratio(c, (count - ddof).where(count - ddof > 0))
    else:  # (pandas' correlation does not depend on ddof)
        value = _ratio(c, (qx * qy) ** 0.5)
    return value.where(count >= max(min_periods, 1))


def _pairwise_frame(part: Any, values: dict, columns: list) -> Any:
    """pandas' layout of a DataFrame's pairwise statistics: a row per (row label, column), a column each."""
    if library_of(part) != "pandas":
        from gpuscale.backends.frame.cudf_gaps import on_host

        return on_host(_pairwise_frame, part, values, columns)
    import pandas as pd

    k = len(columns)
    cube = np.empty((len(part), k, k), dtype="float64")
    for i, a in enumerate(columns):
        for j, b in enumerate(columns):
            cube[:, i, j] = values[(a, b)].to_numpy(dtype="float64", na_value=np.nan)
    index = pd.MultiIndex.from_arrays([part.index.repeat(k), pd.Index(list(columns) * len(part))],
                                      names=[part.index.name, part.columns.name])
    return pd.DataFrame(cube.reshape(len(part) * k, k), index=index, columns=part.columns[:k])


def expanding_pairs_finish(part: Any, carry: dict | None, how: str, pairs: list, min_periods: int = 1, ddof: int = 1,
                           layout: str = "series", name: Any = None) -> Any:
    """``expanding(min_periods).<how>()`` (cov or corr) of the column ``pairs`` continued from the partitions
    before it, laid out as a Series (``"series"``: one pair), a frame of the pairs' first columns
    (``"columns"``), or pandas' pairwise frame (``"pairwise"``)."""
    columns = carry["columns"] if carry else {}
    values = {pair: _pair_statistic(part, pair, columns.get(pair, _NO_PAIR), how, min_periods, ddof)
              for pair in pairs}
    return laid_out_pairs(part, values, pairs, layout, name)


def laid_out_pairs(part: Any, values: dict, pairs: list, layout: str, name: Any) -> Any:
    """Pair statistics (``values``: a Series per pair) as a Series (``"series"``: one pair), a frame of the pairs'
    first columns (``"columns"``), or pandas' pairwise frame (``"pairwise"``)."""
    if layout == "series":
        return values[pairs[0]].rename(name)
    if layout == "columns":
        return _rebuild(part[[a for a, _ in pairs]], {a: values[(a, b)] for a, b in pairs})
    return _pairwise_frame(part, values, list(dict.fromkeys(a for a, _ in pairs)))
