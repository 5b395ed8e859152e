"""dask.dataframe's module-level helpers: ``map_partitions``, ``repartition``, ``isna``, ``to_numeric``,
``to_timedelta``, ``compute``, ``assert_eq``."""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.backends import frame as bf

__all__ = ["map_partitions", "repartition", "isna", "to_numeric", "to_timedelta", "compute", "assert_eq"]


def _is_collection(obj: Any) -> bool:
    from gpuscale.dataframe.core import FrameBase

    return isinstance(obj, FrameBase)


def map_partitions(func: Callable, *args: Any, meta: Any = None, **kwargs: Any) -> Any:
    """``func`` on every partition of the collections in ``args`` (aligned partition by partition).

    Parameters
    ----------
    func : callable
        Takes the partitions (and the other arguments) and returns a partition.
    *args
        The first collection gives the partitioning; other collections are aligned with it, lazy
        scalars and literals are passed to every call.
    meta : optional
        The result's metadata (else inferred by running ``func`` on sample data).
    **kwargs
        Passed to ``func``.

    Returns
    -------
    DataFrame or Series

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> a = gd.from_pandas(pd.Series([1, 2, 3]), npartitions=2, backend="cpu")
    >>> gd.map_partitions(lambda x, y, k: x + y * k, a, a, k=10).compute().tolist()
    [11, 22, 33]
    """
    position = next((i for i, a in enumerate(args) if _is_collection(a)), None)
    if position is None:
        raise ValueError("map_partitions: no gpuscale collection among the arguments")
    if position == 0:
        return args[0].map_partitions(func, *args[1:], meta=meta, **kwargs)
    before = args[:position]
    return args[position].map_partitions(_literals_first, func, len(before), *before, *args[position + 1:],
                                         meta=meta, **kwargs)


def _literals_first(part: Any, func: Callable, count: int, *rest: Any, **kwargs: Any) -> Any:
    return func(*rest[:count], part, *rest[count:], **kwargs)


def repartition(df: Any, divisions: Any = None, force: bool = False) -> Any:
    """``df.repartition(divisions=divisions, force=force)``, as ``dask.dataframe.repartition``.

    Parameters
    ----------
    df : DataFrame or Series
        With known divisions, or a pandas/cuDF object (split at ``divisions`` after sorting its index,
        as dask does).
    divisions : list
        The new index boundaries.
    force : bool
        Let the new boundaries extend beyond the current ones.

    Returns
    -------
    DataFrame or Series

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"x": range(10)}), npartitions=2, backend="cpu")
    >>> gd.repartition(df, divisions=[0, 5, 9]).divisions
    (0, 5, 9)
    >>> gd.repartition(pd.Series(range(10)), divisions=[0, 3, 9]).npartitions
    2
    """
    if not _is_collection(df):
        from gpuscale.dataframe.creation import from_pandas

        if not bf.is_frame_like(df):
            raise TypeError(f"repartition: a DataFrame or Series is needed, got {type(df).__name__}")
        df, force = from_pandas(bf.sort_index(df), npartitions=1), True
    return df.repartition(divisions=divisions, force=force)


def isna(obj: Any) -> Any:
    """Missing-value mask of a collection (lazy), or pandas' ``isna`` of anything else.

    Parameters
    ----------
    obj : DataFrame, Series, Index or value

    Returns
    -------
    collection or bool or array

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([1.0, None]), npartitions=1, backend="cpu")
    >>> gd.isna(s).compute().tolist(), bool(gd.isna(None))
    ([False, True], True)
    """
    return obj.isna() if _is_collection(obj) else bf.isna_value(obj)


def notna(obj: Any) -> Any:
    """Not-missing mask of a collection (lazy), or pandas' ``notna`` of anything else (``notnull`` is the
    same; ``isnull`` is :func:`isna`).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([1.0, None]), npartitions=1, backend="cpu")
    >>> gd.notna(s).compute().tolist(), gd.notnull(None), gd.isnull(s).compute().tolist()
    ([True, False], False, [False, True])
    """
    return obj.notna() if _is_collection(obj) else bf.notna_value(obj)


isnull, notnull = isna, notna


