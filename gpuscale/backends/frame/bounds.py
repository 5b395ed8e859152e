"""``clip`` of a partition to scalar bounds, to bounds per row or to bounds per column."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import convert_library, library_of

__all__ = ["clip_part"]


def _scalar_or_none(value: Any) -> bool:
    return value is None or bool(pd.api.types.is_scalar(value))


def clip_part(part: Any, lower: Any = None, upper: Any = None, axis: Any = None) -> Any:
    """``part.clip(lower, upper, axis=axis)``; bounds are scalars, partitions aligned with ``part``'s
    rows (``axis=0``) or a Series by column label (``axis=1``).  cuDF clips to scalars only, so other
    bounds of a cuDF partition are applied on the host."""
    if _scalar_or_none(lower) and _scalar_or_none(upper):
        return part.clip(lower=lower, upper=upper)  # the axis does not matter for scalars
    if library_of(part) == "pandas":
        return part.clip(lower=lower, upper=upper, axis=axis)
    from gpuscale.backends.convert import to_host

    host = to_host(part).clip(lower=to_host(lower), upper=to_host(upper), axis=axis)
    return convert_library(host, library_of(part))
