"""``dask_cuda.plugins``: cuda_workers' worker plugins of the same names."""

from cuda_workers.plugins import CPUAffinity, CudfSpill, PreImport, RMMSetup  # noqa: F401
