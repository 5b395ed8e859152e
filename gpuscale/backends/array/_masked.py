"""NumPy's masked arrays as chunks, for ``gpuscale.array.ma``.

Only NumPy has masked arrays (``numpy.ma``); CuPy and array-api-strict have none, so
``gpuscale.array.ma`` refuses their arrays (:func:`check_masked_backend`).  A masked chunk
goes through the ordinary chunk functions (NumPy dispatches them to ``numpy.ma``); what
needs care is where blocks are joined (concatenation, the result of ``compute()``),
where a 0-d result becomes a scalar (``numpy.ma.masked``) and where a reduction counts
elements (masked ones do not count).
"""

from __future__ import annotations

import threading
from typing import Any

from gpuscale.backends.array._core import module_for

MASKED_BACKENDS = ("numpy",)


def _ma() -> Any:
    return module_for("numpy").ma


def is_masked(x: Any) -> bool:
    """True for a NumPy masked array (a chunk with a mask, possibly all False)."""
    return isinstance(x, _ma().MaskedArray)


def check_masked_backend(backend: str, what: str) -> None:
    """Raise if chunks of ``backend`` cannot be masked arrays."""
    if backend not in MASKED_BACKENDS:
        raise TypeError(f"gpuscale.array.ma.{what}: masked arrays exist only for NumPy chunks; this array's "
                        f"chunks are {backend} arrays, and {backend} has no masked arrays. Move them to the "
                        "host first (x.to_backend('numpy'))")


def check_unmasked(chunk: Any, backend: str) -> None:
    """Raise if masked ``chunk`` is to move to ``backend``, which has no masked arrays (its mask would be lost)."""
    if is_masked(chunk):
        raise TypeError(f"masked arrays exist only for NumPy chunks: {backend} has no masked arrays, and moving "
                        "this one there would drop its mask; fill the masked elements first (numpy.ma.filled, "
                        "gpuscale.array.ma.filled)")


def masked_call(name: str, *args: Any, **kwargs: Any) -> Any:
    """``numpy.ma.<name>(*args, **kwargs)`` on chunks (a task refers to the function by name)."""
    return getattr(_ma(), name)(*args, **kwargs)


def is_no_mask(mask: Any) -> bool:
    """True for None and ``numpy.ma.nomask`` (nothing masked)."""
    return mask is None or mask is _ma().nomask


def mask_error(text: str) -> Exception:
    """NumPy's ``MaskError`` (a mask that does not fit its data), to raise."""
    return _ma().MaskError(text)


def masked_broadcast_to(x: Any, shape: tuple) -> Any:
    """``broadcast_to`` of a masked block, its mask broadcast alike (NumPy's leaves the mask behind)."""
    np, ma = module_for("numpy"), _ma()
    mask = np.broadcast_to(ma.getmaskarray(x), shape)
    return ma.masked_array(np.broadcast_to(ma.getdata(x), shape), mask=mask, fill_value=_fill_of(x))


def masked_value(value: Any, dtype: Any) -> Any:
    """A masked value to assign into a block of ``dtype``: one masked element is ``numpy.ma.masked`` itself
    (what it was before it became a block; NumPy assigns it to any dtype), else the value in ``dtype`` (a
    hard-masked block takes only values of its own dtype)."""
    if value is _ma().masked or value.ndim == 0 and value.mask:
        return _ma().masked
    with module_for("numpy").errstate(invalid="ignore"):  # the data under the mask need not fit the dtype
        return value if value.dtype == dtype else value.astype(dtype)


