"""Collections from in-memory data: ``from_pandas``, ``from_dict``, ``from_array``."""

from __future__ import annotations

import math
from typing import Any

from gpuscale import config
from gpuscale.backends import frame as bf
from gpuscale.backends import resolve_frame_backend
from gpuscale.backends.frame.string_dtype import to_pyarrow_strings
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.base import FromChunks, TokenizedChunks
from gpuscale.expr import tokenize

__all__ = ["from_pandas", "from_cudf", "from_dict", "from_array"]


def with_arrow_strings(df: Any) -> Any:
    """``df`` with its text columns cast to ``string[pyarrow]`` (dask's ``dataframe.convert-string``).

    One column at a time, so a projection of the result keeps only the casts it needs; cuDF partitions
    are unchanged (their strings are Arrow strings already).

    Parameters
    ----------
    df : DataFrame or Series
        A gpuscale collection.

    Returns
    -------
    DataFrame or Series

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> from gpuscale.dataframe.creation import with_arrow_strings
    >>> df = gd.from_pandas(pd.DataFrame({"s": ["a", "b"], "v": [1, 2]}), npartitions=1, backend="cpu")
    >>> str(with_arrow_strings(df).dtypes["s"])
    'string'
    """
    meta = df._meta
    arrow = to_pyarrow_strings(meta)
    if not bf.is_dataframe_like(meta):
        return df.astype(arrow.dtype) if arrow.dtype != meta.dtype else df
    text = {column: dtype for column, dtype in arrow.dtypes.items() if dtype != meta.dtypes[column]}
    return df.assign(**{column: df[column].astype(dtype) for column, dtype in text.items()}) if text else df


def _default_npartitions(data: Any, library: str) -> int:
    from gpuscale.dataframe.io._common import default_partition_bytes

    target = default_partition_bytes("gpu" if library == "cudf" else "cpu")
    return max(1, math.ceil(bf.memory_bytes(data) / max(1, target)))


def from_pandas(data: Any, npartitions: int | None = None, chunksize: int | None = None,
                sort: bool = True, backend: str | None = None) -> Any:
    """Split a pandas (or cuDF) DataFrame/Series into a lazy collection.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series (or cuDF)
    npartitions : int, optional
        Number of partitions; by default from ``dataframe.partition_bytes``.
    chunksize : int, optional
        Rows per partition (instead of ``npartitions``): partitions of ``chunksize`` rows, the last shorter
        (as dask; with a sorted index, a partition may end late so that a label stays in one partition).
    sort : bool
        Sort the rows by index first (as dask), then split at index values and record divisions.
        ``False`` keeps the row order, with unknown divisions unless the index already increases (as dask;
        unknown divisions are also the outcome for an index of several levels, with missing labels, or of
        values that do not compare).
    backend : str, optional
        ``"pandas"``, ``"cudf"``, ``"cpu"``, ``"gpu"`` or ``"auto"``; default: the configured backend.
        pandas data are copied to cuDF when the backend is cuDF.  With the option
        ``dataframe.convert_string`` on, string columns and index of pandas partitions become
        ``string[pyarrow]``, as dask's ``dataframe.convert-string`` does (cuDF's strings are Arrow already).

    Returns
    -------
    DataFrame or Series
        A lazy collection; ``compute()`` gives the data back.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"x": range(6), "k": list("aabbcc")})
    >>> df = gd.from_pandas(pdf, npartitions=3, backend="cpu")
    >>> df.npartitions, df.divisions
    (3, (0, 2, 4, 5))
    >>> df.groupby("k").x.sum().compute().to_dict()
    {'a': 1, 'b': 5, 'c': 9}
    >>> import gpuscale
    >>> with gpuscale.config.set({"dataframe.convert_string": True}):
    ...     print(gd.from_pandas(pdf, npartitions=3, backend="cpu").k.dtype)
    string
    """
    if not bf.is_frame_like(data):
        raise TypeError(f"from_pandas: data must be a pandas DataFrame or Series (a pandas/cuDF object), got "
                        f"{type(data).__name__}")
    library = bf.library_of(data) if bf.library_of(data) == "cudf" else resolve_frame_backend(backend)
    data = bf.snapshot(data)  # (the user's later in-place changes reach neither the partitions nor the name)
    # the name comes from the data as given: host data hash alike however often they are copied to a device
    # (device objects get a token per object), so two from_pandas of one frame are one collection
    token = tokenize(data, library, config.get("dataframe.convert_string"), sort)
    if library == "pandas" and config.get("dataframe.convert_string"):
        data = to_pyarrow_strings(data)  # dask's dataframe.convert-string
    data = bf.convert_library(data, library)
    _check_sizes(npartitions, chunksize)
    if npartitions is not None and chunksize is not None:
        raise ValueError("from_pandas: Exactly one of npartitions and chunksize must be specified.")
    if chunksize is not None:
        npartitions = max(1, math.ceil(len(data) / chunksize))
    npartitions = npartitions or _default_npartitions(data, library)
    if sort and len(data):
        data = bf.sorted_by_index(data)
    if len(data) and bf.is_monotonic_index(data):  # (sort=False of an increasing index: known divisions, as dask)
        chunks, divisions = bf.index_divisions(data, npartitions, chunksize)
    else:
        # (as dask: the longer parts first; an empty frame in npartitions empty parts)
        chunks = bf.split_frame(data, min(npartitions, len(data)) or npartitions, chunksize, longer_first=True)
        divisions = (None,) * (len(chunks) + 1)
    chunks = TokenizedChunks(chunks, tokenize(token, [len(c) for c in chunks]))
    return new_collection(FromChunks(None, None, chunks, bf.make_meta(data), divisions, "from_pandas"))


