"""to_csv's dask options (header_first_partition_only, mode=, compression=, name_function checks), with the
files compared against what pandas and dask write."""

from __future__ import annotations

import os

import dask.dataframe as dd
import pandas as pd
import pytest

import gpuscale.dataframe as gd


@pytest.fixture
def frames():
    pdf = pd.DataFrame({"x": list("abcdef"), "y": range(6)})
    return pdf, gd.from_pandas(pdf, npartitions=2)


def _texts(folder) -> list[str]:
    return [open(os.path.join(folder, name)).read() for name in sorted(os.listdir(folder))]


@pytest.mark.parametrize("header", [True, False, ["aa", "bb"]])
@pytest.mark.parametrize("first_only", [True, False])
def test_header_first_partition_only_writes_what_dask_writes(tmp_path, frames, header, first_only):
    pdf, df = frames
    df.to_csv(str(tmp_path / "ours" / "part*.csv"), index=False, header=header,
              header_first_partition_only=first_only)
    os.makedirs(tmp_path / "dask")
    dd.from_pandas(pdf, npartitions=2).to_csv(str(tmp_path / "dask" / "part*.csv"), index=False, header=header,
                                              header_first_partition_only=first_only)
    assert _texts(tmp_path / "ours") == _texts(tmp_path / "dask")


def test_single_file_refuses_name_function_and_a_header_per_partition(tmp_path, frames):
    _, df = frames
    with pytest.raises(ValueError, match="name_function is not supported under the single file mode"):
        df.to_csv(str(tmp_path / "one.csv"), single_file=True, name_function=str)
    with pytest.raises(ValueError, match="header_first_partition_only cannot be False"):
        df.to_csv(str(tmp_path / "one.csv"), single_file=True, header_first_partition_only=False)


def test_single_file_modes(tmp_path, frames):
    pdf, df = frames
    path = str(tmp_path / "one.csv")
    df.to_csv(path, index=False, single_file=True, mode="x")
    with pytest.raises(FileExistsError):
        df.to_csv(path, index=False, single_file=True, mode="x")
    df.to_csv(path, index=False, single_file=True, mode="w")  # replaces
    pd.testing.assert_frame_equal(pd.read_csv(path), pdf)
    df.to_csv(path, index=False, header=False, single_file=True, mode="a")
    pd.testing.assert_frame_equal(pd.read_csv(path), pd.concat([pdf, pdf], ignore_index=True))


@pytest.mark.parametrize("single_file", [True, False])
def test_compression_from_the_extension_or_given(tmp_path, frames, single_file):
    pdf, df = frames
    path = str(tmp_path / ("one.csv.gz" if single_file else "part-*.csv.gz"))
    written = df.to_csv(path, index=False, single_file=single_file)
    got = pd.concat([pd.read_csv(p, compression="gzip") for p in written], ignore_index=True)
    pd.testing.assert_frame_equal(got, pdf)
    plain = df.to_csv(str(tmp_path / "bz"), index=False, compression="bz2")
    assert all(open(p, "rb").read(3) == b"BZh" for p in plain)
    pd.testing.assert_frame_equal(pd.concat([pd.read_csv(p, compression="bz2") for p in plain],
                                            ignore_index=True), pdf)


def test_a_pattern_adds_its_files_to_a_folder_with_others(tmp_path, frames):
    pdf, df = frames
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    written = df.to_csv(str(folder / "part-*.csv"), index=False)
    assert sorted(os.listdir(folder)) == ["notes.txt", "part-0.csv", "part-1.csv"]
    assert [os.path.basename(p) for p in written] == ["part-0.csv", "part-1.csv"]
    pd.testing.assert_frame_equal(pd.concat([pd.read_csv(p) for p in written], ignore_index=True), pdf)
    with pytest.raises(FileExistsError, match="holds 'part-0.csv', 'part-1.csv'"):
        df.to_csv(str(folder / "part-*.csv"), index=False)
    df[["y"]].to_csv(str(folder / "part-*.csv"), index=False, mode="w")  # dask's mode="w": replace those files
    assert list(pd.read_csv(folder / "part-1.csv").columns) == ["y"]
    assert (folder / "notes.txt").read_text() == "keep me"
    with pytest.raises(FileExistsError, match="already exists and is not empty"):
        df.to_csv(str(folder))  # a folder path is a target of its own


def test_scheduler_argument_warns_and_runs_the_write(tmp_path, frames):
    pdf, df = frames
    with pytest.warns(FutureWarning, match="compute_kwargs"):
        written = df.to_csv(str(tmp_path / "s"), index=False, scheduler="sync")
    pd.testing.assert_frame_equal(pd.concat([pd.read_csv(p) for p in written], ignore_index=True), pdf)
    with pytest.warns(FutureWarning), pytest.raises(ValueError, match="differing schedulers"):
        df.to_csv(str(tmp_path / "t"), scheduler="sync", compute_kwargs={"scheduler": "threads"})
    with pytest.warns(FutureWarning):  # the same one twice is no conflict, as dask
        written = df.to_csv(str(tmp_path / "u"), index=False, scheduler="sync", compute_kwargs={"scheduler": "sync"})
    assert len(written) == 2
    with pytest.warns(FutureWarning), pytest.raises(ValueError, match="Differing values for 'scheduler'"):
        dd.from_pandas(pdf, npartitions=2).to_csv(str(tmp_path / "v"), scheduler="sync",
                                                  compute_kwargs={"scheduler": "threads"})


@pytest.mark.parametrize("writer", ["to_csv", "to_json"])
def test_lazy_write_is_dasks_list_of_delayed_paths(tmp_path, frames, writer):
    import dask

    pdf, df = frames
    job = getattr(df, writer)(str(tmp_path / "ours"), compute=False)
    assert len(job) == 2 and not os.path.exists(tmp_path / "ours")
    paths = dask.compute(*job, scheduler="sync")
    theirs = dask.compute(*getattr(dd.from_pandas(pdf, npartitions=2), writer)(str(tmp_path / "dask"),
                                                                               compute=False), scheduler="sync")
    assert [os.path.basename(p) for p in paths] == [os.path.basename(p) for p in theirs] == ["0.part", "1.part"]
    assert paths == tuple(str(tmp_path / "ours" / f"{i}.part") for i in range(2))
    assert _texts(tmp_path / "ours") == _texts(tmp_path / "dask")
