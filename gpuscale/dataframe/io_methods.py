"""``to_json``, ``to_sql`` and ``to_hdf`` of DataFrame and Series, ``Series.to_csv``, ``DataFrame.to_orc``,
``DataFrame.to_records`` (dask.dataframe's methods; issue #14)."""

from __future__ import annotations

from typing import Any

__all__ = ["JsonMethods", "SeriesCsvMethods", "RecordsMethods", "BagMethods", "OrcMethods", "SqlMethods", "HdfMethods",
           "to_bag"]


class JsonMethods:
    """Mixin of DataFrame and Series: ``to_json``."""

    def to_json(self, filename: Any, *args: Any, **kwargs: Any) -> Any:
        """Write as JSON, one file per partition; see :func:`gpuscale.dataframe.to_json`.

        Examples
        --------
        >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
        >>> folder = os.path.join(tempfile.mkdtemp(), "out")
        >>> s = gd.from_pandas(pd.Series([1, 2, 3], name="x"), npartitions=2, backend="cpu")
        >>> len(s.to_json(folder))
        2
        """
        from gpuscale.dataframe.io.json import to_json

        return to_json(self, filename, *args, **kwargs)


class HdfMethods:
    """Mixin of DataFrame and Series: ``to_hdf``."""

    def to_hdf(self, path: Any, key: str, *args: Any, **kwargs: Any) -> Any:
        """Write to HDF5 (pandas' ``table`` format); see :func:`gpuscale.dataframe.to_hdf`.

        Examples
        --------
        >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
        >>> path = os.path.join(tempfile.mkdtemp(), "out.h5")
        >>> s = gd.from_pandas(pd.Series([1.5, 2.5, 3.5], name="x"), npartitions=3, backend="cpu")
        >>> len(s.to_hdf(path, "/x"))  # one file name per partition, as dask
        3
        >>> pd.read_hdf(path, "/x").tolist()
        [1.5, 2.5, 3.5]
        """
        from gpuscale.dataframe.io.hdf import to_hdf

        return to_hdf(self, path, key, *args, **kwargs)


class SqlMethods:
    """Mixin of DataFrame and Series: ``to_sql``."""

    def to_sql(self, name: str, uri: str, *args: Any, **kwargs: Any) -> Any:
        """Write into a database table, partition after partition; see :func:`gpuscale.dataframe.to_sql`.

        Examples
        --------
        >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
        >>> uri = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "out.db")
        >>> s = gd.from_pandas(pd.Series([1.5, 2.5], name="x"), npartitions=2, backend="cpu")
        >>> s.to_sql("values", uri)
        >>> len(pd.read_sql_table("values", uri))
        2
        """
        from gpuscale.dataframe.io.sql import to_sql

        return to_sql(self, name, uri, *args, **kwargs)


class OrcMethods:
    """Mixin of DataFrame: ``to_orc``."""

    def to_orc(self, path: Any, *args: Any, **kwargs: Any) -> Any:
        """Write as ORC files, ``part.<i>.orc`` per partition in the folder ``path``; see
        :func:`gpuscale.dataframe.to_orc`.

        Examples
        --------
        >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
        >>> folder = os.path.join(tempfile.mkdtemp(), "orc")
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3]}), npartitions=3, backend="cpu")
        >>> df.to_orc(folder)
        >>> len(os.listdir(folder))
        3
        """
        from gpuscale.dataframe.io.orc import to_orc

        return to_orc(self, path, *args, **kwargs)


class SeriesCsvMethods:
    """Mixin of Series: ``to_csv``."""

    def to_csv(self, path: Any, **kwargs: Any) -> Any:
        """Write as CSV files (one per partition, or ``single_file=True``); see
        :func:`gpuscale.dataframe.to_csv`.

        Examples
        --------
        >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
        >>> path = os.path.join(tempfile.mkdtemp(), "x.csv")
        >>> s = gd.from_pandas(pd.Series([1, 2, 3], name="x"), npartitions=2, backend="cpu")
        >>> s.to_csv(path, single_file=True, index=False) == [path]  # the files written, as dask returns them
        True
        >>> open(path).read().split()
        ['x', '1', '2', '3']
        """
        from gpuscale.dataframe.io.write import to_csv

        return to_csv(self, path, **kwargs)


class RecordsMethods:
    """Mixin of DataFrame: ``to_records``."""

    def to_records(self, index: bool = True, lengths: Any = None) -> Any:
        """The rows as a 1-D gpuscale array of NumPy records, one block per partition.

        Parameters
        ----------
        index : bool, default True
            Put the index first, as ``pandas.DataFrame.to_records`` (dask always does).
        lengths : True or sequence of int, optional
            The rows of each partition: ``True`` computes them now; otherwise
            the block lengths are unknown (``nan``).

        Returns
        -------
        gpuscale.array.Array
            NumPy record blocks (also from cuDF partitions).

        Raises
        ------
        ValueError
            If ``lengths`` is not True, None, or one count per partition.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3]}), npartitions=2, backend="cpu")
        >>> r = df.to_records(lengths=True)
        >>> r.chunks, r.compute().tolist()
        (((2, 1),), [(0, 1), (1, 2), (2, 3)])
        """
        from gpuscale.dataframe.records import to_records

        return to_records(self, index, lengths)


class BagMethods:
    """Mixin of DataFrame and Series: ``to_bag``."""

    def to_bag(self, index: bool = False, format: str = "tuple") -> Any:
        """A ``dask.bag.Bag`` of the rows, one bag partition per partition, as dask's ``to_bag``.

        Parameters
        ----------
        index : bool, default False
            Include the index: first in each row tuple (a Series gives ``(label, value)`` pairs), or as
            the ``"index"`` key of each row dict.
        format : {"tuple", "dict", "frame"}
            Rows as tuples or as dicts of column -> value, or each partition whole (``"frame"``).

        Returns
        -------
        dask.bag.Bag

        Raises
        ------
        ValueError
            For another ``format``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": ["a", "b", "c"], "y": [1, 2, 3]}), npartitions=2, backend="cpu")
        >>> df.to_bag().compute()
        [('a', 1), ('b', 2), ('c', 3)]
        >>> df.y.to_bag(format="dict").compute()
        [{'y': 1}, {'y': 2}, {'y': 3}]
        """
        return to_bag(self, index, format)


def to_bag(df: Any, index: bool = False, format: str = "tuple") -> Any:
    """dask's ``dd.to_bag(df, index, format)``: see :meth:`BagMethods.to_bag`.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2]}), npartitions=1, backend="cpu")
    >>> gd.to_bag(df, index=True).compute()
    [(0, 1), (1, 2)]
    """
    import dask
    import dask.bag

    from gpuscale.backends.frame.records import partition_bag_items

    if format not in ("tuple", "dict", "frame"):
        raise ValueError(f"to_bag: format must be 'tuple', 'dict' or 'frame', got {format!r}")
    items = dask.delayed(partition_bag_items, pure=True)
    return dask.bag.from_delayed([items(part, bool(index), format) for part in df.to_delayed()])
