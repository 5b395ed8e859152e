"""The dtypes of ``read_json``'s blocks: a block's columns cast to the collection's metadata where no value
changes, or an error naming the file, the column and both dtypes; the sample's dtypes widened by the blocks
after it, as pandas reading all of them would give them."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

__all__ = ["JsonDtypeError", "as_meta_dtypes", "widened"]


class JsonDtypeError(ValueError):
    """A block's column does not fit the collection's dtype; the message names the file and the column."""


# (block's kind, metadata's kind) cast without changing a value (bools under floats: as pandas, whose column
# of true and null is float64); anything goes under object, but not under text (True would become "True")
_WIDENING = {("i", "f"), ("u", "f"), ("b", "f")}


def as_meta_dtypes(frame: Any, meta: Any, where: Callable[[], str]) -> Any:
    """``frame`` with the dtypes of ``meta``: cast where no value changes (a column of only missing values,
    values of the same kind, ints or bools under floats, anything under object, text parsed as the meta's
    dates).

    Raises
    ------
    JsonDtypeError
        For the columns whose values do not fit (a float with missing values under ints, text under numbers
        ...): pandas reading all blocks would widen the column, so their dtype must be given.  ``where()``
        names the block.
    """
    changed, bad = {}, []
    for column in meta.columns:
        values = frame[column]
        have, want = values.dtype, meta[column].dtype
        if have == want:
            continue
        if not _castable(values, have, want):
            bad.append((column, have, want, None))
            continue
        try:
            changed[column] = values.astype(want)
        except (TypeError, ValueError, OverflowError) as exc:
            bad.append((column, have, want, exc))
    if bad:
        raise _dtype_error(bad, where())
    if not changed:
        return frame
    frame = frame.copy(deep=False)
    for column, values in changed.items():
        frame[column] = values
    return frame


def _castable(values: Any, have: Any, want: Any) -> bool:
    kinds = getattr(have, "kind", "O"), getattr(want, "kind", "O")
    if kinds[0] == kinds[1] or kinds in _WIDENING or want == np.dtype(object):
        return True
    if kinds == ("O", "M"):  # text under dates (a meta= with dates): parsed by the cast
        return True
    return not bool(values.notna().any())


def _dtype_error(bad: list, where: str) -> JsonDtypeError:
    found = "; ".join(f"column {c!r} has dtype {have} where the metadata gives {want}"
                      + (f" ({type(exc).__name__}: {exc})" if exc is not None else "") for c, have, want, exc in bad)
    fix = ", ".join(f"{c!r}: {_holding_both(have, want)!r}" for c, have, want, _ in bad)
    return JsonDtypeError(
        f"read_json: {where}: {found}. The metadata comes from the first rows read (or meta=); pandas reading "
        f"all of the data would give another dtype. Pass dtype={{{fix}}} (or meta= with that dtype) to read_json"
    )


def _holding_both(have: Any, want: Any) -> str:
    """The dtype pandas gives a column of both blocks' values: float64 for numbers, else object."""
    numeric = all(getattr(d, "kind", "O") in "iufb" for d in (have, want))
    return "float64" if numeric else "object"


def widened(frame: Any, part: Any, skip: Any = None) -> Any:
    """The sampled ``frame`` with the dtypes pandas gives a column of its values and those of ``part`` (a
    later block): one side all missing, the other's dtype able to hold missing values; else the dtype of
    their concatenation (int and float: float64, number and text: object).  Not ``skip`` (the path column)."""
    for column in frame.columns:
        if column == skip or column not in part.columns or frame[column].dtype == part[column].dtype:
            continue
        mine, theirs = frame[column], part[column]
        if not bool(theirs.notna().any()):
            dtype = _holding_missing(mine.dtype)
        elif not bool(mine.notna().any()):
            dtype = _holding_missing(theirs.dtype)
        else:
            dtype = pd.concat([mine.dropna().iloc[:1], theirs.dropna().iloc[:1]]).dtype
        try:
            frame[column] = mine.astype(dtype)
        except (TypeError, ValueError):  # (left to the blocks' check, which names the column)
            continue
    return frame


def _holding_missing(dtype: Any) -> Any:
    """The dtype of a column whose values in some block have ``dtype`` and in another are all missing, as
    pandas reads both: NumPy ints and bools become float64 (NaN for the missing ones)."""
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return np.dtype("float64")
    return dtype
