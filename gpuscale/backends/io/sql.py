"""SQL reads and writes of dataframe partitions (``read_sql_table`` / ``read_sql_query`` / ``to_sql``) through
SQLAlchemy and pandas, as dask.dataframe does them.

Reading: the rows of a query are split by ranges of an index column (``divisions``: given, or spread evenly
between the column's minimum and maximum for numbers and times); each partition runs the query with its range
(``lower <= index < upper``, the last range closed) through ``pandas.read_sql`` on its own engine.  cuDF
partitions are read on the host and copied to the device.  Writing: ``DataFrame.to_sql`` of each partition
(on the host) into a table made first from the metadata.  SQLAlchemy is imported only when these run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.io.frames import frame_to_backend
from gpuscale.backends.io.write import in_library

__all__ = ["SqlNullError", "SqlPiece", "SqlReadSpec", "plan_query", "table_query", "read_sql_partition", "create_sql_table",
           "write_sql_part", "check_uri", "reads_table", "shown_uri"]


class SqlNullError(ValueError):
    """A partition has NULLs in a column whose metadata dtype holds no missing value (bool, int: learnt from
    the first rows); the message names the column and the ``dtype=`` / ``meta=`` that keeps them missing."""


def _sa() -> Any:
    try:
        import sqlalchemy
    except ImportError as error:
        raise ImportError("reading and writing SQL needs SQLAlchemy: pip install sqlalchemy") from error
    return sqlalchemy


def check_uri(con: Any, who: str) -> None:
    """Refuse what is not a database URI string (partitions open their own engines from it, in any process)."""
    if not isinstance(con, str):
        raise TypeError(f"{who}: `con` must be a SQLAlchemy URI string (such as 'sqlite:///file.db'), not "
                        f"{type(con).__name__}: every partition opens its own connection from it")


@dataclass(frozen=True)
class SqlPiece:
    """One partition: the index range ``[lower, upper)`` (``upper`` included in the last one)."""

    lower: Any
    upper: Any
    last: bool


@dataclass(frozen=True)
class SqlReadSpec:
    """What every partition of one read shares."""

    query: Any  # a SQLAlchemy Selectable
    uri: str
    index: Any  # the SQLAlchemy column the ranges select on
    meta: Any  # the empty pandas frame every partition is cast to
    backend: str
    options: tuple = ()  # sorted (name, value) pairs for pandas.read_sql
    engine_options: tuple = ()

    def __gpuscale_tokenize__(self) -> str:
        return repr((str(self.query), self.uri, str(self.index), self.options, self.engine_options, self.backend,
                     list(self.meta.columns), [str(t) for t in self.meta.dtypes]))


def _engine(uri: str, engine_options: tuple) -> Any:
    return _sa().create_engine(uri, **dict(engine_options))


def table_query(table_name: Any, uri: str, index_col: Any, columns: Any, schema: Any,
                engine_options: dict) -> tuple[Any, Any]:
    """``SELECT columns (and the index column) FROM table_name`` and the index column, the table's columns
    read from the database."""
    sa = _sa()
    if not isinstance(table_name, str):
        raise TypeError(f"read_sql_table: `table_name` must be a str, not {type(table_name).__name__}")
    for column in columns or ():
        if not isinstance(column, (str, sa.sql.elements.ColumnClause)):  # (sa.Column is a ColumnClause)
            raise TypeError(f"read_sql_table: `columns` holds column names or SQLAlchemy columns "
                            f"(sa.Column, sa.column), not {type(column).__name__}")
    engine = _engine(uri, tuple(sorted(engine_options.items())))
    try:
        table = sa.Table(table_name, sa.MetaData(), autoload_with=engine, schema=schema)
    finally:
        engine.dispose()
    known = table.columns

    def column(c: Any) -> Any:
        if not isinstance(c, str):  # a column construct: its type, or the table's for sa.column("b") (none)
            untyped = isinstance(c.type, sa.types.NullType) and c.name in known
            return sa.Column(c.name, known[c.name].type if untyped else c.type)
        if c not in known:
            raise ValueError(f"read_sql_table: table {table_name!r} has no column {c!r}; columns: "
                             f"{[k.name for k in known]}")
        return sa.Column(c, known[c].type)

    selected = [column(c) for c in columns] if columns else [sa.Column(c.name, c.type) for c in known]
    index = column(index_col)
    if index.name not in [c.name for c in selected]:
        selected.append(index)
    return sa.sql.select(*selected).select_from(table), index


def plan_query(query: Any, uri: str, index_col: Any, divisions: Any, npartitions: Any, limits: Any,
               bytes_per_chunk: int, head_rows: int, meta: Any, engine_options: dict, options: dict,
               backend: str) -> tuple[SqlReadSpec, list[SqlPiece], list, Any]:
    """The partitions of a query: ``(spec, pieces, divisions, empty_result)``; ``empty_result`` is the head of
    a query without rows (then one partition holding it), else None."""
    index = _check_query(query, index_col, divisions, npartitions, head_rows, meta)
    options = {**options, "index_col": index.name}
    engine_key = tuple(sorted(engine_options.items()))
    engine = _engine(uri, engine_key)
    try:
        bytes_per_row = None
        if head_rows > 0:
            head = pd.read_sql(query.limit(head_rows), engine, **options)
            if len(head) == 0:
                return None, [], [None, None], head
            bytes_per_row = head.memory_usage(deep=True, index=True).sum() / len(head)
            meta = head.iloc[:0] if meta is None else meta
        if divisions is None:
            divisions = _even_divisions(query, engine, index, npartitions, limits, bytes_per_row, bytes_per_chunk)
    finally:
        engine.dispose()
    divisions = list(divisions)
    pieces = [SqlPiece(lo, hi, i == len(divisions) - 2) for i, (lo, hi) in
              enumerate(zip(divisions[:-1], divisions[1:]))]
    meta = getattr(meta, "_meta", meta)
    spec = SqlReadSpec(query, uri, index, meta, backend, tuple(sorted(options.items())), engine_key)
    return spec, pieces, divisions, None


def _check_query(query: Any, index_col: Any, divisions: Any, npartitions: Any, head_rows: int, meta: Any) -> Any:
    """Refuse arguments that cannot plan a read (naming them); return the index column as a SQLAlchemy column."""
    sa = _sa()
    if isinstance(query, str):
        raise ValueError("read_sql_query: `sql` must be a SQLAlchemy Selectable (sqlalchemy.select(...)), not a "
                         "string: gpuscale adds each partition's range of the index column to it")
    if index_col is None:
        raise ValueError("read_sql_query: give index_col, the column the partitions are ranges of")
    if not isinstance(index_col, (str, sa.Column, sa.sql.elements.ColumnClause)):
        raise ValueError(f"read_sql_query: `index_col` must be a column name or SQLAlchemy column, not "
                         f"{type(index_col).__name__}")
    if head_rows <= 0:
        if meta is None:
            raise ValueError("read_sql_query: give meta= when head_rows=0 (no rows are read to learn the dtypes)")
        if divisions is None and npartitions is None:
            raise ValueError("read_sql_query: give divisions= or npartitions= when head_rows=0")
    if divisions is not None and npartitions is not None:
        raise TypeError("read_sql_query: give either 'divisions' or 'npartitions', not both")
    return sa.Column(index_col) if isinstance(index_col, str) else sa.Column(index_col.name, index_col.type)


def _even_divisions(query: Any, engine: Any, index: Any, npartitions: Any, limits: Any, bytes_per_row: Any,
                    bytes_per_chunk: int) -> list:
    """Boundaries spread evenly between the index column's minimum and maximum (or ``limits``), as dask's."""
    sa = _sa()
    if limits is None:
        bounds = pd.read_sql(sa.sql.select(sa.sql.func.max(index), sa.sql.func.min(index))
                             .select_from(query.subquery()), engine)
        high, low = bounds.iloc[0]
        dtype = bounds.dtypes.iloc[0]
    else:
        low, high = limits
        dtype = pd.Series(limits).dtype
    if npartitions is None:
        count = pd.read_sql(sa.sql.select(sa.sql.func.count(index)).select_from(query.subquery()), engine)
        npartitions = int(round(int(count.iloc[0, 0]) * bytes_per_row / bytes_per_chunk)) or 1
    if dtype.kind == "M":
        step = (high - low).total_seconds() / npartitions
        divisions = pd.date_range(start=low, end=high, freq=f"{int(step)}s").tolist()
        divisions[0], divisions[-1] = low, high
        return divisions
    if dtype.kind in "iuf":
        return np.linspace(low, high, npartitions + 1, dtype=dtype).tolist()
    raise TypeError(f'Provided index column is of type "{dtype}".  If divisions is not provided the index column '
                    "type must be numeric or datetime.")


def read_sql_partition(piece: SqlPiece, spec: SqlReadSpec, columns: Any = None) -> Any:
    """Run the query for one range of the index column (``columns``: selecting only these, the ones the
    computation needs), cast to the metadata's dtypes."""
    sa = _sa()
    index = spec.index
    upper = index <= piece.upper if piece.last else index < piece.upper
    query, meta = spec.query, spec.meta
    if columns is not None and list(columns) != list(meta.columns):
        keep = set(columns) | {index.name}
        query = query.with_only_columns(*[c for c in query.selected_columns if c.name in keep])
        meta = meta[list(columns)]
    query = query.where(sa.sql.and_(index >= piece.lower, upper))
    engine = _engine(spec.uri, spec.engine_options)
    try:
        frame = pd.read_sql(query, engine, **dict(spec.options))
    finally:
        engine.dispose()
    if len(frame) == 0:
        frame = meta.copy()
    elif len(meta.columns):  # the dtypes of the metadata (meta= or the head's), as dask coerces them
        _check_nulls(frame, meta, piece)
        frame = frame[list(meta.columns)].astype(meta.dtypes.to_dict())
    return frame_to_backend(frame, spec.backend)




