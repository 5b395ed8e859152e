"""Chunk-level functions for ``gpuscale.array``: the only array code that names a library.

Every function here receives chunks (NumPy, CuPy or array-api-strict arrays)
and asks them for their namespace (``xp = namespace(*chunks)``), so one code
path serves all chunk libraries.  The graph layer refers to namespace
functions by *name* (``xp_call("sin", chunk)``), which keeps task graphs small,
picklable and deterministic to tokenize.

Dtypes at the collection level are NumPy dtype objects (what CuPy uses too);
:func:`xp_dtype` translates them for array-api-strict chunks.
"""

from __future__ import annotations

from gpuscale.backends.array._core import (  # noqa: F401
    DTYPE_NAMES, DEVICES, module_for, dtypes, numpy_dtype, cast_dtype, xp_dtype, namespace, library_of, device_of,
    python_scalar_type, meta, Meta, meta_call, result_type, dtype_function, complex_dtype_of, real_dtype_of,
    xp_call, xp_call_checked, astype, identity, block_shape, concat_nested, pick, call_with_array_kwargs,
    call_with_block_id, call_with_block_info, unknown_length,
)
from gpuscale.backends.callables import call_with_keywords_last  # noqa: F401
from gpuscale.backends.array._creation import (  # noqa: F401
    create, create_like, check_dtype_of_backend, holds_dtype, arange_dtype, check_arange_ends, writable, arange_block, linspace_dtype, linspace_block, eye_block, triangle_block,
    module_call, fft_freq, to_backend,
    from_host, from_host_of_shape, owned_copy, is_array_subclass, embeds_whole,
    asarray_eager, element_of, host_array, random_block, random_dtype, RANDOM_DISTRIBUTIONS, seed_from,
)
from gpuscale.backends.array._padding import linear_ramp, pad_lines  # noqa: F401
from gpuscale.backends.array._indexing import (  # noqa: F401
    getitem, boolean_mask, take_nd, take_along_axis, range_in_block, local_slice, setitem_block, setitem,
    store_block, numeric_value,
)
from gpuscale.backends.array._reductions import (  # noqa: F401
    UserReduction, reduce_chunk, reduce_combine, reduce_aggregate, cumulative_block, last_along,
)
from gpuscale.backends.array._result import (  # noqa: F401
    result_buffer, write_into, into_result, LazyResult, result_array,
)
from gpuscale.backends.array._sparse import ResultSparse, is_sparse, sparse_concat  # noqa: F401
from gpuscale.backends.array._npy import (  # noqa: F401
    save_npy, load_npy, load_stack_block, write_stack_info, read_stack_info,
)
from gpuscale.backends.array._gufunc import Vectorized  # noqa: F401
from gpuscale.backends.array._points import (  # noqa: F401
    vindex_points, plan_points, gather_points, gather_along, host_index, is_full_range, mask_positions,
    take_in_block, join_taken, mask_ranks,
)
from gpuscale.backends.array._histogram import (  # noqa: F401
    histogram_edges, host_edges, is_host_data, monotonic_direction, diff_host, bincount_any, histogram_block,
    histogramdd_block, bincount_block, bincount_sum, digitize_block,
)
from gpuscale.backends.array._algorithms import (  # noqa: F401
    nonzero_block, searchsorted_blocks, sort_block, uniform_step, diff_block, matmul_blocks, tsqr_block,
    tensordot_block, stack_r_and_qr, tsqr_q_block,
)
from gpuscale.backends.array._unique import (  # noqa: F401
    unique_part, unique_block, unique_combine, unique_inverse_block,
)
from gpuscale.backends.array._along import (  # noqa: F401
    ORDER_STATISTICS, quantile_q, order_statistic_block, along_axis_block, along_axis_meta, reshape_block,
    diag_block, complex_round_block,
)
from gpuscale.backends.array._routines import (  # noqa: F401
    isin_block, choose_block, piecewise_block, topk_block, argtopk_partial, argtopk_values, argtopk_final,
    coarsen_block, join_along, edge_slice, repeat_edge, constant_edge, trim_block, ffill_block, ffill_carry,
    argwhere_block, checked_range, object_grid, view_block,
)
from gpuscale.backends.array._decompositions import lu_block, solve_triangular_block  # noqa: F401
from gpuscale.backends.array._ufuncs import numpy_ufunc, python_ufunc, ufunc_loop  # noqa: F401
from gpuscale.backends.array._masked import (  # noqa: F401
    is_masked, is_no_mask, mask_error, check_masked_backend, masked_call, masked_block, with_fill_value, checked_fill_value, count_block,
    fill_value_like, sum_counts, masked_result, ResultMask,
)

