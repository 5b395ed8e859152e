"""Reductions, windows, ``describe`` and quantiles of the dtypes beyond plain numbers that disagreed with pandas
(found by fuzzing against pandas 3.1): complex moments, shift/diff of Arrow dictionary and sparse columns,
``describe`` of Arrow durations, quantiles of Arrow decimals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in


def _complex_frame() -> pd.DataFrame:
    c = pd.Series(np.arange(6) + 1j * np.arange(6)[::-1])
    c[2] = np.nan
    return pd.DataFrame({"c": c, "f": np.arange(6.0), "i": np.arange(6)})


@pytest.mark.parametrize("npartitions", [1, 2, 3])
@pytest.mark.parametrize("how", ["mean", "sum", "var", "std", "sem"])
def test_complex_moments_keep_the_imaginary_part(npartitions, how):
    # the moments were taken of the values cast to float64: mean() of a complex Series lost its imaginary
    # part (2.5 for pandas' 2.5+2.5j), var/std/sem measured the real parts only
    skip_on_stand_in("cuDF has no complex dtype")
    pdf = _complex_frame()
    df = gd.from_pandas(pdf, npartitions=npartitions)
    for kwargs in ({}, {"skipna": False}):
        got, expected = getattr(df.c, how)(**kwargs).compute(), getattr(pdf.c, how)(**kwargs)
        assert np.asarray(got).dtype == np.asarray(expected).dtype, (how, kwargs)
        np.testing.assert_allclose(got, expected, equal_nan=True)
        got, expected = getattr(df, how)(**kwargs).compute(), getattr(pdf, how)(**kwargs)
        pd.testing.assert_series_equal(got, expected, check_exact=False, rtol=1e-12)
