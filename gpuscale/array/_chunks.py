"""Chunk arithmetic in pure Python: normalising ``chunks=``, automatic sizes, alignment.

Chunks follow the Dask convention: one tuple of block lengths per dimension,
``((2, 2, 1), (3,))`` for a 5x3 array.  Unknown lengths (after boolean
indexing) are NumPy's ``nan`` object, as in dask.array.
"""

from __future__ import annotations

import itertools
import math
import statistics
from typing import Any, Sequence

from gpuscale.backends import array as chunkfn

__all__ = ["normalize_chunks", "auto_chunks", "regular", "shape_of", "offsets", "is_unknown", "common_chunks",
           "blocks_covering", "axis_slices", "block_indices", "same_chunks", "balanced", "valid_axis",
           "unknown_axis_chunks", "canonical", "split_to_fit", "NAN"]

NAN = chunkfn.unknown_length()  # NumPy's nan object, as in dask.array's chunks (``chunks == ((np.nan,),)`` holds)


def is_unknown(n: Any) -> bool:
    """True for an unknown length (nan)."""
    return isinstance(n, float) and math.isnan(n)


def _has_unknown(dim: Sequence) -> bool:
    """True if a length of ``dim`` is unknown: one sum (a nan makes it nan; lengths are never negative, so no
    inf - inf), ~50x faster than testing each length: a repr of 10**6 blocks a side took 2 s."""
    try:
        return math.isnan(sum(dim))
    except TypeError:  # (not numbers: tested one by one)
        return any(is_unknown(n) for n in dim)


def canonical(chunks: tuple) -> tuple:
    """``chunks`` with every unknown length the one :data:`NAN` object (lengths made unknown by ``math.nan``
    or ``float("nan")`` compare unequal to it, and to each other)."""
    if not any(_has_unknown(dim) for dim in chunks):
        return chunks
    return tuple(tuple(NAN if is_unknown(n) else n for n in dim) for dim in chunks)


def same_dim(a: Sequence, b: Sequence) -> bool:
    """Whether two axes have the same blocks, an unknown length matching only an unknown one (``nan != nan``,
    and ``math.nan`` is not ``numpy.nan``, so plain tuple equality cannot tell)."""
    return len(a) == len(b) and all(x == y or (is_unknown(x) and is_unknown(y)) for x, y in zip(a, b))


def same_chunks(a: Sequence, b: Sequence) -> bool:
    """:func:`same_dim` for every axis."""
    return len(a) == len(b) and all(same_dim(x, y) for x, y in zip(a, b))


def unknown_axis_chunks(entry: Any, old: tuple, axis: int) -> tuple:
    """The blocks asked for along an axis of unknown length: only explicit block lengths can be checked
    against it (as in dask, an int or ``"auto"`` needs the length), or ``-1``/``None`` where the axis is one
    block already (nothing to change: ``tsqr`` asks its columns to be one block)."""
    if isinstance(entry, (tuple, list)):
        return tuple(NAN if is_unknown(n) else int(n) for n in entry)
    if entry in (-1, None) and len(old) == 1:
        return old
    raise ValueError(f"cannot rechunk axis {axis} to {entry!r}: its block lengths {old} are unknown (after a "
                     "data-dependent operation such as boolean indexing); call x.compute_chunk_sizes() first")


