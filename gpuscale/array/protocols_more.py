"""More of NumPy's ``__array_function__`` protocol (see :mod:`gpuscale.array.protocols`): ``np.einsum``,
``np.apply_along_axis`` and the creation functions called with ``like=<a gpuscale array>`` (NEP 35:
``np.ones(3, like=x)`` is a gpuscale array of ``x``'s backend, as dask.array's)."""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.array.core import is_array
from gpuscale.array.nanreductions import handle_out
from gpuscale.array.protocols import _arr, _ga, _Unsupported, implements


@implements("einsum")
def _einsum(*operands: Any, out: Any = None, optimize: Any = False, **kwargs: Any) -> Any:
    return handle_out(out, _ga().einsum(*operands, optimize=optimize, **kwargs))


@implements("apply_along_axis")
def _apply_along_axis(func1d: Callable, axis: int, arr: Any, *args: Any, **kwargs: Any) -> Any:
    if "dtype" in kwargs or "shape" in kwargs:  # ga's own keywords: NumPy passes them to func1d
        raise _Unsupported("numpy.apply_along_axis with dtype=/shape= for func1d")
    return _ga().apply_along_axis(func1d, axis, _arr(arr), *args, **kwargs)


# creation with like= --------------------------------------------------------------------------------------------
def _like_backend(like: Any, device: Any) -> str | None:
    if device not in (None, "cpu"):
        raise _Unsupported(f"device={device!r}")
    return like.backend if is_array(like) else None


def _filled(name: str) -> Callable:
    def impl(*args: Any, like: Any = None, device: Any = None, **kwargs: Any) -> Any:
        return getattr(_ga(), name)(*args, backend=_like_backend(like, device), **kwargs)

    return impl


for _name in ("ones", "zeros", "empty", "full"):
    implements(_name)(_filled(_name))
del _name


@implements("arange")
def _arange(*args: Any, dtype: Any = None, device: Any = None, like: Any = None) -> Any:
    if len(args) == 4:  # NumPy's arange(start, stop, step, dtype)
        *args, dtype = args
    return _ga().arange(*args, dtype=dtype, backend=_like_backend(like, device))


@implements("eye")
def _eye(N: int, M: Any = None, k: int = 0, dtype: Any = float, order: str = "C", *,  # noqa: N803
         device: Any = None, like: Any = None) -> Any:
    return _ga().eye(N, M, k=k, dtype=dtype, backend=_like_backend(like, device))


@implements("identity")
def _identity(n: int, dtype: Any = None, *, like: Any = None) -> Any:
    return _ga().eye(n, dtype=float if dtype is None else dtype, backend=_like_backend(like, None))


@implements("fromfunction")
def _fromfunction(function: Callable, shape: Any, *, dtype: Any = float, like: Any = None, **kwargs: Any) -> Any:
    import contextlib

    from gpuscale import config

    backend = _like_backend(like, None)  # ga.fromfunction takes the configured backend
    with config.set(backend=backend) if backend else contextlib.nullcontext():
        return _ga().fromfunction(function, shape=shape, dtype=dtype, **kwargs)
