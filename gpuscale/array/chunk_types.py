"""Array types gpuscale arrays take in as data, as ``dask.array.register_chunk_type``: operators, NumPy
ufuncs and NumPy functions meeting a gpuscale array and an object of a registered type handle it
(converting it with ``__array__``) instead of deferring to it, so the result is a gpuscale array.

NumPy's own types (and scalars) are always taken in; a type that wraps gpuscale arrays (an "upcast" type,
as xarray's) is left unregistered, so that it handles the mix.
"""

from __future__ import annotations

from typing import Any

__all__ = ["register_chunk_type", "is_valid_chunk_type", "is_valid_array_chunk"]

_REGISTERED: list[type] = []


def register_chunk_type(type: type) -> None:  # noqa: A002 - dask's parameter name
    """Register ``type`` as data gpuscale arrays take in (a "downcast" type), as
    ``dask.array.register_chunk_type``.

    Parameters
    ----------
    type : type
        An array-like class with ``__array__`` (it is converted to a NumPy array where it meets a gpuscale
        array).

    Returns
    -------
    None

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> class Wrapped(np.lib.mixins.NDArrayOperatorsMixin):
    ...     __array_priority__ = 20
    ...     def __init__(self, arr):
    ...         self.arr = arr
    ...     def __array__(self, dtype=None, copy=None):
    ...         return np.asarray(self.arr, dtype=dtype)
    ...     def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
    ...         return NotImplemented
    >>> ga.register_chunk_type(Wrapped)
    >>> y = ga.ones(3, chunks=2) + Wrapped(np.arange(3.0))
    >>> type(y).__name__, y.compute().tolist()
    ('Array', [1.0, 2.0, 3.0])
    """
    if type not in _REGISTERED:
        _REGISTERED.append(type)


def is_registered(obj_or_type: Any) -> bool:
    """Whether an object (or a type) is of a type given to :func:`register_chunk_type`."""
    cls = obj_or_type if isinstance(obj_or_type, type) else type(obj_or_type)
    return bool(_REGISTERED) and issubclass(cls, tuple(_REGISTERED))


def is_valid_chunk_type(type: type) -> bool:  # noqa: A002 - dask's parameter name
    """Whether blocks of class ``type`` can be a gpuscale array's chunks, as
    ``dask.array.chunk_types.is_valid_chunk_type``: the array classes of NumPy (masked arrays too), CuPy and
    array-api-strict, and types given to :func:`register_chunk_type`; not scalars, nor gpuscale arrays.

    Parameters
    ----------
    type : type
        The class.

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> from gpuscale.array.chunk_types import is_valid_chunk_type
    >>> is_valid_chunk_type(np.ndarray), is_valid_chunk_type(float), is_valid_chunk_type(ga.Array)
    (True, False, False)
    """
    from gpuscale.backends.array import _sources

    return _sources.is_chunk_type(type) or is_registered(type)


def is_valid_array_chunk(array: Any) -> bool:
    """Whether ``array`` can be a chunk of a gpuscale array (None too), as
    ``dask.array.chunk_types.is_valid_array_chunk``: see :func:`is_valid_chunk_type`.

    Parameters
    ----------
    array : object
        The candidate block.

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> from gpuscale.array.chunk_types import is_valid_array_chunk
    >>> is_valid_array_chunk(np.arange(3)), is_valid_array_chunk(None), is_valid_array_chunk(0.5)
    (True, True, False)
    """
    return array is None or is_valid_chunk_type(type(array))
