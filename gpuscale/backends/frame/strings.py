"""``.str`` methods of partitions that need more than a call of the library's accessor: concatenating
all values (``str.cat()``), concatenating aligned columns, the metadata of ``split(expand=True)``, a partition
of only missing objects, and an Index's accessor results (samples, arrays)."""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import (
    from_library, is_dataframe_like, is_frame_like, is_index_like, library_of, make_meta, meta_nonempty,
)
from gpuscale.backends.frame.ops import call_accessor

__all__ = ["str_cat_chunk", "str_cat_join", "str_cat_final", "str_cat_columns", "index_str_cat_meta", "str_split_meta",
           "str_split_expand", "str_tokens", "str_dummies", "call_str_accessor", "index_extractall",
           "index_accessor_sample", "accessor_block"]

# ``.str`` methods giving counts: of a partition of only missing objects pandas gives objects, of a Series with
# some strings float64 (NaN for the missing ones)
_COUNTS = frozenset({"len", "count", "find", "rfind", "index", "rindex"})
# ``.str`` methods giving objects (lists, bytes) of a Series with some strings, float64 of no string ("str" dtype)
_OBJECTS = frozenset({"split", "rsplit", "findall", "encode"})


def str_cat_chunk(part: Any, sep: Any = None, na_rep: Any = None) -> Any:
    """The values of one partition joined into one string, or None when there is nothing to join (no
    rows, or only missing ones without ``na_rep``): such partitions add no separator."""
    if len(part) == 0 or (na_rep is None and int(part.isna().sum()) == len(part)):
        return None
    return part.str.cat(sep=sep, na_rep=na_rep)


def str_cat_join(parts: list, sep: Any = None, na_rep: Any = None) -> Any:
    """Joined strings of several partitions joined again (tree step of ``str.cat()``); None kept for none."""
    strings = [p for p in parts if p is not None]
    return (sep or "").join(strings) if strings else None


def str_cat_final(parts: list, sep: Any = None, na_rep: Any = None) -> str:
    """The last step of ``str.cat()``: the joined string ("" when there was nothing to join, as pandas)."""
    joined = str_cat_join(parts, sep)
    return "" if joined is None else joined


def str_cat_columns(part: Any, *others: Any, sep: Any = None, na_rep: Any = None, positional: tuple = ()) -> Any:
    """``part.str.cat(others)``: the aligned partitions of ``others`` (or whole pandas objects, moved to
    the partition's library) joined row by row; ``positional``: which of them pair with the rows by position
    (cut to this partition's rows: pandas' Index, array or list ``others``)."""
    library = library_of(part)
    moved = [_to_library(o, library) for o in others]
    if is_index_like(part):  # (an Index pairs Indexes by position; a Series it would align by its values)
        index = from_library(library).Index
        moved = [index(o) if by_position else o for o, by_position in zip(moved, positional or [False] * len(moved))]
        return _missing_text_index(part.str.cat(moved, sep=sep, na_rep=na_rep), part, moved, sep, na_rep)
    if not any(positional):
        return part.str.cat(moved, sep=sep, na_rep=na_rep)
    moved = [o.reset_index(drop=True) for o in moved]  # every operand by position
    out = part.reset_index(drop=True).str.cat(moved, sep=sep, na_rep=na_rep)
    out.index = part.index
    return out