def _check_nulls(frame: Any, meta: Any, piece: SqlPiece) -> None:
    """Refuse NULLs under a NumPy bool or int dtype of the metadata: the cast would make them values (None ->
    False) or fail without naming the column.

    Raises
    ------
    SqlNullError
        Naming the columns, the partition's range and the ``dtype=`` that keeps the NULLs missing.
    """
    bad = {}
    for column, dtype in meta.dtypes.items():
        if isinstance(dtype, np.dtype) and dtype.kind in "biu" and bool(frame[column].isna().any()):
            bad[column] = dtype
    if not bad:
        return
    fix = ", ".join(f"{c!r}: {_nullable_name(d)!r}" for c, d in bad.items())
    found = ", ".join(f"column {c!r} ({d})" for c, d in bad.items())
    raise SqlNullError(
        f"read_sql: the rows with index in [{piece.lower!r}, {piece.upper!r}{']' if piece.last else ')'} have NULLs "
        f"in {found}, whose dtype in the metadata (meta=, or learnt from the first head_rows rows) holds no missing "
        f"value. Pass dtype={{{fix}}} (or meta= with those dtypes, or object) to keep them missing")


def _nullable_name(dtype: Any) -> str:
    """pandas' nullable dtype of a NumPy bool or int dtype: ``"boolean"``, ``"Int64"``, ``"UInt8"`` ..."""
    if dtype.kind == "b":
        return "boolean"
    return dtype.name.capitalize() if dtype.kind == "i" else "UInt" + dtype.name[4:]


