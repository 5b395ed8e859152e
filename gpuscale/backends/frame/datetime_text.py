"""Text parsed as datetimes with one format for the whole collection (``to_datetime`` without ``format=``, or with
``"ISO8601"``/``"mixed"``: one UTC offset checked for the whole collection).

pandas guesses the format from the first value that is not missing and parses every value with it; each partition
guessing its own would read ``"01/02/2021"`` as January in one and February in another.  A tree reduction finds
the collection's first value (:func:`first_valid_text`, :func:`guessed_datetime_format`) and every partition is
parsed with its format (:func:`to_datetime_with_format`); where pandas guesses none (all values missing, a first
value that is no text or gives no guess) it parses each value alone, and so does every partition.  pandas refuses text whose UTC offsets differ
("Mixed timezones detected"); a partition sees only its own, so each compares its offset with the first value's.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import convert_library, library_of
from gpuscale.backends.frame.ops import to_datetime, unparsed_text_in_microseconds

__all__ = ["first_valid_text", "guessed_datetime_format", "to_datetime_with_format"]


def first_valid_text(part: Any) -> Any:
    """The partition's first value that is not missing: itself if text, ``""`` if not (pandas guesses no format
    then), None if the partition has none."""
    valid = part.dropna()
    if len(valid) == 0:
        return None
    value = valid.iloc[0]
    return value if isinstance(value, str) else ""


def guessed_datetime_format(partials: Any, dayfirst: bool = False, format: str | None = None) -> tuple:
    """pandas' format guess of the first partition's first value (``partials``: one per partition, in order),
    with that value (None, None where there is none or no format).  A ``format`` given (``"ISO8601"``,
    ``"mixed"``) is kept, with that value.

    Examples
    --------
    >>> import pandas as pd
    >>> guessed_datetime_format(pd.Series([None, "2020-01-01 00:00+01:00"]))
    ('%Y-%m-%d %H:%M%z', '2020-01-01 00:00+01:00')
    """
    from pandas.tseries.api import guess_datetime_format

    if partials is None:  # (no partition has a value: none was stacked)
        return (format, None) if format is not None else (None, None)
    valid = partials.dropna()
    if len(valid) == 0 or not str(valid.iloc[0]):
        return None, None
    first = str(valid.iloc[0])
    guessed = format or guess_datetime_format(first, dayfirst=bool(dayfirst))
    return (None, None) if guessed is None else (guessed, first)


def to_datetime_with_format(part: Any, guessed: tuple, **kwargs: Any) -> Any:
    """``to_datetime`` of a partition with the collection's guessed format (None: the library's own parsing).
    A UTC offset other than the first value's: pandas parses the two values together, to raise its error for
    the whole collection (pandas 3) or give objects as it would."""
    fmt, first = guessed
    if fmt is None and kwargs.get("format") is None:
        return _each_value_parsed(part, **kwargs)
    options = {**kwargs, "format": fmt} if fmt is not None else kwargs
    out = to_datetime(part, **options)
    tz = getattr(getattr(out, "dtype", None), "tz", None)
    if tz is not None and first is not None and str(tz) != str(pd.to_datetime(first, **options).tz):
        pd.to_datetime(pd.Series([first, str(part[out.notna().to_numpy()].iloc[0])]), **options)
    return out


def _each_value_parsed(part: Any, **kwargs: Any) -> Any:
    """``to_datetime`` of a partition where no format was guessed for the collection: each value parsed alone, as
    pandas does then (its ``format="mixed"``); not the partition's own guess from its first value.  cuDF, which
    has no such parsing, parses on the host."""
    from gpuscale.backends.convert import to_host

    host = to_host(part)
    out = unparsed_text_in_microseconds(host, pd.to_datetime(host, **{**kwargs, "format": "mixed"}))
    return convert_library(out, library_of(part))
