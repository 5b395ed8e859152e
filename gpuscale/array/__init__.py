"""``gpuscale.array``: a lazy, chunked Array API namespace (standard 2024.12) over NumPy or CuPy chunks.

>>> import gpuscale.array as ga
>>> x = ga.arange(10, chunks=4)
>>> int(ga.sum(x * 2))
90

Array code written for NumPy runs on GPUs by creating arrays with
``backend="cupy"`` (or ``gpuscale.config.set(backend="gpu")``).  Dtypes are
NumPy dtype objects (``ga.float64 == numpy.float64``).  Importing this
package imports NumPy (through :mod:`gpuscale.backends`).
"""

from __future__ import annotations

import math as _math

from gpuscale.array import fft, linalg
from gpuscale.array import random
from gpuscale.array import ma
from gpuscale.array import stats
from gpuscale.array.chunk_types import register_chunk_type
from gpuscale.array.api import atop, blockwise, map_blocks, reduction
from gpuscale.array.storing import store, to_zarr
from gpuscale.array.npy_stack import from_npy_stack, to_npy_stack
from gpuscale.array.axiswise import apply_along_axis, reshape_blockwise
from gpuscale.array.core import Array
from gpuscale.array.creation import (arange, asarray, empty, empty_like, eye, from_array, from_dlpack, full,
                                     full_like, linspace, meshgrid, ones, ones_like, tril, triu, zeros, zeros_like)
from gpuscale.array.dtypes import DTYPES as _DTYPES
from gpuscale.array.dtypes import astype, can_cast, finfo, iinfo, isdtype, result_type
from gpuscale.array.elementwise import *  # noqa: F401,F403 - the element-wise functions of the standard
from gpuscale.array.elementwise import BINARY as _BINARY
from gpuscale.array.elementwise import UNARY as _UNARY
from gpuscale.array.elementwise import clip, round
from gpuscale.array.gufuncs import apply_gufunc, as_gufunc, gufunc
from gpuscale.array.histograms import bincount, digitize, histogram, histogram2d, histogram_bin_edges, histogramdd
from gpuscale.array.info import __array_namespace_info__
from gpuscale.array.indexing import take, take_along_axis
from gpuscale.array.linalg import matmul, matrix_transpose, tensordot, vecdot
from gpuscale.array.nanreductions import (nanargmax, nanargmin, nancumprod, nancumsum, nanmax, nanmean, nanmin,
                                           nanprod, nanstd, nansum, nanvar)
from gpuscale.array.manipulation import (broadcast_arrays, broadcast_to, concat, expand_dims, flip, moveaxis,
                                         permute_dims, rechunk, repeat, reshape, roll, squeeze, stack, tile, transpose,
                                         unstack)
from gpuscale.array.quantiles import median, nanmedian, nanpercentile, nanquantile, percentile, quantile
from gpuscale.array.searching import argmax, argmin, count_nonzero, nonzero, searchsorted, where
from gpuscale.array.sorting import (argsort, diff, sort, unique_all, unique_counts, unique_inverse, unique_values)
from gpuscale.array.statistical import (all, any, cumprod, cumsum, cumulative_prod, cumulative_sum, max, mean,
                                        min, prod, std, sum, var)
from gpuscale.array import lib
from gpuscale.array.einsum import einsum
from gpuscale.array.windows import pad, sliding_window_view
from gpuscale.array.zarr import from_zarr
from gpuscale.array.hdf5 import to_hdf5

__array_api_version__ = "2024.12"

bool = _DTYPES["bool"]  # noqa: A001
int8, int16, int32, int64 = (_DTYPES[n] for n in ("int8", "int16", "int32", "int64"))
uint8, uint16, uint32, uint64 = (_DTYPES[n] for n in ("uint8", "uint16", "uint32", "uint64"))
float32, float64 = _DTYPES["float32"], _DTYPES["float64"]
complex64, complex128 = _DTYPES["complex64"], _DTYPES["complex128"]

e, pi, inf, nan = _math.e, _math.pi, _math.inf, _math.nan
newaxis = None

