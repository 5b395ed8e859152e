"""Reliability catalogue (docs/reliability.md), IO: bad files, paths and options given to the readers and
writers, and files that change between planning and compute. Each test holds one catalogue entry."""

from __future__ import annotations

import gzip
import os
import re

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends.io.csv import CsvDtypeError, CsvParseError
from gpuscale.backends.io.parquet_read import FileChangedError
from tests.pandas_versions import needs_pandas_3

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def pdf():
    return pd.DataFrame({"i": range(100), "f": np.arange(100) * 0.5, "s": [f"s{k}" for k in range(100)]})


@pytest.fixture
def parquet_file(tmp_path, pdf):
    path = tmp_path / "data.parquet"
    pdf.to_parquet(path)
    return str(path)


@pytest.fixture
def csv_file(tmp_path, pdf):
    path = tmp_path / "data.csv"
    pdf.to_csv(path, index=False)
    return str(path)


def _leftovers(folder) -> list[str]:
    return sorted(name for name in os.listdir(folder) if ".tmp-" in name or ".old-" in name)


# ---------------------------------------------------------------------------------------------- parquet reads
def test_read_parquet_empty_folder_is_named(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match=r"empty' holds no data files"):
        gd.read_parquet(str(tmp_path / "empty"))


@pytest.mark.parametrize("content, problem", [
    (b"not a parquet file at all" * 10, "magic bytes not found"),
    (b"", "size is 0 bytes"),
], ids=["garbage", "zero-bytes"])
def test_read_parquet_corrupt_file_fails_at_read_parquet_naming_it(tmp_path, content, problem):
    path = tmp_path / "broken.parquet"
    path.write_bytes(content)
    with pytest.raises(Exception, match=problem) as info:  # pyarrow.ArrowInvalid, before any compute
        gd.read_parquet(str(path))
    assert "broken.parquet" in str(info.value) and "Is this a 'parquet' file?" in str(info.value)


def test_read_parquet_truncated_file_fails_naming_it(tmp_path, parquet_file):
    data = open(parquet_file, "rb").read()
    path = tmp_path / "cut.parquet"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(Exception, match=r"cut\.parquet.*(magic bytes|corrupt)"):
        gd.read_parquet(str(path))


def test_read_parquet_given_a_csv_file(csv_file):
    with pytest.raises(Exception, match=r"data\.csv.*Is this a 'parquet' file\?"):
        gd.read_parquet(csv_file)


def test_read_parquet_unknown_filter_operator(parquet_file):
    with pytest.raises(ValueError, match='"~=" is not a valid operator'):
        gd.read_parquet(parquet_file, filters=[("i", "~=", 1)]).compute()


def test_read_parquet_filters_not_tuples(parquet_file):
    with pytest.raises(TypeError, match=r"filters must be a list of \(column, op, value\) tuples.*'i > 1'"):
        gd.read_parquet(parquet_file, filters=["i > 1"])


def test_read_parquet_filter_value_of_the_wrong_type(parquet_file):
    df = gd.read_parquet(parquet_file, filters=[("i", ">", "abc")])  # planned; pyarrow refuses at compute
    with pytest.raises(Exception, match=r"no kernel matching input types \(int64, string\)"):
        df.compute()


def test_read_parquet_unknown_index_column(parquet_file):
    unknown = r"index= names unknown column\(s\) \['zz'\]; available columns: \['i', 'f', 's'\]"
    with pytest.raises(KeyError, match=unknown):
        gd.read_parquet(parquet_file, index="zz")


def test_read_parquet_empty_list_of_paths():
    with pytest.raises(ValueError, match="no path given"):
        gd.read_parquet([])


def test_read_parquet_unknown_url_protocol():
    with pytest.raises(ValueError, match="Protocol not known: foo"):
        gd.read_parquet("foo://bucket/data.parquet")


