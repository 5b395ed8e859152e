"""IO edge cases found by fuzzing against pandas 3: booleans in read_csv blocks, skipfooter / callable skiprows
with blocks, all-missing hive partitions, atomic to_hdf, read_json errors and empty first files."""

from __future__ import annotations

import os

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def _whole(df) -> pd.DataFrame:
    return to_host(df.compute()).reset_index(drop=True)


@pytest.mark.parametrize("blocksize", [None, 40])
def test_read_csv_booleans_with_missing_values_and_true_values(tmp_path, backend, blocksize):
    """True/False text with missing values, and ``true_values=``/``false_values=``, are booleans as pandas
    reads them (every column the sample read as text was read as text: ``'True'``, ``'a'``), while
    number-like text (``'007'``) stays text in every block."""
    path = tmp_path / "a.csv"
    path.write_text("b,s,t\n" + "True,a,x\n,b,True\nFalse,,007\n" * 8)
    kwargs = {"true_values": ["a"], "false_values": ["b"]}
    expected = pd.read_csv(path, **kwargs)
    got = gd.read_csv(str(path), blocksize=blocksize, sample=30, **kwargs)
    if blocksize:
        assert got.npartitions > 3
    if backend == "pandas":
        tm.assert_frame_equal(_whole(got), expected)
    else:  # cuDF's booleans with nulls: compare the values, missing as None
        assert _values(_whole(got)) == _values(expected)


def _values(frame: pd.DataFrame) -> list:
    frame = frame.astype(object)
    return frame.where(frame.notna(), None).values.tolist()


@pytest.mark.parametrize("ending", ["\n", "", "\n\n\n", "\n\n7\n"])
@pytest.mark.parametrize("blocksize", [7, 20, 40, 81])
@pytest.mark.parametrize("skipfooter", [1, 2, 5])
def test_read_csv_skipfooter_in_blocks_counts_the_file_s_last_lines(tmp_path, blocksize, skipfooter, ending):
    """``skipfooter`` with blocks skips the file's last lines as pandas does, also where the last block is empty
    (it starts inside the last line) or holds fewer lines than the footer (it was applied to that block alone:
    30 rows for pandas' 28)."""
    path = tmp_path / "a.csv"
    path.write_text("x\n" + "\n".join(str(i) for i in range(30)) + ending)
    kwargs = {"skipfooter": skipfooter, "engine": "python"}
    got = gd.read_csv(str(path), blocksize=blocksize, **kwargs)
    tm.assert_frame_equal(_whole(got), pd.read_csv(path, **kwargs))


def test_read_csv_callable_skiprows_with_blocks_is_refused(tmp_path):
    """A callable ``skiprows`` is asked about file line numbers: it was applied to a file's first block alone
    (27 rows for pandas' 24); with blocks it is refused by name, with one block per file it reads as pandas."""
    path = tmp_path / "a.csv"
    path.write_text("x\n" + "".join(f"{i}\n" for i in range(30)))

    def skip(i):
        return i % 5 == 3

    with pytest.raises(ValueError, match="skiprows as a function cannot be used with blocks.*blocksize=None"):
        gd.read_csv(str(path), skiprows=skip, blocksize=40)
    tm.assert_frame_equal(_whole(gd.read_csv(str(path), skiprows=skip, blocksize=None)),
                          pd.read_csv(path, skiprows=skip))


def test_parquet_partition_key_that_is_all_missing_reads_back(tmp_path, backend):
    """A ``partition_on`` key missing in every row is written as ``k=__HIVE_DEFAULT_PARTITION__`` only: it read back
    as pyarrow's ArrowInvalid "couldn't infer type" (pandas.read_parquet raises it too); now as text, all missing
    (beside a key with values, which stays categorical)."""
    pdf = pd.DataFrame({"k": pd.array([None] * 3, dtype="string"), "j": ["a", None, "b"], "v": [1, 2, 3]})
    path = str(tmp_path / "ds")
    gd.to_parquet(gd.from_pandas(pdf, npartitions=2), path, partition_on=["j", "k"])
    got = gd.read_parquet(path)
    assert list(got.columns) == ["v", "j", "k"]
    host = _whole(got).sort_values("v").reset_index(drop=True)
    assert host.v.tolist() == [1, 2, 3]
    assert host.k.isna().all() and str(host.k.dtype) in ("str", "object", "string")
    assert host.j.astype(object).where(host.j.notna(), None).tolist() == ["a", None, "b"]
    only_missing = gd.read_parquet(str(tmp_path / "ds" / "j=a"))
    assert _whole(only_missing).v.tolist() == [1] and _whole(only_missing).k.isna().all()


