"""The Series methods of a lazy Index (dask's Index subclasses its Series): each is the Series method on the
index values, checked against pandas on those values and, where dask's Index runs it, against dask."""

from __future__ import annotations

import os

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends.convert import to_host
from gpuscale.dataframe.flex import ARITHMETIC, COMPARISONS
from gpuscale.dataframe.index_series import AS_INDEX, AS_SERIES_RESULT
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3

VALUES = [7, 3, 12, 5, 9, 1, 14, 6, 11, 2, 8, 4]


@pytest.fixture
def frames(backend):
    pdf = pd.DataFrame({"x": np.arange(len(VALUES), dtype="float64")}, index=pd.Index(VALUES, name="k"))
    return pdf, gd.from_pandas(pdf, npartitions=3, sort=False, backend=backend)


def _values(pdf):
    return pdf.index.to_series().reset_index(drop=True)


def _index(series):
    return pd.Index(series, name=series.name)


@pytest.mark.parametrize("name", ARITHMETIC + COMPARISONS)
def test_flex_methods_with_scalars_and_indexes(frames, name):
    pdf, df = frames
    values = _values(pdf)
    assert_eq(getattr(df.index, name)(3), _index(getattr(values, name)(3)))
    # an Index operand pairs up by position (pandas' Index arithmetic), not by label
    other = pd.Index(VALUES[::-1], name="k")
    got = getattr(df.index, name)(gd.from_pandas(pd.DataFrame({"y": 0}, index=other), npartitions=3,
                                                 sort=False).index)
    assert_eq(got, _index(getattr(values, name)(other.to_series().reset_index(drop=True))))


def test_flex_fill_value(frames):
    pdf, df = frames
    holes = df.index.replace(5, np.nan)
    expected = _values(pdf).replace(5, np.nan).add(100, fill_value=0)
    assert_eq(holes.add(100, fill_value=0), _index(expected))


@pytest.mark.parametrize("name, args, kwargs", [
    ("between", (3, 8), {}),
    ("between", (3, 8), {"inclusive": "neither"}),
    ("replace", (12, 120), {}),
    ("apply", (lambda v: v * 2 + 1,), {}),
    ("nlargest", (3,), {}),
    ("nsmallest", (4,), {}),
    ("case_when", ([(lambda s: s > 8, 0)],), {}),
])
def test_elementwise_and_subsets_give_an_index(frames, name, args, kwargs):
    pdf, df = frames
    got = getattr(df.index, name)(*args, **kwargs)
    assert type(got).__name__ == "Index"
    expected = _index(getattr(_values(pdf), name)(*args, **kwargs))
    if name in ("nlargest", "nsmallest"):  # the n rows in order, from one partition
        assert to_host(got.compute()).tolist() == expected.tolist() and got.name == "k"
    else:
        assert_eq(got, expected)


def test_case_when_with_index_conditions_and_combine(frames):
    pdf, df = frames
    values = _values(pdf)
    assert_eq(df.index.case_when([(df.index.gt(8), -1), (df.index.lt(3), df.index * 100)]),
              _index(values.case_when([(values > 8, -1), (values < 3, values * 100)])))
    assert_eq(df.index.combine(df.index * 0 + 6, max), _index(values.combine(values * 0 + 6, max)))
    holes = df.index.replace([3, 9], np.nan)
    expected = values.replace([3, 9], np.nan)
    assert_eq(holes.ffill(), _index(expected.ffill()))
    assert_eq(holes.bfill(), _index(expected.bfill()))
    assert_eq(holes.combine_first(df.index * 10), _index(expected.combine_first(values * 10)))


def test_explode_sample_shuffle_repartition(frames, backend):
    pdf, df = frames
    if backend == "pandas":
        words = pd.DataFrame({"x": [1, 2]}, index=pd.Index(["a b", "c"], name="w"))
        assert_eq(gd.from_pandas(words, npartitions=2).index.str.split().explode(),
                  _index(words.index.to_series().str.split().explode().reset_index(drop=True)))
    sampled = df.index.sample(frac=0.5, random_state=3).compute()
    assert set(to_host(sampled).tolist()) <= set(VALUES) and 0 < len(sampled) < len(VALUES)
    shuffled = df.index.shuffle(npartitions=2)
    assert shuffled.npartitions == 2 and sorted(to_host(shuffled.compute()).tolist()) == sorted(VALUES)
    assert df.index.repartition(npartitions=2).npartitions == 2
    assert_eq(df.index.repartition(npartitions=2), pdf.index)


@pytest.mark.parametrize("name, args", [
    ("quantile", (0.3,)), ("quantile", ([0.25, 0.75],)), ("median", ()), ("sem", ()), ("product", ()),
    ("mode", ()), ("describe", ()), ("autocorr", (2,)), ("nunique_approx", ()),
])
def test_reductions_of_the_values(frames, name, args):
    pdf, df = frames
    values = _values(pdf)
    got = getattr(df.index, name)(*args)
    if name == "nunique_approx":
        assert round(float(got.compute())) == values.nunique()
    elif name == "describe":
        assert_eq(got, values.describe())
    elif name == "mode":
        assert_eq(got, values.mode())
    elif name == "quantile" and isinstance(args[0], list):
        assert_eq(got, values.quantile(*args))
    else:
        assert float(got.compute()) == pytest.approx(float(getattr(values, name)(*args)))


