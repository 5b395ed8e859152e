"""Groupby keys that are not plain column labels: Series, the index name, lists mixing them.

:func:`resolve_keys` turns every key into a column label of a (possibly widened) frame, so that
the groupby machinery only ever groups by columns:

* a column label stays as it is;
* the index name (when no column has that name) becomes a hidden column holding the index values;
* a Series that *is* one of the frame's columns (``df.groupby(df.x)``) becomes that label, so the
  column is a key and not a value, as in pandas;
* any other Series (``df.x % 3``, ``df.a.rename("k")``), partitioned as the frame (as dask requires),
  becomes a hidden column;
* ``level=`` (0 or the index name) and ``pd.Grouper(level=...)`` are the index; a MultiIndex's levels (by
  position or name) become hidden columns of their values;
  ``pd.Grouper(key=...)`` is its column;
* a function, dict or pandas Series maps each index label to its group (pandas' rules): a hidden column;
* a ``pd.Grouper(freq=...)`` among other keys labels each row with its time bin (pandas' bins of the whole
  column): a hidden column named as the column (a lone one is resampled: :mod:`gpuscale.dataframe.groupby_time`).

Hidden columns are named ``__gpuscale_by_<i>__`` (``__gpuscale_by_<i>_index__`` for the index, see
:func:`is_index_key`); :func:`show_key_names` renames the index levels of a
result back to the names pandas gives them (the Series' name, or the index name).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame.groupby_keys import (dictionary_values_dtype, grouper_spec, index_keys,
                                                  index_level_keys, is_mapping_key, time_bin_labels,
                                                  time_grouper_spec, with_dictionary_levels)
from gpuscale.dataframe.expr.blockwise import infer_meta, map_partitions_expr
from gpuscale.dataframe.expr.sorting import WithDivisions

__all__ = ["HIDDEN_VALUE", "UnalignedKeysError", "by_dictionary_values", "grouper_options", "in_memory_key_error",
           "index_key_dtypes", "is_index_key", "resolve_keys", "show_key_names"]

HIDDEN_VALUE = "__gpuscale_value__"  # the values of an unnamed Series grouped by Series.groupby


def _hidden(i: int, index: bool = False, nlevels: int = 1) -> Any:
    """The label of hidden key column ``i``: a full column label of ``nlevels`` levels (MultiIndex columns label
    a new column ``name`` as ``(name, "", ...)``, as pandas does, and only that tuple selects it)."""
    name = f"__gpuscale_by_{i}_index__" if index else f"__gpuscale_by_{i}__"
    return name if nlevels == 1 else (name,) + ("",) * (nlevels - 1)


def is_index_key(label: Any) -> bool:
    """Whether a key label is the hidden column holding the frame's index (each of its values lies in one
    partition when the divisions are known, so its groups need no shuffle)."""
    if isinstance(label, tuple) and label:  # the label of MultiIndex columns (see _hidden)
        label = label[0]
    return isinstance(label, str) and label.startswith("__gpuscale_by_") and label.endswith("_index__")


class UnalignedKeysError(ValueError, NotImplementedError):
    """A key Series partitioned unlike the frame: a ``ValueError``, and the ``NotImplementedError`` dask raises."""


class _Index:
    """The index as a key (``level=0``, ``pd.Grouper(level=0)``), named or not."""


_THE_INDEX = _Index()


class _IndexLevel:
    """One level of a MultiIndex as a key (``level=1``, ``level="b"``): its position and name."""

    def __init__(self, position: int, name: Any) -> None:
        self.position, self.name = position, name


def resolve_keys(frame: Any, by: Any, level: Any = None) -> tuple:
    """``(frame, labels, names)``: ``frame`` widened by hidden key columns, the key labels to group
    by, and ``{hidden label: name}`` for the result's index levels."""
    from gpuscale.dataframe.core import FrameBase

    if by is not None and level is not None:
        raise TypeError("groupby: pass by= or level=, not both")
    keys = _level_keys(frame, level) if by is None else _key_list(frame, by)
    if not keys:
        raise ValueError("No group keys passed! (groupby needs at least one key)")
    labels, names, extra, consumed = [], {}, {}, []
    columns, nlevels = list(frame.columns), frame._meta.columns.nlevels
    index_name = frame._meta.index.name
    for key in keys:
        hidden = _hidden(len(names), nlevels=nlevels)
        time_spec = time_grouper_spec(key)
        if time_spec is not None:
            names[hidden], extra[hidden] = _time_bins(frame, time_spec)
            labels.append(hidden)
            if time_spec["key"] is not None:  # its column is the key, not a value column (pandas)
                consumed.append(time_spec["key"])
            continue
        key = _from_grouper(frame, key)
        if _hashable(key) and key is not None and key not in columns and frame._meta.index.nlevels > 1 \
                and key in frame._meta.index.names:  # a MultiIndex level's name, as pandas resolves it
            key = _multi_index_level(frame._meta.index, key)
        if isinstance(key, _IndexLevel):
            names[hidden], extra[hidden] = key.name, _mapped_index(frame, key.position, index_level_keys)
        elif isinstance(key, FrameBase):
            hidden = _series_key(frame, key, columns)
            if hidden is None:
                hidden = _hidden(len(names), nlevels=nlevels)
                names[hidden], extra[hidden] = key.name, key
        elif key is _THE_INDEX or (_hashable(key) and key is not None and key not in columns
                                   and key == index_name):
            hidden = _hidden(len(names), index=True, nlevels=nlevels)
            names[hidden], extra[hidden] = index_name, _mapped_index(frame, None, index_level_keys)
        elif _hashable(key) and key in columns:
            hidden = key
        elif is_mapping_key(key):  # pandas: the groups of the index labels; the level keeps the index name
            name = key.name if bf.is_series_like(key) else index_name
            names[hidden], extra[hidden] = name, _mapped_index(frame, key)  # (a pandas Series': its name)
        elif not _hashable(key):
            raise in_memory_key_error(key)
        else:
            hidden = key  # an unknown label: GroupBy names the available columns
        labels.append(hidden)
    return _widened(frame, extra, [c for c in consumed if c not in labels]), labels, names


