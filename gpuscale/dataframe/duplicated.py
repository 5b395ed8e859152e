"""Repeated rows: ``duplicated`` of DataFrame and Series and ``DataFrame.value_counts`` (pandas'; dask has neither).

``duplicated`` is a boolean Series marking the rows whose keys appeared before (``keep="first"``), appear again
later (``"last"``) or repeat at all (``False``), in the rows' own partitions and order.

Each partition marks the keys it repeats itself; only one row per distinct key of each partition travels: its key
columns, tagged with the partition's number and the row's position, hash-shuffled by the keys so the partitions'
representatives of a key meet, marked there in the original order, and range-shuffled by partition number back to
where they came from (two shuffles of the distinct keys; none for one partition).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["DataFrameDuplicated", "SeriesDuplicated"]


class DataFrameDuplicated:
    """Mixin of DataFrame: ``duplicated``."""

    def duplicated(self, subset: Any = None, keep: Any = "first", split_out: Any = None) -> Any:
        """Whether each row repeats an earlier row (by ``keep``), as pandas' ``duplicated``.

        Parameters
        ----------
        subset : label or list of labels, optional
            The columns compared (default: all).
        keep : {"first", "last", False}
            Which copy is not marked: the first, the last, or none.
        split_out : int, optional
            Partitions the keys are shuffled into (default: as many as the input).

        Returns
        -------
        Series
            Booleans with the rows' own index, partitions and divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [1, 2, 1, 3, 2], "b": list("xyxzw")})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.duplicated().compute().tolist()
        [False, False, True, False, False]
        >>> df.duplicated(subset="a", keep="last").compute().tolist()
        [True, True, False, False, False]
        """
        return _duplicated(self, _subset(self, subset), keep, split_out)

    def value_counts(self, subset: Any = None, normalize: bool = False, sort: bool = True, ascending: bool = False,
                     dropna: bool = True, split_every: Any = None, split_out: Any = None) -> Any:
        """How often each distinct row occurs, as pandas' ``DataFrame.value_counts`` (a groupby ``size`` of the
        columns).

        Parameters
        ----------
        subset : label or list of labels, optional
            The columns whose rows are counted (default: all).
        normalize : bool
            Proportions of all rows (the Series is named ``proportion``) instead of counts (``count``).
        sort, ascending : bool
            Order by count, descending unless ``ascending``.
        dropna : bool
            Leave out rows with a missing value in the counted columns.
        split_every, split_out : int, optional
            As groupby's (``split_out`` > 1: as many output partitions, sorted each by a global sort).

        Returns
        -------
        Series
            Indexed by the counted columns (a MultiIndex, also of a list of one column, as pandas).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [1, 2, 1, 1], "b": list("xyxz")})
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").value_counts().compute().to_dict()
        {(1, 'x'): 2, (1, 'z'): 1, (2, 'y'): 1}
        """
        labels = list(self.columns) if subset is None else _subset(self, subset, "value_counts")
        # (categories no row has count 0, as pandas counts them: observed=False)
        counts = self.groupby(labels, dropna=dropna, observed=False).size(split_every=split_every,
                                                                          split_out=split_out)
        if normalize:
            counts = counts / counts.sum()
        one_label = subset is not None and _one_label(self, subset)  # (pandas: a plain Index)
        kwargs = {"name": "proportion" if normalize else "count", "one_level": len(labels) == 1 and not one_label,
                  "sort": bool(sort) and counts.npartitions == 1, "ascending": ascending}
        out = counts._map(bf.counts_of_rows, kwargs=kwargs, label="value_counts",
                          meta=bf.counts_of_rows(counts._meta, **kwargs))
        return out.sort_values(ascending=ascending) if sort and out.npartitions > 1 else out


class SeriesDuplicated:
    """Mixin of Series: ``duplicated``."""

    def duplicated(self, keep: Any = "first", split_out: Any = None) -> Any:
        """Whether each value repeats an earlier one (by ``keep``), as pandas' ``Series.duplicated``.

        Parameters
        ----------
        keep : {"first", "last", False}
            Which copy is not marked: the first, the last, or none.
        split_out : int, optional
            Partitions the values are shuffled into (default: as many as the input).

        Returns
        -------
        Series
            Booleans with the rows' own index, partitions and divisions, and this Series' name.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series(list("xyxzw")), npartitions=2, backend="cpu")
        >>> s.duplicated(keep=False).compute().tolist()
        [True, False, True, False, False]
        """
        return _duplicated(self, None, keep, split_out)


def _duplicated(obj: Any, subset: Any, keep: Any, split_out: Any) -> Any:
    if keep not in ("first", "last", False):
        raise ValueError(f"duplicated: keep must be 'first', 'last' or False, not {keep!r}")
    kwargs = {"subset": subset, "keep": keep} if hasattr(obj, "columns") else {"keep": keep}
    meta = bf.make_meta(bf.meta_nonempty(obj._meta).duplicated(**kwargs))
    if obj.npartitions == 1:
        return obj._map(_duplicated_part, label="duplicated", meta=meta, kwargs=kwargs)
    return _across_partitions(obj, subset, keep, split_out, meta)


def _duplicated_part(part: Any, **kwargs: Any) -> Any:
    return part.duplicated(**kwargs)


def _one_label(obj: Any, subset: Any) -> bool:
    """Whether ``subset`` is one column label (a tuple label too) rather than a list of them."""
    return not isinstance(subset, (list, tuple, set)) and not hasattr(subset, "tolist") or \
        bf.is_one_label(obj._meta.columns, subset)


def _subset(obj: Any, subset: Any, method: str = "duplicated") -> Any:
    if subset is None or not hasattr(obj, "columns"):
        return None
    labels = [subset] if _one_label(obj, subset) else list(subset)
    missing = [c for c in labels if c not in obj.columns]
    if missing:
        raise KeyError(f"{method}: no column {missing[0]!r} in subset; available columns: {list(obj.columns)}")
    return labels


def _across_partitions(obj: Any, subset: Any, keep: Any, split_out: Any, meta: Any) -> Any:
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.expr.shuffle import HashShuffle
    from gpuscale.dataframe.routed import routed_home, tagged_keys

    tagged, sample, keys = tagged_keys(obj, subset, "duplicated", bf.representatives, keep=keep)
    met = HashShuffle(tagged, keys, split_out or obj.npartitions, True)
    marked = map_partitions_expr(bf.mark_duplicates, met, kwargs={"keep": keep}, label="duplicated-mark",
                                 meta=bf.mark_duplicates(sample, keep))
    return routed_home(obj, marked, meta, "duplicated", bf.marks_with_representatives, subset=subset, keep=keep)
