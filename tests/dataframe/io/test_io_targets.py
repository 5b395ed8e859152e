"""Writes into an existing empty target folder keep the folder (its inode, permissions and owner).

The tests run as root in the sandbox, where permission bits do not stop writes, so what is checked is
the folder itself: the same inode and mode before and after the write.
"""

from __future__ import annotations

import os

import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from io_fixtures import memory_root, pdf, read_back_parquet  # noqa: F401 (fixtures)


def _folder(tmp_path, mode: int) -> str:
    path = tmp_path / "out"
    path.mkdir()
    os.chmod(path, mode)
    return str(path)


def _identity(path: str) -> tuple[int, int, int, int]:
    info = os.stat(path)
    return info.st_ino, info.st_mode, info.st_uid, info.st_gid


@pytest.mark.parametrize("mode", [0o555, 0o2770, 0o700], ids=oct)
def test_to_parquet_keeps_an_empty_target_folder(tmp_path, pdf, mode, backend):
    path = _folder(tmp_path, mode)
    before = _identity(path)
    gd.to_parquet(gd.from_pandas(pdf, npartitions=3), path)
    assert _identity(path) == before
    assert sorted(os.listdir(path)) == [f"part.{i}.parquet" for i in range(3)]
    assert os.listdir(tmp_path) == ["out"]  # no temporary sibling left
    tm.assert_frame_equal(read_back_parquet(path, backend), pdf)


def test_to_parquet_partition_on_keeps_the_folder(tmp_path, pdf):
    path = _folder(tmp_path, 0o555)
    before = _identity(path)
    gd.to_parquet(gd.from_pandas(pdf, npartitions=2), path, partition_on="k", write_index=False)
    assert _identity(path) == before
    assert sorted(os.listdir(path)) == ["k=0", "k=1", "k=2"]


def test_to_csv_keeps_an_empty_target_folder(tmp_path, pdf):
    path = _folder(tmp_path, 0o555)
    before = _identity(path)
    gd.to_csv(gd.from_pandas(pdf, npartitions=2), path, index=False)
    assert _identity(path) == before
    assert sorted(os.listdir(path)) == ["0.part", "1.part"]


def test_unwritable_empty_folder_refused_before_any_work(tmp_path, pdf, monkeypatch):
    path = _folder(tmp_path, 0o555)
    before = _identity(path)
    real_access = os.access
    # as a user other than root would see it
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: os.fspath(p) != path and real_access(p, mode, **kw))
    with pytest.raises(PermissionError, match=f"cannot write into '{path}'"):
        gd.to_parquet(gd.from_pandas(pdf, npartitions=2), path)
    assert _identity(path) == before and os.listdir(path) == []
    assert os.listdir(tmp_path) == ["out"]


def test_a_failed_move_leaves_the_folder_empty(tmp_path, pdf, monkeypatch):
    from gpuscale.backends.io import fs as io_fs

    path = _folder(tmp_path, 0o755)
    before = _identity(path)
    real_move = io_fs._move

    def failing(fs, source, destination):
        if destination.endswith("part.1.parquet"):
            raise OSError("disk went away")
        real_move(fs, source, destination)

    monkeypatch.setattr(io_fs, "_move", failing)
    with pytest.raises(OSError, match="disk went away"):
        gd.to_parquet(gd.from_pandas(pdf, npartitions=3), path)
    assert _identity(path) == before and os.listdir(path) == []
    assert os.listdir(tmp_path) == ["out"]


def test_empty_folder_of_a_memory_filesystem(memory_root, pdf):
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.makedirs(f"{memory_root}/out")
    gd.to_parquet(gd.from_pandas(pdf, npartitions=2), f"{memory_root}/out")
    assert sorted(p.rsplit("/", 1)[1] for p in fs.ls(f"{memory_root}/out", detail=False)) == \
        ["part.0.parquet", "part.1.parquet"]
    tm.assert_frame_equal(gd.read_parquet(f"{memory_root}/out").compute(), pdf)


@pytest.mark.parametrize("write", ["to_parquet", "to_csv", "to_json"])
@pytest.mark.parametrize("where", [".", "cwd", "parent"])
def test_overwrite_of_the_working_directory_refused_before_any_work(tmp_path, pdf, monkeypatch, write, where):
    # as dask: the old folder cannot be removed once the new one is in place, so both would be left behind
    here = tmp_path / "here"
    here.mkdir()
    (here / "keep.txt").write_text("mine")
    monkeypatch.chdir(here)
    target = {".": ".", "cwd": os.getcwd(), "parent": str(tmp_path)}[where]
    with pytest.raises(ValueError, match="Cannot clear the contents of the current working directory"):
        getattr(gd.from_pandas(pdf, npartitions=2), write)(target, overwrite=True)
    assert os.listdir(here) == ["keep.txt"] and (here / "keep.txt").read_text() == "mine"
    assert os.listdir(tmp_path) == ["here"]
