"""Linear algebra: ``matmul``, ``tensordot``, ``vecdot``, ``matrix_transpose`` and the ``linalg`` extension.

``matmul`` is blockwise with a contraction over the shared dimension.
``qr`` of a tall-and-skinny matrix (one block of columns) is the chunked
TSQR algorithm; ``svd(full_matrices=False)`` builds on it.  The other
extension functions (``solve``, ``inv``, ``det``, ``eigh``, ...) gather their
input into one block: they are meant for small matrices (documented).
"""

from __future__ import annotations

# the package's modules, by concern: _products (matmul, tensordot ...: blockwise), _factorizations (qr, svd by
# TSQR; cholesky, eigh ...), _solvers (solve, inv, pinv, matrix_power), _measures (norms, det, rank, trace) and
# _gather (running xp.linalg on a whole matrix in one task, which most of them do)
from gpuscale.array.core import Array  # as dask.array.linalg's namespace (da.linalg.Array)
from gpuscale.array.linalg._factorizations import (EighResult, QRResult, SVDResult, cholesky, eigh, eigvalsh, qr,
                                                   svd, svdvals)
from gpuscale.array.linalg._measures import (SlogdetResult, det, diagonal, matrix_norm, matrix_rank, slogdet, trace,
                                             vector_norm)
from gpuscale.array.linalg._products import cross, matmul, matrix_transpose, outer, tensordot, vecdot
from gpuscale.array.linalg._solvers import inv, matrix_power, pinv, solve

__all__ = ["matmul", "tensordot", "vecdot", "matrix_transpose", "outer", "qr", "svd", "svdvals", "solve", "inv",
           "det", "slogdet", "cholesky", "eigh", "eigvalsh", "diagonal", "trace", "matrix_norm", "vector_norm",
           "matrix_power", "matrix_rank", "pinv", "cross"]

# dask.array.linalg's functions besides the standard's (gpuscale/array/linalg_extras.py)
from gpuscale.array import linalg_extras as _extras  # noqa: E402
from gpuscale.array.linalg_extras import *  # noqa: E402,F401,F403

__all__ += _extras.__all__