__all__ = [
    "__array_api_version__", "__array_namespace_info__", "Array", "fft", "linalg", "random", "ma",
    "asarray", "from_array", "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like",
    "arange", "linspace", "eye", "meshgrid", "tril", "triu", "from_dlpack",
    *_UNARY, *_BINARY, "round", "clip", "matmul", "tensordot", "vecdot", "matrix_transpose",
    "take", "take_along_axis", "reshape", "concat", "stack", "expand_dims", "squeeze", "permute_dims", "flip",
    "roll", "broadcast_to", "broadcast_arrays", "moveaxis", "repeat", "tile", "unstack", "rechunk",
    "sum", "prod", "mean", "var", "std", "min", "max", "cumulative_sum", "cumulative_prod", "cumsum", "cumprod", "all", "any",
    "argmax", "argmin", "where", "nonzero", "searchsorted", "count_nonzero", "sort", "argsort",
    "unique_values", "unique_counts", "unique_inverse", "unique_all", "diff",
    "astype", "can_cast", "finfo", "iinfo", "isdtype", "result_type",
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
    "complex64", "complex128", "e", "pi", "inf", "nan", "newaxis",
    "map_blocks", "blockwise", "atop", "reduction", "store", "to_zarr", "from_zarr", "to_npy_stack", "from_npy_stack", "to_hdf5", "einsum", "pad", "register_chunk_type",
    "sliding_window_view",
    "nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmin", "nanmax", "nanargmin", "nanargmax", "nancumsum",
    "nancumprod", "histogram", "histogram_bin_edges", "histogram2d", "histogramdd", "bincount", "digitize", "apply_gufunc", "gufunc",
    "as_gufunc",
    "transpose", "quantile", "nanquantile", "percentile", "nanpercentile", "median", "nanmedian",
    "apply_along_axis", "reshape_blockwise",
]

# dask.array's NumPy-style names (issue #14)
from gpuscale.array import ufuncs as _ufuncs
from gpuscale.array.ufuncs import *  # noqa: F401,F403,E402

__all__ += _ufuncs.__all__
from gpuscale.array import comparison as _comparison, matrices as _matrices, stacking as _stacking  # noqa: E402
from gpuscale.array import splitting as _splitting  # noqa: E402
from gpuscale.array.comparison import *  # noqa: F401,F403,E402
from gpuscale.array.matrices import *  # noqa: F401,F403,E402
from gpuscale.array.stacking import *  # noqa: F401,F403,E402
from gpuscale.array.splitting import *  # noqa: F401,F403,E402

__all__ += _comparison.__all__ + _matrices.__all__ + _stacking.__all__ + _splitting.__all__
from gpuscale.array import selection as _selection  # noqa: E402
from gpuscale.array.selection import *  # noqa: F401,F403,E402

__all__ += _selection.__all__
from gpuscale.array import moments as _moments, overlap as _overlap  # noqa: E402
from gpuscale.array.moments import *  # noqa: F401,F403,E402
from gpuscale.array.overlap import coarsen, map_overlap, push  # noqa: E402

__all__ += _moments.__all__ + ["coarsen", "map_overlap", "push"]
from gpuscale.array import calculus as _calculus, interop as _interop, routines as _routines  # noqa: E402
from gpuscale.array import shuffling as _shuffling  # noqa: E402
from gpuscale.array.calculus import *  # noqa: F401,F403,E402
from gpuscale.array.interop import (PerformanceWarning, assert_eq, compute, from_delayed, optimize,  # noqa: E402
                                    unify_chunks)
from gpuscale.array.routines import *  # noqa: F401,F403,E402
from gpuscale.array.shuffling import *  # noqa: F401,F403,E402

euler_gamma = 0.5772156649015329
__all__ += ["assert_eq", "compute", "optimize", "from_delayed", "unify_chunks", "PerformanceWarning",
            "euler_gamma"] + _routines.__all__ + _calculus.__all__ + _shuffling.__all__

# xarray's dtype checks and map_blocks must know gpuscale arrays before xarray first looks up a chunk manager
# (xr.DataArray(ga_array).shift(...) reaches those checks first): gpuscale.xarray's shims, now or after xarray loads
from gpuscale.array import _xarray_hook  # noqa: E402

_xarray_hook.install()
