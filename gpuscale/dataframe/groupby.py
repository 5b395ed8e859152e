"""``df.groupby(...)``: tree aggregation for decomposable aggregations, hash shuffle otherwise.

Decomposable aggregations (sum, count, size, min, max, first, last, mean,
var, std) run as chunk -> combine -> aggregate over partial columns, and
``split_out > 1`` hash-shuffles the partials so that many groups spread over
several output partitions (by default ``split_out`` grows with the number of
input partitions, as in Dask; results with ``split_out > 1`` are not sorted by key, and an explicit
``sort=True`` makes one sorted partition, as dask); ``sem`` divides two of them.  Others (``nunique``,
``median``, ``quantile``, ``any``, ``all``, callables) and
``transform`` / ``apply`` shuffle the rows by key first, then run pandas/cuDF
per partition.
"""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.backends.frame.groupby_keys import (dictionary_keys, grouper_spec, is_mapping_key, time_grouper_spec,
                                                  with_keys_present)
from gpuscale.backends.frame.groupby_observed import (cast_numeric_like, empty_group_fills, has_categorical_keys,
                                                      with_empty_category, with_unobserved_groups)
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import Projection, map_partitions_expr, unknown_column_error
from gpuscale.dataframe.expr.groupby import GroupByTree, resolve_split_out
from gpuscale.dataframe.expr import eager_aggregation  # noqa: F401  (registers the aggregate-before-join rule)
from gpuscale.dataframe.expr.shuffle import ConcatPartitions, HashShuffle
from gpuscale.dataframe.expr.sorting import WithDivisions
from gpuscale.dataframe.groupby_extras import GroupByExtraMethods
from gpuscale.dataframe.groupby_pandas import GroupByPandasMethods
from gpuscale.dataframe.groupby_transform import BROADCAST_REDUCTIONS, broadcast_transform
from gpuscale.dataframe.groupby_unobserved import unobserved_apply, with_unobserved_applied
from gpuscale.dataframe.groupby_reductions import GroupByReductionMethods, check_numeric_only, collect_as_list
from gpuscale.dataframe.groupby_keys import (HIDDEN_VALUE, by_dictionary_values, grouper_options,
                                             in_memory_key_error, index_key_dtypes, is_index_key, resolve_keys,
                                             show_key_names)
from gpuscale.dataframe.groupby_window import (GroupByWindowMethods, function_meta, warn_if_no_meta, with_args,
                                               with_dtypes_of)

__all__ = ["GroupBy", "SeriesGroupBy", "series_groupby"]

_METHODS = ["sum", "mean", "count", "size", "min", "max", "std", "var", "first", "last", "nunique", "median",
            "prod", "skew", "kurt"]


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


