"""Suite-wide fixtures: GPU tests skip cleanly on machines without a usable GPU."""

from __future__ import annotations

import pytest


def _gpu_available() -> bool:
    from gpuscale.backends import available

    status = available()
    return status["cupy"].ok or status["cudf"].ok


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _gpu_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA GPU (none usable on this machine)")
    for item in items:
        if item.get_closest_marker("gpu") is not None:
            item.add_marker(skip)
