"""pandas' set operations of an Index: ``union``, ``intersection``, ``difference``, ``symmetric_difference`` (dask's
Index has none).

The values of a lazy Index are a Series; each result is built from ``concat``, ``drop_duplicates``, ``isin`` (or a
count of each value) and, where pandas sorts (``sort=None``), a global ``sort_values``, then made an Index again.
``other`` may be a lazy Index or Series: ``union`` and ``symmetric_difference`` take it lazily; ``intersection``
and ``difference`` need its distinct values as a list (computed at once, as ``isin`` needs them).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame.index_values import equal_values_together

__all__ = ["IndexSetMethods"]


def _name_of(index: Any, other: Any) -> Any:
    """pandas' name of a set operation's result: the common name, or None (a list has none to differ)."""
    return index.name if getattr(other, "name", index.name) == index.name else None


class IndexSetMethods:
    """Mixin of :class:`gpuscale.dataframe.Index`."""

    def _values_of(self, other: Any) -> Any:
        """``other``'s values as a lazy Series (a pandas/cuDF object or a list: one partition)."""
        from gpuscale.dataframe.core import FrameBase
        from gpuscale.dataframe.creation import from_pandas

        if isinstance(other, FrameBase):
            values = other._values() if bf.is_index_like(other._meta) else other
        else:
            values = from_pandas(bf.host_series(list(other)), npartitions=1, sort=False,
                                 backend=bf.library_of(self._meta))
        return values.reset_index(drop=True)

    def _listed(self, other: Any) -> list:
        """``other``'s distinct values as a list (a lazy one computed now)."""
        from gpuscale.backends import to_host

        distinct = self._values_of(other).drop_duplicates(split_out=1).compute()
        return to_host(distinct).tolist()

    def _set_result(self, values: Any, sort: Any, name: Any) -> Any:
        values = values.drop_duplicates(split_out=1)
        if sort is None or sort is True:
            values = values.sort_values()
        return self._as_index(values.rename(name))

    def union(self, other: Any, sort: Any = None) -> Any:
        """The values of this index and ``other`` (a value repeated: its larger count of the two), sorted
        (``sort=None``, as pandas), as an Index; ``sort=False`` gives pandas' order.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(3)}, index=[5, 1, 5]), npartitions=2, sort=False).index
        >>> idx.union([9, 1]).compute().tolist()  # 5 twice here: its count in this index
        [1, 5, 5, 9]
        """
        from gpuscale.dataframe.multi import concat

        # a value repeated keeps its larger count of the two sides, as pandas: each occurrence numbered within its
        # side, (value, number) pairs deduplicated
        sides = [values.to_frame("__value__") for values in (self._values().reset_index(drop=True),
                                                              self._values_of(other))]
        numbered = [side.assign(__nth__=side.groupby("__value__", dropna=False).cumcount()) for side in sides]
        pairs = concat(numbered).drop_duplicates(subset=["__value__", "__nth__"], split_out=1)
        values = pairs["__value__"]
        if sort is None or sort is True:
            values = values.sort_values()
        elif not bool(self._values_of(other).is_unique.compute()):
            # pandas' order when other repeats a value: a value's copies together, at its first appearance (else:
            # this index as it is, then other's new values); whether it does is computed at once
            values = values.map_partitions(equal_values_together, meta=values._meta)
        return self._as_index(values.rename(_name_of(self, other)))

    def intersection(self, other: Any, sort: Any = False) -> Any:
        """The distinct values of this index that ``other`` holds, in this index's order (``sort=False``, as
        pandas), as an Index.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[5, 1, 5, 7]), npartitions=2, sort=False).index
        >>> idx.intersection([7, 5, 0]).compute().tolist()
        [5, 7]
        """
        mine = self._values().reset_index(drop=True)
        return self._set_result(mine[mine.isin(self._listed(other))], sort, _name_of(self, other))

    def difference(self, other: Any, sort: Any = None) -> Any:
        """The distinct values of this index that ``other`` lacks, sorted (``sort=None``, as pandas), as an Index.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[5, 1, 5, 7]), npartitions=2, sort=False).index
        >>> idx.difference([7]).compute().tolist()
        [1, 5]
        """
        mine = self._values().reset_index(drop=True)
        return self._set_result(mine[~mine.isin(self._listed(other))], sort, _name_of(self, other))

    def symmetric_difference(self, other: Any, result_name: Any = None, sort: Any = None) -> Any:
        """The distinct values in exactly one of this index and ``other``, sorted (``sort=None``), as an Index:
        each side's distinct values counted together, those seen once kept.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> idx = gd.from_pandas(pd.DataFrame({"x": range(3)}, index=[5, 1, 5]), npartitions=2, sort=False).index
        >>> idx.symmetric_difference([1, 9]).compute().tolist()
        [5, 9]
        """
        from gpuscale.dataframe.multi import concat

        mine = self._values().reset_index(drop=True).drop_duplicates(split_out=1)
        both = concat([mine, self._values_of(other).drop_duplicates(split_out=1)])
        counts = both.value_counts(split_out=1)
        once = counts[counts == 1].index.to_series().reset_index(drop=True)
        name = result_name if result_name is not None else _name_of(self, other)
        return self._set_result(once, sort, name)
