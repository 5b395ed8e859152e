"""dask-cuda's own tests run against cuda_workers (``python -m tests.dask_cuda_api.dask_cuda_suite``)."""
