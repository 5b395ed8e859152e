"""Examples of dask's and pandas' documentation that gpuscale got wrong: DataFrame operators with a list of
values per column, the group order of groupby().rolling(), merge_asof on indexes of unknown divisions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

_OPERATORS = ["__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
              "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__",
              "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"]


@pytest.mark.filterwarnings("ignore:Operation with tuple:DeprecationWarning", "ignore:Operation with tuple")
@pytest.mark.parametrize("op", _OPERATORS)
@pytest.mark.parametrize("values", [[1, 2], (1, 2), np.array([1, 2])], ids=["list", "tuple", "array"])
def test_frame_operator_with_values_per_column_matches_pandas(op, values):
    pdf = pd.DataFrame({"angles": [0, 3, 4], "degrees": [360, 180, 360]})
    df = gd.from_pandas(pdf, npartitions=2)
    expected = getattr(pdf, op)(values)
    tm.assert_frame_equal(to_host(getattr(df, op)(values).compute()), expected)
    # a column taken from the result: the operand stays matched to the columns, not split by the projection
    tm.assert_series_equal(to_host(getattr(df, op)(values)["degrees"].compute()), expected["degrees"])


def test_frame_values_per_column_of_another_length_refused_at_once_as_pandas():
    pdf = pd.DataFrame({"angles": [0, 3, 4], "degrees": [360, 180, 360]})
    df = gd.from_pandas(pdf, npartitions=2)
    with pytest.raises(ValueError) as theirs:
        pdf + [1, 2, 3]
    with pytest.raises(ValueError, match=str(theirs.value)):
        df + [1, 2, 3]
    with pytest.raises(ValueError, match=str(theirs.value)):
        df == (1, 2, 3)
