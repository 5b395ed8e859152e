"""``filter``, ``truncate``, ``tz_localize`` / ``tz_convert``, ``keys``, ``get`` and ``insert`` (pandas'; dask has
none of them), against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf() -> pd.DataFrame:
    index = pd.date_range("2024-03-30", periods=12, freq="6h")
    return pd.DataFrame({"temp_a": np.arange(12.0), "temp_b": np.arange(12) * 2, "rain": np.arange(12) % 3},
                        index=index)


@pytest.mark.parametrize("kwargs", [{"like": "temp"}, {"items": ["rain", "temp_a"]}, {"regex": "_[ab]$"},
                                    {"like": "03-31", "axis": 0}, {"regex": "12:00", "axis": "index"}])
def test_filter_as_pandas(pdf, backend, kwargs):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = df.filter(**kwargs)
    assert_eq(got, pdf.filter(**kwargs), check_freq=False)  # (pandas keeps a freq of every other row)
    if kwargs.get("axis") is not None:
        assert_eq(df.rain.filter(**kwargs), pdf.rain.filter(**kwargs), check_freq=False)
        assert got.divisions == df.divisions


@pytest.mark.parametrize("bounds", [("2024-03-31", "2024-04-01"), (None, "2024-03-31 06:00"),
                                    ("2024-04-01 12:00", None), ("2024-03-30 05:00", "2024-03-30 07:00")])
def test_truncate_as_pandas(pdf, backend, bounds):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    before, after = bounds
    assert_eq(df.truncate(before=before, after=after), pdf.truncate(before=before, after=after))
    assert_eq(df.temp_b.truncate(before, after), pdf.temp_b.truncate(before, after))
    assert_eq(df.sort_index(axis=1).truncate(before="rain", after="temp_a", axis=1),
              pdf.sort_index(axis=1).truncate(before="rain", after="temp_a", axis=1))


def test_truncate_errors(pdf):
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    with pytest.raises(ValueError, match="must be after"):
        df.truncate(before="2024-04-02", after="2024-03-31")
    with pytest.raises(ValueError, match="sorted"):
        df.truncate(before="rain", after="temp_a", axis=1)  # (pandas: the columns are not sorted)


def test_time_zones_of_the_index(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    local = df.tz_localize("Europe/Paris")
    expected = pdf.tz_localize("Europe/Paris")
    assert local.divisions == tuple(expected.index[[0, 4, 8, 11]])
    assert_eq(local, expected)
    assert_eq(local.tz_convert("America/New_York"), expected.tz_convert("America/New_York"))
    assert_eq(df.rain.tz_localize("UTC").tz_convert("Asia/Tokyo"), pdf.rain.tz_localize("UTC").tz_convert("Asia/Tokyo"))
    spring = pd.DataFrame({"x": range(4)}, index=pd.to_datetime(["2024-03-31 01:30", "2024-03-31 02:30",
                                                                  "2024-03-31 03:30", "2024-03-31 04:30"]))
    ds = gd.from_pandas(spring, npartitions=2, backend=backend)
    assert_eq(ds.tz_localize("Europe/Paris", nonexistent="NaT"), spring.tz_localize("Europe/Paris", nonexistent="NaT"))
    with pytest.raises(Exception, match="2024-03-31 02:30"):  # pandas' NonExistentTimeError, also on cuDF partitions
        ds.tz_localize("Europe/Paris").compute()
    with pytest.raises(TypeError, match="DatetimeIndex"):
        gd.from_pandas(pdf.reset_index(drop=True), npartitions=1, backend=backend).tz_localize("UTC").compute()


def _autumn() -> pd.Series:
    """Hourly times around the night US/Eastern clocks are set back: 01:00 twice (a run of ambiguous times)."""
    hours = pd.date_range("2011-11-05 12:00", "2011-11-06 12:00", freq="h")
    times = hours.append(pd.DatetimeIndex(["2011-11-06 01:00"])).sort_values()
    return pd.Series(np.arange(len(times)), index=times)


@pytest.mark.parametrize("npartitions", [1, 3])
def test_tz_localize_infers_ambiguous_times_as_pandas(backend, npartitions):
    """``ambiguous="infer"`` (and booleans of the rows) localize as pandas, the divisions too (``"infer"`` was given
    to each division alone, which pandas refuses: "'ambiguous' parameter must be one of ...")."""
    s = _autumn()
    ds = gd.from_pandas(s, npartitions=npartitions, backend=backend)
    got = ds.tz_localize("US/Eastern", ambiguous="infer")
    expected = s.tz_localize("US/Eastern", ambiguous="infer")
    assert got.npartitions == npartitions and got.known_divisions
    assert list(got.divisions) == [expected.index[s.index.searchsorted(d)] for d in ds.divisions]
    assert_eq(got, expected)
    if npartitions == 1:  # (booleans of the rows: one partition's)
        flags = np.asarray(expected.index.strftime("%z") == "-0400")  # pandas' own inferred offsets
        assert_eq(ds.tz_localize("US/Eastern", ambiguous=flags), s.tz_localize("US/Eastern", ambiguous=flags))


def test_tz_localize_infer_refuses_a_run_of_ambiguous_times_split_by_partitions(backend):
    """A partition boundary inside a run of ambiguous times (01:00 daylight | 01:00 standard): pandas infers the
    run as a whole, so partition-wise inference is refused, naming the cause."""
    s = _autumn()
    second = int(np.flatnonzero(s.index == pd.Timestamp("2011-11-06 01:00"))[1])
    # (split by position inside the run: from_pandas of increasing labels would keep equal labels together)
    ds = gd.concat([gd.from_pandas(s.iloc[:second], npartitions=1, backend=backend),
                    gd.from_pandas(s.iloc[second:], npartitions=1, backend=backend)]).clear_divisions()
    assert ds.npartitions > 1 and not ds.known_divisions
    with pytest.raises(ValueError, match="ambiguous='infer'.*partition boundary"):
        ds.tz_localize("US/Eastern", ambiguous="infer").compute()


def test_keys_get_insert(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert list(df.keys()) == list(pdf.keys())
    assert_eq(df.get("rain"), pdf.get("rain"))
    assert_eq(df.get(["rain", "temp_a"]), pdf.get(["rain", "temp_a"]))
    assert df.get("snow", 0) == 0
    assert_eq(df.rain.keys(), pdf.rain.keys())
    expected = pdf.copy()
    expected.insert(1, "snow", expected.rain * 10)
    assert df.insert(1, "snow", df.rain * 10) is None
    assert_eq(df, expected)
    with pytest.raises(ValueError, match="already exists"):
        df.insert(0, "rain", 1)
    with pytest.raises(IndexError, match="loc"):
        df.insert(9, "new", 1)
    with pytest.raises(TypeError, match="mutually exclusive"):
        df.filter(items=["rain"], like="r")
    with pytest.raises(NotImplementedError, match="loc"):
        df.filter(items=[pdf.index[0]], axis=0)


def test_set_axis_droplevel_repeat(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(df.set_axis(["p", "q", "r"], axis=1), pdf.set_axis(["p", "q", "r"], axis=1))
    with pytest.raises(NotImplementedError, match="set_index"):
        df.set_axis(range(12), axis=0)
    keyed = pdf.reset_index(drop=True).assign(k=lambda f: f.rain, j=lambda f: f.temp_b % 4)
    dkeyed = gd.from_pandas(keyed, npartitions=3, backend=backend)
    sums, expected = dkeyed.groupby(["k", "j"]).temp_a.sum(), keyed.groupby(["k", "j"]).temp_a.sum()
    assert_eq(sums.droplevel("k"), expected.droplevel("k"))
    assert_eq(sums.droplevel(1), expected.droplevel(1))
    table = dkeyed.groupby("k").agg({"temp_a": ["sum", "max"]})
    assert_eq(table.droplevel(0, axis=1), keyed.groupby("k").agg({"temp_a": ["sum", "max"]}).droplevel(0, axis=1))
    repeated = df.rain.repeat(3)
    assert repeated.divisions == df.divisions
    assert_eq(repeated, pdf.rain.repeat(3))
    with pytest.raises(NotImplementedError, match="one count"):
        df.rain.repeat(df.rain)


_LEVELS = {
    "swaplevel": lambda m: m.groupby(["k", "j"]).x.sum().swaplevel(),
    "swaplevel by name": lambda m: m.groupby(["k", "j", "z"]).x.sum().swaplevel("k", "z"),
    "reorder_levels": lambda m: m.groupby(["k", "j", "z"])[["x"]].sum().reorder_levels([2, 0, 1]),
    "xs": lambda m: m.groupby(["k", "j"]).x.sum().xs(2),
    "xs of a level": lambda m: m.groupby(["k", "j"])[["x"]].sum().xs("b", level="j"),
    "xs keeping the level": lambda m: m.groupby(["k", "j"]).x.sum().xs("a", level=1, drop_level=False),
}


@pytest.mark.parametrize("case", list(_LEVELS))
def test_multiindex_level_methods_as_pandas(backend, case):
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"k": rng.integers(0, 5, 100), "j": rng.choice(list("abc"), 100),
                        "z": rng.integers(0, 2, 100), "x": rng.normal(size=100)})
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(_LEVELS[case](df), _LEVELS[case](pdf))


def test_multiindex_level_methods_refusals():
    df = gd.from_pandas(pd.DataFrame({"k": [1, 2], "x": [1.0, 2.0]}), npartitions=1, backend="cpu")
    with pytest.raises(TypeError, match="hierarchical"):
        df.swaplevel()
    with pytest.raises(NotImplementedError, match="use .loc"):
        df.xs(1)
    with pytest.raises(KeyError, match="Level nope not found"):
        df.groupby(["k", "x"]).size().xs(1, level="nope")


def test_series_drop_as_pandas(backend):
    """pandas' Series.drop of row labels (dask has none): partitions and divisions kept; errors="raise" names the
    labels that are not there, as pandas."""
    pdf = pd.Series(np.arange(10.0), index=list("abcdefghij"))
    s = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(s.drop(["b", "h"]), pdf.drop(["b", "h"]))
    assert_eq(s.drop("a"), pdf.drop("a"))
    assert_eq(s.drop(index=["j"]), pdf.drop(index=["j"]))
    assert_eq(s.drop(["z", "a"], errors="ignore"), pdf.drop(["z", "a"], errors="ignore"))
    assert s.drop(["b"]).divisions == s.divisions
    with pytest.raises(KeyError, match=r"\['z'\] not found in axis"):
        s.drop(["z", "a"])
    with pytest.raises(ValueError, match="at least one of"):
        s.drop()


def test_dataframe_drop_rows_by_index_keyword(backend):
    # pandas' index= (dask's drop has none; labels with axis=0 stays refused, as dask)
    pdf = pd.DataFrame({"a": np.arange(6), "b": np.arange(6.0)}, index=list("abcdef"))
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(df.drop(index=["b", "f"]), pdf.drop(index=["b", "f"]))
    assert_eq(df.drop(index="a", columns="b"), pdf.drop(index="a", columns="b"))
    assert_eq(df.drop(index=["z", "c"], errors="ignore"), pdf.drop(index=["z", "c"], errors="ignore"))
    assert df.drop(index=["b"]).divisions == df.divisions
    with pytest.raises(KeyError, match=r"\['z'\] not found in axis"):
        df.drop(index=["z"])
    with pytest.raises(NotImplementedError, match="axis=1"):
        df.drop(["a"], axis=0)


def test_rename_with_pandas_mapper_and_axis(backend):
    """pandas' ``rename(mapper, axis=)``: ``axis=1``/``"columns"`` renames the columns, ``0``/``"index"`` (and
    ``mapper=`` alone) the index labels (``axis=`` was refused)."""
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 6, 9]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for how in (lambda x: x.rename(str.upper, axis=1), lambda x: x.rename(str.upper, axis="columns"),
                lambda x: x.rename({0: 10, 2: 20}, axis=0), lambda x: x.rename(mapper={"a": "z"}, axis=1),
                lambda x: x.rename(mapper={1: 100}), lambda x: x.rename(columns={"a": "q"})):
        pd.testing.assert_frame_equal(to_host(how(df).compute()), how(pdf))
