"""Spill folders and private cluster folders of a SIGKILLed process are removed by the next start,
never those of a live process."""

from __future__ import annotations

import glob
import os
import signal
import socket
import subprocess
import sys

import psutil
import pytest
from _subproc import ROOT, Script

from gpuscale.runtime import get

pytestmark = pytest.mark.timeout(180)

# Spills (memory_limit=1 byte) and then waits inside a task, its spill folder in use.
SPILLING = """
    import sys, time
    from gpuscale.runtime import get

    def wait(*blocks):
        print("spilled", flush=True)
        time.sleep(120)

    graph = {("block", i): (bytes, 100_000) for i in range(3)}
    graph["wait"] = (wait, *list(graph))
    get(graph, "wait", scheduler="sync", memory_limit=1, spill_dir=sys.argv[1] if len(sys.argv) > 1 else None)
"""


def spill_folders(parent) -> list[str]:
    return glob.glob(os.path.join(parent, "gpuscale-spill-*"))


def spilling_child(spill_dir, env=None) -> Script:
    child = Script(SPILLING.replace("sys.argv[1] if len(sys.argv) > 1 else None", repr(spill_dir)), env=env)
    child.wait_for("spilled")
    return child


def spill_once(spill_dir=None):
    graph = {"a": (bytes, 10_000), "b": (len, "a")}
    assert get(graph, "b", scheduler="sync", memory_limit=1, spill_dir=spill_dir) == 10_000


def kill(child: Script) -> None:
    child.process.send_signal(signal.SIGKILL)
    child.process.wait(30)


def test_next_start_removes_the_spill_folder_of_a_killed_process(tmp_path):
    child = spilling_child(str(tmp_path))
    [folder] = spill_folders(tmp_path)
    assert len(os.listdir(folder)) == 3  # the spilled blocks
    kill(child)
    assert spill_folders(tmp_path) == [folder]  # SIGKILL ran no clean-up
    spill_once(str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_the_spill_folder_of_a_live_process_is_kept(tmp_path):
    child = spilling_child(str(tmp_path))
    try:
        [folder] = spill_folders(tmp_path)
        spill_once(str(tmp_path))
        assert spill_folders(tmp_path) == [folder] and len(os.listdir(folder)) == 3
    finally:
        kill(child)
    spill_once(str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_stale_folders_in_the_default_temp_folder(tmp_path, monkeypatch):
    import tempfile

    child = spilling_child(None, env={"TMPDIR": str(tmp_path)})
    assert len(spill_folders(tmp_path)) == 1
    kill(child)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    spill_once()
    assert os.listdir(tmp_path) == []


def test_next_cuda_worker_removes_the_private_folder_of_a_killed_cluster(tmp_path):
    child = Script(f"""
        from cuda_workers import LocalCUDACluster
        cluster = LocalCUDACluster(n_workers=1, local_directory={str(tmp_path)!r}, dashboard_address=None)
        print("ready", flush=True)
        import time; time.sleep(120)
    """, env={"CUDA_VISIBLE_DEVICES": ""})
    try:
        child.wait_for("ready", timeout=120)
        workers = psutil.Process(child.process.pid).children(recursive=True)
        [folder] = glob.glob(os.path.join(tmp_path, "cuda-workers-*"))
    finally:
        kill(child)
    for worker in workers:  # orphaned workers would end by themselves, later
        try:
            worker.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(workers, timeout=30)
    assert os.path.isdir(folder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        unreachable = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s",
           "CUDA_VISIBLE_DEVICES": ""}
    subprocess.run([sys.executable, "-m", "cuda_workers.cli", unreachable, "--local-directory", str(tmp_path)],
                   cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert os.listdir(tmp_path) == []
