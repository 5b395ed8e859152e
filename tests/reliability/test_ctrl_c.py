"""Ctrl-C stops a threaded computation at once, even while a task runs for 30 s."""

from __future__ import annotations

import signal
import time

import pytest
from _subproc import Script

pytestmark = pytest.mark.timeout(120)

# Two 30 s tasks that can run at once: the threaded executor runs them on worker threads
# (a single task would run in the calling thread, where Ctrl-C interrupts the sleep).
COMPUTE = """
    import sys
    import time
    from gpuscale.runtime import get

    def nap(i):
        sys.stdout.write(f"started {i}\\n")  # one write: lines of two threads do not mix
        sys.stdout.flush()
        time.sleep(30)
        return i

    def compute():
        return get({("nap", i): (nap, i) for i in range(2)}, [("nap", 0), ("nap", 1)],
                   scheduler="threads", num_workers=2)
"""


@pytest.fixture
def script():
    scripts = []

    def start(code):
        scripts.append(Script(COMPUTE + code))
        return scripts[-1]

    yield start
    for s in scripts:
        s.kill()


def _interrupt_when_running(child):
    child.wait_for("started 0")
    child.wait_for("started 1")
    time.sleep(0.2)
    child.process.send_signal(signal.SIGINT)


def test_ctrl_c_ends_the_process_without_waiting_for_the_running_task(script):
    child = script("    compute()\n")
    _interrupt_when_running(child)
    seconds = child.exit_seconds()
    assert child.process.returncode == -signal.SIGINT, child.output()
    assert "KeyboardInterrupt" in child.output()
    assert seconds < 5, f"exited {seconds:.1f} s after Ctrl-C"


def test_caller_gets_keyboard_interrupt_promptly_and_exit_does_not_wait(script):
    child = script("""
    start = time.monotonic()
    try:
        compute()
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    """)
    _interrupt_when_running(child)
    sent = time.monotonic()
    child.wait_for("interrupted", timeout=60)
    raised = time.monotonic() - sent
    seconds = child.exit_seconds()
    assert child.process.returncode == 0, child.output()
    assert raised < 3, f"KeyboardInterrupt raised {raised:.1f} s after Ctrl-C"
    assert seconds < 3, f"the process took {seconds:.1f} s to exit: worker threads joined at exit?"


def test_second_ctrl_c_ends_the_process_at_once(script):
    # A long grace period for running tasks: only the second Ctrl-C can cut it short.
    child = script("""
    import gpuscale.runtime.threads as threads
    threads._GRACE_SECONDS = 60
    compute()
    """)
    _interrupt_when_running(child)
    time.sleep(0.5)
    child.process.send_signal(signal.SIGINT)
    seconds = child.exit_seconds()
    assert child.process.returncode == -signal.SIGINT, child.output()
    assert seconds < 5, f"exited {seconds:.1f} s after the second Ctrl-C"
