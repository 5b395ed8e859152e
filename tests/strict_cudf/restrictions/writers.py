"""Writers: the keywords and options cuDF's ``to_parquet``/``to_csv``/``to_records`` take."""

from __future__ import annotations

from typing import Any

import pytest

from .base import Restriction


def _parquet_keywords(cudf: Any) -> set:
    import inspect

    return {p.name for p in inspect.signature(cudf.DataFrame.to_parquet).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


PARQUET_KEYWORDS: set = set()  # filled from the spec when the stand-in loads


def _unknown_parquet_keyword(args: tuple, kwargs: dict) -> str | None:
    unknown = sorted(set(kwargs) - PARQUET_KEYWORDS)
    return f"cudf engine doesn't support the following keyword arguments: {unknown}" if unknown else None


def _verify_to_parquet(cudf: Any, tmp: str = "/nonexistent/x.parquet") -> None:
    with pytest.raises(ValueError, match="row_group_size"):
        cudf.DataFrame().to_parquet(tmp, row_group_size=5)
    assert "row_group_size_rows" in _parquet_keywords(cudf)


def _csv_text_options(args: tuple, kwargs: dict) -> str | None:
    encoding = kwargs.get("encoding")
    if encoding not in (None, "utf-8"):
        return f"Encoding {encoding} is not supported. Currently, only utf-8 encoding is supported."
    if kwargs.get("quoting") not in (None, 0, 3):  # csv.QUOTE_MINIMAL, csv.QUOTE_NONE
        return f"quoting={kwargs['quoting']} is not supported."
    if not isinstance(kwargs.get("header", True), bool):  # pandas' column aliases: cuDF writes its own labels
        return f"header={kwargs['header']!r}: cuDF's writer takes header=True/False only"
    return None


def _verify_to_csv(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="utf-8"):
        cudf.DataFrame().to_csv(encoding="utf-16")
    with pytest.raises(NotImplementedError, match="quoting"):
        cudf.DataFrame().to_csv(quoting=1)  # csv.QUOTE_ALL
    # header= is a flag (running the writer needs a GPU: read from the source): the names written are the
    # frame's own labels, whatever header holds
    import inspect

    from cudf.io import csv as cudf_csv

    assert inspect.signature(cudf_csv.to_csv).parameters["header"].annotation in (bool, "bool")
    writer = inspect.getsource(cudf_csv._plc_write_csv)
    assert "table._column_names" in writer and ".include_header(header)" in writer


def _records_index_name(obj: Any, args: tuple, kwargs: dict) -> str | None:
    # not refused but different: cuDF's record field of the index is always "index" (pandas: its name)
    if not kwargs.get("index", args[0] if args else True) or obj is None:
        return None
    if obj.index.nlevels > 1 or obj.index.name not in (None, "index"):
        return f"cuDF names the index field 'index', not {list(obj.index.names)}"
    return None


def _verify_to_records(cudf: Any) -> None:
    named = cudf.DataFrame(index=cudf.RangeIndex(0, name="i"))  # no rows, no columns: no GPU needed
    assert named.to_records().dtype.names == ("index",)


RESTRICTIONS = [
    Restriction(("DataFrame",), "to_records", _records_index_name, _verify_to_records, needs_data=True),
    Restriction(("DataFrame",), "to_csv", _csv_text_options, _verify_to_csv),
    Restriction(("DataFrame",), "to_parquet", _unknown_parquet_keyword, _verify_to_parquet),
]
