"""Flex arithmetic and comparisons: ``df.add(other, fill_value=0)``, ``s.lt(3)``, ``df.sub(s, axis=0)`` ...

The named forms of the operators, as pandas and dask have them: each is the partition library's own
method on every partition, so ``fill_value``, ``axis`` and ``level`` mean what they mean in pandas.
Two collections are combined partition by partition; when both have known but different divisions
they are first repartitioned to the union of their boundaries (so ``a.add(b, fill_value=0)`` of
frames partitioned differently works, as in dask), as every partition-wise step aligns its operands.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["FlexMethods", "SeriesDivmod", "aligned", "as_operand", "ARITHMETIC", "COMPARISONS"]

ARITHMETIC = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "truediv", "floordiv", "mod", "pow",
              "radd", "rsub", "rmul", "rdiv", "rtruediv", "rfloordiv", "rmod", "rpow"]
COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge"]

_WORDS = {"add": "addition", "sub": "subtraction", "subtract": "subtraction", "mul": "multiplication",
          "multiply": "multiplication", "div": "true division",
          "divide": "true division", "truediv": "true division", "floordiv": "floor division",
          "mod": "modulo", "pow": "exponentiation", "eq": "equal to", "ne": "not equal to", "lt": "less than",
          "le": "less than or equal to", "gt": "greater than", "ge": "greater than or equal to"}


def aligned(left: Any, right: Any) -> tuple:
    """``left`` and ``right`` repartitioned to the union of their divisions when both are known and differ
    (collections partitioned alike, or anything else, are returned as they are).  The same alignment every
    partition-wise node does when it is built (:func:`gpuscale.dataframe.expr.base.aligned_operands`), for
    callers that need the aligned collections themselves."""
    from gpuscale.dataframe.core import FrameBase, new_collection
    from gpuscale.dataframe.expr.base import aligned_operands

    if not (isinstance(left, FrameBase) and isinstance(right, FrameBase)):
        return left, right
    exprs = aligned_operands([left.expr, right.expr])
    return tuple(obj if e is obj.expr else new_collection(e) for obj, e in zip((left, right), exprs))


def as_operand(obj: Any, other: Any, by_index: bool = False) -> Any:
    """The other operand of ``obj <op> other``: an in-memory pandas/cuDF DataFrame, or a Series combined
    with a Series (or matched on the index: ``by_index``), as a one-partition collection, so it meets
    ``obj`` by index labels, as dask (every partition would otherwise be combined with all of it, giving
    rows outside the partition); anything else (a scalar, a Series matched to a DataFrame's columns) as
    it is."""
    from gpuscale.dataframe.core import FrameBase

    if isinstance(other, FrameBase) or bf.is_index_like(obj._meta) or bf.is_index_like(other):
        return other
    if bf.is_dataframe_like(other) or (bf.is_series_like(other) and (by_index or bf.is_series_like(obj._meta))):
        from gpuscale.dataframe.creation import from_pandas

        return from_pandas(other, npartitions=1, backend=bf.library_of(obj._meta))
    return other


def _docstring(name: str) -> str:
    base = name[1:] if name.startswith("r") and name[1:] in _WORDS else name
    reflected = name != base
    what = _WORDS[base] + (" (reflected: ``other <op> self``)" if reflected else "")
    operands = "fill_value=1" if name not in COMPARISONS else "fill_value=0"
    return f"""{what.capitalize()}, element-wise: pandas' ``{name}`` on every partition.

    Parameters
    ----------
    other : scalar, sequence, Series or DataFrame
        A literal (broadcast to every partition) or a collection (combined partition by partition;
        known but different divisions are aligned first).
    axis : {{0, 1, "index", "columns"}}
        Of a DataFrame: match a Series ``other`` on the index (0) or on the columns (1, the default).
    level : int or label, optional
        Broadcast across a level of a MultiIndex, as pandas.
    fill_value : scalar, optional
        Missing values on one side only are replaced by this value first (both missing stay missing).

    Returns
    -------
    DataFrame or Series

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> a, b = pd.Series([1.0, None, 3.0, 4.0]), pd.Series([2.0, 2.0, None, 1.0])
    >>> left = gd.from_pandas(a, npartitions=2, backend="cpu")
    >>> right = gd.from_pandas(b, npartitions=2, backend="cpu")
    >>> left.{name}(right, {operands}).compute().equals(a.{name}(b, {operands}))
    True
    """


def _flex(name: str) -> Any:
    def method(self: Any, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return flex_operation(self, name, other, axis, level, fill_value)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = _docstring(name)
    return method


def flex_operation(obj: Any, name: str, other: Any, axis: Any, level: Any, fill_value: Any) -> Any:
    """``obj.<name>(other, axis=, level=, fill_value=)`` on every partition."""
    from gpuscale.dataframe.core import FrameBase, new_collection
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr

    frame = bf.is_dataframe_like(obj._meta)
    if axis is None:
        axis = "columns" if frame else 0
    if level is None:  # (broadcast across a level, a pandas operand is given whole to every partition)
        other = as_operand(obj, other, by_index=axis in (0, "index"))
    if isinstance(other, FrameBase):
        if frame and axis in (1, "columns") and not bf.is_dataframe_like(other._meta):
            raise ValueError(f"Unable to {name} dd.Series with axis=1: a lazy Series is matched to a DataFrame on "
                             "the index only (as dask); pass axis=0 (or compute the Series to match it on the columns)")
        if frame and axis in (0, "index") and other.npartitions == 1 < obj.npartitions:
            obj, other = _index_aligned(name, obj, other)
    kwargs = {"axis": axis, "level": level, "fill_value": fill_value}
    columnwise = not isinstance(other, FrameBase) and bf.is_scalar_like(other) and level is None
    operand = other.expr if isinstance(other, FrameBase) else other
    expr = map_partitions_expr(bf.flex_op, obj.expr, name, operand, kwargs=kwargs, label=name, columnwise=columnwise)
    return new_collection(expr)


def _index_aligned(name: str, frame: Any, series: Any) -> tuple:
    """A one-partition Series matched on a DataFrame's index, both split at the union of their divisions:
    given whole to every partition (as a Series matched on the columns is), its labels outside a
    partition would become rows of it."""
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.concat import at_divisions, union_divisions

    if not frame.known_divisions or not series.known_divisions:
        raise ValueError(f"{name}(axis=0): a Series matched on the index needs known divisions on both sides "
                         "to align partitions (set_index, or compute the Series)")
    union = union_divisions(frame.divisions, series.divisions)
    return new_collection(at_divisions(frame.expr, union)), new_collection(at_divisions(series.expr, union))


class FlexMethods:
    """Mixin: ``add`` ... ``rpow`` and ``eq`` ... ``ge`` with ``fill_value``, ``axis`` and ``level``, and the
    built-in ``divmod`` of a collection."""

    for _name in ARITHMETIC + COMPARISONS:
        locals()[_name] = _flex(_name)
    del _name

    # the operators, as pandas' built-in divmod uses them (by zero: inf/NaN, where the methods give 0)
    def __divmod__(self, other: Any) -> tuple:
        return self // other, self % other

    def __rdivmod__(self, other: Any) -> tuple:
        return other // self, other % self


class SeriesDivmod:
    """Mixin of Series: pandas' ``divmod`` / ``rdivmod``."""

    def divmod(self, other: Any, level: Any = None, fill_value: Any = None, axis: Any = 0) -> tuple:
        """``(self // other, self % other)``, each a lazy Series, as pandas' ``Series.divmod``.

        Parameters
        ----------
        other : scalar, Series or lazy Series
        level, fill_value, axis : optional
            As :meth:`floordiv`.

        Returns
        -------
        tuple of Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([7, -7, 9]), npartitions=2, backend="cpu")
        >>> q, r = s.divmod(4)
        >>> q.compute().tolist(), r.compute().tolist()
        ([1, -2, 2], [3, 1, 1])
        """
        kwargs = {"level": level, "fill_value": fill_value, "axis": axis}
        return self.floordiv(other, **kwargs), self.mod(other, **kwargs)

    def rdivmod(self, other: Any, level: Any = None, fill_value: Any = None, axis: Any = 0) -> tuple:
        """``(other // self, other % self)``, as pandas' ``Series.rdivmod`` (see :meth:`divmod`).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> q, r = gd.from_pandas(pd.Series([2, 3]), npartitions=1, backend="cpu").rdivmod(7)
        >>> q.compute().tolist(), r.compute().tolist()
        ([3, 2], [1, 1])
        """
        kwargs = {"level": level, "fill_value": fill_value, "axis": axis}
        return self.rfloordiv(other, **kwargs), self.rmod(other, **kwargs)
