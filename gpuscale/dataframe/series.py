"""The lazy Series and Index collections."""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.dataframe.core import FrameBase, new_collection

__all__ = ["Series", "Index"]


class Series(FrameBase):
    """A lazy Series over pandas or cuDF partitions."""

    @property
    def name(self) -> Any:
        """The Series name."""
        return self._meta.name

    @property
    def dtype(self) -> Any:
        """The dtype of the values."""
        return self._meta.dtype

    def rename(self, name: Any) -> "Series":
        """A Series with a new name."""
        return self._method("rename", name)

    def to_frame(self, name: Any = None) -> Any:
        """A one-column DataFrame."""
        return self._method("to_frame", *(() if name is None else (name,)))

    def between(self, left: Any, right: Any, inclusive: str = "both") -> "Series":
        """Boolean mask of ``left <= x <= right`` (``inclusive`` as in pandas)."""
        return self._method("between", left, right, inclusive=inclusive)

    def map(self, arg: Any, meta: Any = None) -> "Series":
        """Map values through a dict, Series or function."""
        return self.map_partitions(_map_values, arg, meta=meta)

    def apply(self, func: Callable, meta: Any = None, **kwargs: Any) -> "Series":
        """Apply ``func`` to every value."""
        return self.map_partitions(_apply_values, func, meta=meta, **kwargs)

    @property
    def str(self) -> Any:
        """String methods (``.str.contains`` ...), partition-wise."""
        from gpuscale.dataframe.accessors import StringAccessor

        return StringAccessor(self)

    @property
    def dt(self) -> Any:
        """Datetime properties and methods (``.dt.year`` ...), partition-wise."""
        from gpuscale.dataframe.accessors import DatetimeAccessor

        return DatetimeAccessor(self)


def _map_values(s: Any, arg: Any) -> Any:
    return s.map(arg)


def _apply_values(s: Any, func: Callable, **kwargs: Any) -> Any:
    return s.apply(func, **kwargs)


class Index(FrameBase):
    """A lazy Index (``df.index``)."""

    @property
    def name(self) -> Any:
        return self._meta.name

    @property
    def dtype(self) -> Any:
        return self._meta.dtype

    def to_series(self) -> Series:
        """The index values as a Series."""
        return self._method("to_series", columnwise=False)

    def __len__(self) -> int:
        return int(new_collection(self._length().expr).compute())
