"""A pytest plugin recording the outcomes of dask-cuda's tests run against cuda_workers (``dask_cuda_suite``).

The ``dask_cuda`` package those tests import is ``tests/dask_cuda_api/shim/dask_cuda`` (on ``PYTHONPATH``, so
worker processes import it too); this plugin only records, with the dask suite's bookkeeping.
"""

from __future__ import annotations

from tests.dask_api.dask_suite_shim import (  # noqa: F401  (pytest finds hooks by name in this module)
    pytest_addoption,
    pytest_collectreport,
    pytest_runtest_call,
    pytest_runtest_logreport,
    pytest_runtest_makereport,
    pytest_sessionfinish,
)
