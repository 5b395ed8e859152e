"""``dask_cuda.worker_spec``: cuda_workers plans workers with ``cuda_workers.spec.plan_workers`` instead."""

from ._internal import internal

worker_spec = internal("worker_spec", "worker_spec")
