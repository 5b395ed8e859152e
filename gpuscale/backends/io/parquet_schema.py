"""One schema for the files of a parquet dataset: columns of every file, types widened where they hold the same
kind of values (``read_parquet(schema="infer")``)."""

from __future__ import annotations

from typing import Any

__all__ = ["dataset_schema", "unify_file_schemas"]


def dataset_schema(dataset: Any, policy: Any) -> Any:
    """The schema to read ``dataset`` with, hive partition columns last."""
    if isinstance(policy, str) and policy == "first":
        return dataset.schema  # pyarrow's discovery: the first file's schema
    fragments = list(dataset.get_fragments())
    if not fragments:
        return dataset.schema
    first = fragments[0].physical_schema
    partition_fields = [f for f in dataset.schema if f.name not in first.names]
    schema = unify_file_schemas(fragments) if isinstance(policy, str) else policy
    return _append_fields(schema, partition_fields)


def _append_fields(schema: Any, fields: list) -> Any:
    for field in fields:
        if field.name not in schema.names:
            schema = schema.append(field)
    return schema


def unify_file_schemas(fragments: list) -> Any:
    """One schema for the files of ``fragments``: every column of any file, in first-seen order.

    A column missing from some files is read there as nulls.  Types that
    differ between files are widened where Arrow can (int32 and int64 to
    int64, int64 and float64 to float64, string and large_string, timestamp
    units, null to anything); other differences are errors.

    Parameters
    ----------
    fragments : list of pyarrow.dataset.ParquetFileFragment
        One per file; their footers are read (and kept for planning).

    Returns
    -------
    pyarrow.Schema
        With the first file's schema metadata (the pandas metadata).

    Raises
    ------
    ValueError
        Naming the column, the two types and a file holding each.
    """
    import pyarrow as pa

    merged: dict[str, tuple[Any, str]] = {}  # column -> (field so far, a file that has its type)
    for fragment in fragments:
        fragment.ensure_complete_metadata()  # the footer, read once: the planner reuses it
        for field in fragment.physical_schema:
            merged[field.name] = _merge_field(merged.get(field.name), field, fragment.path)
    metadata = fragments[0].physical_schema.metadata if fragments else None
    return pa.schema([field for field, _ in merged.values()], metadata=metadata)


def _merge_field(known: tuple | None, field: Any, path: str) -> tuple[Any, str]:
    """``(field, file)`` of a column seen so far, merged with ``field`` as stored in ``path``."""
    field = field.with_nullable(True)  # files lacking the column give it nulls
    if known is None:
        return field, path
    current, origin = known
    if current.type == field.type:
        return known
    wider = _widened(current, field)
    if wider is None:
        raise ValueError(
            f"read_parquet: the files disagree on column {field.name!r}: it is {current.type} in {origin!r} "
            f"but {field.type} in {path!r}, which do not widen to one type. Pass schema= (a pyarrow.Schema) "
            "to read it as one type, or rewrite the files")
    return wider, origin if wider.type == current.type else path


def _widened(left: Any, right: Any) -> Any:
    """The field both Arrow fields widen to, or None if they hold different kinds of values."""
    import pyarrow as pa

    if not _widens(left.type, right.type):
        return None
    try:
        return pa.unify_schemas([pa.schema([left]), pa.schema([right])], promote_options="permissive")[0]
    except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _widens(left: Any, right: Any) -> bool:
    """True if the two Arrow types hold the same kind of values (numbers, text, times...).

    Arrow's permissive promotion also turns string and binary into binary, or
    any integers into decimals; only promotions within a kind keep pandas'
    dtype meaning, so only those are made.
    """
    import pyarrow as pa

    t = pa.types
    if t.is_null(left) or t.is_null(right):
        return True
    if t.is_timestamp(left) and t.is_timestamp(right):
        return left.tz == right.tz
    kinds = (
        lambda x: t.is_integer(x) or t.is_floating(x),
        lambda x: t.is_string(x) or t.is_large_string(x) or t.is_string_view(x),
        lambda x: t.is_binary(x) or t.is_large_binary(x) or t.is_binary_view(x),
        t.is_decimal, t.is_date, t.is_duration,
    )
    return any(kind(left) and kind(right) for kind in kinds)
