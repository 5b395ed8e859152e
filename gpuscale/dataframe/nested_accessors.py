"""``.list`` and ``.struct``: cuDF's list and struct methods (as dask_cudf's accessors), partition-wise, on cuDF
list/struct columns and on pandas' Arrow list/struct columns (``gpuscale.backends.frame.nested``)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import nested
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr

__all__ = ["ListAccessor", "StructAccessor"]

_OBJECT_HINT = (" (pandas keeps lists and dicts as Python objects: read with dtype_backend='pyarrow', or "
                ".astype(pd.ArrowDtype(pa.list_(...))) / pa.struct(...) first)")


class _NestedAccessor:
    _name = _expected = ""
    _methods: tuple = ()
    _properties: tuple = ()

    def __init__(self, series: Any) -> None:
        dtype = series._meta.dtype
        if not self._accepts(dtype):
            hint = _OBJECT_HINT if str(dtype) == "object" else ""
            raise AttributeError(f".{self._name} accessor needs {self._expected} values; column {series.name!r} "
                                 f"has dtype {dtype}{hint}")
        self._series = series

    _accepts: Any = None  # whether the column's dtype is the accessor's (list or struct)
    _partition_call: Any = None  # the backends/frame/nested call of each partition

    def _map(self, attr: str, *args: Any, **kwargs: Any) -> Any:
        expr = map_partitions_expr(type(self)._partition_call, self._series.expr, attr, *args,
                                   kwargs=kwargs or None, label=f"{self._name}.{attr}", columnwise=True)
        return new_collection(expr)

    def __getattr__(self, attr: str) -> Any:
        if attr in self._properties:
            return self._map(attr)
        if attr in self._methods:
            return lambda *args, **kwargs: self._map(attr, *args, **kwargs)
        raise AttributeError(f".{self._name} has no attribute {attr!r}; it has {', '.join(dir(self))}")

    def __dir__(self) -> list:
        return sorted(self._properties + self._methods + self._own)

    _own: tuple = ()  # methods of the accessor class itself, listed by dir()


class ListAccessor(_NestedAccessor):
    """cuDF's list methods (dask_cudf's ``.list``): ``len``, ``get``, ``contains``, ``index``, ``leaves``,
    ``take``, ``unique``, ``sort_values``, ``concat``, ``astype``, with cuDF's meaning on pandas' Arrow lists too;
    pandas' ``flatten()`` and slices (``s.list[0:2]``) on pandas' Arrow lists.

    Examples
    --------
    >>> import pandas as pd, pyarrow as pa, gpuscale.dataframe as gd
    >>> s = pd.Series([[3, 1, 2], None, [5, 4]], dtype=pd.ArrowDtype(pa.list_(pa.int64())))
    >>> lists = gd.from_pandas(s, npartitions=2, backend="cpu")
    >>> lists.list.len().compute().tolist(), lists.list.get(-1).compute().tolist()
    ([3, <NA>, 2], [2, <NA>, 4])
    >>> lists.list.sort_values().compute().tolist()
    [[1, 2, 3], <NA>, [4, 5]]
    >>> lists.list.leaves.compute().tolist()
    [3, 1, 2, 5, 4]
    """

    _name, _expected = "list", "list"
    _methods = nested.LIST_METHODS
    _properties = nested.LIST_PROPERTIES
    _own = ("flatten",)
    _partition_call = staticmethod(nested.list_call)
    _accepts = staticmethod(nested.is_list_dtype)

    def __getattr__(self, attr: str) -> Any:
        if attr == "leaves":  # one row per value: the index labels no longer say where a row is
            return self._map("leaves").clear_divisions()
        return super().__getattr__(attr)

    def __getitem__(self, index: Any) -> Any:
        """``s.list[i]``: ``get(i)``; ``s.list[start:stop:step]``: each list sliced, as pandas' (Arrow lists)."""
        if isinstance(index, slice):
            return self._pandas_only("slice", index.start, index.stop, index.step)
        return self.get(index)

    def flatten(self) -> Any:
        """The values of the lists, one level down, each labelled with its list's row label, as pandas'
        ``Series.list.flatten()`` (Arrow lists; empty and missing lists give no row)."""
        out = self._pandas_only("flatten")
        return out if nested.flatten_keeps_labels() else out.clear_divisions()

    def _pandas_only(self, name: str, *args: Any) -> Any:
        """pandas' ArrowAccessor method ``name`` of each partition (cuDF's ``.list`` has none)."""
        if bf.library_of(self._series._meta) == "cudf":
            what = "slicing (s.list[start:stop])" if name == "slice" else f"list.{name}()"
            raise NotImplementedError(f"{what} is pandas' Arrow list method; cuDF's .list has none (take=, leaves "
                                      "or get= instead, or compute on pandas partitions)")
        expr = map_partitions_expr(nested.pandas_list_call, self._series.expr, name, *args, label=f"list.{name}",
                                   columnwise=True)
        return new_collection(expr)

    def get(self, index: int, default: Any = None) -> Any:
        """The element at ``index`` of each list (negative from the end); null (or ``default``) where a list is
        shorter, as cuDF's."""
        if not isinstance(index, int) or isinstance(index, bool):
            raise NotImplementedError(f"list.get: index must be one int, got {type(index).__name__} (a position "
                                      "per row does not follow the partitions)")
        return self._map("get", index, default=default)

    def take(self, lists_indices: Any) -> Any:
        """The elements at the given positions of each list.  The positions are given per row, as cuDF's; on a
        partitioned column they must be the same for every row (``[[0, 1]] * len(s)``)."""
        rows = [list(positions) for positions in lists_indices]
        if not rows or any(positions != rows[0] for positions in rows):
            raise NotImplementedError("list.take: positions that differ from row to row do not follow the "
                                      "partitions; give the same positions for every row, or use map_partitions")
        return new_collection(map_partitions_expr(nested.same_take_for_every_row, self._series.expr, rows[0],
                                                  label="list.take", columnwise=True))

    def sort_values(self, ascending: bool = True, inplace: bool = False, kind: str = "quicksort",
                    na_position: str = "last", ignore_index: bool = False) -> Any:
        """Each list sorted (nulls ``first`` or ``last``); ``ignore_index=True`` numbers each partition's rows
        from 0, as dask_cudf (the divisions are dropped)."""
        if inplace:
            raise NotImplementedError("list.sort_values: inplace=True is not supported (a collection is immutable)")
        out = self._map("sort_values", ascending=ascending, kind=kind, na_position=na_position,
                        ignore_index=ignore_index)
        return out.clear_divisions() if ignore_index else out


