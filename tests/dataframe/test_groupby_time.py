"""``groupby(pd.Grouper(freq=...))``: pandas' time bins of a column or of the index (empty bins included)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def events() -> pd.DataFrame:
    """Timestamps in no order over 20 days, so some 6-hour bins are empty."""
    rng = np.random.default_rng(0)
    n = 120
    t = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 20 * 24 * 3600, n), unit="s")
    return pd.DataFrame({"t": t, "x": rng.random(n), "k": rng.integers(0, 5, n)})


@pytest.mark.parametrize("freq", ["D", "6h", "7h", "2D", "W", "ME", "MS"])
@pytest.mark.parametrize("how", ["sum", "count", "mean", "min", "max", "size", "first", "last", "std", "nunique"])
def test_time_bins_of_a_column_as_pandas(events, backend, freq, how):
    df = gd.from_pandas(events, npartitions=4, backend=backend)
    expected = getattr(events.groupby(pd.Grouper(key="t", freq=freq)).x, how)()
    assert_eq(getattr(df.groupby(pd.Grouper(key="t", freq=freq)).x, how)(), expected)


def test_time_bins_of_frames_lists_and_dicts(events, backend):
    df = gd.from_pandas(events, npartitions=3, backend=backend)
    grouper = pd.Grouper(key="t", freq="D", closed="right", label="right")
    pg = events.groupby(grouper)
    assert_eq(df.groupby(grouper)[["x", "k"]].sum(), pg[["x", "k"]].sum())
    assert_eq(df.groupby(grouper).agg({"x": "mean", "k": "max"}), pg.agg({"x": "mean", "k": "max"}))
    assert_eq(df.groupby(grouper).size(), pg.size())


def test_time_bins_of_the_index(events, backend):
    indexed = events.set_index("t")
    unsorted = gd.from_pandas(indexed, npartitions=3, sort=False, backend=backend)  # unknown divisions
    assert_eq(unsorted.groupby(pd.Grouper(freq="D")).sum(), indexed.groupby(pd.Grouper(freq="D")).sum())
    assert_eq(unsorted.x.groupby(pd.Grouper(freq="12h")).mean(), indexed.x.groupby(pd.Grouper(freq="12h")).mean())
    known = gd.from_pandas(indexed, npartitions=3, backend=backend)
    assert known.known_divisions
    assert_eq(known.groupby(pd.Grouper(freq="W")).x.max(), indexed.groupby(pd.Grouper(freq="W")).x.max())


def test_rows_without_a_time_are_dropped(events, backend):
    events.loc[[3, 50], "t"] = pd.NaT
    df = gd.from_pandas(events, npartitions=4, backend=backend)
    result = df.groupby(pd.Grouper(key="t", freq="D")).x.sum().compute()
    expected = events.groupby(pd.Grouper(key="t", freq="D")).x.sum()
    # pandas' index loses its freq when some key is missing (its quirk); the bins and sums are the same
    pd.testing.assert_series_equal(_host(result), expected, check_freq=False)


@pytest.mark.parametrize("freq", ["D", "6h", "7h", "2D", "W", "ME"])
def test_time_bins_beside_other_keys_as_pandas(events, backend, freq):
    """pandas bins the whole column (anchored at its first time) and keeps the observed combinations only."""
    events.loc[[5, 60], "t"] = pd.NaT
    df = gd.from_pandas(events, npartitions=4, backend=backend)
    for keys in ([pd.Grouper(key="t", freq=freq), "k"], ["k", pd.Grouper(key="t", freq=freq, closed="right")]):
        assert_eq(df.groupby(keys).x.sum(), events.groupby(keys).x.sum())
        assert_eq(df.groupby(keys).agg({"x": ["mean", "count"]}), events.groupby(keys).agg({"x": ["mean", "count"]}))


def test_time_bins_of_the_index_beside_other_keys_and_time_zones(events, backend):
    indexed = events.set_index("t")
    indexed.index = indexed.index.tz_localize("Europe/Paris")
    df = gd.from_pandas(indexed, npartitions=3, sort=False, backend=backend)
    keys = [pd.Grouper(freq="D"), "k"]
    assert_eq(df.groupby(keys).x.max(), indexed.groupby(keys).x.max())


@pytest.mark.parametrize("grid", [{"origin": "start"}, {"origin": "epoch"}, {"offset": "7min"},
                                  {"origin": "2024-01-01 00:05"}, {"origin": "start", "closed": "right"}])
def test_time_bins_with_origin_and_offset(events, backend, grid):
    df = gd.from_pandas(events, npartitions=4, backend=backend)
    alone, beside = pd.Grouper(key="t", freq="h", **grid), [pd.Grouper(key="t", freq="45min", **grid), "k"]
    assert_eq(df.groupby(alone).x.sum(), events.groupby(alone).x.sum())
    assert_eq(df.groupby(beside).x.mean(), events.groupby(beside).x.mean())


@pytest.mark.parametrize("grid", [{"origin": "end"}, {"origin": "end_day"}, {"origin": "end", "closed": "left"}])
def test_time_bins_ending_at_the_last_time(events, backend, grid):
    df = gd.from_pandas(events, npartitions=4, backend=backend)
    alone, beside = pd.Grouper(key="t", freq="h", **grid), [pd.Grouper(key="t", freq="45min", **grid), "k"]
    assert_eq(df.groupby(alone).x.sum(), events.groupby(alone).x.sum())
    assert_eq(df.groupby(beside).x.mean(), events.groupby(beside).x.mean())


def test_what_is_refused_says_what_to_do(events):
    df = gd.from_pandas(events, npartitions=2, backend="pandas")
    with pytest.raises(KeyError, match="the Grouper's key 'when' is not a column"):
        df.groupby(pd.Grouper(key="when", freq="D"))
    with pytest.raises(KeyError, match="a Series has no columns; its time bins are those of its index"):
        df.x.groupby(pd.Grouper(key="t", freq="D"))
    with pytest.raises(KeyError, match=r"Columns not found: \['y'\]"):
        df.groupby(pd.Grouper(key="t", freq="D"))["y"]


def _host(value):
    from tests.dataframe.frame_helpers import to_host

    return to_host(value)


def test_a_list_of_one_time_grouper_and_per_row_methods(events, backend):
    df = gd.from_pandas(events, npartitions=3, backend=backend)
    grouper = pd.Grouper(key="t", freq="D")
    assert_eq(df.groupby([grouper]).x.sum(), events.groupby([grouper]).x.sum())  # empty bins too
    # per row, or per observed bin: the groupby of each row's bin (pandas gives the rows in time order: compared
    # by index label)
    got = _host(df.groupby(grouper).x.transform("mean", meta=("x", "f8")).compute()).sort_index()
    pd.testing.assert_series_equal(got, events.groupby(grouper).x.transform("mean").sort_index())
    got = _host(df.groupby(grouper).x.cumsum().compute()).sort_index()
    pd.testing.assert_series_equal(got, events.groupby(grouper).x.cumsum().sort_index())
    s = gd.from_pandas(events.set_index("t").x, npartitions=3, sort=False, backend=backend)
    keys = [pd.Grouper(freq="D"), gd.from_pandas(events.set_index("t").k, npartitions=3, sort=False,
                                                 backend=backend)]
    assert_eq(s.groupby(keys).sum(), events.set_index("t").x.groupby([pd.Grouper(freq="D"),
                                                                      events.set_index("t").k]).sum())


def test_the_grouper_column_is_not_a_value_column(events, backend):
    """pandas groups by a Grouper's column without aggregating it (it was kept: ranked, summed, described)."""
    df = gd.from_pandas(events, npartitions=4, backend=backend)
    alone, beside = pd.Grouper(key="t", freq="h"), [pd.Grouper(key="t", freq="45min"), "k"]
    assert list(df.groupby(alone).rank().columns) == list(events.groupby(alone).rank().columns)
    assert_eq(df.groupby(beside).first(), events.groupby(beside).first())
    assert list(df.groupby(beside).x.describe().columns) == list(events.groupby(beside).x.describe().columns)


@pytest.mark.parametrize(("how", "kwargs"), [("sum", {"min_count": 1}), ("first", {"skipna": False}),
                                             ("std", {"ddof": 0}), ("max", {"min_count": 1})])
def test_time_bins_take_the_aggregations_options(events, backend, how, kwargs):
    df = gd.from_pandas(events, npartitions=4, backend=backend)
    grouper = pd.Grouper(key="t", freq="h")
    assert_eq(getattr(df.groupby(grouper).x, how)(**kwargs), getattr(events.groupby(grouper).x, how)(**kwargs))
    named = {"total": ("x", "sum"), "top": ("x", "max")}
    assert_eq(df.groupby(grouper).agg(**named), events.groupby(grouper).agg(**named))
