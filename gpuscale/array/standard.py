"""gpuscale.array as the Array API standard specifies it: the namespace ``x.__array_namespace__()`` returns.

``gpuscale.array`` is both an Array API namespace and a port of ``dask.array``.  Where the two disagree on a
default, ``gpuscale.array`` follows dask.array, so code ported from dask by changing its import keeps its
results; Array API code that asks an array for its namespace (``array_api_compat.array_namespace(x)``,
SciPy, scikit-learn, xarray) gets the standard's defaults from this module.  The same split exists for dask
itself: ``dask.array`` and ``array_api_compat.dask.array``.

The differences:

* ``linalg.cholesky(x)``: the lower factor (dask.array: the upper one);
* ``linalg.svd(x)``: the full SVD, square ``u`` and ``vh`` (dask.array: the reduced one);
* ``meshgrid`` and ``broadcast_arrays`` return a list, as the 2024.12 standard says (dask.array and NumPy 2:
  a tuple).

Everything else is ``gpuscale.array``'s own object.

Examples
--------
>>> import numpy as np
>>> import gpuscale.array as ga
>>> x = ga.asarray(np.array([[4.0, 2.0], [2.0, 3.0]]))
>>> xp = x.__array_namespace__()
>>> xp.__name__
'gpuscale.array.standard'
>>> bool(ga.all(xp.linalg.cholesky(x) == ga.linalg.cholesky(x, upper=False)))
True
>>> xp.linalg.svd(ga.ones((3, 2))).U.shape, ga.linalg.svd(ga.ones((3, 2))).U.shape
((3, 3), (3, 2))
>>> type(xp.meshgrid(ga.arange(2), ga.arange(3))), type(ga.meshgrid(ga.arange(2), ga.arange(3)))
(<class 'list'>, <class 'tuple'>)
>>> xp.sum is ga.sum
True
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["linalg", "meshgrid", "broadcast_arrays"]


def _dask_array() -> Any:
    return importlib.import_module("gpuscale.array")


class _StandardLinalg:
    """``gpuscale.array.linalg`` with the standard's defaults for ``cholesky`` and ``svd``."""

    __name__ = "gpuscale.array.standard.linalg"

    @staticmethod
    def cholesky(x: Any, /, *, upper: bool = False) -> Any:
        """The standard's ``linalg.cholesky``: the lower factor unless ``upper`` (see gpuscale.array.linalg)."""
        return _dask_array().linalg.cholesky(x, upper=upper)

    @staticmethod
    def svd(x: Any, /, *, full_matrices: bool = True) -> Any:
        """The standard's ``linalg.svd``: the full SVD unless ``full_matrices=False`` (see gpuscale.array.linalg)."""
        return _dask_array().linalg.svd(x, full_matrices=full_matrices)

    def __getattr__(self, name: str) -> Any:
        return getattr(_dask_array().linalg, name)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(_dask_array().linalg)) | {"cholesky", "svd"})


linalg = _StandardLinalg()


def meshgrid(*arrays: Any, indexing: str = "xy") -> list:
    """The standard's ``meshgrid``: a list of arrays (see gpuscale.array.meshgrid)."""
    return list(_dask_array().meshgrid(*arrays, indexing=indexing))


def broadcast_arrays(*arrays: Any) -> list:
    """The standard's ``broadcast_arrays``: a list of arrays (see gpuscale.array.broadcast_arrays)."""
    return list(_dask_array().broadcast_arrays(*arrays))


def __getattr__(name: str) -> Any:
    return getattr(_dask_array(), name)


def __dir__() -> list[str]:
    return sorted(set(dir(_dask_array())) | set(__all__))