__all__ = [
    "DTYPE_NAMES", "DEVICES", "module_for", "dtypes", "numpy_dtype", "cast_dtype", "xp_dtype", "namespace", "library_of",
    "device_of", "python_scalar_type", "meta", "Meta", "meta_call", "result_type", "dtype_function", "unknown_length",
    "complex_dtype_of", "real_dtype_of", "xp_call", "xp_call_checked", "astype", "identity", "block_shape",
    "concat_nested", "pick", "call_with_array_kwargs", "call_with_block_id", "call_with_block_info", "call_with_keywords_last", "create", "create_like", "check_dtype_of_backend", "holds_dtype", "arange_dtype", "check_arange_ends",
    "writable", "uniform_step", "arange_block", "linear_ramp", "pad_lines",
    "linspace_dtype", "linspace_block", "eye_block", "triangle_block", "module_call", "fft_freq", "to_backend", "from_host", "from_host_of_shape",
    "asarray_eager", "element_of", "host_array", "random_block", "random_dtype", "RANDOM_DISTRIBUTIONS", "getitem",
    "boolean_mask", "take_nd", "take_along_axis",
    "range_in_block", "local_slice", "setitem_block", "setitem", "store_block", "numeric_value", "UserReduction",
    "reduce_chunk", "reduce_combine", "reduce_aggregate", "cumulative_block", "last_along", "nonzero_block",
    "searchsorted_blocks", "sort_block", "unique_part", "unique_block", "unique_combine",
    "unique_inverse_block", "diff_block", "matmul_blocks", "tsqr_block",
    "tensordot_block", "stack_r_and_qr", "tsqr_q_block", "result_buffer", "write_into", "into_result", "LazyResult",
    "result_array", "ResultSparse", "is_sparse", "sparse_concat",
    "save_npy", "load_npy", "load_stack_block", "write_stack_info", "read_stack_info",
    "histogram_edges", "host_edges", "is_host_data", "monotonic_direction", "diff_host", "bincount_any",
    "histogram_block", "histogramdd_block", "bincount_block", "bincount_sum", "digitize_block", "Vectorized",
    "vindex_points", "plan_points", "gather_points", "gather_along", "host_index", "is_full_range",
    "mask_positions", "take_in_block", "join_taken", "mask_ranks", "ORDER_STATISTICS", "quantile_q",
    "order_statistic_block",
    "along_axis_block", "along_axis_meta", "reshape_block", "isin_block", "choose_block", "piecewise_block",
    "topk_block", "argtopk_partial", "argtopk_values", "argtopk_final", "coarsen_block", "join_along", "edge_slice",
    "repeat_edge", "constant_edge", "trim_block", "ffill_block", "ffill_carry", "argwhere_block",
    "checked_range", "object_grid", "view_block", "lu_block", "solve_triangular_block", "numpy_ufunc",
    "python_ufunc", "ufunc_loop", "is_masked", "is_no_mask", "mask_error", "check_masked_backend", "masked_call", "masked_block", "with_fill_value",
    "fill_value_like", "checked_fill_value", "count_block", "sum_counts", "masked_result", "ResultMask",
]
