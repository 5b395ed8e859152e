"""NumPy's ``__array_function__`` protocol: ``np.sum(x, axis=0)``, ``np.linalg.svd(x)`` stay lazy gpuscale arrays.

The NumPy functions listed in :data:`HANDLED` run gpuscale's implementation with NumPy's signature
(``np.sum(x, 0)``, ``np.concatenate([x, y])``, ``np.linalg.svd(x)``, ``np.fft.fft(x)``,
``np.where(c, x, y)``, ``np.histogram(x, bins, range=...)`` ...); modules register theirs with
:func:`implements`.  ``__array_ufunc__`` (``np.sin(x)``, ``np.add(x, 1, where=m)``) is
``gpuscale/array/ufunc_protocol.py``.

Any other NumPy function (``np.polyfit``, ``np.interp``, ``np.linalg.det`` ...) runs as dask.array runs it: the
arrays are computed and the function is called on the results (NumPy's, or CuPy's for device chunks: nothing is
copied to the host), with a ``FutureWarning`` naming the function and ``map_blocks`` as the lazy way.  Arguments a
gpuscale implementation does not take (``np.sum(x, where=m)``) take the same way.  Operands of other array types
get ``NotImplemented``.  ``np.asarray(x)`` computes ``x`` (as in dask.array), and for device chunks (CuPy) refuses
the implicit copy to the host.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Callable

from gpuscale.array.chunk_types import is_registered
from gpuscale.array.conversion import is_dask_array
from gpuscale.array.core import Array, is_array
from gpuscale.array.nanreductions import handle_out

__all__ = ["array_function", "implements", "HANDLED"]

_NUMPY_ROOTS = ("numpy",)


class _Unsupported(Exception):
    """A NumPy argument gpuscale does not implement: the function runs on the computed arrays instead."""


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


def _is_numpy_type(t: type) -> bool:
    # NumPy's types, and those registered as chunk types (dask's register_chunk_type): data gpuscale takes in
    return t.__module__.partition(".")[0] in _NUMPY_ROOTS or is_registered(t)


def _known_operand(obj: Any) -> bool:
    return is_array(obj) or obj is None or isinstance(obj, (bool, int, float, complex)) or \
        _is_numpy_type(type(obj)) or is_dask_array(obj)


def _backend(*objs: Any) -> str | None:
    for obj in objs:
        if is_array(obj):
            return obj.backend
        if isinstance(obj, (list, tuple)):
            found = _backend(*obj)
            if found:
                return found
    return None


def _arr(obj: Any, backend: str | None = None) -> Array:
    if is_array(obj):
        return obj
    return _ga().asarray(obj, backend=backend)


def _arrays(seq: Any) -> list[Array]:
    backend = _backend(*seq)
    return [_arr(a, backend) for a in seq]


def _no(kwargs: dict, name: str) -> None:
    if kwargs:
        raise _Unsupported(f"numpy.{name}: unsupported arguments {sorted(kwargs)}")


# -- __array_function__ ------------------------------------------------------------------------------------------
HANDLED: dict[tuple[str, str], Callable] = {}


def implements(*names: str) -> Callable:
    """Register an implementation of NumPy functions (``"sum"``, ``"linalg.svd"``) with NumPy's signature."""
    def register(func: Callable) -> Callable:
        for name in names:
            module, _, short = ("numpy." + name).rpartition(".")
            HANDLED[(module, short)] = func
        return func

    return register


