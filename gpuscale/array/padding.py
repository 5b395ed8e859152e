"""``pad``: every mode of ``numpy.pad``, built lazily from slices, reductions and new blocks of the array.

The axes are padded one after the other, as NumPy does, so the corners of a 2-d result come from the
rows padded before them.  Each side's padding is made of whole blocks joined to the array: constants,
edges, ramps and statistics are new blocks (one along the padded axis; constants in blocks of the axis's
largest block length, as dask), reflections and wraps are flipped or shifted slices of the array (keeping
its blocks).  A ``mode=`` function runs on whole lines, so only that mode rechunks (each axis in turn).
"""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.protocols import implements
from gpuscale.backends import array as chunkfn

__all__ = ["pad"]

# the keyword arguments each mode takes, as numpy.pad
_MODES = {"constant": ("constant_values",), "edge": (), "linear_ramp": ("end_values",), "maximum": ("stat_length",),
          "mean": ("stat_length",), "median": ("stat_length",), "minimum": ("stat_length",),
          "reflect": ("reflect_type",), "symmetric": ("reflect_type",), "wrap": (), "empty": ()}


def _pairs(value: Any, ndim: int, what: str) -> list:
    """NumPy's ``pad_width`` / ``constant_values`` / ``end_values`` / ``stat_length`` forms as one
    ``(before, after)`` pair per axis."""
    if value is None or isinstance(value, (int, float, complex, bool, str, bytes)) or getattr(value, "ndim", None) == 0:
        return [(value, value)] * ndim
    rows = value.tolist() if hasattr(value, "tolist") else list(value)  # a NumPy array of widths
    if not any(isinstance(v, (list, tuple)) for v in rows):
        rows = [rows]  # a flat (before, after) or (both,): the same for every axis, as NumPy broadcasts it
    rows = [tuple(v) if isinstance(v, (list, tuple)) else (v,) for v in rows]
    if len(rows) not in (1, ndim) or any(len(r) not in (1, 2) for r in rows):
        raise ValueError(f"pad: {what} {value!r} does not broadcast to ({ndim}, 2): give one value, "
                         f"(before, after) or one (before, after) per dimension")
    pairs = [r * 2 if len(r) == 1 else r for r in rows]
    return pairs * ndim if len(pairs) == 1 else pairs


def _dict_widths(pad_width: dict, ndim: int) -> list:
    """NumPy 2's ``{axis: n}`` / ``{axis: (before, after)}`` form: the axes not named are not padded."""
    from gpuscale.array._chunks import valid_axis

    pairs = [(0, 0)] * ndim
    for axis, width in pad_width.items():
        pairs[valid_axis(axis, ndim)] = _pairs(width, 1, "pad_width")[0]
    return pairs


def _widths(pad_width: Any, ndim: int) -> list:
    if isinstance(pad_width, dict):
        pad_width = _dict_widths(pad_width, ndim)
    widths = []
    for pair in _pairs(pad_width, ndim, "pad_width"):
        if any(isinstance(w, float) and not w.is_integer() for w in pair):
            raise TypeError(f"pad: pad_width must be integers, got {pad_width!r}")
        widths.append(tuple(int(w) for w in pair))
    if any(w < 0 for pair in widths for w in pair):
        raise ValueError(f"pad: negative pad widths are not allowed, got {pad_width!r}")
    return widths


