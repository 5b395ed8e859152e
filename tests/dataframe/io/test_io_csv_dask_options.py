"""read_csv's dask options (include_path_column, skiprows/skipfooter with blocks, header rows, sample,
assume_missing, enforce), compared with pandas.read_csv and dask.dataframe.read_csv on the same files."""

from __future__ import annotations

import gzip
import os

import dask.dataframe as dd
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends.io import CsvDtypeError
from tests.dataframe import host_testing as tm
from tests.pandas_versions import needs_pandas_3


def _host(frame) -> pd.DataFrame:
    return frame.to_pandas() if hasattr(frame, "to_pandas") else frame


@pytest.fixture
def three_files(tmp_path):
    for k in range(3):
        pd.DataFrame({"x": range(k * 40, k * 40 + 40), "y": [f"v{j % 5}" for j in range(40)]}).to_csv(
            tmp_path / f"part{k}.csv", index=False)
    return str(tmp_path / "part*.csv")


@pytest.mark.parametrize("blocksize", [None, 150])
def test_path_column_is_a_known_categorical_of_every_file(three_files, blocksize):
    df = gd.read_csv(three_files, include_path_column=True, blocksize=blocksize)
    theirs = dd.read_csv(three_files, include_path_column=True, blocksize=blocksize).compute()
    ours = _host(df.compute())
    assert df.path.cat.known and list(_host(df._meta).path.cat.categories) == sorted(theirs.path.cat.categories)
    pd.testing.assert_frame_equal(ours.reset_index(drop=True), theirs.reset_index(drop=True), check_dtype=False)
    # (the metadata on the host: a cuDF collection's dtype is a cudf.CategoricalDtype, never equal to pandas')
    assert ours.path.dtype == _host(df._meta).path.dtype == theirs.path.dtype


def test_path_column_name_converter_and_projection(three_files):
    df = gd.read_csv(three_files, include_path_column="file", converters={"file": os.path.basename})
    counts = _host(df.file.value_counts().compute()).sort_index()
    assert counts.to_dict() == {"part0.csv": 40, "part1.csv": 40, "part2.csv": 40}
    assert _host(df.x.sum().compute()) == sum(range(120))  # the path column dropped by the projection


def test_path_column_name_taken_by_the_files_is_an_error(three_files):
    with pytest.raises(ValueError, match="Files already contain the column name 'y'.*include_path_column="):
        gd.read_csv(three_files, include_path_column="y")


@pytest.mark.parametrize("blocksize", ["default", 1000])
def test_empty_files_cut_in_blocks_give_no_partition_nor_path_category(tmp_path, blocksize):
    for k, content in enumerate(["0,1,2\n", "", "6,7,8\n"]):
        (tmp_path / f"{k}.csv").write_text(content)
    pattern = str(tmp_path / "*.csv")
    options = {"include_path_column": True, "names": ["A", "B", "C"], "converters": {"path": os.path.basename}}
    df = gd.read_csv(pattern, blocksize=blocksize, **options)
    theirs = dd.read_csv(pattern, blocksize=blocksize, **options)
    assert df.npartitions == theirs.npartitions
    want = pd.DataFrame({"A": [0, 6], "B": [1, 7], "C": [2, 8],
                         "path": pd.Categorical(["0.csv", "2.csv"])})
    tm.assert_frame_equal(_host(df.compute()).reset_index(drop=True), want)
    assert list(_host(df._meta).path.cat.categories) == ["0.csv", "2.csv"]
    whole = gd.read_csv(pattern, blocksize=None, **options)  # read whole, every file is a partition
    assert whole.npartitions == dd.read_csv(pattern, blocksize=None, **options).npartitions == 3
    tm.assert_frame_equal(_host(whole.compute()).reset_index(drop=True),
                          want.astype({"path": pd.CategoricalDtype(["0.csv", "1.csv", "2.csv"])}))


def test_only_empty_files_read_as_pandas_reads_them(tmp_path):
    (tmp_path / "0.csv").write_text("")
    df = gd.read_csv(str(tmp_path / "*.csv"), names=["A", "B"])
    tm.assert_frame_equal(_host(df.compute()), pd.read_csv(tmp_path / "0.csv", names=["A", "B"]))


