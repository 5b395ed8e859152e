"""``.str`` and ``.dt`` accessors: partition-wise calls of the partition library's accessors."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.array_blocks import is_block_array
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr

__all__ = ["StringAccessor", "DatetimeAccessor"]


class _Accessor:
    _name = ""
    _properties: tuple = ()
    _methods: tuple = ()

    def __init__(self, series: Any) -> None:
        self._series = series
        try:
            getattr(series._meta, self._name)
        except AttributeError as exc:
            raise AttributeError(f".{self._name} accessor needs {self._expected} values; "
                                 f"column {series.name!r} has dtype {series.dtype}") from exc

    _expected = ""

    def _call(self, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
        bf.refuse_object_values(self._series._meta, self._name, attr)  # (cuDF: no date/time objects)
        meta = None
        if bf.is_index_like(self._series._meta):
            sample = bf.index_accessor_sample(self._series._meta, self._name, attr, is_method, *args, **kwargs)
            if is_block_array(bf.accessor_block(sample)):  # an Index's boolean tests give arrays: one, a block
                return self._series.map_partitions(_accessor_call, (self._name, attr, is_method, *args), kwargs,
                                                   token=f"{self._name}.{attr}")
            # pandas infers an Index's dtype from its values (object labels' upper(): str): the sample's
            meta = None if sample is None else bf.make_meta(sample)
        if meta is None and (attr in _THREE_COLUMNS and kwargs.get("expand", True) or attr in _SAMPLED):
            meta = bf.make_meta(bf.call_accessor(bf.meta_nonempty(self._series._meta), self._name, attr, is_method,
                                                 *args, **kwargs))  # see those tuples
        expr = map_partitions_expr(bf.call_str_accessor, self._series.expr, self._name, attr, is_method, *args,
                                   kwargs=kwargs or None, meta=meta, label=f"{self._name}.{attr}", columnwise=True)
        out = new_collection(expr)
        if bf.is_index_like(self._series._meta) and bf.is_dataframe_like(out._meta) and attr.startswith("extract"):
            return _numbered_over_the_index(self._series, out, attr, args, kwargs)
        return out

    def __getattr__(self, attr: str) -> Any:
        if attr in self._properties:
            return self._call(attr, False)
        if attr in self._methods:
            return lambda *args, **kwargs: self._call(attr, True, *args, **kwargs)
        raise AttributeError(f".{self._name} has no attribute {attr!r} in gpuscale")

    def __dir__(self) -> list:
        return sorted(self._properties + self._methods)


def _numbered_over_the_index(index: Any, out: Any, attr: str, args: tuple, kwargs: dict) -> Any:
    """An Index's ``str.extract`` / ``extractall`` (``out``) with its rows numbered by their values' positions in
    the whole Index, as pandas numbers them (each partition's started at 0)."""
    from gpuscale.dataframe.positions import rows_by_position

    if attr == "extract":  # one row a value: 0 .. n-1
        return rows_by_position(out, bf.numbered_rows, {}, "extract-positions").clear_divisions()
    # extractall's rows are its matches: positions counted on the Index's own rows
    return rows_by_position(index, bf.index_extractall, {"args": args, "kwargs": kwargs}, "extractall-positions",
                            meta=out._meta).clear_divisions()


def _accessor_call(part: Any, args: tuple, kwargs: dict) -> Any:
    return bf.accessor_block(bf.call_str_accessor(part, *args, **kwargs))


# ``str.partition`` / ``rpartition`` give three columns (before, separator, after) whatever the values
_THREE_COLUMNS = ("partition", "rpartition")
# pandas gives an empty Series' ``extract``/``extractall`` a RangeIndex / object levels, not its own index
_SAMPLED = ("extract", "extractall")


class StringAccessor(_Accessor):
    """String methods (``startswith``, ``contains``, ``slice``, ``strip``, ``len``, ...), dask's set of them
    (those the partition library has).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series(["a b", "c d e", None]), npartitions=2, backend="cpu")
    >>> s.str.upper().compute().tolist()
    ['A B', 'C D E', nan]
    >>> s.str.split(n=1, expand=True).compute().values.tolist()
    [['a', 'b'], ['c', 'd e'], [nan, nan]]
    >>> s.str.cat(sep="-", na_rep="?").compute()
    'a b-c d e-?'
    """

    _name, _expected = "str", "string"
    _properties = ()
    _methods = ("capitalize", "casefold", "center", "contains", "count", "decode", "encode", "endswith", "extract",
                "extractall", "find", "findall", "fullmatch", "get", "index", "isalnum", "isalpha", "isdecimal",
                "isascii", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join", "len", "ljust",
                "lower", "lstrip", "match", "normalize", "pad", "partition", "removeprefix", "removesuffix", "repeat",
                "replace", "rfind", "rindex", "rjust", "rpartition", "rstrip", "slice", "slice_replace",
                "startswith", "strip", "swapcase", "title", "translate", "upper", "wrap", "zfill")

    def __getattr__(self, attr: str) -> Any:
        if attr in self._methods and not hasattr(getattr(self._series._meta, "str"), attr):
            raise AttributeError(f".str.{attr} is not offered by the partition library")
        return super().__getattr__(attr)

    def __dir__(self) -> list:
        return sorted(["split", "rsplit", "cat", "get_dummies"] +
                      [m for m in self._methods if hasattr(self._series._meta.str, m)])

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return self._call("slice", True, key.start, key.stop, key.step)
        return self._call("get", True, key)

    def split(self, pat: Any = None, n: int = -1, expand: bool = False, regex: Any = None) -> Any:
        """Split each string at ``pat`` (``regex``: as pandas): lists, or with ``expand=True`` a DataFrame of
        ``n + 1`` columns (``n`` > 0 is needed then: the number of columns must be known before the data is read;
        pandas' ``n`` of ``None``, 0 or -1 means every split)."""
        return self._split("split", pat, n, expand, regex)

    def rsplit(self, pat: Any = None, n: int = -1, expand: bool = False) -> Any:
        """Split each string at ``pat`` from the right; see :meth:`split`."""
        return self._split("rsplit", pat, n, expand, None)

    def _split(self, method: str, pat: Any, n: int, expand: bool, regex: Any) -> Any:
        options = {} if regex is None else {"regex": regex}
        if not expand:
            return self._call(method, True, pat=pat, n=n, expand=False, **options)
        _refuse_multiindex(self._series, f"{method}(expand=True)")
        if n is None or n <= 0:  # (pandas: every split; 0 too)
            raise NotImplementedError(f"str.{method}(expand=True) needs the number of splits: pass n= (n splits "
                                      "give n + 1 columns)")
        meta = bf.str_split_meta(self._series._meta, method, pat, n, **options)
        return new_collection(map_partitions_expr(bf.str_split_expand, self._series.expr, method, pat, n,
                                                  kwargs=options or None, meta=meta, label=f"str.{method}",
                                                  columnwise=True))

    def get_dummies(self, sep: str = "|", dtype: Any = None) -> Any:
        """A 0/1 column per distinct piece of the strings split at ``sep``, as pandas' ``str.get_dummies``.

        The pieces (the columns, sorted) are computed at once; each partition then makes every column (on a host
        copy for cuDF, which has no ``get_dummies``).

        Parameters
        ----------
        sep : str
            The separator (literal).
        dtype : dtype, optional
            Of the columns (int64 by default, as pandas).

        Returns
        -------
        DataFrame

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series(["a|b", "c", None, "b"]), npartitions=2, backend="cpu")
        >>> s.str.get_dummies().compute()
           a  b  c
        0  1  1  0
        1  0  0  1
        2  0  0  0
        3  0  1  0
        """
        from gpuscale.backends import to_host

        _refuse_multiindex(self._series, "get_dummies")
        pieces = self._series.map_partitions(bf.str_tokens, sep, meta=self._series._meta).drop_duplicates()
        tokens = sorted(to_host(pieces.compute()).tolist())
        meta = bf.make_meta(bf.str_dummies(bf.meta_nonempty(self._series._meta), sep, tokens, dtype))
        return new_collection(map_partitions_expr(bf.str_dummies, self._series.expr, sep, tokens, dtype, meta=meta,
                                                  label="str.get_dummies"))

    def cat(self, others: Any = None, sep: Any = None, na_rep: Any = None) -> Any:
        """Concatenate strings: all values into one (a lazy scalar) when ``others`` is None, else row by row
        with ``others`` (Series or Index, lazy ones partitioned as this one, or a list of them; a DataFrame's
        columns joined by label, a 2-D array's by position, as pandas)."""
        from gpuscale.dataframe.core import FrameBase
        from gpuscale.dataframe.expr.reductions import tree_reduce

        if others is None:
            kwargs = {"sep": sep, "na_rep": na_rep}
            return new_collection(tree_reduce(self._series.expr, bf.str_cat_chunk, bf.str_cat_join, bf.str_cat_final,
                                              kwargs, "", "str-cat", chunk_kwargs=kwargs))
        if isinstance(others, str):
            raise TypeError("str.cat: others must be a Series, Index, array or list (lazy or in memory), or a list "
                            "of them")
        if _is_table(others):
            others = _columns_of(others)  # (pandas: each column an operand, a DataFrame's by label)
        elif isinstance(others, FrameBase) or bf.is_frame_like(others) or not _list_of_operands(others):
            others = [others]  # (one operand; a list of strings is one, by position)
        elif any(_is_table(o) for o in others):
            raise TypeError("others must be Series, Index, DataFrame, np.ndarray or list-like (either containing only "
                            "strings or containing only objects of type Series/Index/np.ndarray[1-dim])")  # pandas'
        operands = [_positional_operand(self._series, o) if _by_position(o) else o for o in others]
        positional = tuple(_by_position(o) for o in others)
        args = [o.expr if isinstance(o, FrameBase) else o for o in operands]
        kwargs = {"sep": sep, "na_rep": na_rep, **({"positional": positional} if any(positional) else {})}
        # (operands cut by position pair with the partitions by position, not by their labels)
        by_position = any(positional) and not any(isinstance(o, FrameBase) for o in others)
        meta = _index_cat_meta(self._series._meta, args, kwargs) if bf.is_index_like(self._series._meta) else None
        out = map_partitions_expr(bf.str_cat_columns, self._series.expr, *args, kwargs=kwargs, label="str.cat",
                                  positional=by_position, meta=meta)
        if by_position and self._series.known_divisions:  # (each row keeps its label)
            from gpuscale.dataframe.expr.sorting import WithDivisions

            out = WithDivisions(out, tuple(self._series.divisions))
        return new_collection(out)


def _index_cat_meta(meta: Any, operands: list, kwargs: dict) -> Any:
    """The metadata of an Index's ``str.cat`` with ``operands`` (expressions or in-memory values)."""
    from gpuscale.expr.core import Expr

    return bf.index_str_cat_meta(meta, [o._meta if isinstance(o, Expr) else o for o in operands], **kwargs)


def _refuse_multiindex(collection: Any, call: str) -> None:
    """A clear error for ``Index.str`` calls that give pandas a MultiIndex of parts (``split(expand=True)``,
    ``get_dummies``): the partitions' parts would be levels the lazy Index does not follow."""
    if bf.is_index_like(collection._meta):
        raise NotImplementedError(f"Index.str.{call} gives a MultiIndex, which is not supported on a lazy Index; "
                                  f"call it on the labels as a Series: index.to_series().str.{call.split('(')[0]}"
                                  "(...) gives a DataFrame of the parts")


def _is_table(obj: Any) -> bool:
    """Whether ``obj`` is a DataFrame (lazy or in memory) or a 2-D array: several operands of ``str.cat``."""
    from gpuscale.dataframe.core import FrameBase

    if isinstance(obj, FrameBase):
        return bf.is_dataframe_like(obj._meta)
    return bf.is_dataframe_like(obj) or (hasattr(obj, "__array__") and getattr(obj, "ndim", 1) == 2)


def _columns_of(table: Any) -> list:
    """The columns of a DataFrame (Series, joined by label as pandas) or 2-D array (1-D arrays, by position)."""
    if hasattr(table, "iloc"):
        return [table.iloc[:, i] for i in range(len(table.columns))]
    return [table[:, i] for i in range(table.shape[1])]


def _list_of_operands(others: Any) -> bool:
    """Whether ``others`` is a list of operands (Series, Index, arrays, lists), not one list of strings."""
    from gpuscale.dataframe.core import FrameBase

    return isinstance(others, (list, tuple)) and bool(others) and all(
        isinstance(o, (FrameBase, list, tuple)) or bf.is_frame_like(o) or hasattr(o, "__array__") for o in others)


def _by_position(operand: Any) -> bool:
    """pandas pairs an Index, array or list with the rows by position (a Series: by label)."""
    from gpuscale.dataframe.core import FrameBase

    return not isinstance(operand, FrameBase) and not bf.is_series_like(operand)


def _positional_operand(series: Any, values: Any) -> Any:
    """In-memory ``values`` cut into ``series``' partition lengths (computed), as a lazy Series."""
    from gpuscale.dataframe.combine import _rows_as_partitioned
    from gpuscale.dataframe.creation import from_pandas

    host = bf.host_series(list(values.to_pandas() if hasattr(values, "to_pandas") else values))
    cut = _rows_as_partitioned(series, from_pandas(host, npartitions=1, sort=False,
                                                   backend=bf.library_of(series._meta)))
    if cut is None:
        raise OthersLengthError("If `others` contains arrays or lists (or other list-likes without an index), these "
                                "must all be of the same length as the calling Series/Index.")  # pandas' words
    return cut


class OthersLengthError(ValueError, TypeError):
    """``str.cat`` of a list or array of another length: pandas' ``ValueError``, and the ``TypeError`` dask raises
    for any list."""


class DatetimeAccessor(_Accessor):
    """Datetime, timedelta and period properties (``year``, ``month``, ``dayofweek``, ``date``, ``days``,
    ``start_time`` ...) and methods (``floor``, ``to_period``, ``total_seconds`` ...), dask's set of them (those
    the partition library has for the column's dtype); ``tz`` and ``unit`` come from the dtype.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> t = gd.from_pandas(pd.Series(pd.date_range("2024-01-30", periods=4, freq="D")), npartitions=2,
    ...                    backend="cpu")
    >>> t.dt.to_period("M").compute().astype(str).tolist()
    ['2024-01', '2024-01', '2024-02', '2024-02']
    >>> t.dt.is_month_end.compute().tolist(), t.dt.tz is None
    ([False, True, False, False], True)
    >>> (t - t.min()).dt.days.compute().tolist()
    [0, 1, 2, 3]
    """

    _name, _expected = "dt", "datetime, timedelta or period"
    _properties = ("components", "date", "day", "day_of_week", "day_of_year", "dayofweek", "dayofyear", "days",
                   "days_in_month", "daysinmonth", "end_time", "hour", "is_leap_year", "is_month_end",
                   "is_month_start", "is_quarter_end", "is_quarter_start", "is_year_end", "is_year_start",
                   "microsecond", "microseconds", "minute", "month", "nanosecond", "nanoseconds", "quarter", "qyear",
                   "second", "seconds", "start_time", "time", "timetz", "week", "weekday", "weekofyear", "year")
    _methods = ("ceil", "day_name", "floor", "isocalendar", "month_name", "normalize", "round", "strftime",
                "to_period", "to_pydatetime", "to_pytimedelta", "to_timestamp", "total_seconds", "tz_convert",
                "tz_localize")
    _from_dtype = ("tz", "unit")  # the same for every row: read from the metadata, nothing computed

    def __getattr__(self, attr: str) -> Any:
        accessor = getattr(self._series._meta, "dt")
        if attr in self._from_dtype or (attr == "freq" and str(self._series.dtype).startswith("period")):
            return getattr(accessor, attr)
        if attr == "freq":
            raise AttributeError(".dt.freq of datetime or timedelta values is inferred from all of them: compute "
                                 "the column first (pandas.infer_freq(s.compute()))")
        if attr in self._properties + self._methods and not _offers(accessor, attr):
            raise AttributeError(f".dt.{attr} is not offered by the partition library for dtype "
                                 f"{self._series.dtype}")
        return super().__getattr__(attr)

    def __dir__(self) -> list:
        accessor = getattr(self._series._meta, "dt")
        names = self._properties + self._methods + self._from_dtype
        return sorted({*(n for n in names if _offers(accessor, n)), "as_unit"})

    def as_unit(self, unit: str) -> Any:
        """The times (or durations) in ``unit`` (``"s"``, ``"ms"``, ``"us"``, ``"ns"``), as pandas' ``as_unit``:
        a cast of each partition to the dtype pandas gives (cuDF has no ``as_unit``; its ``astype`` is the same).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> t = gd.from_pandas(pd.Series(pd.date_range("2024-01-30", periods=2, freq="D")), npartitions=1,
        ...                    backend="cpu")
        >>> str(t.dt.as_unit("s").dtype)
        'datetime64[s]'
        """
        from gpuscale.backends.convert import to_host

        meta = to_host(self._series._meta)
        if not hasattr(meta.dt, "as_unit"):
            raise AttributeError(f".dt.as_unit is for datetime and timedelta values, not {meta.dtype}")
        return self._series.astype(meta.dt.as_unit(unit).dtype)


def _offers(accessor: Any, attr: str) -> bool:
    """Whether the partition library's ``accessor`` has ``attr`` for this dtype, asked of its class first so that
    a property is not computed (on the metadata) to find out."""
    try:
        return hasattr(type(accessor), attr) or hasattr(accessor, attr)
    except Exception:  # a property that refuses when read (cuDF's dt.date stub): offered, refused when used
        return True