@implements("pad")  # np.pad(x, ...) of a gpuscale array stays lazy, as for a dask array
def pad(array: Any, pad_width: Any, mode: Any = "constant", **kwargs: Any) -> Array:
    """Pad an array, as ``numpy.pad``: every mode, lazily.

    Parameters
    ----------
    array : Array or array_like
        Input (NumPy data is wrapped first).
    pad_width : int, sequence or dict
        ``n``, ``(before, after)`` for every axis, or one ``(before, after)`` per axis; or, as NumPy 2,
        ``{axis: n}`` / ``{axis: (before, after)}`` for the named axes only (the others get no padding).
    mode : str or callable
        ``"constant"`` (default), ``"edge"``, ``"linear_ramp"``, ``"maximum"``, ``"mean"``, ``"median"``,
        ``"minimum"``, ``"reflect"``, ``"symmetric"``, ``"wrap"``, ``"empty"``, or a function
        ``f(vector, iaxis_pad_width, iaxis, kwargs)`` that fills the padding of each 1-d line in place (the
        padding starts as zeros, as dask's).
    **kwargs
        ``constant_values`` (constant), ``end_values`` (linear_ramp), ``stat_length`` (the statistics;
        default the whole axis), ``reflect_type`` (``"even"`` or ``"odd"``; reflect and symmetric), each a
        scalar, ``(before, after)`` or one pair per axis; for a callable mode, its ``kwargs``.

    Returns
    -------
    Array
        NumPy's result, with ``array``'s blocks inside and the padding in blocks of its own.

    Raises
    ------
    ValueError
        For an unknown mode, a keyword the mode does not take, a ``stat_length`` of 0, a mode other
        than constant/empty on an axis of length 0 that is to be padded, or padding of an array whose
        shape is unknown (call ``compute_chunk_sizes()`` first).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([1, 2, 3], chunks=2)
    >>> ga.pad(x, 2).compute().tolist(), ga.pad(x, (1, 2), mode="edge").compute().tolist()
    ([0, 0, 1, 2, 3, 0, 0], [1, 1, 2, 3, 3, 3])
    >>> ga.pad(x, 2, mode="reflect").compute().tolist(), ga.pad(x, (4, 1), mode="wrap").compute().tolist()
    ([3, 2, 1, 2, 3, 2, 1], [3, 1, 2, 3, 1, 2, 3, 1])
    >>> ga.pad(x, 2, mode="linear_ramp", end_values=(5, -1)).compute().tolist()
    [5, 3, 1, 2, 3, 1, -1]
    >>> ga.pad(ga.ones((1, 2), dtype=ga.int64), ((0, 1), (1, 0)), constant_values=7).compute().tolist()
    [[7, 1, 1], [7, 7, 7]]
    >>> ga.pad(ga.ones((1, 2), dtype=ga.int64), {1: (0, 1)}).compute().tolist()
    [[1, 1, 0]]
    """
    from gpuscale.array.creation import asarray

    x = array if is_array(array) else asarray(array)
    widths = _widths(pad_width, x.ndim)
    if any(w for pair in widths for w in pair) and any(_chunks.is_unknown(n) for n in x.shape):
        # the padding's blocks (and every mode but constant, its values) need the lengths of the axes
        raise ValueError(f"pad: the array's shape {x.shape} is unknown (after a data-dependent operation such "
                         "as boolean indexing); call x.compute_chunk_sizes() first")
    if callable(mode):
        return _pad_with_function(x, widths, mode, kwargs)
    if mode not in _MODES:
        raise ValueError(f"pad: mode {mode!r} is not supported: give one of {sorted(_MODES)} or a function")
    unexpected = set(kwargs) - set(_MODES[mode])
    if unexpected:
        raise ValueError(f"pad: unsupported keyword arguments for mode {mode!r}: {sorted(unexpected)}")
    side = _side_function(mode, x, kwargs)
    for axis, (before, after) in enumerate(widths):
        if not before and not after:
            continue
        if x.shape[axis] == 0 and mode not in ("constant", "empty"):
            raise ValueError(f"pad: can't extend empty axis {axis} using modes other than 'constant' or 'empty'")
        x = side(x, axis, before, after)
    return x


