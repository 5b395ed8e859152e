"""Owned temporary folders: locked while in use, removed by the next one when their owner died."""

from __future__ import annotations

import os
import stat

import pytest

from gpuscale.runtime import scratch

pytestmark = pytest.mark.skipif(scratch.fcntl is None, reason="needs flock")


def make_dead_owner_folder(parent, name):
    """What a SIGKILLed process leaves: the folder and its lock file, no longer locked."""
    folder = parent / name
    folder.mkdir()
    (folder / "spilled").write_bytes(b"x" * 100)
    (parent / f".{name}.lock").write_text("12345\n")
    return folder


def test_folder_is_private_locked_and_removed_on_close(tmp_path):
    folder = scratch.owned_folder("gpuscale-spill-", str(tmp_path))
    assert stat.S_IMODE(os.stat(folder.path).st_mode) == 0o700
    assert sorted(os.listdir(tmp_path)) == sorted([os.path.basename(folder.path),
                                                   f".{os.path.basename(folder.path)}.lock"])
    assert scratch.remove_stale("gpuscale-spill-", str(tmp_path)) == []  # its owner (we) is alive
    folder.close()
    folder.close()
    assert os.listdir(tmp_path) == []


def test_stale_folders_are_removed_others_are_kept(tmp_path):
    dead = make_dead_owner_folder(tmp_path, "gpuscale-spill-dead")
    no_lock = tmp_path / "gpuscale-spill-old"  # made by an older version, or being made right now
    no_lock.mkdir()
    other_prefix = make_dead_owner_folder(tmp_path, "cuda-workers-dead")
    with scratch.owned_folder("gpuscale-spill-", str(tmp_path)) as live:
        assert not dead.exists() and not (tmp_path / ".gpuscale-spill-dead.lock").exists()
        assert no_lock.exists() and other_prefix.exists()
        with scratch.owned_folder("gpuscale-spill-", str(tmp_path)) as second:
            assert os.path.isdir(live.path) and os.path.isdir(second.path)  # a live owner's folder stays
    assert sorted(os.listdir(tmp_path)) == [".cuda-workers-dead.lock", "cuda-workers-dead", "gpuscale-spill-old"]


def test_missing_parent_is_no_error_for_the_scan(tmp_path):
    assert scratch.remove_stale("gpuscale-spill-", str(tmp_path / "missing")) == []


def test_a_claimed_path_is_locked_before_it_exists_and_may_be_a_file(tmp_path):
    claimed = scratch.claim(str(tmp_path / "out.csv.tmp-live"))
    (tmp_path / "out.csv.tmp-live").write_text("a,b\n")  # made later, by the write's tasks
    dead = tmp_path / "out.csv.tmp-dead"  # a single-file write of a killed process
    dead.write_text("a,b\n")
    (tmp_path / ".out.csv.tmp-dead.lock").write_text("12345\n")
    assert scratch.remove_stale("out.csv.tmp-", str(tmp_path)) == [str(dead)]
    assert sorted(os.listdir(tmp_path)) == [".out.csv.tmp-live.lock", "out.csv.tmp-live"]
    claimed.close()
    assert os.listdir(tmp_path) == []
