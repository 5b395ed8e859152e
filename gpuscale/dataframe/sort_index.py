"""``sort_index`` of DataFrame and Series (pandas'; dask has none).

Rows are sorted by their index labels across all partitions:

* known divisions already hold ascending, disjoint ranges: each partition is sorted alone (no shuffle), unless
  missing labels go first (they are in the last partition, as ``set_index`` puts them);
* ascending with missing labels last: the index becomes a column again and ``set_index`` sorts by it, so the
  result has known divisions (its boundaries are computed at once, as ``set_index`` computes them);
* otherwise (descending, missing labels first): a lazy global sort on that column (``sort_values``), whose
  divisions are unknown.

``axis=1`` sorts the columns, partition by partition.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.methods import numbered_rows
from gpuscale.dataframe.in_place import in_place

__all__ = ["SortIndexMethods"]

_KEY = "__gpuscale_sort_index__"


class SortIndexMethods:
    """Mixin of DataFrame and Series: ``sort_index``."""

    def sort_index(self, axis: Any = 0, level: Any = None, ascending: bool = True, inplace: bool = False,
                   kind: Any = None, na_position: str = "last", sort_remaining: bool = True,
                   ignore_index: bool = False, key: Any = None, npartitions: int | None = None) -> Any:
        """The rows in the order of their index labels (all partitions), as pandas' ``sort_index``.

        Parameters
        ----------
        axis : {0, "index", 1, "columns"}
            0 sorts the rows; 1 the columns of a DataFrame (partition by partition).
        level : int, label or list, optional
            The index's one level over several partitions; of a one-partition collection (a groupby result) any
            level(s) of its MultiIndex, as pandas.
        ascending : bool
            Ascending order (the result has known divisions) or descending (divisions unknown).
        inplace : bool
            Replace this collection's rows and return None.
        kind : str, optional
            Accepted as pandas (the sort is always stable).
        na_position : {"last", "first"}
            Where rows with a missing label go.
        sort_remaining : bool
            As pandas, for a MultiIndex ``level``.
        ignore_index : bool
            Label the sorted axis ``0 .. n - 1``: the rows across partitions, as pandas (the columns with
            ``axis=1``).
        key : None
            A key function is not supported.
        npartitions : int, optional
            Partitions of the result of a sort that moves rows (default: as many as the input).

        Returns
        -------
        DataFrame or Series, or None with ``inplace=True``

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([10, 20, 30, 40], index=[3, 1, 4, 2])
        >>> ds = gd.from_pandas(s, npartitions=2, sort=False, backend="cpu")
        >>> ds.sort_index().compute().tolist(), ds.sort_index().known_divisions
        ([20, 40, 10, 30], True)
        >>> ds.sort_index(ascending=False).compute().index.tolist()
        [4, 3, 2, 1]
        """
        _check_options(self, level, na_position, key)
        if axis in (1, "columns"):
            if not hasattr(self, "columns"):
                raise ValueError("sort_index: a Series has no axis 1 (columns)")
            kwargs = {"ascending": ascending, "na_position": na_position, "axis": 1}
            out = self._map(bf.sort_by_labels, kwargs=kwargs, label="sort_index",
                            meta=bf.sort_by_labels(self._meta, **kwargs))
        elif axis in (0, "index", None) and self.npartitions == 1 and npartitions in (None, 1):
            kwargs = {"ascending": ascending, "na_position": na_position, "level": level,
                      "sort_remaining": sort_remaining}
            out = self._map(bf.sort_by_labels, kwargs=kwargs, label="sort_index", meta=self._meta)
        elif axis in (0, "index", None) and self._meta.index.nlevels > 1:
            out = _sorted_levels(self, _level_order(self._meta.index, level, sort_remaining), ascending,
                                 na_position, npartitions)
        elif axis in (0, "index", None):
            out = _sorted_rows(self, bool(ascending), na_position, npartitions)
        else:
            raise ValueError(f"sort_index: no axis named {axis!r} (0, 'index', 1 or 'columns')")
        if ignore_index and axis in (1, "columns"):  # pandas numbers the sorted axis: here the columns
            out = out.set_axis(list(range(len(out.columns))), axis=1)
        elif ignore_index:
            out = numbered_rows(out)
        return in_place(self, out, inplace)


def _check_options(obj: Any, level: Any, na_position: str, key: Any) -> None:
    if na_position not in ("first", "last"):
        raise ValueError(f"sort_index: na_position must be 'first' or 'last', not {na_position!r}")
    if key is not None:
        raise NotImplementedError("sort_index(key=...) is not supported: sort by a column of the keys instead "
                                  "(df.assign(k=...).set_index('k'))")
    if obj.npartitions == 1:  # (sorted as pandas sorts it, levels of a MultiIndex too)
        return
    if getattr(obj._meta.index, "nlevels", 1) > 1:
        if getattr(getattr(obj._meta, "columns", None), "nlevels", 1) > 1:
            raise NotImplementedError("sort_index of a MultiIndex over several partitions needs one level of "
                                      "column names: repartition(npartitions=1) first")
        return
    if level not in (None, 0, [0]) and level != obj._meta.index.name:
        raise ValueError(f"sort_index: level {level!r} is not a level of the index (it has one level, named "
                         f"{obj._meta.index.name!r})")


def _sorted_rows(obj: Any, ascending: bool, na_position: str, npartitions: Any) -> Any:
    kwargs = {"ascending": ascending, "na_position": na_position}
    if (ascending and obj.known_divisions and npartitions in (None, obj.npartitions)
            and (na_position == "last" or bf.labels_never_missing(obj._meta))):
        # disjoint ascending ranges, in order: each partition sorted alone. Missing labels are in the last
        # partition (set_index puts them there): right for "last"; "first" moves them, unless none can be
        return obj._map(bf.sort_by_labels, kwargs=kwargs, label="sort_index", meta=obj._meta)
    series = not hasattr(obj, "columns")
    frame = obj.to_frame(name=_KEY + "value") if series else obj
    name = obj._meta.index.name
    keyed = frame.assign(**{_KEY: frame.index})
    if ascending and na_position == "last":
        out = keyed.set_index(_KEY, npartitions=npartitions)
    else:
        out = keyed.sort_values(_KEY, ascending=ascending, na_position=na_position, npartitions=npartitions)
        out = out.set_index(_KEY, sort=False)
    out = out.rename_axis(name)
    return out[_KEY + "value"].rename(obj.name) if series else out


def _level_order(index: Any, level: Any, sort_remaining: bool) -> list:
    """The positions of the MultiIndex levels to sort by, in order: ``level`` (all when None) and, with
    ``sort_remaining``, the others after them, as pandas."""
    if level is None:
        return list(range(index.nlevels))
    names = list(index.names)

    def position(name: Any) -> int:
        if name in names:
            return names.index(name)
        if isinstance(name, int) and -len(names) <= name < len(names):
            return name % len(names)
        raise KeyError(f"sort_index: level {name!r} is not a level of the index (levels {names})")

    chosen = [position(name) for name in (level if isinstance(level, list) else [level])]
    rest = [i for i in range(index.nlevels) if i not in chosen] if sort_remaining else []
    return chosen + rest


def _sorted_levels(obj: Any, levels: list, ascending: Any, na_position: str, npartitions: Any) -> Any:
    """A MultiIndex over several partitions: its ``levels`` become key columns of a global ``sort_values``
    (the index goes with its rows), then the keys are dropped. Divisions are unknown, as after any
    sort_values."""
    series = not hasattr(obj, "columns")
    frame = obj.to_frame(name=_KEY + "value") if series else obj
    names = [f"{_KEY}{i}" for i in range(frame._meta.index.nlevels)]
    keyed = frame._map(bf.index_levels_as_columns, names, label="index-levels",
                       meta=bf.index_levels_as_columns(frame._meta, names))
    if isinstance(ascending, (list, tuple)) and len(ascending) < len(levels):  # remaining levels: ascending
        ascending = [*ascending, *[True] * (len(levels) - len(ascending))]
    out = keyed.sort_values([names[i] for i in levels], ascending=ascending, na_position=na_position,
                            npartitions=npartitions)
    out = out.drop(columns=names)
    return out[_KEY + "value"].rename(obj.name) if series else out