class GroupBy(GroupByWindowMethods, GroupByExtraMethods, GroupByPandasMethods, GroupByReductionMethods):
    """Lazy groupby of a DataFrame by column labels, Series partitioned as the frame, or the index name.

    Keys that are not columns (``df.x % 3``, ``df.a.rename("k")``, the index name) are grouped as
    hidden columns and the result's index levels take the names pandas gives them (see
    :mod:`gpuscale.dataframe.groupby_keys`).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6], "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    >>> df.groupby(df.x % 3).y.sum().compute()
    x
    0     9.0
    1     5.0
    2     7.0
    Name: y, dtype: float64
    """

    def __init__(self, frame: Any, by: Any, dropna: bool | None = True, sort: bool | None = None,
                 selection: Any = None, names: dict | None = None, *, observed: bool | None = None,
                 group_keys: bool = True, level: Any = None, as_index: bool = True) -> None:
        if as_index is not True:  # dask refuses it too (its tests pin the TypeError); say what to do instead
            raise TypeError(f"groupby: as_index={as_index!r} is not supported (as dask); call .reset_index() on "
                            "the result to get the keys as columns")
        if names is None:
            options = grouper_options(by)  # a lone pd.Grouper brings its own sort= and dropna= (as pandas)
            sort, dropna = options.get("sort", sort), options.get("dropna", dropna)
            frame, by, names = resolve_keys(frame, by, level)
        self._frame, self._by, self._names = frame, _as_list(by), names
        # None is dask's "the pandas default": sorted keys, missing keys dropped, observed categories only
        self._dropna, self._sort, self._selection = dropna is not False, sort is not False, selection
        self._sort_asked = sort is True  # dask: an explicit sort=True wins over split_out (one sorted partition)
        self._observed, self._group_keys = observed is not False, group_keys
        missing = [c for c in self._by if c not in frame.columns]
        if missing:
            raise unknown_column_error(missing, self._visible_columns(), "groupby keys")
        repeated = [c for c in self._by if list(frame.columns).count(c) > 1]
        if repeated:  # pandas' error: such a key names several columns, not one
            raise ValueError(f"Grouper for {repeated[0]!r} not 1-dimensional (the column label is not unique)")

    def _visible_columns(self) -> list:
        return [c for c in self._frame.columns if c not in self._names]

    def _with(self, selection: Any, cls: type | None = None, frame: Any = None) -> "GroupBy":
        """This groupby with another column selection (or of ``frame``, the same columns otherwise typed)."""
        sort = True if self._sort_asked else self._sort and None
        return (cls or type(self))(self._frame if frame is None else frame, self._by, self._dropna, sort, selection,
                                   self._names, observed=self._observed, group_keys=self._group_keys)

    def _with_frame(self, frame: Any) -> "GroupBy":
        return self._with(self._selection, frame=frame)

    def _shown(self, collection: Any) -> Any:
        """A result with the hidden keys' labels replaced by the names pandas gives them (and a categorical key's
        missing value last in its level, see :func:`missing_category_level_last`)."""
        if self._observed and not self._dropna and len(self._by) > 1 and \
                has_categorical_keys(self._frame._meta, self._by) and \
                bf.is_frame_like(collection._meta):
            collection = new_collection(map_partitions_expr(bf.missing_category_level_last, collection.expr,
                                                            meta=collection._meta, label="groupby-missing-last",
                                                            columnwise=True))
        return show_key_names(collection, self._names, index_key_dtypes(self._frame, self._names))

    def __getitem__(self, key: Any) -> "GroupBy":
        if hasattr(key, "tolist") and not isinstance(key, (str, tuple)):  # a pandas Index / Series of labels
            key = list(key.tolist())
        labels = _as_list(key)
        missing = [c for c in labels if not _hashable(c) or c not in self._visible_columns()]
        if missing:  # dask's wording (``list(gb)`` ends here too: Python iterates by gb[0], gb[1] ...)
            what = f"Columns not found: {missing}" if isinstance(key, list) else f"Column not found: {key!r}"
            raise KeyError(f"{what} in the groupby selection; available columns: {self._visible_columns()}")
        selection = tuple(key) if isinstance(key, list) else key
        return self._with(selection, GroupBy if isinstance(key, list) else SeriesGroupBy)

    @property
    def by(self) -> list:
        """The keys, as dask lists them: column labels, and the names of key Series and of the index.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2], "b": [3, 4]}), npartitions=1, backend="cpu")
        >>> df.groupby([df.a, "b"]).by
        ['a', 'b']
        """
        return [self._names.get(label, label) for label in self._by]

    def compute(self, *args: Any, **kwargs: Any) -> Any:
        """A groupby is not a result: dask's error, naming what to call first."""
        raise NotImplementedError("DataFrameGroupBy does not allow compute method.Please chain it with an "
                                  "aggregation method (like ``.mean()``) or get a specific group using "
                                  "``.get_group()`` before calling ``compute()``")

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and name in self._visible_columns():  # a key too: df.groupby("k").k.count()
            return self[name]
        raise AttributeError(f"'GroupBy' object has no attribute {name!r}")

    def __dir__(self) -> list:
        return sorted(set(super().__dir__()) | {c for c in self._visible_columns() if isinstance(c, str)
                                                and c.isidentifier()})

    # -- metadata -------------------------------------------------------------------------------
    def _value_columns(self) -> list:
        if self._selection is None:
            return [c for c in self._frame.columns if c not in self._by]
        return _as_list(self._selection)

    def _input(self, used: list | None = None) -> Any:
        values = self._value_columns() if used is None else used
        needed = self._by + [c for c in dict.fromkeys(values) if c not in self._by]
        return Projection(self._frame.expr, tuple(needed))

    def _used_columns(self, how: str, arg: Any, kwargs: dict) -> list | None:
        """The value columns an aggregation reads (None: all selected ones)."""
        if how != "agg":
            return [] if how == "size" else None
        if kwargs:
            return [self._named_pair(v)[0] for v in kwargs.values()]
        if isinstance(arg, dict):
            return list(arg)
        return None

    def _whole_groups_function(self, how: str, kwargs: dict | None, observed: bool = True,
                               arg: Any = None) -> Callable:
        """The partition function of groupby method ``how`` on whole groups: the library's own method, or on the
        host where the partitions' library refuses the call (cuDF's ``pct_change(freq=)``, or ``observed=False``,
        which only the metadata asks for)."""
        if bf.groupby_needs_host(self._frame._meta, how, kwargs, observed, arg):
            return bf.groupby_whole_groups_on_host
        return bf.groupby_whole_groups

    def _meta_of(self, how: str, arg: Any = None, kwargs: dict | None = None) -> Any:
        # (keys present: a nullable boolean's sample holds NA, which would make results of its rows missing)
        sample = with_keys_present(bf.meta_nonempty(self._frame._meta), self._by)
        run = self._whole_groups_function(how, kwargs, self._observed, arg)
        try:
            out = run(sample, self._by, self._selection, how, arg, kwargs, self._dropna, self._sort,
                      observed=self._observed, drop=self._hidden_keys(), group_keys=self._group_keys)
            if not self._observed and has_categorical_keys(sample, self._by):  # dtypes when some group is empty
                widened = with_empty_category(sample, self._by)
                out = cast_numeric_like(out, run(widened, self._by, self._selection, how, arg, kwargs, self._dropna,
                                                 self._sort, observed=False))
        except (TypeError, AttributeError, ValueError) as exc:
            asked = self._used_columns(how, arg, kwargs if arg is None else {}) or self._value_columns()
            raise type(exc)(f"groupby {how}({arg!r}) is not supported for columns {asked}: {exc}") from exc
        return bf.make_meta(out)

    def _numeric_columns(self) -> list:
        """The value columns pandas' ``numeric_only=True`` keeps (numbers and booleans)."""
        numeric = set(bf.numeric_columns(self._frame._meta))
        return [c for c in self._value_columns() if c in numeric]

    def _numeric_only(self) -> "GroupBy":
        """This groupby restricted to the numeric value columns (a selected single column stays)."""
        if self._selection is not None and not isinstance(self._selection, tuple):
            return self
        return self._with(tuple(self._numeric_columns()))

    def _check_numeric(self, how: str) -> None:
        if self._selection is not None and not isinstance(self._selection, tuple):
            return
        dtypes = self._frame._meta.dtypes
        times = [c for c in self._value_columns() if how in ("mean", "std") and bf.is_time_dtype(dtypes[c])]
        other = [c for c in self._value_columns() if c not in self._numeric_columns() and c not in times]
        if other:
            raise NotImplementedError(f"groupby {how} of the non-numeric columns {other}: 'numeric_only=False' is "
                                      "not implemented in Dask nor gpuscale; pass numeric_only=True or select the "
                                      "numeric columns")

    # -- aggregations ---------------------------------------------------------------------------
    def _outputs(self, how: str, arg: Any, kwargs: dict) -> list | None:
        """``(column, kind)`` per output column in pandas' order, or None if not decomposable."""
        pairs = self._pairs(how, arg, kwargs)
        if pairs is None:
            return None
        return pairs if all(isinstance(f, str) and f in bf.GROUPBY_PARTIALS for _, f in pairs) else None

    def _named_pair(self, spec: Any) -> tuple:
        """``(column, function)`` of one named aggregation: a ``(column, func)`` tuple, a ``pd.NamedAgg``
        (not a tuple in pandas 3), or a function of the selected column (``gb.x.agg(total="sum")``)."""
        if isinstance(spec, tuple):
            return spec[0], spec[1]
        if hasattr(spec, "column") and hasattr(spec, "aggfunc"):
            return spec.column, spec.aggfunc
        return self._selection, spec

    def _pairs(self, how: str, arg: Any, kwargs: dict) -> list | None:
        """``(column, function)`` per output column in pandas' order (None: not known before running)."""
        if how != "agg":
            return [(None, how)] if how == "size" else [(c, how) for c in self._value_columns()]
        if kwargs:  # named aggregation
            pairs = [self._named_pair(v) for v in kwargs.values()]
        elif isinstance(arg, str):
            pairs = [(c, arg) for c in self._value_columns()]
        elif isinstance(arg, list):
            pairs = [(c, f) for c in self._value_columns() for f in arg]
        elif isinstance(arg, dict):
            pairs = [(c, f) for c, fs in arg.items() for f in _as_list(fs)]
        elif callable(arg):
            pairs = [(c, arg) for c in self._value_columns()]
        else:
            return None
        return pairs

    def _aggregate(self, how: str, arg: Any = None, split_every: int | None = None, split_out: Any = None,
                   **kwargs: Any) -> Any:
        for alias in ("shuffle_method", "shuffle", "shuffle_backend"):  # dask's choice of shuffle: gpuscale has one
            kwargs.pop(alias, None)
        dictionaries = dictionary_keys(self._frame._meta, self._by)
        if dictionaries:  # (Arrow dictionary keys: grouped by their values)
            return by_dictionary_values(self, dictionaries, GroupBy._aggregate, how, arg, split_every, split_out,
                                        **kwargs)
        ddof = kwargs.pop("ddof", 1) if how in ("var", "std") else 1
        pandas_kwargs = {**kwargs, **({"ddof": ddof} if ddof != 1 else {})}
        split_out = 1 if self._sort_asked else self._unobserved_split_out(split_out)
        _check_split_every(split_every, split_out)
        meta = self._meta_of(how, arg, pandas_kwargs)
        # keywords for pandas (min_count, skipna ...) other than ddof: pandas runs on whole groups
        outputs = None if (how != "agg" and kwargs) else self._outputs(how, arg, kwargs)
        frame = self._input(self._used_columns(how, arg, kwargs))
        # no value column (a frame of keys only): partials would carry no groups, whole groups keep them
        if not outputs or (ddof != 1 and how == "agg"):
            out = self._shuffle_aggregate(frame, how, arg, pandas_kwargs, meta, self._split_out(split_out))
        else:
            out = self._tree_aggregate(frame, outputs, meta, ddof, split_every, split_out)
        return self._shown(self._with_unobserved(out, self._pairs(how, arg, kwargs), kwargs.get("min_count")))

    def _with_unobserved(self, out: Any, pairs: list | None, min_count: Any = None) -> Any:
        """``observed=False`` with categorical keys: the result with the groups of unobserved categories (a sum or
        product of ``min_count`` >= 1 missing there, as pandas)."""
        if self._observed or not has_categorical_keys(self._frame._meta, self._by):
            return out
        if out.npartitions > 1:
            raise NotImplementedError("groupby observed=False with split_out > 1: use split_out=1, or "
                                      "observed=True")
        fills = empty_group_fills(self._frame._meta, pairs or [], min_count)
        kw = {"nkeys": len(self._by), "fills": fills, "sort": self._sort, "meta": out._meta}
        return new_collection(map_partitions_expr(with_unobserved_groups, out.expr, kwargs=kw, meta=out._meta,
                                                  label="groupby-unobserved"))

    def _unobserved_split_out(self, split_out: Any) -> Any:
        """``split_out`` not given with ``observed=False`` categorical keys: 1, not the choice grown with the
        partitions, as the unobserved groups are added to one output partition (pandas' result)."""
        if split_out is None and not self._observed and has_categorical_keys(self._frame._meta, self._by):
            return 1
        return split_out

    def _split_out(self, split_out: Any) -> int:
        return resolve_split_out(split_out, self._frame.npartitions, len(self._by))

    def _tree_aggregate(self, frame: Any, outputs: list, meta: Any, ddof: int, split_every: Any,
                        split_out: Any) -> Any:
        partial_names: dict = {}
        dtypes = frame._meta.dtypes if bf.is_dataframe_like(frame._meta) else {}
        parts_of = {(col, kind): bf.groupby_partials(kind, dtypes[col] if col in dtypes else None)
                    for col, kind in outputs}
        for col, kind in outputs:
            for part in parts_of[(col, kind)]:
                partial_names.setdefault((col, part), f"p{len(partial_names)}")
        partials = tuple((name, col, part) for (col, part), name in partial_names.items())
        finals = tuple((kind, tuple(partial_names[(col, p)] for p in parts_of[(col, kind)])) for col, kind in outputs)
        chunk_kw = {"by": self._by, "partials": partials, "dropna": self._dropna}
        final_kw = {**chunk_kw, "outputs": finals, "meta": meta, "sort": self._sort, "ddof": ddof}
        return new_collection(GroupByTree(frame, chunk_kw, final_kw, meta, split_every, split_out))

    def _shuffle_aggregate(self, frame: Any, how: str, arg: Any, kwargs: dict, meta: Any, split_out: int) -> Any:
        n = split_out if split_out > 1 else self._frame.npartitions
        shuffled = HashShuffle(frame, tuple(self._by), n)
        kw = {"by": self._by, "selection": self._selection, "how": how, "arg": arg, "kwargs": kwargs,
              "dropna": self._dropna, "sort": self._sort, "meta": meta}
        run = self._whole_groups_function(how, kwargs, arg=arg)
        out = map_partitions_expr(run, shuffled, kwargs=kw, meta=meta, label=f"groupby-{how}")
        if split_out == 1 and n > 1:
            out = ConcatPartitions(out, 1)
            if self._sort:
                out = map_partitions_expr(bf.sort_index, out, meta=meta, label="sort_index")
        return new_collection(out)

    def agg(self, arg: Any = None, split_every: int | None = None, split_out: Any = None, shuffle_method: Any = None,
            **kwargs: Any) -> Any:
        """Aggregate with a name, a list, a dict column -> name(s), named aggregations, or a
        :class:`gpuscale.dataframe.Aggregation` (chunk / agg / finalize functions, as dask's)."""
        from gpuscale.dataframe.aggregation import as_aggregation, custom_groupby_aggregate, has_custom, \
            mixed_groupby_aggregate, named_pieces, NamedPieces

        arg, kwargs = collect_as_list(arg, kwargs)  # (dask_cudf's name of agg(list))
        dictionaries = dictionary_keys(self._frame._meta, self._by)
        if dictionaries:  # (Arrow dictionary keys: grouped by their values)
            return by_dictionary_values(self, dictionaries, GroupBy.agg, arg, split_every, split_out, **kwargs)
        split_out = self._unobserved_split_out(split_out)
        if arg is None and kwargs and any(as_aggregation(self._named_pair(s)[1]) is not None
                                          for s in kwargs.values()):  # named, an Aggregation among them
            arg, kwargs = named_pieces(self, kwargs), {}
        if has_custom(arg) or isinstance(arg, NamedPieces):
            return self._shown(mixed_groupby_aggregate(self, arg, split_every, split_out))
        if as_aggregation(arg) is not None:
            return self._shown(custom_groupby_aggregate(new_collection(self._input()), self._by, self._selection,
                                                        self._dropna, self._sort, as_aggregation(arg), split_every,
                                                        self._value_columns(), observed=self._observed))
        for alias in ("shuffle", "shuffle_backend"):  # dask's older names of shuffle_method
            kwargs.pop(alias, None)
        if isinstance(arg, dict):  # pandas gives a dict's functions no keywords (cuDF's agg would refuse them)
            kwargs = {}
        if arg is not None and kwargs:  # keywords of the function (agg("std", ddof=0)), as pandas: not named
            meta = self._meta_of("agg", arg, kwargs)
            out = self._shuffle_aggregate(self._input(), "agg", arg, kwargs, meta, self._split_out(split_out))
            return self._shown(self._with_unobserved(out, self._pairs("agg", arg, {}), kwargs.get("min_count")))
        return self._aggregate("agg", arg, split_every, split_out, **kwargs)

    aggregate = agg

    def size(self, split_every: int | None = None, split_out: Any = None) -> Any:
        """Rows per group."""
        return self._aggregate("size", None, split_every, split_out)

    # -- per-group functions (shuffle) ---------------------------------------------------------------
    def _groups_in_partitions(self) -> bool:
        """Whether every group lies in one partition already: a key is the index (``by=["a", "idx"]`` too: a
        group has one index value) and the divisions are known (no shuffle, as dask)."""
        return any(is_index_key(key) for key in self._by) and self._frame.known_divisions

    def _per_group(self, how: str, func: Callable, meta: Any, kwargs: dict) -> Any:
        in_place = self._groups_in_partitions()
        shuffled = self._frame.expr if in_place else HashShuffle(self._frame.expr, tuple(self._by),
                                                                 self._frame.npartitions)
        func, kwargs, lazy = _lazy_arguments(func, kwargs, meta)
        declared = meta is not None
        kw = {"by": self._by, "selection": self._selection, "how": how, "arg": func, "kwargs": kwargs,
              "dropna": self._dropna, "sort": self._sort, "drop": self._hidden_keys(),
              "group_keys": self._group_keys}
        meta = self._meta_of(how, func, kwargs) if meta is None else \
            bf.meta_from_spec(getattr(meta, "_meta", meta), bf.library_of(self._frame._meta))
        if how == "apply" and bf.is_frame_like(meta) and type(meta.index).__name__ == "RangeIndex" and \
                self._group_keys is True:
            # a meta= made without an index (pd.Series(dtype=object)): the groups label the result, so a join
            # on it (df_gb.size().to_frame().join(...)) sees the keys' dtype, not int64 (with group_keys=False
            # the rows a function keeps keep their own index, as pandas)
            meta = bf.with_index_of(meta, self.size()._meta)
        unobserved = how == "apply" and unobserved_apply(self)
        if unobserved and self._frame.npartitions == 1:  # one partition: pandas' own observed=False
            kw["observed"] = False
        elif unobserved and lazy:
            raise NotImplementedError("groupby(observed=False).apply of several partitions with lazy arguments: "
                                      "compute them first, or use observed=True")
        run, values = self._whole_groups_function(how, kwargs, kw.get("observed", True), func), ()
        if lazy:  # lazy scalars / Delayed values (shift(fill_value=df.b.max())): operands, each group gets the value
            kw.update(run=run, slots=tuple(slot for slot, _ in lazy))
            run, values = _with_lazy_values, tuple(e for _, e in lazy)
        if declared:  # checked against every computed partition, as dask's apply_and_enforce
            kw.update(per_group=run, label=f"groupby.{how}", own=function_meta(self, how, func, kwargs, meta))
            run = _enforced_per_group
        out = map_partitions_expr(run, shuffled, *values, kwargs={**kw, "meta": meta}, meta=meta,
                                  label=f"groupby-{how}")
        if unobserved and self._frame.npartitions > 1:
            out = with_unobserved_applied(self, out, kw, meta)
        elif in_place and (how != "apply" or is_index_key(self._by[0])):
            # the rows keep their index, or apply's result is indexed by the keys, the index first; keyed by
            # ("a", index) its divisions would be the second level's, so they stay unknown
            out = WithDivisions(out, tuple(self._frame.divisions))
        return self._shown(new_collection(out))

    def apply(self, func: Callable, *args: Any, meta: Any = None, shuffle_method: Any = None, **kwargs: Any) -> Any:
        """``func(group, *args, **kwargs)`` on each group's rows (rows are shuffled so that each group is in one
        partition); without ``meta`` it is inferred from a sample, with a warning as dask gives."""
        dictionaries = dictionary_keys(self._frame._meta, self._by)
        if dictionaries:  # (Arrow dictionary keys: each partition would give every dictionary value a group)
            return by_dictionary_values(self, dictionaries, GroupBy.apply, func, *args, meta=meta,
                                        shuffle_method=shuffle_method, **kwargs)
        warn_if_no_meta(meta, "apply")
        return self._per_group("apply", with_args(func, args), meta, kwargs)

    def transform(self, func: Any, *args: Any, meta: Any = None, shuffle_method: Any = None, **kwargs: Any) -> Any:
        """Group-wise transform: of a reduction's name (``"mean"``, ``"size"`` ...) its aggregate given to every row,
        partitioned and ordered as the frame; of a function, on the rows shuffled by key (the result keeps the
        original index, in shuffled order; without ``meta`` it is inferred from a sample, with a warning as dask
        gives)."""
        if isinstance(func, str) and func in _TRANSFORM_KERNELS:  # pandas: the method itself (numbered, scanned
            return getattr(self, func)(*args, **kwargs)            # or shifted over the whole frame)
        if isinstance(func, str) and func in BROADCAST_REDUCTIONS and not args and meta is None and \
                not dictionary_keys(self._frame._meta, self._by):  # each row gets its group's aggregate
            return broadcast_transform(self, func, kwargs)
        warn_if_no_meta(meta, "transform")
        return self._per_group("transform", with_args(func, args), meta, kwargs)


