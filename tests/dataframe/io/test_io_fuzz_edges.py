"""IO edge cases found by fuzzing against pandas 3: booleans in read_csv blocks, skipfooter / callable skiprows
with blocks, all-missing hive partitions, atomic to_hdf, read_json errors and empty first files."""

from __future__ import annotations

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
