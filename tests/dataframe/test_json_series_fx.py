"""read_json(typ="series") gives a Series collection, as pandas' read_json (and gpuscale's own Series.to_json
output reads back)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("blocksize", [None, 4])
def test_read_json_typ_series_lines(tmp_path, blocksize):
    path = str(tmp_path / "s.jsonl")
    pd.Series([1, 2, 3], name="a").to_json(path, orient="records", lines=True)
    expected = pd.read_json(path, typ="series", lines=True)
    got = gd.read_json(path, typ="series", lines=True, blocksize=blocksize)
    assert isinstance(got, gd.Series)
    result = to_host(got.compute())
    assert result.tolist() == expected.tolist()
    assert result.dtype == expected.dtype == got.dtype


def test_read_json_typ_series_whole_file(tmp_path):
    path = str(tmp_path / "s.json")
    pd.Series([1.5, 2.5]).to_json(path, orient="records")
    expected = pd.read_json(path, typ="series", orient="records")
    tm.assert_series_equal(to_host(gd.read_json(path, typ="series", lines=False).compute()), expected)


def test_series_to_json_reads_back(tmp_path):
    s = gd.from_pandas(pd.Series([1, 2, 3, 4, 5], name="v"), npartitions=2)
    s.to_json(str(tmp_path / "out"))
    back = to_host(gd.read_json(str(tmp_path / "out" / "*.part"), typ="series").compute())
    assert back.tolist() == [1, 2, 3, 4, 5]


def test_read_json_typ_series_refuses_path_column(tmp_path):
    path = str(tmp_path / "s.jsonl")
    pd.Series([1, 2]).to_json(path, orient="records", lines=True)
    with pytest.raises(ValueError, match="include_path_column"):
        gd.read_json(path, typ="series", include_path_column=True)
