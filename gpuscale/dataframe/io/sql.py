"""``read_sql_table`` / ``read_sql_query`` / ``read_sql`` / ``to_sql`` (dask.dataframe's semantics, through
SQLAlchemy).  The database calls live in :mod:`gpuscale.backends.io.sql`."""

from __future__ import annotations

from typing import Any

from gpuscale import config
from gpuscale.backends.io import frame_to_backend
from gpuscale.backends.io import sql as bsql
from gpuscale.dataframe.io._common import partitions_read_by, resolve_backend
from gpuscale.dataframe.io.write import WriteExpr
from gpuscale.dataframe.scalar import Scalar

__all__ = ["read_sql_table", "read_sql_query", "read_sql", "to_sql", "WriteSQL"]


def read_sql_query(sql: Any, con: str, index_col: Any, divisions: Any = None, npartitions: int | None = None,
                   limits: Any = None, bytes_per_chunk: Any = "256 MiB", head_rows: int = 5, meta: Any = None,
                   engine_kwargs: dict | None = None, backend: str | None = None, **kwargs: Any) -> Any:
    """Read the rows of a SQL query into a lazy DataFrame, partitioned by ranges of ``index_col`` (as
    ``dask.dataframe.read_sql_query``).

    Parameters
    ----------
    sql : SQLAlchemy Selectable
        The query (``sqlalchemy.select(...)``; a text string is refused: each partition adds its range).
    con : str
        A SQLAlchemy URI (``"sqlite:///file.db"``, ``"postgresql://..."``); every partition connects itself.
    index_col : str or SQLAlchemy column
        The column that becomes the index and whose ranges make the partitions (an indexed column is best).
    divisions : sequence, optional
        The ranges' boundaries (any orderable values); else ``npartitions`` ranges spread evenly between the
        column's minimum and maximum (numbers and times), else as many as make partitions of about
        ``bytes_per_chunk``.
    npartitions : int, optional
    limits : (low, high), optional
        Use these instead of the column's minimum and maximum (``high`` included).
    bytes_per_chunk : str or int
        Target partition size when neither ``divisions`` nor ``npartitions`` is given.
    head_rows : int
        Rows read first to learn the dtypes and the size of a row (0: give ``meta`` and the partitioning).
    meta : DataFrame, optional
        The empty result; every partition is cast to its dtypes.
    engine_kwargs : dict, optional
        Passed to ``sqlalchemy.create_engine``.
    backend : {"pandas", "cudf", "cpu", "gpu", "auto"}, optional
        Partition library (cuDF partitions are read on the host and copied to the device).
    **kwargs
        Passed to ``pandas.read_sql`` (``parse_dates=`` ...).

    Returns
    -------
    DataFrame
        With known divisions.

    Examples
    --------
    >>> import os, tempfile, pandas as pd, sqlalchemy as sa, gpuscale.dataframe as gd
    >>> uri = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "shop.db")
    >>> _ = pd.DataFrame({"id": range(10), "price": [1.5] * 10}).to_sql("sales", uri, index=False)
    >>> query = sa.select(sa.column("id"), sa.column("price")).select_from(sa.table("sales"))
    >>> df = gd.read_sql_query(query, uri, index_col="id", npartitions=2, backend="cpu")
    >>> df.divisions, df.price.sum().compute().item()
    ((0, 4, 9), 15.0)
    """
    bsql.check_uri(con, "read_sql_query")
    library = resolve_backend(backend)
    spec, pieces, divisions, empty = bsql.plan_query(
        sql, con, index_col, divisions, npartitions, limits, config.parse_bytes(bytes_per_chunk), head_rows,
        meta, dict(engine_kwargs or {}), kwargs, library)
    if empty is not None:  # the query has no rows: one empty partition, as dask
        from gpuscale.dataframe.creation import from_pandas

        return from_pandas(frame_to_backend(empty, library), npartitions=1)
    return partitions_read_by(bsql.read_sql_partition, pieces, spec, spec.meta, library, "read-sql", divisions)


def read_sql_table(table_name: str, con: str, index_col: Any, divisions: Any = None, npartitions: int | None = None,
                   limits: Any = None, columns: Any = None, bytes_per_chunk: Any = "256 MiB", head_rows: int = 5,
                   schema: str | None = None, meta: Any = None, engine_kwargs: dict | None = None,
                   backend: str | None = None, **kwargs: Any) -> Any:
    """Read a database table into a lazy DataFrame, partitioned by ranges of ``index_col`` (as
    ``dask.dataframe.read_sql_table``).

    Parameters
    ----------
    table_name : str
        The table.
    con : str
        A SQLAlchemy URI; every partition connects itself.
    index_col : str or SQLAlchemy column
        The column that becomes the index and whose ranges make the partitions.
    columns : list of str or SQLAlchemy columns, optional
        Columns to read (all by default; the index column is read too).
    schema : str, optional
        The database schema holding the table.
    divisions, npartitions, limits, bytes_per_chunk, head_rows, meta, engine_kwargs, backend, **kwargs
        As :func:`read_sql_query`.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> uri = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "shop.db")
    >>> _ = pd.DataFrame({"id": range(6), "item": list("abcabc")}).to_sql("sales", uri, index=False)
    >>> df = gd.read_sql_table("sales", uri, index_col="id", npartitions=3, backend="cpu")
    >>> df.npartitions, df.item.compute().tolist()
    (3, ['a', 'b', 'c', 'a', 'b', 'c'])
    """
    if "table" in kwargs:  # dask's older names
        table_name = kwargs.pop("table")
    if "uri" in kwargs:
        con = kwargs.pop("uri")
    bsql.check_uri(con, "read_sql_table")
    query, index = bsql.table_query(table_name, con, index_col, columns, schema, dict(engine_kwargs or {}))
    return read_sql_query(query, con, index, divisions=divisions, npartitions=npartitions, limits=limits,
                          bytes_per_chunk=bytes_per_chunk, head_rows=head_rows, meta=meta,
                          engine_kwargs=engine_kwargs, backend=backend, **kwargs)


