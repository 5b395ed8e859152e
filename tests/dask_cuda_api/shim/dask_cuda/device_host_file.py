"""``dask_cuda.device_host_file``: cuda_workers' device -> host -> disk store."""

from cuda_workers.spill import DeviceHostDiskStore as DeviceHostFile  # noqa: F401

from ._internal import internal

device_to_host = internal("device_host_file", "device_to_host")
host_to_device = internal("device_host_file", "host_to_device")
