"""NumPy's element-wise names that dask.array has besides the standard's: ``absolute``, ``fmod``, ``around`` ...

NumPy's spellings of standard functions are the standard functions themselves (``ga.absolute is
ga.abs``, ``arccos`` is ``acos``, ``power`` is ``pow``, ``invert`` and ``bitwise_not`` are
``bitwise_invert`` ...).  The functions NumPy has and the standard lacks (``fmod``, ``exp2``,
``cbrt``, ``deg2rad``, ``nan_to_num`` ...) call the chunk library's own function on each block
(NumPy's or CuPy's); on array-api-strict chunks they run an equivalent written with standard
functions (``gpuscale/backends/array/_ufuncs.py``).  ``frexp``, ``modf`` and ``divmod`` give two
arrays.

>>> import gpuscale.array as ga
>>> ga.absolute is ga.abs, ga.arccos is ga.acos, ga.power is ga.pow
(True, True, True)
>>> ga.fmod(ga.asarray([5, -5]), 3).compute().tolist()
[2, -2]

NumPy's ufunc keywords work on all of them (``where=``, ``dtype=``, ``casting=``, ``out=``), and so do
its ufunc attributes (``nin``, ``types`` ...) and ``outer``:

>>> ga.add(ga.asarray([1, 2, 3]), 10, where=ga.asarray([True, False, True])).compute().tolist()
[11, 0, 13]
>>> ga.multiply.outer(ga.asarray([1, 2]), ga.asarray([1, 10, 100])).compute().tolist()
[[1, 10, 100], [2, 20, 200]]
"""

from __future__ import annotations

import functools
import operator
import sys
from typing import Any

from gpuscale.array import elementwise as _ew
from gpuscale.array._operands import as_array, as_arrays
from gpuscale.array._ufunc_keywords import finish_outputs, with_ufunc_attributes
from gpuscale.array.core import Array
from gpuscale.array.protocols import implements
from gpuscale.backends import array as chunkfn

# NumPy's name -> the standard function it is
ALIASES = {
    "absolute": "abs", "arccos": "acos", "arccosh": "acosh", "arcsin": "asin", "arcsinh": "asinh",
    "arctan": "atan", "arctan2": "atan2", "arctanh": "atanh", "power": "pow", "true_divide": "divide",
    "invert": "bitwise_invert", "bitwise_not": "bitwise_invert", "left_shift": "bitwise_left_shift",
    "right_shift": "bitwise_right_shift", "mod": "remainder",
}
# NumPy functions outside the standard: name -> (arity, example input(s))
UNARY = {
    "fabs": [-1.5, 2.0], "rint": [1.5, 2.5], "exp2": [0.5, 3.0], "cbrt": [-8.0, 27.0], "sinc": [0.0, 0.5],
    "i0": [0.0, 1.0],
    "deg2rad": [90.0, 180.0], "radians": [90.0, 180.0], "rad2deg": [1.0, 3.0], "degrees": [1.0, 3.0],
    "spacing": [1.0, -1.0], "fix": [-2.5, 2.5], "isneginf": [-float("inf"), 1.0],
    "isposinf": [float("inf"), 1.0], "iscomplex": [1 + 1j, 2 + 0j], "isreal": [1 + 1j, 2 + 0j],
}
# NumPy functions among these that are not ufuncs: no ufunc keywords (out=, where=, dtype=)
NOT_UFUNCS = {"fix", "i0", "sinc", "isneginf", "isposinf", "iscomplex", "isreal"}
BINARY = {
    "fmax": ([1.0, float("nan")], [float("nan"), 2.0]), "fmin": ([1.0, float("nan")], [float("nan"), 2.0]),
    "fmod": ([5.0, -5.0], [3.0, 3.0]), "float_power": ([2, 3], [2, -1]), "logaddexp2": ([1.0, 2.0], [1.0, 3.0]),
    "ldexp": ([1.5, 3.0], [2, -1]),
}

__all__ = [*ALIASES, *UNARY, *BINARY, "angle", "nan_to_num", "around", "frexp", "modf", "divmod", "isnull",
           "notnull", "frompyfunc"]

