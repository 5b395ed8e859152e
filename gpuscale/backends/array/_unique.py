"""Block functions of the set functions (``unique_*``): one block whole, or each block's distinct values
combined (values, counts and first positions are sums and minima over the blocks' own)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.array._core import library_of, module_for, namespace

FIELDS = ("values", "indices", "inverse_indices", "counts")


def unique_fields(x: Any, fields: tuple, equal_nan: bool = False) -> dict:
    """The ``fields`` of ``unique_all`` of a 1-d block (values always), computing no more than they need;
    ``equal_nan``: NaNs are one value (NumPy's ``unique``), not each its own (the standard's)."""
    xp = namespace(x)
    if set(fields) <= {"values"}:
        found = {"values": xp.unique_values(x)}
    elif set(fields) <= {"values", "counts"}:
        found = dict(zip(("values", "counts"), xp.unique_counts(x)))
    else:
        found = dict(zip(FIELDS, xp.unique_all(x)))
    return _nans_merged(xp, found) if equal_nan else found


def _nans_merged(xp: Any, found: dict) -> dict:
    missing = _missing(xp, found["values"])
    nans = 0 if missing is None else int(xp.sum(xp.astype(missing, xp.int64)))
    if nans <= 1:
        return found
    first = found["values"].shape[0] - nans  # (NaNs and NaT sort last): the one kept
    out = {"values": found["values"][:first + 1]}
    if "counts" in found:
        out["counts"] = xp.concat([found["counts"][:first], xp.sum(found["counts"][first:], keepdims=True)])
    if "indices" in found:
        out["indices"] = xp.concat([found["indices"][:first], xp.min(found["indices"][first:], keepdims=True)])
    if "inverse_indices" in found:
        inverse = found["inverse_indices"]
        out["inverse_indices"] = xp.where(inverse > first, xp.asarray(first, dtype=inverse.dtype,
                                                                      device=inverse.device), inverse)
    return out


def _missing(xp: Any, values: Any) -> Any:
    """Where sorted unique ``values`` are NaN (NaT of NumPy's datetimes), or None for dtypes without them."""
    if library_of(values) == "numpy" and values.dtype.kind in "mM":
        return module_for("numpy").isnat(values)
    if xp.isdtype(values.dtype, ("real floating", "complex floating")):
        return xp.isnan(values)
    return None


def unique_part(x: Any, part: str, equal_nan: bool = False) -> Any:
    """One field of ``unique_all`` of a (1-d, whole) block: values, indices, inverse_indices or counts."""
    return unique_fields(x, ("values", part), equal_nan)[part]


def unique_block(x: Any, fields: tuple, equal_nan: bool, offsets: Any, index: tuple) -> tuple:
    """``(values, counts, indices)`` of one block of several (None where not in ``fields``): the indices
    are positions in the whole array (the block's offset added)."""
    xp = namespace(x)
    found = unique_fields(x, fields, equal_nan)
    indices = found.get("indices")
    if indices is not None:
        indices = xp.astype(indices, xp.int64) + offsets[index[0]]
    return found["values"], found.get("counts"), indices


def unique_combine(blocks: Any, fields: tuple, equal_nan: bool) -> tuple:
    """The ``fields`` (in that order) of the whole array from every block's :func:`unique_block`: values seen
    in several blocks get the sum of their counts and the first block's index (blocks are in order)."""
    blocks = blocks if isinstance(blocks, list) else [blocks]
    values = [b[0] for b in blocks]
    xp = namespace(*values)
    joined = xp.concat(values)
    grouped = any(f != "values" for f in fields)  # (which block values each distinct value came from)
    found = unique_fields(joined, FIELDS if grouped else ("values",), equal_nan)
    out = {"values": found["values"]}
    if "indices" in fields:
        out["indices"] = xp.take(xp.concat([b[2] for b in blocks]), found["indices"])
    if "counts" in fields:
        counts = xp.concat([xp.astype(b[1], xp.int64) for b in blocks])
        out["counts"] = _group_sums(xp, counts, found["inverse_indices"], found["counts"])
    return tuple(out[f] for f in fields)


def _group_sums(xp: Any, weights: Any, groups: Any, sizes: Any) -> Any:
    """The sum of ``weights`` per group (``groups``: each one's group, ``sizes``: elements per group), with
    the standard's functions only (a stable sort by group, then differences of the running sum at each end)."""
    if weights.shape[0] == 0:
        return weights
    order = xp.argsort(groups, stable=True)
    running = xp.cumulative_sum(xp.take(weights, order))
    ends = xp.take(running, xp.cumulative_sum(xp.astype(sizes, xp.int64)) - 1)
    return xp.concat([ends[:1], ends[1:] - ends[:-1]])


def unique_inverse_block(x: Any, values: Any) -> Any:
    """Positions of a block's elements in the sorted distinct ``values`` of the whole array."""
    values = values[0] if isinstance(values, list) else values
    xp = namespace(x, values)
    return xp.astype(xp.searchsorted(values, x), xp.int64)
