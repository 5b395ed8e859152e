"""``gpuscale.array.lib``: NumPy's ``lib`` names that chunked-array users reach for (as ``dask.array.lib``)."""

from gpuscale.array.lib import stride_tricks

__all__ = ["stride_tricks"]
