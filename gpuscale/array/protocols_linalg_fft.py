"""NumPy's histogram, ``np.linalg`` and ``np.fft`` functions on gpuscale arrays through
``__array_function__`` (registered with :func:`gpuscale.array.protocols.implements` when
:mod:`gpuscale.array.protocols` is imported)."""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.array.core import Array
from gpuscale.array.nanreductions import handle_out
from gpuscale.array.protocols import _arr, _backend, _ga, _Unsupported, implements


# histograms --------------------------------------------------------------------------------------------------------
@implements("histogram")
def _histogram(a: Any, bins: Any = 10, range: Any = None, density: Any = None,  # noqa: A002
               weights: Any = None) -> Any:
    return _ga().histogram(a, bins=bins, range=range, weights=weights, density=density)


@implements("histogram2d")
def _histogram2d(x: Any, y: Any, bins: Any = 10, range: Any = None, density: Any = None,  # noqa: A002
                 weights: Any = None) -> Any:
    return _ga().histogram2d(x, y, bins=bins, range=range, weights=weights, density=density)


@implements("histogramdd")
def _histogramdd(sample: Any, bins: Any = 10, range: Any = None, density: Any = None,  # noqa: A002
                 weights: Any = None) -> Any:
    return _ga().histogramdd(sample, bins=bins, range=range, weights=weights, density=density)


@implements("bincount")
def _bincount(x: Any, /, weights: Any = None, minlength: int = 0) -> Any:
    return _ga().bincount(x, weights=weights, minlength=minlength)


@implements("digitize")
def _digitize(x: Any, bins: Any, right: bool = False) -> Any:
    return _ga().digitize(x, bins, right=right)


# linear algebra --------------------------------------------------------------------------------------------------
@implements("tensordot")
def _tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    backend = _backend(a, b)
    return _ga().tensordot(_arr(a, backend), _arr(b, backend), axes=axes)


@implements("cross")
def _cross(a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: Any = None) -> Any:
    if axis is None and (axisa, axisb, axisc) != (-1, -1, -1):
        raise _Unsupported("cross(axisa=, axisb=, axisc=)")
    backend = _backend(a, b)
    return _ga().linalg.cross(_arr(a, backend), _arr(b, backend), axis=-1 if axis is None else axis)


@implements("linalg.svd")
def _svd(a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False) -> Any:
    ga = _ga()
    if not compute_uv:
        return ga.linalg.svdvals(_arr(a))
    # NumPy's (LAPACK's) signs: no dask-style sign coercion
    return ga.linalg.svd(_arr(a), full_matrices=full_matrices, coerce_signs=False)


@implements("linalg.cholesky")
def _cholesky(a: Any, /, *, upper: bool = False) -> Any:
    # NumPy's default is the lower factor; ga.linalg.cholesky's is dask's upper one
    return _ga().linalg.cholesky(_arr(a), upper=upper)


@implements("linalg.qr")
def _qr(a: Any, mode: str = "reduced") -> Any:
    return _ga().linalg.qr(_arr(a), mode=mode)


@implements("linalg.lstsq")
def _lstsq(a: Any, b: Any, rcond: Any = None) -> Any:
    x = _arr(a)
    if rcond is not None or x.ndim != 2 or x.shape[0] < x.shape[1]:  # ga's is TSQR, of tall matrices
        raise _Unsupported("numpy.linalg.lstsq of a wide matrix or with rcond=")
    return _ga().linalg.lstsq(x, _arr(b, x.backend))


def _hermitian(name: str) -> Callable:
    def impl(a: Any, UPLO: str = "L") -> Any:  # noqa: N803 - NumPy's name
        x = _arr(a)
        if UPLO not in ("L", "U"):
            raise _Unsupported(f"UPLO={UPLO!r}")  # NumPy's own error
        if UPLO == "U":  # the upper triangle is the lower one of the conjugate transpose (the backend's reads L)
            ga = _ga()
            x = ga.matrix_transpose(ga.conj(x) if x.dtype.kind == "c" else x)
        return getattr(_ga().linalg, name)(x)

    return impl


implements("linalg.eigh")(_hermitian("eigh"))
implements("linalg.eigvalsh")(_hermitian("eigvalsh"))


def _linalg(name: str) -> Callable:
    def impl(*args: Any, **kwargs: Any) -> Any:
        backend = _backend(*args)
        return getattr(_ga().linalg, name)(*(_arr(a, backend) if hasattr(a, "shape") or
                                             isinstance(a, (list, tuple)) else a for a in args), **kwargs)

    return impl


for _name in ("inv", "det", "slogdet", "solve", "pinv", "matrix_rank",
              "matrix_power", "svdvals", "matrix_transpose", "vecdot", "diagonal", "trace", "cross",
              "matrix_norm", "vector_norm", "tensordot", "matmul"):
    implements(f"linalg.{_name}")(_linalg(_name))


# fft ----------------------------------------------------------------------------------------------------------------
def _fft_input(name: str, a: Any) -> Array:
    # NumPy transforms real input with the complex transforms; the standard's take complex input only
    x = _arr(a)
    if str(x.dtype) == "float16":  # NumPy transforms half floats as float32
        x = x.astype("float32")
    if name in ("fft", "ifft", "fftn", "ifftn") and x.dtype.kind != "c":
        x = x.astype("complex64" if x.dtype == _ga().float32 else "complex128")
    return x


def _fft1(name: str) -> Callable:
    def impl(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
        fft = _ga().fft
        return handle_out(out, getattr(fft, name)(_fft_input(name, a), n=n, axis=axis, norm=norm or "backward"))

    return impl


def _fftn(name: str, default_axes: Any = None) -> Callable:
    def impl(a: Any, s: Any = None, axes: Any = default_axes, norm: Any = None, out: Any = None) -> Any:
        fft = _ga().fft
        return handle_out(out, getattr(fft, name)(_fft_input(name, a), s=s, axes=axes, norm=norm or "backward"))

    return impl


for _name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
    implements(f"fft.{_name}")(_fft1(_name))
for _name in ("fftn", "ifftn", "rfftn", "irfftn"):
    implements(f"fft.{_name}")(_fftn(_name))
for _name in ("fft2", "ifft2", "rfft2", "irfft2"):
    implements(f"fft.{_name}")(_fftn(_name.replace("2", "n"), (-2, -1)))


@implements("fft.fftshift")
def _fftshift(x: Any, axes: Any = None) -> Any:
    return _ga().fft.fftshift(_arr(x), axes=axes)


@implements("fft.ifftshift")
def _ifftshift(x: Any, axes: Any = None) -> Any:
    return _ga().fft.ifftshift(_arr(x), axes=axes)


del _name
