"""df.partitions[key]: a range selects as a list of the same positions does (as dask); a position out of
range is dask's IndexError, not Python's "list index out of range"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def frames():
    pdf = pd.DataFrame({"x": np.arange(20)})
    return pdf, gd.from_pandas(pdf, npartitions=5)


def test_range_selects_as_list(frames):
    pdf, df = frames
    out = df.partitions[range(2)]
    assert out.npartitions == 2 and out.divisions == df.partitions[[0, 1]].divisions
    tm.assert_frame_equal(to_host(out.compute()), pdf.iloc[:8])
    tm.assert_frame_equal(to_host(df.partitions[range(4, 1, -2)].compute()), pdf.iloc[np.r_[16:20, 8:12]])


@pytest.mark.parametrize("key", [5, -6, [0, 5], range(3, 6)])
def test_out_of_range_is_index_error(frames, key):
    with pytest.raises(IndexError, match="out of bounds for axis 0 with size 5"):
        frames[1].partitions[key]
