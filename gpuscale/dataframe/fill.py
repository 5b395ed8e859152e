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
from gpuscale.dataframe.in_place import in_place

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


def fill_value_limited(obj: Any, value: Any, limit: Any, options: dict) -> Any:
    """``fillna(value, limit=)``: a scan counting each column's missing values over the partitions before."""
    from gpuscale.dataframe.core import FrameBase
    from gpuscale.dataframe.expanding import _scan

    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise ValueError(f"fillna: limit must be an integer greater than 0, got {limit!r}")
    if isinstance(value, FrameBase) or bf.is_frame_like(value) or set(options) - {"axis"}:
        raise NotImplementedError("fillna(limit=) takes a scalar or a dict of them per column (no Series, "
                                  f"lazy value or {sorted(set(options) - {'axis'})})")
    return _scan(obj, bf.missing_total, bf.missing_combine, bf.fill_value_limited,
                 {"value": value, "limit": limit}, "fillna-limit")


def _interpolate(obj: Any, method: str, axis: Any, limit: Any, limit_direction: Any, limit_area: Any) -> Any:
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.carry import TwoWayScan

    if method not in bf.INTERPOLATE_METHODS:
        raise NotImplementedError(f"interpolate: method={method!r} is not supported; the methods are "
                                  f"{list(bf.INTERPOLATE_METHODS)} (SciPy's methods: map_overlap with pandas' "
                                  "interpolate on each partition and enough rows around it)")
    if axis not in (0, "index", None):
        raise NotImplementedError("interpolate: only down the rows (axis=0); along rows use "
                                  "map_partitions(lambda p: p.interpolate(axis=1))")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ValueError(f"interpolate: limit must be an integer greater than 0, got {limit!r}")
    direction = "forward" if limit_direction is None else str(limit_direction).lower()
    if direction not in ("forward", "backward", "both"):
        raise ValueError(f"interpolate: limit_direction must be 'forward', 'backward' or 'both', "
                         f"not {limit_direction!r}")
    if limit_area not in (None, "inside", "outside"):
        raise ValueError(f"interpolate: limit_area must be None, 'inside' or 'outside', not {limit_area!r}")
    if method != "linear" and obj.npartitions > 1 and not obj.known_divisions:
        raise ValueError(f"interpolate(method={method!r}) weighs by the index, which must be sorted across "
                         "partitions (known divisions): call sort_index() or set_index(...) first")
    kwargs = {"method": method, "limit": limit, "limit_direction": direction, "limit_area": limit_area}
    meta = bf.make_meta(bf.interpolate_finish(bf.meta_nonempty(obj._meta), None, None, **kwargs))
    return new_collection(TwoWayScan(obj.expr, bf.interpolate_total, bf.interpolate_combine, bf.interpolate_finish,
                                     kwargs, meta, "interpolate", True, bf.interpolate_edge))


class FillMethods:
    """Mixin of DataFrame and Series: ``fillna``, ``ffill``, ``bfill``, ``interpolate`` and ``replace``."""

    def interpolate(self, method: str = "linear", *, axis: Any = 0, limit: Any = None, inplace: bool = False,
                    limit_direction: Any = None, limit_area: Any = None) -> Any:
        """Fill missing values by linear interpolation between the valid values around them, across
        partitions, as pandas' ``interpolate`` of the whole frame.

        Parameters
        ----------
        method : {"linear", "time", "index", "values"}
            ``linear`` treats rows as equally spaced; the others weigh by the index (``time``: a
            DatetimeIndex), which must then be sorted across partitions (known divisions).
        axis : {0, "index"}
            Only down the rows.
        limit : int, optional
            At most this many consecutive missing values are filled (counted across partitions).
        inplace : bool
            Replace this collection's values and return None.
        limit_direction : {"forward", "backward", "both"}, optional
            Which missing values ``limit`` counts from (default ``forward``: leading missing values stay).
        limit_area : {None, "inside", "outside"}
            Fill only missing values between valid ones, or only outside them.

        Returns
        -------
        DataFrame or Series, or None with ``inplace=True``
            The same partitions and divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([None, 1.0, None, None, 4.0, None]), npartitions=3, backend="cpu")
        >>> s.interpolate().compute().tolist()
        [nan, 1.0, 2.0, 3.0, 4.0, 4.0]
        >>> s.interpolate(limit_direction="both", limit_area="inside").compute().tolist()
        [nan, 1.0, 2.0, 3.0, 4.0, nan]
        """
        return in_place(self, _interpolate(self, method, axis, limit, limit_direction, limit_area), inplace)

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