def valid_axis(axis: Any, ndim: int) -> int:
    """``axis`` (negative counts from the end) as a non-negative int.

    Raises
    ------
    TypeError
        If ``axis`` is not an integer.
    AxisError
        If it is out of range for ``ndim`` dimensions (NumPy's ``AxisError``, a ``ValueError``).
    """
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise TypeError(f"axis {axis!r} is not an integer")
    if not -ndim <= axis < ndim:
        from gpuscale.array.statistical import AxisError  # (statistical imports this module)

        raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def balanced(dim: tuple) -> tuple:
    """Blocks of nearly equal length for one axis, as dask's ``rechunk(balance=True)``: as many blocks (one
    fewer when the smallest is at most half the largest, a leftover), their common length searched within
    half the median either side of the median for the smallest spread.  Warns and returns ``dim`` when no
    length gives that many blocks; unknown lengths are returned as they are."""
    if not dim or any(is_unknown(n) for n in dim) or len(dim) < 2:
        return dim
    length, median = sum(dim), int(statistics.median(dim))
    count = len(dim) - (min(dim) <= max(dim) / 2)
    options = [regular(size, length) for size in range(max(1, median - median // 2), median + median // 2 + 1)]
    options = [o for o in options if len(o) == count]
    if not options:
        import warnings

        warnings.warn("chunk size balancing not possible with given chunks. Try increasing the chunk size.",
                      UserWarning, stacklevel=4)
        return dim
    return min(options, key=lambda o: max(o) - min(o))


def shape_of(chunks: tuple) -> tuple:
    """Shape implied by chunks (nan where a block length is unknown)."""
    return tuple(_shape_of_dim(dim) for dim in chunks)


def _shape_of_dim(dim: Sequence) -> Any:
    total = sum(dim)  # one pass: its nan says a length is unknown (see _has_unknown)
    return NAN if isinstance(total, float) and math.isnan(total) else int(total)


def offsets(dim_chunks: Sequence[int]) -> list[int]:
    """Start offset of each block: ``(2, 2, 1) -> [0, 2, 4]``."""
    return list(itertools.accumulate((0, *dim_chunks[:-1])))


def block_indices(numblocks: tuple) -> list[tuple]:
    """Every block index, in C order."""
    return list(itertools.product(*(range(n) for n in numblocks)))


def axis_slices(dim: Sequence[int]) -> list[slice]:
    """The global slice of each block along one axis: ``(2, 2, 1) -> [0:2, 2:4, 4:5]`` (offsets summed once)."""
    starts = list(itertools.accumulate((0, *dim)))
    return [slice(start, stop) for start, stop in zip(starts[:-1], starts[1:])]


def regular(size: int, length: int) -> tuple:
    """Blocks of ``size`` covering ``length`` (the last one shorter): ``regular(4, 10) -> (4, 4, 2)``."""
    if length == 0:
        return (0,)
    size = max(1, min(int(size), length))
    full, rest = divmod(length, size)
    return (size,) * full + ((rest,) if rest else ())


def auto_chunks(shape: tuple, itemsize: int, target_bytes: int, fixed: dict | None = None) -> tuple:
    """Chunk sizes near ``target_bytes``, chosen as dask.array chooses them (so ported code gets the same blocks).

    The automatic axes share what the ``fixed`` ones (axis -> the size the user chose) leave of the budget
    equally: each gets the same length ``(budget / fixed elements) ** (1 / automatic axes)``, near-cubic blocks
    that keep row and column reductions alike cheap; an axis shorter than that is taken whole and the
    others share the rest.
    """
    fixed = dict(fixed or {})
    budget = max(1, target_bytes) / max(itemsize, 1)
    while True:
        autos = [d for d in range(len(shape)) if d not in fixed]
        if not autos:
            break
        size = (budget / max(1, math.prod(fixed.values()))) ** (1 / len(autos))
        short = [d for d in autos if shape[d] < size]
        if not short:
            fixed.update({d: max(1, int(size)) for d in autos})
            break
        fixed.update({d: shape[d] for d in short})
    return tuple(regular(fixed[d], n) for d, n in enumerate(shape))


def normalize_chunks(chunks: Any, shape: tuple, itemsize: int, target_bytes: int,
                     previous: tuple | None = None) -> tuple:
    """Turn any accepted ``chunks=`` value into a tuple of tuples.

    Accepts ``"auto"``, a size in bytes (``"1 MB"``, ``"64MiB"``: automatic
    blocks of about that size), an int (every dimension), a tuple with one entry per
    dimension (int, ``-1``/``None`` for the whole axis, ``"auto"``, a size in bytes (automatic along
    that axis, blocks of about that size) or a tuple of block lengths), a dict ``{axis: size}`` or an
    explicit tuple of tuples.  Given ``previous`` (the blocks the data has now: on disk, before a rechunk),
    the automatic axes are made of whole previous blocks (:func:`auto_chunks_from`), as dask does.

    Raises
    ------
    ValueError
        If the chunks do not add up to the shape or have the wrong length.
    """
    shape = tuple(int(s) for s in shape)
    if not shape:
        return ()  # a 0-d array has no axes to block, whatever chunks= says (as dask: from_array(np.array(1), 1))
    if previous is not None and (chunks is None or isinstance(chunks, str)):
        chunks = ("auto" if chunks is None else chunks,) * len(shape)
    if chunks is None or chunks == "auto":
        return auto_chunks(shape, itemsize, target_bytes)
    if isinstance(chunks, str):  # a block size in bytes, as dask.array: chunks="1 MB", "64MiB"
        return auto_chunks(shape, itemsize, _block_bytes(chunks))
    if isinstance(chunks, dict):
        chunks = tuple(chunks.get(d, chunks.get(d - len(shape), -1)) for d in range(len(shape)))
    if isinstance(chunks, (int, float)) and not isinstance(chunks, bool):
        chunks = (int(chunks),) * len(shape)
    chunks = tuple(chunks)
    if not chunks and shape and not any(shape):  # chunks=() for an empty array: one empty block per axis, as dask
        chunks = (-1,) * len(shape)
    if len(shape) == 1 and len(chunks) > 1 and all(isinstance(c, int) and not isinstance(c, bool) for c in chunks):
        chunks = (chunks,)  # block lengths of the one axis, as dask reads chunks=(3, 3, 4) for a 1-d array
    if len(chunks) != len(shape):
        raise ValueError(f"chunks {chunks!r} have {len(chunks)} entries but the shape {shape} has {len(shape)} "
                         "dimensions")
    sized = [c for c in chunks if isinstance(c, str) and c != "auto"]
    if sized:  # a block size in bytes for some axes (chunks=("64 MB", None, None)): those axes are automatic
        target_bytes = min(_block_bytes(c) for c in sized)
        chunks = tuple("auto" if isinstance(c, str) else c for c in chunks)
    autos = {d: n for d, (c, n) in enumerate(zip(chunks, shape)) if c != "auto"}
    explicit = {d: (n if c in (-1, None) else c) for d, (c, n) in enumerate(zip(chunks, shape)) if d in autos}
    for d, c in explicit.items():  # a block length is positive (0 only for an empty axis)
        if not isinstance(c, (tuple, list)) and (c < 0 or (c == 0 and shape[d] > 0)):
            raise ValueError(f"chunks={chunks!r}: a block length along axis {d} must be positive (or -1 / None for "
                             f"the whole axis), got {c}")
    # explicit block lengths count by their largest (known) block in the budget of the automatic axes, as dask's
    fixed = {d: max((b for b in c if not is_unknown(b)), default=1) if isinstance(c, (tuple, list)) else c
             for d, c in explicit.items()}
    base = None
    if len(autos) < len(shape) and previous is not None:
        entries = tuple(explicit.get(d, "auto") for d in range(len(shape)))
        base = tuple(regular(c, n) if isinstance(c, int) else tuple(c)
                     for c, n in zip(auto_chunks_from(previous, entries, shape, itemsize, target_bytes), shape))
    elif len(autos) < len(shape):
        base = auto_chunks(shape, itemsize, target_bytes, fixed)
    out = []
    for d, n in enumerate(shape):
        c = explicit.get(d)
        out.append(base[d] if c is None else _check_dim(tuple(c), n, d) if isinstance(c, (tuple, list))
                   else regular(c, n))
    return tuple(out)


def _block_bytes(text: str) -> int:
    from gpuscale.config import parse_bytes

    try:
        size = parse_bytes(text)
    except ValueError:
        raise ValueError(f"chunks={text!r}: expected 'auto' or a block size such as '1 MB' or '64MiB'") from None
    if not size:
        raise ValueError(f"chunks={text!r}: a block size must be positive")
    return size


def _check_dim(dim: tuple, length: int, axis: int) -> tuple:
    if sum(dim) != length or any(c < 0 for c in dim):
        raise ValueError(f"Chunks do not add up to shape: chunks {dim} along axis {axis} do not add up to the "
                         f"length {length}")
    return dim if dim else (0,)


def common_chunks(dims: list[tuple]) -> tuple:
    """The coarsest chunking that refines every chunking in ``dims`` (same total length)."""
    if all(d == dims[0] for d in dims):
        return dims[0]
    bounds = sorted({b for d in dims for b in itertools.accumulate(d)} | {0})
    return tuple(b - a for a, b in zip(bounds, bounds[1:])) or (0,)


def blocks_covering(dim_chunks: tuple, start: int, stop: int) -> list[tuple[int, int, int]]:
    """Blocks overlapping ``[start, stop)``: ``(block, local_start, local_stop)`` each."""
    out = []
    for i, (lo, n) in enumerate(zip(offsets(dim_chunks), dim_chunks)):
        a, b = max(start, lo), min(stop, lo + n)
        if a < b:
            out.append((i, a - lo, b - lo))
    return out


def previous_blocks(previous: Any, shape: tuple) -> tuple | None:
    """The blocks data already has, as a tuple of block lengths per axis: from per-axis block lengths (Zarr's,
    h5py's ``chunks``), tuples of them, or ``((n,), ...)`` forms; ``None`` when there are none or they do not
    describe ``shape``."""
    if previous is None or not isinstance(previous, (tuple, list)) or len(previous) != len(shape):
        return None
    out = []
    for p, n in zip(previous, shape):
        if isinstance(p, (tuple, list)) and len(p) == 1 and p[0] != n:
            p = p[0]  # rioxarray's ((size,), ...) spelling of a block length
        if isinstance(p, (tuple, list)):
            if sum(p) != n or any(not isinstance(b, int) for b in p):
                return None
            out.append(tuple(p))
        elif isinstance(p, int) and (p > 0 or n == 0):
            out.append(regular(p, n))
        else:
            return None
    return tuple(out)


def _mode(lengths: tuple) -> tuple[int, int]:
    """The most frequent block length and how often it occurs (the first such length on a tie)."""
    counts: dict[int, int] = {}
    for n in lengths:
        counts[n] = counts.get(n, 0) + 1
    return max(counts.items(), key=lambda kv: kv[1])


def _aligned(size: float, unit: int) -> int:
    """``size`` rounded down to a multiple of ``unit`` when larger than it (whole blocks of the data), else
    ``size`` itself (at least 1)."""
    return max(1, int(size)) if size <= unit else int(size // unit * unit)


def auto_chunks_from(previous: tuple, chunks: tuple, shape: tuple, itemsize: int, target_bytes: int,
                     tolerance: float = 1.25) -> tuple:
    """``"auto"`` entries of ``chunks`` chosen from the blocks the data already has (``previous``: its chunks
    on disk, or before a rechunk), as dask.array chooses them, so that new blocks are made of whole old ones.

    Each automatic axis grows (or shrinks) from its median previous block by the same factor, the one that
    brings a block to ``target_bytes``.  Growing merges whole previous blocks while they fit (a previous
    block more than ``tolerance`` times too large is cut to a multiple of the usual block length instead);
    shrinking cuts to a multiple of the usual length; an axis that would outgrow the data is taken whole and
    the others share its part of the factor.  Returns the entries: an int or a tuple of block lengths per
    axis (fixed entries unchanged).
    """
    chunks = list(chunks)
    autos = {d for d, c in enumerate(chunks) if c == "auto"}
    if not autos:
        return tuple(chunks)
    fixed = math.prod(c if isinstance(c, (int, float)) else max(c) for c in chunks if c != "auto")
    budget = max(1, target_bytes) / max(itemsize, 1)
    sizes: dict[int, Any] = {d: float(statistics.median(previous[d])) for d in autos}

    def factor() -> float:  # how far a block of the current sizes is from the target
        return budget / fixed / math.prod(max(v) if isinstance(v, tuple) else v for v in sizes.values() if v)

    scale = factor()
    shrinking = scale < 1
    result = sizes if shrinking else {}  # shrinking refines the sizes themselves until the factor settles
    unit = []
    for d, n in enumerate(shape):
        length, count = _mode(tuple(previous[d])) if previous[d] else (0, 0)
        unit.append(length if length > 1 and count >= len(previous[d]) / 2 else n)
    for _ in range(100):  # converges in a few rounds; bounded all the same
        active, again = len(autos), False
        for d in sorted(autos):
            proposed = sizes[d] * scale ** (1 / active)
            if proposed > shape[d]:  # the whole axis; the others share what is left
                autos.discard(d)
                del sizes[d]
                fixed *= shape[d]
                result[d], again = (shape[d],), True
            elif shrinking or max(previous[d]) > proposed * tolerance ** (1 / active):
                result[d] = _aligned(proposed, unit[d])
                if proposed < 1:
                    autos.discard(d)
                    again = True
            else:
                result[d] = _merge_blocks(previous[d], proposed)
        if not (again or shrinking):
            break
        last, scale = scale, factor()
        if scale == last and not again:
            break
    for d, value in result.items():
        chunks[d] = value or 0
    return tuple(chunks)


def _merge_blocks(blocks: tuple, limit: float) -> tuple:
    """Consecutive ``blocks`` joined while their sum stays within ``limit``."""
    out, current = [], 0
    for n in blocks:
        if current and current + n > limit:
            out.append(current)
            current = 0
        current += n
    if current:
        out.append(current)
    return tuple(out)


def split_to_fit(chunks: tuple, new: list, splittable: set, largest: float, tolerance: float = 1.25) -> tuple:
    """Blocks of ``chunks`` split along the axes in ``splittable`` until a block of ``new`` (``chunks`` with some
    axes already replaced) holds at most ``largest`` elements, as dask keeps the blocks of a shuffle or an einsum
    from growing: the growth is shared evenly by the axes that can still be split, a block within ``tolerance``
    of its axis's share is kept, blocks are only split (never joined) and never below length 1."""
    new = [tuple(c) for c in new]
    splittable = set(splittable)
    largest = max(largest, 1)
    while splittable:
        growth = math.prod(max(c, default=1) for c in new) / largest
        if growth <= 1:
            break
        share = growth ** (1 / len(splittable))  # each axis's part, fixed for this round
        for d in sorted(splittable):
            limit = max(new[d], default=1) / share
            split: list[int] = []
            for c in chunks[d]:
                if c > tolerance * limit:
                    parts = min(math.ceil(c / limit), c)
                    size, extra = divmod(c, parts)
                    split.extend(size + (i < extra) for i in range(parts))
                else:
                    split.append(c)
            if tuple(split) == new[d] or max(split, default=1) == 1:
                splittable.discard(d)
            new[d] = tuple(split)
    return tuple(new)
