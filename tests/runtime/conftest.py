"""Fixtures shared by the runtime tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def cluster():
    """A distributed cluster of two single-threaded worker processes, one per test module."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster
