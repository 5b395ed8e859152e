"""``sigterm_unwinds``: SIGTERM raises inside the block so clean-ups run, and the process still ends by SIGTERM;
a handler of the application's own is left alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from gpuscale.runtime.sigterm import sigterm_unwinds

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
ROOT = Path(__file__).resolve().parents[2]


def test_sigterm_in_the_block_runs_the_clean_up_then_ends_the_process_by_sigterm():
    code = textwrap.dedent("""
        import os, signal
        from gpuscale.runtime.sigterm import sigterm_unwinds

        with sigterm_unwinds():
            try:
                os.kill(os.getpid(), signal.SIGTERM)
            finally:
                print("cleaned up", flush=True)
        print("still running")
    """)
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == -signal.SIGTERM and run.stdout == "cleaned up\n", (run.stdout, run.stderr)


def test_a_handler_of_the_application_is_kept():
    received = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    try:
        with sigterm_unwinds():
            os.kill(os.getpid(), signal.SIGTERM)
        assert received == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_the_default_handler_is_back_after_the_block_and_other_threads_change_nothing():
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    with sigterm_unwinds():
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    seen = []

    def in_a_thread():
        with sigterm_unwinds():
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert seen == [signal.SIG_DFL]
