"""Reliability catalogue (docs/reliability.md), interrupts and signals: real processes signalled while they write
parquet, spill, or start a cluster. Each test holds one catalogue entry."""

from __future__ import annotations

import glob
import os
import signal
import time

import pandas as pd
import psutil
import pytest
from _subproc import Script

import gpuscale.dataframe as gd

pytestmark = pytest.mark.timeout(120)

# Writes 4 partitions; the partitions from row 50 on wait 30 s inside their write task.
SLOW_WRITE = """
    import sys, time
    import pandas as pd
    import gpuscale.dataframe as gd

    def slow(part):
        if part.i.iloc[0] >= 50:
            print("writing", flush=True)
            time.sleep(30)
        return part

    frame = pd.DataFrame({"i": range(100)})
    df = gd.from_pandas(frame, npartitions=4).map_partitions(slow, meta=frame.iloc[:0])
    df.to_parquet(TARGET)
"""


@pytest.fixture
def started():
    children = []

    def start(code, env=None):
        children.append(Script(code, env=env))
        return children[-1]

    yield start
    for child in children:
        child.kill()


def _writer(started, target) -> Script:
    child = started(SLOW_WRITE.replace("TARGET", repr(str(target))))
    child.wait_for("writing")
    time.sleep(0.3)
    return child


def test_ctrl_c_during_to_parquet_stops_at_once_and_leaves_nothing(started, tmp_path):
    child = _writer(started, tmp_path / "out")
    child.process.send_signal(signal.SIGINT)
    seconds = child.exit_seconds()
    assert child.process.returncode == -signal.SIGINT and "KeyboardInterrupt" in child.output(), child.output()
    assert seconds < 5, f"exited {seconds:.1f} s after Ctrl-C"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_to_parquet_leaves_nothing_after_the_next_write(started, tmp_path, signum):
    child = _writer(started, tmp_path / "out")
    child.process.send_signal(signum)
    seconds = child.exit_seconds()
    assert child.process.returncode == -signum, child.output()  # SIGTERM still ends it as SIGTERM does
    assert not (tmp_path / "out").exists()  # the target itself is untouched
    if signum == signal.SIGTERM:  # the write's clean-up ran: nothing is left, at once
        assert seconds < 5, f"exited {seconds:.1f} s after SIGTERM"
        assert os.listdir(tmp_path) == [], child.output()
    else:  # nothing runs in a SIGKILLed process: its temporary folder and lock stay until the next write
        assert glob.glob(str(tmp_path / "out.tmp-*")) and glob.glob(str(tmp_path / ".out.tmp-*.lock"))
    gd.from_pandas(pd.DataFrame({"i": range(10)}), npartitions=2).to_parquet(str(tmp_path / "out"))
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_the_next_write_keeps_the_temporary_folder_of_a_live_writer(started, tmp_path):
    child = _writer(started, tmp_path / "out")  # alive, writing into out.tmp-<token>
    live = glob.glob(str(tmp_path / "out.tmp-*"))
    gd.from_pandas(pd.DataFrame({"i": range(10)}), npartitions=2).to_parquet(str(tmp_path / "out"))
    assert live and glob.glob(str(tmp_path / "out.tmp-*")) == live
    assert child.process.poll() is None


SPILLING = """
    import time
    from gpuscale.runtime import get

    def wait(*blocks):
        print("spilled", flush=True)
        time.sleep(60)

    graph = {("block", i): (bytes, 100_000) for i in range(3)}
    graph["wait"] = (wait, *list(graph))
    get(graph, "wait", scheduler="sync", memory_limit=1, spill_dir=SPILL_DIR)
"""


def test_sigterm_while_spilling_removes_the_spill_folder(started, tmp_path):
    # (SIGTERM ended the process at once and left the folder to the next run; timeout, docker stop and Slurm send
    # it) the spilling computation unwinds through its clean-up, then ends by SIGTERM
    child = started(SPILLING.replace("SPILL_DIR", repr(str(tmp_path))))
    child.wait_for("spilled")
    child.process.send_signal(signal.SIGTERM)
    child.exit_seconds()
    assert child.process.returncode == -signal.SIGTERM
    assert os.listdir(tmp_path) == []


CLUSTER_START = """
    from cuda_workers import LocalCUDACluster

    if __name__ == "__main__":
        print("starting", flush=True)
        try:
            LocalCUDACluster(n_workers=2, local_directory=FOLDER, dashboard_address=None)
        except KeyboardInterrupt:
            print("caught KeyboardInterrupt", flush=True)
"""


@pytest.mark.xfail(strict=True, reason="defect (unclear error): after Ctrl-C during LocalCUDACluster start-up the "
                   "caller gets KeyboardInterrupt and no worker is left, but at exit distributed's close_clusters "
                   "prints 'Exception ignored in atexit callback ... AssertionError: Status.init'. Tried: dropping "
                   "the cluster from close_clusters leaves the workers' start tasks failing unread ('Task exception "
                   "was never retrieved ... Nanny failed to start'); closing it in the background races their start")
def test_ctrl_c_during_cluster_start_up(started, tmp_path):
    child = started(CLUSTER_START.replace("FOLDER", repr(str(tmp_path))), env={"CUDA_VISIBLE_DEVICES": ""})
    child.wait_for("starting")
    time.sleep(0.6)
    workers = psutil.Process(child.process.pid).children(recursive=True)
    child.process.send_signal(signal.SIGINT)
    seconds = child.exit_seconds()
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"processes left behind: {alive}"
    assert "caught KeyboardInterrupt" in child.output(), child.output()
    assert seconds < 15 and os.listdir(tmp_path) == []
    assert "Traceback" not in child.output(), child.output()
