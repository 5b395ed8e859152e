"""The end-to-end demo behind ``gpuscale demo`` (``make demo``).

An application built on gpuscale: it generates a taxi-trips-like parquet dataset
(once, cached), runs an ETL pipeline with :mod:`gpuscale.dataframe` and an array
analysis with :mod:`gpuscale.array` on a ``LocalCUDACluster`` (CPU workers without a
GPU) or the local runtime, and times the same pipeline in pandas/NumPy.  Unlike the
library core, this package imports NumPy, pandas and pyarrow directly.
"""

from __future__ import annotations

__all__ = ["DemoOptions", "run_demo"]


def __getattr__(name: str):
    if name in __all__:
        from gpuscale.demo import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'gpuscale.demo' has no attribute {name!r}")