def test_convert_string_option_reads_text_as_dask_does(three_files, backend):
    import gpuscale

    with gpuscale.config.set({"dataframe.convert-string": True}):
        df = gd.read_csv(three_files, blocksize=150)
    if backend == "cudf":  # cuDF's strings are Arrow strings already: its usual dtypes
        assert dict(df.dtypes) == dict(gd.read_csv(three_files).dtypes)
        return
    theirs = dd.read_csv(three_files, blocksize=150)  # dask converts by default
    assert df.dtypes["y"] == theirs.dtypes["y"] == pd.StringDtype("pyarrow")
    ours = df.compute()
    assert ours.y.dtype == pd.StringDtype("pyarrow")
    tm.assert_frame_equal(ours.reset_index(drop=True), theirs.compute().reset_index(drop=True))


@pytest.fixture
def commented(tmp_path):
    path = tmp_path / "commented.csv"
    body = "".join(f"{j},{j * 2}\n" for j in range(60))
    path.write_text("# produced by\n# a tool\n# today\na,b\n" + body + "total,9\n")
    return str(path)


@pytest.mark.parametrize("skiprows", [3, [0, 1, 2]])
def test_skiprows_and_skipfooter_apply_to_a_file_s_first_and_last_block(commented, skiprows):
    df = gd.read_csv(commented, blocksize=100, skiprows=skiprows, skipfooter=1, engine="python")
    assert df.npartitions > 3
    expected = pd.read_csv(commented, skiprows=skiprows, skipfooter=1, engine="python")
    tm.assert_frame_equal(_host(df.compute()).reset_index(drop=True), expected)
    theirs = dd.read_csv(commented, blocksize=100, skiprows=skiprows, skipfooter=1, engine="python").compute()
    tm.assert_frame_equal(_host(df.compute()).reset_index(drop=True), theirs.reset_index(drop=True))


def test_skiprows_past_the_first_block_is_an_error(commented):
    with pytest.raises(ValueError, match="skiprows and the header cover 4 lines.*larger blocksize"):
        gd.read_csv(commented, blocksize=20, skiprows=3)


@pytest.mark.parametrize("header", [1, 2])
def test_header_row_below_the_first_line_with_blocks(tmp_path, header):
    path = tmp_path / "h.csv"
    path.write_text("junk0,j,k\njunk1,j,k\n" [: 10 * header] + "id,name,x\n" +
                    "".join(f"{j},n{j},{j / 4}\n" for j in range(50)))
    df = gd.read_csv(str(path), header=header, blocksize=80)
    assert df.npartitions > 3
    tm.assert_frame_equal(_host(df.compute()).reset_index(drop=True), pd.read_csv(path, header=header))


@pytest.fixture
def late_floats(tmp_path):
    path = tmp_path / "late.csv"
    path.write_text("n,m\n" + "1,2\n" * 300 + "1.5,2\n")
    return str(path)


def test_fractions_after_the_sample_are_an_error_not_truncated(late_floats):
    df = gd.read_csv(late_floats, sample=40)
    assert df.n.dtype == "int64"
    with pytest.raises(CsvDtypeError, match=r"column 'n' .*fractional.*assume_missing=True"):
        df.compute()


def test_every_column_with_late_fractions_is_named_at_once(tmp_path):
    path = tmp_path / "late2.csv"
    path.write_text("numbers,names,more\n" + "1,x,2\n" * 300 + "1.5,y,2.5\n")
    with pytest.raises(CsvDtypeError, match=r"columns 'more' \(float64, the sample gave int64\), 'numbers' "
                                            r".*dtype=\{'more': 'float64', 'numbers': 'float64'\}"):
        gd.read_csv(str(path), sample=40).compute()
    fixed = gd.read_csv(str(path), sample=40, dtype={"more": "float64", "numbers": "float64"})
    tm.assert_frame_equal(_host(fixed.compute()), pd.read_csv(path))


def test_assume_missing_reads_unnamed_integer_columns_as_floats(late_floats):
    df = gd.read_csv(late_floats, sample=40, assume_missing=True, dtype={"m": "int64"})
    expected = pd.read_csv(late_floats).astype({"m": "int64"})
    assert dict(df.dtypes) == dict(expected.dtypes)
    tm.assert_frame_equal(_host(df.compute()), expected)
    theirs = dd.read_csv(late_floats, sample=40, assume_missing=True, dtype={"m": "int64"})
    assert dict(df.dtypes) == dict(theirs.dtypes)


