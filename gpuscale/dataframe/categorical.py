"""Categoricals as dask.dataframe has them: ``astype("category")`` (unknown categories),
``categorize()`` (known categories, computed in one pass), and the ``.cat`` accessor of a Series or a
categorical Index."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends import to_host
from gpuscale.collection import compute
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.reductions import check_split_every, tree_reduce

__all__ = ["CategoricalAccessor", "UnknownCategoriesError", "categorize", "categorical_dtype", "astype"]

# what an Index answers itself when its values are categorical (``df.index.categories``), as dask's
INDEX_ATTRIBUTES = ("known", "as_known", "as_unknown", "add_categories", "categories", "remove_categories",
                    "reorder_categories", "as_ordered", "codes", "remove_unused_categories", "set_categories",
                    "as_unordered", "ordered", "rename_categories")


class UnknownCategoriesError(NotImplementedError, AttributeError):
    """What needs the categories of a collection whose partitions each have their own.

    Also an ``AttributeError``, so ``hasattr`` and IPython's completion treat the attribute as absent.
    """


def categorical_dtype(meta: Any, categories: Any = None, ordered: bool = False) -> Any:
    """The categorical dtype of ``meta``'s library (pandas or cuDF) with these categories.

    Parameters
    ----------
    meta : DataFrame, Series or Index
        An object of the library whose dtype class is wanted (pandas' and cuDF's differ).
    categories : list-like, optional
        The categories.
    ordered : bool
        Whether the categories are ordered.

    Returns
    -------
    CategoricalDtype

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> gd.categorical.categorical_dtype(pd.Series([1.0]), ["a", "b"], ordered=True)
    CategoricalDtype(categories=['a', 'b'], ordered=True, categories_dtype=str)
    """
    meta = getattr(meta, "_meta", meta)
    return bf.categorical_dtype(bf.library_of(meta), [] if categories is None else categories, ordered)


def astype(collection: Any, dtype: Any) -> Any:
    """``astype`` whose categorical results carry unknown categories in their metadata when each
    partition learns its own (``"category"``), as dask's."""
    columns = getattr(collection._meta, "columns", None)
    if isinstance(dtype, dict) and columns is not None:  # pandas' error (cuDF partitions would skip the name)
        missing = [c for c in dtype if c not in columns]
        if missing:
            raise KeyError("Only a column name can be used for the key in a dtype mappings argument. "
                           f"{missing[0]!r} not found in columns.")
    out = collection._method("astype", dtype)
    wanted = dtype.items() if isinstance(dtype, dict) else [(None, dtype)]
    unknown = [column for column, d in wanted if bf.wants_unknown_categories(d)]
    if not unknown:
        return out
    meta = bf.with_unknown_categories(out._meta, None if unknown == [None] else unknown)
    return new_collection(map_partitions_expr(bf.call_method, collection.expr, "astype", dtype, meta=meta,
                                              label="astype", columnwise=True))


def categorize(df: Any, columns: Any = None, index: Any = None, split_every: Any = None, **kwargs: Any) -> Any:
    """Make string (or unknown categorical) columns, and the index, categorical with the categories of the
    whole data.

    The distinct values of every such column are found in one pass over the data (sorted, as dask's),
    then each partition is cast to the same categories: the metadata lists them. Known categorical
    columns are left alone; with nothing to do the frame itself is returned.

    Parameters
    ----------
    columns : label or list, optional
        The columns; by default every string column and every categorical one with unknown categories.
    index : bool, optional
        Whether to categorize the index; by default a string index or one with unknown categories is.
    split_every : int, optional
        Partitions combined per step while finding the distinct values (at least 2).
    **kwargs
        Passed to ``compute``.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"s": list("abcab"), "x": range(5)}), npartitions=2, backend="cpu")
    >>> df.categorize(columns=["s"]).s.cat.categories.tolist()
    ['a', 'b', 'c']
    """
    check_split_every(split_every, "categorize")
    meta = df._meta
    if columns is None:
        columns = [c for c in meta.columns if _categorizable(meta[c].dtype, meta[c])]
    columns = [columns] if isinstance(columns, (str, int)) else list(columns)
    df._check_columns(columns)
    columns = [c for c in columns if _categorizable(meta[c].dtype, meta[c], strings_only=False)]
    index = _index_wanted(meta.index, index)
    if not columns and not index:
        return df
    lazy = [_distinct(df[c], split_every) for c in columns]
    if index:
        lazy.append(_distinct(df.index, split_every))
    uniques = compute(*lazy, **kwargs)
    categories = {c: u if _is_ordered(meta[c]) else _values(u) for c, u in zip(columns, uniques)}
    index_categories = _index_categories(_values(uniques[-1]), meta.index) if index else None
    out_meta = bf.categorize_part(meta, categories, index_categories)
    return new_collection(map_partitions_expr(bf.categorize_part, df.expr, categories, index_categories,
                                              meta=out_meta, label="categorize", columnwise=not index))