class StructAccessor(_NestedAccessor):
    """cuDF's struct methods (dask_cudf's ``.struct``): ``field(name or position)`` and ``explode()``, on cuDF
    struct columns and pandas' Arrow structs; pandas' ``dtypes`` (of the fields, from the metadata).

    Examples
    --------
    >>> import pandas as pd, pyarrow as pa, gpuscale.dataframe as gd
    >>> points = pd.Series([{"x": 1, "y": 2.5}, {"x": 3, "y": None}],
    ...                    dtype=pd.ArrowDtype(pa.struct([("x", pa.int64()), ("y", pa.float64())])))
    >>> s = gd.from_pandas(points, npartitions=2, backend="cpu")
    >>> s.struct.field("x").compute().tolist(), s.struct.field(1).compute().tolist()
    ([1, 3], [2.5, <NA>])
    >>> s.struct.explode().compute().columns.tolist()
    ['x', 'y']
    """

    _name, _expected = "struct", "struct"
    _methods = nested.STRUCT_METHODS
    _own = ("dtypes",)
    _partition_call = staticmethod(nested.struct_call)
    _accepts = staticmethod(nested.is_struct_dtype)

    @property
    def dtypes(self) -> Any:
        """The fields' dtypes, a pandas Series indexed by their names, as pandas' ``Series.struct.dtypes``
        (from the metadata: nothing is computed)."""
        return nested.struct_dtypes(self._series._meta)

    def field(self, key: Any) -> Any:
        """The field ``key`` (a name: ``KeyError`` if absent; a position: ``IndexError`` if out of range)."""
        names = nested.struct_fields(self._series._meta.dtype)
        if isinstance(key, int) and not isinstance(key, bool) and not 0 <= key < len(names):
            raise IndexError(f"struct.field: position {key} is out of range for the {len(names)} fields {names}")
        if not isinstance(key, int) and key not in names:
            raise KeyError(f"struct.field: {key!r} is not a field; fields: {names}")
        return self._map("field", key)
