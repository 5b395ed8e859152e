"""Suite-wide fixtures: every test runs on the CPU backends unless it asks for another (so that on a
GPU machine ``backend="auto"`` never silently turns a CPU comparison into a GPU one; the GPU legs are
explicit and marked ``gpu``), and GPU tests skip cleanly on machines without a usable GPU."""

from __future__ import annotations

import os

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


@pytest.fixture(autouse=True)
def _cpu_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default backend is "cpu" (through its environment variable, so that ``config.set`` and
    tests of the variable itself still take precedence); suites with backend legs set their own."""
    if "GPUSCALE_BACKEND" not in os.environ:
        monkeypatch.setenv("GPUSCALE_BACKEND", "cpu")
