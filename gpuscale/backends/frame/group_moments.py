"""Third and fourth central moments of groups, for a tree-reduced groupby ``skew`` and ``kurt``.

Each partition sums the cubed and fourth powers of each row's deviation from its group's mean in that partition
(``m3``, ``m4``, beside the ``m2`` of ``var``).  Partials of one group from several partitions are moved to the
combined mean before they are added (the same shift as ``m2``'s, one power higher): with ``d`` the partition
mean minus the combined mean, ``m4 += 4 d m3 + 6 d^2 m2 + n d^4``, ``m3 += 3 d m2 + n d^3``.  The finished
values are pandas' (bias-corrected sample skewness and excess kurtosis; NaN for too few values or no spread).
Only library operations (groupby ``transform``/``sum``, arithmetic): the same code runs on pandas and cuDF,
whose groupby has no ``skew``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["HIGHER_MOMENTS", "finish_moment", "partition_moments", "shift_moments"]

# (and ``fsum``: a float64 sum for the means that the moments are shifted by: float32 sums are too coarse)
HIGHER_MOMENTS = ("fsum", "m3", "m4")
_FEWEST = {"skew": 3, "kurt": 4}  # pandas' NaN below this many values
# a spread below this fraction of the mean is rounding of a constant group (its deviations are not exactly 0
# when the partition mean is not exact): no spread, as pandas' exact zero for a constant group
_RELATIVE_NOISE = 1e-14


def partition_moments(df: Any, by: Any, col: Any, kinds: list, dropna: bool) -> dict:
    """The moments ``kinds`` (``fsum``: the sum of the values; ``m2``/``m3``/``m4``: the sums of each row's
    deviation from its group's mean, to the power) of column ``col`` per group of one partition (grouped by
    ``by``), in two grouped passes (the means, then every power at once).  In float64, means included (pandas'
    precision: float32 powers of small deviations cancel to noise)."""
    values = df[col].astype("float64")
    powers = {f"__gpuscale_{kind}": values for kind in kinds if kind == "fsum"}
    if any(kind != "fsum" for kind in kinds):
        mean = df.assign(__gpuscale_values=values).groupby(by, dropna=dropna, sort=False, observed=True)[
            "__gpuscale_values"].transform("mean")
        deviation = values - mean
        squared = deviation * deviation  # (products: a power ** 3 is several times slower)
        by_power = {"m2": squared, "m3": squared * deviation, "m4": squared * squared}
        powers.update({f"__gpuscale_{kind}": by_power[kind] for kind in kinds if kind != "fsum"})
    sums = df.assign(**powers).groupby(by, dropna=dropna, sort=False, observed=True)[list(powers)].sum()
    return {kind: sums[f"__gpuscale_{kind}"] for kind in kinds}


def shift_moments(frame: Any, sums: Any, counts: Any, total_sum: Any, total_count: Any, moments: dict) -> Any:
    """Partial moments (``moments``: kind -> column of ``frame``) moved from each row's own mean
    (``sums / counts``) to its group's combined mean (``total_sum / total_count``), highest first (each uses
    the lower ones as they were)."""
    sums, total_sum = sums.astype("float64"), total_sum.astype("float64")  # (Arrow decimals' division overflows)
    delta = (sums / counts.where(counts > 0) - total_sum / total_count.where(total_count > 0)).fillna(0)
    m2 = frame[moments["m2"]]
    m3 = frame[moments["m3"]] if "m3" in moments else None
    if "m4" in moments:
        frame[moments["m4"]] = frame[moments["m4"]] + 4 * delta * m3 + 6 * delta ** 2 * m2 + counts * delta ** 4
    if m3 is not None:
        frame[moments["m3"]] = m3 + 3 * delta * m2 + counts * delta ** 3
    frame[moments["m2"]] = m2 + counts * delta ** 2
    return frame


def finish_moment(kind: str, total: Any, count: Any, m2: Any, m3: Any, m4: Any = None) -> Any:
    """pandas' groupby ``skew`` or ``kurt`` from a group's count and central moment sums."""
    n = count.astype("float64")
    mean = total / n.where(n > 0)
    spread = m2.where(m2 > (_RELATIVE_NOISE * mean) ** 2 * n)  # no spread: NaN, as pandas
    if kind == "skew":
        value = n * (n - 1) ** 0.5 / (n - 2) * m3 / spread ** 1.5
    else:
        value = n * (n + 1) * (n - 1) * m4 / ((n - 2) * (n - 3) * spread ** 2) - \
            3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
    return value.where(n >= _FEWEST[kind], np.nan)
