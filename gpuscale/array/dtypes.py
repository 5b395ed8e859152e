"""Data types and data type functions: ``astype``, ``can_cast``, ``finfo``, ``iinfo``, ``isdtype``, ``result_type``.

``ga.float64`` etc. are :class:`DType` objects: thin wrappers of NumPy dtypes
(CuPy uses NumPy's dtypes too) that NumPy and CuPy accept anywhere a dtype is
expected (through their ``.dtype`` attribute) and that compare equal to the
NumPy dtype, type or name, but, unlike NumPy dtypes, never to ``None``.
array-api-strict chunks get their own dtypes at the chunk level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gpuscale.array._operands import as_array
from gpuscale.array.core import Array, is_array, zero_d_like
from gpuscale.array.expr import blockwise_expr
from gpuscale.backends import array as chunkfn

__all__ = ["astype", "can_cast", "finfo", "iinfo", "isdtype", "result_type", "DTYPES", "DType", "wrap"]



class DType:
    """An Array API data type wrapping a NumPy dtype (``ga.float64 == numpy.float64``)."""

    __slots__ = ("_np_dtype",)

    def __init__(self, np_dtype: Any) -> None:
        self._np_dtype = np_dtype

    @property
    def dtype(self) -> Any:
        """The NumPy dtype (lets NumPy and CuPy accept this object as ``dtype=``)."""
        return self._np_dtype

    def __getattr__(self, name: str) -> Any:  # name, kind, itemsize, char, type, ...
        return getattr(self._np_dtype, name)

    def __eq__(self, other: Any) -> bool:
        if other is None:  # NumPy says dtype("float64") == None; the standard's dtypes must not
            return False
        try:
            return self._np_dtype == chunkfn.numpy_dtype(other)
        except Exception:  # not dtype-like (NumPy raises TypeError, ValueError, ...)
            return False

    def __hash__(self) -> int:
        # the scalar type's hash: ``numpy.isdtype`` (which xarray calls on any array's dtype) looks dtypes up
        # in a set of scalar types; NumPy dtypes equal their scalar types but hash apart, so either choice
        # leaves one of the two out of hashed lookups, and NumPy's own kind checks need this one
        return hash(self._np_dtype.type)

    # the special methods of numpy.dtype that __getattr__ cannot lend (Python looks them up on the class):
    # dask.array's x.dtype is a numpy.dtype, and code written for it takes len(), fields by name, ordering
    def __len__(self) -> int:
        return len(self._np_dtype)  # the number of fields: 0 but for records

    def __bool__(self) -> bool:
        return True  # as NumPy's (not its length)

    def __getitem__(self, key: Any) -> Any:
        return self._np_dtype[key]  # a record's field, by name or position

    def __lt__(self, other: Any) -> bool:
        return self._np_dtype < _as_numpy(other)  # NumPy's: safely cast to, and not the same

    def __le__(self, other: Any) -> bool:
        return self._np_dtype <= _as_numpy(other)

    def __gt__(self, other: Any) -> bool:
        return self._np_dtype > _as_numpy(other)

    def __ge__(self, other: Any) -> bool:
        return self._np_dtype >= _as_numpy(other)

    def __repr__(self) -> str:
        return f"gpuscale.array.{self._np_dtype.name}"

    def __str__(self) -> str:
        # NumPy's text: the fields of a record dtype, the width of a string dtype (its name says neither)
        return str(self._np_dtype)

    def __reduce__(self) -> tuple:
        return wrap, (self._np_dtype,)  # the NumPy dtype itself: names do not tell strings or records apart

    def __gpuscale_tokenize__(self) -> str:
        return self._np_dtype.name


def _as_numpy(other: Any) -> Any:
    return other._np_dtype if isinstance(other, DType) else other


DTYPES = {name: DType(d) for name, d in chunkfn.dtypes().items()}


# NumPy's other dtypes beside the standard's: NumPy chunks can hold them, for what moves and compares elements:
# datetime64 / timedelta64 (xarray's time coordinates, see docs/xarray.md), object, strings, float16 ...
_OTHER_DTYPES: dict = {}


def wrap(dtype: Any) -> DType:
    """The :class:`DType` for any dtype-like value (NumPy/strict dtype, name, DType)."""
    np_dtype = chunkfn.numpy_dtype(dtype)
    known = DTYPES.get(np_dtype.name)
    if known is not None:
        return known
    return _OTHER_DTYPES.setdefault(np_dtype, DType(np_dtype))


@dataclass(frozen=True)
class finfo_object:  # noqa: N801 - the standard's name
    """Machine limits of a floating-point dtype."""

    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: Any


@dataclass(frozen=True)
class iinfo_object:  # noqa: N801
    """Machine limits of an integer dtype."""

    bits: int
    max: int
    min: int
    dtype: Any


def _dtype_of(obj: Any) -> Any:
    return obj.dtype if is_array(obj) else chunkfn.numpy_dtype(obj)


def astype(x: Array, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Array:
    """Cast ``x`` to ``dtype``, element-wise (C casting rules: floats to integers truncate).

    Parameters
    ----------
    x : Array
        Input.
    dtype : dtype or str
        Target dtype.
    copy : bool
        Return a new array even when the dtype is already ``dtype``; with False, ``x`` itself then.
    device : optional
        Move the result to this device (``Array.to_device``).

    Returns
    -------
    Array
        Of ``dtype``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([1.7, -2.2], chunks=1)
    >>> y = ga.astype(x, ga.int32)
    >>> y.compute().tolist(), str(y.dtype)
    ([1, -2], 'int32')
    """
    x = as_array(x)  # a NumPy array too: xarray casts its in-memory operands with the namespace's astype
    dtype = chunkfn.cast_dtype(x.dtype, dtype)  # str -> <U32 of floats, as NumPy (a <U0 would truncate)
    out = x
    if dtype != x.dtype:
        ind = tuple(range(x.ndim))
        out = Array(blockwise_expr(chunkfn.astype, ind, x.chunks, dtype, x.backend, x._expr, dtype,
                                   arg_inds=(ind, None)))
    elif copy:
        out = Array(x._expr)
    if device is not None:
        out = out.to_device(device)
    return zero_d_like(x, out)


def can_cast(from_: Any, to: Any, /) -> bool:
    """True if ``from_`` casts to ``to`` without loss, by the standard's promotion lattice.

    Parameters
    ----------
    from_ : dtype or Array
        Source dtype (or an array's).
    to : dtype
        Target dtype.

    Returns
    -------
    bool

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.can_cast(ga.int8, ga.int32), ga.can_cast(ga.float64, ga.int64)
    (True, False)
    >>> ga.can_cast(ga.asarray([1], dtype=ga.int16), ga.float32)
    True
    """
    return bool(chunkfn.dtype_function("can_cast", _dtype_of(from_), chunkfn.numpy_dtype(to)))


def finfo(type: Any, /) -> finfo_object:  # noqa: A002
    """Limits of a floating-point dtype, as Python floats.

    Parameters
    ----------
    type : dtype or Array
        A floating (or complex) dtype, or an array of one.

    Returns
    -------
    finfo_object
        ``bits``, ``eps``, ``max``, ``min``, ``smallest_normal`` and ``dtype``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> f = ga.finfo(ga.float32)
    >>> f.bits, f.eps, f.max
    (32, 1.1920928955078125e-07, 3.4028234663852886e+38)
    """
    info = chunkfn.dtype_function("finfo", _dtype_of(type))
    return finfo_object(int(info.bits), float(info.eps), float(info.max), float(info.min),
                        float(info.smallest_normal), wrap(info.dtype))


def iinfo(type: Any, /) -> iinfo_object:  # noqa: A002
    """Limits of an integer dtype, as Python ints.

    Parameters
    ----------
    type : dtype or Array
        An integer dtype, or an array of one.

    Returns
    -------
    iinfo_object
        ``bits``, ``max``, ``min`` and ``dtype``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> i = ga.iinfo(ga.int8)
    >>> i.bits, i.min, i.max
    (8, -128, 127)
    """
    info = chunkfn.dtype_function("iinfo", _dtype_of(type))
    return iinfo_object(int(info.bits), int(info.max), int(info.min), wrap(info.dtype))


def isdtype(dtype: Any, kind: Any) -> bool:
    """True if ``dtype`` is of ``kind``.

    Parameters
    ----------
    dtype : dtype
        The dtype to test (not an array).
    kind : dtype, str or tuple
        A dtype, one of the standard's kind names (``"bool"``, ``"signed integer"``, ``"unsigned integer"``,
        ``"integral"``, ``"real floating"``, ``"complex floating"``, ``"numeric"``) or a tuple of them (any matches).

    Returns
    -------
    bool

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.isdtype(ga.float32, "real floating"), ga.isdtype(ga.int64, ("integral", ga.bool))
    (True, True)
    >>> ga.isdtype(ga.complex64, "real floating")
    False
    """
    if is_array(dtype) or not hasattr(dtype, "kind"):
        raise TypeError(f"isdtype: expected a dtype, got {type(dtype).__name__}")
    kinds = tuple(k if isinstance(k, str) else chunkfn.numpy_dtype(k) for k in kind) if isinstance(kind, tuple) \
        else kind if isinstance(kind, str) else chunkfn.numpy_dtype(kind)
    return bool(chunkfn.dtype_function("isdtype", chunkfn.numpy_dtype(dtype), kinds))


def result_type(*arrays_and_dtypes: Any) -> Any:
    """The dtype type promotion gives for these arrays, dtypes and Python scalars.

    Parameters
    ----------
    *arrays_and_dtypes : Array, dtype or Python scalar
        Python scalars take the kind of their value and the precision of the arrays (the standard's rule);
        Python scalars alone give NumPy's default dtypes (``int64``, ``float64``), as NumPy and dask.

    Returns
    -------
    dtype

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.result_type(ga.int8, ga.float32), ga.result_type(ga.uint8, ga.int8)
    (gpuscale.array.float32, gpuscale.array.int16)
    >>> ga.result_type(ga.asarray([1], dtype=ga.int32), 2.5)
    gpuscale.array.float64
    """
    if not arrays_and_dtypes:
        raise ValueError("at least one array or dtype is required")
    # NumPy scalars and arrays (numpy.float64(1.0), what xarray hands in as fill values) carry their dtype
    args = [a.dtype if is_array(a) or _carries_dtype(a) else a for a in arrays_and_dtypes]
    args = [a if isinstance(a, (bool, int, float, complex)) else chunkfn.numpy_dtype(a) for a in args]
    return wrap(chunkfn.dtype_function("result_type", *args))


def _carries_dtype(obj: Any) -> bool:
    # a scalar type (numpy.float32) has ``dtype``/``shape`` descriptors too: it is a dtype, not a value
    return (type(obj) not in (bool, int, float, complex) and not isinstance(obj, type) and hasattr(obj, "dtype")
            and hasattr(obj, "shape"))