def index_str_cat_meta(meta: Any, others: list, sep: Any = None, na_rep: Any = None, positional: tuple = ()) -> Any:
    """The metadata of an Index's ``str.cat`` (``meta``) with ``others`` (metadata of lazy operands, in-memory
    values): pandas infers an Index's dtype from its values (object of no value, "string" of "string" labels), so
    it is the result of a stand-in label of ``meta``'s dtype joined with a first value of each operand (paired by
    position, as an Index pairs Indexes); None where the stand-ins make the call fail.

    Examples
    --------
    >>> import pandas as pd
    >>> str(index_str_cat_meta(pd.Index([], dtype="string"), [pd.Index([], dtype="string")], sep="-").dtype)
    'string'
    """
    def first(values: Any) -> Any:
        if is_frame_like(values) and len(values) == 0:  # (metadata: a stand-in value of its dtype)
            values = _stand_in(values)
        return values.iloc[:1] if hasattr(values, "iloc") else values[:1]

    try:
        samples = [first(o) for o in others]
        out = str_cat_columns(_stand_in(meta)[:1], *samples, sep=sep, na_rep=na_rep, positional=(True,) * len(others))
        return make_meta(out)
    except Exception:  # noqa: BLE001 - the partitions' own call says what is wrong
        return None


def _stand_in(meta: Any) -> Any:
    """Non-empty values of ``meta``'s dtype (pandas' stand-in of object text is ``str``)."""
    sample = meta_nonempty(meta)
    return sample.astype(meta.dtype) if library_of(meta) == "pandas" and sample.dtype != meta.dtype else sample


def _missing_text_index(out: Any, part: Any, others: list, sep: Any, na_rep: Any) -> Any:
    """``out``, ``str.cat`` of an Index of a text dtype, in the dtype the whole Index's gives: pandas (and the cuDF
    stand-in) infer object NaN where every result is missing (a partition of only missing labels)."""
    if str(out.dtype) != "object" or str(part.dtype) == "object" or bool(out.notna().any()):
        return out
    meta = index_str_cat_meta(part[:0], [o[:0] for o in others], sep=sep, na_rep=na_rep)
    return out if meta is None else out.astype(meta.dtype)


def _to_library(obj: Any, library: str) -> Any:
    if library == "pandas" or not is_frame_like(obj) or library_of(obj) == library:
        return obj
    from gpuscale.backends.frame.core import convert_library

    return convert_library(obj, library)


def str_split_meta(meta: Any, method: str, pat: Any, n: int, **options: Any) -> Any:
    """The empty result of ``split``/``rsplit(pat, n, expand=True)``: ``n + 1`` columns of strings, found by
    splitting a value with ``n`` spaces (partitions with fewer parts get missing values, as pandas); ``pat`` (a
    regular expression or compiled pattern, whose matches cannot be written out) is tried on a stand-in value so
    that bad arguments fail here."""
    sample = meta_nonempty(meta).iloc[:1]
    if library_of(meta) != "pandas":
        pat, options = _cudf_split_pattern(pat, options)
    getattr(sample.str, method)(pat=pat, n=n, expand=True, **options)
    dtype = None if str(meta.dtype) == "category" else meta.dtype
    values = from_library(library_of(meta)).Series([" ".join(["a"] * (n + 1))], index=sample.index,
                                                   name=meta.name, dtype=dtype)
    return make_meta(getattr(values.str, method)(n=n, expand=True))  # (the columns' text dtype: not the pattern's)


def str_split_expand(part: Any, method: str, pat: Any, n: int, **options: Any) -> Any:
    """``split``/``rsplit(pat, n, expand=True)`` of a partition with all ``n + 1`` columns (a partition
    whose values have fewer parts gets missing values in the others), so every partition matches."""
    if library_of(part) != "pandas":
        pat, options = _cudf_split_pattern(pat, options)
    out = getattr(part.str, method)(pat=pat, n=n, expand=True, **options)
    if len(out.columns) == n + 1:
        return out
    # the added columns take the text dtype of the others (reindex gives object columns of NaN); pandas pads
    # object text with None, and a missing value's row with its missing value (NaN or None) as in column 0;
    # cuDF's text (object) is padded alike: its column 0 is text, so are the copies (nulls, None on the host)
    text = out.dtypes.iloc[0] if len(out.columns) else part.dtype
    added = [c for c in range(n + 1) if c not in out.columns]
    out = out.reindex(columns=list(range(n + 1)))
    if str(text) == "object":
        # (pandas: a NumPy mask, the row labels may repeat; cuDF: its own Series, the partition's row labels)
        missing = part.isna().to_numpy() if library_of(part) == "pandas" else part.isna()
        for c in added:
            out[c] = out[0].where(missing, None)
        return out
    return out.astype(text)