def test_read_parquet_folder_with_a_non_data_file(tmp_path, pdf):
    folder = tmp_path / "mixed"
    folder.mkdir()
    pdf.to_parquet(folder / "part.0.parquet")
    (folder / "README.txt").write_text("not data")
    pd.testing.assert_frame_equal(gd.read_parquet(str(folder)).compute(), pd.read_parquet(folder / "part.0.parquet"))


@pytest.mark.parametrize("size, message", [(0, "positive number of bytes, got 0"), (-1, "cannot be negative: -1")],
                         ids=["zero", "negative"])
def test_read_parquet_partition_bytes_not_positive(parquet_file, size, message):
    with pytest.raises(ValueError, match=message):
        gd.read_parquet(parquet_file, partition_bytes=size)


def test_read_parquet_file_deleted_before_compute(parquet_file):
    df = gd.read_parquet(parquet_file)
    os.remove(parquet_file)
    with pytest.raises(FileNotFoundError, match=re.escape(parquet_file)):
        df.compute()


def test_read_parquet_file_added_to_the_folder_after_planning_is_not_read(tmp_path, pdf):
    folder = tmp_path / "ds"
    folder.mkdir()
    pdf.to_parquet(folder / "part.0.parquet")
    df = gd.read_parquet(str(folder))
    pdf.to_parquet(folder / "part.1.parquet")
    assert len(df.compute()) == len(pdf) == len(df)  # the file list is a snapshot (as dask's)


def test_read_parquet_file_rewritten_before_compute_is_a_clear_error(tmp_path):
    path = tmp_path / "data.parquet"
    pd.DataFrame({"i": range(100), "f": np.arange(100.0)}).to_parquet(path, row_group_size=50)
    df = gd.read_parquet(str(path))
    pd.DataFrame({"i": range(1000, 1300), "f": np.arange(300.0)}).to_parquet(path, row_group_size=50)
    # before: OSError "Unexpected end of stream: Page was smaller (50) than expected (52)" (the old footer's offsets)
    with pytest.raises(FileChangedError, match=re.escape(f"parquet file {str(path)!r} changed after read_parquet")):
        df.compute()
    assert len(gd.read_parquet(str(path)).compute()) == 300  # read again: the new contents


_SAME_LAYOUT = dict(row_group_size=50, compression=None, use_dictionary=False, write_statistics=False, index=False)


def test_read_parquet_file_grown_before_compute_is_not_silently_cut(tmp_path):
    path = tmp_path / "data.parquet"
    pd.DataFrame({"i": np.arange(100)}).to_parquet(path, **_SAME_LAYOUT)
    df = gd.read_parquet(str(path))
    pd.DataFrame({"i": np.arange(150) + 1000}).to_parquet(path, **_SAME_LAYOUT)
    try:
        out = df.compute()
    except FileChangedError as error:
        assert "bytes then" in str(error) and "read_parquet again" in str(error), error
    else:
        assert len(out) == 150, f"read {len(out)} of the file's 150 rows"  # before: 100 rows, no error


def test_read_parquet_file_rewritten_with_the_same_size_is_a_clear_error(tmp_path):
    path = tmp_path / "data.parquet"
    pd.DataFrame({"i": np.arange(100)}).to_parquet(path, **_SAME_LAYOUT)
    df = gd.read_parquet(str(path))
    before = os.stat(path)
    pd.DataFrame({"i": np.arange(100) + 1000}).to_parquet(path, **_SAME_LAYOUT)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))  # a clock tick, even on coarse clocks
    assert os.stat(path).st_size == before.st_size
    with pytest.raises(FileChangedError, match="same size, modified at"):
        df.compute()


