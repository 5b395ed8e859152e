"""Custom accessors (``gpuscale.dataframe.extensions``), as dask.dataframe.extensions registers them."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd


@pytest.fixture
def registered():
    names = []
    yield names
    for cls, name in names:
        delattr(cls, name)


def test_accessors_reach_the_collection_and_are_made_once(registered):
    ext = gd.extensions

    @ext.register_dataframe_accessor("acc_test")
    class Acc:
        made = 0

        def __init__(self, df):
            Acc.made += 1
            self._df = df

        def total(self, column):
            return self._df[column].sum()

    registered.append((gd.DataFrame, "acc_test"))
    df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3]}), npartitions=2)
    assert int(df.acc_test.total("x").compute()) == 6
    assert df.acc_test is df.acc_test and Acc.made == 1
    assert gd.DataFrame.acc_test is Acc


def test_series_and_index_accessors_and_a_warning_on_override(registered):
    ext = gd.extensions

    @ext.register_series_accessor("acc_test")
    class SeriesAcc:
        def __init__(self, s):
            self.n = s.npartitions

    @ext.register_index_accessor("acc_test")
    class IndexAcc:
        def __init__(self, index):
            self.index = index

    registered.extend([(gd.Series, "acc_test"), (gd.Index, "acc_test")])
    df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3]}), npartitions=3)
    assert df.x.acc_test.n == 3
    assert isinstance(df.index.acc_test.index, gd.Index)
    with pytest.warns(UserWarning, match="overrides an existing attribute"):
        ext.register_series_accessor("acc_test")(IndexAcc)  # a second registration under the same name
    assert isinstance(df.x.acc_test, IndexAcc)
