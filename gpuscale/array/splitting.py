"""Splitting arrays as NumPy spells it: ``split``, ``array_split``, ``hsplit``, ``vsplit``, ``dsplit``.

Each piece is a slice of the array along one axis (its blocks are the array's blocks cut at the split
points), so splitting computes nothing.  Each is also what ``numpy.split(x, ...)`` ... runs on a gpuscale
array (``__array_function__``).
"""

from __future__ import annotations

from typing import Any

from gpuscale.array import _chunks
from gpuscale.array._operands import as_array
from gpuscale.array.core import Array
from gpuscale.array.protocols import implements
from gpuscale.array.statistical import normalize_axis

__all__ = ["split", "array_split", "hsplit", "vsplit", "dsplit"]


def _bounds(length: int, indices_or_sections: Any, equal: bool) -> list[tuple[int, int]]:
    """``(start, stop)`` of each piece, as NumPy's ``array_split`` finds them (``equal``: ``split``'s check)."""
    if isinstance(indices_or_sections, int) or getattr(indices_or_sections, "ndim", None) == 0:
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        each, extra = divmod(length, sections)
        if equal and extra:
            raise ValueError("array split does not result in an equal division")
        sizes = [each + 1] * extra + [each] * (sections - extra)
        stops = [sum(sizes[:i + 1]) for i in range(sections)]
        return list(zip([0] + stops[:-1], stops))
    points = [int(i) for i in indices_or_sections]
    # NumPy slices between the points as Python does: negative points count from the end, and clip
    edges = [0] + points + [length]
    return [slice(a, b).indices(length)[:2] for a, b in zip(edges[:-1], edges[1:])]


def _split(ary: Any, indices_or_sections: Any, axis: int, equal: bool) -> list[Array]:
    x = as_array(ary)
    (axis,) = normalize_axis(axis, x.ndim)
    if _chunks.is_unknown(x.shape[axis]):
        raise ValueError(f"split: the length of axis {axis} is unknown (after a data-dependent operation such as "
                         "boolean indexing); call x.compute_chunk_sizes() first")
    before = (slice(None),) * axis
    return [x[before + (slice(start, max(start, stop)),)]
            for start, stop in _bounds(x.shape[axis], indices_or_sections, equal)]


@implements("split")
def split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Array]:
    """Split into equal pieces, or at positions, along ``axis``, as ``numpy.split``.

    Parameters
    ----------
    ary : Array or array_like
        Input.
    indices_or_sections : int or sequence of int
        A number of equal pieces (the axis' length must divide by it), or the positions to split at
        (negative positions count from the end; a piece between positions out of order is empty).
    axis : int
        The axis to split.

    Returns
    -------
    list of Array
        Slices of ``ary`` (lazy; no data is copied before it is computed).

    Raises
    ------
    ValueError
        If the pieces cannot be equal, or the axis' length is unknown (call ``compute_chunk_sizes()``).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> [p.compute().tolist() for p in ga.split(ga.arange(6, chunks=4), 3)]
    [[0, 1], [2, 3], [4, 5]]
    >>> [p.compute().tolist() for p in ga.split(ga.arange(6, chunks=4), [1, 4])]
    [[0], [1, 2, 3], [4, 5]]
    """
    return _split(ary, indices_or_sections, axis, equal=True)


@implements("array_split")
def array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Array]:
    """Split into nearly equal pieces (the first ones one longer), or at positions, as ``numpy.array_split``.

    Parameters
    ----------
    ary : Array or array_like
        Input.
    indices_or_sections : int or sequence of int
        A number of pieces, or the positions to split at (as :func:`split`).
    axis : int
        The axis to split.

    Returns
    -------
    list of Array
        Slices of ``ary``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> [p.compute().tolist() for p in ga.array_split(ga.arange(7, chunks=3), 3)]
    [[0, 1, 2], [3, 4], [5, 6]]
    """
    return _split(ary, indices_or_sections, axis, equal=False)


def _at_least(x: Array, ndim: int, name: str) -> Array:
    if x.ndim < ndim:
        raise ValueError(f"{name} only works on arrays of {ndim} or more dimensions")
    return x


@implements("hsplit")
def hsplit(ary: Any, indices_or_sections: Any) -> list[Array]:
    """:func:`split` along the columns (axis 1; axis 0 of a 1-d array), as ``numpy.hsplit``.

    Parameters
    ----------
    ary : Array or array_like
        At least 1-d.
    indices_or_sections : int or sequence of int
        As :func:`split`.

    Returns
    -------
    list of Array

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> [p.shape for p in ga.hsplit(ga.ones((2, 4)), 2)]
    [(2, 2), (2, 2)]
    """
    x = _at_least(as_array(ary), 1, "hsplit")
    return split(x, indices_or_sections, axis=1 if x.ndim > 1 else 0)


@implements("vsplit")
def vsplit(ary: Any, indices_or_sections: Any) -> list[Array]:
    """:func:`split` along the rows (axis 0) of an array of 2 or more dimensions, as ``numpy.vsplit``.

    Parameters
    ----------
    ary : Array or array_like
        At least 2-d.
    indices_or_sections : int or sequence of int
        As :func:`split`.

    Returns
    -------
    list of Array

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> [p.shape for p in ga.vsplit(ga.ones((4, 2)), [1])]
    [(1, 2), (3, 2)]
    """
    return split(_at_least(as_array(ary), 2, "vsplit"), indices_or_sections, axis=0)


@implements("dsplit")
def dsplit(ary: Any, indices_or_sections: Any) -> list[Array]:
    """:func:`split` along the depth (axis 2) of an array of 3 or more dimensions, as ``numpy.dsplit``.

    Parameters
    ----------
    ary : Array or array_like
        At least 3-d.
    indices_or_sections : int or sequence of int
        As :func:`split`.

    Returns
    -------
    list of Array

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> [p.shape for p in ga.dsplit(ga.ones((1, 2, 4)), 2)]
    [(1, 2, 2), (1, 2, 2)]
    """
    return split(_at_least(as_array(ary), 3, "dsplit"), indices_or_sections, axis=2)