def _lazy_arguments(arg: Any, kwargs: dict, meta: Any) -> tuple:
    """A per-group method's argument and keywords with each lazy value (a gpuscale Scalar, a dask ``Delayed``)
    replaced by a stand-in of its type (for the metadata), and ``[(slot, expression)]`` of those values (slot
    None: the argument, else the keyword's name)."""
    from gpuscale.dataframe.interop import delayed_operand, is_delayed
    from gpuscale.dataframe.scalar import Scalar

    lazy, kwargs = [], dict(kwargs or {})
    for slot, value in [(None, arg), *kwargs.items()]:
        if not isinstance(value, Scalar) and not is_delayed(value):
            continue
        if is_delayed(value) and meta is None:
            raise ValueError(f"groupby: a dask Delayed {'argument' if slot is None else slot + '='} has no known "
                             "type; pass meta= (the result's metadata)")
        lazy.append((slot, value.expr if isinstance(value, Scalar) else delayed_operand(value)))
        stand_in = value._meta if isinstance(value, Scalar) else None
        if slot is None:
            arg = stand_in
        else:
            kwargs[slot] = stand_in
    return arg, kwargs, lazy


def _enforced_per_group(part: Any, *values: Any, per_group: Callable, label: str, own: Any = None, **kw: Any) -> Any:
    """``per_group(part, *values, **kw)`` checked against the declared ``kw["meta"]`` (a DataFrame of other
    columns, or a Series where a DataFrame is declared, raises the metadata mismatch ValueError, as dask's
    ``apply_and_enforce``; dtypes are not checked).  A result without rows is kept as it is where its columns
    are meta's (it carries the keys' categories, see :func:`groupby_whole_groups`), in the dtypes of the
    function's own result ``own`` (:func:`function_meta`), as the results with rows."""
    out = per_group(part, *values, **kw)
    meta = kw["meta"]
    if len(out) == 0 and bf.is_dataframe_like(out) == bf.is_dataframe_like(meta) and \
            (not bf.is_dataframe_like(out) or list(out.columns) == list(meta.columns)):
        return with_dtypes_of(out, own)
    return bf.enforce_meta(out, meta, label)


