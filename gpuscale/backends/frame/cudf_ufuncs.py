"""NumPy ufuncs on cuDF partitions, where cuDF's ``__array_ufunc__`` differs from pandas' (read from cuDF 26.10,
enforced by the strict stand-in and checked against cuDF by ``make test-cudf``): ufuncs with keywords
(``np.add(s, 1, dtype="f4")``) are ``NotImplemented``, those CuPy lacks (``np.isnat``) fail
(:func:`ufunc_needs_host`, :func:`ufunc_on_host`), and a DataFrame's null masks leak into its later columns
(:func:`ufunc_spreads_nulls`, :func:`ufunc_by_column`). pandas partitions keep pandas' call.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import convert_library, is_dataframe_like, is_frame_like, library_of, namespace

__all__ = ["ufunc_on_host", "ufunc_needs_host", "ufunc_spreads_nulls", "ufunc_by_column", "CUPY_LACKS_UFUNCS"]


def _host(obj: Any) -> Any:
    from gpuscale.backends.convert import to_host

    return to_host(obj)


# NumPy ufuncs (not gufuncs) CuPy 14 has no function of: cuDF's __array_ufunc__ dispatches the others to CuPy
# and fails on these with AttributeError (checked against the pinned CuPy by the cuDF lane)
CUPY_LACKS_UFUNCS = frozenset({"isnat", "spacing"})


def ufunc_needs_host(ufunc: Any, args: tuple, kwargs: dict) -> bool:
    """Whether ``ufunc(*args, **kwargs)`` on partitions must run on the host: cuDF operands with keywords
    (cuDF's ``__array_ufunc__`` gives ``NotImplemented``) or a ufunc CuPy lacks (``np.isnat``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> ufunc_needs_host(np.isnat, (pd.Series([1]),), {})
    False
    """
    if not any(library_of(a) == "cudf" for a in args if is_frame_like(a)):
        return False
    return bool(kwargs) or ufunc.__name__ in CUPY_LACKS_UFUNCS


def ufunc_spreads_nulls(args: tuple) -> bool:
    """Whether cuDF's own ``ufunc(*args)`` would null values it should not: its DataFrame ``__array_ufunc__``
    ANDs the null masks of the columns it has done into every later column (cuDF 26.10's
    ``Frame._apply_cupy_ufunc_to_operands`` never resets its mask), so a cuDF DataFrame of several columns
    is computed column by column (:func:`ufunc_by_column`)."""
    return any(is_dataframe_like(a) and library_of(a) == "cudf" and len(a.columns) > 1 for a in args)


def ufunc_by_column(ufunc: Any, args: tuple) -> Any:
    """``ufunc(frame)`` (one operand, one output) one column at a time, the columns put back side by side, as
    pandas applies it block by block.  pandas computes other ufuncs of a frame on one 2-D array (a common
    dtype): those run on the host where a frame has a missing value, else as cuDF gives them."""
    if len(args) == 1 and ufunc.nout == 1:
        frame = args[0]
        return _columns_side_by_side([ufunc(frame.iloc[:, j]) for j in range(len(frame.columns))], frame)
    if any(is_dataframe_like(a) and bool(a.isna().any().any()) for a in args):
        return ufunc_on_host(ufunc, args, {})
    return ufunc(*args)


def _columns_side_by_side(columns: list, like: Any) -> Any:
    out = namespace(like).concat([c.rename(f"__ufunc_{j}") for j, c in enumerate(columns)], axis=1)
    out.columns = like.columns
    return out


def ufunc_on_host(ufunc: Any, args: tuple, kwargs: dict) -> Any:
    """``ufunc(*args, **kwargs)`` with cuDF operands copied to pandas and the result(s) copied back (pandas
    operands: pandas' call as it is): cuDF's
    ``__array_ufunc__`` takes only plain calls (no ``dtype=``, ``where=``, ``casting=`` ...).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> ufunc_on_host(np.add, (pd.Series([1, 2]), 1), {"dtype": "float32"}).dtype
    dtype('float32')
    """
    library = next((library_of(a) for a in args if is_frame_like(a)), "pandas")
    result = ufunc(*[_host(a) if is_frame_like(a) else a for a in args], **kwargs)
    if isinstance(result, tuple):
        return tuple(convert_library(r, library) if is_frame_like(r) else r for r in result)
    return convert_library(result, library) if is_frame_like(result) else result