def read_sql(sql: Any, con: str, index_col: Any, **kwargs: Any) -> Any:
    """A table (``sql`` a name: :func:`read_sql_table`) or a query (a SQLAlchemy Selectable:
    :func:`read_sql_query`), as ``dask.dataframe.read_sql``.

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> uri = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "t.db")
    >>> _ = pd.DataFrame({"id": [1, 2, 3], "v": [10, 20, 30]}).to_sql("t", uri, index=False)
    >>> gd.read_sql("t", uri, index_col="id", backend="cpu").v.sum().compute().item()
    60
    """
    if isinstance(sql, str):
        return read_sql_table(sql, con, index_col, **kwargs)
    return read_sql_query(sql, con, index_col, **kwargs)


def to_sql(df: Any, name: str, uri: str, schema: str | None = None, if_exists: str = "fail", index: bool = True,
           index_label: Any = None, chunksize: int | None = None, dtype: Any = None, method: Any = None,
           compute: bool = True, parallel: bool = False, engine_kwargs: dict | None = None) -> Any:
    """Write a collection into a database table, partition after partition (as ``dask.dataframe.to_sql``).

    The table is made first from the metadata (``if_exists``: ``"fail"`` raises ``ValueError`` when it exists,
    ``"replace"`` drops it, ``"append"`` adds to it); then each partition's rows are appended with
    ``DataFrame.to_sql``, in order (``parallel=True``: at once, in any order).  A failure leaves the rows
    written so far, as with pandas and dask (databases commit each partition's insert).
    ``if_exists="replace"`` of a table the collection reads (``read_sql_table`` of the same table and database)
    is refused, since the drop would come before later partitions read it: ``persist()`` the collection first.

    Parameters
    ----------
    df : DataFrame or Series
    name : str
        The table.
    uri : str
        A SQLAlchemy URI.
    schema, if_exists, index, index_label, chunksize, dtype, method
        As ``pandas.DataFrame.to_sql``.
    compute : bool, default True
        Write now, or return a lazy Scalar whose ``compute()`` writes.
    parallel : bool, default False
        Write the partitions at once.
    engine_kwargs : dict, optional
        Passed to ``sqlalchemy.create_engine``.

    Returns
    -------
    None or Scalar
        With ``compute=False``, a lazy Scalar computing to the list of what each partition's write returned.

    Raises
    ------
    ValueError
        For ``if_exists="replace"`` of a table that ``df`` reads, naming it (before anything is dropped).

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> uri = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "out.db")
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3, 4]}), npartitions=2, backend="cpu")
    >>> df.to_sql("numbers", uri, index=False)
    >>> pd.read_sql("SELECT SUM(x) AS total FROM numbers", uri).total.item()
    10
    """
    if not isinstance(uri, str):
        raise ValueError(f"Expected URI to be a string, got {type(uri)}.")
    if if_exists not in ("fail", "replace", "append"):
        raise ValueError(f"to_sql: if_exists must be 'fail', 'replace' or 'append', got {if_exists!r}")
    if if_exists == "replace":
        _check_not_reading(df, name, uri, schema)
    options = {"schema": schema, "index": index, "index_label": index_label, "chunksize": chunksize,
               "dtype": dtype, "method": method}
    spec = bsql.SqlWriteSpec(name, uri, tuple(sorted(options.items())),
                             tuple(sorted((engine_kwargs or {}).items())))
    job = Scalar(WriteSQL(df.expr, spec, if_exists, bool(parallel)))
    if not compute:
        return job
    job.compute()
    return None


def _check_not_reading(df: Any, name: str, uri: str, schema: Any) -> None:
    """Refuse to replace a table the collection's partitions read (the drop comes first: rows would be lost)."""
    from gpuscale.dataframe.expr.sources import FromMap, FromMapColumns

    for node in df.expr.find_operations((FromMap, FromMapColumns)):
        specs = [a for a in (node.args[0] if node.args else ()) if isinstance(a, bsql.SqlReadSpec)]
        if any(bsql.reads_table(spec, name, uri, schema) for spec in specs):
            raise ValueError(
                f"to_sql: if_exists='replace' would drop table {name!r} of {bsql.shown_uri(uri)!r}, which this collection reads: "
                "the partitions not yet read would lose their rows. persist() the collection first (df = "
                "df.persist(): the rows are read before the table is replaced), or write another table")


class WriteSQL(WriteExpr):
    """A lazy scalar (None) whose tasks make the table, then append ``frame``'s partitions to it: in order (each
    after the one before), or with ``parallel`` all after the table is made."""

    _parameters = ["frame", "spec", "if_exists", "parallel"]

    def _layer(self) -> dict:
        frame, spec = self.frame, self.spec
        create = (f"{self._name}-create", 0)
        layer: dict = {create: (bsql.create_sql_table, frame._meta, spec, self.if_exists)}
        parts = [(f"{self._name}-part", i) for i in range(frame.npartitions)]
        for i, key in enumerate(parts):
            after = create if self.parallel or i == 0 else parts[i - 1]
            layer[key] = (bsql.write_sql_part, (frame._name, i), spec, after)
        layer[(self._name, 0)] = (_written, create, *parts)
        return layer

    def _tree_label(self) -> str:
        return f"WriteSQL: table {self.spec.name!r}"


def _written(_created: Any, *parts: Any) -> list:
    """What each partition's ``DataFrame.to_sql`` returned (the rows written, where the driver says), as dask's
    lazy ``to_sql`` computes to."""
    return list(parts)
