"""Row-level methods shared by DataFrame and Series: sorting, distinct values, top-n, repartition."""

from __future__ import annotations

import operator
import warnings
from typing import Any

from gpuscale import config
from gpuscale.backends import frame as bf
from gpuscale.backends.frame.groupby_keys import index_level_keys
from gpuscale.backends.frame.sort_keys import sort_key_column
from gpuscale.dataframe.core import FrameBase, new_collection
from gpuscale.dataframe.expr.blockwise import Projection
from gpuscale.dataframe.expr.reductions import DropDuplicates, tree_reduce
from gpuscale.dataframe.expr.shuffle import HashShuffle, shuffle_method_option
from gpuscale.dataframe.expr.sorting import SortValues

__all__ = ["RowMethods"]


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def numbered_rows(collection: Any) -> Any:
    """The rows labelled ``0 .. n-1`` across partitions, as pandas' (and dask's) ``ignore_index=True`` of a sort
    (``reset_index`` numbers each partition's rows from 0)."""
    from gpuscale.dataframe.positions import rows_by_position

    return rows_by_position(collection, bf.numbered_rows, {}, "ignore-index").clear_divisions()


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _own_columns(frame: Any, on: Any) -> list | None:
    """The column labels when ``on`` is columns of ``frame`` itself (``df.shuffle(df.b)``), else None."""
    expr = on.expr
    if isinstance(expr, Projection) and expr.frame._name == frame.expr._name:
        return _as_list(expr.columns)
    return None


def _keyed_column(column: Any, key: Any) -> Any:
    """``key`` of each partition of ``column`` (pandas' ``sort_values(key=)``).  Never called on the lazy column:
    a key calling a pandas function (``pd.Categorical(s, [...], ordered=True)``) would compute it whole; the
    metadata is the key of a stand-in with rows (a Categorical's categories go with it, to order the rows)."""
    with warnings.catch_warnings():  # (of the stand-in's made-up values: "foo" is none of a Categorical's categories)
        warnings.simplefilter("ignore")
        meta = bf.make_meta(sort_key_column(bf.meta_nonempty(column._meta), key))
    return column._map(sort_key_column, kwargs={"key": key}, meta=meta, label="sort-key", columnwise=False)


def _check_flags(flags: list) -> None:
    """``ascending`` of ``sort_values``: booleans (or integers), as pandas checks them (each partition would raise
    it when computed)."""
    for flag in flags:
        if not isinstance(flag, int) and not (hasattr(flag, "dtype") and getattr(flag.dtype, "kind", "") in "biu"):
            raise ValueError(f'For argument "ascending" expected type bool, received type {type(flag).__name__}.')


