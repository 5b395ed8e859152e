"""``einsum`` over chunked arrays: operands aligned on one index order, multiplied, summed over the
contracted indices (what xarray's ``dot`` and ``weighted`` need).

Each operand is transposed and given length-one axes so that all share one dimension order; the product
broadcasts block by block (fused into one task per block) and the contracted axes are tree-reduced.
An index repeated within one operand (``"ii"``, ``"aab"``) takes that operand's diagonal first, as NumPy reads it.
"""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array.core import Array, is_array
from gpuscale.backends import array as chunkfn

__all__ = ["einsum"]

def _free(n: int) -> str:
    """``n`` characters standing for the dimensions under "...": private-use code points, which no subscript
    (ASCII letters only, as NumPy's) can be, so upper- and lower-case indices stay the user's."""
    return "".join(chr(0xE000 + k) for k in range(n))


def _check_letters(terms: list, output: str) -> None:
    for term in [*terms, output]:
        for c in term.replace("...", ""):
            if not (c.isascii() and c.isalpha()):
                raise ValueError(f"einsum: invalid subscript {c!r} in einstein sum subscripts string, subscripts "
                                 f"must be letters")


def _parse(subscripts: str, operands: list) -> tuple[list[str], str]:
    text = subscripts.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(operands):
        raise ValueError(f"einsum: {len(terms)} subscripts for {len(operands)} operands")
    _check_letters(terms, output)
    ellipsis_ndim = max((op.ndim - len(t.replace("...", "")) for t, op in zip(terms, operands) if "..." in t),
                        default=0)
    free = _free(ellipsis_ndim)
    expanded = []
    for term, op in zip(terms, operands):
        written = term
        if "..." in term:
            k = op.ndim - len(term.replace("...", ""))
            term = term.replace("...", free[ellipsis_ndim - k:])
        if len(term) != op.ndim:
            raise ValueError(f"einsum: subscripts {written!r} do not match an operand of {op.ndim} dimensions")
        expanded.append(term)
    if arrow:
        output = output.replace("...", free)
    else:
        counts: dict = {}
        for term in expanded:
            for c in term:
                counts[c] = counts.get(c, 0) + 1
        output = free + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in free))
    return expanded, output


def _diagonals(term: str, a: Array) -> tuple[str, Array]:
    """An operand whose subscripts repeat an index (``"ii"``, ``"aab"``) as its diagonal over those axes (the
    index moves last), as NumPy reads a repeated index."""
    from gpuscale.array.manipulation import moveaxis

    while len(set(term)) != len(term):
        c = next(c for c in term if term.count(c) > 1)
        i = term.index(c)
        j = term.index(c, i + 1)
        if a.shape[i] != a.shape[j]:
            raise ValueError(f"einsum: index {c!r} repeated in {term!r} has different lengths {a.shape[i]} and "
                             f"{a.shape[j]}")
        # the points (k, k) taken pair-wise: only the blocks holding the diagonal are read, the other axes keep
        # their blocks
        positions = list(range(a.shape[i]))
        a = moveaxis(a, (i, j), (-2, -1))[(Ellipsis, positions, positions)]
        term = term[:i] + term[i + 1:j] + term[j + 1:] + c
    return term, a


_BLOCK_TOLERANCE = 1.25  # dask's array.chunk-size-tolerance default


def _bounded_blocks(terms: list, arrays: list, output: str) -> list:
    """The operands with their blocks along output indices split, as dask's einsum, so that an output block is
    no larger (in elements) than the largest input block times the tolerance: an outer-style product of
    blocked operands would otherwise make blocks many times their size."""
    from gpuscale.array._chunks import is_unknown, split_to_fit

    if len(arrays) < 2 or not output or any(is_unknown(n) for a in arrays for n in a.shape):
        return arrays
    largest_in = max(math.prod(max(c, default=1) for c in a.chunks) for a in arrays)
    out_lengths: dict[str, int] = {}
    for term, a in zip(terms, arrays):
        for index, dim in zip(term, a.chunks):
            if index in output:
                out_lengths[index] = max(out_lengths.get(index, 1), max(dim, default=1))
    if not largest_in:  # an empty operand: nothing to bound
        return arrays
    factor = math.prod(out_lengths.values()) / (largest_in * _BLOCK_TOLERANCE)
    if factor <= 1:
        return arrays
    bounded = []
    for term, a in zip(terms, arrays):
        free = {d for d, index in enumerate(term) if index in output}
        share = max(factor ** (len(free) / len(output)), 1)  # this operand's part of the growth
        own = math.prod(max(c, default=1) for c in a.chunks)
        if not own:  # empty: no block to split
            bounded.append(a)
            continue
        chunks = split_to_fit(a.chunks, list(a.chunks), free, own / share, _BLOCK_TOLERANCE)
        bounded.append(a if chunks == a.chunks else a.rechunk(chunks))
    return bounded


def _sublists_as_subscripts(first: Any, rest: tuple) -> tuple:
    """``(subscripts, operands)`` of NumPy's interleaved form ``(op0, sublist0, op1, sublist1, ..., [out])``:
    each sublist's integers (or ``...``) as letters."""
    items = [first, *rest]
    operands, sublists = items[0::2], items[1::2]
    output = None
    if len(operands) > len(sublists):  # an odd count: the last item is the output sublist
        *operands, output = operands

    def letters(sub: Any) -> str:
        return "".join("..." if s is Ellipsis else "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[int(s)]
                       for s in sub)

    subscripts = ",".join(letters(s) for s in sublists)
    if output is not None:
        subscripts += "->" + letters(output)
    return subscripts, tuple(operands)


