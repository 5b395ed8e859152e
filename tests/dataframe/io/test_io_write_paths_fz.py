"""Writer paths found by fuzzing against dask: a list of paths (one per partition), a folder path that is a
file, the folders a failed write created, ``mode="a"`` per file, and a corrupt ORC file named in the error."""

from __future__ import annotations

import os

import dask.dataframe as dd
import fsspec
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host
from io_fixtures import memory_root  # noqa: F401 (a fixture)




@pytest.fixture
def frames():
    pdf = pd.DataFrame({"x": range(6), "y": list("abcdef")})
    return pdf, gd.from_pandas(pdf, npartitions=2)


def _listing(fs, root: str) -> list[str]:
    """Every file and folder below ``root`` (not ``root`` itself)."""
    top = fs._strip_protocol(root).rstrip("/")
    return sorted(p for p in fs.find(root, withdirs=True) if p.rstrip("/") != top)


# -- a path that is a file ---------------------------------------------------------------------------
_INTO_A_FILE = {
    "csv pattern": lambda df, path: df.to_csv(f"{path}/p-*.csv"),
    "json pattern": lambda df, path: df.to_json(f"{path}/p-*.json"),
    "orc": lambda df, path: df.to_orc(path),
    "orc overwrite": lambda df, path: df.to_orc(path, overwrite=True),
}


@pytest.mark.parametrize("write", list(_INTO_A_FILE))
@pytest.mark.parametrize("where", ["local", "memory"])
def test_files_into_a_path_that_is_a_file_are_refused(tmp_path, memory_root, frames, write, where):
    """dask raises FileExistsError; on memory:// the files were written "under" the file, locally the write
    ran and then failed with a bare "[Errno 17] File exists"."""
    if where == "local":
        fs, path = fsspec.filesystem("file"), str(tmp_path / "afile")
        root = str(tmp_path)
    else:
        fs, path = fsspec.filesystem("memory"), f"{memory_root}/afile"
        root = memory_root
    fs.pipe(path, b"x")
    before = _listing(fs, root)
    with pytest.raises(FileExistsError, match="afile' already exists and is a file"):
        _INTO_A_FILE[write](frames[1], path)
    assert _listing(fs, root) == before and fs.cat(path) == b"x"
    with pytest.raises(FileExistsError):  # as dask
        dd.from_pandas(frames[0], npartitions=2).to_csv(f"{path}/q-*.csv")


# -- the folders a failed write created ------------------------------------------------------------------
def _failing(df):
    def boom(part):
        if len(part) and part.x.iloc[0] >= 3:
            raise RuntimeError("boom")
        return part

    return df.map_partitions(boom, meta=df._meta)


@pytest.mark.parametrize("single_file", [True, False])
def test_a_failed_write_removes_the_folders_it_created(tmp_path, frames, single_file):
    (tmp_path / "keep").mkdir()
    path = tmp_path / "keep" / "new" / "deeper" / ("one.csv" if single_file else "many")
    with pytest.raises(RuntimeError, match="boom"):
        _failing(frames[1]).to_csv(str(path), single_file=single_file)
    assert os.listdir(tmp_path) == ["keep"] and os.listdir(tmp_path / "keep") == []


def test_a_failed_write_on_memory_removes_the_folders_it_created(memory_root, frames):
    fs = fsspec.filesystem("memory")
    fs.pipe(f"{memory_root}/other.txt", b"x")
    with pytest.raises(RuntimeError, match="boom"):
        _failing(frames[1]).to_csv(f"{memory_root}/new/one.csv", single_file=True)
    assert [p.rsplit("/", 1)[1] for p in _listing(fs, memory_root)] == ["other.txt"]


def test_a_failed_write_keeps_a_folder_that_existed(tmp_path, frames):
    (tmp_path / "there").mkdir()
    with pytest.raises(RuntimeError, match="boom"):
        _failing(frames[1]).to_csv(str(tmp_path / "there" / "one.csv"), single_file=True)
    assert os.listdir(tmp_path) == ["there"] and os.listdir(tmp_path / "there") == []
    df = frames[1]
    df.to_csv(str(tmp_path / "there" / "one.csv"), single_file=True, index=False)  # a working write still works
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "there" / "one.csv"), frames[0])
    assert to_host(gd.read_csv(str(tmp_path / "there" / "one.csv")).compute()).x.tolist() == list(range(6))


# -- a corrupt ORC file ------------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["local", "memory"])
def test_read_orc_names_the_corrupt_file(tmp_path, memory_root, frames, where):
    """pyarrow's ``OSError: Not an ORC file`` named no file; it is raised again as an OSError naming it (as
    read_parquet's errors name theirs), pyarrow's error its cause."""
    folder = str(tmp_path / "o") if where == "local" else f"{memory_root}/o"
    frames[1].to_orc(folder, write_index=False)
    fs, bad = fsspec.core.url_to_fs(f"{folder}/part.1.orc")
    fs.pipe(bad, b"garbage")
    with pytest.raises(OSError, match=r"part\.1\.orc'?: Not an ORC file") as caught:
        gd.read_orc(folder)
    assert repr(bad) in str(caught.value) and isinstance(caught.value.__cause__, OSError)
    with pytest.raises(OSError, match="Not an ORC file"):  # pyarrow's own error, for reference
        pd.read_orc(fs.open(bad, "rb"))


def test_read_orc_names_a_file_corrupted_after_planning(tmp_path, frames):
    folder = str(tmp_path / "o")
    frames[1].to_orc(folder, write_index=False)
    df = gd.read_orc(folder)
    with open(os.path.join(folder, "part.0.orc"), "wb") as handle:
        handle.write(b"garbage")
    with pytest.raises(OSError, match=r"part\.0\.orc'?: Not an ORC file"):
        df.compute()


# -- a list of paths, one per partition ----------------------------------------------------------------------
def _texts(fs, paths) -> list[bytes]:
    return [fs.cat(p) for p in paths]


@pytest.mark.parametrize("writer", ["to_csv", "to_json"])
@pytest.mark.parametrize("where", ["local", "memory"])
def test_a_list_of_paths_writes_partition_i_to_paths_i(tmp_path, memory_root, frames, writer, where):
    """Written as dask writes them (the list was printed into a folder name: "['out/a.csv', ...]/0.part")."""
    pdf, df = frames
    root = str(tmp_path) if where == "local" else memory_root
    fs, _ = fsspec.core.url_to_fs(root)
    ext = writer[3:]
    ours = [f"{root}/out/b.{ext}", f"{root}/out/a.{ext}"]
    theirs = [f"{root}/dask/b.{ext}", f"{root}/dask/a.{ext}"]
    fs.makedirs(f"{root}/dask", exist_ok=True)
    getattr(dd.from_pandas(pdf, npartitions=2), writer)(theirs)
    got = getattr(df, writer)(ours)
    assert [str(p).rsplit("/", 2)[-2:] for p in got] == [["out", f"b.{ext}"], ["out", f"a.{ext}"]]
    assert _texts(fs, ours) == _texts(fs, theirs)
    assert sorted(p.rsplit("/", 1)[1] for p in fs.ls(f"{root}/out", detail=False)) == [f"a.{ext}", f"b.{ext}"]
    assert sorted(p.rsplit("/", 1)[1] for p in fs.ls(root, detail=False)) == ["dask", "out"]


@pytest.mark.parametrize("writer", ["to_csv", "to_json"])
def test_a_list_of_paths_of_the_wrong_length_is_refused(tmp_path, frames, writer):
    paths = [str(tmp_path / f"{c}.txt") for c in "abc"]
    with pytest.raises(ValueError, match="3 paths were given for 2 partitions"):
        getattr(frames[1], writer)(paths)
    with pytest.raises(ValueError, match="1 paths were given for 2 partitions"):
        getattr(frames[1], writer)(paths[:1])
    assert os.listdir(tmp_path) == []