def test_moments_match_scipy_estimates_as_series(frames):
    pdf, df = frames
    values = _values(pdf).astype("float64")
    assert float(df.index.skew(bias=False).compute()) == pytest.approx(values.skew())
    assert float(df.index.kurt(bias=False).compute()) == pytest.approx(values.kurt())
    assert float(df.index.kurtosis().compute()) == pytest.approx(float(gd.from_pandas(
        values, npartitions=2).kurtosis().compute()))


def test_corr_cov_dot_with_index_and_series(frames):
    pdf, df = frames
    values = _values(pdf)
    twice = df.index * 2 + 1
    assert float(df.index.corr(twice).compute()) == pytest.approx(values.corr(values * 2 + 1))
    assert float(df.index.cov(df.x).compute()) == pytest.approx(values.cov(pdf.x.reset_index(drop=True)))
    assert float(df.index.dot(df.index).compute()) == pytest.approx(values.dot(values))


def test_groupby_of_the_values(frames):
    pdf, df = frames
    values = _values(pdf)
    assert_eq(df.index.groupby(df.index % 3).sum(), values.groupby(values % 3).sum())


@needs_pandas_3("Index has no replace")
def test_what_dask_runs_on_an_index_matches_dask(frames):
    pdf, df = frames
    didx = dd.from_pandas(pdf, npartitions=3, sort=False).index
    assert_eq(df.index.replace(12, 0), didx.replace(12, 0).compute())
    assert_eq(df.index.squeeze(), didx.squeeze().compute())
    assert_eq(df.index.pipe(lambda i: i.rename("z")), didx.pipe(lambda i: i.rename("z")).compute())
    assert_eq(df.index.mode(), didx.mode().compute())
    assert float(df.index.median_approximate().compute()) == pytest.approx(np.median(VALUES))
    np.testing.assert_array_equal(to_host(df.index.values.compute()), didx.values.compute())
    np.testing.assert_array_equal(to_host(df.index.to_dask_array().compute()), didx.to_dask_array().compute())
    assert round(float(df.index.nunique_approx().compute())) == round(float(didx.nunique_approx().compute()))
    host = gd.from_pandas(pdf, npartitions=3, sort=False, backend="pandas")
    assert host.index.to_string() == didx.to_string()


def test_naming_and_shape_methods(frames):
    pdf, df = frames
    assert_eq(df.index.rename_axis("row"), pdf.index.rename("row"))
    idx = df.index
    assert idx.squeeze() is idx
    assert_eq(df.index.add_prefix("r"), pd.Index([f"r{v}" for v in VALUES], name="k"))
    assert_eq(df.index.add_suffix("_s"), pd.Index([f"{v}_s" for v in VALUES], name="k"))
    sizes = df.index.memory_usage_per_partition().compute()
    assert to_host(sizes).tolist() == [32, 32, 32]


def test_to_timestamp_of_a_period_index():
    periods = pd.period_range("2024-01", periods=6, freq="M", name="p")
    pdf = pd.DataFrame({"x": range(6)}, index=periods)
    idx = gd.from_pandas(pdf, npartitions=3, backend="pandas").index
    assert_eq(idx.to_timestamp(), periods.to_timestamp(), check_freq=False)
    series = gd.from_pandas(pdf, npartitions=3, backend="pandas").x
    assert series.to_timestamp().divisions[0] == pd.Timestamp("2024-01-01")


def test_writers_write_the_values(frames, tmp_path):
    pdf, df = frames
    path = os.path.join(tmp_path, "k.csv")
    df.index.to_csv(path, single_file=True)
    assert pd.read_csv(path)["k"].tolist() == VALUES
    files = df.index.to_json(os.path.join(tmp_path, "js"))
    read = pd.concat([pd.read_json(f, lines=True, typ="series") for f in sorted(files)])
    assert sorted(read.tolist()) == sorted(VALUES)


def test_every_generated_method_is_documented_with_an_example():
    for name in [*AS_INDEX, *AS_SERIES_RESULT]:
        doc = getattr(gd.Index, name).__doc__
        assert "Examples" in doc and f".{name}(" in doc, name


def test_head_and_tail_of_an_index(frames):
    pdf, df = frames
    didx = dd.from_pandas(pdf, npartitions=3, sort=False).index
    assert_eq(df.index.head(2), didx.head(2))  # dask's test_index_head: an Index, computed
    assert_eq(df.index.head(6, npartitions=-1), pdf.index[:6])
    assert_eq(df.index.tail(3), didx.tail(3))
    lazy = df.index.head(2, compute=False)
    assert type(lazy).__name__ == "Index" and lazy.npartitions == 1


def test_repartition_and_enforced_divisions_of_an_index(backend):
    pdf = pd.DataFrame({"x": range(12)}, index=pd.Index(range(0, 24, 2), name="k"))
    idx = gd.from_pandas(pdf, npartitions=3).index
    didx = dd.from_pandas(pdf, npartitions=3).index
    out = idx.repartition(divisions=[0, 9, 22])
    assert out.divisions == didx.repartition(divisions=[0, 9, 22]).divisions == (0, 9, 22)
    assert_eq(out, pdf.index)
    assert [len(out.get_partition(i).compute()) for i in range(2)] == [5, 7]
    assert idx.repartition(npartitions=2).npartitions == 2
    assert_eq(idx.enforce_runtime_divisions(), didx.enforce_runtime_divisions().compute())


def test_an_index_has_no_index(frames):
    # dask's test_Index: the Index itself compares, its .index raises AttributeError
    pdf, df = frames
    assert_eq(df.index, pdf.index)
    with pytest.raises(AttributeError, match="no attribute 'index'"):
        df.index.index
    with pytest.raises(AttributeError):
        dd.from_pandas(pdf, npartitions=3).index.index
