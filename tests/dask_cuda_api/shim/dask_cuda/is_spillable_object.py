"""``dask_cuda.is_spillable_object``: dask-cuda's cuDF spill probes (cuDF spills itself under cuda_workers)."""

from ._internal import internal

is_spillable_object = internal("is_spillable_object", "is_spillable_object")
is_device_object = internal("is_spillable_object", "is_device_object")