def _cudf_split_pattern(pat: Any, options: dict) -> tuple:
    """cuDF's ``split`` reads a compiled pattern only with ``regex=True`` (pandas: unless ``regex=False``): its
    text and ``regex=True`` then."""
    if isinstance(pat, re.Pattern) and options.get("regex") is not False:
        return pat.pattern, {**options, "regex": True}
    return pat, options


def str_tokens(part: Any, sep: str) -> Any:
    """The pieces ``str.get_dummies(sep)`` makes columns of in a partition (the library's own rule: pandas 3 counts
    an empty piece, pandas 2 does not), as a Series of the partition's library."""
    if library_of(part) != "pandas":
        from gpuscale.backends.frame.cudf_gaps import on_host

        return on_host(str_tokens, part, sep)
    # (the pieces of a categorical's text are text, not its categories)
    text = part.dtype.categories.dtype if isinstance(part.dtype, pd.CategoricalDtype) else part.dtype
    part = _categories_as_text(part)
    if not bool(part.notna().any()):  # (pandas' own raises on no value of its text dtypes)
        return pd.Series([], dtype=text)
    return pd.Series(part.str.get_dummies(sep=sep).columns, dtype=text)


def str_dummies(part: Any, sep: str, tokens: list, dtype: Any = None) -> Any:
    """pandas' ``str.get_dummies(sep)`` of a partition with a column for each of ``tokens`` (those of the whole
    collection: a partition lacking one gets zeros there); cuDF has no ``get_dummies``: on a host copy."""
    if library_of(part) != "pandas":
        from gpuscale.backends.frame.cudf_gaps import on_host

        return on_host(str_dummies, part, sep, tokens, dtype)
    kind = _dummies_dtype(part.dtype, dtype)  # (pandas': int64, or bool[pyarrow] of Arrow; dtype= in Arrow's too)
    part = _categories_as_text(part)
    if not bool(part.notna().any()):  # (pandas' own raises on no value of its text dtypes): no piece anywhere
        return pd.DataFrame(0, index=part.index, columns=list(tokens)).astype(kind)
    out = part.str.get_dummies(sep=sep, **({} if dtype is None else {"dtype": dtype}))
    return out.reindex(columns=list(tokens), fill_value=0).astype(kind)


def _categories_as_text(part: Any) -> Any:
    """A categorical partition as pandas' ``str.get_dummies`` reads it: the text of its values, pandas' text
    for a missing one where missing (a piece of its own)."""
    if not isinstance(part.dtype, pd.CategoricalDtype):
        return part
    missing = _missing_category_text()
    return pd.Series(part.array.to_numpy(str, na_value=missing), index=part.index, name=part.name, dtype=object)


@functools.lru_cache(maxsize=1)
def _missing_category_text() -> str:
    """The text pandas' ``str`` methods read for a categorical's missing value ("NaN"; pandas 2.2: "nan")."""
    columns = pd.Series(["a", None], dtype="category").str.get_dummies().columns
    return next(str(c) for c in columns if c != "a")


def _dummies_dtype(text_dtype: Any, dtype: Any = None) -> Any:
    """The dtype of pandas' ``str.get_dummies(dtype=dtype)`` columns for text of ``text_dtype`` (Arrow text gives
    Arrow's type of ``dtype``)."""
    options = {} if dtype is None else {"dtype": dtype}
    return pd.Series(["a"], dtype=text_dtype).str.get_dummies(**options).dtypes.iloc[0]


