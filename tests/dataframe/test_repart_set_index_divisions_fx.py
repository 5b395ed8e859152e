"""set_index(col, divisions=) checks the boundaries where they are given, computing nothing (as dask): a
boundary that cannot be compared with the column's values is a TypeError naming the column; a repeated
boundary (but the last, a last partition of one label) a ValueError."""

from __future__ import annotations

import dask
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def _refuse(*args, **kwargs):
    raise AssertionError("set_index(divisions=) must not compute")


@pytest.fixture
def frames():
    pdf = pd.DataFrame({"k": np.arange(30) % 29, "x": np.arange(30),
                        "t": pd.date_range("2021-01-01", periods=30, freq="D")})
    return pdf, gd.from_pandas(pdf, npartitions=3)


@pytest.mark.parametrize("divisions", [["a", "z"], [0, "m", 29]])
def test_divisions_of_another_type_refused(frames, divisions):
    with dask.config.set(scheduler=_refuse), pytest.raises(TypeError, match="'k'"):
        frames[1].set_index("k", divisions=divisions)


def test_repeated_inner_boundary_refused(frames):
    with dask.config.set(scheduler=_refuse), pytest.raises(ValueError, match="unique"):
        frames[1].set_index("k", divisions=[0, 10, 10, 29])


@pytest.mark.parametrize("divisions", [[0, 10, 29, 29], [0, 5.5, 29], (0, 28, 29)])
def test_valid_divisions_kept(frames, divisions):
    pdf, df = frames
    with dask.config.set(scheduler=_refuse):
        out = df.set_index("k", divisions=divisions)
    assert list(out.divisions) == list(divisions)
    tm.assert_frame_equal(to_host(out.compute()).sort_values("x"), pdf.set_index("k").sort_values("x"))


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_datetime_string_divisions(frames, unit):
    pdf, _ = frames
    pdf = pdf.astype({"t": f"datetime64[{unit}]"})  # (NumPy gives nanoseconds as integers, not datetimes)
    df = gd.from_pandas(pdf, npartitions=3)
    with dask.config.set(scheduler=_refuse):
        out = df.set_index("t", divisions=["2021-01-01", "2021-01-15", "2021-01-30"])
    tm.assert_frame_equal(to_host(out.compute()), pdf.set_index("t"))
    tm.assert_frame_equal(to_host(out.loc["2021-01-10":"2021-01-20"].compute()),
                          pdf.set_index("t").loc["2021-01-10":"2021-01-20"])
