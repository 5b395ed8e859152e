"""Staged output: all entries appear at once, or none; earlier results are replaced only on success."""

from __future__ import annotations

import pytest

from gpuscale.demo.errors import DemoError
from gpuscale.demo.output import StagedOutput


def test_commit_publishes_every_entry(tmp_path):
    target = tmp_path / "out"
    with StagedOutput(target) as out:
        out.path("a.json").write_text("1")
        out.path("folder").mkdir()
        (out.path("folder") / "part.parquet").write_text("x")
        assert sorted(p.name for p in target.iterdir()) == [out.staging.name]  # nothing visible yet
        out.commit()
    assert sorted(p.name for p in target.iterdir()) == ["a.json", "folder"]
    assert (target / "folder" / "part.parquet").read_text() == "x"


def test_commit_replaces_older_results_and_keeps_other_files(tmp_path):
    target = tmp_path / "out"
    (target / "folder").mkdir(parents=True)
    (target / "folder" / "old.parquet").write_text("old")
    (target / "notes.txt").write_text("the user's")
    with StagedOutput(target) as out:
        out.path("folder").mkdir()
        (out.path("folder") / "new.parquet").write_text("new")
        out.commit()
    assert [p.name for p in (target / "folder").iterdir()] == ["new.parquet"]
    assert (target / "notes.txt").read_text() == "the user's"
    assert sorted(p.name for p in target.iterdir()) == ["folder", "notes.txt"]


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_failure_leaves_nothing_behind(tmp_path, error):
    target = tmp_path / "new" / "out"
    with pytest.raises(error):
        with StagedOutput(target) as out:
            out.path("a.json").write_text("1")
            raise error
    assert not target.exists()


def test_failure_keeps_earlier_results(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "a.json").write_text("old")
    with pytest.raises(RuntimeError):
        with StagedOutput(target) as out:
            out.path("a.json").write_text("new")
            raise RuntimeError
    assert [p.name for p in target.iterdir()] == ["a.json"]
    assert (target / "a.json").read_text() == "old"


def test_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    for target in (blocker, blocker / "out"):
        with pytest.raises(DemoError, match="cannot write to the output folder") as info:
            StagedOutput(target).__enter__()
        assert "--output" in str(info.value) and info.value.exit_code == 2
    assert [p.name for p in tmp_path.iterdir()] == ["file"]
