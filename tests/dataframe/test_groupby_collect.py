"""dask_cudf's groupby ``collect`` (each group's values as a list, cuDF's collect_list aggregation), checked
against pandas' ``agg(list)``; and the columns an unsupported aggregation's error names."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


def _frame():
    return pd.DataFrame({"k": [1, 2, 1, 3, 2, 1, 3, 1], "v": [1.5, 2.0, 3.0, 4.0, 5.5, 6.0, 7.0, 8.0],
                         "y": list("abcdefgh"), "z": [1, 2, 3, 4, 5, 6, 7, 8]})


def _rows(result):
    """A computed result with each list as a Python list (cuDF's list columns come back as arrays or lists)."""
    host = to_host(result.compute())
    return host.map(list) if isinstance(host, pd.Series) else host.apply(lambda c: c.map(list))


@pytest.mark.parametrize("npartitions", [1, 3])
def test_agg_collect_is_each_groups_values_as_a_list(backend, npartitions):
    pdf = _frame()
    gb, expected = gd.from_pandas(pdf, npartitions=npartitions, backend=backend).groupby("k"), pdf.groupby("k")
    pd.testing.assert_series_equal(_rows(gb.v.agg("collect")), expected.v.agg(list))
    pd.testing.assert_frame_equal(_rows(gb.agg({"v": "collect", "y": "collect"})),
                                  expected.agg({"v": list, "y": list}))
    got = to_host(gb.agg({"v": ["collect", "sum"], "z": "max"}).compute())
    want = expected.agg({"v": [list, "sum"], "z": "max"})  # labelled "list", as dask_cudf's (it redirects to list)
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_series_equal(got[("v", "list")].map(list), want[("v", "list")])
    pd.testing.assert_frame_equal(got.drop(columns=[("v", "list")]), want.drop(columns=[("v", "list")]))
    named = to_host(gb.agg(values=("v", "collect"), total=("z", "sum")).compute())
    pd.testing.assert_series_equal(named["values"].map(list), expected.agg(values=("v", list))["values"])


def test_collect_method_is_agg_list_with_dask_cudfs_deprecation(backend):
    pdf = _frame()
    gb = gd.from_pandas(pdf, npartitions=3, backend=backend).groupby("k")
    with pytest.warns(FutureWarning, match=r"Use `\.agg\(list\)` instead"):
        series = gb.v.collect()
    pd.testing.assert_series_equal(_rows(series), pdf.groupby("k").v.agg(list))
    with pytest.warns(FutureWarning):
        frame = gb[["v", "y"]].collect()
    pd.testing.assert_frame_equal(_rows(frame), pdf.groupby("k")[["v", "y"]].agg(list))


def test_agg_error_names_the_columns_asked_for(backend):
    pdf = _frame()
    gb = gd.from_pandas(pdf, npartitions=2, backend=backend).groupby("k")
    with pytest.raises(TypeError, match=r"not supported for columns \['y'\]"):  # (it named v, y and z)
        gb.agg({"y": "median"})
    with pytest.raises(TypeError, match=r"not supported for columns \['y', 'v'\]"):  # (named: those it reads)
        gb.agg(m=("y", "median"), s=("v", "sum"))