def masked_block(data: Any, mask: Any = None, fill_value: Any = None, dtype: Any = None, *, keep_mask: bool = True,
                 hard_mask: Any = None, copy: bool = False) -> Any:
    """A masked chunk of ``data`` with ``mask`` (None: nothing masked) and ``fill_value`` (None: NumPy's);
    ``keep_mask``, ``hard_mask`` and ``copy`` as ``numpy.ma.masked_array``'s."""
    ma = _ma()
    fill = getattr(fill_value, "item", lambda: fill_value)() if fill_value is not None else None
    return ma.masked_array(data, mask=ma.nomask if mask is None else mask, dtype=dtype, fill_value=fill,
                           keep_mask=keep_mask, hard_mask=hard_mask, copy=copy)


def with_fill_value(x: Any, fill_value: Any) -> Any:
    """A view of masked chunk ``x`` with another fill value (other chunks unchanged, as NumPy's
    ``set_fill_value``)."""
    if not is_masked(x) or x is _ma().masked:
        return x
    # a new fill value array: NumPy's setter writes into the one x shares with its copies, views and source
    return _ma().masked_array(x, fill_value=fill_value)


def fill_value_like(out: Any, like: Any) -> Any:
    """Masked chunk ``out`` with the fill value of chunk ``like`` (of its dtype) if that one has its own: NumPy
    keeps it through ``x[index]`` and ``x[key] = value``, where ``take`` and ``numpy.ma.where`` drop it."""
    fill = _fill_of(like)
    if fill is None or not is_masked(out) or out is _ma().masked or out.dtype != like.dtype:
        return out
    return with_fill_value(out, fill)


def checked_fill_value(value: Any, dtype: Any) -> Any:
    """``value`` as the fill value of a masked array of ``dtype``; NumPy's TypeError if it does not fit."""
    probe = _ma().masked_array(module_for("numpy").zeros(1, dtype=dtype))
    probe.fill_value = value
    return probe.fill_value


