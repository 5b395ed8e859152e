"""DataFrame / Series to a gpuscale array: ``to_dask_array`` and ``values``.

Each partition becomes one block of rows (NumPy blocks from pandas partitions, CuPy from cuDF); see
:mod:`gpuscale.dataframe.array_blocks`.
"""

from __future__ import annotations

import warnings
from typing import Any

from gpuscale.backends import _detect
from gpuscale.backends import frame as bf

__all__ = ["ArrayMethods"]


class ArrayMethods:
    """Mixin of DataFrame and Series: ``to_dask_array`` and ``values``."""

    def to_dask_array(self, lengths: Any = None, meta: Any = None, optimize: bool = True) -> Any:
        """The values as a gpuscale array, one block of rows per partition.

        Parameters
        ----------
        lengths : bool or sequence of int, optional
            The rows of each partition: ``True`` computes them now; otherwise the row counts of the
            blocks are unknown (``nan``).
        meta : array, optional
            An array of the values' dtype.
        optimize : bool
            Optimize the frame's plan first.

        Returns
        -------
        gpuscale.array.Array
            NumPy blocks from pandas partitions, CuPy blocks from cuDF.

        Notes
        -----
        pandas' ``to_numpy()`` of a nullable column depends on its values (``Int64``: float64 with NaN where
        values are missing, int64 where none are; ``boolean``: objects or bool), so blocks would differ from each
        other and from the declared dtype.  Of pandas partitions, nullable integers (``Int64``,
        ``uint8[pyarrow]``, categories of integers) give float64 blocks with NaN for missing values, nullable
        floats (``Float32``) their NumPy float, nullable booleans object blocks (``pd.NA`` for missing values):
        what pandas gives for a column with missing values, declared and computed alike (integers beyond 2**53
        lose precision, as in pandas).  ``values`` of a Series gives objects instead, as dask, and so does
        ``values`` of a frame whose pandas ``values`` are objects (nullable numbers beside other columns).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]}), npartitions=2, backend="cpu")
        >>> x = df.to_dask_array(lengths=True)
        >>> x.chunks
        ((2, 1), (2,))
        >>> x.sum(axis=0).compute().tolist()
        [6, 15]
        """
        from gpuscale.dataframe.array_blocks import to_dask_array

        return to_dask_array(self, lengths, meta, optimize)

    @property
    def values(self) -> Any:
        """The values as a gpuscale array with unknown row counts per block (``to_dask_array()``).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0]), npartitions=2, backend="cpu")
        >>> s.values.compute().tolist()
        [1.0, 2.0, 3.0]
        """
        return values_array(self)


def values_array(obj: Any) -> Any:
    """``obj.values`` (a Series or Index collection; a DataFrame as it is): values of a pandas extension dtype
    (``Int64``, strings, ``Float64``) become an object array, with dask's warning, as pandas' ``to_numpy()``
    gives them once missing values are in; tz-aware datetimes give their UTC instants (naive ``datetime64``), as
    pandas' ``values``."""
    from gpuscale.dataframe.array_blocks import to_dask_array

    meta = obj._meta
    if bf.library_of(meta) != "pandas":
        return to_dask_array(obj)
    if bf.is_dataframe_like(meta):
        return to_dask_array(_mixed_extension_columns_as_objects(obj))
    # tz-aware datetimes keep a typed array: the UTC instants, as pandas' values
    if not _detect.is_numpy_dtype(meta.dtype) and not bf.is_tz_aware_values(meta):
        # dask's words ("converting pandas extension dtypes to arrays"), which ported code filters warnings by
        warnings.warn(f"gpuscale, as dask, has limited support for converting pandas extension dtypes to arrays: "
                      f"the values of {meta.dtype} are converted to object dtype; astype() a NumPy dtype first to "
                      "keep a typed array", UserWarning, stacklevel=3)
        obj = obj.astype(object)
    return to_dask_array(obj)


def _mixed_extension_columns_as_objects(frame: Any) -> Any:
    """``frame`` with its extension-dtype columns as objects where pandas' ``values`` of such a frame is an
    object array, so they keep their values (``1``, ``<NA>``, Timestamps) as in pandas and dask
    (``to_dask_array`` makes nullable integers float64, with NaN)."""
    meta = frame._meta
    odd = {c: object for c, t in meta.dtypes.items() if not _detect.is_numpy_dtype(t) and t != object}
    if meta.values.dtype != object or not odd:
        return frame
    return frame.astype(odd)
