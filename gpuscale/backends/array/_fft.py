"""Chunk functions for ``gpuscale.array.fft``: the namespace's transforms, with the one difference between
the chunk libraries that matters there."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.array._core import _is_strict_namespace, complex_dtype_of, namespace, numpy_dtype, xp_dtype

# transforms the standard defines for complex input only; NumPy's and CuPy's take real input as well
_COMPLEX_INPUT = ("fft", "ifft", "fftn", "ifftn")


def fft_call(name: str, x: Any, **kwargs: Any) -> Any:
    """``xp.fft.<name>(x, **kwargs)``.

    Real input goes to NumPy's and CuPy's transforms as it is (NumPy transforms real float32 input at a
    precision a cast to complex64 first does not reproduce: results differ beyond float32's tolerance); only
    the standard's namespace, whose complex transforms refuse real input, gets it cast to complex.
    """
    xp = namespace(x)
    if name in _COMPLEX_INPUT and _is_strict_namespace(xp) and numpy_dtype(x.dtype).kind != "c":
        x = xp.astype(x, xp_dtype(xp, complex_dtype_of(numpy_dtype(x.dtype))))
    return getattr(xp.fft, name)(x, **kwargs)
