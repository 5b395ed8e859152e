"""Results computed on a column's valid rows alone, shown again on every row (``ewm(ignore_na=True)``).

pandas keeps a window's last result on the missing rows after it; ``spread_valid_results`` places the results
of a partition's valid rows on all its rows, marking each row's result as ``known`` (1: a value, 2: a known
missing result) or unknown (the rows before the partition's first valid one, which take the last result of an
earlier partition through an ``ffill`` across partitions); ``known_results`` reads the filled pair back.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import namespace

__all__ = ["spread_valid_results", "known_results"]


def spread_valid_results(valid: Any, results: Any) -> Any:
    """A frame ``value``/``known`` on ``valid``'s rows: row ``i`` shows the result of the last valid row at or
    before it in this partition (``results`` holds one per valid row, in order); ``known`` is missing on the
    rows before the first valid one, 2 where that result is itself missing (``value`` 0 there, so a forward
    fill cannot pass over it)."""
    ns = namespace(valid)
    last = valid.astype("int64").cumsum() - 1  # position in ``results`` of the last valid row so far
    leading = last < 0
    if len(results):
        taken = results.reset_index(drop=True).astype("float64").take(last.clip(lower=0).values)
        value = ns.Series(taken.values, index=valid.index, dtype="float64")
    else:
        value = ns.Series(float("nan"), index=valid.index, dtype="float64")
    missing = value.isna()
    known = (missing.astype("float64") + 1.0).mask(leading)
    return ns.DataFrame({"value": value.fillna(0.0).mask(leading), "known": known})


def known_results(filled: Any, name: Any = None) -> Any:
    """The results of :func:`spread_valid_results` after a forward fill: missing where no valid row came
    before, or where that row's result is missing."""
    return filled["value"].where(filled["known"] == 1.0).rename(name)
