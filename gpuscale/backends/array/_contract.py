"""Sums of products on one block without the full-size product (weighted sums, ``einsum`` contractions).

``sum(x * w, axis=(1, 2))`` with weights ``w`` of shape ``(1, n, 1)`` (xarray's weighted means, ``einsum("tij,i->t")``)
multiplies the whole block first: a temporary as large as the block, in the wider of the two dtypes.  Summing
``x`` over the axes where ``w`` has length 1 first gives the same sum (the product distributes over the sum), and
then the product is only as large as what is left: ``sum_j x_ij w_i = w_i sum_j x_ij``.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.array._core import namespace, numpy_dtype, xp_dtype

__all__ = ["multiply_pair", "sum_of_product"]


def multiply_pair(a: Any, b: Any) -> tuple:
    """The two factors of a product, handed unmultiplied to :func:`sum_of_product`."""
    return (a, b)


def sum_of_product(pair: tuple, axis: tuple, dtype: Any = None, *_: Any) -> tuple:
    """``(sum(a * b, axis=axis, keepdims=True, dtype=dtype),)``: a tree reduction's first step (a state tuple).

    Each factor is first summed over the reduced axes along which the other has length 1 (in ``dtype``, or the
    product's floating dtype), so no block-sized product is made.  Only floating and complex products are
    reassociated (summing is not distributive over a bool product, and integer code keeps NumPy's exact path).

    Examples
    --------
    >>> import numpy as np
    >>> x, w = np.arange(24.0).reshape(2, 3, 4), np.array([1.0, 2.0, 3.0])[None, :, None]
    >>> (out,) = sum_of_product((x, w), (1, 2), np.dtype("float64"))
    >>> bool(np.allclose(out, (x * w).sum(axis=(1, 2), keepdims=True))), out.shape
    (True, (2, 1, 1))
    """
    a, b = pair
    xp = namespace(a, b)
    kwargs = {"dtype": xp_dtype(xp, dtype)} if dtype is not None else {}
    if not _reassociable(a, b, dtype):
        return (xp.sum(xp.multiply(a, b), axis=axis, keepdims=True, **kwargs),)
    only_a = tuple(ax for ax in axis if b.shape[ax] == 1 and a.shape[ax] != 1)
    only_b = tuple(ax for ax in axis if a.shape[ax] == 1 and b.shape[ax] != 1)
    inner = kwargs or {"dtype": xp.result_type(a, b)}
    if only_a:
        a = xp.sum(a, axis=only_a, keepdims=True, **inner)
    if only_b:
        b = xp.sum(b, axis=only_b, keepdims=True, **inner)
    return (xp.sum(xp.multiply(a, b), axis=axis, keepdims=True, **kwargs),)


def _reassociable(a: Any, b: Any, dtype: Any) -> bool:
    """Two arrays of one rank whose product is floating or complex, summed in a floating or complex dtype."""
    if not (hasattr(a, "shape") and hasattr(b, "shape") and len(a.shape) == len(b.shape)):
        return False
    if dtype is not None and numpy_dtype(dtype).kind not in "fc":
        return False
    kinds = {numpy_dtype(a.dtype).kind, numpy_dtype(b.dtype).kind}
    return bool(kinds & {"f", "c"}) and kinds <= {"f", "c", "b", "i", "u"}
