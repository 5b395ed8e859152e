"""``dask_cuda`` standing in for dask-cuda: its public names give cuda_workers' (a port by changing the import).

Used only by ``tests.dask_cuda_api.dask_cuda_suite``, with this folder on ``PYTHONPATH`` (so worker processes
import it too).  A dask-cuda name cuda_workers has no counterpart for raises ``NotImplementedError`` saying it is
a dask-cuda internal: a test using it tests dask-cuda's code, not cuda_workers'.
"""

from __future__ import annotations

import cuda_workers
from cuda_workers import CUDAWorker, LocalCUDACluster

from . import utils

__version__ = "26.10.0+cuda-workers"  # the dask-cuda release whose tests these are
__git_commit__ = ""

__all__ = ["CUDAWorker", "LocalCUDACluster", "cuda_workers", "utils"]
