"""dd.Aggregation and Series/DataFrame.reduction, compared with dask and pandas."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    return pd.DataFrame({"g": rng.integers(0, 7, 300), "h": rng.integers(0, 2, 300),
                         "x": rng.normal(size=300), "y": rng.integers(0, 100, 300)})


def _both(agg_cls):
    return agg_cls("custom_mean", chunk=lambda s: (s.count(), s.sum()),
                   agg=lambda count, total: (count.sum(), total.sum()),
                   finalize=lambda count, total: total / count)


@pytest.mark.parametrize("split_every", [None, 2])
def test_custom_mean_matches_dask(data, backend, split_every):
    got = gd.from_pandas(data, npartitions=6, backend=backend).groupby("g").x.agg(_both(gd.Aggregation),
                                                                                  split_every=split_every)
    expected = dd.from_pandas(data, npartitions=6).groupby("g").x.agg(_both(dd.Aggregation)).compute()
    tm.assert_series_equal(got.compute(), expected.sort_index())
    tm.assert_series_equal(got.compute(), data.groupby("g").x.mean())


def test_aggregation_without_finalize_on_frames_and_several_keys(data, backend):
    total = gd.Aggregation("total", chunk=lambda g: g.sum(), agg=lambda g: g.sum())
    got = gd.from_pandas(data, npartitions=4, backend=backend).groupby(["g", "h"])[["x", "y"]].agg(total)
    assert_eq(got, data.groupby(["g", "h"])[["x", "y"]].sum(), rtol=1e-9)


def test_aggregation_of_a_frame_runs_column_by_column_as_dask(backend):
    # dask's docs' "tunique": chunk/agg/finalize get one column's SeriesGroupBy (they got the frame's groupby)
    if backend != "pandas":
        pytest.skip("sets of Python values per group")
    pdf = pd.DataFrame({"a": [0, 0, 1, 1, 0], "x": [1, 1, 2, 3, 4], "y": [5, 6, 7, 7, 5]})

    def tunique(cls):
        return cls("tunique", lambda s: s.apply(lambda v: list(set(v))),
                   lambda s: s._selected_obj.groupby(level=0).sum(), lambda s: s.apply(lambda v: len(set(v))))

    for npartitions in (1, 2):
        df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
        got = df.groupby("a")[["x", "y"]].agg(tunique(gd.Aggregation))
        expected = dd.from_pandas(pdf, npartitions=npartitions).groupby("a")[["x", "y"]].agg(
            tunique(dd.Aggregation)).compute()
        assert_eq(got, expected)
        assert_eq(got, pdf.groupby("a")[["x", "y"]].nunique())
        assert_eq(df.groupby("a").agg(tunique(gd.Aggregation)), pdf.groupby("a").nunique())


def test_series_reduction_with_scalar_partials(data, backend):
    s = gd.from_pandas(data, npartitions=5, backend=backend).y
    got = s.reduction(lambda p: p.max() - p.min(), aggregate=lambda partials: partials.max())
    expected = dd.from_pandas(data, npartitions=5).y.reduction(lambda p: p.max() - p.min(),
                                                                aggregate=lambda partials: partials.max())
    assert got.compute() == expected.compute()


def test_frame_reduction_with_series_partials_and_combine(data, backend):
    # a Series partial is one row of a frame (dask's rule): the stacked partials are a frame of the columns
    df = gd.from_pandas(data[["x", "y"]], npartitions=9, backend=backend)
    got = df.reduction(lambda p: p.sum(), combine=lambda partials: partials.sum(),
                       aggregate=lambda partials: partials.sum(), split_every=3)
    expected = dd.from_pandas(data[["x", "y"]], npartitions=9).reduction(
        lambda p: p.sum(), combine=lambda partials: partials.sum(), aggregate=lambda partials: partials.sum(),
        split_every=3)
    assert_eq(got, expected.compute(), rtol=1e-9)
    assert_eq(got, data[["x", "y"]].sum(), rtol=1e-9)


def test_series_reduction_with_series_partials_of_named_values(data, backend):
    def low_high(s):
        return s.quantile([0.0, 1.0])

    got = gd.from_pandas(data, npartitions=4, backend=backend).y.reduction(low_high, aggregate=lambda p: p.max())
    expected = dd.from_pandas(data, npartitions=4).y.reduction(low_high, aggregate=lambda p: p.max())
    assert_eq(got, expected.compute())


def test_reduction_keywords_for_every_step(data, backend):
    def chunk(p, constant=0):
        return p.sum() + constant

    def combine(p, constant=0):
        return p.sum() + constant

    got = gd.from_pandas(data, npartitions=6, backend=backend).y.reduction(
        chunk, aggregate=combine, combine=combine, constant=3, split_every=3)
    expected = dd.from_pandas(data, npartitions=6).y.reduction(chunk, aggregate=combine, combine=combine,
                                                               constant=3, split_every=3)
    assert got.compute() == expected.compute()


def test_reduction_bad_arguments_name_the_cause(data, backend):
    s = gd.from_pandas(data, npartitions=4, backend=backend).y
    with pytest.raises(ValueError, match="split_every must be greater than 1"):
        s.reduction(lambda p: p.sum(), split_every=1)
    with pytest.raises(ValueError, match="combine_kwargs given without combine"):
        s.reduction(lambda p: p.sum(), combine_kwargs={"min_count": 1})


def test_scalar_name_and_to_delayed(data, backend):
    s = gd.from_pandas(data, npartitions=4, backend=backend).y
    assert s.max()._name == s.max()._name != s.min()._name
    doubled = s.max().to_delayed() * 2
    assert doubled.compute() == 2 * data.y.max()


def test_reduction_split_every_false_aggregates_once(backend):
    # dask: no tree, so an aggregate making an object its own input cannot take runs once (dask's issue 8773)
    class Total:
        def __init__(self, value):
            self.value = value

    data = pd.Series([1] * 170, index=range(2, 172))
    options = {"chunk": lambda x: x, "aggregate": lambda x: Total(x.sum().sum()), "split_every": False,
               "token": "total", "meta": object}
    got = gd.from_pandas(data, npartitions=34, backend=backend).reduction(**options).compute()
    assert got.value == dd.from_pandas(data, npartitions=34).reduction(**options).compute().value == 170


def test_aggregation_among_named_aggregations(backend):
    """An ``Aggregation`` in named aggregations (``agg(a=("x", custom))``, dask's) beside names and
    ``pd.NamedAgg`` (it raised: not callable)."""
    pdf = pd.DataFrame({"k": [1, 1, 2, 2, 3], "x": [1.0, 2, 3, 4, 5], "y": [5, 6, 7, 8, 9]})
    custom = gd.Aggregation("mysum", lambda s: s.sum(), lambda s: s.sum())
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df.groupby("k").agg(a=("x", custom), b=("y", "max"), c=pd.NamedAgg("x", "mean")),
              pdf.groupby("k").agg(a=("x", "sum"), b=("y", "max"), c=pd.NamedAgg("x", "mean")))
    assert_eq(df.groupby("k").x.agg(a=custom, b="max"), pdf.groupby("k").x.agg(a="sum", b="max"))


@pytest.mark.parametrize("npartitions", [1, 2])
def test_aggregation_gives_unobserved_categories_as_pandas(npartitions):
    """An ``Aggregation`` of a groupby by a categorical with ``observed=False`` gives the categories no row has
    their value of no rows, as pandas' sum and dask (they were left out: its chunks grouped observed only)."""
    pdf = pd.DataFrame({"c": pd.Categorical(["x", "y", "x", "y"], categories=["x", "y", "w"]), "v": [1.0, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=npartitions)
    total = gd.Aggregation("total", chunk=lambda s: s.sum(), agg=lambda s: s.sum())
    expected = pdf.groupby("c", observed=False).v.sum()
    assert_eq(df.groupby("c", observed=False).v.agg(total), expected.rename("v"))
    assert_eq(df.groupby("c", observed=False).agg(total), pdf.groupby("c", observed=False)[["v"]].sum())
    both = df.groupby("c", observed=False).agg({"v": [total, "sum"]}).compute()
    assert tm.to_host(both)[("v", "total")].tolist() == expected.tolist()
    assert_eq(df.groupby("c", observed=True).v.agg(total), pdf.groupby("c", observed=True).v.sum())
