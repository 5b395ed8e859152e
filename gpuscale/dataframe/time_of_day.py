"""Rows by the time of day of their index: ``between_time`` and ``at_time`` of DataFrame and Series (pandas';
dask has neither), partition by partition (``backends/frame/time_of_day.py``)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["TimeOfDayMethods"]


class TimeOfDayMethods:
    """Mixin of DataFrame and Series: ``between_time``, ``at_time``."""

    def between_time(self, start_time: Any, end_time: Any, inclusive: str = "both", axis: Any = None) -> Any:
        """The rows whose index's time of day is between ``start_time`` and ``end_time`` (as pandas; across
        midnight when the start is later), partition by partition.

        Parameters
        ----------
        start_time, end_time : str or datetime.time
            The times of day (``"09:30"``).
        inclusive : {"both", "neither", "left", "right"}
            Which ends are included.
        axis : {0, "index", None}
            Only the rows.

        Returns
        -------
        DataFrame or Series
            The same partitions (and divisions), fewer rows.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series(range(6), index=pd.date_range("2024-01-01", periods=6, freq="8h"))
        >>> gd.from_pandas(s, npartitions=2, backend="cpu").between_time("06:00", "18:00").compute().tolist()
        [1, 2, 4, 5]
        """
        _rows_only(axis, "between_time")
        return self._map(bf.rows_between_times, start_time, end_time, inclusive, label="between_time",
                         meta=bf.rows_between_times(self._meta, start_time, end_time, inclusive))

    def at_time(self, time: Any, asof: bool = False, axis: Any = None) -> Any:
        """The rows whose index's time of day is ``time`` (as pandas), partition by partition.

        Parameters
        ----------
        time : str or datetime.time
            The time of day (``"12:00"``).
        asof : bool
            Only False, as pandas.
        axis : {0, "index", None}
            Only the rows.

        Returns
        -------
        DataFrame or Series
            The same partitions (and divisions), fewer rows.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series(range(6), index=pd.date_range("2024-01-01", periods=6, freq="12h"))
        >>> gd.from_pandas(s, npartitions=2, backend="cpu").at_time("12:00").compute().tolist()
        [1, 3, 5]
        """
        if asof:
            raise NotImplementedError("at_time(asof=True) is not implemented (nor in pandas)")
        _rows_only(axis, "at_time")
        return self._map(bf.rows_at_time, time, label="at_time", meta=bf.rows_at_time(self._meta, time))


def _rows_only(axis: Any, method: str) -> None:
    if axis not in (None, 0, "index"):
        raise NotImplementedError(f"{method}(axis={axis!r}): only the rows (axis=0) are selected by time of day")
