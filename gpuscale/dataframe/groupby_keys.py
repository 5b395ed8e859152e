"""Groupby keys that are not plain column labels: Series, the index name, lists mixing them.

:func:`resolve_keys` turns every key into a column label of a (possibly widened) frame, so that
the groupby machinery only ever groups by columns:

* a column label stays as it is;
* the index name (when no column has that name) becomes a hidden column holding the index values;
* a Series that *is* one of the frame's columns (``df.groupby(df.x)``) becomes that label, so the
  column is a key and not a value, as in pandas;
* any other Series (``df.x % 3``, ``df.a.rename("k")``), partitioned as the frame (as dask requires),
  becomes a hidden column.

Hidden columns are named ``__gpuscale_by_<i>__`` (``__gpuscale_by_<i>_index__`` for the index, see
:func:`is_index_key`); :func:`show_key_names` renames the index levels of a
result back to the names pandas gives them (the Series' name, or the index name).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.blockwise import map_partitions_expr

__all__ = ["HIDDEN_VALUE", "is_index_key", "resolve_keys", "show_key_names"]

HIDDEN_VALUE = "__gpuscale_value__"  # the values of an unnamed Series grouped by Series.groupby


def _hidden(i: int, index: bool = False) -> str:
    return f"__gpuscale_by_{i}_index__" if index else f"__gpuscale_by_{i}__"


def is_index_key(label: Any) -> bool:
    """Whether a key label is the hidden column holding the frame's index (each of its values lies in one
    partition when the divisions are known, so its groups need no shuffle)."""
    return isinstance(label, str) and label.startswith("__gpuscale_by_") and label.endswith("_index__")


def resolve_keys(frame: Any, by: Any) -> tuple:
    """``(frame, labels, names)``: ``frame`` widened by hidden key columns, the key labels to group
    by, and ``{hidden label: name}`` for the result's index levels."""
    from gpuscale.dataframe.core import FrameBase

    keys = list(by) if isinstance(by, (list, tuple)) else [by]
    if not keys:
        raise ValueError("No group keys passed! (groupby needs at least one key)")
    labels, names, extra = [], {}, {}
    columns = list(frame.columns)
    for key in keys:
        if isinstance(key, FrameBase):
            label = _series_key(frame, key, columns)
            if label is None:
                label = _hidden(len(names))
                names[label], extra[label] = key.name, key
            labels.append(label)
        elif callable(key) or isinstance(key, dict):
            raise NotImplementedError("groupby by a function or a mapping: assign the keys as a column first "
                                      "(df.assign(key=df.x.map(func)).groupby('key'))")
        elif _hashable(key) and key in columns:
            labels.append(key)
        elif _hashable(key) and key is not None and key == frame._meta.index.name:
            label = _hidden(len(names), index=True)
            names[label], extra[label] = key, frame.index.to_series()
            labels.append(label)
        else:
            labels.append(key)  # an unknown label: GroupBy names the available columns
    if extra:
        frame = frame.assign(**extra)
    return frame, labels, names


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
        raise ValueError(f"groupby: the key Series has {key.npartitions} partitions (divisions "
                         f"{'known' if key.known_divisions else 'unknown'}) but the frame has {frame.npartitions}: "
                         "keys must be partitioned as the frame (derive them from the same frame, or assign "
                         "them as a column first)")
    name = key.name
    if _hashable(name) and name in columns and frame[name].expr._name == key.expr._name:
        return name
    return None


def show_key_names(collection: Any, names: dict) -> Any:
    """``collection`` with hidden key labels in its index names (and a hidden Series name) replaced
    by ``names``; unchanged when there are no hidden keys."""
    if not names:
        return collection
    from gpuscale.dataframe.core import new_collection

    meta = bf.rename_hidden_keys(collection._meta, names)  # also when a declared meta= shows the names already
    return new_collection(map_partitions_expr(bf.rename_hidden_keys, collection.expr, kwargs={"names": names},
                                              meta=meta, label="groupby-key-names", columnwise=True))
