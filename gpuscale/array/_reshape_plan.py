"""The blocks of a ``reshape``, chosen as dask.array chooses them (pure chunk arithmetic).

A reshape that only merges neighbouring axes (``(6, 5, 4) -> (30, 4)``) or splits one axis into neighbours
(``(64,) -> (4, 4, 4)``) is planned group by group, from the last axis to the first: the input is
rechunked to ``in_chunks`` and then every block is reshaped on its own into the block of ``out_chunks`` at
the same position in C order (the two grids have as many blocks).  Within a merged group the inner axes
become whole and the first axis is cut so that the group keeps about as many blocks as before, and no
block grows beyond the largest block of the input; a split group works the other way round.  Ported
code gets dask's blocks, so block-wise code after a reshape sees the same block shapes.
"""

from __future__ import annotations

import itertools
import math

__all__ = ["plan"]


def plan(inshape: tuple, outshape: tuple, inchunks: tuple) -> tuple[tuple, tuple] | None:
    """``(in_chunks, out_chunks)`` for reshaping an array of ``inchunks`` from ``inshape`` to ``outshape``,
    or ``None`` when the reshape is not a merge or split of neighbouring axes (the caller moves rows)."""
    ins: list = [None] * len(inshape)
    outs: list = [None] * len(outshape)
    i, o = len(inshape) - 1, len(outshape) - 1
    while i >= 0 or o >= 0:
        size_in = inshape[i] if i >= 0 else 1
        size_out = outshape[o] if o >= 0 else 1
        if i >= 0 and o >= 0 and size_in == size_out:
            ins[i] = outs[o] = tuple(inchunks[i])
            i, o = i - 1, o - 1
        elif size_in == 1 and i >= 0:
            ins[i], i = (1,), i - 1
        elif size_out == 1 and o >= 0:
            outs[o], o = (1,), o - 1
        elif size_in < size_out:
            left = _group_start(inshape, i, size_out)
            if left is None:
                return None
            outs[o] = _merge(inshape, inchunks, left, i, ins)
            i, o = left - 1, o - 1
        else:
            left = _group_start(outshape, o, size_in)
            if left is None:
                return None
            ins[i] = _split(outshape, inchunks[i], left, o, outs)
            i, o = i - 1, left - 1
    return tuple(ins), tuple(outs)


def _group_start(shape: tuple, last: int, size: int) -> int | None:
    """The first axis of the run ending at ``last`` whose lengths multiply to ``size`` (None: there is none)."""
    first, product = last, shape[last]
    while first > 0 and product < size:
        first -= 1
        product *= shape[first]
    return first if product == size else None


def _merge(inshape: tuple, inchunks: tuple, left: int, right: int, ins: list) -> tuple:
    """Plan input axes ``left..right`` merged into one output axis; returns that axis' blocks."""
    if all(n == 1 for d in range(right) for n in inchunks[d]):
        # every axis before the last (dask asks it of all of them, not only the group's) is in blocks of 1 (not
        # just as many blocks as rows: some may be empty): blocks are only relabelled, nothing is rechunked
        ins[left:right + 1] = [tuple(c) for c in inchunks[left:right + 1]]
        return tuple(inchunks[right]) * math.prod(len(c) for c in inchunks[left:right])
    ins[left + 1:right + 1] = [(n,) for n in inshape[left + 1:right + 1]]  # inner axes whole (C order)
    ins[left] = _cut(inchunks[left], math.prod(len(c) for c in inchunks[left + 1:right + 1]))
    _smooth(ins, left, right, _largest_block(inchunks, left, right))
    return _products(ins[left:right + 1])


def _split(outshape: tuple, dim: tuple, left: int, right: int, outs: list) -> tuple:
    """Plan one input axis (blocks ``dim``) split into output axes ``left..right``; returns its input blocks."""
    inner = math.prod(outshape[left + 1:right + 1])
    whole_rows = _multiples(dim, inner)
    outs[left + 1:right + 1] = [(n,) for n in outshape[left + 1:right + 1]]
    outs[left] = tuple(n // inner for n in whole_rows)
    _smooth(outs, left, right, max(dim))
    return _products(outs[left:right + 1])


def _products(dims: list) -> tuple:
    """The length of each block of the merged axis: products of the group's block lengths, in C order."""
    return tuple(math.prod(combo) for combo in itertools.product(*dims))


def _largest_block(chunks: list | tuple, left: int, right: int) -> int:
    return math.prod(max(chunks[d]) for d in range(left, right + 1))


def _cut(dim: tuple, factor: int) -> tuple:
    """Each block cut into about ``factor`` pieces of at least 1 (the last piece of each takes the rest)."""
    if factor == 1:
        return tuple(dim)
    out = []
    for n in dim:
        step, rest = max(n / factor, 1), n
        while rest >= 2 * step:
            out.append(int(step))
            rest -= int(step)
        if rest:
            out.append(rest)
    return tuple(out)


def _multiples(dim: tuple, unit: int) -> tuple:
    """Blocks made multiples of ``unit`` (what is left of a block moves to the next): whole output rows."""
    out, carry = [], 0
    for n in dim:
        whole = (n + carry) // unit * unit
        carry = n + carry - whole
        if whole:
            out.append(whole)
    return tuple(out)


def _even(n: int, parts: int) -> list[int]:
    """``n`` in ``parts`` nearly equal pieces, the longer ones last."""
    parts = max(1, min(parts, n))
    return [n // parts + (j >= parts - n % parts if n % parts else 0) for j in range(parts)]


def _smooth(chunks: list, left: int, right: int, limit: int) -> None:
    """Cut the blocks of axes ``left..right`` (in place) until a block of the group is no larger than
    ``limit`` elements, the input's largest block: the first axis with blocks longer than 1 is cut (axes
    before it keep blocks of 1, so every block stays one contiguous run in C order)."""
    largest = _largest_block(chunks, left, right)
    if largest <= limit:
        return
    axis = left
    while axis <= right and all(n == 1 for n in chunks[axis]):
        axis += 1
    if axis > right:
        return
    dim = chunks[axis]
    if len(dim) == 1:
        chunks[axis] = tuple(_even(dim[0], math.ceil(largest / limit)))
        if axis < right and all(n == 1 for n in chunks[axis]):
            _smooth(chunks, left, right, limit)  # this axis is in 1s now: cut the next one
        return
    others = largest // max(dim)
    out: list[int] = []
    for n in dim:
        out.extend([n] if n * others <= limit else _even(n, math.ceil(n * others / limit)))
    chunks[axis] = tuple(out)
