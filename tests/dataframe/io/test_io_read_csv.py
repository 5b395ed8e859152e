"""read_csv compared with pandas.read_csv on the same files; errors name file and line."""

from __future__ import annotations

import gzip

import pandas as pd
from tests.dataframe import host_testing as tm
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from io_fixtures import pdf, memory_root  # noqa: F401 (fixtures)
from gpuscale.backends.io import CsvDtypeError, CsvParseError


@pytest.fixture
def csv_file(tmp_path, pdf) -> str:
    path = str(tmp_path / "data.csv")
    pdf.to_csv(path, index=False)
    return path


def _whole(df) -> pd.DataFrame:
    return df.compute().reset_index(drop=True)


def test_round_trip_one_block(csv_file):
    df = gd.read_csv(csv_file)
    assert df.npartitions == 1
    tm.assert_frame_equal(_whole(df), pd.read_csv(csv_file))


def test_blocks_split_at_newlines(csv_file):
    df = gd.read_csv(csv_file, blocksize=500)
    assert df.npartitions > 5
    tm.assert_frame_equal(_whole(df), pd.read_csv(csv_file))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocksize=st.integers(min_value=1, max_value=400), rows=st.integers(min_value=0, max_value=40))
def test_any_blocksize_gives_the_same_rows(tmp_path_factory, blocksize, rows):
    path = str(tmp_path_factory.mktemp("csv") / "t.csv")
    pd.DataFrame({"a": range(rows), "b": [f"x{j}" * (j % 4) for j in range(rows)]}).to_csv(path, index=False)
    expected = pd.read_csv(path, dtype={"a": "int64", "b": "str"})
    got = gd.read_csv(path, blocksize=blocksize, dtype={"a": "int64", "b": "str"})
    tm.assert_frame_equal(_whole(got), expected)


def test_dtype_parse_dates_usecols(csv_file):
    options = {"dtype": {"k": "float64", "s": "category"}, "parse_dates": ["d"], "usecols": ["d", "k", "s"]}
    df = gd.read_csv(csv_file, blocksize=700, **options)
    expected = pd.read_csv(csv_file, **options)
    assert list(df.columns) == list(expected.columns)
    got = _whole(df)
    tm.assert_frame_equal(got.astype({"s": "str"}), expected.astype({"s": "str"}))
    assert str(df.dtypes["d"]).startswith("datetime64")


def test_projection_is_pushed(csv_file):
    df = gd.read_csv(csv_file, blocksize=700)
    query = df[["s", "i"]]
    (leaf,) = query.expr.optimize(fuse=False).find_operations(gd.io.ReadCSV)
    assert leaf.operand("columns") == ["i", "s"]
    tm.assert_frame_equal(_whole(query), pd.read_csv(csv_file)[["s", "i"]])


def test_glob_of_files(tmp_path, pdf):
    for j in range(3):
        pdf.iloc[j * 30:(j + 1) * 30].to_csv(tmp_path / f"p{j}.csv", index=False)
    df = gd.read_csv(str(tmp_path / "p*.csv"), blocksize=400)
    tm.assert_frame_equal(_whole(df), pd.read_csv(tmp_path / "p0.csv").pipe(
        lambda first: pd.concat([first] + [pd.read_csv(tmp_path / f"p{j}.csv") for j in (1, 2)], ignore_index=True)))


def test_compressed_file_is_one_partition(tmp_path, pdf):
    path = tmp_path / "data.csv.gz"
    with gzip.open(path, "wt") as handle:
        pdf.to_csv(handle, index=False)
    df = gd.read_csv(str(path), blocksize=100)
    assert df.npartitions == 1
    tm.assert_frame_equal(_whole(df), pd.read_csv(path))


def test_memory_url(memory_root, pdf):
    import fsspec

    with fsspec.open(f"{memory_root}/t.csv", "w") as handle:
        pdf.to_csv(handle, index=False)
    df = gd.read_csv(f"{memory_root}/t.csv", blocksize=800)
    assert df.npartitions > 1
    with fsspec.open(f"{memory_root}/t.csv", "r") as handle:
        expected = pd.read_csv(handle)
    tm.assert_frame_equal(_whole(df), expected)


def test_bad_line_names_file_and_line(tmp_path, backend, request):
    if backend == "cudf":  # a known defect, kept visible: on a GPU cuDF read the 1,2,3 row as 1,2 (no error)
        request.applymarker(pytest.mark.xfail(strict=True, reason=(
            "libcudf drops the fields of a row beyond the file's columns without an error (seen on the GPU; the "
            "stand-in does the same); gpuscale does not detect such rows on cuDF yet")))
    lines = ["a,b"] + [f"{j},{j * 2}" for j in range(200)]
    lines[150] = "1,2,3"  # file line 151
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    df = gd.read_csv(str(path), blocksize=300, sample=300)  # the sample: the first block only
    assert df.npartitions > 3
    with pytest.raises(CsvParseError, match=r"bad\.csv' at line 151"):
        df.compute()


def test_bad_line_in_first_block(tmp_path):
    path = tmp_path / "bad0.csv"
    path.write_text("a,b\n1,2\n3,4,5\n")
    with pytest.raises(CsvParseError, match=r"bad0\.csv' at line 3"):
        gd.read_csv(str(path))


