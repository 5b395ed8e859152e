"""``config.set`` as a statement (global) and as a ``with`` block (local to its thread): interleaved and
concurrent blocks never leak values, and a plain set inside a block acts as dask's."""

from __future__ import annotations

import threading

from gpuscale import config


def test_sets_made_first_and_entered_nested_restore_the_default():
    before = config.get("num_workers")
    a = config.set(num_workers=2)  # global until entered
    b = config.set(num_workers=3)
    assert config.get("num_workers") == 3
    with a:
        assert config.get("num_workers") == 2
        with b:
            assert config.get("num_workers") == 3
        assert config.get("num_workers") == 2
    assert config.get("num_workers") == before
    assert "num_workers" not in config._values


def test_interleaved_undo_of_plain_sets_never_restores_a_stale_value():
    a = config.set(num_workers=2)
    b = config.set(num_workers=3)
    a.__exit__(None, None, None)  # undone out of order: b's value stays until b is undone
    assert config.get("num_workers") == 3
    b.__exit__(None, None, None)
    assert config.get("num_workers") is None


def test_concurrent_with_blocks_leave_no_global_value():
    def work(n):
        for _ in range(300):
            with config.set(num_workers=n):
                assert config.get("num_workers") == n

    threads = [threading.Thread(target=work, args=(n,)) for n in (1, 2, 3, 4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert config.get("num_workers") is None and "num_workers" not in config._values


def test_a_thread_that_sets_nothing_only_ever_sees_the_default():
    seen, stop = set(), threading.Event()

    def observer():
        while not stop.is_set():
            seen.add(config.get("num_workers"))

    def worker(n):
        for _ in range(1000):
            with config.set(num_workers=n):
                pass

    watching = threading.Thread(target=observer)
    watching.start()
    workers = [threading.Thread(target=worker, args=(n,)) for n in (2, 3, 4)]
    [w.start() for w in workers]
    [w.join() for w in workers]
    stop.set()
    watching.join()
    assert seen == {None}


def test_a_plain_set_inside_a_block_counts_in_the_block_and_ends_with_it_as_dask():
    with config.set(num_workers=2):
        config.set(num_workers=3)
        assert config.get("num_workers") == 3
    assert config.get("num_workers") is None  # dask: the value from before the block
    with config.set(num_workers=2):
        outside = config.set(optimize=False)  # an option the block did not set: global, as in dask
    try:
        assert config.get("optimize") is False
    finally:
        outside.__exit__(None, None, None)
    assert "optimize" not in config._values
