"""Filling and replacing values: ``ffill`` / ``bfill`` across partitions, ``replace``.

``ffill`` and ``bfill`` are scans over the partitions (:class:`~gpuscale.dataframe.expr.carry.DirectedScan`):
only the nearest valid value of each column and its distance travel from partition to partition, so
a gap longer than a partition, or an all-missing partition, is filled as pandas fills the whole frame
(with ``limit`` counted across partition boundaries).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.carry import DirectedScan

__all__ = ["FillMethods"]

_NO_VALUE = object()


def _fill(obj: Any, forward: bool, axis: Any, limit: Any) -> Any:
    from gpuscale.dataframe.core import new_collection

    name = "ffill" if forward else "bfill"
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ValueError(f"{name}: limit must be an integer greater than 0, got {limit!r}")
    if axis in (1, "columns"):  # across each row's columns: rows and divisions kept
        from gpuscale.dataframe.expr.blockwise import map_partitions_expr
        from gpuscale.dataframe.expr.sorting import WithDivisions

        out = map_partitions_expr(bf.fill_rows, obj.expr, kwargs={"forward": forward, "limit": limit}, label=name)
        return new_collection(WithDivisions(out, tuple(obj.divisions)) if obj.known_divisions else out)
    if axis not in (0, "index", None):
        raise ValueError(f"{name}: no axis named {axis!r}")
    kwargs = {"forward": forward, "limit": limit}
    return new_collection(DirectedScan(obj.expr, bf.fill_total, bf.fill_combine, bf.fill_finish, kwargs,
                                       obj._meta, name, True, forward))


class FillMethods:
    """Mixin of DataFrame and Series: ``ffill``, ``bfill`` and ``replace``."""

    def ffill(self, axis: Any = None, limit: Any = None) -> Any:
        """Fill missing values with the last valid value before them, across partitions.

        Parameters
        ----------
        axis : {0, "index", 1, "columns"}, optional
            0: down the rows, across partition boundaries; 1: along each row (partition-wise).
        limit : int, optional
            At most this many consecutive missing values are filled (counted across partitions).

        Returns
        -------
        DataFrame or Series
            The same partitions and divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, None, None, None, 5.0, None]), npartitions=3, backend="cpu")
        >>> s.ffill().compute().tolist()
        [1.0, 1.0, 1.0, 1.0, 5.0, 5.0]
        >>> s.ffill(limit=2).compute().tolist()
        [1.0, 1.0, 1.0, nan, 5.0, 5.0]
        """
        return _fill(self, True, axis, limit)

    def bfill(self, axis: Any = None, limit: Any = None) -> Any:
        """Fill missing values with the next valid value after them, across partitions.

        Parameters
        ----------
        axis : {0, "index", 1, "columns"}, optional
            0: up the rows, across partition boundaries; 1: along each row (partition-wise).
        limit : int, optional
            At most this many consecutive missing values are filled (counted across partitions).

        Returns
        -------
        DataFrame or Series
            The same partitions and divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([None, None, None, 4.0, None, 6.0]), npartitions=3, backend="cpu")
        >>> s.bfill().compute().tolist()
        [4.0, 4.0, 4.0, 4.0, 6.0, 6.0]
        >>> s.bfill(limit=1).compute().tolist()
        [nan, nan, 4.0, 4.0, 6.0, 6.0]
        """
        return _fill(self, False, axis, limit)

    def replace(self, to_replace: Any = None, value: Any = _NO_VALUE, regex: bool = False) -> Any:
        """Replace values, partition by partition (pandas' ``replace``).

        Parameters
        ----------
        to_replace : scalar, list, dict or regex
            The values to replace (a dict maps old to new values, or column to values).
        value : scalar, list or dict, optional
            The replacements (omitted with a dict ``to_replace``).
        regex : bool
            Interpret ``to_replace`` (and ``value``) as regular expressions.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([0, 1, 2, 0]), npartitions=2, backend="cpu")
        >>> s.replace(0, 9).compute().tolist()
        [9, 1, 2, 9]
        >>> s.replace({1: 10, 2: 20}).compute().tolist()
        [0, 10, 20, 0]
        """
        kwargs: dict = {"to_replace": to_replace}
        if value is not _NO_VALUE:
            kwargs["value"] = value
        if regex:
            kwargs["regex"] = regex
        columnwise = not isinstance(to_replace, dict) and not isinstance(value, dict)
        from gpuscale.dataframe.core import new_collection
        from gpuscale.dataframe.expr.blockwise import map_partitions_expr

        # (bf.replace_values: cuDF's replace refuses regex=True)
        return new_collection(map_partitions_expr(bf.replace_values, self.expr, kwargs=kwargs, label="replace",
                                                  columnwise=columnwise))
