"""Planning a rechunk in stages so that no task gathers more than a memory bound of input blocks.

A single-stage rechunk builds each output block from every input block it overlaps.  Its *fan-in* (the bytes
of input blocks one output block needs) can be the whole array: time-chunked ``(1, ny, nx)`` data rechunked to
space-chunked ``(nt, 36, 36)`` needs a slice of every input block for every output block.  Then the runtime
must hold (or spill and read back, once per output block) all of it at once.

The plan here (the idea of rechunker's algorithm, in the task-graph setting): grow the source blocks along the
axes the target makes longer, up to the bound ("read" blocks); grow the target blocks along the axes the source
makes longer, up to the bound ("write" blocks); the intermediate blocks are the smaller of the two along each
axis, with the block boundaries of the side they come from.  Source -> intermediate then gathers at most one
read block per task, intermediate -> target at most one write block.  The plan is used only where the single
stage would go over the bound and the stages really lower the fan-in; otherwise (the common case) the rechunk
stays one stage.

Pure chunk arithmetic: no data library, no expressions.
"""

from __future__ import annotations

import math

from gpuscale.array import _chunks

__all__ = ["fan_in", "plan_stages", "STAGE_DEPTH"]

STAGE_DEPTH = 2  # halvings of a stage that still fans in too much: at most 2 ** STAGE_DEPTH stages


def fan_in(old: tuple, new: tuple, itemsize: int) -> int:
    """The most bytes of ``old`` blocks that one block of ``new`` overlaps (whole input blocks, as held).

    Examples
    --------
    >>> fan_in(((1,) * 4, (4,)), ((4,), (2, 2)), 8)  # each output block reads all four input blocks
    128
    """
    # the axes are independent: the worst block is the worst along every axis at once
    return itemsize * math.prod(_axis_fan_in(o, n) for o, n in zip(old, new))


def _axis_fan_in(old: tuple, new: tuple) -> int:
    if not old or not new:
        return 0
    if _chunks.same_dim(old, new):
        return max(old, default=0)
    ends = list(_chunks.offsets(old)) + [sum(old)]
    worst, first = 0, 0
    for start, n in zip(_chunks.offsets(new), new):
        while first + 1 < len(old) and ends[first + 1] <= start:  # first old block ending after start
            first += 1
        last = first
        while last + 1 < len(old) and ends[last + 1] < start + n:
            last += 1
        worst = max(worst, ends[last + 1] - ends[first])
    return worst


def plan_stages(old: tuple, new: tuple, itemsize: int, max_mem: int, workers: int = 1) -> list[tuple]:
    """The chunks after each stage of rechunking ``old`` to ``new``; the last is ``new``.

    One stage unless its estimated peak, ``min(fan-in x workers, array bytes)`` (tasks running at once each
    hold their inputs; they cannot hold more than the whole array), exceeds ``max_mem``; then intermediate
    chunks are planned so that each stage's fan-in x ``workers`` stays within ``max_mem`` where the chunks
    allow it.

    Examples
    --------
    >>> plan_stages(((1,) * 8, (8,)), ((8,), (2,) * 4), 8, 10**9)  # small: one stage
    [((8,), (2, 2, 2, 2))]
    >>> plan_stages(((1,) * 8, (8,)), ((8,), (2,) * 4), 8, 256)  # intermediate (4, 4) blocks first
    [((4, 4), (4, 4)), ((8,), (2, 2, 2, 2))]
    """
    if not _plannable(old, new):
        return [new]
    shape = _chunks.shape_of(old)
    total = itemsize * math.prod(shape)
    per_task = max(itemsize, max_mem // max(1, workers))
    if min(fan_in(old, new, itemsize) * workers, total) <= max_mem:
        return [new]
    return _split(old, new, itemsize, per_task, STAGE_DEPTH)


def _plannable(old: tuple, new: tuple) -> bool:
    lengths = [n for dim in (*old, *new) for n in dim]
    # unknown (nan) lengths cannot be planned; empty blocks hold nothing worth planning for
    return bool(old) and not any(_chunks.is_unknown(n) or n <= 0 for n in lengths)


def _split(old: tuple, new: tuple, itemsize: int, per_task: int, depth: int) -> list[tuple]:
    direct = fan_in(old, new, itemsize)
    if depth == 0 or direct <= per_task:
        return [new]
    middle = _intermediate(old, new, itemsize, per_task)
    if _chunks.same_chunks(middle, old) or _chunks.same_chunks(middle, new):
        return [new]
    worst = max(fan_in(old, middle, itemsize), fan_in(middle, new, itemsize))
    if 2 * worst > direct:  # not worth another pass over the data
        return [new]
    return _split(old, middle, itemsize, per_task, depth - 1) + _split(middle, new, itemsize, per_task, depth - 1)


def _intermediate(old: tuple, new: tuple, itemsize: int, per_task: int) -> tuple:
    """Chunks between ``old`` and ``new``: per axis the smaller of the grown read and write blocks."""
    shape = _chunks.shape_of(old)
    limit = max(1, per_task // itemsize)  # elements
    old_size = [max(d) for d in old]
    new_size = [max(d) for d in new]
    read = _grow(old_size, [max(o, min(n, s)) for o, n, s in zip(old_size, new_size, shape)], limit)
    write = _grow(new_size, [max(n, min(o, s)) for o, n, s in zip(old_size, new_size, shape)], limit)
    out = []
    for d, (o, n) in enumerate(zip(old, new)):
        if _chunks.same_dim(o, n):
            out.append(o)  # an unchanged axis keeps its blocks exactly (perhaps irregular)
        elif read[d] <= write[d]:  # joined source blocks: the first stage cuts none of them
            out.append(_chunks._merge_blocks(o, read[d]))
        else:  # joined target blocks: the second stage only joins whole intermediate blocks
            out.append(_chunks._merge_blocks(n, write[d]))
    return tuple(out)


def _grow(sizes: list[int], caps: list[int], limit: int) -> list[int]:
    """``sizes`` grown in whole multiples of themselves toward ``caps``, as evenly as the element ``limit``
    allows (the axis grown least so far grows next, geometrically)."""
    base = list(sizes)
    out = list(sizes)
    while True:
        growable = [d for d in range(len(out)) if out[d] < caps[d]]
        grown = False
        for d in sorted(growable, key=lambda d: out[d] / base[d]):
            step = max(base[d], out[d] // 2 // base[d] * base[d])
            candidate = min(caps[d], out[d] + step)
            if math.prod(out) // out[d] * candidate <= limit:
                out[d] = candidate
                grown = True
                break
        if not grown:
            return _fill(out, base, caps, limit)


def _fill(out: list[int], base: list[int], caps: list[int], limit: int) -> list[int]:
    # the geometric steps may stop short: take each axis to the largest multiple that still fits
    for d in range(len(out)):
        others = math.prod(out) // out[d]
        fits = min(caps[d], limit // others // base[d] * base[d]) if others else caps[d]
        out[d] = max(out[d], fits)
    return out