def _with_lazy_values(part: Any, *values: Any, run: Callable, slots: tuple, **kw: Any) -> Any:
    """``run(part, **kw)`` with the computed lazy ``values`` put back in their ``slots`` (see
    :func:`_lazy_arguments`)."""
    for slot, value in zip(slots, values):
        if slot is None:
            kw["arg"] = value
        else:
            kw["kwargs"] = {**kw["kwargs"], slot: value}
    return run(part, **kw)


# transform(name) of these is the groupby's own method (pandas' transformation kernels)
_TRANSFORM_KERNELS = ("cumsum", "cumprod", "cummax", "cummin", "cumcount", "diff", "shift", "rank", "ngroup", "ffill",
                      "bfill", "pct_change")
_NUMERIC_ONLY = ("mean", "std", "var", "skew", "kurt")  # refused for text (pandas: TypeError; dask: any non-number)


def _check_split_every(split_every: Any, split_out: Any) -> None:
    if isinstance(split_out, int) and not isinstance(split_out, bool) and split_out > 1:
        return  # the partials are hash-shuffled, not combined in a tree: any split_every goes (as dask)
    if isinstance(split_every, int) and not isinstance(split_every, bool) and split_every < 2:
        raise ValueError(f"groupby: split_every={split_every}, but a tree reduction combines at least 2 partials "
                         "per task (None: the default)")