def _distinct(values: Any, split_every: Any = None) -> Any:
    """The distinct values of a Series or Index collection, lazily; of a categorical one, the distinct
    categories of its partitions (unused ones too, as dask's); of an ordered categorical, the categories in
    the order its partitions agree on (:func:`_agreed_order`)."""
    if _is_ordered(values._meta):
        return _agreed_order(values, split_every)
    if bf.is_categorical(values.dtype):
        sample = bf.partition_categories(bf.meta_nonempty(values._meta))
        values = new_collection(map_partitions_expr(bf.partition_categories, values.expr, meta=bf.make_meta(sample),
                                                    label="cat.categories"))
    elif bf.is_index_like(values._meta):
        values = values.to_series()
    return values.unique(split_every=split_every)


def _is_ordered(meta: Any) -> bool:
    return bf.is_categorical(meta.dtype) and bool(meta.dtype.ordered)


def _agreed_order(values: Any, split_every: Any = None) -> Any:
    """A lazy Index of the categories of an ordered categorical Series or Index in the order its partitions
    agree on: sorting them would change what compares below what (pandas' ``union_categoricals`` keeps the
    order of ordered categories that are the same everywhere and refuses others)."""
    meta = bf.host_dtype(values._meta.dtype).categories[:0]
    return new_collection(tree_reduce(values.expr, bf.ordered_category_lists, bf.combined_category_lists,
                                      bf.agreed_categories_of_one, {}, meta, "ordered-categories",
                                      split_every=split_every))


def _index_categories(categories: Any, meta_index: Any) -> Any:
    """The categories of the index in its own dtype, as pandas' ``Index.astype("category")``: the distinct
    values pass through a Series, which pandas 3 may give another dtype (``str`` of an ``object`` index of one
    partition), so the categories' dtype depended on the number of partitions."""
    wanted = meta_index.dtype
    if bf.is_categorical(wanted) or categories.dtype == wanted:
        return categories
    return categories.astype(wanted)


def _index_wanted(meta_index: Any, index: Any) -> bool:
    """dask's rule: an index with unknown categories, or (by default) a string one, is categorized;
    an index with known categories never is."""
    if index is False:
        return False
    if bf.is_categorical(meta_index.dtype):
        return not bf.has_known_categories(meta_index)
    return bool(index) or (index is None and bf.key_kind(meta_index.dtype) == "string")


def _categorizable(dtype: Any, meta_series: Any, strings_only: bool = True) -> bool:
    if bf.is_categorical(dtype):
        return not bf.has_known_categories(meta_series)
    return bf.key_kind(dtype) == "string" or not strings_only


def _values(unique: Any) -> Any:
    """The distinct values (a computed or lazy Series) as a sorted host Index of their dtype (in order of
    appearance if they do not sort), without missing values: the categories ``categorize`` gives, as dask's."""
    return bf.sorted_categories(unique.compute() if hasattr(unique, "compute") else unique)