def reads_table(spec: SqlReadSpec, name: str, uri: str, schema: Any) -> bool:
    """Whether the read of ``spec`` selects from table ``name`` (of ``schema``) in the database of ``uri``: a
    ``to_sql(if_exists="replace")`` there would drop it before later partitions read it.  Names compare as
    SQL's unquoted ones (ignoring case); an unnamed schema matches any."""
    if _database(spec.uri) != _database(uri):
        return False
    for table in _sa().sql.util.find_tables(spec.query, include_aliases=True, include_joins=True):
        same_schema = table.schema is None or schema is None or table.schema == schema
        if getattr(table, "name", "").lower() == name.lower() and same_schema:
            return True
    return False


def shown_uri(uri: str) -> str:
    """The URI for messages, its password hidden."""
    return _sa().engine.make_url(uri).render_as_string(hide_password=True)


def _database(uri: str) -> tuple:
    """The database a URI names: its URL (a file database's path made absolute and normalised)."""
    import os

    url = _sa().engine.make_url(uri)
    database = url.database
    if url.get_backend_name() == "sqlite" and database and database != ":memory:" \
            and not database.startswith("file:"):
        database = os.path.realpath(database)
    return (url.get_backend_name(), url.host, url.port, database)


# -- writing ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SqlWriteSpec:
    """``DataFrame.to_sql`` options shared by the partitions of one ``to_sql``."""

    name: str
    uri: str
    options: tuple  # sorted (name, value) pairs: schema, index, index_label, chunksize, dtype, method
    engine_options: tuple = ()

    def __gpuscale_tokenize__(self) -> str:
        return repr((self.name, self.uri, repr(self.options), self.engine_options))


def create_sql_table(meta: Any, spec: SqlWriteSpec, if_exists: str) -> None:
    """Make the (empty) table from the collection's metadata, as ``if_exists`` says (``"fail"`` raises
    ``ValueError`` when it exists)."""
    _write(meta, spec, if_exists)


def write_sql_part(frame: Any, spec: SqlWriteSpec, *after: Any) -> Any:
    """Append one partition's rows (``after``: the tasks that must have run first); returns what
    ``DataFrame.to_sql`` returns (the rows written, where the driver says)."""
    return _write(frame, spec, "append")


def _write(frame: Any, spec: SqlWriteSpec, if_exists: str) -> Any:
    frame = in_library(frame, "pandas")
    engine = _engine(spec.uri, spec.engine_options)
    try:
        return frame.to_sql(name=spec.name, con=engine, if_exists=if_exists, **dict(spec.options))
    finally:
        engine.dispose()
