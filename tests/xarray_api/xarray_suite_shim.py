"""A pytest plugin that runs xarray's own test modules with gpuscale as the chunked array type (for ``xarray_suite``).

Loaded with ``-p tests.xarray_api.xarray_suite_shim``, it makes gpuscale xarray's default chunk manager
(``xr.set_options(chunk_manager="gpuscale")``: ``.chunk()``, ``open_dataset(chunks=)`` and the rest make
gpuscale arrays), and hands the names through which xarray's tests build and recognise dask arrays
(``xarray.tests.dask_array_api``, ``dask_array_type``) gpuscale's: ``da.from_array`` in a test makes a gpuscale
array and ``isinstance(x, dask_array_type)`` asks for one.  ``raise_if_dask_computes`` counts gpuscale's
computes (the runtime's ``get``) instead of dask's scheduler calls, so laziness checks check gpuscale.  A test
that imports ``dask.array`` itself gets dask's (xarray's own dask manager needs the real module), as do tests
of dask's graphs and scheduler config.  ``--no-shim`` runs the same tests on xarray + dask (the baseline).

Per-test outcomes, failure messages and the per-test time limit are the dask suite's
(:mod:`tests.dask_api.dask_suite_shim`'s hooks, re-exported here).
"""

from __future__ import annotations

import contextlib

import pytest

from tests.dask_api.dask_suite_shim import (  # noqa: F401  (pytest finds hooks by name in this module)
    pytest_addoption,
    pytest_collectreport,
    pytest_runtest_call,
    pytest_runtest_logreport,
    pytest_runtest_makereport,
    pytest_sessionfinish,
)


@contextlib.contextmanager
def raise_if_gpuscale_computes(max_computes: int = 0):
    """Raise ``RuntimeError("Too many computes ...")`` when gpuscale computes more than ``max_computes`` times."""
    import gpuscale.collection as collection

    real = collection._runtime_get
    total = 0

    def counting_get(*args, **kwargs):
        nonlocal total
        total += 1
        if total > max_computes:
            raise RuntimeError(f"Too many computes. Total: {total} > max: {max_computes}.")
        return real(*args, **kwargs)

    collection._runtime_get = counting_get
    try:
        yield
    finally:
        collection._runtime_get = real


def _install() -> None:
    import xarray as xr
    import xarray.tests as xt

    import gpuscale.array as ga

    xr.set_options(chunk_manager="gpuscale")  # not as a context: for the whole session
    xt.dask_array_api = ga
    xt.dask_array_type = ga.Array
    xt.raise_if_dask_computes = raise_if_gpuscale_computes


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--no-shim"):
        _install()
