"""read_csv with several blocks agrees with pandas reading the whole file: one date format for every block,
usecols naming an index_col column, index levels with the meta's dtypes."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends.io import CsvDtypeError
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


def _write(tmp_path, text: str) -> str:
    path = str(tmp_path / "data.csv")
    with open(path, "w") as f:
        f.write(text)
    return path


def _pandas_blocks(backend: str) -> None:
    # cuDF partitions of these reads are parsed by cudf.read_csv, which has no per-block format guessing
    if backend == "cudf":
        skip_on_stand_in("cudf.read_csv parses the dates of cuDF blocks itself")


def test_dates_one_format_kept_as_text_like_pandas(tmp_path, backend):
    # month first from the first value; 13/02 does not parse with it: pandas keeps the file's text
    _pandas_blocks(backend)
    path = _write(tmp_path, "d,v\n01/02/2020,1\n13/02/2020,2\n")
    df = gd.read_csv(path, parse_dates=["d"], blocksize=15)
    assert df.npartitions == 2
    expected = pd.read_csv(path, parse_dates=["d"])
    tm.assert_frame_equal(to_host(df.compute()).reset_index(drop=True), expected)


def test_dates_index_parse_dates_true_meta_agrees(tmp_path, backend):
    _pandas_blocks(backend)
    path = _write(tmp_path, "d,v\n01/02/2020,1\n13/02/2020,2\n")
    df = gd.read_csv(path, parse_dates=True, index_col=0, blocksize=15)
    expected = pd.read_csv(path, parse_dates=True, index_col=0)
    result = to_host(df.compute())
    assert result.index.dtype == to_host(df._meta).index.dtype
    tm.assert_frame_equal(result, expected)


@pytest.mark.parametrize("kwargs", [{"parse_dates": ["d"]}, {"parse_dates": True, "index_col": 0}])
def test_dates_not_parsing_with_the_files_format_raise(tmp_path, backend, kwargs):
    # the sample sees only 01/02/2020 (month first); the later block's 13/02/2020 was read day first
    _pandas_blocks(backend)
    path = _write(tmp_path, "d,v\n01/02/2020,1\n13/02/2020,2\n")
    df = gd.read_csv(path, blocksize=15, sample=16, **kwargs)
    with pytest.raises(CsvDtypeError, match=r"'d' of .*data.csv.*%m/%d/%Y.*date_format=.*blocksize=None"):
        df.compute()


def test_dates_later_block_uses_the_files_format(tmp_path, backend):
    # 12/02/2020 alone would parse either way; the file's format (month first, or dayfirst=True) decides
    _pandas_blocks(backend)
    path = _write(tmp_path, "d,v\n01/02/2020,1\n\n12/02/2020,2\n")
    for kwargs in ({}, {"dayfirst": True}):
        df = gd.read_csv(path, parse_dates=["d"], blocksize=15, sample=16, **kwargs)
        assert df.npartitions > 1
        expected = pd.read_csv(path, parse_dates=["d"], **kwargs)
        tm.assert_frame_equal(to_host(df.compute()).reset_index(drop=True), expected)


def test_usecols_naming_the_index_col(tmp_path, backend):
    path = _write(tmp_path, "a,b,c\n1,x,2020-01-01\n2,y,2020-01-02\n")
    df = gd.read_csv(path, usecols=["a", "c"], index_col="c")
    tm.assert_frame_equal(to_host(df.compute()), pd.read_csv(path, usecols=["a", "c"], index_col="c"))


def test_multiindex_text_level_all_missing_in_a_block(tmp_path, backend):
    if backend == "cudf":
        skip_on_stand_in("cuDF text levels come back to the host as objects")
    path = _write(tmp_path, "i,s,v\n1,a,1\n2,,2\n3,b,3\n")
    df = gd.read_csv(path, index_col=["i", "s"], blocksize=8)
    assert df.npartitions == 3
    result, meta = to_host(df.compute()), to_host(df._meta)
    expected = pd.read_csv(path, index_col=["i", "s"])
    assert list(result.index.dtypes) == list(meta.index.dtypes) == list(expected.index.dtypes)
    tm.assert_frame_equal(result, expected)
    for i in range(df.npartitions):  # every partition, not only their concatenation
        assert list(to_host(df.partitions[i].compute()).index.dtypes) == list(expected.index.dtypes)


def test_pyarrow_engine_block_of_nulls_in_an_object_column(tmp_path, backend):
    # pyarrow reads a block whose column is all missing as float NaN; pandas' object column holds None
    if backend == "cudf":
        skip_on_stand_in("cuDF partitions hold no Python None")
    pytest.importorskip("pyarrow")
    path = _write(tmp_path, "a,b\n1,True\n2,\n3,\n4,False\n")
    df = gd.read_csv(path, engine="pyarrow", blocksize=8)
    assert df.npartitions > 2
    assert to_host(df.compute()).b.tolist() == pd.read_csv(path, engine="pyarrow").b.tolist() == [True, None, None, False]


@pytest.mark.parametrize("options", [{}, {"dtype_backend": "numpy_nullable"}, {"dtype_backend": "pyarrow"}])
@pytest.mark.parametrize("blocksize", [None, 12, 40])
def test_pyarrow_engine_dates_as_pandas_reads_them(tmp_path, backend, options, blocksize):
    # pyarrow's engine reads a date column as datetime.date objects (an object column, without an Arrow
    # dtype_backend): every block read that object column as text, so the dates came back as strings
    skip_on_stand_in("cuDF partitions hold no datetime.date objects")
    pytest.importorskip("pyarrow")
    days = [f"2020-01-{d:02d}" if d % 3 else "" for d in range(1, 15)]
    path = _write(tmp_path, "a,b\n" + "".join(f"{i},{d}\n" for i, d in enumerate(days)))
    expected = pd.read_csv(path, engine="pyarrow", **options)
    df = gd.read_csv(path, engine="pyarrow", blocksize=blocksize, **options)
    assert list(df._meta.dtypes) == list(expected.dtypes)
    tm.assert_frame_equal(df.compute().reset_index(drop=True), expected)
