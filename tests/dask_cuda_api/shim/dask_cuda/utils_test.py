"""``dask_cuda.utils_test``: dask-cuda's test worker classes (test plumbing, not API)."""

from __future__ import annotations

import distributed
from distributed import Nanny, Worker


class MockWorker(Worker):
    """A Worker whose system monitor sees no GPU (dask-cuda's tests start more workers than the machine has GPUs)."""

    def __init__(self, *args, **kwargs):
        distributed.diagnostics.nvml.device_get_count = lambda: 0
        super().__init__(*args, **kwargs)


class IncreasedCloseTimeoutNanny(Nanny):
    """A Nanny given 30 s to close its worker."""

    async def close(self, timeout: float = 30.0, reason: str = "nanny-close"):
        return await super().close(timeout=timeout, reason=reason)
