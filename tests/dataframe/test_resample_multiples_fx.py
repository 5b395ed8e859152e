"""``resample`` by multiples of calendar-anchored rules (``2W``, ``2ME``, ``3B``, a time-zone-aware ``2D`` ...)
over several partitions: every partition bins on the whole collection's grid, as pandas does over all rows (each
partition had anchored its bins at its own first row: bins dropped, or "Index is not contained" raised)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq

_RULES = ["2W", "3W", "2W-WED", "2ME", "2QE", "2YE", "2BME", "2B", "3B", "2MS", "2D", "3D"]
_STARTS = ["2024-01-01", "2024-01-03 05:00", "2024-01-06", "2023-12-31 23:00"]
_SPACINGS = {"2W": ["13h", "D", "3D"], "3W": ["13h", "D", "3D"], "2W-WED": ["13h", "D", "3D"],
             "2ME": ["D", "5D", "17D"], "2QE": ["5D", "17D"], "2YE": ["11D", "40D"], "2BME": ["D", "5D"],
             "2B": ["7h", "D"], "3B": ["7h", "D"], "2MS": ["D", "5D"], "2D": ["7h", "31h"], "3D": ["7h", "31h"]}


@pytest.mark.parametrize("rule", _RULES)
@pytest.mark.parametrize("start", _STARTS)
@pytest.mark.parametrize("tz", [None, "UTC"])
def test_multiples_of_anchored_rules_match_pandas(backend, rule, start, tz):
    for spacing in _SPACINGS[rule]:
        pdf = pd.DataFrame({"x": np.arange(40.0), "n": np.arange(40) % 7},
                           index=pd.date_range(start, periods=40, freq=spacing, tz=tz))
        for npartitions in (2, 5):
            df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
            for how in ("sum", "max"):
                assert_eq(getattr(df.resample(rule), how)(), getattr(pdf.resample(rule), how)(), check_freq=False)


@pytest.mark.parametrize("rule", ["2W", "2ME", "3B"])
@pytest.mark.parametrize("how", ["first", "last", "median", "nunique", "ohlc", "ffill", "asfreq"])
def test_other_aggregations_on_the_collection_grid(backend, rule, how):
    pdf = pd.DataFrame({"x": np.arange(60.0)}, index=pd.date_range("2024-01-03", periods=60, freq="29h"))
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(getattr(df.x.resample(rule), how)(), getattr(pdf.x.resample(rule), how)(), check_freq=False)


def test_examples_of_the_report(backend):
    pdf = pd.DataFrame({"x": np.ones(20)}, index=pd.date_range("2024-01-01", periods=20, freq="D"))
    assert_eq(gd.from_pandas(pdf, npartitions=2, backend=backend).resample("2W").sum(), pdf.resample("2W").sum(),
              check_freq=False)
    months = pd.DataFrame({"x": np.ones(10)}, index=pd.date_range("2024-01-01", periods=10, freq="MS"))
    assert_eq(gd.from_pandas(months, npartitions=2, backend=backend).resample("2ME").sum(),
              months.resample("2ME").sum(), check_freq=False)
    col = pdf.reset_index(names="t")
    assert_eq(gd.from_pandas(col, npartitions=2, backend=backend).groupby(pd.Grouper(key="t", freq="2W")).x.sum(),
              col.groupby(pd.Grouper(key="t", freq="2W")).x.sum(), check_freq=False)


def test_time_zone_aware_two_days_without_a_warning(backend):
    """pandas bins a time-zone-aware ``2D`` by calendar days from the first row's; no origin was asked for, so no
    warning about one."""
    pdf = pd.DataFrame({"x": np.ones(8)}, index=pd.date_range("2024-01-01", periods=8, freq="31h", tz="UTC"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = gd.from_pandas(pdf, npartitions=2, backend=backend).resample("2D").sum().compute()
    assert_eq(got, pdf.resample("2D").sum(), check_freq=False)
