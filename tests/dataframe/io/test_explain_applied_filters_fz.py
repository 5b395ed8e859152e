"""explain() names exactly the filters the parquet scan applies: a term the scan cannot apply as pandas
(a float ``!=``, whose NaN rule differs) stays a Filter and is not listed on ReadParquet."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host
from tests.dataframe import host_testing as tm


@pytest.fixture
def path(tmp_path):
    out = str(tmp_path / "r.parquet")
    pd.DataFrame({"e": [3.0, 3.0, 1.0, np.nan], "i": [3, 3, 1, 2]}).to_parquet(out, row_group_size=2)
    return out


def _leaf_line(query, capsys):
    query.explain("simplified-logical")
    return next(line for line in capsys.readouterr().out.splitlines() if "ReadParquet" in line)


def test_int_not_equal_is_listed(path, capsys):
    df = gd.read_parquet(path)
    line = _leaf_line(df[df.i != 3], capsys)
    assert "filters=[('i', '!=', 3)]" in line and "row_groups=1/2" in line


def test_float_not_equal_is_not_listed(path, capsys):
    df = gd.read_parquet(path)
    query = df[df.e != 3.0]
    line = _leaf_line(query, capsys)
    assert "filters=" not in line and "row_groups=2/2" in line
    expected = pd.read_parquet(path)
    tm.assert_frame_equal(to_host(query.compute()), expected[expected.e != 3.0])


def test_user_filters_and_applied_terms_listed(path, capsys):
    df = gd.read_parquet(path, filters=[("i", ">", 0)])
    line = _leaf_line(df[(df.e != 3.0) & (df.i != 1)], capsys)
    assert "filters=[[('i', '>', 0)], ('i', '!=', 1)]" in line