# ---------------------------------------------------------------------------------------------- CSV reads
def test_read_csv_glob_matching_nothing(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no file matches the pattern '.*nope-\*\.csv'"):
        gd.read_csv(str(tmp_path / "nope-*.csv"))


def test_read_csv_empty_file(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(CsvParseError, match=r"cannot read '.*empty\.csv': No columns to parse"):
        gd.read_csv(str(tmp_path / "empty.csv")).compute()


def test_read_csv_header_only(tmp_path):
    (tmp_path / "header.csv").write_text("a,b\n")
    out = gd.read_csv(str(tmp_path / "header.csv")).compute()
    assert list(out.columns) == ["a", "b"] and len(out) == 0


def test_read_csv_files_with_different_headers(tmp_path):
    (tmp_path / "1.csv").write_text("a,b\n1,2\n")
    (tmp_path / "2.csv").write_text("a,c\n1,2\n")
    with pytest.raises(KeyError, match=r"2\.csv' misses column\(s\) of the first block.*\['b'\].*\['a', 'c'\]"):
        gd.read_csv(str(tmp_path / "*.csv")).compute()


@pytest.mark.parametrize("blocksize, message", [(0, "positive number of bytes, got 0"), (-1, "cannot be negative")],
                         ids=["zero", "negative"])
def test_read_csv_blocksize_not_positive(csv_file, blocksize, message):
    # dask: blocksize=0 is a ZeroDivisionError and blocksize=-1 hangs
    with pytest.raises(ValueError, match=message):
        gd.read_csv(csv_file, blocksize=blocksize)


@needs_pandas_3("pandas' parser reports the undecodable byte without its line")
def test_read_csv_binary_file_names_file_and_line(tmp_path):
    (tmp_path / "bin.csv").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CsvParseError, match=r"cannot parse '.*bin\.csv' at line 3"):
        gd.read_csv(str(tmp_path / "bin.csv")).compute()


def test_read_csv_bytes_not_in_the_encoding_name_the_file(tmp_path):
    (tmp_path / "latin.csv").write_bytes("a,b\n1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(CsvParseError, match=r"cannot read '.*latin\.csv': 'utf-8' codec can't decode"):
        gd.read_csv(str(tmp_path / "latin.csv")).compute()
    assert gd.read_csv(str(tmp_path / "latin.csv"), encoding="latin-1").compute().b.tolist() == ["caf\xe9"]


def test_read_csv_parse_dates_names_unknown_column(csv_file):
    with pytest.raises(CsvParseError, match=r"data\.csv': Missing column provided to 'parse_dates': 'zz'"):
        gd.read_csv(csv_file, parse_dates=["zz"]).compute()


def test_read_csv_dtype_for_an_unknown_column_is_ignored_as_pandas(csv_file):
    out = gd.read_csv(csv_file, dtype={"zz": "int64"}).compute()
    pd.testing.assert_frame_equal(out, pd.read_csv(csv_file, dtype={"zz": "int64"}))


def test_read_csv_missing_trailing_field_is_nan_as_pandas(tmp_path):
    (tmp_path / "short.csv").write_text("a,b\n1,2\n3\n6,7\n")
    out = gd.read_csv(str(tmp_path / "short.csv")).compute()
    pd.testing.assert_frame_equal(out, pd.read_csv(tmp_path / "short.csv"))


def test_read_csv_quoted_newline_across_blocks_is_an_error_not_wrong_rows(tmp_path):
    rows = "".join(f'{k},"line\nbreak {k}"\n' for k in range(2000))
    (tmp_path / "quoted.csv").write_text("a,b\n" + rows)
    # a block starting inside a quoted field either fails to parse or gives text where the first block had
    # numbers; whichever block the threads reach first names the file and the block
    with pytest.raises((CsvParseError, CsvDtypeError), match=r"quoted\.csv' \(block starting at line \d+\)"):
        gd.read_csv(str(tmp_path / "quoted.csv"), blocksize=1000).compute()
    assert len(gd.read_csv(str(tmp_path / "quoted.csv"), blocksize=None).compute()) == 2000


def test_read_csv_file_deleted_before_compute(csv_file):
    df = gd.read_csv(csv_file)
    os.remove(csv_file)
    with pytest.raises(FileNotFoundError, match=re.escape(csv_file)):
        df.compute()


def test_read_csv_corrupt_gzip_names_the_file(tmp_path):
    (tmp_path / "good.csv.gz").write_bytes(gzip.compress(b"a,b\n1,2\n"))
    (tmp_path / "bad.csv.gz").write_bytes(b"garbage" * 100)
    with pytest.raises(CsvParseError, match=r"bad\.csv\.gz' \(gzip-compressed\): BadGzipFile"):
        gd.read_csv(str(tmp_path / "*.csv.gz")).compute()


def test_read_csv_cut_off_gzip_in_a_later_partition_names_the_file(tmp_path):
    rows = b"".join(b"%d,%d\n" % (k, k * k) for k in range(5000))
    (tmp_path / "1.csv.gz").write_bytes(gzip.compress(b"a,b\n" + rows))
    whole = gzip.compress(b"a,b\n" + rows)
    (tmp_path / "2.csv.gz").write_bytes(whole[: len(whole) // 2])  # planned from 1.csv.gz; 2 fails in its task
    with pytest.raises(CsvParseError, match=r"2\.csv\.gz' \(gzip-compressed\): EOFError"):
        gd.read_csv(str(tmp_path / "*.csv.gz")).compute()


# ---------------------------------------------------------------------------------------------- writes
def test_to_parquet_onto_an_existing_file(tmp_path, pdf):
    (tmp_path / "file").write_text("keep me")
    with pytest.raises(FileExistsError, match="already exists and is not empty; pass overwrite=True"):
        gd.from_pandas(pdf, npartitions=2).to_parquet(str(tmp_path / "file"))
    assert (tmp_path / "file").read_text() == "keep me"


def test_to_parquet_under_a_file(tmp_path, pdf):
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match=r"file/sub"):
        gd.from_pandas(pdf, npartitions=2).to_parquet(str(tmp_path / "file" / "sub"))
    assert sorted(os.listdir(tmp_path)) == ["file"]


def test_to_parquet_partition_on_unknown_column_writes_nothing(tmp_path, pdf):
    with pytest.raises(KeyError, match="zz"):
        gd.from_pandas(pdf, npartitions=2).to_parquet(str(tmp_path / "out"), partition_on=["zz"])
    assert os.listdir(tmp_path) == []


def test_to_parquet_creates_missing_parent_folders(tmp_path, pdf):
    gd.from_pandas(pdf, npartitions=2).to_parquet(str(tmp_path / "x" / "y" / "out"))
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "x" / "y" / "out"), pdf)


def test_to_parquet_mixed_object_column_names_the_column_and_leaves_nothing(tmp_path):
    mixed = pd.DataFrame({"a": pd.Series([1, "x", 2.5, None] * 5, dtype=object)})
    with pytest.raises(Exception, match="column a"):  # pyarrow.ArrowInvalid, as pandas.to_parquet
        gd.from_pandas(mixed, npartitions=2).to_parquet(str(tmp_path / "out"))
    assert os.listdir(tmp_path) == []


def test_to_parquet_integer_column_names_write_or_say_why(tmp_path):
    frame = pd.DataFrame({0: range(10), 1: range(10)})
    try:
        gd.from_pandas(frame, npartitions=2).to_parquet(str(tmp_path / "out"))
    except Exception as error:
        assert "string" in str(error) and "column name" in str(error), error
        assert "0 (int), 1 (int)" in str(error) and os.listdir(tmp_path) == []  # refused before anything is written
    else:
        assert pd.read_parquet(tmp_path / "out").shape == (10, 2)


def test_to_parquet_unknown_compression_leaves_nothing(tmp_path, pdf):
    with pytest.raises(Exception, match="Unsupported compression: zzz"):
        gd.from_pandas(pdf, npartitions=2).to_parquet(str(tmp_path / "out"), compression="zzz")
    assert os.listdir(tmp_path) == []


def test_to_parquet_unknown_option_lists_the_writers_options(tmp_path, pdf):
    listed = r"unknown option\(s\) 'bogus_option'; options are pyarrow\.parquet\.write_table's"
    with pytest.raises(TypeError, match=listed):
        gd.from_pandas(pdf, npartitions=2).to_parquet(str(tmp_path / "out"), bogus_option=1)
    assert os.listdir(tmp_path) == []


def test_to_parquet_overwriting_its_own_source(tmp_path, pdf):
    # dask refuses ("Cannot overwrite a path that you are reading from"); the temporary sibling makes it safe
    folder = tmp_path / "ds"
    folder.mkdir()
    pdf.to_parquet(folder / "part.0.parquet")
    df = gd.read_parquet(str(folder))
    df.assign(g=df.i * 2).to_parquet(str(folder), overwrite=True)
    pd.testing.assert_frame_equal(pd.read_parquet(folder), pdf.assign(g=pdf.i * 2))
    assert sorted(os.listdir(tmp_path)) == ["ds"]


def test_to_parquet_partition_on_a_column_with_nan_reads_back_missing(tmp_path):
    # a missing key's folder is __HIVE_DEFAULT_PARTITION__, as pandas' (pyarrow's) and dask's writers name it;
    # pandas and dask then fail to read the folder: ArrowInvalid "Cannot yet unify dictionaries with nulls"
    frame = pd.DataFrame({"k": [1.0, None, 2.0, None], "v": range(4)})
    gd.from_pandas(frame, npartitions=2).to_parquet(str(tmp_path / "out"), partition_on=["k"])
    assert "k=__HIVE_DEFAULT_PARTITION__" in os.listdir(tmp_path / "out")
    frame.to_parquet(tmp_path / "pandas", partition_cols=["k"])
    for folder in ("out", "pandas"):
        ours = gd.read_parquet(str(tmp_path / folder)).compute().sort_values("v")
        assert ours.v.tolist() == [0, 1, 2, 3]
        assert ours.k.isna().tolist() == [False, True, False, True]


def test_to_csv_onto_a_non_empty_folder(tmp_path, pdf):
    # dask writes 0.part ... into the folder among the files already there
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError, match="pass overwrite=True"):
        gd.from_pandas(pdf, npartitions=2).to_csv(str(tmp_path / "out"))
    assert os.listdir(tmp_path / "out") == ["keep.txt"]


