"""Lazy scalars (``df.x.mean()``): usable in arithmetic with other scalars, Series and DataFrames."""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.collection import Collection
from gpuscale.dataframe.expr.base import FrameExpr, OnePartition
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.sources import FromGraph
from gpuscale.dataframe.operators import _BINARY, Operators, to_expr

__all__ = ["Scalar"]


def _first(results: list) -> Any:
    """A scalar's result: its one computed chunk."""
    return results[0]


class Scalar(Operators, Collection):
    """A lazy scalar (e.g. ``df.x.mean()``): computes to a NumPy/Python scalar, usable in expressions.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1.0, 2.0, 6.0]}), npartitions=2, backend="cpu")
    >>> mean = df.x.mean()                   # a Scalar: nothing computed yet
    >>> float((df.x - mean).abs().max().compute())
    3.0
    """

    @property
    def _meta(self) -> Any:
        return self._expr._meta

    @property
    def _name(self) -> str:
        # dask's ``_name``: a deterministic name, equal for scalars that compute the same thing
        return self._expr._name

    @property
    def ndim(self) -> int:
        """0: a scalar has no dimensions (as NumPy's and dask's scalars).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> gd.from_pandas(pd.Series([1.0, 2.0]), npartitions=1, backend="cpu").sum().ndim
        0
        """
        return 0

    @property
    def dtype(self) -> Any:
        """The dtype of the value (from the metadata), as dask's: ``datetime64[us, UTC]`` of a zoned Timestamp,
        ``int64`` of a length, ``str`` of a string (never a Python class).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"s": ["a", "b"]}), npartitions=1, backend="cpu")
        >>> df.shape[0].dtype
        dtype('int64')
        """
        from gpuscale.backends.frame.scalar_dtype import scalar_dtype

        return scalar_dtype(self._meta)

    @property
    def npartitions(self) -> int:
        """1: a scalar is computed by one task (as dask's Scalar)."""
        return 1

    @property
    def divisions(self) -> tuple:
        """``(None, None)``: a scalar has no index (as dask's Scalar)."""
        return (None, None)

    @property
    def known_divisions(self) -> bool:
        """False (see :attr:`divisions`)."""
        return False

    def to_series(self, index: Any = 0, name: Any = None) -> Any:
        """The value as a lazy one-row Series labelled ``index`` (as dask's ``Scalar.to_series``), of the
        library of the partitions the scalar was computed from.

        Parameters
        ----------
        index : label
            The row's label.
        name : label, optional
            The Series' name.

        Returns
        -------
        Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3]), npartitions=2, backend="cpu")
        >>> s.sum().to_series("total", name="x").compute().to_dict()
        {'total': 6}
        """
        from gpuscale.backends.frame.scalars import series_of_scalar
        from gpuscale.dataframe.core import new_collection

        library = _source_library(self._expr)
        meta = bf.make_meta(series_of_scalar(self._meta, index, name, library))  # (a typed NumPy scalar)
        return new_collection(map_partitions_expr(series_of_scalar, self._expr, index, name, library, meta=meta,
                                                  label="to_series"))

    def _finalizer(self) -> Any:
        return _first

    def _from_persisted(self, chunks: dict) -> "Scalar":
        values = list(chunks.values())  # under whatever key the plan gave it (a joint one)
        return Scalar(_ScalarValue(values[0], self._meta))

    def _from_graph(self, graph: dict, keys: list) -> "Scalar":
        # clone / bind / wait_on hand over tasks (the value is the output of the renamed key), not the value
        return Scalar(FromGraph(graph, tuple(keys), self._meta, (None, None)))

    def _binary(self, name: str, other: Any) -> Any:
        if _is_partitioned(other):
            return other._binary(_flip(name), self)
        if isinstance(other, Collection) and hasattr(other, "chunks"):  # a gpuscale array: an array result
            import gpuscale.array as ga

            value = ga.from_delayed(self.to_delayed(), shape=(), dtype=getattr(self._meta, "dtype", float),
                                    backend=getattr(other, "backend", None))
            return getattr(value, f"__{name}__")(other)
        expr = map_partitions_expr(bf.binary_op, name, self._expr, to_expr(other), label=name, columnwise=True)
        return Scalar(expr)

    def _unary(self, name: str) -> "Scalar":
        return Scalar(map_partitions_expr(bf.unary_op, name, self._expr, label=name, columnwise=True))

    def to_delayed(self, optimize_graph: bool = True) -> Any:
        """The value as one dask ``Delayed`` (its graph is the scalar's plan), to mix with ``dask.delayed`` code.

        Parameters
        ----------
        optimize_graph : bool
            Optimize the plan first (as ``compute`` does).

        Returns
        -------
        dask.delayed.Delayed

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 6.0]), npartitions=2, backend="cpu")
        >>> float((s.mean().to_delayed() * 2).compute())
        6.0
        """
        from gpuscale.dataframe.interop import to_delayed

        return to_delayed(self, optimize_graph)[0]

    def __repr__(self) -> str:
        return f"<gpuscale Scalar: dtype={self.dtype}>"

    def __bool__(self) -> bool:
        raise TypeError("the truth value of a lazy gpuscale Scalar is unknown; call .compute() first")

    def __float__(self) -> float:
        return float(self.compute())

    def __int__(self) -> int:
        return int(self.compute())


_SYMMETRIC = {"add", "mul", "eq", "ne", "and_", "or_", "xor"}
_MIRROR = {"lt": "gt", "gt": "lt", "le": "ge", "ge": "le"}


def _flip(name: str) -> str:
    """The operator name with operands swapped: ``a - b`` == ``b rsub a``."""
    if name in _SYMMETRIC:
        return name
    if name in _MIRROR:
        return _MIRROR[name]
    if name.startswith("r") and name[1:] in _BINARY + ["and_", "or_", "xor"]:
        return name[1:]
    return "r" + name


class _ScalarValue(OnePartition, FrameExpr):
    """A computed scalar held in the graph."""

    _parameters = ["value", "meta"]

    @functools.cached_property
    def _meta(self) -> Any:
        return self.meta

    def _layer(self) -> dict:
        return {(self._name, 0): (_constant, self.value)}


def _constant(value: Any) -> Any:
    return value


def _source_library(expr: Any) -> str:
    """The partition library (``"pandas"`` / ``"cudf"``) of the frames a scalar's plan starts from."""
    for node in expr.find_operations(FrameExpr):
        if bf.is_frame_like(node._meta):
            return bf.library_of(node._meta)
    return "pandas"


def _is_partitioned(obj: Any) -> bool:
    from gpuscale.dataframe.core import FrameBase

    return isinstance(obj, FrameBase)
