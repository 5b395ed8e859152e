"""Label and position queries pandas has and dask lacks, each a lazy Scalar of one tree reduction:
``first_valid_index`` / ``last_valid_index`` of DataFrame and Series; of a Series ``argmax`` / ``argmin``
(positions across all partitions), ``is_unique`` and ``hasnans``.  Partition functions:
:mod:`gpuscale.backends.frame.positions`."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.reductions import tree_reduce

__all__ = ["ValidIndexMethods", "SeriesPositionMethods"]


def _new(expr: Any) -> Any:
    from gpuscale.dataframe.core import new_collection

    return new_collection(expr)


def _valid_label(obj: Any, last: bool, split_every: Any) -> Any:
    kwargs = {"last": last}
    meta = bf.make_meta(bf.meta_nonempty(obj._meta).index[0])
    label = "last-valid-index" if last else "first-valid-index"
    return _new(tree_reduce(obj.expr, bf.valid_label_chunk, bf.valid_label_combine, bf.valid_label_aggregate,
                            kwargs, meta, label, split_every, chunk_kwargs=kwargs))


class ValidIndexMethods:
    """Mixin of DataFrame and Series: ``first_valid_index``, ``last_valid_index``."""

    def first_valid_index(self, split_every: Any = None) -> Any:
        """The label of the first row holding a value (of a DataFrame: in any column), or None, a lazy Scalar.

        Parameters
        ----------
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([None, None, 2.0, None, 4.0, None], index=list("abcdef"))
        >>> ds = gd.from_pandas(s, npartitions=3, backend="cpu")
        >>> ds.first_valid_index().compute(), ds.last_valid_index().compute()
        ('c', 'e')
        """
        return _valid_label(self, False, split_every)

    def last_valid_index(self, split_every: Any = None) -> Any:
        """The label of the last row holding a value, or None, a lazy Scalar (see :meth:`first_valid_index`).

        Parameters
        ----------
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = pd.DataFrame({"a": [1.0, None, None], "b": [None, 2.0, None]})
        >>> int(gd.from_pandas(df, npartitions=2, backend="cpu").last_valid_index().compute())
        1
        """
        return _valid_label(self, True, split_every)


class SeriesPositionMethods:
    """Mixin of Series: ``argmax``, ``argmin``, ``is_unique``, ``hasnans``, ``asof``."""

    def asof(self, where: Any, subset: Any = None) -> Any:
        """The last value not missing at or before the label ``where`` (a sorted index), as pandas' ``asof``; a
        lazy Scalar (known divisions: only the partitions up to ``where`` are read).

        Parameters
        ----------
        where : label
            One label (pandas' lists of labels are not supported: use ``merge_asof``).
        subset : None
            Accepted as pandas' (a Series has no columns).

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([1.0, None, 3.0, None], index=[10, 20, 30, 40])
        >>> float(gd.from_pandas(s, npartitions=2, backend="cpu").asof(25).compute())
        1.0
        """
        if isinstance(where, (list, tuple, set)) or getattr(where, "ndim", 0) > 0:  # (arrays, Index, Series)
            raise NotImplementedError("asof: one label (for many, merge_asof the labels with the series)")
        obj = self
        if self.known_divisions and self.divisions[0] <= where:
            obj = self.loc[:where]
        meta = bf.make_meta(bf.meta_nonempty(self._meta).iloc[0])
        return _new(tree_reduce(obj.expr, bf.asof_chunk, bf.asof_combine, bf.asof_aggregate, {}, meta, "asof",
                                chunk_kwargs={"where": where}))

    def _arg_extreme(self, how: str, axis: Any, skipna: bool, split_every: Any) -> Any:
        if axis not in (None, 0, "index"):
            raise ValueError(f"arg{how}: a Series has only axis 0, got {axis!r}")
        try:
            bf.idx_extreme_meta(self._meta, how)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"arg{how}: not supported for dtype {self.dtype}: {exc}") from None
        kwargs = {"how": how, "skipna": skipna}
        return _new(tree_reduce(self.expr, bf.arg_extreme_chunk, bf.arg_extreme_combine, bf.arg_extreme_aggregate,
                                kwargs, bf.make_meta(0), f"arg{how}", split_every, chunk_kwargs=kwargs))

    def argmax(self, axis: Any = None, skipna: bool = True, split_every: Any = None) -> Any:
        """The position (0 .. len - 1, across all partitions) of the first largest value, a lazy Scalar.

        Parameters
        ----------
        axis : None or 0
            Only rows.
        skipna : bool
            Skip missing values; with ``False`` a missing value raises ``ValueError`` (pandas 3).
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> ds = gd.from_pandas(pd.Series([3, 1, 9, 2, 9], index=list("vwxyz")), npartitions=3, backend="cpu")
        >>> int(ds.argmax().compute()), int(ds.argmin().compute())
        (2, 1)
        """
        return self._arg_extreme("max", axis, skipna, split_every)

    def argmin(self, axis: Any = None, skipna: bool = True, split_every: Any = None) -> Any:
        """The position of the first smallest value, a lazy Scalar (see :meth:`argmax`).

        Parameters
        ----------
        axis : None or 0
            Only rows.
        skipna : bool
            Skip missing values.
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> int(gd.from_pandas(pd.Series([4.0, None, 1.0]), npartitions=2, backend="cpu").argmin().compute())
        2
        """
        return self._arg_extreme("min", axis, skipna, split_every)

    @property
    def is_unique(self) -> Any:
        """Whether no value repeats (missing values count as one value, as pandas), a lazy boolean.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> bool(gd.from_pandas(pd.Series([1, 2, 2]), npartitions=2, backend="cpu").is_unique.compute())
        False
        """
        return self.nunique(dropna=False) == self.size

    @property
    def hasnans(self) -> Any:
        """Whether any value is missing, a lazy boolean.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> bool(gd.from_pandas(pd.Series([1.0, None]), npartitions=2, backend="cpu").hasnans.compute())
        True
        """
        return self.isna().any()
