"""``clip`` of a DataFrame or Series to scalar bounds, to bounds per row (a collection) or per column."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["clipped"]


def clipped(frame: Any, lower: Any, upper: Any, axis: Any) -> Any:
    """``frame.clip(lower, upper, axis=axis)``, lazily; see :meth:`FrameBase.clip`.

    pandas clips nothing to a bound whose values are all missing (or that has none), so a partition whose
    part of a collection bound is all missing would keep rows that pandas, clipping to the whole bound, sets
    missing (the rows the bound lacks): each partition is told whether the whole bound holds a value.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = pd.Series([1.0, -1.0, 2.0, -2.0], index=[0, 2, 4, 6])
    >>> low = gd.from_pandas(pd.Series([0.5, 0.0], index=[0, 2]), npartitions=1, backend="cpu")
    >>> clipped(gd.from_pandas(s, npartitions=2, backend="cpu"), low, None, None).compute().tolist()
    [1.0, 0.0, nan, nan]
    """
    if not hasattr(frame._meta, "columns") and axis not in (None, 0, "index"):
        raise ValueError(f"No axis named {axis} for Series")
    meta = bf.clip_meta(frame._meta, *(getattr(b, "_meta", b) for b in (lower, upper)), axis=axis)
    return frame._map(bf.clip_part, lower, upper, _holds_values(lower), _holds_values(upper), label="clip",
                      kwargs=None if axis is None else {"axis": axis}, meta=meta)


def _holds_values(bound: Any) -> Any:
    """Whether a collection bound holds a value that is not missing (a lazy Scalar); None for other bounds,
    which each partition gets whole."""
    from gpuscale.dataframe.core import FrameBase

    if not isinstance(bound, FrameBase):
        return None
    present = bound.notna().any()
    return present.any() if bf.is_dataframe_like(bound._meta) else present
