"""Partition functions of ``cut`` / ``qcut``: the values of a partition binned by pandas' ``cut`` with edges every
partition shares (cuDF partitions on a host copy: pandas' labels, precision and ``duplicates=`` rules exactly,
which cuDF's ``cut`` does not all take), and the edges made as pandas makes them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.cudf_gaps import on_host

__all__ = ["binned_values", "equal_width_edges", "quantile_levels", "bin_edges_array", "in_memory_cut",
           "binned_counts"]


def _cut(part: Any, **kwargs: Any) -> Any:
    return pd.cut(part, **kwargs)


def binned_values(part: Any, **kwargs: Any) -> Any:
    """``pandas.cut(part, **kwargs)`` of a Series partition, in the partition's library."""
    return on_host(_cut, part, **kwargs)


def equal_width_edges(low: Any, high: Any, nbins: int, right: bool = True) -> Any:
    """The edges ``pandas.cut(x, nbins)`` makes for values from ``low`` to ``high`` (its 0.1 % widening of the
    outer edge, and of both for a single value)."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        raise ValueError("cut: no values to take the bins' range from (all missing)")
    return pd.cut(pd.Series([low, high]), nbins, right=right, retbins=True)[1]


def quantile_levels(q: Any) -> Any:
    """The quantiles of ``qcut(x, q)``: ``q + 1`` evenly spaced from 0 to 1 for a number, else those given."""
    if isinstance(q, (int, np.integer)) and not isinstance(q, bool):
        return np.linspace(0, 1, int(q) + 1)
    return np.asarray(q, dtype="float64")


def bin_edges_array(edges: Any) -> Any:
    """Edges as ``retbins`` returns them: an IntervalIndex as it is, others a NumPy array."""
    return edges if isinstance(edges, pd.IntervalIndex) else np.asarray(edges)


def in_memory_cut(x: Any, bins: Any, quantiles: bool = False, **kwargs: Any) -> Any:
    """``pandas.cut`` (``quantiles``: ``pandas.qcut``) of data in memory, as pandas gives it."""
    return pd.qcut(x, bins, **kwargs) if quantiles else pd.cut(x, bins, **kwargs)


def binned_counts(counts: Any, total: Any, categories: Any, sort: bool = True, ascending: bool = False,
                  normalize: bool = False, dropna: bool = True) -> Any:
    """pandas' ``value_counts(bins=...)`` from the counts of each bin's interval (``counts``, indexed by the
    bins that hold values; ``categories``: every bin): every bin, zeros included, labelled by an IntervalIndex
    in bin order, sorted by count (stable) with ``sort``; ``normalize``: proportions of ``total`` (every value,
    missing ones included, as pandas divides); no rows when no bin holds a value and ``dropna``.  cuDF's counts
    are laid out on a host copy (one row per bin)."""
    from gpuscale.backends.convert import to_host
    from gpuscale.backends.frame.core import convert_library, library_of

    library = library_of(counts)
    host = to_host(counts) if library != "pandas" else counts
    bins = pd.IntervalIndex(pd.Index(categories))
    out = pd.Series(host.reindex(pd.CategoricalIndex(bins, categories=bins), fill_value=0).to_numpy(),
                    index=bins, name="count")
    if dropna and (out == 0).all():
        out = out.iloc[:0]
    if sort:
        out = out.sort_values(ascending=ascending, kind="stable")
    if normalize:
        out = (out / int(total)).rename("proportion")
    return out if library == "pandas" else convert_library(out, library)
