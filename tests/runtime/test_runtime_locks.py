"""``store(lock=True)`` holds one lock over every write, also across a cluster's worker processes (as dask's
``get_scheduler_lock``): each pickled copy of the old lock made a lock of its own, so on a cluster blocks that
share a Zarr chunk overwrote each other's rows (a distributed-cluster fuzzer's finding)."""

from __future__ import annotations

import pickle
import threading

import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.runtime.locks import NamedLock

distributed = pytest.importorskip("distributed")
zarr = pytest.importorskip("zarr")


def test_pickled_copies_are_one_lock_in_a_process():
    lock = NamedLock()
    copies = [pickle.loads(pickle.dumps(lock)) for _ in range(2)]
    with copies[0]:
        assert not lock.acquire(False) and not copies[1].acquire(False)
    assert copies[1].acquire(False)
    copies[1].release()


def test_locks_of_different_names_are_independent():
    first, second = NamedLock(), NamedLock()
    with first:
        assert second.acquire(False)
        second.release()


def test_threads_holding_copies_take_turns():
    lock, inside, overlaps = NamedLock(cluster=True), [], []

    def work():
        with pickle.loads(pickle.dumps(lock)):
            inside.append(1)
            overlaps.append(len(inside))
            threading.Event().wait(0.01)
            inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [1, 1, 1, 1]


def test_store_into_shared_zarr_chunks_on_a_cluster(cluster, tmp_path):
    data = np.random.default_rng(0).standard_normal((40, 30)).astype("f4")
    target = zarr.open(str(tmp_path / "t.zarr"), mode="w", shape=data.shape, chunks=(7, 7), dtype="f4")
    with distributed.Client(cluster):
        ga.store(ga.from_array(data, chunks=(1, 30)), target)  # rows of one block: parts of five Zarr chunks
    np.testing.assert_array_equal(zarr.open(str(tmp_path / "t.zarr"))[:], data)


def test_a_lock_on_a_worker_is_the_clusters(cluster):
    lock = NamedLock(cluster=True)

    def kind(lock):
        lock.acquire()
        lock.release()
        return type(lock._held).__module__.partition(".")[0]

    with distributed.Client(cluster) as client:
        assert client.submit(kind, lock).result() == "distributed"
    assert kind(lock) == "gpuscale"