def _key_list(frame: Any, by: Any) -> list:
    """The keys of ``by``: a list or tuple of them (as dask), but one tuple that is a column label (of MultiIndex
    columns) is one key, as pandas reads it."""
    if isinstance(by, tuple) and _hashable(by) and by in set(frame.columns):  # (by hash: no Series compared)
        return [by]
    return list(by) if isinstance(by, (list, tuple)) else [by]


def _widened(frame: Any, extra: dict, consumed: list) -> Any:
    """``frame`` with the hidden key columns ``extra`` ({label: Series}) added and the ``consumed`` columns
    dropped.  (Assigned by label, not by ``assign(**...)``: the labels of MultiIndex columns are tuples.)"""
    from gpuscale.dataframe.core import new_collection, to_expr
    from gpuscale.dataframe.expr.blockwise import Assign

    expr = frame.expr
    for label, value in extra.items():
        expr = Assign(expr, (label,), to_expr(value))
    frame = new_collection(expr) if extra else frame
    return frame.drop(columns=consumed) if consumed else frame


def in_memory_key_error(key: Any) -> ValueError:
    """pandas groups by an array or list of one value per row, which a lazy frame cannot line up with its
    partitions (dask refuses it too)."""
    size = f" of {len(key)} values" if hasattr(key, "__len__") else ""
    return ValueError(f"Grouper and axis must be same length: groupby got a {type(key).__name__}{size} as a key, "
                      "which a lazy frame cannot line up with its rows; pass a column name or a gpuscale Series "
                      "partitioned as the frame")


def _level_keys(frame: Any, level: Any) -> list:
    """``level=``: the index, once per level given (a gpuscale index has one level: 0, -1 or its name)."""
    if level is None:
        raise TypeError("groupby: pass by= (keys) or level= (the index)")
    levels = list(level) if isinstance(level, (list, tuple)) else [level]
    if frame._meta.index.nlevels > 1:
        return [_multi_index_level(frame._meta.index, one) for one in levels]
    name = frame._meta.index.name
    for one in levels:
        if not (one in (0, -1) and not isinstance(one, bool) or (one is not None and one == name)):
            raise ValueError(f"groupby: level={one!r} is not a level of the index (its one level is 0, "
                             f"named {name!r})")
    return [_THE_INDEX] * len(levels)


def _multi_index_level(index: Any, level: Any) -> _IndexLevel:
    """A level of a MultiIndex by position (negative from the end) or name, as pandas finds it."""
    names = list(index.names)
    if isinstance(level, int) and not isinstance(level, bool) and -len(names) <= level < len(names):
        return _IndexLevel(level % len(names), names[level])
    if level is not None and names.count(level) == 1:
        return _IndexLevel(names.index(level), level)
    raise ValueError(f"groupby: level={level!r} is not a level of the index (its levels are {names})")


def _from_grouper(frame: Any, key: Any) -> Any:
    """A ``pd.Grouper``'s column label, or the index; any other key unchanged."""
    spec = grouper_spec(key)
    if spec is None:
        return key
    if spec["key"] is not None:
        return spec["key"]
    return _level_keys(frame, spec["level"] if spec["level"] is not None else 0)[0]


