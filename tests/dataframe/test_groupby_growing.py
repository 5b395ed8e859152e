"""``groupby(...).expanding()`` and ``groupby(...).ewm()`` (pandas'; dask has neither), against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends import to_host
from gpuscale.testing import assert_eq


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    out = pd.DataFrame({"k": rng.integers(0, 4, 60), "x": rng.random(60), "y": rng.integers(0, 9, 60)},
                       index=np.arange(60) * 3)
    out.loc[out.index[::5], "x"] = np.nan
    return out


def _same(got, expected):
    """Rows of whole groups come in shuffled order: compared in the index's order."""
    assert_eq(to_host(got.compute()).sort_index(), expected.sort_index(), sort_results=False)
    meta = to_host(got._meta)
    assert list(meta.index.names) == list(expected.index.names)


@pytest.mark.parametrize("how", ["count", "sum", "mean", "min", "max", "std", "var", "median"])
def test_groupby_expanding_as_pandas(pdf, backend, how):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    _same(getattr(df.groupby("k").x.expanding(), how)(), getattr(pdf.groupby("k").x.expanding(), how)())
    _same(getattr(df.groupby("k").expanding(min_periods=3), how)(),
          getattr(pdf.groupby("k").expanding(min_periods=3), how)())


@pytest.mark.parametrize("how", ["mean", "sum", "var", "std"])
@pytest.mark.parametrize("kwargs", [{"span": 3}, {"alpha": 0.4, "adjust": False}, {"com": 1.5, "min_periods": 2}])
def test_groupby_ewm_as_pandas(pdf, backend, how, kwargs):
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    if how == "sum" and kwargs.get("adjust") is False:  # pandas refuses it; so does gpuscale, when asked
        with pytest.raises(NotImplementedError, match="adjust=False"):
            getattr(pdf.groupby("k").x.ewm(**kwargs), how)()
        with pytest.raises(NotImplementedError, match="adjust=False"):
            getattr(df.groupby("k").x.ewm(**kwargs), how)()
        return
    _same(getattr(df.groupby("k").x.ewm(**kwargs), how)(), getattr(pdf.groupby("k").x.ewm(**kwargs), how)())


def test_groupby_growing_arguments_and_errors(pdf):
    df = gd.from_pandas(pdf, npartitions=3, backend="cpu")
    _same(df.groupby("k").x.expanding().quantile(0.25), pdf.groupby("k").x.expanding().quantile(0.25))
    with pytest.raises(AttributeError, match="has no method 'median'"):
        df.groupby("k").x.ewm(span=2).median()
    assert "quantile" in dir(df.groupby("k").expanding())
