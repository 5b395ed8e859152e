"""A memory budget spills results to a private folder that is removed at the end."""

from __future__ import annotations

import glob
import os
import stat

import numpy as np
import pandas as pd
import pytest

from gpuscale.runtime import get
from gpuscale.runtime.sizeof import sizeof


def block(i):
    return np.full(50_000, float(i))  # 400 kB, above the memory limit below


def spill_files(spill_dir):
    folders = glob.glob(os.path.join(spill_dir, "gpuscale-spill-*"))
    modes = [stat.S_IMODE(os.stat(folder).st_mode) for folder in folders]
    files = [name for folder in folders for name in os.listdir(folder)]
    return {"folders": len(folders), "modes": modes, "files": len(files)}


def graph_with_probe(n, spill_dir):
    graph = {("block", i): (block, i) for i in range(n)}
    graph["probe"] = (lambda *blocks: spill_files(spill_dir), *graph)
    graph["total"] = (lambda probe, *blocks: float(sum(b.sum() for b in blocks)), "probe", *list(graph)[:n])
    return graph


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_spilled_computation_is_correct_and_cleans_up(tmp_path, scheduler):
    n = 12
    graph = graph_with_probe(n, str(tmp_path))
    probe, total = get(graph, ["probe", "total"], scheduler=scheduler, memory_limit="1MB",
                       spill_dir=str(tmp_path))
    assert total == 50_000 * sum(range(n))
    assert probe["folders"] == 1 and probe["modes"] == [0o700]
    assert probe["files"] >= n - 3  # at most ~2 blocks fit into 1 MB
    assert os.listdir(tmp_path) == []


def test_no_spill_files_without_memory_limit(tmp_path):
    probe = get(graph_with_probe(4, str(tmp_path)), "probe", spill_dir=str(tmp_path))
    assert probe["folders"] == 0


