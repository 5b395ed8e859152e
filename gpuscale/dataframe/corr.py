"""``corr`` and ``cov`` of DataFrame columns and of two Series: tree reductions of pairwise moments.

Missing values are handled pairwise, as pandas: each pair of columns uses the rows where both are
valid.  Each partition gives per pair the count, means, sums of squared deviations and co-moment,
merged across partitions without cancellation; the answer is pandas' (Pearson only, as dask).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.reductions import tree_reduce

__all__ = ["CorrMethods", "DataFrameCorrWith"]


def _numeric(obj: Any, numeric_only: bool, what: str) -> Any:
    bad = [c for c, d in obj._meta.dtypes.items() if not bf.is_numeric_dtype(d)]
    if bad and not numeric_only:
        raise ValueError(f"{what}: columns {bad} are not numeric; pass numeric_only=True")
    return obj[[c for c in obj.columns if c not in bad]] if bad else obj


def _reduce(frame: Any, corr: bool, min_periods: Any, ddof: int, split_every: Any, scalar: bool) -> Any:
    from gpuscale.dataframe.core import new_collection

    kwargs = {"corr": corr, "min_periods": min_periods, "ddof": ddof, "library": bf.library_of(frame._meta),
              "scalar": scalar}
    sample = bf.corr_aggregate([bf.corr_chunk(bf.meta_nonempty(frame._meta))], **kwargs)
    split_every = None if split_every is False else split_every
    return new_collection(tree_reduce(frame.expr, bf.corr_chunk, bf.corr_combine, bf.corr_aggregate, kwargs,
                                      bf.make_meta(sample), "corr" if corr else "cov", split_every))


def _pair(left: Any, right: Any, what: str) -> Any:
    from gpuscale.dataframe.flex import aligned
    from gpuscale.dataframe.series import Series

    if not isinstance(right, Series):
        raise TypeError(f"{what}: other must be a gpuscale Series")
    left, right = aligned(left, right)
    return left.to_frame(name="__left__").assign(__right__=right)


class CorrMethods:
    """Mixin of DataFrame and Series: ``corr`` and ``cov``."""

    def corr(self, other: Any = None, method: str = "pearson", min_periods: Any = None, numeric_only: bool = False,
             split_every: Any = False) -> Any:
        """Pearson correlation: of the columns pairwise (DataFrame), or with ``other`` (Series).

        Parameters
        ----------
        other : Series
            Of a Series: the other Series (aligned on the index).
        method : {"pearson"}
            Only Pearson's (as dask).
        min_periods : int, optional
            Fewer valid pairs than this give NaN.
        numeric_only : bool
            Of a DataFrame: leave non-numeric columns out (otherwise they raise).
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        DataFrame or Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [2.0, 4.1, 6.0, 8.2]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> round(float(df.a.corr(df.b).compute()), 6) == round(float(pdf.a.corr(pdf.b)), 6)
        True
        """
        if isinstance(other, str) and bf.is_dataframe_like(self._meta):
            other, method = None, other  # pandas' DataFrame.corr(method) given by position
        if method != "pearson":
            raise NotImplementedError("Only Pearson correlation has been implemented")
        if bf.is_dataframe_like(self._meta):
            if other is not None:
                raise TypeError("DataFrame.corr takes no other (use DataFrame.corrwith in pandas)")
            return _reduce(_numeric(self, numeric_only, "corr"), True, min_periods, 1, split_every, False)
        return _reduce(_pair(self, other, "corr"), True, min_periods, 1, split_every, True)

    def cov(self, other: Any = None, min_periods: Any = None, numeric_only: bool = False, split_every: Any = False,
            ddof: int = 1) -> Any:
        """Covariance: of the columns pairwise (DataFrame), or with ``other`` (Series).

        Parameters
        ----------
        other : Series
            Of a Series: the other Series (aligned on the index).
        min_periods : int, optional
            Fewer valid pairs than this give NaN.
        numeric_only : bool
            Of a DataFrame: leave non-numeric columns out (otherwise they raise).
        split_every : int, optional
            Partials combined per step of the tree.
        ddof : int
            Delta degrees of freedom.

        Returns
        -------
        DataFrame or Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, 3.0, 2.0, 5.0]})
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").cov().compute().round(6).equals(pdf.cov().round(6))
        True
        """
        if bf.is_dataframe_like(self._meta):
            if isinstance(other, int) and not isinstance(other, bool) and min_periods is None:
                other, min_periods = None, other  # pandas' DataFrame.cov(min_periods) given by position
            if other is not None:
                raise TypeError("DataFrame.cov takes no other")
            return _reduce(_numeric(self, numeric_only, "cov"), False, min_periods, ddof, split_every, False)
        return _reduce(_pair(self, other, "cov"), False, min_periods, ddof, split_every, True)


class DataFrameCorrWith:
    """Mixin of DataFrame: ``corrwith``."""

    def corrwith(self, other: Any, axis: Any = 0, drop: bool = False, method: str = "pearson",
                 numeric_only: bool = False, split_every: Any = False) -> Any:
        """Pearson correlation of each column with a Series, or with the same-named column of another
        DataFrame, as pandas' ``corrwith`` (one tree reduction of the pairwise moments).

        Parameters
        ----------
        other : Series or DataFrame (gpuscale, pandas or cuDF)
            Aligned on the index.
        axis : {0, "index"}
            Columns with columns (rows with rows is not supported).
        drop : bool
            Leave out the columns only one side has (else NaN, after the others, in label order).
        method : {"pearson"}
            Only Pearson's.
        numeric_only : bool
            Leave non-numeric columns out (otherwise they raise).
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Series
            float64 (pandas' Float64 where nullable columns take part), indexed by the column labels.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [4.0, 1.0, 3.0, 2.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.corrwith(df.a).compute().round(4).to_dict()
        {'a': 1.0, 'b': -0.4}
        """
        from gpuscale.dataframe.flex import aligned
        from gpuscale.dataframe.porting import _as_collection

        if axis not in (0, "index"):
            raise NotImplementedError("corrwith: only axis=0 (columns with columns)")
        if method != "pearson":
            raise NotImplementedError("Only Pearson correlation has been implemented")
        left = _numeric(self, numeric_only, "corrwith")
        other = _as_collection(other, self)
        dtype = bf.corrwith_dtype(left._meta, other._meta, drop, numeric_only)  # Float64 of nullable columns
        if not bf.is_dataframe_like(other._meta):  # a Series: every column with it
            labels, missing = list(left.columns), []
            left, right = aligned(left, other)
            frame = _positional_columns(left, "l").assign(r0=right)
            pairs = [(f"l{i}", "r0") for i in range(len(labels))]
        else:
            right = _numeric(other, numeric_only, "corrwith")
            labels = [c for c in left.columns if c in right.columns]
            missing = [] if drop else sorted(set(left.columns) ^ set(right.columns), key=str)
            left, right = aligned(left[labels], right[labels])
            frame = _positional_columns(left, "l")
            for i, label in enumerate(labels):
                frame = frame.assign(**{f"r{i}": right[label]})
            pairs = [(f"l{i}", f"r{i}") for i in range(len(labels))]
        matrix = _reduce(frame, True, None, 1, split_every, False)
        kwargs = {"pairs": pairs, "labels": labels, "missing": missing, "dtype": dtype}
        return matrix._map(bf.correlations_of_pairs, kwargs=kwargs, label="corrwith",
                           meta=bf.correlations_of_pairs(matrix._meta, **kwargs))


def _positional_columns(frame: Any, prefix: str) -> Any:
    """``frame`` with its columns named ``<prefix>0``, ``<prefix>1``, ... (any labels travel as these)."""
    renamed = frame.copy()
    renamed.columns = [f"{prefix}{i}" for i in range(len(frame.columns))]
    return renamed