@pytest.mark.parametrize("options", [{}, {"append": True}, {"mode": "w"}, {"mode": "r+"}])
def test_failed_to_hdf_leaves_an_existing_file_as_it_was(tmp_path, options):
    """A ``to_hdf`` into an existing file that fails in a later partition removed the old key's rows and left the
    first partitions' (``[0, 1, 2]``), or appended them; the file is written as a temporary sibling now, renamed
    onto it only when every partition is written."""
    def boom(part):
        if part.x.iloc[0] >= 6:
            raise RuntimeError("boom")
        return part

    path = str(tmp_path / "pre.h5")
    pd.DataFrame({"x": [100, 101, 102]}).to_hdf(path, key="k", format="table")
    pd.DataFrame({"y": [7]}).to_hdf(path, key="other", format="table")
    frame = gd.from_pandas(pd.DataFrame({"x": range(9)}), npartitions=3)
    with pytest.raises(RuntimeError, match="boom"):
        gd.to_hdf(frame.map_partitions(boom), path, "/k", **options)
    assert pd.read_hdf(path, "k").x.tolist() == [100, 101, 102]
    assert pd.read_hdf(path, "other").y.tolist() == [7]
    assert sorted(os.listdir(tmp_path)) == ["pre.h5"]  # no temporary file left
    gd.to_hdf(frame, path, "/k", **options)  # and a write that succeeds writes as pandas' does
    theirs = str(tmp_path / "pandas.h5")
    pd.DataFrame({"x": [100, 101, 102]}).to_hdf(theirs, key="k", format="table")
    pd.DataFrame({"x": range(9)}).to_hdf(theirs, key="k", format="table", append=options.get("append", False))
    expected = pd.read_hdf(theirs, "k")
    tm.assert_frame_equal(pd.read_hdf(path, "k"), expected)
    with pd.HDFStore(path) as store:
        assert sorted(store.keys()) == (["/k"] if options.get("mode") == "w" else ["/k", "/other"])
    assert sorted(os.listdir(tmp_path)) == ["pandas.h5", "pre.h5"]


@pytest.mark.parametrize("blocksize", [None, 16])
def test_read_json_parse_error_names_the_file_and_line(tmp_path, blocksize):
    """A file that is not JSON raised pandas' ``Expected object or value at position 13``, naming no file; now
    as read_csv's errors: the file and, for JSON lines, the line."""
    (tmp_path / "a.json").write_text('{"x":1}\n{"x":2}\n')
    (tmp_path / "b.json").write_text('{"x":3}\n{"x":4}\n{"x":5}\n{"x":\n{"x":6}\n')
    df = gd.read_json(str(tmp_path / "*.json"), lines=True, blocksize=blocksize)
    bad = str(tmp_path / "b.json")
    with pytest.raises(ValueError, match=rf"cannot parse '{bad}' at line 4: .*Expected object or value"):
        df.compute()
    (tmp_path / "b.json").write_text('[{"x": 3}, {"x":')
    with pytest.raises(ValueError, match=rf"cannot parse '{bad}': "):
        gd.read_json(str(tmp_path / "b.json"), orient="records", lines=False)


@pytest.mark.parametrize("blocksize", [None, 16])
@pytest.mark.parametrize("row", ["[1, 2]", "5", "null", '"s"'])
def test_read_json_line_that_is_not_an_object_names_the_file_and_line(tmp_path, blocksize, row):
    """A line that is JSON but not an object gave pandas' bare TypeError ("cannot convert dictionary update
    sequence element #0 to a sequence"), naming no file; now pandas' error (of the same type) names the file
    and the line, as for a line that is not JSON."""
    (tmp_path / "a.json").write_text('{"x":1}\n{"x":2}\n')
    (tmp_path / "b.json").write_text(f'{{"x":3}}\n{{"x":4}}\n{{"x":5}}\n{row}\n{{"x":6}}\n')
    bad = str(tmp_path / "b.json")
    with pytest.raises((TypeError, ValueError, AttributeError)) as expected:  # (AttributeError: pandas 2.2)
        pd.read_json(bad, lines=True)
    df = gd.read_json(str(tmp_path / "*.json"), lines=True, blocksize=blocksize)
    with pytest.raises(type(expected.value), match=rf"cannot parse '{bad}' at line 4 \(not a JSON object\): ") as got:
        df.compute()
    assert str(expected.value) in str(got.value)


@pytest.mark.parametrize("lines", [True, False])
def test_read_json_of_files_whose_first_is_empty(tmp_path, lines):
    """``to_json`` of a frame whose first partition is empty writes an empty first file: reading the files back
    took the metadata from it (no columns) and raised a metadata mismatch; the first file with columns gives it.
    An all-empty dataset reads back as an empty frame."""
    frame = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "c"]}), npartitions=2)
    folder = str(tmp_path / "out")
    gd.to_json(frame[frame.x > 2], folder, orient="records", lines=lines)
    got = gd.read_json(folder + "/*", orient="records", lines=lines)
    expected = pd.DataFrame({"x": [3], "y": ["c"]})
    tm.assert_frame_equal(_whole(got), expected, check_dtype=False)
    assert list(got.dtypes.astype(str)) == list(_whole(got).dtypes.astype(str))
    empty = str(tmp_path / "empty")
    gd.to_json(frame[frame.x > 5], empty, orient="records", lines=lines)
    assert len(_whole(gd.read_json(empty + "/*", orient="records", lines=lines))) == 0