_this = sys.modules[__name__]
for _name, _standard in ALIASES.items():
    setattr(_this, _name, getattr(_ew, _standard))


def _doc(name: str, arity: int, sample: Any) -> str:
    inputs = [sample] if arity == 1 else list(sample)
    literals = [repr(s).replace("nan", "math.nan").replace("inf", "math.inf") for s in inputs]
    args = ", ".join(f"ga.asarray({s})" for s in literals)
    np_args = ", ".join(f"np.asarray({s})" for s in literals)
    params = "x : Array\n    Input array." if arity == 1 else \
        "x1, x2 : Array or scalar\n    Inputs, broadcast together."
    if name not in NOT_UFUNCS:
        params += _ew.KEYWORDS_DOC
    return f"""Element-wise ``numpy.{name}``, lazily, block by block.

The chunk library's own ``{name}`` on NumPy and CuPy chunks, a standard-functions equivalent on
array-api-strict chunks; NumPy's own answer for NumPy inputs (as dask.array).

Parameters
----------
{params}

Returns
-------
Array
    NumPy's result dtype for the same inputs.

Examples
--------
>>> import math, numpy as np, gpuscale.array as ga
>>> out = ga.{name}({args})
>>> bool(np.allclose(out.compute(), np.{name}({np_args}), equal_nan=True))
True
"""


def _make(name: str, arity: int, sample: Any) -> Any:
    if name in NOT_UFUNCS:
        def func(x: Any, /) -> Array:
            return _ew.call_ufunc(name, (x,))
        implements(name)(func)  # np.isreal(x) ... on a gpuscale array: NumPy functions, not ufuncs
    elif arity == 1:
        def func(x: Any, /, out: Any = None, *, where: Any = True, dtype: Any = None, casting: str = "same_kind",
                 **kwargs: Any) -> Array:
            return _ew.call_ufunc(name, (x,), out, where, dtype, casting, **kwargs)
    else:
        def func(x1: Any, x2: Any, /, out: Any = None, *, where: Any = True, dtype: Any = None,
                 casting: str = "same_kind", **kwargs: Any) -> Array:
            return _ew.call_ufunc(name, (x1, x2), out, where, dtype, casting, **kwargs)
    func.__name__ = func.__qualname__ = name
    func.__module__ = __name__
    func.__doc__ = _doc(name, arity, sample)
    return func if name in NOT_UFUNCS else with_ufunc_attributes(func, name)


for _name, _sample in UNARY.items():
    setattr(_this, _name, _make(_name, 1, _sample))
for _name, _sample in BINARY.items():
    setattr(_this, _name, _make(_name, 2, _sample))


@implements("angle")
def angle(x: Any, deg: bool = False) -> Array:
    """The argument (phase angle) of complex numbers, element-wise, as ``numpy.angle``.

    Parameters
    ----------
    x : Array
        Complex or real input (a real number's angle is 0 or pi).
    deg : bool
        Degrees instead of radians.

    Returns
    -------
    Array
        Floating angles (NumPy's answer for a NumPy input, as dask.array).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.angle(ga.asarray([1j, -1 + 0j]), deg=True).compute().tolist()
    [90.0, 180.0]
    """
    return _ew.numpy_or_lazy("angle", x, deg=bool(deg))


@implements("nan_to_num")
def nan_to_num(x: Any, copy: bool = True, nan: float = 0.0, posinf: Any = None, neginf: Any = None) -> Array:
    """Replace NaN by ``nan`` and infinities by ``posinf``/``neginf`` (default: the dtype's largest
    finite numbers), as ``numpy.nan_to_num``.

    Parameters
    ----------
    x : Array
        Input; integers and booleans come back unchanged, complex numbers have their parts replaced.
    copy : bool
        Accepted for NumPy compatibility (the result is always a new lazy array).
    nan, posinf, neginf : float, optional
        The replacements.

    Returns
    -------
    Array
        Same dtype as ``x``.

    Examples
    --------
    >>> import math, gpuscale.array as ga
    >>> ga.nan_to_num(ga.asarray([math.nan, math.inf, 1.0]), posinf=9.0).compute().tolist()
    [0.0, 9.0, 1.0]
    """
    return _ew.numpy_or_lazy("nan_to_num", x, nan=nan, posinf=posinf, neginf=neginf)