def _time_bins(frame: Any, spec: dict) -> tuple:
    """``(name, Series)``: each row's time bin of the Grouper's column (or of the index), partitioned as ``frame``,
    anchored at the column's earliest time as pandas anchors them."""
    from gpuscale.dataframe.core import new_collection

    key = spec["key"]
    if key is None:
        _level_keys(frame, spec["level"] if spec["level"] is not None else 0)  # the index is the one level
        times, name = frame.index.to_series(), frame._meta.index.name
    elif key in frame.columns:
        times, name = frame[key], key
    else:
        raise KeyError(f"groupby: the Grouper's key {key!r} is not a column (columns: {list(frame.columns)})")
    ends = [times.min()]
    origin = spec["grid"].get("origin")
    if isinstance(origin, str) and origin in ("end", "end_day"):  # bins ending at the column's last time
        ends.append(times.max())
    expr = map_partitions_expr(time_bin_labels, times.expr, *[e.expr for e in ends],
                               kwargs={"freq": spec["freq"], "closed": spec["closed"], "label": spec["label"],
                                       "grid": spec["grid"]},
                               meta=times._meta, label="groupby-time-bins")
    return name, new_collection(WithDivisions(expr, frame.divisions))


def grouper_options(by: Any) -> dict:
    """``{"sort", "dropna"}`` of a lone ``pd.Grouper`` key (pandas takes them from it), else ``{}``."""
    spec = grouper_spec(by)
    return {} if spec is None else {"sort": spec["sort"], "dropna": spec["dropna"]}


def _mapped_index(frame: Any, mapper: Any, how: Any = index_keys) -> Any:
    """A Series partitioned as ``frame``: each row's index label mapped through ``mapper`` (``how``:
    :func:`index_level_keys`, the values of level ``mapper``, of the index when None)."""
    from gpuscale.dataframe.core import new_collection

    kwargs = {"mapper": mapper} if how is index_keys else {"level": mapper}
    # a mapping's or a function's keys of sample labels (of no labels, pandas keeps the index's dtype)
    meta = how(frame._meta, **kwargs) if how is index_level_keys else \
        infer_meta(how, [frame.expr], kwargs, "groupby-index-keys", nonempty_first=True)
    keys = map_partitions_expr(how, frame.expr, kwargs=kwargs, meta=meta, label="groupby-index-keys")
    return new_collection(WithDivisions(keys, frame.divisions))  # one key per row: the rows keep their places


def _hashable(key: Any) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


def _series_key(frame: Any, key: Any, columns: list) -> Any:
    """The column label when ``key`` is the frame's own column, else None (a hidden column is needed);
    raises when ``key`` is not partitioned as the frame."""
    if bf.is_dataframe_like(key._meta):
        raise ValueError("groupby: a key is a DataFrame; pass its columns' labels or Series")  # dask's type
    if key.npartitions != frame.npartitions or (frame.known_divisions and key.known_divisions
                                                 and key.divisions != frame.divisions):
        raise UnalignedKeysError(f"groupby: the key Series has {key.npartitions} partitions (divisions "
                         f"{'known' if key.known_divisions else 'unknown'}) but the frame has {frame.npartitions}: "
                         "keys must be partitioned as the frame (derive them from the same frame, or assign "
                         "them as a column first)")
    name = key.name
    if _hashable(name) and name in columns and frame[name].expr._name == key.expr._name:
        return name
    return None


def index_key_dtypes(frame: Any, names: dict) -> dict:
    """{hidden label: dtype} of the keys holding the index's values: pandas keeps an index level's dtype in the
    result (object text stays object, where a column's is grouped as str)."""
    return {label: frame._meta[label].dtype for label in names if is_index_key(label) and label in frame.columns}


def show_key_names(collection: Any, names: dict, dtypes: dict | None = None) -> Any:
    """``collection`` with hidden key labels in its index names (and a hidden Series name) replaced
    by ``names``; unchanged when there are no hidden keys.  ``dtypes``: :func:`index_key_dtypes`."""
    if not names:
        return collection
    from gpuscale.dataframe.core import new_collection

    kwargs = {"names": names, "dtypes": dtypes} if dtypes else {"names": names}
    meta = bf.rename_hidden_keys(collection._meta, **kwargs)  # also when a declared meta= shows the names already
    return new_collection(map_partitions_expr(bf.rename_hidden_keys, collection.expr, kwargs=kwargs,
                                              meta=meta, label="groupby-key-names", columnwise=True))


def by_dictionary_values(groupby: Any, dtypes: dict, method: Any, *args: Any, **kwargs: Any) -> Any:
    """``method(groupby, *args, **kwargs)`` grouped by the values of the Arrow dictionary keys ``dtypes``
    ({key label: dtype}, see :func:`~gpuscale.backends.frame.groupby_keys.dictionary_keys`), the result's key
    levels made of the dictionary dtypes again, as pandas' result."""
    from gpuscale.dataframe.core import new_collection

    values = {label: dictionary_values_dtype(dtype) for label, dtype in dtypes.items()}
    out = method(groupby._with_frame(groupby._frame.astype(values)), *args, **kwargs)
    shown = {"dtypes": {groupby._names.get(label, label): dtype for label, dtype in dtypes.items()}}
    meta = with_dictionary_levels(out._meta, **shown)
    return new_collection(map_partitions_expr(with_dictionary_levels, out.expr, kwargs=shown, meta=meta,
                                              label="groupby-dictionary-keys", columnwise=True))
