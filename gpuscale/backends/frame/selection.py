"""Order statistics by selection: the values at given ranks of a column spread over partitions, exactly, without
sorting the column across partitions.

Each partition sorts its own values (:func:`sorted_values`) and hands over a sample at known positions
(:func:`rank_sample`).  From the samples alone :func:`rank_brackets` finds, for every rank ``r`` a quantile
needs, two values ``lo <= hi`` that surely enclose the ``r``-th smallest value: the positions of a sorted
partition's samples bound how many of its values lie below any value.  Each partition then counts its values
below ``lo``, equal to ``lo`` and to ``hi``, and hands over only the few strictly between
(:func:`bracket_counts`), so :func:`quantiles_from_brackets` picks each rank exactly — however many values
repeat — and interpolates as :func:`quantiles_from_picks` does after a full sort.  The work is one local sort
per partition and two small gathers: the tasks grow linearly with the partitions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gpuscale.backends.frame.core import _to_pandas
from gpuscale.backends.frame.stats import _positions, quantiles_from_picks

__all__ = ["bracket_counts", "quantiles_from_brackets", "rank_brackets", "rank_sample", "samples_per_partition",
           "sorted_values"]


def samples_per_partition(npartitions: int) -> int:
    """Samples each partition gives: up to 1,024, about a million in all (the brackets then hold about
    ``2 * rows / samples`` values strictly inside)."""
    return int(min(1024, max(16, 1_000_000 // max(1, npartitions))))


def sorted_values(part: Any) -> Any:
    """The values of a Series without missing ones, sorted, numbered from 0."""
    return part.sort_values(ignore_index=True)


def rank_sample(part: Any, k: int) -> tuple:
    """``(rows, positions, values)``: at most ``k`` evenly spaced values of a sorted partition (always its first
    and last) with their positions, on the host."""
    n = len(part)
    positions = np.unique(np.linspace(0, n - 1, min(k, n)).astype(np.int64)) if n else np.array([], np.int64)
    return n, positions, _host_values(part.iloc[positions]) if n else np.array([])


def _host_values(values: Any) -> Any:
    return _to_pandas(values).to_numpy()


def _needed_ranks(n: int, qs: tuple, median: bool) -> list:
    if median:
        return sorted({(n - 1) // 2, n // 2})
    return sorted({r for lo, hi, _ in _positions(n, qs) for r in (lo, hi)})


def rank_brackets(samples: list, qs: tuple, median: bool = False) -> tuple:
    """``(rows, ((rank, lo, hi), ...))``: for each rank the quantiles ``qs`` (or the median) need, the sample
    values ``lo <= hi`` between which its value surely lies."""
    samples = [s for s in samples if s[0]]
    n = sum(s[0] for s in samples)
    if n == 0:
        return 0, ()
    candidates = np.unique(np.concatenate([s[2] for s in samples]))
    below_at_most, at_or_below_at_least = _rank_bounds(samples, candidates)
    brackets = []
    for r in _needed_ranks(n, qs, median):
        # lo: the largest value with at most r values surely below it; hi: the smallest with more than r
        # values surely at or below it (every partition's first and last values are samples: both exist)
        lo = candidates[np.searchsorted(below_at_most, r, side="right") - 1]
        hi = candidates[np.searchsorted(at_or_below_at_least, r + 1, side="left")]
        brackets.append((r, lo, hi))
    return n, tuple(brackets)


def _rank_bounds(samples: list, candidates: Any) -> tuple:
    """For each candidate value ``v``: an upper bound on the number of values ``< v`` and a lower bound on the
    number ``<= v``, both non-decreasing in ``v``.  In a sorted partition, the values below ``v`` are at most
    those before the first sample ``>= v``, and those at or below ``v`` at least those up to the last sample
    ``<= v``: each bound is a sum of steps at the samples' values."""
    values = np.concatenate([s[2] for s in samples])
    # past a sample value (strictly), the values below may reach the next sample's position (or the end)
    upper_steps = np.concatenate([np.diff(np.append(s[1], s[0])) for s in samples])
    # at a sample value, the values at or below reach that sample's position + 1
    lower_steps = np.concatenate([np.diff(np.insert(s[1] + 1, 0, 0)) for s in samples])
    order = np.argsort(values, kind="stable")
    ordered, upper, lower = values[order], np.cumsum(upper_steps[order]), np.cumsum(lower_steps[order])
    strictly_below = np.searchsorted(ordered, candidates, side="left")
    at_or_below = np.searchsorted(ordered, candidates, side="right")
    below_at_most = np.where(strictly_below > 0, upper[strictly_below - 1], 0)
    at_or_below_at_least = np.where(at_or_below > 0, lower[at_or_below - 1], 0)
    return below_at_most, at_or_below_at_least


def bracket_counts(part: Any, brackets: tuple) -> list:
    """For each bracket ``(rank, lo, hi)`` of :func:`rank_brackets`: this partition's count of values below
    ``lo``, equal to ``lo``, equal to ``hi`` (0 when ``hi == lo``), and its values strictly between (host)."""
    out = []
    for _, lo, hi in brackets[1]:
        below, at_lo = int((part < lo).sum()), int((part == lo).sum())
        if hi == lo:  # (an empty array of the values' own type: joined with others, it keeps theirs)
            out.append((below, at_lo, 0, _host_values(part.iloc[:0])))
            continue
        inside = part[(part > lo) & (part < hi)]
        out.append((below, at_lo, int((part == hi).sum()), _host_values(inside)))
    return out


def quantiles_from_brackets(counts: list, brackets: tuple, **options: Any) -> Any:
    """The quantiles (see :func:`quantiles_from_picks`, whose options these are) from the partitions'
    :func:`bracket_counts`."""
    n, picks = brackets[0], {}
    for b, (rank, lo, hi) in enumerate(brackets[1]):
        below = sum(c[b][0] for c in counts)
        at_lo, at_hi = sum(c[b][1] for c in counts), sum(c[b][2] for c in counts)
        inside = np.sort(np.concatenate([c[b][3] for c in counts]), kind="stable")
        position = rank - below
        if not 0 <= position < at_lo + len(inside) + at_hi:
            raise RuntimeError(f"quantile: rank {rank} fell outside its bracket [{lo!r}, {hi!r}] (a gpuscale bug)")
        value = lo if position < at_lo else inside[position - at_lo] if position - at_lo < len(inside) else hi
        picks[rank] = value.item() if isinstance(value, np.generic) else value
    return quantiles_from_picks([picks], [n], **options)
