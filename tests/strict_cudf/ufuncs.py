"""cuDF's NumPy ufuncs on a DataFrame with nulls, emulated on pandas results.

``Frame._apply_cupy_ufunc_to_operands`` (cuDF 26.10) runs the ufunc column by column with CuPy and ANDs the
validity masks of the operands into one ``mask`` that it never resets between columns: every column after
one with nulls also gets that column's nulls (``np.sqrt(df)`` is null in column ``b`` where ``a`` is).
cuDF's ``from_pandas`` makes NaN null, so here a missing value spreads to the columns after it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def after_ufunc(inputs: tuple, result: Any) -> Any:
    """``result`` (pandas, or a tuple of them) of a ufunc whose operands (pandas) were ``inputs``."""
    frames = [i for i in inputs if isinstance(i, pd.DataFrame)]
    if not frames:
        return result
    if isinstance(result, tuple):
        return tuple(_spread(frames, r) for r in result)
    return _spread(frames, result)


def _spread(frames: list, result: Any) -> Any:
    if not isinstance(result, pd.DataFrame) or result.shape[1] < 2:
        return result
    out = result.copy()
    valid = None
    for position, label in enumerate(out.columns):
        for frame in frames:
            if label in frame.columns and frame[label].isna().any():
                present = frame[label].notna().reindex(out.index, fill_value=False)
                valid = present if valid is None else valid & present
        if valid is not None:
            out.iloc[:, position] = out.iloc[:, position].where(valid)
    return out