def array_function(func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
    """``Array.__array_function__``: gpuscale's implementation, else the function on the computed arrays (as
    dask.array, with its warning); ``NotImplemented`` for operands of other array types."""
    if not all(issubclass(t, Array) or _is_numpy_type(t) for t in types):
        return NotImplemented
    impl = HANDLED.get((getattr(func, "__module__", None), getattr(func, "__name__", None)))
    if impl is not None:
        try:
            return impl(*args, **kwargs)
        except _Unsupported as exc:
            return _on_computed(func, args, kwargs, f" with these arguments ({exc})")
    return _on_computed(func, args, kwargs, "")


def _on_computed(func: Any, args: tuple, kwargs: dict, detail: str) -> Any:
    """``func`` called on the computed arrays (chunks of their own library: CuPy's function for device chunks)."""
    import warnings

    from gpuscale.collection import compute

    name = f"{getattr(func, '__module__', 'numpy')}.{getattr(func, '__name__', func)}"
    warnings.warn(f"The `{name}` function is not implemented by Dask array or gpuscale.array{detail}: the arrays "
                  "are computed and it runs on the results in this process. Use gpuscale.array.map_blocks (or an "
                  "implemented function) to keep the work lazy and chunked.", FutureWarning, stacklevel=4)
    args, kwargs = compute(args, kwargs)
    return func(*args, **kwargs)


# reductions ------------------------------------------------------------------------------------------------------
def _finish_reduction(name: str, a: Any, axis: Any, dtype: Any, out: Any, keepdims: bool, rest: dict,
                      **extra: Any) -> Any:
    if rest.pop("where", True) is not True or "initial" in rest:
        raise _Unsupported(f"numpy.{name}(where=/initial=)")
    _no(rest, name)
    x = _arr(a)
    if dtype is not None:  # as the methods: the accumulator and result dtype (np.mean(ints, dtype="i4") is an int)
        extra["dtype"] = dtype
    result = getattr(_ga(), name)(x, axis=axis, keepdims=keepdims, **extra)
    if name == "std":  # NumPy's std ends in sqrt(out=): out takes it by same_kind casting, not unsafely
        return handle_out(out, result, "same_kind", "sqrt")
    return handle_out(out, result)


def _with_dtype(name: str) -> Callable:
    def impl(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
             **rest: Any) -> Any:
        return _finish_reduction(name, a, axis, dtype, out, keepdims, rest)

    return impl


def _with_ddof(name: str) -> Callable:
    def impl(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0, keepdims: bool = False,
             **rest: Any) -> Any:
        if rest.pop("mean", None) is not None:
            raise _Unsupported(f"numpy.{name}(mean=)")
        ddof = rest.pop("correction", ddof)  # (NumPy's ddof either way: inf where no degree of freedom is left)
        return _finish_reduction(name, a, axis, dtype, out, keepdims, rest, ddof=ddof)

    return impl


def _without_dtype(name: str) -> Callable:
    def impl(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **rest: Any) -> Any:
        return _finish_reduction(name, a, axis, None, out, keepdims, rest)

    return impl


for _name in ("sum", "prod", "mean"):
    implements(_name)(_with_dtype(_name))
for _name in ("var", "std"):
    implements(_name)(_with_ddof(_name))
implements("min", "amin")(_without_dtype("min"))
implements("max", "amax")(_without_dtype("max"))
implements("all")(_without_dtype("all"))
implements("any")(_without_dtype("any"))


def _nan(name: str) -> Callable:
    def impl(a: Any, *args: Any, **kwargs: Any) -> Any:
        from gpuscale.array import nanreductions

        for numpy_only in ("initial", "where", "mean", "correction"):
            if numpy_only in kwargs:
                raise _Unsupported(f"numpy.{name}({numpy_only}=)")
        return getattr(nanreductions, name)(a, *args, **kwargs)

    return impl


for _name in ("nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmin", "nanmax", "nanargmin", "nanargmax",
              "nancumsum", "nancumprod"):
    implements(_name)(_nan(_name))


def _arg(name: str) -> Callable:
    def impl(a: Any, axis: Any = None, out: Any = None, *, keepdims: bool = False) -> Any:
        return handle_out(out, getattr(_ga(), name)(_arr(a), axis=axis, keepdims=keepdims))

    return impl


implements("argmax")(_arg("argmax"))
implements("argmin")(_arg("argmin"))


def _scan(name: str) -> Callable:
    def impl(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
        x = _arr(a)
        if axis is None:
            x, axis = _ga().reshape(x, (-1,)), 0
        return handle_out(out, getattr(_ga(), name)(x, axis=axis, dtype=dtype))

    return impl


implements("cumsum")(_scan("cumulative_sum"))
implements("cumprod")(_scan("cumulative_prod"))


@implements("cumulative_sum")
def _cumulative_sum(x: Any, /, *, axis: Any = None, dtype: Any = None, out: Any = None,
                    include_initial: bool = False) -> Any:
    return handle_out(out, _ga().cumulative_sum(_arr(x), axis=axis, dtype=dtype, include_initial=include_initial))


@implements("cumulative_prod")
def _cumulative_prod(x: Any, /, *, axis: Any = None, dtype: Any = None, out: Any = None,
                     include_initial: bool = False) -> Any:
    return handle_out(out, _ga().cumulative_prod(_arr(x), axis=axis, dtype=dtype, include_initial=include_initial))


@implements("count_nonzero")
def _count_nonzero(a: Any, axis: Any = None, *, keepdims: bool = False) -> Any:
    return _ga().count_nonzero(_arr(a), axis=axis, keepdims=keepdims)


# creation with like= --------------------------------------------------------------------------------------------
@implements("array", "asarray", "asanyarray")  # NumPy calls these only for like=<a gpuscale array>
def _like_array(a: Any, dtype: Any = None, order: Any = None, *, like: Any = None, ndmin: int = 0,
                subok: bool = False, **rest: Any) -> Any:
    if ndmin or subok:
        raise _Unsupported("numpy.array(like=) with ndmin=/subok=")
    return _ga().asarray(a, dtype=dtype, backend=_backend(like, a))  # copy=/device=: a new lazy array anyway


# element-wise and selection ----------------------------------------------------------------------------------------
@implements("where")
def _where(condition: Any, *xy: Any) -> Any:
    ga = _ga()
    if not xy:
        return ga.nonzero(_arr(condition))
    if len(xy) != 2:
        raise ValueError("either both or neither of x and y should be given")
    return ga.where(_arr(condition, _backend(condition, *xy)), *xy)


@implements("clip")
def _clip(a: Any, a_min: Any = None, a_max: Any = None, out: Any = None, *, min: Any = None,  # noqa: A002
          max: Any = None, **rest: Any) -> Any:  # noqa: A002
    _no(rest, "clip")
    from gpuscale.array.dtypes import result_type

    lo = a_min if a_min is not None else min
    hi = a_max if a_max is not None else max
    x = _arr(a)
    target = result_type(x, *[b for b in (lo, hi) if b is not None])  # NumPy's promotion (an int16 bound: int16)
    clipped = _ga().clip(x if target == x.dtype else x.astype(target), lo, hi)
    return handle_out(out, clipped, "same_kind", "clip")


@implements("real")
def _real(val: Any) -> Any:
    x = _arr(val)
    return _ga().real(x) if x.dtype.kind == "c" else x


@implements("imag")
def _imag(val: Any) -> Any:
    x = _arr(val)
    return _ga().imag(x) if x.dtype.kind == "c" else _ga().zeros_like(x)


@implements("astype")
def _astype(x: Any, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Any:
    return _arr(x).astype(dtype, copy=copy)


@implements("array_equal")
def _array_equal(a1: Any, a2: Any, equal_nan: bool = False) -> Any:
    ga = _ga()
    backend = _backend(a1, a2)
    a, b = _arr(a1, backend), _arr(a2, backend)
    if a.shape != b.shape:
        return False
    same = a == b
    if equal_nan and a.dtype.kind in "fc" and b.dtype.kind in "fc":
        same = same | (ga.isnan(a) & ga.isnan(b))
    return ga.all(same)


@implements("copy")
def _copy(a: Any, order: str = "K", subok: bool = False) -> Any:
    return Array(_arr(a)._expr)  # a new collection: x[...] = v on one leaves the other unchanged


@implements("shape")
def _shape(a: Any) -> tuple:
    return _arr(a).shape


@implements("ndim")
def _ndim(a: Any) -> int:
    return _arr(a).ndim


@implements("size")
def _size(a: Any, axis: Any = None) -> Any:
    x = _arr(a)
    if axis is None:
        return x.size
    from gpuscale.array.statistical import AxisError, normalize_axis

    # NumPy 2.4 takes a tuple of axes too: the product of their lengths
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    if x.ndim == 0 and axes:  # (normalize_axis lets axis 0 of a 0-d array through, as reductions do)
        raise AxisError(f"axis {axes[0]} is out of bounds for array of dimension 0")
    return math.prod(x.shape[d] for d in normalize_axis(tuple(operator.index(d) for d in axes), x.ndim))


@implements("can_cast")
def _can_cast(from_: Any, to: Any, casting: str = "safe") -> bool:
    from gpuscale.backends import array as chunkfn

    dtypes = [chunkfn.numpy_dtype(x.dtype) if is_array(x) else x for x in (from_, to)]
    return bool(chunkfn.dtype_function("can_cast", *dtypes, casting=casting))


@implements("may_share_memory", "shares_memory")
def _shares_memory(a: Any, b: Any, max_work: Any = None) -> bool:
    # lazy arrays hold no memory of their own until computed: only an array shares it with itself
    return a is b


@implements("result_type")
def _result_type(*arrays_and_dtypes: Any) -> Any:
    return _ga().result_type(*arrays_and_dtypes)


# manipulation ------------------------------------------------------------------------------------------------------
@implements("stack")
def _stack(arrays: Any, axis: int = 0, out: Any = None, *, dtype: Any = None, casting: Any = None) -> Any:
    return handle_out(out, _ga().stack(_arrays(arrays), axis=axis, dtype=dtype, casting=casting))


@implements("transpose", "permute_dims")
def _transpose(a: Any, axes: Any = None) -> Any:
    x = _arr(a)
    return _ga().permute_dims(x, tuple(reversed(range(x.ndim))) if axes is None else tuple(axes))


@implements("moveaxis")
def _moveaxis(a: Any, source: Any, destination: Any) -> Any:
    return _ga().moveaxis(_arr(a), source, destination)


@implements("reshape")
def _reshape(a: Any, /, shape: Any = None, order: str = "C", *, newshape: Any = None, copy: Any = None) -> Any:
    if order != "C":
        raise _Unsupported("reshape(order=)")
    shape = newshape if shape is None else shape
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return _ga().reshape(_arr(a), shape, copy=copy)


@implements("squeeze")
def _squeeze(a: Any, axis: Any = None) -> Any:
    x = _arr(a)
    if axis is None:
        axis = tuple(d for d, n in enumerate(x.shape) if n == 1)
    return _ga().squeeze(x, axis=axis)


@implements("expand_dims")
def _expand_dims(a: Any, axis: Any) -> Any:
    return _ga().expand_dims(_arr(a), axis=axis)


@implements("flip")
def _flip(m: Any, axis: Any = None) -> Any:
    return _ga().flip(_arr(m), axis=axis)


@implements("roll")
def _roll(a: Any, shift: Any, axis: Any = None) -> Any:
    return _ga().roll(_arr(a), shift, axis=axis)


@implements("broadcast_to")
def _broadcast_to(array: Any, shape: Any, subok: bool = False) -> Any:
    return _ga().broadcast_to(_arr(array), (shape,) if isinstance(shape, int) else tuple(shape))


@implements("broadcast_arrays")
def _broadcast_arrays(*args: Any, subok: bool = False) -> Any:
    return tuple(_ga().broadcast_arrays(*_arrays(args)))


@implements("tile")
def _tile(A: Any, reps: Any) -> Any:  # noqa: N803 - NumPy's name
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    return _ga().tile(_arr(A), reps)


@implements("repeat")
def _repeat(a: Any, repeats: Any, axis: Any = None) -> Any:
    return _ga().repeat(_arr(a), repeats, axis=axis)


@implements("take")
def _take(a: Any, indices: Any, axis: Any = None, out: Any = None, mode: str = "raise") -> Any:
    if mode != "raise":
        raise _Unsupported("take(mode=)")
    x = _arr(a)
    if axis is None:
        x, axis = _ga().reshape(x, (-1,)), 0
    return handle_out(out, _ga().take(x, indices, axis=axis))


@implements("tril")
def _tril(m: Any, k: int = 0) -> Any:
    return _ga().tril(_arr(m), k=k)


@implements("triu")
def _triu(m: Any, k: int = 0) -> Any:
    return _ga().triu(_arr(m), k=k)


def _like(name: str) -> Callable:
    def impl(a: Any, *fill: Any, dtype: Any = None, order: str = "K", subok: bool = True, shape: Any = None,
             device: Any = None) -> Any:
        ga = _ga()
        x = _arr(a)
        if shape is not None:
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            base = name.removesuffix("_like")
            return getattr(ga, base)(shape, *fill, dtype=dtype if dtype is not None else x.dtype, backend=x.backend)
        return getattr(ga, name)(x, *fill, dtype=dtype)

    return impl


for _name in ("zeros_like", "ones_like", "empty_like", "full_like"):
    implements(_name)(_like(_name))


@implements("meshgrid")
def _meshgrid(*xi: Any, copy: bool = True, sparse: bool = False, indexing: str = "xy") -> Any:
    if sparse:
        raise _Unsupported("meshgrid(sparse=True)")
    return tuple(_ga().meshgrid(*_arrays(xi), indexing=indexing))


# sorting, searching, sets ---------------------------------------------------------------------------------------------
@implements("sort")
def _sort(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, *, stable: Any = None) -> Any:
    if order is not None:
        raise _Unsupported("sort(order=)")
    x = _arr(a)
    if axis is None:
        x, axis = _ga().reshape(x, (-1,)), 0
    return _ga().sort(x, axis=axis)


@implements("argsort")
def _argsort(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, *, stable: Any = None) -> Any:
    if order is not None:
        raise _Unsupported("argsort(order=)")
    x = _arr(a)
    if axis is None:
        x, axis = _ga().reshape(x, (-1,)), 0
    return _ga().argsort(x, axis=axis)


@implements("nonzero")
def _nonzero(a: Any) -> Any:
    return _ga().nonzero(_arr(a))


@implements("searchsorted")
def _searchsorted(a: Any, v: Any, side: str = "left", sorter: Any = None) -> Any:
    backend = _backend(a, v)
    return _ga().searchsorted(_arr(a, backend), _arr(v, backend), side=side,
                              sorter=None if sorter is None else _arr(sorter, backend))


@implements("diff")
def _diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Any:
    x = _arr(a)
    return _ga().diff(x, n=n, axis=axis, prepend=None if prepend is None else _arr(prepend, x.backend),
                      append=None if append is None else _arr(append, x.backend))


del _name

from gpuscale.array import inplace  # noqa: E402,F401  (registers np.copyto, putmask, place, put)
from gpuscale.array import protocols_linalg_fft  # noqa: E402,F401  (registers np.linalg, np.fft, histograms)
from gpuscale.array import protocols_more  # noqa: E402,F401  (registers np.einsum, apply_along_axis, like= creation)
