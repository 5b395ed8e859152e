"""The array suite runs with NumPy chunks, with array-api-strict chunks on its fake ``device1``, and with
CuPy chunks on a real GPU (marked ``gpu``: skipped without one).

array-api-strict refuses to convert ``device1`` arrays to NumPy, exactly as
CuPy refuses implicit device-to-host copies, so the second run proves that no
code path pulls chunks to the host unasked.  Results are compared with NumPy
after an explicit ``to_host``.
"""

from __future__ import annotations

import pytest

import gpuscale

BACKENDS = ["numpy", "array_api_strict", pytest.param("cupy", marks=pytest.mark.gpu)]


@pytest.fixture(params=BACKENDS, autouse=True)
def backend(request: pytest.FixtureRequest) -> str:
    """Every array test runs once per chunk library (the configured default backend)."""
    with gpuscale.config.set(backend=request.param, scheduler="sync"):
        yield request.param
