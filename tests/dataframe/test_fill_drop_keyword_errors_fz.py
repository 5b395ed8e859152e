"""fillna(method=) / dropna(method=) / dropna(columnwise=) raise pandas' TypeError for an unexpected keyword
(they collided with internal parameters: "got multiple values for argument 'method'"); fillna(method=)
points to ffill / bfill, and per-partition filling is never done silently."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host
from tests.dataframe import host_testing as tm


@pytest.fixture
def frames():
    pdf = pd.DataFrame({"a": [1.0, np.nan, np.nan, 4.0, np.nan, 6.0], "b": [np.nan, 2.0, 3.0, np.nan, 5.0, 6.0]})
    return pdf, gd.from_pandas(pdf, npartitions=3)


@pytest.mark.parametrize("method", ["ffill", "bfill", "pad", None])
@pytest.mark.parametrize("series", [False, True])
def test_fillna_method_refused(frames, method, series):
    df = frames[1].a if series else frames[1]
    with pytest.raises(TypeError, match=r"fillna\(\) got an unexpected keyword argument 'method'.*ffill\(\)"):
        df.fillna(method=method)


@pytest.mark.parametrize("kwargs", [{"method": "any"}, {"columnwise": True}, {"columnwise": False},
                                    {"how": "any", "label": "x"}])
@pytest.mark.parametrize("series", [False, True])
def test_dropna_unknown_keyword_refused(frames, kwargs, series):
    pdf, df = frames
    if series:
        pdf, df = pdf.a, df.a
    with pytest.raises(TypeError) as want:
        pdf.dropna(**kwargs)
    with pytest.raises(TypeError, match="got an unexpected keyword argument") as got:
        df.dropna(**kwargs)
    assert str(got.value) == str(want.value)


def test_fill_and_drop_still_work(frames):
    pdf, df = frames
    tm.assert_frame_equal(to_host(df.ffill().compute()), pdf.ffill())
    tm.assert_frame_equal(to_host(df.bfill().compute()), pdf.bfill())
    tm.assert_frame_equal(to_host(df.fillna(0).compute()), pdf.fillna(0))
    tm.assert_frame_equal(to_host(df.fillna({"a": -1}).compute()), pdf.fillna({"a": -1}))
    tm.assert_frame_equal(to_host(df.dropna(how="all", subset=["a"]).compute()), pdf.dropna(how="all", subset=["a"]))
    tm.assert_frame_equal(to_host(df.dropna(thresh=2).compute()), pdf.dropna(thresh=2))
