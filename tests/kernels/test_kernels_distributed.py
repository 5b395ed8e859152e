"""Kernels shipped to real worker processes compile once per process, not once per chunk."""

import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga

distributed = pytest.importorskip("distributed")


def _compile_counts():
    from gpuscale.kernels import _cache

    return {f"{name}/{target}": n for (name, target), n in _cache.compile_counts.items()}


def test_compiled_once_per_worker_process():
    offset = 0.5  # a closure: the kernel travels by value, as one written in a notebook would

    @gpuscale.vectorize("float64(float64, float64)")
    def shifted_product(x, y):
        return x * y + offset

    x = np.arange(400.0)
    a = ga.from_array(x, chunks=25)  # 16 chunks
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0",
                                  worker_class=distributed.Nanny) as cluster, distributed.Client(cluster) as client:
        result = gpuscale.compute(shifted_product(a, a), scheduler=client)[0]
        np.testing.assert_allclose(result, x * x + offset)
        counts = list(client.run(_compile_counts).values())[0]
    assert counts == {"test_compiled_once_per_worker_process.<locals>.shifted_product/cpu": 1}
