"""Categoricals as dask.dataframe has them: ``astype("category")`` (unknown categories),
``categorize()`` (known categories, computed in one pass), and the ``.cat`` accessor."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends import to_host
from gpuscale.collection import compute
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr

__all__ = ["CategoricalAccessor", "categorize", "astype"]


def astype(collection: Any, dtype: Any) -> Any:
    """``astype`` whose categorical results carry unknown categories in their metadata when each
    partition learns its own (``"category"``), as dask's."""
    out = collection._method("astype", dtype)
    wanted = dtype.items() if isinstance(dtype, dict) else [(None, dtype)]
    unknown = [column for column, d in wanted if bf.wants_unknown_categories(d)]
    if not unknown:
        return out
    meta = bf.with_unknown_categories(out._meta, None if unknown == [None] else unknown)
    return new_collection(map_partitions_expr(bf.call_method, collection.expr, "astype", dtype, meta=meta,
                                              label="astype", columnwise=True))


def categorize(df: Any, columns: Any = None, index: Any = None) -> Any:
    """Make string (or unknown categorical) columns categorical with the categories of the whole data.

    The distinct values of every such column are found in one pass over the data (sorted, as dask's),
    then each partition is cast to the same categories: the metadata lists them.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"s": list("abcab"), "x": range(5)}), npartitions=2, backend="cpu")
    >>> df.categorize(columns=["s"]).s.cat.categories.tolist()
    ['a', 'b', 'c']
    """
    meta = df._meta
    if columns is None:
        columns = [c for c in meta.columns if _categorizable(meta[c].dtype, meta[c])]
    columns = [columns] if isinstance(columns, (str, int)) else list(columns)
    if index:
        raise NotImplementedError("categorize(index=True): set a categorical column as the index instead")
    if not columns:
        return df
    uniques = compute(*[df[c].unique() for c in columns])
    categories = {c: _values(u) for c, u in zip(columns, uniques)}
    out_meta = bf.set_known_categories(meta, categories)
    return new_collection(map_partitions_expr(bf.set_known_categories, df.expr, kwargs={"categories": categories},
                                              meta=out_meta, label="categorize", columnwise=True))


def _categorizable(dtype: Any, meta_series: Any) -> bool:
    if bf.is_categorical(dtype):
        return not bf.has_known_categories(meta_series)
    return bf.key_kind(dtype) == "string"


def _values(unique: Any) -> list:
    """The distinct values (a computed or lazy Series) as a sorted host list (in order of appearance
    if they do not sort), without missing values: the categories ``categorize`` gives, as dask's."""
    values = unique.compute() if hasattr(unique, "compute") else unique
    present = [v for v in to_host(values).tolist() if v == v]  # missing values are not categories
    try:
        return sorted(present)
    except TypeError:
        return present


class CategoricalAccessor:
    """``series.cat``: dask's categorical accessor (known / unknown categories)."""

    def __init__(self, series: Any) -> None:
        if not bf.is_categorical(series.dtype):
            raise AttributeError(f".cat accessor needs categorical values; column {series.name!r} has dtype "
                                 f"{series.dtype} (use astype('category') or categorize())")
        self._series = series

    @property
    def known(self) -> bool:
        """Whether the categories are known (the same in every partition, listed in the metadata)."""
        return bf.has_known_categories(self._series._meta)

    def _require_known(self, what: str) -> None:
        if not self.known:
            raise NotImplementedError(f"`.cat.{what}` with unknown categories is not supported; call "
                                      "`.cat.as_known()` (or categorize() on the frame) first")

    @property
    def categories(self) -> Any:
        """The categories (known categories only), from the metadata."""
        self._require_known("categories")
        return to_host(self._series._meta.dtype.categories)

    @property
    def ordered(self) -> bool:
        """Whether the categories are ordered."""
        return bool(self._series._meta.dtype.ordered)

    @property
    def codes(self) -> Any:
        """The integer codes (known categories only: unknown ones differ between partitions)."""
        self._require_known("codes")
        return self._call("codes", False)

    def as_known(self) -> Any:
        """The same values with the categories of the whole data (computed)."""
        if self.known:
            return self._series
        values = _values(self._series.unique())
        meta = bf.set_known_categories(self._series._meta, {None: values})
        return new_collection(map_partitions_expr(bf.set_known_categories, self._series.expr,
                                                  kwargs={"categories": {None: values}}, meta=meta, label="as_known",
                                                  columnwise=True))

    def as_unknown(self) -> Any:
        """The same values, their categories no longer tracked in the metadata."""
        meta = bf.with_unknown_categories(self._series._meta)
        return new_collection(map_partitions_expr(bf.call_method, self._series.expr, "copy", meta=meta,
                                                  label="as_unknown", columnwise=True))

    def _call(self, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
        return new_collection(map_partitions_expr(bf.call_accessor, self._series.expr, "cat", attr, is_method, *args,
                                                  kwargs=kwargs or None, label=f"cat.{attr}", columnwise=True))

    def remove_unused_categories(self) -> Any:
        """Drop categories no row uses (computed, so that all partitions agree)."""
        self._require_known("remove_unused_categories")
        used = set(_values(self._series.dropna().unique()))
        keep = [c for c in self.categories if c in used]
        return self.set_categories(keep)

    def set_categories(self, new_categories: Any, ordered: bool = False) -> Any:
        """Use ``new_categories`` in every partition (values outside them become missing)."""
        values = list(new_categories)
        meta = bf.set_known_categories(self._series._meta, {None: values}, ordered)
        return new_collection(map_partitions_expr(bf.set_known_categories, self._series.expr,
                                                  kwargs={"categories": {None: values}, "ordered": ordered}, meta=meta,
                                                  label="set_categories", columnwise=True))
