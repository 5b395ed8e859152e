"""pandas' label methods that dask lacks: ``filter``, ``truncate``, ``tz_localize`` / ``tz_convert`` of the index,
``keys``, ``get``, ``set_axis`` and ``droplevel`` of the columns, ``DataFrame.insert`` and ``Series.repeat``.  Column work is decided on the metadata; row work is partition-wise
(``backends/frame/labels.py``), keeping the partitions and (mapped) divisions."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import loc_extra

__all__ = ["LabelMethods", "DataFrameLabelMethods", "SeriesLabelMethods"]


def level_position(index: Any, level: Any) -> int:
    """The position of level ``level`` (a name, or a position counted from either end) of ``index``, with pandas'
    errors for a level it lacks or a name it repeats."""
    names = list(index.names)
    if isinstance(level, int) and not (level in names and names.count(level) == 1):
        position = level + index.nlevels if level < 0 else level
        if not 0 <= position < index.nlevels:
            raise IndexError(f"Too many levels: Index has only {index.nlevels} levels, not {level + 1}")
        return position
    if names.count(level) != 1:
        raise KeyError(f"Level {level} not found" if level not in names else
                       f"The name {level} occurs multiple times, use a level number")
    return names.index(level)


def _on_columns(obj: Any, axis: Any, method: str) -> bool:
    """Whether ``axis`` names the columns (the default of a DataFrame's ``filter``)."""
    if axis in (1, "columns"):
        if not hasattr(obj, "columns"):
            raise ValueError(f"{method}: a Series has no axis 1 (columns)")
        return True
    if axis not in (0, "index", "rows"):
        raise ValueError(f"{method}: no axis named {axis!r}")
    return False


class LabelMethods:
    """Mixin of DataFrame and Series: ``filter``, ``truncate``, ``tz_localize``, ``tz_convert``, ``keys``, ``get``."""

    def filter(self, items: Any = None, like: Any = None, regex: Any = None, axis: Any = None, *, cond: Any = None,
               na: Any = False) -> Any:
        """Columns (a DataFrame's default) or rows whose labels are in ``items``, contain ``like`` or match
        ``regex``, or the rows where the boolean mask ``cond`` is True, as pandas' ``filter``.

        Parameters
        ----------
        items : list of labels, callable or expression, optional
            The labels kept, in this order (columns only: rows by label are ``loc[items]``); a callable or
            ``pd.col`` expression is a mask (``cond``), as pandas 3.1 takes it.
        like : str, optional
            Keep labels whose text contains it.
        regex : str, optional
            Keep labels whose text it matches (``re.search``).
        axis : {0, "index", 1, "columns"}, optional
            Default: the columns of a DataFrame, the rows of a Series (the rows for ``cond``).
        cond : lazy boolean Series, callable or expression, optional
            The rows kept (pandas 3.1); a callable of the collection (``axis=1``: a mask of its columns).
        na : {False, True, "raise"}
            How a missing value in the mask counts (``"raise"``: ``ValueError`` when computed).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"temp_a": [1, 2], "temp_b": [3, 4], "rain": [5, 6]}, index=["x1", "y1"])
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> list(df.filter(like="temp").columns), list(df.filter(regex="^r", axis=1).columns)
        (['temp_a', 'temp_b'], ['rain'])
        >>> df.filter(like="y", axis=0).compute().index.tolist()
        ['y1']
        """
        if bf.is_expression(items) or callable(items):  # pandas 3.1: a positional callable or expression is a mask
            items, cond = None, items if cond is None else cond
        if cond is not None:
            if any(arg is not None for arg in (items, like, regex)):
                raise TypeError("filter: cond cannot be combined with items, like or regex")
            return _rows_or_columns_where(self, cond, axis, na)
        if sum(arg is not None for arg in (items, like, regex)) != 1:
            raise TypeError("filter: keyword arguments `items`, `like`, or `regex` are mutually exclusive")
        if axis is None:
            axis = 1 if hasattr(self, "columns") else 0
        if _on_columns(self, axis, "filter"):
            return self[bf.filtered_labels(self.columns, items=items, like=like, regex=regex)]
        if items is not None:
            raise NotImplementedError("filter(items=..., axis=0): rows by label are .loc[items]")
        return self._map(bf.rows_by_label_pattern, kwargs={"like": like, "regex": regex}, label="filter",
                         meta=self._meta)

    def truncate(self, before: Any = None, after: Any = None, axis: Any = None, copy: Any = None) -> Any:
        """The rows (or columns) from label ``before`` to ``after``, both included, of a sorted axis, as pandas'
        ``truncate`` (rows: ``loc[before:after]``, which prunes partitions by known divisions).

        Parameters
        ----------
        before, after : label, optional
            The first and last labels kept (None: open).
        axis : {0, "index", 1, "columns"}, optional
            The rows (default) or the columns of a DataFrame.
        copy : optional
            Accepted as pandas.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series(range(6), index=list("abcdef")), npartitions=3, backend="cpu")
        >>> s.truncate(before="b", after="d").compute().tolist()
        [1, 2, 3]
        """
        if _on_columns(self, 0 if axis is None else axis, "truncate"):
            return self[bf.truncated_labels(self.columns, before=before, after=after)]
        before, after = bf.truncate_bound(self._meta.index, before), bf.truncate_bound(self._meta.index, after)
        if before is not None and after is not None and before > after:
            raise ValueError(f"Truncate: {after} must be after {before}")
        return self.loc[before:after]

    def _index_tz(self, tz: Any, convert: bool, axis: Any, level: Any, **kwargs: Any) -> Any:
        name = "tz_convert" if convert else "tz_localize"
        if _on_columns(self, axis, name) or level is not None:
            raise NotImplementedError(f"{name}: only the index (axis=0) of one level")
        kw = {"tz": tz, "convert": convert, **kwargs}
        meta = bf.with_index_tz(self._meta, **kw)
        if not convert and isinstance(kwargs.get("ambiguous"), str) and kwargs["ambiguous"] == "infer" \
                and self.npartitions > 1:  # (each partition checks that no run of ambiguous times crosses its edges)
            from gpuscale.dataframe.expr.blockwise import PARTITION_INFO

            kw = {**kw, "npartitions": self.npartitions, "partition_info": PARTITION_INFO}
        out = self._map(bf.with_index_tz, kwargs=kw, label=name, meta=meta)
        if not self.known_divisions:
            return out
        moved = bf.tz_divisions(self.divisions, tz, convert, **kwargs)
        return out.clear_divisions() if moved is None else _with_divisions(out, moved)

    def tz_localize(self, tz: Any, axis: Any = 0, level: Any = None, copy: Any = None, ambiguous: Any = "raise",
                    nonexistent: Any = "raise") -> Any:
        """The index's times (a DatetimeIndex without zone) put in the time zone ``tz``, as pandas.

        Parameters
        ----------
        tz : str or tzinfo
            The zone (None: drop the zone of an aware index, keeping local times).
        axis : {0, "index"}
            Only the index.
        level : None
            One level.
        copy : optional
            Accepted as pandas.
        ambiguous, nonexistent : optional
            As pandas (also on cuDF partitions, whose labels are localized on the host).

        Returns
        -------
        DataFrame or Series
            The same partitions; known divisions localized too.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([1, 2], index=pd.to_datetime(["2024-01-01 09:00", "2024-01-02 09:00"]))
        >>> ds = gd.from_pandas(s, npartitions=1, backend="cpu").tz_localize("Europe/Paris")
        >>> str(ds.compute().index.tz), ds.tz_convert("UTC").compute().index.hour.tolist()
        ('Europe/Paris', [8, 8])
        """
        return self._index_tz(tz, False, axis, level, ambiguous=ambiguous, nonexistent=nonexistent)

    def tz_convert(self, tz: Any, axis: Any = 0, level: Any = None, copy: Any = None) -> Any:
        """The index's times (a zone-aware DatetimeIndex) in the time zone ``tz``, as pandas (see
        :meth:`tz_localize`).

        Parameters
        ----------
        tz : str or tzinfo
            The zone.
        axis : {0, "index"}
            Only the index.
        level : None
            One level.
        copy : optional
            Accepted as pandas.

        Returns
        -------
        DataFrame or Series
            The same partitions and instants.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([1], index=pd.to_datetime(["2024-06-01 12:00"]).tz_localize("UTC"))
        >>> gd.from_pandas(s, npartitions=1, backend="cpu").tz_convert("Asia/Tokyo").compute().index.hour.tolist()
        [21]
        """
        return self._index_tz(tz, True, axis, level)

    def keys(self) -> Any:
        """The columns of a DataFrame, the (lazy) index of a Series, as pandas' ``keys``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> list(gd.from_pandas(pd.DataFrame({"a": [1], "b": [2]}), npartitions=1, backend="cpu").keys())
        ['a', 'b']
        """
        return self.columns if hasattr(self, "columns") else self.index

    def get(self, key: Any, default: Any = None) -> Any:
        """The column(s) ``key`` of a DataFrame (the rows labelled ``key`` of a Series), or ``default`` where
        there is none, as pandas' ``get``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2]}), npartitions=1, backend="cpu")
        >>> df.get("a").compute().tolist(), df.get("z", "none")
        ([1, 2], 'none')
        >>> s = gd.from_pandas(pd.Series([1, 2], index=["x", "y"]), npartitions=2, backend="cpu")
        >>> int(s.get("y").compute()), s.get("z", -1).compute()
        (2, -1)
        """
        if hasattr(self, "columns"):
            labels = key if isinstance(key, list) else [key]
            return self[key] if all(label in self.columns for label in labels) else default
        if bf.is_label_list(key) or isinstance(key, slice):
            return self.loc[key]
        from gpuscale.dataframe.core import new_collection
        from gpuscale.dataframe.expr.reductions import tree_reduce

        # a lazy scalar: the value at ``key``, ``default`` where no row has it (rows of a repeated label: a Series)
        meta = bf.meta_nonempty(self._meta).iloc[0]
        return new_collection(tree_reduce(self.expr, bf.rows_labelled, bf.rows_labelled_combine, bf.get_labelled,
                                          {"default": default}, meta, "get",
                                          chunk_kwargs={"label": key, "equal": True}))

    def set_axis(self, labels: Any, axis: Any = 0, copy: Any = None) -> Any:
        """New column labels (``axis=1``), as pandas' ``set_axis``; new row labels need the rows counted, which a
        lazy collection does not know (``reset_index`` / ``set_index`` instead).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1], "b": [2]}), npartitions=1, backend="cpu")
        >>> list(df.set_axis(["x", "y"], axis=1).columns)
        ['x', 'y']
        """
        if not _on_columns(self, axis, "set_axis"):
            raise NotImplementedError("set_axis(axis=0): the row labels of a lazy collection are set with "
                                      "set_index (a column) or reset_index (positions)")
        out = self.copy()
        out.columns = labels if bf.is_index_like(labels) else list(labels)  # (an Index keeps its name)
        return out

    def droplevel(self, level: Any, axis: Any = 0) -> Any:
        """The index (``axis=0``, partition by partition) or the columns (``axis=1``) without the level(s)
        ``level`` of their MultiIndex, as pandas' ``droplevel``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2], "j": [3, 4, 3], "x": [1.0, 2.0, 3.0]})
        >>> sums = gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby(["k", "j"]).x.sum()
        >>> sums.droplevel("k").compute().index.tolist()
        [3, 4, 3]
        """
        if _on_columns(self, axis, "droplevel"):
            out = self.copy()
            out.columns = bf.labels_without_level(self.columns, level)
            return out
        return self._map(bf.without_index_level, level, label="droplevel",
                         meta=bf.without_index_level(self._meta, level))


    def _level_position(self, level: Any) -> int:
        return level_position(self._meta.index, level)

    def _check_hierarchical(self, method: str) -> None:
        if self._meta.index.nlevels < 2:
            raise TypeError(f"{method}: can only reorder levels on a hierarchical axis (a MultiIndex)")

    def _with_levels(self, order: list, method: str) -> Any:
        self._check_hierarchical(method)
        return self._map(bf.with_index_levels, order, label=method, meta=bf.with_index_levels(self._meta, order))

    def reorder_levels(self, order: list, axis: Any = 0) -> Any:
        """The index's MultiIndex levels in ``order`` (names or positions), partition by partition, as pandas'
        ``reorder_levels`` (``axis=0`` only).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2], "j": [3, 4, 3], "x": [1.0, 2.0, 3.0]})
        >>> sums = gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby(["k", "j"]).x.sum()
        >>> sums.reorder_levels(["j", "k"]).compute().index.tolist()
        [(3, 1), (4, 1), (3, 2)]
        """
        if _on_columns(self, axis, "reorder_levels"):
            raise NotImplementedError("reorder_levels: of the index only (axis=0)")
        self._check_hierarchical("reorder_levels")
        return self._with_levels([self._level_position(level) for level in order], "reorder_levels")

    def swaplevel(self, i: Any = -2, j: Any = -1, axis: Any = 0) -> Any:
        """The index's MultiIndex with levels ``i`` and ``j`` swapped, partition by partition, as pandas'
        ``swaplevel`` (``axis=0`` only).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2], "j": [3, 4, 3], "x": [1.0, 2.0, 3.0]})
        >>> sums = gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby(["k", "j"]).x.sum()
        >>> sums.swaplevel().compute().index.names
        FrozenList(['j', 'k'])
        """
        if _on_columns(self, axis, "swaplevel"):
            raise NotImplementedError("swaplevel: of the index only (axis=0)")
        self._check_hierarchical("swaplevel")
        order = list(range(self._meta.index.nlevels))
        a, b = self._level_position(i), self._level_position(j)
        order[a], order[b] = order[b], order[a]
        return self._with_levels(order, "swaplevel")

    def xs(self, key: Any, axis: Any = 0, level: Any = 0, drop_level: bool = True) -> Any:
        """The rows whose label at MultiIndex level ``level`` is ``key``, as pandas' ``xs`` (partition by
        partition; a key absent everywhere gives no rows where pandas raises ``KeyError``).

        Parameters
        ----------
        key : label
            The label at ``level``.
        axis : {0, "index"}
            Rows only.
        level : int or name
            The MultiIndex level (default: the first).
        drop_level : bool
            Leave that level out of the result's index.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2], "j": [3, 4, 3], "x": [1.0, 2.0, 3.0]})
        >>> sums = gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby(["k", "j"]).x.sum()
        >>> sums.xs(3, level="j").compute().to_dict()
        {1: 1.0, 2: 3.0}
        """
        if _on_columns(self, axis, "xs"):
            raise NotImplementedError("xs: of rows only (select columns with df[...])")
        if self._meta.index.nlevels < 2:
            raise NotImplementedError("xs: of a MultiIndex only (a plain index: use .loc[key])")
        position = self._level_position(level)
        kw = {"key": key, "level": position, "drop_level": drop_level}
        return self._map(bf.rows_at_level, kwargs=kw, label="xs", meta=bf.rows_at_level(self._meta, **kw))


def _with_divisions(obj: Any, divisions: list) -> Any:
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.sorting import WithDivisions

    return new_collection(WithDivisions(obj.expr, tuple(divisions)))


class DataFrameLabelMethods:
    """Mixin of DataFrame: ``insert``, ``select``."""

    def select(self, *args: Any, **kwargs: Any) -> Any:
        """The columns named, in that order, and computed ones, as pandas 3.1's ``select``.

        Parameters
        ----------
        *args : labels, ``pd.col`` expressions, or one list of them
            Columns to keep (a label twice: twice); an expression's result is a new column under its name.
        **kwargs : callable, expression, collection or scalar
            More columns, computed as :meth:`assign` computes them.

        Returns
        -------
        DataFrame

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2], "b": [3, 4]}), npartitions=1, backend="cpu")
        >>> df.select("b", "a", c=lambda d: d.a * 10).compute()
           b  a   c
        0  3  1  10
        1  4  2  20
        """
        if len(args) == 1 and isinstance(args[0], list) or (len(args) == 1 and bf.is_label_list(args[0])):
            items = list(args[0])
        elif any(isinstance(a, list) for a in args):
            raise TypeError("select supports individual columns df.select('col1', 'col2', ...) or a single list "
                            "df.select(['col1', 'col2', ...]), but not both")
        else:
            items = list(args)
        out, names = self, []
        for item in items:
            if bf.is_expression(item):
                value = bf.evaluate_expression(item, self)
                if getattr(value, "name", None) is None:
                    raise ValueError(f"select: the expression {item!r} gives an unnamed result: name it with "
                                     ".rename(...)")
                out = out.copy()
                out[value.name] = value  # (any label, as pandas)
                names.append(value.name)
            else:
                names.append(item)
        self._check_columns([n for n, item in zip(names, items) if not bf.is_expression(item)])
        if kwargs:
            out = out.assign(**kwargs)
            names += list(kwargs)
        return out[names]

    def insert(self, loc: int, column: Any, value: Any, allow_duplicates: bool = False) -> None:
        """Add the column ``column`` at position ``loc``, in place, as pandas' ``insert``.

        Parameters
        ----------
        loc : int
            The new column's position (0 .. number of columns).
        column : label
            Its name (which must be new: duplicate labels are not supported).
        value : scalar, Series (lazy or aligned) or array
            Its values, as ``df[column] = value`` takes them.
        allow_duplicates : bool
            Only False.

        Returns
        -------
        None

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2], "b": [3, 4]}), npartitions=1, backend="cpu")
        >>> df.insert(1, "c", df.a * 10)
        >>> df.compute().columns.tolist(), df.compute().c.tolist()
        (['a', 'c', 'b'], [10, 20])
        """
        columns = list(self.columns)
        if column in columns:
            if allow_duplicates:
                raise NotImplementedError("insert: gpuscale collections have unique column labels "
                                          "(allow_duplicates=True is not supported)")
            raise ValueError(f"cannot insert {column}, already exists")
        if not isinstance(loc, int) or isinstance(loc, bool) or not 0 <= loc <= len(columns):
            raise IndexError(f"insert: loc must be an integer in 0 .. {len(columns)}, got {loc!r}")
        grown = self.copy()
        grown[column] = value
        columns.insert(loc, column)
        self._expr = grown[columns].expr


class SeriesLabelMethods:
    """Mixin of Series: ``repeat``, ``drop``."""

    def repeat(self, repeats: int, axis: Any = None) -> Any:
        """Each value (and its label) ``repeats`` times in a row, as pandas' ``repeat``; partitions and divisions
        kept.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> gd.from_pandas(pd.Series([1, 2]), npartitions=2, backend="cpu").repeat(2).compute().tolist()
        [1, 1, 2, 2]
        """
        if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats < 0:
            raise NotImplementedError("repeat: one count for every value (a non-negative integer); counts per value "
                                      "would have to be partitioned as the Series")
        return self._map(_repeated, repeats, label="repeat", meta=self._meta)


    def drop(self, labels: Any = None, *, index: Any = None, errors: str = "raise", **options: Any) -> Any:
        """The rows without the labels ``labels`` (or ``index=``), as pandas' ``Series.drop``; partitions and
        divisions kept.  With ``errors="raise"`` whether every label is there is computed at once (pandas'
        ``KeyError`` names those that are not).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3], index=["a", "b", "c"]), npartitions=2, backend="cpu")
        >>> s.drop(["b"]).compute().tolist()
        [1, 3]
        """
        if options.get("columns") is not None or options.get("level") is not None or \
                options.get("axis", 0) not in (0, "index"):
            raise NotImplementedError("Series.drop: rows by label only (no columns=, level= or axis=1)")
        given = labels if labels is not None else index
        if given is None:
            raise ValueError("Need to specify at least one of 'labels' or 'index'")
        return without_rows(self, given, errors)


def without_rows(obj: Any, labels: Any, errors: str = "raise") -> Any:
    """``obj`` without the rows labelled ``labels`` (a label or a list of them): partitions and divisions kept;
    with ``errors="raise"`` whether every label is there is computed at once (pandas' ``KeyError`` names those
    that are not)."""
    wanted = list(labels) if isinstance(labels, (list, tuple, set)) or getattr(labels, "ndim", 0) else [labels]
    if errors == "raise":
        check_row_labels(obj, wanted)
    index = obj.index.to_series()
    return obj[~index.isin(wanted)]


def renamed(df: Any, columns: Any, index: Any, mapper: Any, axis: Any, inplace: bool, level: Any,
            errors: str) -> Any:
    """``DataFrame.rename``: the columns renamed on each partition (and in the metadata), the index labels by
    :func:`~gpuscale.dataframe.divisions.renamed_index`; ``errors="raise"`` checks a dict's keys as pandas."""
    from gpuscale.dataframe.core import FrameBase
    from gpuscale.dataframe.divisions import renamed_index

    if axis is not None or mapper is not None:
        if mapper is None:
            mapper, columns = columns, None
        if axis in (None, 0, "index"):  # (pandas: mapper= alone renames the index)
            index = mapper
        elif axis in (1, "columns"):
            columns = mapper
        else:
            raise ValueError(f"No axis named {axis!r} for object type DataFrame")
    _check_rename_options(df, columns, index, inplace, level, errors)
    if isinstance(columns, dict):
        df._check_columns([c for c in columns if c in df.columns] or [])
    levelled = {} if level is None else {"level": level}
    out = df if columns is None else df._method("rename", columns=columns, **levelled)
    if index is not None:
        if isinstance(index, FrameBase) or not (callable(index) or hasattr(index, "keys")):
            raise TypeError(f"rename: index= must be a function or a dict-like of labels, got "
                            f"{type(index).__name__}")
        if errors == "raise" and not callable(index):
            check_row_labels(df, list(index.keys()))
        out = renamed_index(out, index)
    return out


def _check_rename_options(df: Any, columns: Any, index: Any, inplace: bool, level: Any, errors: str) -> None:
    """pandas' ``errors``, ``inplace`` and ``level`` of ``rename``, and with ``errors="raise"`` the keys of a
    ``columns`` dict that are no column (pandas' KeyError); those of an ``index`` dict are checked after."""
    if errors not in ("ignore", "raise"):
        raise ValueError(f"rename: errors must be 'ignore' or 'raise', got {errors!r}")
    if inplace:
        raise NotImplementedError("rename(inplace=True) is not supported: a lazy collection is not changed in "
                                  "place; use the frame it returns")
    if level is not None and index is not None:
        raise NotImplementedError("rename(index=..., level=...) is not supported: level= renames a level of the "
                                  "columns only")
    if errors == "raise" and columns is not None and not callable(columns):
        labels = df.columns if level is None else df._meta.columns.get_level_values(level)
        missing = [label for label in columns.keys() if label not in labels]
        if missing:
            raise KeyError(f"{missing} not found in axis")


def check_row_labels(obj: Any, wanted: list) -> None:
    """pandas' ``errors="raise"`` of row labels (``drop(index=)``, ``rename(index=)``): a KeyError naming those of
    ``wanted`` that no row has, computed at once."""
    from gpuscale.collection import compute

    index = obj.index.to_series()
    (found,) = compute(index[index.isin(wanted)].drop_duplicates())  # (one pass: the labels that are there)
    present = set(bf.host_labels(found.index))
    missing = [label for label in wanted if label not in present]
    if missing:
        raise KeyError(f"{missing} not found in axis")


def _repeated(part: Any, repeats: int) -> Any:
    return part.repeat(repeats)


def _rows_or_columns_where(obj: Any, cond: Any, axis: Any, na: Any) -> Any:
    """``filter(cond=...)``: the rows where the mask is True (a column mask with ``axis=1``)."""
    from gpuscale.dataframe.core import FrameBase, resolved

    if na not in (True, False, "raise"):
        raise ValueError(f"filter: na must be True, False or 'raise', got {na!r}")
    if axis in (1, "columns"):
        if bf.is_expression(cond):
            raise ValueError("Expressions such as pd.col(...) are only supported by filter with axis=0, since "
                             "they evaluate to a mask aligned with the index")
        flags = list(resolved(cond, obj))
        if len(flags) != len(obj.columns) or (flags and not bf.is_boolean_list(flags)):
            raise TypeError("filter: the column mask must have one boolean per column")
        return obj[[c for c, keep in zip(obj.columns, flags) if keep]]
    mask = resolved(cond, obj)
    if not isinstance(mask, FrameBase) or not loc_extra.is_boolean_mask(mask._meta):
        raise TypeError("filter: cond must evaluate to a one-dimensional boolean mask (a lazy boolean Series)")
    return obj[mask.map_partitions(loc_extra.mask_missing_as, na=na, meta=mask._meta)]
