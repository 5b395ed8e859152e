"""``reset_index`` of DataFrame and Series: pandas' keywords, each partition's index reset on its own (as dask:
a full reset numbers rows from 0 in every partition)."""

from __future__ import annotations

from typing import Any

from gpuscale.dataframe.in_place import in_place

__all__ = ["reset_index"]

#: pandas' keywords besides ``drop`` and ``inplace``, and their defaults: passed on only when given
_FRAME_OPTIONS = {"level": None, "col_level": 0, "col_fill": "", "allow_duplicates": False, "names": None}
_SERIES_OPTIONS = {"level": None, "name": None, "allow_duplicates": False}


def reset_index(self: Any, level: Any = None, *, drop: bool = False, inplace: bool = False, **options: Any) -> Any:
    """The index (or its ``level``) as columns, or dropped, in every partition, as pandas' ``reset_index``.

    A full reset numbers the rows of each partition from 0, as dask does.

    Parameters
    ----------
    level : label, int or list, optional
        Levels of a MultiIndex to move (all by default); the others stay the index.
    drop : bool
        Drop the index rather than adding it as columns.
    inplace : bool
        Replace this collection and return None.
    **options
        pandas' ``names``, ``col_level``, ``col_fill``, ``allow_duplicates`` (a DataFrame) or ``name``,
        ``allow_duplicates`` (a Series).

    Returns
    -------
    DataFrame or Series, or None with ``inplace=True``

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"a": [0, 0, 1], "b": ["x", "y", "x"], "v": [1.0, 2.0, 3.0]}).set_index(["a", "b"])
    >>> df = gd.from_pandas(pdf, npartitions=1, backend="cpu")
    >>> df.reset_index(level="b").compute()
       b    v
    a
    0  x  1.0
    0  y  2.0
    1  x  3.0
    """
    if isinstance(level, bool):  # dask's reset_index(drop) took it first
        level, drop = None, level
    options = {"level": level, **options}
    known = _FRAME_OPTIONS if hasattr(self, "columns") else _SERIES_OPTIONS
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise TypeError(f"{type(self).__name__}.reset_index() got an unexpected keyword argument {unknown[0]!r}")
    given = {k: v for k, v in options.items() if v is not known[k] and not _same(v, known[k])}
    if inplace and not drop and not hasattr(self, "columns"):
        raise TypeError("Cannot reset_index inplace on a Series to create a DataFrame")  # pandas' error
    out = self._method("reset_index", columnwise=False, drop=drop, **given)
    return in_place(self, out, inplace)


def _same(value: Any, default: Any) -> bool:
    try:
        return bool(value == default) and type(value) is type(default)
    except (TypeError, ValueError):  # array-like names
        return False