def pivot(data: Any, *, columns: Any, index: Any = None, values: Any = None) -> Any:
    """``data.pivot(columns=, index=, values=)`` (see :meth:`gpuscale.dataframe.DataFrame.pivot`), as
    ``pandas.pivot``.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"d": [1, 1, 2], "c": ["a", "b", "a"], "v": [1.0, 2.0, 3.0]})
    >>> gd.pivot(gd.from_pandas(pdf, npartitions=2, backend="cpu"), index="d", columns="c", values="v").compute()
    c    a    b
    d
    1  1.0  2.0
    2  3.0  NaN
    """
    return data.pivot(columns=columns, index=index, values=values)


def to_numeric(arg: Any, errors: str = "raise", downcast: Any = None, meta: Any = None) -> Any:
    """Convert to numbers lazily, as ``dask.dataframe.to_numeric``: the result has the kind of ``arg``.

    Parameters
    ----------
    arg : Series, array or scalar
        A Series (lazy: converted partition by partition), a lazy array (a gpuscale or dask Array:
        block by block), or a single value (a dask ``Delayed`` of the converted value).
    errors : {"raise", "coerce"}
        Unparseable values raise, or become missing.
    downcast : {None, "integer", "signed", "unsigned", "float"}
        The smallest dtype that holds the values (per partition or block, as dask).
    meta : optional
        The result's metadata (else inferred): an empty Series, or an empty array whose dtype the result
        takes; not allowed for a scalar.

    Returns
    -------
    Series, Array or dask.delayed.Delayed

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series(["1", "2.5", "x"]), npartitions=2, backend="cpu")
    >>> gd.to_numeric(s, errors="coerce").compute().tolist()
    [1.0, 2.5, nan]
    >>> gd.to_numeric("5").compute()
    np.int64(5)
    """
    from gpuscale.backends.frame import numeric

    if errors not in ("raise", "coerce"):
        raise ValueError(f"to_numeric: invalid error value specified: {errors!r} (use 'raise' or 'coerce')")
    if _is_collection(arg) and bf.is_series_like(arg._meta):
        if meta is not None:  # (a pandas meta= for cuDF partitions: the same, in cuDF)
            library = bf.library_of(arg._meta)
            meta = bf.meta_from_spec(getattr(meta, "_meta", meta), library)
            meta = bf.convert_library(meta, library) if bf.library_of(meta) != library else meta
        return arg.map_partitions(bf.to_numeric_part, errors=errors, downcast=downcast, meta=meta)
    if numeric.is_numeric_input_scalar(arg) or isinstance(arg, (list, tuple)):
        if meta is not None:
            raise KeyError("to_numeric: ``meta`` is not allowed when the input is a scalar")
        import dask

        return dask.delayed(numeric.to_numeric_value, pure=True)(arg, errors=errors, downcast=downcast)
    if hasattr(arg, "map_blocks") and hasattr(arg, "dtype"):  # a gpuscale or dask Array
        dtype = numeric.to_numeric_dtype(arg.dtype, errors, downcast) if meta is None else meta.dtype
        return arg.map_blocks(numeric.to_numeric_block, errors=errors, downcast=downcast, dtype=dtype)
    raise TypeError("to_numeric: arg must be a list, tuple, dask.array.Array or gpuscale Array, Series or scalar; "
                    f"got {type(arg).__name__}")


def to_timedelta(arg: Any, unit: Any = None, errors: str = "raise") -> Any:
    """Convert a Series to timedeltas, partition by partition.

    Parameters
    ----------
    arg : Series
        Numbers (with ``unit``) or timedelta strings.
    unit : str, optional
        The unit of numbers (``"s"``, ``"ms"``, ``"us"``, ``"ns"`` ...).
    errors : {"raise", "coerce"}
        Unparseable values raise, or become missing (pandas partitions).

    Returns
    -------
    Series

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([1, 90]), npartitions=2, backend="cpu")
    >>> gd.to_timedelta(s, unit="s").compute().tolist()
    [Timedelta('0 days 00:00:01'), Timedelta('0 days 00:01:30')]
    """
    if not _is_collection(arg):
        raise TypeError(f"to_timedelta: arg must be a Series (a gpuscale collection), got {type(arg).__name__}")
    meta = bf.unit_numbers_meta(bf.to_timedelta_part, arg._meta, unit=unit, errors=errors)  # (None: inferred)
    return arg.map_partitions(bf.to_timedelta_part, unit=unit, errors=errors, meta=meta)


