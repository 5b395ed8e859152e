"""``describe()`` of datetimes and timedeltas in a coarse unit holding values outside the nanosecond range
(years 1500-3100, spans of 1600 years): described in the column's own unit, as pandas on the whole series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

YEARS = np.array(["1500-01-01", "2000-01-01", "2800-01-01", "3100-01-01", "1999-05-04T10:11:12"],
                 dtype="datetime64[s]")


def _as_strings(col):
    return col.map(lambda v: None if pd.isna(v) else str(v)).astype("str") if col.dtype == object else col


def _check(got, want, backend):
    """pandas' table, dtypes too (cuDF writes a non-numeric describe table as strings, so does a cuDF result)."""
    got = to_host(got.compute())
    if backend == "cudf":
        want = _as_strings(want) if isinstance(want, pd.Series) else want.apply(_as_strings)
    if isinstance(want, pd.Series):
        pd.testing.assert_series_equal(got, want)
    else:
        pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("unit", ["s", "ms"])
@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_describe_datetimes_outside_the_nanosecond_range(unit, npartitions, backend):
    s = pd.Series(YEARS.astype(f"datetime64[{unit}]"), name="t")
    _check(gd.from_pandas(s, npartitions=npartitions).describe(), s.describe(), backend)


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_describe_timedeltas_outside_the_nanosecond_range(npartitions, backend):
    s = pd.Series(YEARS) - pd.Series(YEARS).min()
    _check(gd.from_pandas(s, npartitions=npartitions).describe(), s.describe(), backend)


def test_describe_frame_of_far_times(backend):
    t = pd.Series(YEARS)
    pdf = pd.DataFrame({"t": t, "d": t - t.min(), "x": np.arange(5.0)})
    _check(gd.from_pandas(pdf, npartitions=2).describe(include="all"), pdf.describe(include="all"), backend)