def _make_method(how: str) -> Callable:
    def method(self: GroupBy, split_every: int | None = None, split_out: Any = None, **kwargs: Any) -> Any:
        if check_numeric_only(kwargs.pop("numeric_only", False)):
            return self._numeric_only()._aggregate(how, None, split_every, split_out, **kwargs)
        if how in _NUMERIC_ONLY:
            self._check_numeric(how)
        return self._aggregate(how, None, split_every, split_out, **kwargs)

    method.__name__ = how
    method.__doc__ = f"Group-wise ``{how}`` (as pandas), lazily."
    return method


for _how in _METHODS:
    if _how != "size":
        setattr(GroupBy, _how, _make_method(_how))


class SeriesGroupBy(GroupBy):
    """Groupby of one selected column (``df.groupby("k").x``)."""

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"'SeriesGroupBy' object has no attribute {name!r}")

    def agg(self, arg: Any = None, split_every: int | None = None, split_out: Any = None, shuffle_method: Any = None,
            **kwargs: Any) -> Any:
        """Aggregate with a name, a list, named aggregations, an :class:`~gpuscale.dataframe.Aggregation`, or (as
        dask and cuDF, where pandas refuses it) a dict keyed by this column's name: ``{"x": "sum"}`` is
        ``agg("sum")``, ``{"x": ["sum", "max"]}`` is ``agg(["sum", "max"])``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": [1, 1, 2], "x": [1, 2, 3]}), npartitions=2, backend="cpu")
        >>> df.groupby("k").x.agg({"x": "sum"}).compute().tolist()
        [3, 3]
        """
        if isinstance(arg, dict):
            name = self._names.get(self._selection, self._selection)
            others = [key for key in arg if key != name]
            if others:
                raise KeyError(f"Column not found: {others[0]} (a dict given to the groupby of column {name!r} "
                               "names that column's aggregations)")
            arg = arg[name] if arg else arg
        return super().agg(arg, split_every, split_out, shuffle_method, **kwargs)

    aggregate = agg


