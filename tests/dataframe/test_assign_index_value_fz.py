"""Assigning an in-memory Index as a column: refused like a list (it has no partitions to follow;
it was repeated in every partition), while an in-memory Series still aligns on the index as pandas."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host
from tests.dataframe import host_testing as tm


@pytest.mark.parametrize("value", [pd.Index(range(100, 105)), pd.Index(range(100, 110)),
                                   pd.date_range("2020", periods=10, freq="h")])
def test_assign_index_refused(value):
    df = gd.from_pandas(pd.DataFrame({"v": range(10)}), npartitions=2)
    with pytest.raises(TypeError, match=f"got a {type(value).__name__}, which has no partitions"):
        df.assign(t=value)
    with pytest.raises(TypeError, match="which has no partitions"):
        df["t"] = value


@pytest.mark.parametrize("value", [pd.Series(range(100, 110)), pd.Series(range(100, 110))[::-1],
                                   pd.Series(range(3))])
def test_assign_pandas_series_aligns(value):
    pdf = pd.DataFrame({"v": range(10)})
    df = gd.from_pandas(pdf, npartitions=2)
    tm.assert_frame_equal(to_host(df.assign(t=value).compute()), pdf.assign(t=value))