def from_cudf(data: Any, npartitions: int | None = None, chunksize: int | None = None, sort: bool = True,
              name: str | None = None) -> Any:
    """Split a cuDF DataFrame/Series into a lazy collection of cuDF partitions (dask_cudf's ``from_cudf``).

    RAPIDS code written for ``dask_cudf.from_cudf(gdf, npartitions=8)`` ports by changing the import: this is
    :func:`from_pandas` with ``backend="cudf"`` (a pandas object is copied to the device first).

    Parameters
    ----------
    data : cudf.DataFrame or cudf.Series (or pandas)
    npartitions, chunksize, sort
        As for :func:`from_pandas`.
    name : str, optional
        Accepted for dask_cudf's signature; gpuscale names collections by their contents.

    Raises
    ------
    BackendUnavailableError
        When cuDF cannot run on this machine (not installed, or no usable GPU), with the reason.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> import cudf                                                           # doctest: +SKIP
    >>> gdf = cudf.DataFrame({"x": range(6), "k": list("aabbcc")})            # doctest: +SKIP
    >>> df = gd.from_cudf(gdf, npartitions=3)                                 # doctest: +SKIP
    >>> df.groupby("k").x.sum().compute().to_pandas().to_dict()               # doctest: +SKIP
    {'a': 1, 'b': 5, 'c': 9}
    """
    return from_pandas(data, npartitions=npartitions, chunksize=chunksize, sort=sort, backend="cudf")


def _check_sizes(npartitions: Any, chunksize: Any) -> None:
    """``npartitions`` and ``chunksize`` are positive whole numbers (0 partitions means "one", as before)."""
    for name, value, low in (("npartitions", npartitions, 0), ("chunksize", chunksize, 1)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"from_pandas: provide {name} as an int, got {value!r}")
        if value is not None and value < low:
            raise ValueError(f"from_pandas: {name}={value!r} must be an integer >= {low}")


def from_dict(data: dict, npartitions: int | None = None, orient: str = "columns", dtype: Any = None,
              columns: Any = None, constructor: Any = None, backend: str | None = None) -> Any:
    """A lazy DataFrame from a dict of columns (as ``pandas.DataFrame.from_dict``).

    Parameters
    ----------
    data : dict
        Columns (``orient="columns"``) or rows (``orient="index"``).
    npartitions : int, optional
        Number of partitions, as in :func:`from_pandas`.
    orient, dtype, columns
        Passed to ``pandas.DataFrame.from_dict``.
    constructor : class, optional
        Whose ``from_dict(data, orient, dtype, columns)`` makes the frame (dask's: ``pandas.DataFrame``,
        ``cudf.DataFrame`` ...); default: ``pandas.DataFrame``, its partitions then copied to the backend.
    backend : str, optional
        Partition library, as in :func:`from_pandas`.

    Raises
    ------
    TypeError
        When ``constructor.from_dict`` gives no pandas/cuDF DataFrame.

    Examples
    --------
    >>> import gpuscale.dataframe as gd
    >>> df = gd.from_dict({"a": [1, 2, 3, 4], "b": [0.5, 1.5, 2.5, 3.5]}, npartitions=2, backend="cpu")
    >>> df.npartitions, float(df.b.sum().compute())
    (2, 8.0)
    """
    if constructor is None:
        frame = bf.frame_from_dict(data, orient, dtype, columns)
    else:
        maker = getattr(constructor, "from_dict", None)
        frame = maker(data, orient, dtype, columns) if callable(maker) else None
        if not bf.is_frame_like(frame):
            raise TypeError(f"from_dict: constructor={getattr(constructor, '__name__', constructor)!r} must be "
                            "a DataFrame class whose from_dict(data, orient, dtype, columns) gives a DataFrame "
                            "(pandas.DataFrame, cudf.DataFrame)")
    return from_pandas(frame, npartitions=npartitions, backend=backend)