def compute(*args: Any, **kwargs: Any) -> tuple:
    """Compute several collections together (shared inputs once), as ``dask.compute``.

    Parameters
    ----------
    *args
        Collections (or other values, returned as they are).
    **kwargs
        Passed to :func:`gpuscale.compute`.

    Returns
    -------
    tuple

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([1, 2, 3]), npartitions=2, backend="cpu")
    >>> [int(v) for v in gd.compute(s.sum(), s.max())]
    [6, 3]
    """
    from gpuscale.collection import compute as compute_all

    return compute_all(*args, **kwargs)


def assert_eq(a: Any, b: Any, check_names: bool = True, check_dtype: bool = True, check_divisions: bool = True,
              check_index: bool = True, sort_results: bool = True, scheduler: Any = None, **kwargs: Any) -> bool:
    """Assert that two collections or pandas/cuDF objects are equal, with dask.dataframe's ``assert_eq``
    keywords (so ported tests run as they are); see :func:`gpuscale.testing.assert_eq`.

    Parameters
    ----------
    a, b
        Collections (computed and checked against their metadata) or pandas/cuDF objects.
    check_names, check_dtype : bool
        Compare the names (of columns, the index, a Series) / the dtypes, as pandas' ``assert_frame_equal``.
    check_divisions : bool
        Check that a collection with known divisions holds in partition ``i`` only the index labels from
        ``divisions[i]`` to ``divisions[i + 1]`` (the last one included), sorted, as dask does.
    check_index : bool
        Compare the index (else only the values, in order).
    sort_results : bool
        Compare the rows in any order (sorted by values, then labels), as dask's default.
    scheduler : optional
        The scheduler to compute collections with (``"sync"``, ``"threads"``, a ``distributed.Client``).
    **kwargs
        Passed to the comparison (``rtol``, ``check_exact``, ``check_freq`` ...).

    Notes
    -----
    As dask's, strings compare as pyarrow strings: a column of ``object``, ``str`` or ``string`` dtype equals one
    of another of these with the same values (:func:`gpuscale.testing.assert_eq` tells them apart).

    Returns
    -------
    bool
        True, as dask's (``assert dd.assert_eq(a, b)`` ports); a difference raises ``AssertionError``.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"a": [1, 2]})
    >>> gd.assert_eq(gd.from_pandas(pdf, npartitions=1, backend="cpu"), pdf)
    True
    >>> gd.assert_eq(gd.from_pandas(pdf, npartitions=1, backend="cpu"), pdf.iloc[::-1])
    True
    >>> gd.assert_eq(gd.from_pandas(pdf, npartitions=1, backend="cpu"), pdf.iloc[::-1], sort_results=False)
    Traceback (most recent call last):
    ...
    AssertionError: DataFrame.index are different
    ...
    """
    import contextlib

    import gpuscale
    from gpuscale.testing import assert_eq as check

    if not check_names:
        kwargs["check_names"] = False
    if not check_dtype:
        kwargs["check_dtype"] = False
    with gpuscale.config.set(scheduler=scheduler) if scheduler is not None else contextlib.nullcontext():
        if check_divisions:
            for obj in (a, b):
                _assert_divisions(obj)
        # strings compare as dask's do: as pyarrow strings, whichever of pandas' string dtypes each side has
        return check(a, b, check_index=check_index, sort_results=sort_results, strings_alike=True, **kwargs)


def _assert_divisions(obj: Any) -> None:
    """Each partition of a collection with known divisions holds only labels of its division range, sorted."""
    from gpuscale.dataframe.core import FrameBase

    if not isinstance(obj, FrameBase) or getattr(obj._meta, "ndim", 0) == 0 or not obj.known_divisions:
        return
    import gpuscale
    from gpuscale.backends.convert import to_host

    divisions = obj.divisions
    parts = gpuscale.compute(*(obj.partitions[i] for i in range(obj.npartitions)))
    for i, part in enumerate(parts):
        part = to_host(part)
        index = part if bf.is_index_like(part) else part.index
        if not len(index):
            continue
        last = i == len(parts) - 1
        assert index.is_monotonic_increasing, f"partition {i}: its index is not sorted"
        assert index.min() >= divisions[i], f"partition {i}: label {index.min()!r} below its division {divisions[i]!r}"
        upper = index.max()
        inside = upper <= divisions[i + 1] if last else upper < divisions[i + 1]
        assert inside, f"partition {i}: label {upper!r} past its division {divisions[i + 1]!r}"
