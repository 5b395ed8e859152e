"""NumPy gufuncs CuPy 14.2 lacks, written with functions CuPy has.

``np.matvec(a, v)`` / ``np.vecmat(v, a)`` on a gpuscale array reach ``xp_call("matvec", ...)`` through
``__array_ufunc__``; CuPy (and array_api_compat.cupy) have no ``matvec``/``vecmat``, so without these the
task fails on the GPU with ``AttributeError``.  Both are one ``matmul`` with a vector made a matrix, as NumPy
defines them (``vecmat`` conjugates the vector, ``matvec`` does not).  Checked on CPU against NumPy's own
by ``tests/cudf_lane/test_cupy_api.py`` (a namespace stand-in lacking the names).
"""

from __future__ import annotations

from typing import Any


def _matvec(xp: Any, a: Any, v: Any) -> Any:
    """NumPy's ``matvec``: ``a[..., i, j] * v[..., j]`` summed over ``j``."""
    return xp.matmul(a, v[..., None])[..., 0]


def _vecmat(xp: Any, v: Any, a: Any) -> Any:
    """NumPy's ``vecmat``: ``conj(v[..., i]) * a[..., i, j]`` summed over ``i``."""
    return xp.matmul(xp.conj(v)[..., None, :], a)[..., 0, :]


CUPY_GAPS = {"matvec": _matvec, "vecmat": _vecmat}
