"""pivot_table keeps the ordering of its ``columns=`` categorical in the result's columns (and its metadata),
as pandas."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("ordered", [True, False])
@pytest.mark.parametrize("values", ["v", ["v", "w"]])
def test_pivot_table_keeps_ordered(backend, ordered, values):
    pdf = pd.DataFrame({"b": ["p", "q", "p"], "o": pd.Categorical(["lo", "hi", "hi"], categories=["lo", "hi"],
                                                                  ordered=ordered),
                        "v": [1.0, 2.0, 3.0], "w": [4.0, 5.0, 6.0]})
    expected = pdf.pivot_table(index="b", columns="o", values=values, aggfunc="sum", observed=False)
    table = gd.from_pandas(pdf, npartitions=2, backend=backend).pivot_table(index="b", columns="o", values=values,
                                                                            aggfunc="sum")
    got = to_host(table.compute())
    for columns in (got.columns, table._meta.columns):
        level = columns if isinstance(values, str) else columns.levels[1]
        assert level.dtype == pd.CategoricalDtype(["lo", "hi"], ordered=ordered)
    pd.testing.assert_frame_equal(got, expected, check_column_type=False)
