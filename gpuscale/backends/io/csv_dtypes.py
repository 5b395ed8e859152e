"""A CSV block's columns given the collection's dtypes (the first block's), or an error naming the column,
the file and the line that breaks them; the reader options that keep a block's text and dates as sampled."""

from __future__ import annotations

import io
from typing import Any

from gpuscale.backends.io.csv_blocks import CsvBlock, CsvDtypeError, CsvSource, file_line, first_line, pandas_reader
from gpuscale.backends.io.frames import unknown_columns_error

__all__ = ["enforce_dtypes", "enforce_index", "dtype_error", "options_as_sampled", "empty_block", "index_levels",
           "is_datetime"]


def index_levels(index: Any) -> list:
    """``(name, dtype)`` of each level of an index."""
    if getattr(index, "nlevels", 1) > 1:
        return list(zip(index.names, index.dtypes))
    return [(index.name, index.dtype)]


def options_as_sampled(options: dict, meta: Any, parsed_objects: tuple = ()) -> dict:
    """A block's reader options that read its columns as the sample read them: text stays text, dates the
    sample kept as text are not parsed (see the two helpers below)."""
    return _dates_as_sampled(_text_stays_text(options, meta, parsed_objects), meta)


def _dates_as_sampled(options: dict, meta: Any) -> dict:
    """The reader options with ``parse_dates`` left out for the columns (and index levels) the sample kept as
    text: pandas' format, guessed from the first value, did not parse them, and pandas reading the whole file
    keeps their text (a block parsing them would give dates cast back to rewritten text)."""
    asked = options.get("parse_dates")
    if asked is True:
        dated = [name for name, dtype in index_levels(meta.index) if name is not None and is_datetime(dtype)]
        return {**options, "parse_dates": dated or False}
    if not isinstance(asked, (list, tuple)):
        return options
    text = {c for c, d in meta.dtypes.items() if _holds_text(d)}
    text |= {name for name, dtype in index_levels(meta.index) if name is not None and _holds_text(dtype)}
    kept = [c for c in asked if not (isinstance(c, str) and c in text)]
    return options if len(kept) == len(asked) else {**options, "parse_dates": kept}


def is_datetime(dtype: Any) -> bool:
    return getattr(dtype, "kind", None) == "M"


def _text_stays_text(options: dict, meta: Any, parsed_objects: tuple = ()) -> dict:
    """The reader options with the meta's text columns read as text: a block whose values of such a column all
    look like numbers or booleans would be parsed as those, and ``"007"`` cast back to text as ``"7.0"`` (pandas
    reads the whole column as the text it is).  A ``dtype=`` or converter the user gave wins, and the
    ``parsed_objects`` (object columns of True/False and missing values, pyarrow's engine's dates) are parsed by
    pandas as the sample parsed them."""
    given, converters = options.get("dtype"), options.get("converters") or {}
    if given is not None and not isinstance(given, dict):
        return options
    text = {c: d for c, d in meta.dtypes.items() if _holds_text(d) and c not in converters and c not in parsed_objects}
    if not text:
        return options
    return {**options, "dtype": {**text, **(given or {})}}


def _holds_text(dtype: Any) -> bool:
    return str(dtype) in ("object", "str", "string") or str(dtype).startswith("string[")


def empty_block(meta: Any) -> Any:
    """A block without rows: the meta, but its columns of unknown categories have none (the meta's
    placeholder category would join the others when the blocks are concatenated)."""
    empty = meta.copy()
    for column, dtype in meta.dtypes.items():
        if _unknown_categories(dtype):
            empty[column] = empty[column].cat.set_categories([])
    return empty


# -- dtype failures --------------------------------------------------------------------
def dtype_error(source: CsvSource, block: CsvBlock, data: bytes, exc: Exception) -> Exception:
    """Find which column and line broke a ``dtype=`` conversion (only on the error path)."""
    options = source.options
    requested = options.get("dtype")
    if not isinstance(requested, dict):
        return CsvDtypeError(f"cannot read {block.path!r} with dtype={requested!r}: {exc}")
    loose = {**options, "dtype": str}
    frame = pandas_reader(source)(io.BytesIO(data), **loose)
    for column, dtype in requested.items():
        if column in frame.columns:
            row = _first_bad_row(frame[column], dtype)
            if row is not None:
                return _column_error(source, block, column, dtype, frame[column].iloc[row], row)
    return CsvDtypeError(f"cannot read {block.path!r} with dtype={requested!r}: {exc}")


def _first_bad_row(values: Any, dtype: Any) -> int | None:
    for position, value in enumerate(values):
        if value is None or value != value:  # missing values are the dtype's business, not the text's
            continue
        try:
            values.iloc[position:position + 1].astype(dtype)
        except (ValueError, TypeError, OverflowError):
            return position
    return None


def _column_error(source: CsvSource, block: CsvBlock, column: str, dtype: Any, value: Any, row: int) -> Exception:
    header = 1 if source.has_header else 0
    line = file_line(source, block, row + 1 + header)
    return CsvDtypeError(
        f"cannot convert column {column!r} of {block.path!r} to {dtype}: value {value!r} at line {line}"
    )