def test_dtype_failure_names_file_column_and_line(tmp_path):
    lines = ["a,b"] + [f"{j},{j}" for j in range(200)]
    lines[120] = "oops,120"  # file line 121
    path = tmp_path / "typed.csv"
    path.write_text("\n".join(lines) + "\n")
    df = gd.read_csv(str(path), blocksize=300, sample=300, dtype={"a": "int64"})
    with pytest.raises(CsvDtypeError, match=r"column 'a' of '.*typed\.csv' to int64: value 'oops' at line 121"):
        df.compute()


def test_inferred_dtype_mismatch_names_column(tmp_path):
    lines = ["a,b"] + [f"{j},{j}" for j in range(200)]
    lines[180] = "x,1"  # later block: strings where the first block had ints
    path = tmp_path / "drift.csv"
    path.write_text("\n".join(lines) + "\n")
    df = gd.read_csv(str(path), blocksize=300, sample=300)
    with pytest.raises(CsvDtypeError, match=r"column 'a' of '.*drift\.csv'.*first block gave int64.*dtype="):
        df.compute()


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.csv"):
        gd.read_csv(str(tmp_path / "absent.csv"))


def test_unknown_usecols_lists_header(csv_file):
    with pytest.raises(KeyError, match=r"usecols=.*\['zz'\].*available columns: \['i', 'f', 's', 'd', 'k'\]"):
        gd.read_csv(csv_file, usecols=["i", "zz"])


def test_line_based_options_need_whole_files(tmp_path, csv_file):
    with pytest.raises(ValueError, match="nrows cannot be used with blocks; pass blocksize=None"):
        gd.read_csv(csv_file, blocksize=500, nrows=3)
    df = gd.read_csv(csv_file, blocksize=None, skiprows=[3, 4])
    tm.assert_frame_equal(_whole(df), pd.read_csv(csv_file, skiprows=[3, 4]))


def test_nrows_without_a_blocksize_reads_the_first_rows_of_each_file(tmp_path):
    """``read_csv(path, nrows=n)`` as pandas': a partition per file (the default blocks would cut the file where
    ``nrows`` cannot count), its first ``n`` rows, even where later lines would not parse."""
    lines = ["a,b"] + [f"{j},{j * 2}" for j in range(5000)] + ["oops", "footer,1,2,3"]
    for name in ("one.csv", "two.csv"):
        (tmp_path / name).write_text("\n".join(lines) + "\n")
    df = gd.read_csv(str(tmp_path / "one.csv"), nrows=7)
    assert df.npartitions == 1
    tm.assert_frame_equal(_whole(df), pd.read_csv(tmp_path / "one.csv", nrows=7))
    both = gd.read_csv(str(tmp_path / "*.csv"), nrows=3)
    assert both.npartitions == 2
    tm.assert_frame_equal(_whole(both).reset_index(drop=True),
                          pd.concat([pd.read_csv(tmp_path / "one.csv", nrows=3)] * 2, ignore_index=True))


def test_names_replacing_the_header_row_keep_every_row_of_later_blocks(tmp_path):
    # header=0 with names=: each block's header line is prepended and replaced, never a data row dropped
    path = tmp_path / "renamed.csv"
    path.write_text("a,b\n" + "".join(f"{j},{j * 2}\n" for j in range(300)))
    df = gd.read_csv(str(path), blocksize=500, names=["x", "y"], header=0)
    assert df.npartitions > 3
    expected = pd.read_csv(path, names=["x", "y"], header=0)
    tm.assert_frame_equal(df.compute().reset_index(drop=True), expected)


@pytest.mark.parametrize("reader", [gd.read_csv, gd.read_fwf])
def test_text_column_stays_text_in_blocks_of_number_like_values(tmp_path, reader):
    """A later block whose text values all look like numbers or booleans was parsed as those and cast back to
    text: ``"007"`` became ``"7.0"``, ``"1e5"`` ``"100000.0"``, ``"TRUE"`` ``"True"`` (pandas keeps the text)."""
    path = tmp_path / "t.txt"
    if reader is gd.read_csv:
        path.write_text("k,s\n" + "1,abc\n" * 20 + "2,1e5\n2,007\n2,1.50\n" * 10 + "3,TRUE\n3,FALSE\n" * 10)
        expected, kwargs = pd.read_csv(path), {}
    else:
        path.write_text("".join(f"{i:4d} {'abc' if i < 5 else '007'}\n" for i in range(40)))
        expected, kwargs = pd.read_fwf(path, header=None), {"header": None}
    got = reader(str(path), blocksize=64, **kwargs)
    assert got.npartitions > 3
    tm.assert_frame_equal(got.compute().reset_index(drop=True), expected)


def test_fixed_width_blocks_share_the_layout_pandas_infers(tmp_path):
    """``read_fwf`` in blocks: the column boundaries pandas infers from the file's first lines hold for every block
    (a block inferred its own: ``1234 ab`` read as ``[1234, 'ab']`` where pandas reads ``[3, 'ab']``)."""
    path = tmp_path / "f.txt"
    path.write_text("  1 abc\n" * 100 + "1234 ab\n" * 100)
    got = gd.read_fwf(str(path), header=None, blocksize=800)
    assert got.npartitions > 1
    tm.assert_frame_equal(got.compute().reset_index(drop=True), pd.read_fwf(path, header=None))
