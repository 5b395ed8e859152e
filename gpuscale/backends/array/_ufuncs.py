"""NumPy functions outside the Array API standard, for namespaces that lack them (array-api-strict).

``xp_call("fmod", a, b)`` calls the chunk library's own function where it has one (NumPy and CuPy
have all of these); a namespace without it (array-api-strict, a strict standard namespace) gets the
equivalent written here with standard functions only, so ``gpuscale.array.fmod`` runs on every
backend.  Results agree with NumPy's to rounding; dtypes follow NumPy's for the same inputs where the
namespace has them (array-api-strict has no float16: NumPy's float16 results are float32 there).
"""

from __future__ import annotations

import math
from typing import Any


def _kind(x: Any) -> str:
    from gpuscale.backends.array._core import numpy_dtype

    return numpy_dtype(x.dtype).kind if hasattr(x, "dtype") else \
        "b" if isinstance(x, bool) else "i" if isinstance(x, int) else "c" if isinstance(x, complex) else "f"


def _as_float(xp: Any, x: Any) -> Any:
    """``x`` as a floating array (integers and booleans become float64, as NumPy's ufuncs do)."""
    if not hasattr(x, "dtype"):
        return float(x) if not isinstance(x, complex) else x
    return x if _kind(x) in "fc" else xp.astype(x, xp.float64)


def _fabs(xp: Any, x: Any) -> Any:
    return xp.abs(_as_float(xp, x))


def _rint(xp: Any, x: Any) -> Any:
    return xp.round(_as_float(xp, x))  # NumPy's rint gives floats for integers


def _fmax(xp: Any, a: Any, b: Any) -> Any:
    out = xp.maximum(a, b)
    if _kind(out) not in "fc":
        return out
    return xp.where(xp.isnan(b), a, xp.where(xp.isnan(a), b, out))


def _fmin(xp: Any, a: Any, b: Any) -> Any:
    out = xp.minimum(a, b)
    if _kind(out) not in "fc":
        return out
    return xp.where(xp.isnan(b), a, xp.where(xp.isnan(a), b, out))


def _fmod(xp: Any, a: Any, b: Any) -> Any:
    # remainder takes the divisor's sign, fmod the dividend's: move a non-zero remainder of the other sign
    r = xp.remainder(a, b)
    wrong_sign = (r != 0) & ((r < 0) != (a < 0))
    return xp.where(wrong_sign, r - b, r)


def _float_power(xp: Any, a: Any, b: Any) -> Any:
    complex_ = _kind(a) == "c" or _kind(b) == "c"
    target = xp.complex128 if complex_ else xp.float64
    a = xp.astype(a, target) if hasattr(a, "dtype") else complex(a) if complex_ else float(a)
    b = xp.astype(b, target) if hasattr(b, "dtype") else complex(b) if complex_ else float(b)
    return xp.pow(a, b)  # both in the target dtype: strict promotion mixes no integers with floats


def _exp2(xp: Any, x: Any) -> Any:
    return xp.pow(2.0, _as_float(xp, x))


def _cbrt(xp: Any, x: Any) -> Any:
    x = _as_float(xp, x)
    root = xp.pow(xp.abs(x), 1.0 / 3.0)
    rounded = xp.round(root)
    root = xp.where(rounded * rounded * rounded == xp.abs(x), rounded, root)  # exact for perfect cubes
    return xp.copysign(root, x)


def _sinc(xp: Any, x: Any) -> Any:
    x = _as_float(xp, x)
    y = math.pi * xp.where(x == 0, xp.full_like(x, 1.0e-20), x)
    return xp.sin(y) / y


def _deg2rad(xp: Any, x: Any) -> Any:
    return _as_float(xp, x) * (math.pi / 180.0)


def _rad2deg(xp: Any, x: Any) -> Any:
    return _as_float(xp, x) * (180.0 / math.pi)


def _logaddexp2(xp: Any, a: Any, b: Any) -> Any:
    ln2 = math.log(2.0)
    return xp.logaddexp(_as_float(xp, a) * ln2, _as_float(xp, b) * ln2) / ln2


def _ldexp(xp: Any, x: Any, i: Any) -> Any:
    return _as_float(xp, x) * xp.pow(2.0, _as_float(xp, i))


def _spacing(xp: Any, x: Any) -> Any:
    x = _as_float(xp, x)
    away = xp.where(x < 0, xp.full_like(x, -math.inf), xp.full_like(x, math.inf))  # -0.0 steps up, as NumPy
    return xp.nextafter(x, away) - x


def _fix(xp: Any, x: Any) -> Any:
    return xp.trunc(x) if _kind(x) == "f" else x


def _isposinf(xp: Any, x: Any) -> Any:
    return xp.isinf(x) & ~xp.signbit(x) if _kind(x) == "f" else xp.zeros_like(x, dtype=xp.bool)


def _isneginf(xp: Any, x: Any) -> Any:
    return xp.isinf(x) & xp.signbit(x) if _kind(x) == "f" else xp.zeros_like(x, dtype=xp.bool)


def _iscomplex(xp: Any, x: Any) -> Any:
    return xp.imag(x) != 0 if _kind(x) == "c" else xp.zeros_like(x, dtype=xp.bool)


