"""Text parsed as datetimes with one format for the whole collection (``to_datetime`` without ``format=``).

pandas guesses the format from the first value that is not missing and parses every value with it; each partition
guessing its own would read ``"01/02/2021"`` as January in one and February in another.  A tree reduction finds
the collection's first value (:func:`first_valid_text`, :func:`guessed_datetime_format`) and every partition is
parsed with its format (:func:`to_datetime_with_format`).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.ops import to_datetime

__all__ = ["first_valid_text", "guessed_datetime_format", "to_datetime_with_format"]


def first_valid_text(part: Any) -> Any:
    """The partition's first value that is not missing: itself if text, ``""`` if not (pandas guesses no format
    then), None if the partition has none."""
    valid = part.dropna()
    if len(valid) == 0:
        return None
    value = valid.iloc[0]
    return value if isinstance(value, str) else ""


def guessed_datetime_format(partials: Any, dayfirst: bool = False) -> Any:
    """pandas' format guess of the first partition's first value (``partials``: one per partition, in order)."""
    from pandas.tseries.api import guess_datetime_format

    valid = partials.dropna()
    if len(valid) == 0 or not str(valid.iloc[0]):
        return None
    return guess_datetime_format(str(valid.iloc[0]), dayfirst=bool(dayfirst))


def to_datetime_with_format(part: Any, guessed: Any, **kwargs: Any) -> Any:
    """``to_datetime`` of a partition with the collection's guessed format (None: the library's own parsing)."""
    return to_datetime(part, **({**kwargs, "format": guessed} if guessed is not None else kwargs))
