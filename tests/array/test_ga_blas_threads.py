"""Block products run with one BLAS thread on runtime worker threads, and BLAS's setting is restored after."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.backends import to_host
from gpuscale.backends.array import _algorithms, _blas

threadpoolctl = pytest.importorskip("threadpoolctl")


def _blas_threads() -> set:
    return {lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"}


def _in_thread(func) -> list:
    seen: list = []
    thread = threading.Thread(target=lambda: seen.append(func()))
    thread.start()
    thread.join()
    return seen


def _inside_limit() -> set:
    with _blas.single_threaded_blas():
        return _blas_threads()


def test_worker_thread_limits_blas_and_restores() -> None:
    before = _blas_threads()
    assert _in_thread(_inside_limit) == [{1}]
    assert _blas_threads() == before
    assert not _blas.blas_limit_active()


def test_main_thread_keeps_blas_threads() -> None:
    before = _blas_threads()
    assert _inside_limit() == before


def test_limit_is_held_until_the_last_product_ends() -> None:
    before = _blas_threads()
    first_in, second_done, seen = threading.Event(), threading.Event(), {}

    def first() -> None:
        with _blas.single_threaded_blas():
            first_in.set()
            second_done.wait(10)
            seen["first"] = _blas_threads()  # the second product's exit must not lift the limit

    def second() -> None:
        first_in.wait(10)
        with _blas.single_threaded_blas():
            pass
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen["first"] == {1}
    assert _blas_threads() == before


@pytest.mark.parametrize("chunks", [(32, 32), (64, 64)])
def test_threaded_matmul_matches_numpy_and_restores_blas(chunks: tuple, monkeypatch) -> None:
    seen = []
    original = _algorithms._sum_of_products

    def recording(a_blocks: list, b_blocks: list, out=None):
        seen.append(_blas.blas_limit_active())
        return original(a_blocks, b_blocks, out)

    monkeypatch.setattr(_algorithms, "_sum_of_products", recording)
    rng = np.random.default_rng(0)
    a, b = rng.random((64, 96)), rng.random((96, 64))
    before = _blas_threads()
    x, y = ga.from_array(a, chunks=(chunks[0], 32)), ga.from_array(b, chunks=(32, chunks[1]))
    result = (x @ y).compute(scheduler="threads", num_workers=2)
    np.testing.assert_allclose(np.asarray(to_host(result)), a @ b)
    assert _blas_threads() == before
    several_blocks = chunks == (32, 32)
    assert seen == [several_blocks] * len(seen) and len(seen) == (4 if several_blocks else 1)


def test_threaded_tensordot_matches_numpy_and_restores_blas() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.random((40, 6, 5)), rng.random((5, 6, 30))
    before = _blas_threads()
    x, y = ga.from_array(a, chunks=(20, 3, 5)), ga.from_array(b, chunks=(5, 6, 10))
    result = ga.tensordot(x, y, axes=([1, 2], [1, 0])).compute(scheduler="threads", num_workers=2)
    np.testing.assert_allclose(np.asarray(to_host(result)), np.tensordot(a, b, axes=([1, 2], [1, 0])))
    assert _blas_threads() == before