def _side_function(mode: str, x: Array, kwargs: dict) -> Callable:
    """``f(x, axis, before, after)``: ``x`` padded along one axis in ``mode``."""
    if mode in ("reflect", "symmetric"):
        odd = _reflect_type(kwargs.get("reflect_type", "even"))
        return lambda y, axis, before, after: _reflect(y, axis, before, after, mode, odd, x.shape[axis])
    if mode == "wrap":
        return lambda y, axis, before, after: _wrap(y, axis, before, after, x.shape[axis])
    if mode in ("maximum", "mean", "median", "minimum"):
        lengths = _pairs(kwargs.get("stat_length"), x.ndim, "stat_length")
        return lambda y, axis, before, after: _joined(y, axis, [
            _statistic(y, axis, width, mode, lengths[axis][side], side)
            for side, width in ((0, before), (1, after))])
    values = _pairs(kwargs.get("constant_values" if mode == "constant" else "end_values", 0), x.ndim, "values")
    new_side = {"constant": _constant, "edge": _edge, "linear_ramp": _ramp, "empty": _empty}[mode]
    return lambda y, axis, before, after: _joined(y, axis, [
        new_side(y, axis, width, side, values[axis][side]) for side, width in ((0, before), (1, after))])


def _reflect_type(kind: str) -> bool:
    if kind not in ("even", "odd"):
        raise ValueError(f"pad: reflect_type must be 'even' or 'odd', got {kind!r}")
    return kind == "odd"


def _joined(x: Array, axis: int, sides: list) -> Array:
    from gpuscale.array.manipulation import concat

    before, after = sides
    return concat([p for p in (before, x, after) if p is not None], axis=axis)


def _side_shape(x: Array, axis: int, width: int) -> tuple:
    return x.shape[:axis] + (width,) + x.shape[axis + 1:]


def _side_chunks(x: Array, axis: int, width: int) -> tuple:
    return x.chunks[:axis] + ((width,),) + x.chunks[axis + 1:]


def _at(x: Array, axis: int, index: slice) -> Array:
    return x[tuple(index if d == axis else slice(None) for d in range(x.ndim))]


