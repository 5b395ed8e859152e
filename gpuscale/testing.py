"""Test helpers for code that uses gpuscale collections.

>>> import gpuscale.array as ga, numpy as np          # doctest: +SKIP
>>> from gpuscale.testing import assert_eq              # doctest: +SKIP
>>> assert_eq(ga.arange(6, chunks=4) * 2, np.arange(6) * 2)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from gpuscale.collection import Collection

__all__ = ["assert_eq"]


def assert_eq(actual: Any, expected: Any, scheduler: Any = None, **kwargs: Any) -> bool:
    """Compute collections, move results to the host, and assert they are equal.

    Parameters
    ----------
    actual, expected
        gpuscale collections, or NumPy/CuPy arrays, pandas/cuDF objects, scalars; a dask collection
        (``dask.datasets.timeseries()``) is computed too, so results can be checked against dask's.
    scheduler : str or Client, optional
        What computes the collections (``compute(scheduler=)``), e.g. ``"sync"`` as dask's
        ``assert_eq`` uses, which stays in this process while an asynchronous client is active.
    **kwargs
        Passed to the comparison (``rtol``, ``check_dtype``, ``check_index``, ...).

    Returns
    -------
    bool
        True (as dask's ``assert_eq``, so ``assert assert_eq(a, b)`` ports); a difference raises.

    Notes
    -----
    A computed dataframe collection must also match its own metadata (as dask's
    ``assert_eq`` checks): the library (pandas or cuDF), the type (DataFrame, Series,
    Index), the columns, the kinds of the dtypes (numbers alike, strings alike) and the
    index names.  A mismatch means every operation downstream plans with the wrong schema.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> from gpuscale.testing import assert_eq
    >>> pdf = pd.DataFrame({"a": [1, 2, 3, 4]})
    >>> assert_eq(gd.from_pandas(pdf, npartitions=2, backend="cpu").a * 2, pdf.a * 2)
    True
    """
    from gpuscale.backends.testing import assert_chunks_equal

    actual = _computed(actual, scheduler)
    expected = _computed(expected, scheduler)
    assert_chunks_equal(actual, expected, **kwargs)
    return True


def _computed(obj: Any, scheduler: Any = None) -> Any:
    """The computed value of a collection, checked against its metadata (a dask collection: computed)."""
    if _is_dask_collection(obj):
        return obj.compute(scheduler=scheduler or "sync")
    if not isinstance(obj, Collection):
        return obj
    from gpuscale.backends.testing import assert_matches_meta

    result = obj.compute(scheduler=scheduler)
    meta = getattr(obj, "_meta", None)
    if meta is not None and not _is_array(obj):
        assert_matches_meta(result, meta)
    return result


def _is_dask_collection(obj: Any) -> bool:
    # dask's collections by their protocol (dask is not imported for this): gpuscale's are Collections
    return not isinstance(obj, (Collection, type)) and callable(getattr(obj, "__dask_graph__", None))


def _is_array(obj: Any) -> bool:
    return type(obj).__module__.startswith("gpuscale.array")