@implements("round", "around")
def around(x: Any, decimals: int = 0, out: Any = None) -> Array:
    """Round to ``decimals`` decimal places (negative: to tens, hundreds ...), as ``numpy.around``.

    Halves round to even, as NumPy.  Integers are unchanged for ``decimals >= 0``.

    Parameters
    ----------
    x : Array
        Input.
    decimals : int
        Decimal places.
    out
        NumPy's ``out=``: a gpuscale array takes the result.

    Returns
    -------
    Array
        Same dtype as ``x`` (float16 for booleans, as NumPy).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.around(ga.asarray([1.234, 5.678]), 1).compute().tolist()
    [1.2, 5.7]
    >>> ga.around(ga.asarray([15, 25, 37]), -1).compute().tolist()
    [20, 20, 40]
    """
    from gpuscale.array.nanreductions import handle_out

    x = as_array(x)
    decimals = operator.index(decimals)  # NumPy's TypeError for 'a' or 1.5 (int() took '2' and cut 1.5)
    if x.dtype.kind == "b":  # NumPy rounds booleans to float16, and cannot scale them back to bool
        if decimals != 0:
            raise TypeError("Cannot cast ufunc 'multiply' output from dtype('float64') to dtype('bool') with "
                            f"casting rule 'same_kind' (round of booleans with decimals={decimals})")
        return handle_out(out, _ew.round(x.astype("float16")), "same_kind", "rint")
    integer = x.dtype.kind in "iu"
    if decimals >= 0 and integer:
        return handle_out(out, Array(x._expr), "same_kind", "rint")
    if decimals == 0:
        return handle_out(out, _ew.round(x), "same_kind", "rint")
    if x.dtype.kind == "c":  # each part on its own, as NumPy: scaling the complex number makes inf * 10 NaN
        from gpuscale.array.api import map_blocks

        rounded = map_blocks(chunkfn.complex_round_block, x, decimals, dtype=x.dtype)
        return handle_out(out, rounded, "same_kind", "rint")
    scale = 10.0 ** abs(decimals)
    y = x.astype("float64") if integer else x
    result = _ew.round(y * scale) / scale if decimals >= 0 else _ew.round(y / scale) * scale
    return handle_out(out, result.astype(x.dtype) if result.dtype != x.dtype else result, "same_kind", "rint")


def _two_outputs(name: str, *args: Any) -> tuple:
    from gpuscale.array.gufuncs import apply_gufunc
    from gpuscale.backends import array as chunkfn

    arrays = as_arrays(args)
    signature = ",".join(["()"] * len(arrays)) + "->(),()"
    # element-wise: blocks are aligned as for any element-wise function
    return apply_gufunc(functools.partial(chunkfn.xp_call, name), signature, *arrays, allow_rechunk=True)


def frexp(x: Any, /, out: Any = None, *, where: Any = True, casting: str = "same_kind") -> tuple:
    """Mantissas and exponents of 2, element-wise, as ``numpy.frexp``: ``x == m * 2**e``.

    Needs NumPy or CuPy chunks (array-api-strict raises ``NotImplementedError`` when computed).

    Parameters
    ----------
    x : Array
        Floating input.
    out : tuple of Array, optional
        NumPy's ufunc keyword: one gpuscale array (or None) per output, which takes that result.
    where : bool or Array, optional
        Compute only where true; elsewhere each result holds its ``out``'s values, or 0.
    casting : str
        The casts allowed into ``out``.

    Returns
    -------
    tuple of Array
        Mantissas (same dtype, magnitude in ``[0.5, 1)``) and exponents (int32).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> m, e = ga.frexp(ga.asarray([8.0, 0.75]))
    >>> m.compute().tolist(), e.compute().tolist()
    ([0.5, 0.75], [4, 0])
    """
    return finish_outputs("frexp", _two_outputs("frexp", x), out, where, casting)


