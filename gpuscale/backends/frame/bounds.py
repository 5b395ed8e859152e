"""``clip`` of a partition to scalar bounds, to bounds per row or to bounds per column."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import convert_library, is_dataframe_like, is_frame_like, library_of
from gpuscale.backends.frame.elementwise import replacement_meta

__all__ = ["clip_part", "clip_meta"]


def _scalar_or_none(value: Any) -> bool:
    return value is None or bool(pd.api.types.is_scalar(value))


def clip_part(part: Any, lower: Any = None, upper: Any = None, lower_holds: Any = None, upper_holds: Any = None,
              axis: Any = None) -> Any:
    """``part.clip(lower, upper, axis=axis)``; bounds are scalars, partitions aligned with ``part``'s
    rows (``axis=0``) or a Series by column label (``axis=1``).  ``lower_holds``/``upper_holds``: whether the
    whole bound a partition of it comes from holds a value (None: the bound is whole), see :func:`_clip_one`.
    cuDF clips to scalars only, so other bounds of a cuDF partition are applied on the host.

    Examples
    --------
    >>> import pandas as pd
    >>> part, low = pd.Series([1.0, -1.0], index=[4, 6]), pd.Series([], dtype="float64")
    >>> clip_part(part, low).tolist(), clip_part(part, low, lower_holds=True).tolist()
    ([1.0, -1.0], [nan, nan])
    """
    if _scalar_or_none(lower) and _scalar_or_none(upper):
        return part.clip(lower=lower, upper=upper)  # the axis does not matter for scalars
    from gpuscale.backends.convert import to_host

    library = library_of(part)
    host = to_host(part)
    # pandas clips to the lower bound, then to the upper one (unless both are scalars, handled above)
    out = _clip_one(_clip_one(host, to_host(lower), "lower", lower_holds, axis), to_host(upper), "upper",
                    upper_holds, axis)
    return out if library == "pandas" else convert_library(out, library)


def _clip_one(part: Any, bound: Any, side: str, holds: Any, axis: Any) -> Any:
    """``part.clip(**{side: bound}, axis=axis)`` (pandas); a ``bound`` with no value that is not missing,
    part of a whole bound that has one (``holds``), is applied as pandas applies the whole bound: the rows it
    lacks become missing, those where it is missing keep their values (pandas' ``clip`` would skip it).
    pandas' rule is in ``NDFrame._clip_with_one_bound`` (missing thresholds are taken as infinite)."""
    if bound is None:
        return part
    if not (holds is not None and bool(holds) and is_frame_like(bound) and not bound.notna().to_numpy().any()):
        return part.clip(**{side: bound}, axis=axis)
    unbounded = bound.isna() * (float("inf") if side == "upper" else -float("inf"))  # the bound's labels
    keep = getattr(part, "le" if side == "upper" else "ge")(unbounded, axis=axis) | part.isna()
    return part.where(keep, bound, axis=axis)


def clip_meta(meta: Any, lower: Any = None, upper: Any = None, axis: Any = None) -> Any:
    """The metadata of ``clip`` where some values meet a bound and take it: pandas then gives the values' and
    the bound's common dtype (float64 for integers clipped to 1.5, objects for integers clipped per column to a
    list holding text), which an empty sample, clipping nothing, never shows.  Bounds are values, lists, or the
    metadata of collections; None where the sample cannot tell (the caller infers as usual).

    Examples
    --------
    >>> import pandas as pd
    >>> clip_meta(pd.Series([], dtype="int64"), 1.5).dtype
    dtype('float64')
    >>> clip_meta(pd.Series([], dtype="int64"), 1.0, 5).dtype
    dtype('int64')
    """
    from gpuscale.backends.convert import to_host

    out = to_host(meta)  # cuDF clips to scalars only: other bounds are applied on the host (clip_part)
    for bound in (lower, upper):
        if bound is None:
            continue
        if not _scalar_or_none(bound) and is_dataframe_like(out) and axis in (1, "columns"):
            bound = pd.Series(to_host(bound) if is_frame_like(bound) else list(bound), index=out.columns)
        elif is_frame_like(bound):  # bounds by row: a collection's metadata, the sample's rows stand in for it
            bound = to_host(bound).iloc[:0]
        out = replacement_meta(out, "where", bound, axis=axis)
        if out is None:
            return None
    return convert_library(out, library_of(meta))