def enforce_dtypes(frame: Any, dtypes: dict, source: CsvSource, block: CsvBlock) -> Any:
    """Make a block's dtypes those of the first block (the collection's meta), or say which column differs."""
    if source.extras.enforce and list(frame.columns) != list(dtypes):
        raise ValueError(f"read_csv(enforce=True): the columns of a block of {block.path!r} "
                         f"{list(frame.columns)} differ from the first block's {list(dtypes)}")
    unknown_columns_error(dtypes, frame.columns, f"block of {block.path!r} misses column(s) of the first block;")
    changed = {c: d for c, d in dtypes.items() if frame[c].dtype != d}
    changed = {c: ("category" if _unknown_categories(d) else d) for c, d in changed.items()
               if not (_unknown_categories(d) and str(frame[c].dtype) == "category")}
    for column, dtype in changed.items():
        _check_dates_parsed(frame[column], dtype, column, source, block)
    lossy = sorted((c for c, d in changed.items() if _lossy_float_to_int(frame[c].dtype, d)), key=str)
    if lossy:  # every such column at once, so one dtype= fixes them all
        found = ", ".join(f"{c!r} ({frame[c].dtype}, the sample gave {changed[c]})" for c in lossy)
        fix = ", ".join(f"{c!r}: 'float64'" for c in lossy)
        raise CsvDtypeError(
            f"column{'s' if len(lossy) > 1 else ''} {found} of {block.path!r} (block starting at line "
            f"{first_line(source, block)}) ha{'ve' if len(lossy) > 1 else 's'} missing or fractional values. "
            f"Pass dtype={{{fix}}} or assume_missing=True to read_csv"
        )
    for column, dtype in changed.items():
        try:
            frame[column] = _cast(frame[column], dtype, source)
        except (ValueError, TypeError) as exc:
            raise CsvDtypeError(
                f"column {column!r} of {block.path!r} (block starting at line {first_line(source, block)}) "
                f"has dtype {frame[column].dtype} but the first block gave {dtype}: {exc}. "
                f"Pass dtype={{{column!r}: ...}} to read_csv"
            ) from exc
    return frame


def _cast(values: Any, dtype: Any, source: CsvSource) -> Any:
    """``values.astype(dtype)``; pyarrow's engine reads a block's column of nulls only as numbers (float NaN,
    or ``<NA>`` with a nullable dtype_backend), where the whole column read as objects holds None (as pandas
    gives it)."""
    if source.options.get("engine") == "pyarrow" and str(dtype) == "object" and str(values.dtype) != "object" \
            and not values.notna().any():
        return values.astype(object).where(values.notna(), None)
    return values.astype(dtype)


def enforce_index(frame: Any, index: Any, source: CsvSource, block: CsvBlock) -> Any:
    """Give a block's index (``index_col``) the meta's level dtypes: a block whose text level is all missing
    reads it as floats, which made the concatenated level objects."""
    import pandas as pd

    wanted, found = index_levels(index), index_levels(frame.index)
    if [n for n, _ in wanted] != [n for n, _ in found] or all(w == f for (_, w), (_, f) in zip(wanted, found)):
        return frame
    levels = []
    for position, (name, dtype) in enumerate(wanted):
        values = frame.index.get_level_values(position)
        _check_dates_parsed(values, dtype, name, source, block)
        levels.append(values if values.dtype == dtype else values.astype(dtype))
    frame.index = pd.MultiIndex.from_arrays(levels, names=index.names) if len(levels) > 1 else levels[0]
    return frame


def _check_dates_parsed(values: Any, dtype: Any, column: Any, source: CsvSource, block: CsvBlock) -> None:
    """Raise if a date column (the meta's) came out of a block as text: its values do not parse with the
    format the sample's first value gave, which pandas reading the whole file would have kept as text."""
    if not is_datetime(dtype) or not (_holds_text(values.dtype) and values.notna().any()):
        return
    fmt = dict(source.date_formats).get(column)
    value = next(iter(values[values.notna()]))
    raise CsvDtypeError(
        f"column {column!r} of {block.path!r} (block starting at line {first_line(source, block)}) does not "
        f"parse as dates with the format {fmt!r} guessed from the first value of the file (value {value!r}). "
        f"Pass date_format= (e.g. date_format={{{column!r}: ...}}) to read_csv, or blocksize=None (the "
        f"whole file as pandas reads it)"
    )


def _unknown_categories(dtype: Any) -> bool:
    # read as "category": each block keeps the categories it has (the meta lists none)
    from gpuscale.backends.frame.categorical import UNKNOWN_CATEGORIES, host_dtype, is_categorical

    return is_categorical(dtype) and UNKNOWN_CATEGORIES in host_dtype(dtype).categories


def _lossy_float_to_int(found: Any, wanted: Any) -> bool:
    # astype would drop the fractions (and cannot hold NaN): the sample's guess was wrong, not the data
    import numpy as np

    return getattr(found, "kind", None) == "f" and isinstance(wanted, np.dtype) and wanted.kind in "iu"
