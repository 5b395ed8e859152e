"""dask-cuda names that cuda_workers has no counterpart for."""

from __future__ import annotations


def internal(module: str, name: str):
    """A stand-in that fails when called: ``module.name`` is a dask-cuda internal."""

    def fails(*args, **kwargs):
        raise NotImplementedError(f"dask_cuda.{module}.{name} is a dask-cuda internal (cuda_workers has no "
                                  f"counterpart)")

    fails.__name__ = name
    return fails
