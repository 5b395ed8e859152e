"""Under a cgroup memory limit the runtime's unset memory_limit becomes a share of it (fake /proc and cgroup files)."""

from __future__ import annotations

import glob
import os

import numpy as np
import pytest

from gpuscale.runtime import cgroup, get

V1_NO_LIMIT = "9223372036854771712"  # what cgroup v1 writes for "unlimited"


def fake_proc(tmp_path, cgroup_lines, mounts):
    """A /proc/self folder: its ``cgroup`` file and a ``mountinfo`` with ``mounts`` = [(fstype, options, root,
    mount point)]."""
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "cgroup").write_text("\n".join(cgroup_lines) + "\n")
    lines = [f"{30 + k} 23 0:{30 + k} {root} {point} rw,relatime - {fstype} {fstype} {options}"
             for k, (fstype, options, root, point) in enumerate(mounts)]
    lines.insert(0, "23 1 8:1 / / rw - ext4 /dev/vda rw")
    (proc / "mountinfo").write_text("\n".join(lines) + "\n")
    return proc


def write_limit(folder, filename, value):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / filename).write_text(f"{value}\n")


def test_v1_limit_of_the_process_cgroup(tmp_path):
    memory = tmp_path / "sys" / "memory"
    write_limit(memory, "memory.limit_in_bytes", V1_NO_LIMIT)
    write_limit(memory / "jobs" / "job7", "memory.limit_in_bytes", 2 * 2**30)
    proc = fake_proc(tmp_path, ["5:cpu,cpuacct:/", "4:memory:/jobs/job7", "0::/"],
                     [("cgroup", "rw,memory", "/", str(memory)), ("cgroup", "rw,cpu,cpuacct", "/", "/x")])
    assert cgroup.cgroup_memory_limit(proc) == 2 * 2**30


def test_v1_smallest_limit_along_the_ancestors(tmp_path):
    memory = tmp_path / "sys" / "memory"
    write_limit(memory / "jobs", "memory.limit_in_bytes", 3 * 2**30)
    write_limit(memory / "jobs" / "job7", "memory.limit_in_bytes", V1_NO_LIMIT)
    proc = fake_proc(tmp_path, ["4:memory:/jobs/job7"], [("cgroup", "rw,memory", "/", str(memory))])
    assert cgroup.cgroup_memory_limit(proc) == 3 * 2**30


def test_v1_container_mount_whose_root_is_the_process_cgroup(tmp_path):
    # Docker without a cgroup namespace: /proc/self/cgroup names /docker/<id>, mounted as the mount's root
    memory = tmp_path / "sys" / "memory"
    write_limit(memory, "memory.limit_in_bytes", 512 * 2**20)
    proc = fake_proc(tmp_path, ["4:memory:/docker/abc"], [("cgroup", "rw,memory", "/docker/abc", str(memory))])
    assert cgroup.cgroup_memory_limit(proc) == 512 * 2**20


def test_v2_memory_max(tmp_path):
    unified = tmp_path / "sys" / "unified"
    write_limit(unified / "user.slice", "memory.max", "max")
    write_limit(unified / "user.slice" / "job.scope", "memory.max", 1_000_000_000)
    proc = fake_proc(tmp_path, ["0::/user.slice/job.scope"], [("cgroup2", "rw", "/", str(unified))])
    assert cgroup.cgroup_memory_limit(proc) == 1_000_000_000


@pytest.mark.parametrize("value", ["max", V1_NO_LIMIT])
def test_no_limit_is_none(tmp_path, value):
    unified = tmp_path / "sys" / "unified"
    write_limit(unified, "memory.max", value)
    proc = fake_proc(tmp_path, ["0::/"], [("cgroup2", "rw", "/", str(unified))])
    assert cgroup.cgroup_memory_limit(proc) is None


def test_no_cgroup_files_is_none(tmp_path):
    assert cgroup.cgroup_memory_limit(tmp_path / "missing") is None
    proc = fake_proc(tmp_path, ["4:memory:/a"], [])  # no memory controller mounted
    assert cgroup.cgroup_memory_limit(proc) is None


@pytest.fixture
def fresh_default():
    cgroup.default_memory_limit.cache_clear()
    yield
    cgroup.default_memory_limit.cache_clear()


def test_default_is_a_share_of_a_limit_below_the_ram(monkeypatch, fresh_default):
    monkeypatch.setattr(cgroup, "_physical_memory", lambda: 16 * 2**30)
    monkeypatch.setattr(cgroup, "cgroup_memory_limit", lambda: 4 * 2**30)
    assert cgroup.default_memory_limit() == int(4 * 2**30 * cgroup.CGROUP_SHARE)
    cgroup.default_memory_limit.cache_clear()
    monkeypatch.setattr(cgroup, "cgroup_memory_limit", lambda: 32 * 2**30)  # above the RAM: binds nothing
    assert cgroup.default_memory_limit() is None


def test_runtime_spills_under_a_cgroup_limit_without_a_memory_limit(tmp_path, monkeypatch, fresh_default):
    # a 2 MB cgroup: the 400 kB blocks exceed the 1 MB share, so held blocks spill into spill_dir
    monkeypatch.setattr(cgroup, "cgroup_memory_limit", lambda: 2_000_000)
    graph = {("b", i): (np.full, 50_000, float(i)) for i in range(8)}
    graph["seen"] = (lambda *blocks: len(glob.glob(os.path.join(str(tmp_path), "gpuscale-spill-*", "*"))),
                     *list(graph))
    graph["total"] = (lambda seen, *blocks: float(sum(b.sum() for b in blocks)), "seen", *list(graph)[:8])
    seen, total = get(graph, ["seen", "total"], scheduler="sync", spill_dir=str(tmp_path))
    assert total == 50_000 * sum(range(8))
    assert seen > 0
    assert glob.glob(os.path.join(str(tmp_path), "gpuscale-spill-*")) == []


def test_explicit_memory_limit_wins_over_the_cgroup(tmp_path, monkeypatch, fresh_default):
    monkeypatch.setattr(cgroup, "cgroup_memory_limit", lambda: 2_000_000)
    graph = {("b", i): (np.full, 50_000, float(i)) for i in range(8)}
    graph["seen"] = (lambda *blocks: len(glob.glob(os.path.join(str(tmp_path), "gpuscale-spill-*", "*"))),
                     *list(graph))
    assert get(graph, "seen", scheduler="sync", spill_dir=str(tmp_path), memory_limit="1GB") == 0