def _check_nextreme(meta: Any, n: Any, columns: Any, keep: Any, label: str) -> None:
    """``nlargest`` / ``nsmallest``'s arguments, checked when the graph is built as pandas checks them: ``keep``,
    an integer ``n``, and columns of numbers, booleans or times (not text or categories)."""
    if keep not in ("first", "last", "all"):
        raise ValueError(f'keep must be either "first", "last" or "all" ({label} got keep={keep!r})')
    if not isinstance(n, int) and not (hasattr(n, "dtype") and getattr(n.dtype, "kind", "") in "iu"):
        raise TypeError(f"{label}: n must be an integer, got {type(n).__name__} {n!r}")
    for column in (columns if columns is not None else [None]):
        dtype = getattr(meta if column is None else meta[column], "dtype", None)  # (None: a repeated label)
        if dtype is None or not bf.is_categorical(dtype) and (bf.key_kind(dtype) in ("number", "datetime",
                                                                                    "timedelta")
                                                              or bf.is_decimal_dtype(dtype)):
            continue
        if column is None:
            raise TypeError(f"Cannot use method {label!r} with dtype {dtype}")
        raise TypeError(f"Column {column!r} has dtype {dtype}, cannot use method {label!r} with this dtype")


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
                    npartitions: int | None = None, partition_size: Any = None, sort_function: Any = None,
                    sort_function_kwargs: Any = None, upsample: float = 1.0, ignore_index: bool = False,
                    shuffle_method: Any = None, kind: Any = None, key: Any = None) -> Any:
        """Sort all rows (global order across partitions) by one or more columns.

        Boundaries of the partitions are sampled from the first key, rows are
        range-shuffled, then each partition is sorted.  ``sort_values(...).head(n)``
        runs as a top-n reduction instead.

        Parameters
        ----------
        by : label or list of labels
            Sort keys (a DataFrame needs them; a Series sorts its values).
        ascending : bool or list of bool
            One flag, or one per key.
        na_position : {"last", "first"}
            Where rows whose key is missing go.
        npartitions : int, optional
            Partitions of the result (default: as many as the input).
        partition_size, upsample : optional
            Accepted for dask compatibility (gpuscale samples every partition).
        sort_function : callable, optional
            Sorts one shuffled partition instead of ``DataFrame.sort_values``; called as
            ``sort_function(part, by=by, ascending=ascending, na_position=na_position,
            ignore_index=ignore_index, **sort_function_kwargs)``.
        sort_function_kwargs : dict, optional
            More keywords for ``sort_function`` (they override those above).
        ignore_index : bool
            Label the rows ``0 .. n-1`` in their sorted order instead of keeping their labels.
        shuffle_method : {None, "tasks", "p2p", "disk"}
            dask's shuffle choice: "tasks" moves rows with a task per shard (also on a cluster),
            "p2p" with a distributed cluster's P2P service, "disk" and None with gpuscale's
            choice (in-process locally, P2P on a cluster; both spill to disk).
        kind : str, optional
            pandas' sorting algorithm: accepted, the order is always stable (rows with equal keys keep their
            order, as pandas' ``"stable"``).
        key : callable, optional
            pandas' ``key``: applied to each key column's partitions (pandas Series, or cuDF's, e.g.
            ``lambda s: s.str.lower()`` or ``lambda s: pd.Categorical(s, ["low", "high"], ordered=True)``) and the
            rows sorted by what it gives (a Series, an array or a Categorical of the same length, as pandas).
            Each call sees one partition: a key needing the whole column (``s.map(s.value_counts())``) is
            assigned as a column first and sorted by.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [3.0, None, 1.0, 2.0], "b": [1, 2, 3, 4]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.sort_values("a", na_position="first").compute().a.tolist()
        [nan, 1.0, 2.0, 3.0]
        >>> df.sort_values(["a"], ascending=False, npartitions=1).compute().b.tolist()
        [1, 4, 3, 2]
        """
        if na_position not in ("first", "last"):
            raise ValueError(f"sort_values: na_position must be either 'first' or 'last', not {na_position!r}")
        method = shuffle_method_option(shuffle_method, "sort_values")
        npartitions = npartitions_option(npartitions, "sort_values")
        if by is None:
            if hasattr(self, "columns"):
                raise TypeError("sort_values() of a DataFrame needs by=")
            return self.to_frame(name="__value__").sort_values(
                "__value__", ascending, na_position, npartitions, ignore_index=ignore_index,
                shuffle_method=shuffle_method, key=key)["__value__"].rename(self.name)
        levels = self._index_level_keys(by)
        if levels:  # pandas takes index level names among the keys: sorted by copies of the levels as columns
            return self._sorted_by_levels(by, levels, ascending, na_position, npartitions, ignore_index,
                                          shuffle_method, key)
        keys = self._key_columns(by)
        repeated = [k for k in keys if hasattr(self._meta, "columns") and list(self._meta.columns).count(k) > 1]
        if repeated:  # pandas' error: such a key names several columns, not one
            raise ValueError(f"The column label {repeated[0]!r} is not unique.")
        if not keys:  # pandas' sort by no key keeps the rows as they are (their labels too, even ignore_index)
            return self
        if key is not None:
            return self._sorted_by_key(keys, key, ascending, na_position, npartitions, ignore_index, shuffle_method)
        flags = list(ascending) if isinstance(ascending, (list, tuple)) else [ascending] * len(keys)
        _check_flags(flags)
        if len(flags) != len(keys):
            raise ValueError(f"sort_values: the length of ascending ({len(flags)}) must match the number of "
                             f"sort keys ({len(keys)})")
        sort_kwargs = None
        if sort_function is not None:
            sort_kwargs = {"by": by, "ascending": ascending, "na_position": na_position,
                           "ignore_index": ignore_index, **(sort_function_kwargs or {})}
        out = new_collection(SortValues(self.expr, tuple(keys), tuple(flags), na_position, npartitions, method,
                                        bool(ignore_index), sort_function, sort_kwargs))
        return numbered_rows(out) if ignore_index else out

    def _index_level_keys(self, by: Any) -> list:
        """The keys among ``by`` that are a DataFrame's index level names, not columns (pandas sorts by them)."""
        if not hasattr(self, "columns") or by is None or bf.is_one_label(self._meta.columns, by):
            return []
        names = [n for n in self._meta.index.names if n is not None]
        return [k for k in _as_list(by) if _hashable(k) and k in names and k not in self._meta.columns]

    def _sorted_by_levels(self, by: Any, levels: list, ascending: Any, na_position: str, npartitions: Any,
                          ignore_index: bool, shuffle_method: Any, key: Any) -> Any:
        """``sort_values(by)`` where ``levels`` of ``by`` are index level names: their values as temporary
        columns beside the rows (on the rows' index), the rows sorted by them, the columns dropped."""
        temporary = {level: f"__sort_level_{i}__" for i, level in enumerate(levels)}
        values = {temporary[level]: self._map(index_level_keys, kwargs={"level": level},
                                              meta=index_level_keys(self._meta, level), label="index-level")
                  for level in levels}
        out = self.assign(**values).sort_values([temporary.get(k, k) if _hashable(k) else k for k in _as_list(by)],
                                                ascending=ascending, na_position=na_position,
                                                npartitions=npartitions, ignore_index=ignore_index,
                                                shuffle_method=shuffle_method, key=key)
        return out.drop(columns=list(temporary.values()))

    def _sorted_by_key(self, keys: list, key: Any, ascending: Any, na_position: str, npartitions: Any,
                       ignore_index: bool, shuffle_method: Any) -> Any:
        """``sort_values(keys, key=key)``: the rows sorted by ``key`` of each key column, put beside them."""
        if not callable(key):
            raise TypeError(f"sort_values: key must be callable, got {type(key).__name__}")
        temporary = [f"__sort_key_{i}__" for i in range(len(keys))]
        keyed = self.assign(**{t: _keyed_column(self[k], key) for t, k in zip(temporary, keys)})
        out = keyed.sort_values(temporary, ascending=ascending, na_position=na_position, npartitions=npartitions,
                                ignore_index=ignore_index, shuffle_method=shuffle_method)
        return out.drop(columns=temporary)

    def nlargest(self, n: int = 5, columns: Any = None, keep: str = "first", split_every: int | None = None) -> Any:
        """The ``n`` largest rows (by ``columns``), as a tree reduction."""
        return self._nextreme(n, columns, keep, False, split_every)

    def nsmallest(self, n: int = 5, columns: Any = None, keep: str = "first", split_every: int | None = None) -> Any:
        """The ``n`` smallest rows (by ``columns``), as a tree reduction."""
        return self._nextreme(n, columns, keep, True, split_every)

    def _nextreme(self, n: int, columns: Any, keep: str, smallest: bool, split_every: Any) -> Any:
        label = "nsmallest" if smallest else "nlargest"
        if columns is not None and not hasattr(self._meta, "columns"):  # pandas' Series method has no columns=
            raise TypeError(f"{label}() got an unexpected keyword argument 'columns' (a Series is ordered by its "
                            "values)")
        if columns is None and hasattr(self._meta, "columns"):  # as pandas: a DataFrame is ordered by columns
            raise TypeError(f"{label}() missing 1 required positional argument: 'columns' (the columns to order by)")
        if columns is not None:
            columns = self._key_columns(columns)
        _check_nextreme(self._meta, n, columns, keep, label)
        kwargs = {"n": n, "columns": columns, "keep": keep, "smallest": smallest}
        return new_collection(tree_reduce(self.expr, bf.nlargest_candidates, bf.nlargest_candidates, bf.nlargest,
                                          kwargs, self._meta, label, split_every, chunk_kwargs=kwargs))

    # -- distinct rows ------------------------------------------------------------------------------
    def drop_duplicates(self, subset: Any = None, keep: str = "first", split_out: Any = None,
                        split_every: int | None = None, ignore_index: bool = False, shuffle_method: Any = None) -> Any:
        """Rows without repeats (``keep="first"`` or ``"last"``).

        ``split_out=1`` keeps the order of first appearance in one partition (a
        tree reduction); the default (``None``: as many partitions as the input)
        removes repeats per partition, then hash-shuffles the rest (``shuffle_method``: dask's
        ``"tasks"``, ``"p2p"`` or ``"disk"``, as in :meth:`shuffle`), which scales
        to many distinct rows but does not keep the row order.  ``ignore_index=True`` labels
        the rows ``0 .. n-1`` in their order across partitions (as :meth:`sort_values`).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": [1, 2, 1, 3, 2]}), npartitions=2, backend="cpu")
        >>> sorted(df.drop_duplicates(shuffle_method="tasks").k.compute().tolist())
        [1, 2, 3]
        """
        if subset is not None and not hasattr(self._meta, "columns"):  # pandas' Series method has no subset=
            raise TypeError("drop_duplicates() got an unexpected keyword argument 'subset' (a Series' rows are "
                            "its values)")
        if keep not in ("first", "last", False):  # (each partition would raise it when computed)
            raise ValueError(f'keep must be either "first", "last" or False (drop_duplicates got keep={keep!r})')
        method = shuffle_method_option(shuffle_method, "drop_duplicates")
        kwargs: dict = {"keep": keep}
        if subset is not None:  # (a label named twice is one column, as pandas reads it)
            kwargs["subset"] = list(dict.fromkeys(self._key_columns(subset)))
        on = tuple(kwargs.get("subset", self._meta.columns if hasattr(self._meta, "columns") else [self.name]))
        split_out = None if split_out is True else split_out
        out = new_collection(DropDuplicates(self.expr, kwargs, on, split_out, split_every, method))
        return numbered_rows(out) if ignore_index else out  # (0 .. n-1 across partitions, as a sort's)

    def nunique(self, dropna: bool = True, split_every: int | None = None, axis: Any = 0) -> Any:
        """Number of distinct values (a lazy Scalar for a Series, a Series for a DataFrame: per column,
        or per row with ``axis=1``)."""
        series = not hasattr(self._meta, "columns")
        if axis in (1, "columns") and not series:
            from gpuscale.dataframe.expr.blockwise import map_partitions_expr
            from gpuscale.dataframe.expr.sorting import WithDivisions

            # (pandas counts into int64; a sample without rows would say float64)
            meta = bf.make_meta(bf.row_nunique(bf.meta_nonempty(self._meta), dropna=dropna))
            expr = map_partitions_expr(bf.row_nunique, self.expr, kwargs={"dropna": dropna}, meta=meta,
                                       label="nunique")
            return new_collection(WithDivisions(expr, self.divisions) if self.known_divisions else expr)
        if axis not in (0, "index", None) or axis is None and not series:  # (pandas: a frame has no axis None)
            raise ValueError(f"No axis named {axis} for object type {type(self).__name__}")
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

    def shuffle(self, on: Any = None, ignore_index: bool = False, npartitions: int | None = None,
                shuffle_method: Any = None, on_index: bool = False, force: bool = False,
                max_branch: int | None = None) -> Any:
        """Hash-partition rows: rows with equal values of ``on`` end in the same partition.

        Parameters
        ----------
        on : label, list of labels, Series or DataFrame, optional
            Key columns, or a collection aligned with this one whose values are the keys;
            None (or ``on_index=True``): the index.
        ignore_index : bool
            The result's index is not needed: rows travel without their labels.
        npartitions : int, optional
            Partitions of the result (default: as many as the input).
        shuffle_method : {None, "tasks", "p2p", "disk"}
            As :meth:`sort_values`.
        on_index : bool
            Shuffle on the index (dask's spelling of ``on=None``).
        force : bool
            Accepted for dask compatibility: gpuscale keeps every shuffle asked for.
        max_branch : int, optional
            The most pieces one partition is split into on the local runtime (default: option
            ``dataframe.shuffle.max_branch``, 64): with more partitions on both sides, rows move in
            rounds (dask's staged task shuffle) instead of one round of ``n_in * n_out`` pieces.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": [1, 2, 1, 2, 3, 1]}), npartitions=3, backend="cpu")
        >>> out = df.shuffle("k", npartitions=2, shuffle_method="tasks")
        >>> out.npartitions
        2
        >>> keys = [set(out.partitions[i].compute().k) for i in range(2)]
        >>> keys[0].isdisjoint(keys[1]), sorted(keys[0] | keys[1])  # each key in one partition
        (True, [1, 2, 3])
        """
        if on is not None and on_index:
            raise TypeError("shuffle: pass either on= or on_index=True, not both")
        method = shuffle_method_option(shuffle_method, "shuffle")
        npartitions = npartitions_option(npartitions, "shuffle") or self.npartitions
        max_branch = _max_branch_option(max_branch)
        if isinstance(on, FrameBase):
            columns = _own_columns(self, on)
            if columns is None:
                return self._shuffle_on_values(on, bool(ignore_index), npartitions, method, max_branch)
            on = columns
        if hasattr(on, "__iter__") and not isinstance(on, (str, bytes, list, tuple)):
            on = list(on)  # a pandas Series / Index of column labels
        if _names_the_index(self._meta, on):
            on = None  # the index's name (``df.set_index("x").shuffle("x")``, as dask): the index
        on = None if on is None else tuple(self._key_columns(on))
        return new_collection(HashShuffle(self.expr, on, npartitions, bool(ignore_index), method, max_branch))

    def _shuffle_on_values(self, on: Any, ignore_index: bool, npartitions: int, method: Any,
                           max_branch: Any) -> Any:
        """``shuffle(on=collection)``: its values ride along as temporary columns, which are the keys."""
        if not hasattr(self, "columns"):
            frame = self.to_frame(name="__value__")
            shuffled = frame._shuffle_on_values(on, ignore_index, npartitions, method, max_branch)
            return shuffled["__value__"].rename(self.name)
        if on.npartitions != self.npartitions:
            raise TypeError(f"shuffle: on= must be aligned with the frame ({on.npartitions} partitions, the "
                            f"frame has {self.npartitions})")
        values = on if hasattr(on, "columns") else on.to_frame()
        names = [f"__shuffle_on_{i}__" for i in range(len(values.columns))]
        keyed = self.assign(**{name: values[column] for name, column in zip(names, values.columns)})
        shuffled = new_collection(HashShuffle(keyed.expr, tuple(names), npartitions, ignore_index, method, max_branch))
        return shuffled.drop(columns=names)


