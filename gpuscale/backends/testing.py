"""Comparison helpers for tests: move results to the host and compare with NumPy/pandas."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import _detect
from gpuscale.backends.convert import to_host

__all__ = ["assert_chunks_equal", "assert_matches_meta"]


def assert_chunks_equal(actual: Any, expected: Any, **kwargs: Any) -> None:
    """Assert two computed results are equal after moving both to the host."""
    actual, expected = to_host(actual), to_host(expected)
    if _detect.is_pandas_object(actual) or _detect.is_pandas_object(expected):
        _assert_pandas_equal(actual, expected, **kwargs)
    else:
        _assert_arrays_equal(actual, expected, **kwargs)


def _assert_pandas_equal(actual: Any, expected: Any, check_index: bool = True, sort_results: bool = False,
                         strings_alike: bool = False, **kwargs: Any) -> None:
    import pandas as pd
    import pandas.testing as tm

    if strings_alike:  # as dask's assert_eq: whichever of pandas' string dtypes each side has
        from gpuscale.backends.frame.string_dtype import to_pyarrow_strings

        actual, expected = to_pyarrow_strings(actual), to_pyarrow_strings(expected)
    if sort_results:  # the same rows in any order (a shuffle's output order is not part of its result)
        actual, expected = _in_row_order(actual, check_index), _in_row_order(expected, check_index)
    if not check_index:
        actual, expected = actual.reset_index(drop=True), expected.reset_index(drop=True)
    if isinstance(expected, pd.DataFrame):
        tm.assert_frame_equal(actual, expected, **kwargs)
    elif isinstance(expected, pd.Series):
        tm.assert_series_equal(actual, expected, **kwargs)
    else:
        tm.assert_index_equal(actual, expected, **_index_keywords(tm, kwargs))


def _index_keywords(tm: Any, kwargs: dict) -> dict:
    """``kwargs`` for ``assert_index_equal``: pandas before 3.1 has no ``check_freq`` there (nor compares the
    frequency), so it is left out for them."""
    import inspect

    if "check_freq" in kwargs and "check_freq" not in inspect.signature(tm.assert_index_equal).parameters:
        return {k: v for k, v in kwargs.items() if k != "check_freq"}
    return kwargs


def _in_row_order(obj: Any, by_index: bool) -> Any:
    """``obj``'s rows sorted by their values, then by their labels (``by_index``), both stably."""
    import pandas as pd

    if isinstance(obj, (pd.DataFrame, pd.Series)) and obj.size:
        obj = obj.iloc[_row_order(obj)]
    return obj.sort_index(kind="stable") if by_index and not isinstance(obj, pd.Index) else obj


def _row_order(obj: Any) -> Any:
    """The positions that sort ``obj``'s rows by their values, stably.  Columns are taken by position (a column
    may share its label with the index, or with another column); values that cannot be ordered (lists, mixed
    types) are ordered by their text."""
    import pandas as pd

    values = pd.DataFrame(obj).reset_index(drop=True)
    values.columns = range(values.shape[1])
    try:
        return values.sort_values(list(values.columns), kind="stable").index
    except (TypeError, ValueError):  # (ValueError: arrays as values compare element by element)
        return values.astype(str).sort_values(list(values.columns), kind="stable").index


# pandas-only keywords a comparison of arrays or scalars has no use for (dask's assert_eq takes them for any pair)
_FRAME_KEYWORDS = ("check_index", "sort_results", "check_names", "strings_alike")


def _assert_arrays_equal(actual: Any, expected: Any, check_dtype: bool = True, **kwargs: Any) -> None:
    import numpy as np

    kwargs = {k: v for k, v in kwargs.items() if k not in _FRAME_KEYWORDS}
    if _missing_scalar(actual) and _missing_scalar(expected):  # (pd.NA == pd.NA is neither true nor false)
        return
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"shapes differ: {actual.shape} != {expected.shape}"
    if check_dtype:
        assert actual.dtype == expected.dtype, f"dtypes differ: {actual.dtype} != {expected.dtype}"
    if actual.dtype.kind in "fc":
        np.testing.assert_allclose(actual, expected, equal_nan=True, **kwargs)
    else:
        np.testing.assert_array_equal(actual, expected)


def _missing_scalar(value: Any) -> bool:
    import numpy as np
    import pandas as pd

    return np.ndim(value) == 0 and not isinstance(value, (str, bytes)) and bool(pd.isna(value))


# dtype kinds that count as the same (as dask's assert_eq: numbers alike, strings alike)
_KIND_CLASSES = ({"i", "u", "f", "b"}, {"O", "S", "U", "T"})


def assert_matches_meta(result: Any, meta: Any) -> None:
    """Assert a computed partition-like result has its collection's metadata (library, type,
    columns, dtype kinds, index names)."""
    from gpuscale.backends import frame as bf

    if not bf.is_frame_like(meta):
        assert not bf.is_frame_like(result), f"metadata says a scalar, the result is a {_describe(result)}"
        return
    assert bf.library_of(result) == bf.library_of(meta) and type(result).__name__ == type(meta).__name__ \
        or (bf.is_index_like(result) and bf.is_index_like(meta) and bf.library_of(result) == bf.library_of(meta)), \
        f"metadata says a {_describe(meta)}, the result is a {_describe(result)}"
    if bf.is_dataframe_like(meta):
        assert to_host(result.columns).equals(to_host(meta.columns)), \
            f"columns {list(result.columns)} != metadata's {list(meta.columns)}"  # (equals: NaN labels match)
        for column, have, want in zip(meta.columns, result.dtypes, meta.dtypes):  # (names may repeat)
            _assert_same_kind(have, want, f"column {column!r}")
    elif bf.is_series_like(meta):
        _assert_same_kind(result.dtype, meta.dtype, "the Series")
    index, meta_index = (result, meta) if bf.is_index_like(meta) else (result.index, meta.index)
    assert list(index.names) == list(meta_index.names), \
        f"index names {list(index.names)} != metadata's {list(meta_index.names)}"


def _describe(obj: Any) -> str:
    return f"{type(obj).__module__.partition('.')[0]} {type(obj).__name__}"


def _kind(dtype: Any) -> str:
    name = str(dtype)
    if name in ("str", "string") or name.startswith("string"):
        return "O"
    return getattr(dtype, "kind", "O")


def _assert_same_kind(got: Any, want: Any, where: str) -> None:
    a, b = _kind(got), _kind(want)
    same = a == b or any(a in group and b in group for group in _KIND_CLASSES) or str(got) == str(want)
    assert same, f"{where}: dtype {got} differs from the metadata's {want}"
