"""One Arrow schema for every file of a parquet write: the columns whose type the metadata cannot fix.

An ``object`` column has no Arrow type until its values are seen, so each
partition's file gets the type of its own values: int64 in one, double in
another; decimals of different scales; structs of different fields.  Readers
(pyarrow, pandas, dask, gpuscale) take one schema for the dataset and fail on
such files.  The write tasks return each file's types of those columns; the
commit task compares them (no file is read when they agree), widens the
types where Arrow can (``pa.unify_schemas(..., promote_options="permissive")``:
int64 -> double, decimal scales, struct fields, string -> binary; timestamps
of different zones take the first file's zone, as pyarrow does for one
column) and rewrites only the files that differ.  Types that nothing holds
both of (int64 and string) raise ``ValueError`` naming the column, the types
and the partitions; the write then leaves nothing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["written_file", "unify_written", "WRITTEN_BY_CUDF"]

WRITTEN_BY_CUDF = None  # a file's types when cuDF's writer wrote it (not known without reading it)


def written_file(number: int, name: str, schema: Any, columns: tuple) -> tuple:
    """What a write task returns for one file: its partition, its path in the write's folder and the Arrow
    types of ``columns`` in it (``schema`` None: cuDF wrote it, the types are unknown)."""
    if schema is None:
        return number, name, WRITTEN_BY_CUDF
    return number, name, tuple((c, schema.field(c).type) for c in columns if c in schema.names)


def unify_written(fs: Any, folder: str, written: list, options: dict, existing: Any = None) -> list[str]:
    """Give every file under ``folder`` one type per column of ``written`` (:func:`written_file` records),
    rewriting the files that differ; return their paths.

    ``existing`` is the schema of the dataset an append adds to: its types are kept (the new files are cast
    to them).  Nothing is read when the files agree.

    Raises
    ------
    ValueError
        Where two files' types of a column have no common type (or an appended file's type does not fit the
        dataset's): the column, both types and both files are named.
    """
    if not written or any(types is WRITTEN_BY_CUDF for _, _, types in written):
        return []
    targets = _target_types(written, existing)
    rewritten = []
    for number, name, types in written:
        changes = {c: targets[c] for c, t in types if c in targets and t != targets[c]}
        if changes:
            _rewrite(fs, f"{folder.rstrip('/')}/{name}", changes, options, number)
            rewritten.append(f"{folder.rstrip('/')}/{name}")
    return rewritten


def _target_types(written: list, existing: Any) -> dict:
    """Column -> the type every file should store it as, for the columns some file stores otherwise."""
    import pyarrow as pa

    targets = {}
    for column in dict(written[0][2]):
        seen: dict = {}  # type -> first (partition, file) storing it, in partition order
        for number, name, types in sorted(written, key=lambda w: (w[0], w[1])):
            kind = dict(types).get(column)
            if kind is not None and not pa.types.is_null(kind):
                seen.setdefault(kind, (number, name))
        before = _existing_type(existing, column)
        if before is not None:
            target = _fitting_existing(column, before, seen)
        elif not seen:
            continue  # null in every file: nothing to type it by
        else:
            target = _unified(column, list(seen.items()))
        if any(dict(types).get(column, target) != target for _, _, types in written):
            targets[column] = target
    return targets


def _existing_type(existing: Any, column: str) -> Any:
    import pyarrow as pa

    if existing is None or column not in existing.names:
        return None
    kind = existing.field(column).type
    return None if pa.types.is_null(kind) else kind


def _fitting_existing(column: str, before: Any, seen: dict) -> Any:
    """An appended column's type: the dataset's, which every new file's type must widen to."""
    for kind, (number, name) in seen.items():
        try:
            fits = _unified(column, [(before, None), (kind, (number, name))]) == before
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"to_parquet: Appended dtypes differ from the dataset's ({column}: {before} before, "
                             f"{kind} now in {name!r} of partition {number}); pass schema={{{column!r}: ...}} or "
                             "convert the column to the dataset's type") from None
    return before


def _unified(column: str, kinds: list) -> Any:
    """The one type holding every type of ``kinds`` ((type, (partition, file)) pairs, the first first)."""
    import pyarrow as pa

    zone = next((k.tz for k, _ in kinds if pa.types.is_timestamp(k) and k.tz is not None), None)
    common, first = _in_zone(kinds[0][0], zone), kinds[0]
    for kind, where in kinds[1:]:
        try:
            common = pa.unify_schemas([pa.schema([(column, common)]), pa.schema([(column, _in_zone(kind, zone))])],
                                      promote_options="permissive").field(column).type
        except (pa.ArrowException, NotImplementedError):
            raise ValueError(
                f"to_parquet: the partitions' values of column {column!r} have no common Arrow type: "
                f"{first[0]} in {_where(first[1])} but {kind} in {_where(where)}. Pass schema={{{column!r}: "
                "<pyarrow type>}} to to_parquet, or convert the column (astype) first") from None
    return common


def _in_zone(kind: Any, zone: str | None) -> Any:
    """A zoned timestamp type in ``zone`` (the instants are UTC either way: a change of zone loses nothing)."""
    import pyarrow as pa

    if zone is None or not pa.types.is_timestamp(kind) or kind.tz is None:
        return kind
    return pa.timestamp(kind.unit, tz=zone)


def _where(where: Any) -> str:
    return "the existing dataset" if where is None else f"{where[1]!r} (partition {where[0]})"


def _rewrite(fs: Any, path: str, changes: dict, options: dict, number: int) -> None:
    """Rewrite one file with ``changes`` (column -> type) applied."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with fs.open(path, "rb") as handle:
        table = pq.ParquetFile(handle).read()
    schema = table.schema
    for column, kind in changes.items():
        position = schema.get_field_index(column)
        schema = schema.set(position, schema.field(position).with_type(kind))
    try:
        table = table.cast(schema)
    except (pa.ArrowException, NotImplementedError) as error:
        shown = ", ".join(f"{c}: {table.schema.field(c).type} -> {k}" for c, k in changes.items())
        raise ValueError(f"to_parquet: cannot give partition {number}'s file {path!r} the dataset's types "
                         f"({shown}): {error}. Pass schema= to to_parquet to choose the types") from None
    with fs.open(path, "wb") as handle:
        pq.write_table(table, handle, **options)