def npartitions_option(npartitions: Any, caller: str) -> int | None:
    """``npartitions=`` of a shuffle, sort or set_index: a count of at least 1 (NumPy integers too), or None
    for as many as the input; 0 means that too, as dask's ``npartitions or self.npartitions``.  A negative
    count gave a collection of -1 partitions and no rows."""
    if npartitions is None:
        return None
    try:
        if isinstance(npartitions, bool):  # a flag, not a count
            raise TypeError
        count = operator.index(npartitions)
    except TypeError:
        raise TypeError(f"{caller}: npartitions must be a positive integer or None, not {npartitions!r}") from None
    if count < 0:
        raise ValueError(f"{caller}: npartitions must be at least 1, got {count}")
    return count or None


def _max_branch_option(value: Any) -> int | None:
    """``shuffle(max_branch=)`` checked as option ``dataframe.shuffle.max_branch`` is (None: the option)."""
    if value is None:
        return None
    try:
        return config.options["dataframe.shuffle.max_branch"].parse(value)
    except ValueError as error:
        raise ValueError(f"shuffle: max_branch={value!r}: {error}") from None


def _names_the_index(meta: Any, on: Any) -> bool:
    """Whether ``on`` (or a list of just it) is the name of ``meta``'s index rather than a column."""
    label = on[0] if isinstance(on, list) and len(on) == 1 else on
    if label is None or isinstance(label, (list, tuple)) or label != getattr(meta.index, "name", None):
        return False
    return not hasattr(meta, "columns") or label not in meta.columns