class CategoricalAccessor:
    """``series.cat`` (and ``index.cat``): dask's categorical accessor, with known or unknown categories.

    ``categories`` and ``ordered`` come from the metadata; the other members are computed partition by
    partition, their metadata found by applying them to the collection's metadata.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series(list("bacb"), dtype="category"), npartitions=2, backend="cpu")
    >>> s.cat.known, s.cat.categories.tolist(), s.cat.codes.compute().tolist()
    (True, ['a', 'b', 'c'], [1, 0, 2, 1])
    >>> s.cat.add_categories(["d"]).cat.categories.tolist()
    ['a', 'b', 'c', 'd']
    >>> s.cat.as_unknown().cat.known
    False
    """

    def __init__(self, series: Any) -> None:
        if not bf.is_categorical(series.dtype):
            raise AttributeError(f".cat accessor needs categorical values; {series.name!r} has dtype "
                                 f"{series.dtype} (use astype('category') or categorize())")
        self._series = series

    @property
    def known(self) -> bool:
        """Whether the categories are known (the same in every partition, listed in the metadata)."""
        return bf.has_known_categories(self._series._meta)

    def _require_known(self, what: str) -> None:
        if not self.known:
            raise UnknownCategoriesError(f"`.cat.{what}` with unknown categories is not supported; call "
                                         "`.cat.as_known()` (or categorize() on the frame) first")

    @property
    def categories(self) -> Any:
        """The categories (known categories only), from the metadata."""
        self._require_known("categories")
        return to_host(bf.categorical_call(self._series._meta, "categories", False))

    @property
    def ordered(self) -> bool:
        """Whether the categories are ordered."""
        return bool(self._series._meta.dtype.ordered)

    @property
    def codes(self) -> Any:
        """The integer codes (known categories only: unknown ones differ between partitions)."""
        self._require_known("codes")
        return self._map("codes", False)

    def _map(self, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
        try:
            sample = bf.categorical_call(self._series._meta, attr, is_method, *args, **kwargs)
        except (ValueError, TypeError) as exc:
            if self.known:
                raise
            raise UnknownCategoriesError(f"`.cat.{attr}` with unknown categories: {exc}; call `.cat.as_known()` "
                                         "first") from exc
        return new_collection(map_partitions_expr(bf.categorical_call, self._series.expr, attr, is_method, *args,
                                                  kwargs=kwargs or None, meta=bf.make_meta(sample),
                                                  label=f"cat.{attr}", columnwise=True))

    def as_known(self, **kwargs: Any) -> Any:
        """The same values with the categories of the whole data (computed: the union of the partitions'
        categories, sorted when they sort); itself when already known.

        Parameters
        ----------
        **kwargs
            Passed to ``compute``.
        """
        if self.known:
            return self._series
        categories = _distinct(self._series).compute(**kwargs)
        return self.set_categories(categories if self.ordered else _values(categories))

    def as_unknown(self) -> Any:
        """The same values, their categories no longer tracked in the metadata; itself when unknown."""
        if not self.known:
            return self._series
        meta = bf.with_unknown_categories(self._series._meta)
        return new_collection(map_partitions_expr(bf.call_method, self._series.expr, "copy", meta=meta,
                                                  label="as_unknown", columnwise=True))

    def remove_unused_categories(self) -> Any:
        """Drop the categories no row uses (computed, so that all partitions agree), in their order; unknown
        categories are learnt first, as :meth:`as_known` (dask ran pandas' method on its empty metadata and
        gave every partition no categories: all values missing)."""
        if not self.known:
            return self.as_known().cat.remove_unused_categories()
        values = self._series.to_series() if bf.is_index_like(self._series._meta) else self._series
        used = set(_values(values.dropna().unique()))
        categories = self.categories
        keep = [c for c in categories if c in used]
        if len(keep) == len(categories):
            return self._series
        return self.set_categories(keep)

    def add_categories(self, new_categories: Any) -> Any:
        """Append ``new_categories`` to the categories."""
        return self._map("add_categories", True, new_categories)

    def remove_categories(self, removals: Any) -> Any:
        """Drop the categories ``removals`` (their values become missing)."""
        return self._map("remove_categories", True, removals)

    def rename_categories(self, new_categories: Any) -> Any:
        """Give the categories new names (a list in category order, or a mapping)."""
        return self._map("rename_categories", True, new_categories)

    def reorder_categories(self, new_categories: Any, ordered: Any = None) -> Any:
        """The same categories in the order ``new_categories``."""
        return self._map("reorder_categories", True, list(new_categories),
                         ordered=self.ordered if ordered is None else ordered)

    def set_categories(self, new_categories: Any, ordered: Any = None, rename: bool = False) -> Any:
        """Use ``new_categories`` in every partition (values outside them become missing); the result's
        categories are known. ``ordered=None`` keeps the current ordering."""
        kwargs = {"rename": True} if rename else {}
        ordered = self.ordered if ordered is None else ordered  # (cuDF's default is False, pandas' keeps it)
        # (a pandas Index of categories keeps its dtype on pandas partitions: string categories stay string)
        keep = bf.is_index_like(new_categories) and bf.library_of(self._series._meta) == "pandas"
        return self._map("set_categories", True, new_categories if keep else list(new_categories), ordered=ordered,
                         **kwargs)

    def as_ordered(self) -> Any:
        """The same categories, ordered."""
        return self._map("as_ordered", True)

    def as_unordered(self) -> Any:
        """The same categories, unordered."""
        return self._map("as_unordered", True)

    def __dir__(self) -> list:
        return sorted(INDEX_ATTRIBUTES)


def index_attribute(index: Any, name: str) -> Any:
    """``index.name`` for the categorical members an Index answers itself (``df.index.categories``)."""
    if hasattr(type(index), name):  # a property of the Index that raised AttributeError: its own message
        return object.__getattribute__(index, name)
    if name in INDEX_ATTRIBUTES and bf.is_categorical(index._meta.dtype):
        return getattr(CategoricalAccessor(index), name)
    raise AttributeError(f"'Index' object has no attribute {name!r}")
