"""``dask_cuda.initialize``: the client-side UCX set-up is distributed-ucxx's in cuda_workers."""

from ._internal import internal

initialize = internal("initialize", "initialize")
dask_setup = internal("initialize", "dask_setup")
