"""read_json's dask options (include_path_column as a known categorical, engine=), compared with pandas and
dask.dataframe.read_json on the same files."""

from __future__ import annotations

import json
import os

import dask.dataframe as dd
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.pandas_versions import needs_pandas_3


def _host(frame) -> pd.DataFrame:
    return frame.to_pandas() if hasattr(frame, "to_pandas") else frame


@pytest.fixture
def two_files(tmp_path):
    for k in range(2):
        pd.DataFrame({"x": range(k * 20, k * 20 + 20), "y": list("abcde") * 4}).to_json(
            tmp_path / f"f{k}.json", orient="records", lines=True)
    return str(tmp_path / "f*.json")


@needs_pandas_3("dask turns text into Arrow strings under pandas 2, pandas keeps objects")
@pytest.mark.parametrize("blocksize", [None, 200])
def test_path_column_is_a_known_categorical_of_every_file(two_files, blocksize):
    df = gd.read_json(two_files, include_path_column=True, blocksize=blocksize)
    theirs = dd.read_json(two_files, include_path_column=True, blocksize=blocksize).compute()
    ours = _host(df.compute())
    # (the metadata on the host: a cuDF collection's dtype is a cudf.CategoricalDtype, never equal to pandas')
    assert df.path.cat.known and ours.path.dtype == _host(df._meta).path.dtype == theirs.path.dtype
    pd.testing.assert_frame_equal(ours.reset_index(drop=True), theirs.reset_index(drop=True))


def test_path_converter_and_a_taken_name(two_files):
    df = gd.read_json(two_files, include_path_column="file", path_converter=os.path.basename)
    assert _host(df.file.value_counts().compute()).sort_index().to_dict() == {"f0.json": 20, "f1.json": 20}
    with pytest.raises(ValueError, match="Files already contain the column name 'x'"):
        gd.read_json(two_files, include_path_column="x")


def test_engine_function_and_pandas_engine_name(tmp_path):
    path = tmp_path / "plain.json"
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    pdf.to_json(path, orient="records", lines=False)
    calls = []

    def reader(handle, **options):
        calls.append(sorted(options))
        return pd.DataFrame(json.load(handle))

    got = gd.read_json(str(path), orient="records", lines=False, engine=reader)
    pd.testing.assert_frame_equal(_host(got.compute()), pdf)
    assert calls and all(c == ["lines", "orient"] for c in calls)
    pdf.to_json(tmp_path / "lines.json", orient="records", lines=True)
    got = gd.read_json(str(tmp_path / "lines.json"), engine="pyarrow")
    expected = pd.read_json(tmp_path / "lines.json", lines=True, engine="pyarrow")
    pd.testing.assert_frame_equal(_host(got.compute()), expected)


def test_lines_need_records():
    with pytest.raises(ValueError, match="Line-delimited JSON is only available with orient='records'"):
        gd.read_json("nofile.json", orient="split", lines=True)
