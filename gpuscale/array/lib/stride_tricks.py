"""``gpuscale.array.lib.stride_tricks.sliding_window_view`` (as NumPy's and dask.array's)."""

from gpuscale.array.windows import sliding_window_view

__all__ = ["sliding_window_view"]