def test_sample_without_a_data_row_is_an_error(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("aaaaa,bbbbb,ccccc\n1,2,3\n4,5,6\n")
    with pytest.raises(ValueError, match="sample of 10 bytes .* holds no data row"):
        gd.read_csv(str(path), sample=10)
    tm.assert_frame_equal(_host(gd.read_csv(str(path), sample=10, header=None).compute()),
                          pd.read_csv(path, header=None))


def test_enforce_needs_the_first_block_s_columns_in_order(tmp_path):
    (tmp_path / "a.csv").write_text("x,y\n1,2\n")
    (tmp_path / "b.csv").write_text("y,x\n3,4\n")
    loose = gd.read_csv(str(tmp_path / "*.csv"))
    assert _host(loose.compute()).x.tolist() == [1, 4]
    with pytest.raises(ValueError, match="enforce=True.*differ from the first block"):
        gd.read_csv(str(tmp_path / "*.csv"), enforce=True).compute()


def test_compressed_files_with_a_blocksize_warn_and_are_read_whole(tmp_path):
    path = tmp_path / "data.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("a,b\n" + "".join(f"{j},{j}\n" for j in range(100)))
    with pytest.warns(UserWarning, match="gzip-compressed files cannot be split"):
        df = gd.read_csv(str(path), blocksize=100)
    assert df.npartitions == 1
    tm.assert_frame_equal(_host(df.compute()), pd.read_csv(path))


def test_windows_line_ends(tmp_path):
    path = tmp_path / "crlf.csv"
    path.write_bytes(b"a,b\r\n" + b"".join(f"{j},{j * 3}\r\n".encode() for j in range(40)))
    df = gd.read_csv(str(path), blocksize=50, lineterminator="\r\n")
    assert df.npartitions > 3
    tm.assert_frame_equal(_host(df.compute()).reset_index(drop=True), pd.read_csv(path))
    with pytest.raises(ValueError, match="lineterminator must be one character"):
        gd.read_csv(str(path), lineterminator="||")


@pytest.fixture
def fruit_files(tmp_path):
    (tmp_path / "a.csv").write_text("fruit,count\napple,10\napple,25\npear,100\n")
    (tmp_path / "b.csv").write_text("fruit,count\napple,200\nbanana,300\nbanana,10\n")
    return str(tmp_path / "*.csv")


def test_category_columns_keep_every_block_s_values(fruit_files):
    df = gd.read_csv(fruit_files, dtype={"fruit": "category"})
    assert not df.fruit.cat.known  # each block's own categories, as dask
    got = _host(df.compute())
    expected = pd.concat([pd.read_csv(f, dtype={"fruit": "category"}) for f in sorted(
        __import__("glob").glob(fruit_files))])
    assert got.fruit.astype(str).tolist() == expected.fruit.astype(str).tolist()
    assert sorted(got.fruit.cat.categories) == ["apple", "banana", "pear"]
    counts = _host(df.fruit.value_counts().compute()).sort_index()
    assert counts.to_dict() == {"apple": 3, "banana": 2, "pear": 1}


def test_category_columns_of_small_blocks_have_only_the_values(tmp_path):
    # blocks of 25 bytes: one falls inside a line and has no rows (it kept the meta's placeholder category)
    (tmp_path / "foo.1.csv").write_text("fruit,count\napple,10\napple,25\npear,100\norange,15\n")
    (tmp_path / "foo.2.csv").write_text("fruit,count\napple,200\nbanana,300\norange,400\nbanana,10\n")
    pattern = str(tmp_path / "foo.*.csv")
    got = _host(gd.read_csv(pattern, dtype={"fruit": "category"}, blocksize=25).compute())
    expected = dd.read_csv(pattern, dtype={"fruit": "category"}, blocksize=25).compute()
    assert sorted(got.fruit.cat.categories) == sorted(expected.fruit.cat.categories) == [
        "apple", "banana", "orange", "pear"]
    assert got.fruit.astype(str).tolist() == expected.fruit.astype(str).tolist()


def test_a_categorical_dtype_with_categories_stays_known(fruit_files):
    dtype = pd.CategoricalDtype(["apple", "banana", "pear"])
    df = gd.read_csv(fruit_files, dtype={"fruit": dtype})
    assert df.fruit.cat.known
    assert _host(df.compute()).fruit.dtype == dtype


@pytest.mark.parametrize("encoding, whole", [("utf-8-sig", False), ("utf-16", True), ("utf-16-le", True),
                                             ("utf-16-be", False)])
def test_encodings_are_cut_only_where_a_newline_ends(tmp_path, encoding, whole):
    path = tmp_path / "enc.csv"
    pd.DataFrame({"a": range(100), "b": [f"é{j % 7}" for j in range(100)]}).to_csv(path, encoding=encoding,
                                                                                     index=False)
    df = gd.read_csv(str(path), encoding=encoding, blocksize=200)
    assert (df.npartitions == 1) == whole
    tm.assert_frame_equal(_host(df.compute()).reset_index(drop=True), pd.read_csv(path, encoding=encoding))


def test_a_sample_ending_inside_quotes_is_named_and_sample_rows_avoids_it(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_bytes(b'a,b\n1,"hi\n"\n2,"oi\n"\n')
    with pytest.raises(ValueError, match="EOF encountered in the sample of 13 bytes.*sample_rows="):
        gd.read_csv(str(path), sample=13)
    df = gd.read_csv(str(path), sample=13, sample_rows=1)
    tm.assert_frame_equal(_host(df.compute()), pd.read_csv(path))


@needs_pandas_3("nested parse_dates lists still work (removed in pandas 3)")
def test_an_option_pandas_refuses_keeps_pandas_error_type(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("ID,date,time\n10,2003-11-04,180036\n11,2003-11-05,125640\n")
    with pytest.raises(TypeError) as expected:
        pd.read_csv(path, parse_dates=[["date", "time"]])  # nested lists: removed in pandas 3
    with pytest.raises(TypeError, match=f"d.csv.*{expected.value}"):
        gd.read_csv(str(path), parse_dates=[["date", "time"]]).compute()


@pytest.mark.parametrize("blocksize", [None, 60])
def test_read_fwf_reads_what_pandas_and_dask_read(tmp_path, blocksize):
    for k in range(2):
        rows = "".join(f"{name:<8}{amount:>6}{i:>4}\n" for i, (name, amount) in enumerate(
            [("Alice", 100 + k), ("Bob", -200), ("Charlie", 300), ("Dennis", 400), ("Edith", -500)]))
        (tmp_path / f"f{k}.txt").write_text(f"{'name':<8}{'amount':>6}{'id':>4}\n" + rows)
    pattern = str(tmp_path / "f*.txt")
    df = gd.read_fwf(pattern, blocksize=blocksize, colspecs=[(0, 8), (8, 14), (14, 18)])
    if blocksize:
        assert df.npartitions > 2
    expected = pd.concat([pd.read_fwf(tmp_path / f"f{k}.txt", colspecs=[(0, 8), (8, 14), (14, 18)])
                          for k in range(2)], ignore_index=True)
    tm.assert_frame_equal(_host(df.compute()).reset_index(drop=True), expected)
    theirs = dd.read_fwf(pattern, blocksize=blocksize, colspecs=[(0, 8), (8, 14), (14, 18)]).compute()
    assert _host(df.compute()).amount.tolist() == theirs.amount.tolist()
    assert dict(gd.read_fwf(pattern, dtype={"amount": "float64"}).dtypes)["amount"] == "float64"


@pytest.mark.parametrize("option", [{"chunksize": 50}, {"iterator": True}])
def test_pandas_piecewise_reading_options_are_refused_by_name(three_files, option):
    # pandas would hand back a TextFileReader, not a frame; dask refuses them by name too
    (name,) = option
    with pytest.raises(ValueError, match=f"{name} not supported"):
        dd.read_csv(os.path.join(three_files, "*.csv"), **option)
    with pytest.raises(ValueError, match=f"read_csv: {name}=.*blocksize"):
        gd.read_csv(os.path.join(three_files, "*.csv"), **option)