def test_to_csv_pattern_with_two_stars(tmp_path, pdf):
    with pytest.raises(ValueError, match=r"needs exactly one '\*'"):
        gd.from_pandas(pdf, npartitions=2).to_csv(str(tmp_path / "a-*-*.csv"))


def test_to_csv_unknown_keyword_is_pandas_error(tmp_path, pdf):
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        gd.from_pandas(pdf, npartitions=2).to_csv(str(tmp_path / "out"), bogus=1)
    assert _leftovers(tmp_path) == []


def test_to_csv_name_function_giving_one_name_to_all_partitions(tmp_path, pdf):
    try:
        gd.from_pandas(pdf, npartitions=4).to_csv(str(tmp_path / "out" / "x-*.csv"), name_function=lambda i: "same",
                                                   index=False)
    except ValueError as error:
        assert "name" in str(error)
    else:
        assert len(pd.read_csv(tmp_path / "out" / "x-same.csv")) == len(pdf)  # today: 25 of 100 rows


@pytest.mark.parametrize("writer", ["to_parquet", "to_csv"])
def test_failing_lazy_write_leaves_no_temporary_folder(tmp_path, pdf, writer):
    def fail_late(part):
        if part.i.iloc[0] >= 50:
            raise RuntimeError("partition failed")
        return part

    df = gd.from_pandas(pdf, npartitions=4).map_partitions(fail_late, meta=pdf.iloc[:0])
    lazy = getattr(df, writer)(str(tmp_path / "out"), compute=False)
    with pytest.raises(RuntimeError, match="partition failed"):
        lazy.compute()
    assert os.listdir(tmp_path) == []