def count_block(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Unmasked elements of chunk ``x`` along ``axis`` (all elements of a chunk without a mask)."""
    return _ma().count(x, axis=axis, keepdims=keepdims)


def sum_counts(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Sum partial counts (the combine step of :func:`count_block`)."""
    return module_for("numpy").sum(x, axis=axis, keepdims=keepdims)


def element_count(x: Any, axis: tuple, like: Any) -> Any:
    """The elements a reduction of masked chunk ``x`` over ``axis`` counts (keepdims), of ``like``'s dtype."""
    np = module_for("numpy")
    counts = _ma().count(x, axis=axis, keepdims=True)
    return np.asarray(counts, dtype=np.float64 if like.dtype.kind == "c" else like.dtype)


def masked_where_undefined(count: Any, mean: Any, axis: tuple, *merged: Any) -> tuple:
    """``merged`` (moments of parts merged over ``axis``) masked where a part with elements has a masked mean.

    NumPy's masked division masks a NaN or infinite mean: the mean of the whole is undefined there too, as
    numpy.ma's of all of it, where the masked sums would skip that part while its count still counts.
    """
    np, ma = module_for("numpy"), _ma()
    undefined = np.any(ma.getmaskarray(mean) & (ma.getdata(count) > 0), axis=axis, keepdims=True)
    return tuple(ma.masked_where(undefined, m) for m in merged)


def masked_full_mean(total: Any, count: Any) -> Any:
    """The masked mean of all elements from their (keepdims) ``total`` and ``count``, as NumPy's: its plain
    quotient, a NaN or infinite one too (the masked division would mask it), masked only where no element
    counts."""
    np, ma = module_for("numpy"), _ma()
    if ma.getmaskarray(total).all() or not ma.getdata(count).all():
        return ma.masked_array(ma.getdata(total), mask=True)
    data, counts = ma.getdata(total), ma.getdata(count)
    with np.errstate(invalid="ignore"):  # inf - inf in the total: NumPy's NaN, no warning
        return ma.masked_array(data / (counts.astype(data.dtype) if data.dtype.kind == "c" else counts))


def masked_where_condition(condition: Any, x: Any) -> Any:
    """``x`` masked where ``condition`` holds (``numpy.ma.masked_where``; a masked condition counts as False)."""
    ma = _ma()
    return ma.masked_where(ma.filled(condition, False), x)


def carry_under_mask(out: Any, carry: Any, kind: str) -> Any:
    """Masked running totals ``out`` continued from ``carry`` (the previous block's last totals): the data
    under the mask too, as NumPy's ``cumsum``/``cumprod`` keep the total there."""
    out = out.copy()
    data = out.data
    data[...] = data + carry if kind == "sum" else data * carry
    return out


# Products of masked blocks, as numpy.ma.dot (strict=False): masked elements count as zero, and a result
# element is masked only when every pair of elements it sums has a masked one.
def masked_sum_of_products(pairs: Any, out: Any = None) -> Any:
    """``sum(a @ b for a, b in pairs)`` of masked (or plain) blocks; the data written into ``out`` if given."""
    np, ma = module_for("numpy"), _ma()
    data = valid = None
    for a, b in pairs:
        product = np.matmul(ma.filled(a, 0), ma.filled(b, 0))
        present = np.matmul(~ma.getmaskarray(a), ~ma.getmaskarray(b))  # boolean: any pair unmasked
        data = product if data is None else data + product
        valid = present if valid is None else valid | present
    if out is not None:
        out[...] = data
        data = out
    return ma.masked_array(data, mask=~valid)


def masked_tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """``tensordot`` of masked (or plain) blocks."""
    np, ma = module_for("numpy"), _ma()
    data = np.tensordot(ma.filled(a, 0), ma.filled(b, 0), axes=axes)
    present = np.tensordot(~ma.getmaskarray(a), ~ma.getmaskarray(b), axes=axes)
    return ma.masked_array(data, mask=~present)


def has_masked(leaves: Any) -> bool:
    """Whether any of the chunks ``leaves`` is a masked array."""
    return any(is_masked(b) for b in leaves)


def masked_concat(nested: list, axes: tuple, level: int = 0) -> Any:
    """Join a nested list of chunks (depth ``d`` along ``axes[d]``) keeping their masks."""
    parts = [masked_concat(p, axes, level + 1) if isinstance(p, list) else p for p in nested]
    if len(parts) == 1:
        return parts[0]
    return _keep_fill_value(_ma().concatenate(parts, axis=axes[level]), {_fill_of(p) for p in parts} - {None})


def _fill_of(x: Any) -> Any:
    # numpy.ma.masked, the masked constant, has no fill value of its own (reading it fails)
    if not is_masked(x) or x is _ma().masked:
        return None
    value = x.fill_value.item()
    try:
        checked_fill_value(value, x.dtype)
    except (TypeError, ValueError, OverflowError):
        return None  # NumPy's default of small integers (999999) does not fit them: theirs again, not carried
    return value


def _keep_fill_value(out: Any, fill_values: set) -> Any:
    # numpy.ma.concatenate gives the dtype's default fill value; the blocks' own one, when they agree
    if len(fill_values) == 1:
        out.fill_value = fill_values.pop()
    return out


def masked_result(out: Any) -> Any:
    """A reduction's result as NumPy's masked reductions give it: a full reduction is ``numpy.ma.masked``
    if masked, else its value (other results unchanged)."""
    if not is_masked(out) or out.ndim:
        return out
    return _ma().masked if out.mask.any() else out.data[()]


def unmasked(x: Any) -> Any:
    """The data under a masked chunk's mask (what a running total carries past a masked element)."""
    return _ma().getdata(x) if is_masked(x) else x


class ResultMask:
    """The masks of blocks written into one ``compute()`` result (``into_result``).

    The result is allocated before any block exists; if some block turns out to be masked,
    its mask is recorded here and :meth:`finish` makes the result a masked array (as joining
    the blocks would: one masked block makes the whole result masked).
    """

    def __init__(self, shape: tuple) -> None:
        self.shape, self.mask, self.fill_values = shape, None, set()
        self._lock = threading.Lock()  # blocks arrive from several worker threads

    def record(self, region: tuple, block: Any) -> None:
        with self._lock:
            if self.mask is None:  # all False: each masked block sets its own region
                self.mask = module_for("numpy").zeros(self.shape, dtype=bool)
            self.fill_values.add(_fill_of(block))
        self.mask[region] = _ma().getmaskarray(block)

    def finish(self, out: Any) -> Any:
        if self.mask is None:
            return out
        return _keep_fill_value(_ma().masked_array(out, mask=self.mask), self.fill_values)


def masked_argsort(x: Any, axis: int, descending: bool) -> Any:
    """A stable argsort of a block with its masked elements after all others, in their order along ``axis``,
    in either direction (``numpy.ma``'s ascending order): NumPy's argsort of a masked array fills them with
    the dtype's extreme (a tie with such unmasked values, and first once reversed for ``descending``)."""
    np, xp = module_for("numpy"), module_for("array_api_compat.numpy")
    order = xp.argsort(_ma().getdata(x), axis=axis, descending=descending, stable=True)
    if not is_masked(x):
        return order
    # rank by place in ``order`` when unmasked, after all of them by position when masked; sort once more
    order = np.moveaxis(order, axis, -1)
    n = order.shape[-1]
    masked = np.take_along_axis(np.moveaxis(_ma().getmaskarray(x), axis, -1), order, axis=-1)
    rank = np.where(masked, n + order, np.arange(n))
    final = np.take_along_axis(order, np.argsort(rank, axis=-1, kind="stable"), axis=-1)
    return np.moveaxis(final, -1, axis)


class _MaskedNamespace:
    """The namespace of masked chunks: NumPy's (array-api-compat's), except for the functions whose NumPy
    versions drop the masks of masked arrays or fail on them."""

    __name__ = "numpy.ma"

    def __getattr__(self, name: str) -> Any:
        return getattr(module_for("array_api_compat.numpy"), name)

    @staticmethod
    def concat(arrays: Any, /, *, axis: Any = 0) -> Any:
        arrays = [_ma().ravel(a) for a in arrays] if axis is None else list(arrays)
        fills = {_fill_of(a) for a in arrays} - {None}
        return _keep_fill_value(_ma().concatenate(arrays, axis=0 if axis is None else axis), fills)

    @staticmethod
    def stack(arrays: Any, /, *, axis: int = 0) -> Any:
        return _ma().stack(list(arrays), axis=axis)

    @staticmethod
    def where(condition: Any, x1: Any, x2: Any, /) -> Any:
        return _ma().where(condition, x1, x2)

    @staticmethod
    def clip(x: Any, /, min: Any = None, max: Any = None) -> Any:  # noqa: A002 - the standard's names
        return _ma().clip(x, min, max)

    @staticmethod
    def asarray(obj: Any, /, *, dtype: Any = None, device: Any = None, copy: Any = None) -> Any:
        if not is_masked(obj):
            return module_for("array_api_compat.numpy").asarray(obj, dtype=dtype, device=device, copy=copy)
        out = obj if dtype is None else obj.astype(dtype, copy=False)
        return out.copy() if copy and out is obj else out

    @staticmethod
    def matmul(x1: Any, x2: Any, /) -> Any:
        return masked_sum_of_products([(x1, x2)])

    @staticmethod
    def take(x: Any, indices: Any, /, *, axis: Any = None) -> Any:
        return fill_value_like(module_for("array_api_compat.numpy").take(x, indices, axis=axis), x)

    @staticmethod
    def argsort(x: Any, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Any:
        return masked_argsort(x, axis, descending)

    broadcast_to = staticmethod(masked_broadcast_to)
    tensordot = staticmethod(masked_tensordot)


_NAMESPACE = _MaskedNamespace()


def masked_namespace() -> Any:
    """The namespace of chunks among which one is a masked array."""
    return _NAMESPACE