def modf(x: Any, /, out: Any = None, *, where: Any = True, casting: str = "same_kind") -> tuple:
    """Fractional and whole parts, element-wise, as ``numpy.modf`` (both with the sign of ``x``).

    Parameters
    ----------
    x : Array
        Input.
    out : tuple of Array, optional
        NumPy's ufunc keyword: one gpuscale array (or None) per output, which takes that result.
    where : bool or Array, optional
        Compute only where true; elsewhere each result holds its ``out``'s values, or 0.
    casting : str
        The casts allowed into ``out``.

    Returns
    -------
    tuple of Array
        Fractional parts, whole parts (floating).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> f, w = ga.modf(ga.asarray([2.5, -1.25]))
    >>> f.compute().tolist(), w.compute().tolist()
    ([0.5, -0.25], [2.0, -1.0])
    """
    return finish_outputs("modf", _two_outputs("modf", x), out, where, casting)


def divmod(x1: Any, x2: Any, /, out: Any = None, *, where: Any = True,  # noqa: A001 - NumPy's name
           casting: str = "same_kind") -> tuple:
    """``(x1 // x2, x1 % x2)`` in one call, element-wise, as ``numpy.divmod``.

    Parameters
    ----------
    x1, x2 : Array or scalar
        Dividends and divisors, broadcast together.
    out : tuple of Array, optional
        NumPy's ufunc keyword: one gpuscale array (or None) per output, which takes that result.
    where : bool or Array, optional
        Compute only where true; elsewhere each result holds its ``out``'s values, or 0.
    casting : str
        The casts allowed into ``out``.

    Returns
    -------
    tuple of Array
        Floor quotients and remainders (with the divisor's sign).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> q, r = ga.divmod(ga.asarray([7, -7]), 3)
    >>> q.compute().tolist(), r.compute().tolist()
    ([2, -3], [1, 2])
    """
    return finish_outputs("divmod", _two_outputs("divmod", x1, x2), out, where, casting)


def isnull(values: Any) -> Array:
    """True where a value is missing (NaN), as ``dask.array.isnull`` for numeric arrays.

    Parameters
    ----------
    values : Array
        Input; integers and booleans have no missing values.

    Returns
    -------
    Array
        Booleans.

    Examples
    --------
    >>> import math, gpuscale.array as ga
    >>> ga.isnull(ga.asarray([1.0, math.nan])).compute().tolist()
    [False, True]
    >>> ga.notnull(ga.asarray([1, 2])).compute().tolist()
    [True, True]
    """
    x = as_array(values)
    if x.dtype.kind in "fc":
        return _ew.isnan(x)
    return _ew.not_equal(x, x)  # all False, in x's blocks


def notnull(values: Any) -> Array:
    """True where a value is present (not NaN): the negation of :func:`isnull`.

    Parameters
    ----------
    values : Array
        Input.

    Returns
    -------
    Array
        Booleans.

    Examples
    --------
    >>> import math, gpuscale.array as ga
    >>> ga.notnull(ga.asarray([1.0, math.nan])).compute().tolist()
    [True, False]
    """
    return _ew.logical_not(isnull(values))


def frompyfunc(func: Any, nin: int, nout: int) -> Any:
    """A ufunc calling the Python function ``func`` on each element, as ``dask.array.frompyfunc``.

    It is ``numpy.frompyfunc(func, nin, nout)``: on gpuscale arrays it runs lazily, block by block (NumPy's
    ufunc protocol), and gives object arrays; ``outer`` works too.  NumPy chunks only (CuPy has no objects).

    Parameters
    ----------
    func : callable
        Takes ``nin`` scalars, returns one value.
    nin : int
        Number of inputs.
    nout : int
        Number of outputs; only 1, as dask.

    Returns
    -------
    numpy.ufunc

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> join = ga.frompyfunc(lambda a, b: f"{a}-{b}", 2, 1)
    >>> join(ga.asarray([1, 2, 3], chunks=2), 0).compute().tolist()
    ['1-0', '2-0', '3-0']
    >>> join.outer(ga.asarray([1, 2]), ga.asarray([3, 4])).compute().tolist()
    [['1-3', '1-4'], ['2-3', '2-4']]
    """
    if nout > 1:
        raise NotImplementedError(f"frompyfunc with more than one output (nout={nout}), as dask.array")
    return chunkfn.python_ufunc(func, nin, nout)