def call_str_accessor(obj: Any, accessor: str, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
    """:func:`call_accessor` of a partition, with a partition of only missing objects answered as pandas answers
    them among strings (the whole Series): counts as float64 NaN, ``partition`` rows of None, not objects, so
    the partitions agree with each other and with the metadata.

    Examples
    --------
    >>> import pandas as pd
    >>> call_str_accessor(pd.Series([None], dtype=object), "str", "len", True).dtype
    dtype('float64')
    >>> call_str_accessor(pd.Series([None], dtype=object), "str", "partition", True, "_").values.tolist()
    [[None, None, None]]
    """
    value = call_accessor(obj, accessor, attr, is_method, *args, **kwargs)
    if accessor == "str" and attr in _OBJECTS and _only_missing(obj) and str(value.dtype) == "float64":
        return value.astype(object)  # (pandas' "str" gives float64 NaN of no value; Arrow text keeps Arrow lists)
    if accessor != "str" or not _only_missing_objects(obj):
        return value
    if attr in _COUNTS and str(value.dtype) == "object":
        # among strings or lists pandas gives float64 NaN, objects where the missing values are pd.NA
        return value if any(v is pd.NA for v in obj) else value.astype("float64")
    if attr in ("partition", "rpartition") and is_dataframe_like(value):  # (pandas: one column of them)
        return pd.DataFrame({c: pd.Series([None] * len(value), index=value.index, dtype=object) for c in range(3)})
    return value


def _only_missing_objects(obj: Any) -> bool:
    """Whether ``obj`` is a pandas partition of object dtype with rows, all of them missing."""
    return str(obj.dtype) == "object" and _only_missing(obj)


def _only_missing(obj: Any) -> bool:
    """Whether ``obj`` is a pandas Series partition with rows, all of them missing."""
    return library_of(obj) == "pandas" and not is_dataframe_like(obj) and len(obj) > 0 and \
        not bool(obj.notna().any())


def index_extractall(part: Any, carry: dict | None, args: tuple, kwargs: dict) -> Any:
    """``str.extractall`` of one partition of an Index, the first level of its rows' labels the positions of
    their values in the whole Index (``carry["rows"]``: the rows before the partition), as pandas numbers them.

    Examples
    --------
    >>> import pandas as pd
    >>> index_extractall(pd.Index(["a1", "b2c3"]), {"rows": 4}, (r"(\\d)",), {}).index.tolist()
    [(4, 0), (5, 0), (5, 1)]
    """
    out = call_str_accessor(part, "str", "extractall", True, *args, **kwargs)
    before = carry["rows"] if carry else 0
    if before and len(out):
        out.index = out.index.set_levels(out.index.levels[0] + before, level=0)
    return out


def index_accessor_sample(meta: Any, accessor: str, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
    """The result of an Index's accessor call on a non-empty stand-in of ``meta`` of its own dtype (pandas infers
    an Index's dtype from the values: ``upper`` of object labels gives ``str``, ``extract`` object), or None where
    the stand-in's values make the call fail (``str.index`` of a substring they lack).

    Examples
    --------
    >>> import pandas as pd
    >>> index_accessor_sample(pd.Index([], dtype=object), "str", "extract", True, "(a)", expand=False).dtype
    dtype('O')
    """
    sample = meta_nonempty(meta)
    if library_of(meta) == "pandas" and sample.dtype != meta.dtype:  # (object labels: a stand-in of str ones)
        sample = sample.astype(meta.dtype)
    try:
        return call_str_accessor(sample, accessor, attr, is_method, *args, **kwargs)
    except Exception:  # noqa: BLE001 - the partitions' own call says what is wrong
        return None


def accessor_block(value: Any) -> Any:
    """An Index's accessor result as a lazy Array's block takes it: pandas' nullable arrays (``BooleanArray`` of
    ``str.contains`` on "string" labels) as NumPy, as ``np.asarray`` gives them (objects where values are
    missing); anything else as it is.

    Examples
    --------
    >>> import pandas as pd
    >>> accessor_block(pd.Index(["a", "b"], dtype="string").str.contains("a")).tolist()
    [True, False]
    """
    if isinstance(value, pd.api.extensions.ExtensionArray) and not is_index_like(value):
        return np.asarray(value)
    return value
