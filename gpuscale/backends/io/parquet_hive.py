"""Hive partitions of a parquet dataset: ``key=value`` folders, the missing-value folder, pyarrow's
partitioning objects."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

__all__ = ["HIVE_NULL", "is_arrow_partitioning", "discovered_partitioning", "hive_dictionary"]

HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # a missing hive key's folder value (pyarrow's, Hive's, Spark's)


def is_arrow_partitioning(value: Any) -> bool:
    """A pyarrow ``Partitioning`` (``HivePartitioning(schema)``) or ``PartitioningFactory`` object."""
    import pyarrow.dataset as ds

    return isinstance(value, (ds.Partitioning, ds.PartitioningFactory))


def discovered_partitioning(files: list[str], filesystem: Any, base: str | None) -> Any:
    """Hive keys as categoricals of every value found, as ``pandas.read_parquet``; a missing key's
    ``__HIVE_DEFAULT_PARTITION__`` folder is read as a missing value (Arrow's discovery refuses a null
    among the categories, so the categories are found here, typed as Arrow types them, and given); a key
    missing everywhere is read as text (nothing types it; ``pandas.read_parquet`` raises)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    discovery = ds.HivePartitioning.discover(infer_dictionary=True)
    if not any(f"={HIVE_NULL}" in f for f in files):
        return discovery
    found: dict[str, dict] = {}  # key -> its values, in order of first appearance
    for path in files:
        relative = path[len(base):] if base and path.startswith(base) else path
        for segment in relative.strip("/").split("/")[:-1]:
            key, is_pair, value = segment.partition("=")
            if is_pair:
                values = found.setdefault(key, {})
                if value != HIVE_NULL:
                    values[unquote(value)] = None
    # a key with only missing values has nothing to type it by: read as strings, all missing (Arrow's discovery
    # refuses it, and an empty dictionary would make the missing value a category)
    dictionaries = {key: hive_dictionary(list(values)) for key, values in found.items() if values}
    fields = [pa.field(key, pa.dictionary(pa.int32(), dictionaries[key].type) if key in dictionaries else pa.string())
              for key in found]
    return ds.HivePartitioning(pa.schema(fields), dictionaries=dictionaries)


def hive_dictionary(values: list[str]) -> Any:
    """A hive key's values as Arrow's discovery types them: int32 when all are integers, else strings."""
    import pyarrow as pa

    try:
        return pa.array(values).cast(pa.int32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array(values, type=pa.string())