def from_array(x: Any, chunksize: int | None = None, columns: Any = None, backend: str | None = None) -> Any:
    """A lazy DataFrame (2-D) or Series (1-D) from a NumPy/CuPy array or a gpuscale Array.

    Parameters
    ----------
    x : array
        A 1-D or 2-D NumPy/CuPy array (a 1-D record array gives a column per
        field), or a gpuscale/dask Array (lazily, as
        :func:`gpuscale.dataframe.from_dask_array`: a partition per block of rows).
    chunksize : int, optional
        Rows per partition (the last one may have fewer, as dask); default:
        one partition (a gpuscale/dask Array: its blocks).  The divisions are the row numbers.
    columns : list, optional
        Column names of a 2-D array (default ``0, 1, ...``; as many as the
        array is wide), or the Series name; a list for a 1-D array gives a
        one-column DataFrame.
    backend : str, optional
        Partition library, as in :func:`from_pandas`.

    Raises
    ------
    ValueError
        For an array of more than 2 dimensions, or ``columns`` not as many
        as the array is wide.

    Examples
    --------
    >>> import numpy as np, gpuscale.dataframe as gd
    >>> df = gd.from_array(np.arange(12).reshape(6, 2), chunksize=2, columns=["a", "b"], backend="cpu")
    >>> df.npartitions, int(df.a.sum().compute())
    (3, 30)
    """
    if hasattr(x, "to_delayed") and hasattr(x, "chunks"):  # a gpuscale/dask array: lazily, a block per partition
        from gpuscale.dataframe.interop import from_dask_array

        _check_sizes(None, chunksize)
        df = from_dask_array(x.rechunk({0: chunksize}) if chunksize else x, columns=columns)
        return df if backend is None else df.to_backend(backend)
    x = _array_with_columns(x, columns)
    data = bf.frame_from_array(x, columns)
    _check_sizes(None, chunksize)
    return _from_row_blocks(data, chunksize or max(1, len(data)), backend)


def _array_with_columns(x: Any, columns: Any, caller: str = "from_array") -> Any:
    """Check the shape against ``columns``; a 1-D array with a list of one column name becomes one column."""
    ndim = getattr(x, "ndim", 1)
    if ndim > 2:
        raise ValueError(f"{caller}: a more than 2D array ({ndim} dimensions) cannot be a DataFrame; "
                         "pass a 1-D or 2-D array")
    listed = columns is not None and not isinstance(columns, (str, int, float, tuple))
    if ndim == 1 and listed and not getattr(x.dtype, "names", None):
        if len(columns) != 1:
            raise ValueError(f"{caller}: a 1-D array is one column: columns must be a scalar or single element "
                             f"list, got {len(columns)} names")
        x = x[:, None]
    if x.ndim == 2 and math.isnan(x.shape[1]):
        raise ValueError(f"{caller}: Shape along axis 1 must be known (the number of columns); call "
                         "compute_chunk_sizes() on the array first")
    names = getattr(x.dtype, "names", None)
    if listed and names and set(columns) - set(names):  # a record array's columns are some of its fields
        raise ValueError(f"{caller}: dtype {x.dtype} doesn't have fields {sorted(set(columns) - set(names))}")
    if listed and x.ndim == 2 and len(columns) != x.shape[1]:
        raise ValueError(f"{caller}: the column names must match width: {len(columns)} names for "
                         f"{x.shape[1]} columns")
    return x


def _from_row_blocks(data: Any, size: int, backend: str | None) -> Any:
    """Partitions of ``size`` rows each (the last may be shorter), divided at their row numbers, as dask."""
    library = bf.library_of(data) if bf.library_of(data) == "cudf" else resolve_frame_backend(backend)
    if library == "pandas" and config.get("dataframe.convert_string"):
        data = to_pyarrow_strings(data)  # dask's dataframe.convert-string
    data = bf.convert_library(data, library)
    starts = list(range(0, len(data), size)) or [0]
    chunks = [data.iloc[a:a + size] for a in starts]
    divisions = (*starts, max(len(data) - 1, 0)) if len(data) else (None, None)
    chunks = TokenizedChunks(chunks, tokenize(data, [len(c) for c in chunks]))
    return new_collection(FromChunks(None, None, chunks, bf.make_meta(data), divisions, "from_array"))
