"""DataFrame.drop's default axis is 0 (pandas and dask): ``drop(label)`` is refused with dask's message
(it dropped a column, where pandas drops a row); ``axis=1``, ``columns=`` and ``index=`` work as pandas."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host
from tests.dataframe import host_testing as tm


@pytest.fixture
def frames():
    pdf = pd.DataFrame({"a": [1, 2, 3, 4], "b": [5, 6, 7, 8]}, index=["w", "x", "y", "z"])
    return pdf, gd.from_pandas(pdf, npartitions=2)


@pytest.mark.parametrize("call", [lambda f: f.drop("a"), lambda f: f.drop(["a"], axis=0),
                                  lambda f: f.drop("a", axis="index")])
def test_drop_labels_on_axis_0_refused(frames, call):
    with pytest.raises(NotImplementedError,
                       match="Drop currently only works for axis=1 or when columns is not None.*index="):
        call(frames[1])


def test_drop_without_labels_refused(frames):
    with pytest.raises(TypeError, match="must either specify 'columns' or 'labels'"):
        frames[1].drop()


@pytest.mark.parametrize("kwargs", [dict(labels="a", axis=1), dict(labels=["a"], axis="columns"),
                                    dict(columns="b"), dict(index=["x", "z"]), dict(index="w", columns=["a"])])
def test_drop_columns_and_rows_as_pandas(frames, kwargs):
    pdf, df = frames
    tm.assert_frame_equal(to_host(df.drop(**kwargs).compute()), pdf.drop(**kwargs))


def test_drop_bad_axis(frames):
    with pytest.raises(ValueError, match="No axis named 2"):
        frames[1].drop("a", axis=2)
