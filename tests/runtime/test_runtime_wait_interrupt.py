"""Ctrl-C while the local runtime's caller waits is always ``KeyboardInterrupt``: arriving while
``Event.wait`` takes its condition's lock back, CPython leaves the lock unheld and the ``with`` block raises
``RuntimeError: release unlocked lock`` in its place (seen once in a CI run of test_ctrl_c)."""

from __future__ import annotations

import pytest

from gpuscale.runtime import threads


class _InterruptedInLockRestore:
    def wait(self, timeout):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("release unlocked lock")


class _OtherError:
    def wait(self, timeout):
        raise RuntimeError("something else")


def test_the_interrupt_is_raised_not_the_lock_error():
    with pytest.raises(KeyboardInterrupt):
        threads._interruptible_wait(_InterruptedInLockRestore())


def test_other_runtime_errors_pass_through():
    with pytest.raises(RuntimeError, match="something else"):
        threads._interruptible_wait(_OtherError())


def test_a_plain_wait_says_whether_the_event_is_set():
    import threading

    done = threading.Event()
    assert threads._interruptible_wait(done) is False
    done.set()
    assert threads._interruptible_wait(done) is True
