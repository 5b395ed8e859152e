"""Row-level methods shared by DataFrame and Series: sorting, distinct values, top-n, repartition."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.reductions import DropDuplicates, tree_reduce
from gpuscale.dataframe.expr.shuffle import HashShuffle
from gpuscale.dataframe.expr.sorting import SortValues

__all__ = ["RowMethods"]


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


class RowMethods:
    """Mixin: methods that move rows between partitions or reduce to distinct rows."""

    def _key_columns(self, by: Any) -> list:
        one = hasattr(self, "columns") and bf.is_one_label(self._meta.columns, by)  # a tuple label (pandas)
        keys = [by] if one else _as_list(by)
        if hasattr(self, "_check_columns"):
            self._check_columns(keys)
        return keys

    # -- sorting ------------------------------------------------------------------------------
    def sort_values(self, by: Any = None, ascending: Any = True, na_position: str = "last",
                    npartitions: int | None = None) -> Any:
        """Sort all rows (global order across partitions) by one or more columns.

        ``ascending`` is a bool or one bool per column.  Boundaries of the
        partitions are sampled from the data, rows are range-shuffled, then
        each partition is sorted.  ``sort_values(...).head(n)`` runs as a
        top-n reduction instead.
        """
        if by is None:
            if hasattr(self, "columns"):
                raise TypeError("sort_values() of a DataFrame needs by=")
            return self.to_frame(name="__value__").sort_values("__value__", ascending, na_position)["__value__"]\
                .rename(self.name)
        by = self._key_columns(by)
        ascending = _as_list(ascending) if isinstance(ascending, (list, tuple)) else [ascending] * len(by)
        if len(ascending) != len(by):
            raise ValueError(f"sort_values: {len(ascending)} ascending flags for {len(by)} columns")
        return new_collection(SortValues(self.expr, tuple(by), tuple(ascending), na_position))

    def nlargest(self, n: int = 5, columns: Any = None, keep: str = "first", split_every: int | None = None) -> Any:
        """The ``n`` largest rows (by ``columns``), as a tree reduction."""
        return self._nextreme(n, columns, keep, False, split_every)

    def nsmallest(self, n: int = 5, columns: Any = None, keep: str = "first", split_every: int | None = None) -> Any:
        """The ``n`` smallest rows (by ``columns``), as a tree reduction."""
        return self._nextreme(n, columns, keep, True, split_every)

    def _nextreme(self, n: int, columns: Any, keep: str, smallest: bool, split_every: Any) -> Any:
        if columns is not None:
            columns = self._key_columns(columns)
        kwargs = {"n": n, "columns": columns, "keep": keep, "smallest": smallest}
        label = "nsmallest" if smallest else "nlargest"
        return new_collection(tree_reduce(self.expr, bf.nlargest, bf.nlargest, bf.nlargest, kwargs, self._meta,
                                          label, split_every, chunk_kwargs=kwargs))

    # -- distinct rows ------------------------------------------------------------------------------
    def drop_duplicates(self, subset: Any = None, keep: str = "first", split_out: Any = None,
                        split_every: int | None = None, ignore_index: bool = False) -> Any:
        """Rows without repeats (``keep="first"`` or ``"last"``).

        ``split_out=1`` keeps the order of first appearance in one partition (a
        tree reduction); the default (``None``: as many partitions as the input)
        removes repeats per partition, then hash-shuffles the rest, which scales
        to many distinct rows but does not keep the row order.
        """
        kwargs: dict = {"keep": keep}
        if subset is not None:
            kwargs["subset"] = self._key_columns(subset)
        on = tuple(kwargs.get("subset", self._meta.columns if hasattr(self._meta, "columns") else [self.name]))
        split_out = None if split_out is True else split_out
        out = new_collection(DropDuplicates(self.expr, kwargs, on, split_out, split_every))
        return out.reset_index(drop=True) if ignore_index else out

    def nunique(self, dropna: bool = True, split_every: int | None = None, axis: Any = 0) -> Any:
        """Number of distinct values (a lazy Scalar for a Series, a Series for a DataFrame: per column,
        or per row with ``axis=1``)."""
        series = not hasattr(self._meta, "columns")
        if axis in (1, "columns") and not series:
            from gpuscale.dataframe.expr.blockwise import map_partitions_expr
            from gpuscale.dataframe.expr.sorting import WithDivisions

            expr = map_partitions_expr(bf.row_nunique, self.expr, kwargs={"dropna": dropna}, label="nunique")
            return new_collection(WithDivisions(expr, self.divisions) if self.known_divisions else expr)
        if axis not in (0, "index", None):
            raise ValueError(f"No axis named {axis} for {type(self).__name__}")
        library = bf.library_of(self._meta)
        meta = bf.make_meta(bf.nunique_aggregate([bf.nunique_chunk(bf.meta_nonempty(self._meta))], series=series,
                                                 library=library))
        return new_collection(tree_reduce(self.expr, bf.nunique_chunk, bf.nunique_combine, bf.nunique_aggregate,
                                          {"dropna": dropna, "series": series, "library": library},
                                          meta, "nunique", split_every))

    # -- partitions ---------------------------------------------------------------------------------
    def repartition(self, divisions: Any = None, npartitions: int | None = None, partition_size: Any = None,
                    freq: Any = None, force: bool = False) -> Any:
        """New partitions, by one of ``npartitions``, ``divisions``, ``partition_size`` or ``freq`` (as dask).

        Parameters
        ----------
        divisions : list, optional
            Index boundaries of the new partitions (needs known divisions); the first and last
            must equal the current ones, or enclose them with ``force=True``.
        npartitions : int, optional
            Fewer: neighbours are concatenated; more: known numeric/datetime divisions are
            interpolated (divisions stay known), else each partition is split in row blocks.
        partition_size : int or str, optional
            At most this many bytes in memory per partition (``"100MB"``); sizes are measured now.
        freq : str, optional
            Boundaries every ``freq`` of a datetime index with known divisions (``"1D"``).
        force : bool
            Let ``divisions`` extend beyond the current first and last boundaries.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(10)}), npartitions=2, backend="cpu")
        >>> df.repartition(divisions=[0, 3, 6, 9]).divisions
        (0, 3, 6, 9)
        >>> df.repartition(npartitions=1).npartitions
        1
        """
        from gpuscale.dataframe.divisions import repartition

        return repartition(self, divisions, npartitions, partition_size, freq, force)

    def shuffle(self, on: Any = None, npartitions: int | None = None) -> Any:
        """Hash-partition rows by ``on`` (columns; None: the index)."""
        on = None if on is None else tuple(self._key_columns(on))
        return new_collection(HashShuffle(self.expr, on, npartitions or self.npartitions))