def _isreal(xp: Any, x: Any) -> Any:
    return xp.imag(x) == 0 if _kind(x) == "c" else xp.ones_like(x, dtype=xp.bool)


def _angle(xp: Any, z: Any, deg: bool = False) -> Any:
    if _kind(z) == "c":
        out = xp.atan2(xp.imag(z), xp.real(z))
    else:
        z = _as_float(xp, z)
        out = xp.atan2(xp.zeros_like(z), z)
    return out * (180.0 / math.pi) if deg else out


def _nan_to_num(xp: Any, x: Any, copy: bool = True, nan: float = 0.0, posinf: Any = None,
                neginf: Any = None) -> Any:
    kind = _kind(x)
    if kind == "c":
        real = _nan_to_num(xp, xp.real(x), nan=nan, posinf=posinf, neginf=neginf)
        imag = _nan_to_num(xp, xp.imag(x), nan=nan, posinf=posinf, neginf=neginf)
        return real + imag * xp.full_like(x, 1j)
    if kind != "f":
        return x
    big = xp.finfo(x.dtype).max
    out = xp.where(xp.isnan(x), xp.full_like(x, nan), x)
    out = xp.where(_isposinf(xp, x), xp.full_like(x, big if posinf is None else posinf), out)
    return xp.where(_isneginf(xp, x), xp.full_like(x, -big if neginf is None else neginf), out)


def _modf(xp: Any, x: Any) -> tuple:
    x = _as_float(xp, x)
    whole = xp.trunc(x)
    fraction = xp.copysign(xp.where(xp.isinf(x), xp.zeros_like(x), x - whole), x)  # -0.0 for -1.0, as NumPy
    return fraction, whole


def _divmod(xp: Any, a: Any, b: Any) -> tuple:
    from gpuscale.backends.array._core import xp_call

    return xp_call("floor_divide", a, b), xp.remainder(a, b)


def _i0(xp: Any, x: Any) -> Any:
    raise NotImplementedError("i0 (the modified Bessel function) needs NumPy or CuPy chunks: the "
                              f"namespace {xp.__name__} has no i0")


def _frexp(xp: Any, x: Any) -> Any:
    raise NotImplementedError(f"frexp needs NumPy or CuPy chunks: the namespace {xp.__name__} has no frexp")


def numpy_ufunc(name: str) -> Any:
    """NumPy's ufunc called ``name`` (``numpy.add``: its ``nin``, ``types``, ``outer`` ...), or None if NumPy
    has no ufunc of that name."""
    import numpy as np

    func = getattr(np, name, None)
    return func if isinstance(func, np.ufunc) else None


def python_ufunc(func: Any, nin: int, nout: int) -> Any:
    """``numpy.frompyfunc(func, nin, nout)``: a ufunc of object arrays calling ``func`` on each element."""
    import numpy as np

    return np.frompyfunc(func, nin, nout)


def ufunc_loop(name: str, operands: list, dtype: Any, casting: str) -> Any:
    """NumPy's loop for ``numpy.<name>(*operands, dtype=dtype, casting=casting)``: the dtypes the inputs are cast
    to and the outputs', or None if NumPy has no ufunc ``name``.

    ``operands`` holds the dtypes of array inputs and the Python types (``int``, ``float`` ...) of scalars;
    a combination NumPy has no loop for raises its ``TypeError``.
    """
    import numpy as np

    ufunc = numpy_ufunc(name)
    if ufunc is None:
        return None
    operands = tuple(np.dtype(bool) if o is bool else o for o in operands) + (None,) * ufunc.nout
    signature = (None,) * ufunc.nin + (np.dtype(dtype),) * ufunc.nout
    loop = ufunc.resolve_dtypes(operands, signature=signature, casting=casting)
    return loop[:ufunc.nin], loop[ufunc.nin:]


def _matvec(xp: Any, a: Any, v: Any) -> Any:
    """NumPy's ``matvec`` (a gufunc CuPy 14 lacks): ``a[..., i, j] * v[..., j]`` summed over ``j``."""
    return xp.matmul(a, v[..., None])[..., 0]


def _vecmat(xp: Any, v: Any, a: Any) -> Any:
    """NumPy's ``vecmat`` (CuPy 14 lacks it): ``conj(v[..., i]) * a[..., i, j]`` summed over ``i``."""
    return xp.matmul(xp.conj(v)[..., None, :], a)[..., 0, :]


FALLBACKS = {
    "fabs": _fabs, "rint": _rint, "fmax": _fmax, "fmin": _fmin, "fmod": _fmod, "float_power": _float_power,
    "exp2": _exp2,
    "cbrt": _cbrt, "sinc": _sinc, "deg2rad": _deg2rad, "radians": _deg2rad, "rad2deg": _rad2deg,
    "degrees": _rad2deg, "logaddexp2": _logaddexp2, "ldexp": _ldexp, "spacing": _spacing, "fix": _fix,
    "isposinf": _isposinf, "isneginf": _isneginf, "iscomplex": _iscomplex, "isreal": _isreal, "angle": _angle,
    "nan_to_num": _nan_to_num, "modf": _modf, "divmod": _divmod, "i0": _i0, "frexp": _frexp,
    "matvec": _matvec, "vecmat": _vecmat,
}
