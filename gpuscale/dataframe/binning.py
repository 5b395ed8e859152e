"""``cut`` and ``qcut`` of a lazy Series (pandas' module functions; dask has neither): values binned into
intervals, a categorical Series with the same categories in every partition.

Bin edges given as a list (or IntervalIndex) are used as they are, lazily.  A number of bins needs the column's
minimum and maximum, and ``qcut`` its quantiles (exact, as ``Series.quantile``): those are computed at once (as
``set_index`` computes its divisions), and the edges made by pandas' own rules, so the categories are pandas'.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["cut", "qcut"]


def _is_collection(obj: Any) -> bool:
    from gpuscale.dataframe.core import FrameBase

    return isinstance(obj, FrameBase)


def _binned(x: Any, edges: Any, retbins: bool, **kwargs: Any) -> Any:
    kwargs = {"bins": edges, **kwargs}
    out = x._map(bf.binned_values, kwargs=kwargs, label="cut", meta=bf.binned_values(x._meta, **kwargs))
    return (out, bf.bin_edges_array(edges)) if retbins else out


def cut(x: Any, bins: Any, right: bool = True, labels: Any = None, retbins: bool = False, precision: int = 3,
        include_lowest: bool = False, duplicates: str = "raise", ordered: bool = True) -> Any:
    """Bin the values of a Series into intervals, as ``pandas.cut``.

    Parameters
    ----------
    x : Series (gpuscale; pandas objects go to pandas)
        The values.
    bins : int, sequence of edges or IntervalIndex
        A number of equal-width bins over the values' range (their minimum and maximum are computed at
        once), or the edges.
    right, labels, precision, include_lowest, duplicates, ordered
        As pandas.
    retbins : bool
        Also return the edges (a NumPy array, or the IntervalIndex given).

    Returns
    -------
    Series
        Categorical (the same categories in every partition), with ``x``'s index, partitions and divisions;
        with ``retbins``, ``(Series, edges)``.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> ages = gd.from_pandas(pd.Series([3, 17, 25, 64, 80]), npartitions=2, backend="cpu")
    >>> gd.cut(ages, [0, 18, 65, 120], labels=["child", "adult", "senior"]).compute().tolist()
    ['child', 'child', 'adult', 'adult', 'senior']
    >>> gd.cut(ages, 2).compute().cat.categories.astype(str).tolist()
    ['(2.923, 41.5]', '(41.5, 80.0]']
    """
    options = {"right": right, "labels": labels, "precision": precision, "include_lowest": include_lowest,
               "duplicates": duplicates, "ordered": ordered}
    if not _is_collection(x):
        return bf.in_memory_cut(x, bins, retbins=retbins, **options)
    if isinstance(bins, int) and not isinstance(bins, bool):
        from gpuscale.collection import compute

        low, high = compute(x.min(), x.max())
        bins = bf.equal_width_edges(low, high, bins, right)
    return _binned(x, bins, retbins, **options)


def qcut(x: Any, q: Any, labels: Any = None, retbins: bool = False, precision: int = 3,
         duplicates: str = "raise") -> Any:
    """Bin the values of a Series into quantile intervals, as ``pandas.qcut`` (the quantiles are computed at
    once, exactly).

    Parameters
    ----------
    x : Series (gpuscale; pandas objects go to pandas)
        The values.
    q : int or sequence of floats
        A number of quantile bins (4: quartiles) or the quantiles (``[0, 0.1, 0.5, 1]``).
    labels, precision, duplicates
        As pandas.
    retbins : bool
        Also return the edges.

    Returns
    -------
    Series
        Categorical, with ``x``'s index, partitions and divisions; with ``retbins``, ``(Series, edges)``.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series(range(8)), npartitions=3, backend="cpu")
    >>> gd.qcut(s, 4, labels=False).compute().tolist()
    [0, 0, 1, 1, 2, 2, 3, 3]
    """
    options = {"labels": labels, "precision": precision, "duplicates": duplicates}
    if not _is_collection(x):
        return bf.in_memory_cut(x, q, quantiles=True, retbins=retbins, **options)
    from gpuscale.backends import to_host
    from gpuscale.collection import compute

    levels = bf.quantile_levels(q)
    (edges,) = compute(x.dropna().quantile(list(levels)))
    edges = bf.bin_edges_array(to_host(edges))
    return _binned(x, edges, retbins, right=True, include_lowest=True, ordered=True, **options)