def series_groupby(series: Any, by: Any, sort: bool | None = None, dropna: bool = True, level: Any = None,
                   **options: Any) -> SeriesGroupBy:
    """``series.groupby(by)``: keys are Series partitioned as ``series``, its index name, ``level=``, a
    ``pd.Grouper`` or a function / mapping of the index; ``options`` are ``observed`` and ``group_keys``."""
    from gpuscale.dataframe.core import FrameBase

    name = series.name
    label = name if name is not None and isinstance(name, (str, int)) else HIDDEN_VALUE
    index_name = series._meta.index.name
    for key in _as_list(by) if by is not None else []:
        if isinstance(key, FrameBase) or is_mapping_key(key) or grouper_spec(key) is not None \
                or time_grouper_spec(key) is not None:
            continue
        if not _hashable(key):
            raise in_memory_key_error(key)
        if key is None or key != index_name:
            raise KeyError(f"Series.groupby: {key!r} is not the index name ({index_name!r}); group a Series by "
                           "Series partitioned as it, or by its index name")
    grouper = grouper_options(by)
    sort, dropna = grouper.get("sort", sort), grouper.get("dropna", dropna)
    frame, labels, names = resolve_keys(series.to_frame(label), by, level)
    if label == HIDDEN_VALUE:
        names = {**names, HIDDEN_VALUE: name}
    return SeriesGroupBy(frame, labels, dropna, sort, label, names, **options)
