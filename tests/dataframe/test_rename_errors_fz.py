"""``DataFrame.rename`` takes pandas' ``errors=`` (``"raise"``: a KeyError naming the labels not there), ``copy=``
and ``level=`` (of the columns); ``inplace=True`` is refused (it raised TypeError: unexpected keyword 'errors')."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def _frames(backend):
    pdf = pd.DataFrame({"a": [1, 2, 3, 4], "b": [5., 6., 7., 8.]}, index=[10, 20, 30, 40])
    return pdf, gd.from_pandas(pdf, npartitions=2, backend=backend)


def _raised(call):
    with pytest.raises(KeyError) as info:
        call()
    return str(info.value)


def test_rename_errors_raise_of_columns_and_index(backend):
    pdf, df = _frames(backend)
    for kwargs in ({"columns": {"nope": "x", "a": "y"}}, {"index": {10: 1, 99: 2}}, {"mapper": {"nope": "x"},
                                                                                      "axis": 1}):
        assert _raised(lambda: df.rename(**kwargs, errors="raise")) == \
            _raised(lambda: pdf.rename(**kwargs, errors="raise"))
    for kwargs in ({"columns": {"a": "y"}}, {"index": {10: 1, 40: 2}}, {"columns": str.upper},
                   {"columns": {"nope": "x"}, "errors": "ignore"}):
        kwargs = {"errors": "raise", **kwargs}
        tm.assert_frame_equal(to_host(df.rename(**kwargs).compute()), pdf.rename(**kwargs))


def test_rename_copy_level_and_inplace(backend):
    pdf, df = _frames(backend)
    tm.assert_frame_equal(to_host(df.rename(columns={"a": "y"}, copy=False).compute()),
                          pdf.rename(columns={"a": "y"}))
    tm.assert_frame_equal(to_host(df.rename(columns={"a": "y"}, level=0).compute()),
                          pdf.rename(columns={"a": "y"}, level=0))
    with pytest.raises(NotImplementedError, match="inplace"):
        df.rename(columns={"a": "y"}, inplace=True)
    with pytest.raises(ValueError, match="errors"):
        df.rename(columns={"a": "y"}, errors="bad")