def _cast_operands(arrays: list, dtype: Any, casting: str) -> list:
    """The operands in the one dtype the products and sums run in: ``dtype``, else their common one (the Array
    API's multiply may not promote: a boolean mask times float weights, in xarray's weighted).

    Raises
    ------
    TypeError
        If an operand does not cast to it by NumPy's rule ``casting`` (NumPy's einsum casts the inputs first).
    """
    from gpuscale.array.dtypes import astype, result_type

    target = result_type(*arrays) if dtype is None else dtype
    wanted = chunkfn.numpy_dtype(target)
    for i, a in enumerate(arrays):
        if not chunkfn.dtype_function("can_cast", chunkfn.numpy_dtype(a.dtype), wanted, casting=casting):
            raise TypeError(f"einsum: operand {i} of dtype {chunkfn.numpy_dtype(a.dtype)} cannot be cast to "
                            f"{wanted} according to the rule {casting!r} (pass casting='unsafe' to allow it)")
    return [a if chunkfn.numpy_dtype(a.dtype) == wanted else astype(a, target) for a in arrays]


def einsum(subscripts: str, *operands: Any, dtype: Any = None, optimize: Any = False, split_every: Any = None,
           order: str = "K", **kwargs: Any) -> Array:
    """Einstein summation, as ``numpy.einsum`` and ``dask.array.einsum``.

    Parameters
    ----------
    subscripts : str
        NumPy's subscripts: ``"ij,jk->ik"``, ``"...a,...a->..."``, implicit output (``"ij,jk"``), an index
        repeated in one operand for its diagonal (``"ii->i"``, ``"ii"``: the trace).
    *operands : Array or array-like
        The inputs (NumPy arrays too).
    dtype : dtype, optional
        The dtype of the product and the result: the operands are cast to it first, as NumPy does.
    optimize : optional
        Accepted and ignored (the contraction is one broadcast product, tree-summed).
    split_every : int or dict, optional
        Fan-in of the sum over the contracted indices, as dask's.
    order : {"K", "C", "F", "A"}
        NumPy's memory layout of the result: accepted (a chunked result has no single layout).
    casting : {"no", "equiv", "safe", "same_kind", "unsafe"}, optional
        NumPy's rule for casting the operands to ``dtype`` (or to their common dtype); "safe" by default.

    Returns
    -------
    Array
        The output indices in order.

    Raises
    ------
    TypeError
        If an operand does not cast by ``casting``; for any other keyword argument.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> a = ga.from_array(np.arange(6.0).reshape(2, 3), chunks=(1, 3))
    >>> ga.einsum("ij,ij->i", a, a).compute().tolist()
    [5.0, 50.0]
    >>> m = ga.from_array(np.arange(9.0).reshape(3, 3), chunks=2)
    >>> ga.einsum("ii->i", m).compute().tolist(), float(ga.einsum("ii", m).compute())
    ([0.0, 4.0, 8.0], 12.0)
    >>> f = ga.from_array(np.array([[1.5, -2.7], [0.2, 3.9]]), chunks=1)
    >>> ga.einsum("ij,jk", f, f, dtype="int64", casting="unsafe").compute().tolist()  # cast first, as NumPy
    [[1, -8], [0, 9]]
    """
    from gpuscale.array.creation import asarray
    from gpuscale.array.manipulation import expand_dims, permute_dims

    casting = kwargs.pop("casting", "safe")
    if not isinstance(subscripts, str):  # NumPy's other form: einsum(a, [0, 1], b, [1, 2], [0, 2])
        subscripts, operands = _sublists_as_subscripts(subscripts, operands)
    if kwargs:
        raise TypeError(f"einsum: unexpected keyword arguments {sorted(kwargs)}")
    backend = next((o.backend for o in operands if is_array(o)), None)
    arrays = [o if is_array(o) else asarray(o, backend=backend) for o in operands]
    terms, output = _parse(subscripts, arrays)
    if len(set(output)) != len(output) or any(c not in "".join(terms) for c in output):
        raise ValueError(f"einsum: bad output subscripts {output!r}")
    terms, arrays = map(list, zip(*(_diagonals(t, a) for t, a in zip(terms, arrays))))
    arrays = _bounded_blocks(terms, arrays, output)
    order = output + "".join(sorted({c for t in terms for c in t} - set(output)))
    aligned = []
    for term, a in zip(terms, arrays):
        present = [c for c in order if c in term]
        a = permute_dims(a, tuple(term.index(c) for c in present)) if list(term) != present else a
        missing = tuple(i for i, c in enumerate(order) if c not in term)
        aligned.append(expand_dims(a, axis=missing) if missing else a)
    aligned = _cast_operands(aligned, dtype, casting)
    return _multiply_and_sum(aligned, tuple(range(len(output), len(order))), split_every)


def _multiply_and_sum(aligned: list, contracted: tuple, split_every: Any) -> Array:
    """The product of the aligned operands, summed over the ``contracted`` axes.  Booleans stay boolean, as
    NumPy's: their product is an AND and their sum an OR."""
    from gpuscale.array.elementwise import logical_and
    from gpuscale.array.statistical import any as any_
    from gpuscale.array.statistical import sum as sum_

    boolean = aligned[0].dtype.kind == "b"
    product = aligned[0]
    for a in aligned[1:]:
        product = logical_and(product, a) if boolean else product * a
    if not contracted:
        return product
    if boolean:
        return any_(product, axis=contracted, split_every=split_every)
    # NumPy sums in the operands' (or dtype=) integer dtype (it wraps around): the Array API's sum would widen it
    keep = {"dtype": product.dtype} if product.dtype.kind in "iu" else {}
    return sum_(product, axis=contracted, split_every=split_every, **keep)