def test_a_list_of_paths_is_checked_and_written_atomically(tmp_path, frames):
    df = frames[1]
    with pytest.raises(ValueError, match="several folders"):
        df.to_csv([str(tmp_path / "a" / "x.csv"), str(tmp_path / "b" / "x.csv")])
    with pytest.raises(ValueError, match="would both be written to 'x.csv'"):
        df.to_csv([str(tmp_path / "x.csv"), str(tmp_path / "." / "x.csv")])
    with pytest.raises(ValueError, match="single_file=True writes one file"):
        df.to_csv([str(tmp_path / "x.csv"), str(tmp_path / "y.csv")], single_file=True)
    paths = [str(tmp_path / "x.csv"), str(tmp_path / "y.csv")]
    with pytest.raises(RuntimeError, match="boom"):
        _failing(df).to_csv(paths)
    assert os.listdir(tmp_path) == []
    df.to_csv(paths, index=False)
    with pytest.raises(FileExistsError, match="x.csv"):
        df.to_csv(paths, index=False)
    df.to_csv(paths, index=False, mode="w")  # replaces them, as a pattern's files
    pd.testing.assert_frame_equal(pd.concat([pd.read_csv(p) for p in paths], ignore_index=True), frames[0])


# -- mode="a" to several files -------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["local", "memory"])
def test_mode_a_appends_each_partition_to_its_file(tmp_path, memory_root, frames, where):
    """As dask: each partition is appended to its file; gpuscale refused it.  A missing file is created (as
    pandas' mode="a"; dask's glob of the pattern finds no file to open then)."""
    pdf, df = frames
    root = str(tmp_path) if where == "local" else memory_root
    fs, _ = fsspec.core.url_to_fs(root)
    fs.makedirs(f"{root}/dask", exist_ok=True)
    dd.from_pandas(pdf, npartitions=2).to_csv(f"{root}/dask/x-*.csv")
    dd.from_pandas(pdf, npartitions=2).to_csv(f"{root}/dask/x-*.csv", mode="a", header=False)
    df.to_csv(f"{root}/ours/x-*.csv", mode="a")
    df.to_csv(f"{root}/ours/x-*.csv", mode="a", header=False)
    ours = sorted(fs.ls(f"{root}/ours", detail=False))
    assert [p.rsplit("/", 1)[1] for p in ours] == ["x-0.csv", "x-1.csv"]
    assert _texts(fs, ours) == _texts(fs, sorted(fs.ls(f"{root}/dask", detail=False)))
    assert fs.cat(ours[0]).decode() == ",x,y\n0,0,a\n1,1,b\n2,2,c\n0,0,a\n1,1,b\n2,2,c\n"


def test_mode_a_to_several_files_changes_none_if_one_fails(tmp_path, frames):
    pdf, df = frames
    df.to_csv(str(tmp_path / "x-*.csv"), index=False)
    df.to_csv(str(tmp_path / "folder"), index=False)
    before = {name: (tmp_path / name).read_bytes() for name in ("x-0.csv", "x-1.csv")}
    with pytest.raises(RuntimeError, match="boom"):
        _failing(df).to_csv(str(tmp_path / "x-*.csv"), index=False, header=False, mode="a")
    assert sorted(os.listdir(tmp_path)) == ["folder", "x-0.csv", "x-1.csv"]
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    df.to_csv(str(tmp_path / "folder"), index=False, header=False, mode="a")  # a folder's files: appended too
    got = pd.concat([pd.read_csv(tmp_path / "folder" / f"{i}.part") for i in range(2)], ignore_index=True)
    expected = pd.concat([pdf.iloc[:3], pdf.iloc[:3], pdf.iloc[3:], pdf.iloc[3:]], ignore_index=True)
    pd.testing.assert_frame_equal(got, expected)