def _constant(x: Array, axis: int, width: int, side: int, value: Any) -> Array | None:
    from gpuscale.array.filled import _filled

    if not width:
        return None
    # blocks no longer than x's along the axis (a wide padding of a finely chunked array stays fine), as dask
    size = max(x.chunks[axis], default=width) or width
    lengths = (size,) * (width // size) + ((width % size,) if width % size else ())
    chunks = x.chunks[:axis] + (lengths,) + x.chunks[axis + 1:]
    return _filled("full", _side_shape(x, axis, width), x.dtype, chunks, x.backend, _cast(value, x.dtype))


def _cast(value: Any, dtype: Any) -> Any:
    """``value`` as an element of ``dtype`` (a datetime or string constant as well as a number), as NumPy
    casts ``constant_values`` into the array."""
    from gpuscale.array.filled import _py

    scalar = chunkfn.element_of(value, dtype)  # 300 into int8: NumPy's OverflowError, not a wrapped 44
    if isinstance(scalar, (str, bytes)):  # NumPy's str_ and bytes_ are 0-d but cannot be indexed as arrays
        return scalar
    return _py(scalar)  # a number as a Python scalar (array-api-strict's)


def _empty(x: Array, axis: int, width: int, side: int, value: Any) -> Array | None:
    from gpuscale.array.filled import _filled

    return _filled("empty", _side_shape(x, axis, width), x.dtype, _side_chunks(x, axis, width), x.backend) \
        if width else None


def _edge_slice(x: Array, axis: int, side: int) -> Array:
    n = x.shape[axis]
    return _at(x, axis, slice(0, 1) if side == 0 else slice(n - 1, n))


def _edge(x: Array, axis: int, width: int, side: int, value: Any) -> Array | None:
    from gpuscale.array.manipulation import broadcast_to

    if not width:
        return None
    return broadcast_to(_edge_slice(x, axis, side), _side_shape(x, axis, width)).rechunk(_side_chunks(x, axis, width))


def _ramp(x: Array, axis: int, width: int, side: int, end: Any) -> Array | None:
    from gpuscale.array.api import map_blocks

    if not width:
        return None
    edge = _edge_slice(x, axis, side).rechunk({axis: -1})  # one block along axis (a slice may keep empty ones)
    # align_arrays=False: the edge's own blocks, empty ones included (aligning one array drops those)
    return map_blocks(chunkfn.linear_ramp, edge, end, width, axis, side == 1, dtype=x.dtype, align_arrays=False,
                      chunks=edge.chunks[:axis] + ((width,),) + edge.chunks[axis + 1:])


def _statistic(x: Array, axis: int, width: int, mode: str, length: Any, side: int) -> Array | None:
    """One side's padding: a statistic of the ``length`` values nearest that side (along ``axis`` ``x`` is
    still the original data: its other axes may be padded already, as NumPy pads one axis after another)."""
    import gpuscale.array as ga
    from gpuscale.array.manipulation import broadcast_to

    if not width:
        return None
    n = x.shape[axis]
    length = n if length is None else min(int(length), n)
    if length <= 0:
        raise ValueError(f"pad: stat_length of {length} yields no value for padding")
    region = _at(x, axis, slice(0, length) if side == 0 else slice(n - length, n))
    if mode in ("mean", "median") and x.dtype.kind in "biu":
        region = region.astype("float64")  # NumPy's mean and median of integers are floats
    if x.dtype.kind == "b" and mode in ("maximum", "minimum"):
        mode = "any" if mode == "maximum" else "all"  # the same for booleans, which the Array API can't max
    value = {"maximum": ga.max, "minimum": ga.min, "mean": ga.mean, "median": ga.median, "any": ga.any,
             "all": ga.all}[mode](region, axis=axis, keepdims=True)
    if mode in ("mean", "median") and x.dtype.kind in "iu":
        value = ga.round(value)  # NumPy rounds a statistic that goes into integers (half to even)
    value = value.astype(x.dtype)
    return broadcast_to(value, _side_shape(x, axis, width)).rechunk(_side_chunks(x, axis, width))


def _reflect(x: Array, axis: int, before: int, after: int, mode: str, odd: bool, n: int) -> Array:
    """Mirror images of the data at each end; a padding wider than one image (``n - 1`` values, ``n`` for
    symmetric, of the original length ``n``) mirrors the padded array again, round after round, as NumPy."""
    from gpuscale.array.manipulation import flip

    shift = 1 if mode == "reflect" else 0  # reflect leaves out the edge value, symmetric repeats it
    span = max(n - shift, 1)  # a single value reflects into itself
    shift = shift if n > 1 else 0
    while before or after:
        left, right, m = min(before, span), min(after, span), x.shape[axis]
        sides = []
        images = ((0, left, slice(shift, shift + left)), (1, right, slice(m - shift - right, m - shift)))
        for side, width, index in images:
            piece = flip(_at(x, axis, index), axis=axis) if width else None
            if piece is not None and odd:  # odd: the image turned about the edge value too
                piece = (2 * _edge_slice(x, axis, side) - piece).astype(x.dtype)  # cast as NumPy stores it
            sides.append(piece)
        x = _joined(x, axis, sides)
        before, after = before - left, after - right
    return x


def _wrap(x: Array, axis: int, before: int, after: int, n: int) -> Array:
    """Periodic copies of the data: position ``i`` of the padding before is the data's ``(i - before) % n``."""
    from gpuscale.array.manipulation import concat

    whole_before, part_before = divmod(before, n)
    whole_after, part_after = divmod(after, n)
    left = ([_at(x, axis, slice(n - part_before, n))] if part_before else []) + [x] * whole_before
    right = [x] * whole_after + ([_at(x, axis, slice(0, part_after))] if part_after else [])
    return concat(left + [x] + right, axis=axis) if left or right else x


def _pad_with_function(x: Array, widths: list, func: Callable, kwargs: dict) -> Array:
    """A ``mode=`` function: the array padded with zeros, then ``func`` run on every line of each axis in
    turn (each axis made one block long for it, then the blocks restored)."""
    from gpuscale.array.api import map_blocks

    x = pad(x, widths, "constant")
    chunks = x.chunks
    for axis, pair in enumerate(widths):
        lines = x.rechunk({axis: -1})
        x = map_blocks(chunkfn.pad_lines, lines, func, pair, axis, kwargs, dtype=x.dtype).rechunk(chunks)
    return x
