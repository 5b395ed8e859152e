"""Custom accessors on gpuscale collections, as ``dask.dataframe.extensions`` and pandas offer them.

``@register_dataframe_accessor("geo")`` on a class makes ``df.geo`` an instance
of it, built from the collection once per collection (the class's
``__init__`` takes the collection).  The accessor works on the lazy collection:
call ``map_partitions`` and friends inside it to reach the partitions.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

__all__ = ["register_dataframe_accessor", "register_series_accessor", "register_index_accessor"]


class _CachedAccessor:
    """A descriptor: ``obj.<name>`` is ``accessor(obj)``, made once per object."""

    def __init__(self, name: str, accessor: type) -> None:
        self._name, self._accessor = name, accessor

    def __get__(self, obj: Any, cls: type) -> Any:
        if obj is None:
            return self._accessor
        value = self._accessor(obj)
        obj.__dict__[self._name] = value  # later lookups find the instance attribute first
        return value


def _register(name: str, cls: type) -> Callable[[type], type]:
    def decorator(accessor: type) -> type:
        if hasattr(cls, name):
            warnings.warn(f"registration of accessor {accessor!r} under name {name!r} for type {cls.__name__} "
                          "overrides an existing attribute of the same name", UserWarning, stacklevel=2)
        setattr(cls, name, _CachedAccessor(name, accessor))
        if "_accessors" not in cls.__dict__:  # the class's own set (the base's is shared)
            cls._accessors = set(getattr(cls, "_accessors", ()))
        cls._accessors.add(name)
        return accessor
    return decorator


def register_dataframe_accessor(name: str) -> Callable[[type], type]:
    """Register a custom accessor on :class:`gpuscale.dataframe.DataFrame`.

    Parameters
    ----------
    name : str
        The attribute name the accessor is reached under.

    Returns
    -------
    callable
        A class decorator.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> from gpuscale.dataframe.extensions import register_dataframe_accessor
    >>> @register_dataframe_accessor("example_stats")
    ... class Stats:
    ...     def __init__(self, df):
    ...         self._df = df
    ...     def spread(self, column):
    ...         return self._df[column].max() - self._df[column].min()
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 5, 3]}), npartitions=2, backend="cpu")
    >>> int(df.example_stats.spread("x").compute())
    4
    """
    from gpuscale.dataframe.frame import DataFrame

    return _register(name, DataFrame)


def register_series_accessor(name: str) -> Callable[[type], type]:
    """Register a custom accessor on :class:`gpuscale.dataframe.Series` (see
    :func:`register_dataframe_accessor`).

    Parameters
    ----------
    name : str
        The attribute name the accessor is reached under.

    Returns
    -------
    callable
        A class decorator.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> from gpuscale.dataframe.extensions import register_series_accessor
    >>> @register_series_accessor("example_twice")
    ... class Twice:
    ...     def __init__(self, s):
    ...         self._s = s
    ...     def values(self):
    ...         return self._s * 2
    >>> s = gd.from_pandas(pd.Series([1, 2]), npartitions=1, backend="cpu")
    >>> s.example_twice.values().compute().tolist()
    [2, 4]
    """
    from gpuscale.dataframe.series import Series

    return _register(name, Series)


def register_index_accessor(name: str) -> Callable[[type], type]:
    """Register a custom accessor on :class:`gpuscale.dataframe.Index` (see
    :func:`register_dataframe_accessor`).

    Parameters
    ----------
    name : str
        The attribute name the accessor is reached under.

    Returns
    -------
    callable
        A class decorator.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> from gpuscale.dataframe.extensions import register_index_accessor
    >>> @register_index_accessor("example_first")
    ... class First:
    ...     def __init__(self, index):
    ...         self._index = index
    ...     def value(self):
    ...         return self._index.min()
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2]}, index=[7, 9]), npartitions=1, backend="cpu")
    >>> int(df.index.example_first.value().compute())
    7
    """
    from gpuscale.dataframe.series import Index

    return _register(name, Index)