def test_memory_limit_from_config_and_default_temp_folder(tmp_path, monkeypatch):
    import gpuscale

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    with gpuscale.config.set(memory_limit="100kB"):
        probe = get(graph_with_probe(3, str(tmp_path)), "probe", scheduler="sync")
    assert probe["folders"] == 1 and probe["files"] == 3
    assert glob.glob(os.path.join(tmp_path, "gpuscale-spill-*")) == []


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_spill_folder_removed_on_task_error(tmp_path, scheduler):
    def fail(*blocks):
        assert spill_files(str(tmp_path))["files"] > 0
        raise RuntimeError("late failure")

    graph = {("block", i): (block, i) for i in range(5)}
    graph["fail"] = (fail, *list(graph))
    with pytest.raises(RuntimeError, match="late failure"):
        get(graph, "fail", scheduler=scheduler, memory_limit="500kB", spill_dir=str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_spill_dir_is_created_when_missing(tmp_path):
    target = tmp_path / "new" / "spill"
    assert get({"a": (block, 1), "b": (np.sum, "a")}, "b", memory_limit=10, spill_dir=str(target)) == 50_000
    assert target.is_dir() and os.listdir(target) == []


def test_unpicklable_by_pickle_values_spill_via_cloudpickle(tmp_path):
    graph = {"f": (lambda: (lambda x: x * 2),), "g": (lambda f: f(21), "f")}
    assert get(graph, "g", memory_limit=1, spill_dir=str(tmp_path)) == 42


def test_sizeof_duck_typing():
    frame = pd.DataFrame({"a": np.arange(1000), "s": ["x" * 10] * 1000})
    assert sizeof(np.zeros(1000)) == 8000
    assert sizeof(frame) == int(frame.memory_usage(deep=True).sum())
    assert sizeof(frame["s"]) == frame["s"].memory_usage(deep=True)
    assert sizeof(pd.Index(["abc"] * 100)) == pd.Index(["abc"] * 100).memory_usage(deep=True)

    class Odd:
        def memory_usage(self):
            return "unknown"

    assert sizeof(Odd()) > 0
    assert sizeof([np.zeros(100)] * 100) >= 80_000
    assert sizeof({"k": np.zeros(100)}) >= 800
    assert sizeof(None) == 0 and sizeof(b"x" * 1000) >= 1000


def test_sizeof_samples_object_columns_instead_of_sizing_every_value(monkeypatch):
    # memory_usage(deep=True) sizes every Python object of an object column (74 ms for 625k strings, paid for each
    # result a memory-limited runtime stores): the objects are estimated from a sample, as dask's sizeof does
    rng = np.random.default_rng(0)
    words = np.array(["w" * int(n) for n in rng.integers(1, 60, 20_000)], dtype=object)
    frame = pd.DataFrame({"s": pd.Series(words, dtype=object), "x": np.arange(20_000.0)},
                         index=pd.Index(words[::-1].copy(), dtype=object))
    deep = int(frame.memory_usage(deep=True).sum())
    asked = []
    real = pd.DataFrame.memory_usage
    monkeypatch.setattr(pd.DataFrame, "memory_usage", lambda self, *a, **k: asked.append(k.get("deep")) or
                        real(self, *a, **k))
    assert sizeof(frame) == pytest.approx(deep, rel=0.05)
    assert asked == [False]
    monkeypatch.undo()
    assert sizeof(frame.s) == pytest.approx(frame.s.memory_usage(deep=True), rel=0.05)
    assert sizeof(frame.index) == pytest.approx(frame.index.memory_usage(deep=True), rel=0.05)
    strings = pd.DataFrame({"s": pd.array(list(words), dtype="string[pyarrow]")})  # Arrow: counted in full
    assert sizeof(strings) == int(strings.memory_usage(deep=True).sum())

    class DeviceColumn:
        array = object()  # no host array of Python objects behind it

    class Positions:
        def __getitem__(self, key):
            return DeviceColumn()

    class DeviceFrame:  # a cuDF-like frame: object dtypes, but its memory_usage counts the strings themselves
        ndim, dtypes, iloc = 2, [np.dtype(object)], Positions()

        def memory_usage(self, deep=False):
            return pd.Series([1_000])

    assert sizeof(DeviceFrame()) == 1_000


def test_spill_round_trip_keeps_arrays_frames_and_writability(tmp_path):
    from gpuscale.runtime.spill import SpillStore

    store = SpillStore(memory_limit=1, directory=str(tmp_path))
    array = np.arange(10_000.0).reshape(100, 100)[:, ::2]  # non-contiguous too
    frame = pd.DataFrame({"a": np.arange(500), "s": ["x"] * 500})
    store[0], store[1], store[2] = np.arange(1000), array, frame
    assert store.spilled() == 3 and len(os.listdir(tmp_path)) == 3
    back = store[0]
    back[0] = -1  # spilled arrays come back writable
    np.testing.assert_array_equal(store[1], array)
    pd.testing.assert_frame_equal(store[2], frame)
    store[2] = None
    assert store[2] is None


def test_a_result_is_weighed_once_however_often_it_is_read_back(tmp_path, monkeypatch):
    # zict weighs a value again each time it comes back from disk; sizing a shuffle's dict of small frames takes
    # milliseconds, and with a small memory_limit a set_index spent 80 % of its time there (13.7 s instead of 0.3)
    from gpuscale.runtime import spill

    calls = []
    monkeypatch.setattr(spill, "sizeof", lambda value: calls.append(1) or sizeof(value))
    store = spill.SpillStore(memory_limit=100, directory=str(tmp_path))
    frames = [pd.DataFrame({"a": np.arange(50) + i}) for i in range(4)]
    for i, frame in enumerate(frames):
        store[i] = frame
    for _ in range(3):
        for i, frame in enumerate(frames):
            pd.testing.assert_frame_equal(store[i], frame)
    assert len(calls) == len(frames)
    store[0] = frames[1]  # a new value under a key is weighed afresh
    assert len(calls) == len(frames) + 1
    pd.testing.assert_frame_equal(store[0], frames[1])


def test_a_spilled_result_read_again_is_written_once(tmp_path, monkeypatch):
    # zict's Buffer deletes a value's file as it reads it back, so each eviction pickled and wrote it again: a
    # merge's split pieces, read once per output partition, went through disk several times over (699 MB
    # written for 305 MB of input); a result read back keeps its file until it gets a new value
    from gpuscale.runtime import spill

    dumped = []
    real = spill._dumps
    monkeypatch.setattr(spill, "_dumps", lambda value: dumped.append(1) or real(value))
    frames = [pd.DataFrame({"a": np.arange(50) + i}) for i in range(3)]
    store = spill.SpillStore(memory_limit=sizeof(frames[0]) + 1, directory=str(tmp_path))  # one in memory
    for i, frame in enumerate(frames):
        store[i] = frame
    for _ in range(4):
        for i, frame in enumerate(frames):
            pd.testing.assert_frame_equal(store[i], frame)
    assert len(dumped) == 3 and store.spilled() == 2 and len(os.listdir(tmp_path)) == 3
    store[1] = frames[2]  # a new value under a key: written afresh, never the old file read back
    pd.testing.assert_frame_equal(store[1], frames[2])
    pd.testing.assert_frame_equal(store[0], frames[0])
    pd.testing.assert_frame_equal(store[1], frames[2])
    store[0] = store[1] = store[2] = None
    assert store[0] is None and os.listdir(tmp_path) == []
    store.close()
    assert not os.path.exists(tmp_path)


def test_a_new_value_after_a_read_is_the_one_read_back(tmp_path):
    # a kept file must never stand for a newer value under the same key
    from gpuscale.runtime.spill import SpillStore

    store = SpillStore(memory_limit=1000, directory=str(tmp_path))  # one array in memory
    store[1] = np.zeros(100)
    store[0] = np.arange(100)
    for step in range(1, 4):
        np.testing.assert_array_equal(store[0], np.arange(100) + step - 1)
        np.testing.assert_array_equal(store[1], np.zeros(100))  # evicts key 0: its file is kept
        np.testing.assert_array_equal(store[0], np.arange(100) + step - 1)
        store[0] = np.arange(100) + step
        np.testing.assert_array_equal(store[0], np.arange(100) + step)
    store[0] = store[1] = None
    assert store[0] is None and os.listdir(tmp_path) == []

