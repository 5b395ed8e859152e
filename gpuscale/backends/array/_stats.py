"""The last, host-side step of :mod:`gpuscale.array.stats`' tests: a computed statistic and SciPy's
distribution give the p-value (the statistics themselves are computed block by block before)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.array._core import module_for
from gpuscale.backends.array._creation import to_backend


def _host(x: Any) -> Any:
    """A computed result (NumPy or CuPy, 0-d or not, or a Python number) as a float64 NumPy array, for SciPy."""
    np = module_for("numpy")
    return np.asarray(to_backend(x, "numpy") if hasattr(x, "shape") else x, dtype="float64")


def stats_result(result_type: Any, statistic: Any, distribution: str, alternative: str, *params: Any) -> Any:
    """``result_type(statistic, pvalue)``: the p-value of ``statistic`` under ``scipy.stats.<distribution>``
    with ``params``: ``"greater"`` the upper tail, ``"less"`` the lower one, ``"two-sided"`` twice the tail of
    ``|statistic|``.  0-d values come back as NumPy scalars, as SciPy's do."""
    try:
        from scipy import stats
    except ImportError as err:  # scipy is optional for gpuscale, as for dask.array.stats
        raise ImportError("gpuscale.array.stats needs scipy for its p-values: pip install scipy") from err
    np = module_for("numpy")
    value = _host(statistic)
    args = [_host(p) for p in params]
    dist = getattr(stats, distribution)
    if alternative == "two-sided":
        pvalue = 2 * dist.sf(np.abs(value), *args)
    else:
        pvalue = dist.sf(value, *args) if alternative == "greater" else dist.cdf(value, *args)
    return result_type(value[()], np.asarray(pvalue, dtype="float64")[()])
