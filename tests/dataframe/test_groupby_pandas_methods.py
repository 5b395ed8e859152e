"""pandas' groupby methods that dask lacks (``skew``, ``kurt`` ...), against pandas on both backends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends import to_host
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 300
    out = pd.DataFrame({"k": rng.integers(0, 9, n), "x": rng.gamma(2.0, size=n) * 1e6 + 5e8,
                        "y": rng.integers(-20, 20, n), "f": rng.random(n).astype("float32")})
    out.loc[out.index[::7], "x"] = np.nan
    # a constant group (no spread: NaN, though its mean is not exact) and groups too small for kurt or skew
    extra = pd.DataFrame({"k": [20] * 5 + [21] * 3 + [22] * 2, "x": [0.1] * 5 + [0.1, 0.2, 0.4] + [1.0, 2.0],
                          "y": [3] * 5 + [1, 2, 9] + [0, 1], "f": np.float32(0.5)})
    return pd.concat([out, extra], ignore_index=True)


@needs_pandas_3("pandas 2.2's groupby has no kurt (nor skew of float32 as float32)")
@pytest.mark.parametrize("how", ["skew", "kurt"])
def test_groupby_skew_kurt_as_pandas(pdf, backend, how):
    df = gd.from_pandas(pdf, npartitions=6, backend=backend)
    assert_eq(getattr(df.groupby("k"), how)(), getattr(pdf.groupby("k"), how)())
    assert_eq(getattr(df.groupby("k").x, how)(), getattr(pdf.groupby("k").x, how)())
    # (not of float32 columns: pandas' agg of a list gives their means float32 or float64 by the values)
    assert_eq(df.groupby("k")[["x", "y"]].agg(["mean", how]), pdf.groupby("k")[["x", "y"]].agg(["mean", how]))
    # missing values kept (the whole groups' own method)
    assert_eq(getattr(df.groupby("k").x, how)(skipna=False), getattr(pdf.groupby("k").x, how)(skipna=False))


@needs_pandas_3("pandas 2.2's groupby has no kurt (nor skew of float32 as float32)")
def test_groupby_skew_is_tree_reduced(pdf):
    """Moments combine like partial sums: no shuffle of the rows, and a split_out spreads the groups."""
    df = gd.from_pandas(pdf, npartitions=6, backend="cpu")
    plan = df.groupby("k").x.skew().optimize().expr.tree_repr()
    assert "groupby-aggregate" in plan and "groupby-skew" not in plan
    out = df.groupby("k").agg({"x": "skew", "y": ["kurt", "sum"]}, split_out=3)
    assert out.npartitions == 3
    assert_eq(out.compute().sort_index(), pdf.groupby("k").agg({"x": "skew", "y": ["kurt", "sum"]}))


@needs_pandas_3("pandas 2.2's groupby has no kurt (nor skew of float32 as float32)")
def test_groupby_skew_refuses_text(pdf):
    df = gd.from_pandas(pdf.assign(s="a"), npartitions=2, backend="cpu")
    with pytest.raises(NotImplementedError, match="skew of the non-numeric columns"):
        df.groupby("k").skew()
    assert_eq(df.groupby("k").skew(numeric_only=True), pdf.assign(s="a").groupby("k").skew(numeric_only=True))


@needs_pandas_3("pandas 2.2's groupby has no kurt (nor skew of float32 as float32)")
@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.floats(-1e3, 1e3, allow_nan=False, width=32), min_size=1, max_size=40),
       nkeys=st.integers(1, 4), nparts=st.integers(1, 5))
def test_groupby_moments_any_partitioning(values, nkeys, nparts):
    pdf = pd.DataFrame({"k": np.arange(len(values)) % nkeys, "x": values})
    df = gd.from_pandas(pdf, npartitions=min(nparts, len(values)), backend="cpu")
    for how in ("skew", "kurt"):
        got, expected = to_host(getattr(df.groupby("k").x, how)().compute()), getattr(pdf.groupby("k").x, how)()
        # pandas' online update and the combined partial sums round differently: a spread of a few ulps of
        # the values is noise in both (pandas may give a huge or NaN moment where the data are nearly constant)
        spread = pdf.groupby("k").x.std()
        clear = spread > 1e-6 * (pdf.groupby("k").x.apply(lambda v: v.abs().max()) + 1e-300)
        assert_eq(got[clear], expected[clear], rtol=1e-6, atol=1e-8)


@needs_pandas_3("pandas 2.2's groupby has no kurt (nor skew of float32 as float32)")
@pytest.mark.parametrize("how", ["var", "std", "skew"])
def test_groupby_moments_keep_float32(pdf, backend, how):
    """pandas keeps a float32 column's width; the partials' arithmetic widened var and std to float64."""
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    got = getattr(df.groupby("k").f, how)()
    assert got.dtype == np.float32
    assert_eq(got, getattr(pdf.groupby("k").f, how)())


@pytest.fixture
def timed() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 200
    out = pd.DataFrame({"k": rng.integers(0, 5, n), "x": rng.normal(size=n), "y": rng.integers(0, 9, n)},
                       index=pd.date_range("2020-01-01", periods=n, freq="5h"))
    out.loc[out.index[::9], "x"] = np.nan
    return out


_KEYED = {
    "ohlc": lambda m: m.groupby("k").x.ohlc(),
    "ohlc of a frame": lambda m: m.groupby("k")[["x", "y"]].ohlc(),
    "describe": lambda m: m.groupby("k").x.describe(),
    "describe of a frame": lambda m: m.groupby("k").describe(),
    "describe percentiles": lambda m: m.groupby("k").x.describe(percentiles=[0.1, 0.9]),
    "nlargest": lambda m: m.groupby("k").x.nlargest(3),
    "nsmallest keep all": lambda m: m.groupby("k").y.nsmallest(2, keep="all"),
    "resample sum": lambda m: m.groupby("k").resample("3D").x.sum(),
    "resample mean": lambda m: m.groupby("k").resample("2D").mean(),
    "resample agg": lambda m: m.groupby("k").resample("2D").agg({"x": "max", "y": ["min", "count"]}),
    "resample selected": lambda m: m.groupby("k")[["x"]].resample("1W", label="right", closed="right").count(),
    "resample ohlc": lambda m: m.groupby("k").x.resample("1W").ohlc(),
    "resample by a series key": lambda m: m.groupby(m.y % 2).resample("4D").x.first(),
}


@pytest.mark.parametrize("case", list(_KEYED))
def test_groupby_keyed_methods_as_pandas(timed, backend, case):
    """Results indexed by the keys, in one partition ordered by key, as pandas' (dask has none of these)."""
    df = gd.from_pandas(timed, npartitions=4, backend=backend)
    got, expected = _KEYED[case](df), _KEYED[case](timed)
    assert got.npartitions == 1
    assert_eq(got, expected)


def test_groupby_pipe_and_sample(timed, backend):
    df = gd.from_pandas(timed, npartitions=4, backend=backend)
    assert_eq(df.groupby("k").pipe(lambda g, c: g[c].sum(), "x"), timed.groupby("k").pipe(lambda g, c: g[c].sum(), "x"))
    assert_eq(df.groupby("k").pipe((lambda n, g: g.y.max() - n, "g"), 1), timed.groupby("k").y.max() - 1)
    with pytest.raises(ValueError, match="both the pipe target and a keyword"):
        df.groupby("k").pipe((lambda g: g, "g"), g=1)
    sampled = to_host(df.groupby("k").sample(n=2, random_state=1).compute())
    assert sampled.groupby("k").size().tolist() == [2] * 5
    assert sampled.index.isin(timed.index).all()  # the rows' own index, values of those rows
    pd.testing.assert_frame_equal(sampled, timed.loc[sampled.index])
    fraction = to_host(df.groupby("k").x.sample(frac=0.5, random_state=2).compute())
    assert len(fraction) == timed.groupby("k").size().mul(0.5).round().sum()


def test_groupby_pandas_methods_errors(timed):
    df = gd.from_pandas(timed, npartitions=2, backend="cpu")
    with pytest.raises(NotImplementedError, match="weights="):
        df.groupby("k").sample(n=1, weights=df.y)
    with pytest.raises(AttributeError, match="select one column first"):
        df.groupby("k").nlargest(2)
    with pytest.raises(TypeError, match="only valid with a DatetimeIndex"):
        df.reset_index(drop=True).groupby("k").resample("1D")
    with pytest.raises(AttributeError, match="no attribute 'cumsum'"):
        df.groupby("k").resample("1D").cumsum()
    assert "ohlc" in dir(df.groupby("k").resample("1D"))


_NGROUP = {
    "one key": lambda m: m.groupby("k").ngroup(),
    "descending": lambda m: m.groupby("j").ngroup(ascending=False),
    "two keys": lambda m: m.groupby(["k", "j"]).ngroup(),
    "missing keys kept": lambda m: m.groupby("k", dropna=False).ngroup(),
    "a series key": lambda m: m.groupby(m.x > 0).ngroup(),
    "a selected column": lambda m: m.groupby("j").x.ngroup(),
    "first seen": lambda m: m.groupby("k", sort=False).ngroup(),
    "first seen, two keys, descending": lambda m: m.groupby(["j", "k"], sort=False).ngroup(ascending=False),
    "first seen, missing keys kept": lambda m: m.groupby("k", sort=False, dropna=False).ngroup(),
}


@pytest.mark.parametrize("case", list(_NGROUP))
def test_groupby_ngroup_as_pandas(backend, case):
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"k": rng.integers(0, 5, 100).astype(float), "j": rng.choice(list("abc"), 100),
                        "x": rng.normal(size=100)})
    pdf.loc[::13, "k"] = np.nan  # missing keys: no number, float64 (as pandas)
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    got = _NGROUP[case](df)
    assert got.divisions == df.divisions
    assert_eq(got, _NGROUP[case](pdf))


@settings(max_examples=30, deadline=None)
@given(keys=st.lists(st.integers(-3, 3), min_size=1, max_size=30), nparts=st.integers(1, 4))
def test_groupby_ngroup_any_partitioning(keys, nparts):
    pdf = pd.DataFrame({"k": keys, "x": range(len(keys))})
    df = gd.from_pandas(pdf, npartitions=min(nparts, len(keys)), backend="cpu")
    assert_eq(df.groupby("k").ngroup(), pdf.groupby("k").ngroup())
    # sort=False: in the order the groups are first seen across the partitions
    assert_eq(df.groupby("k", sort=False).ngroup(), pdf.groupby("k", sort=False).ngroup())


@pytest.mark.parametrize("keys", ["k", ["j", "k"]])
@pytest.mark.parametrize("dropna", [True, False])
def test_groupby_cumcount_descending_as_pandas(backend, keys, dropna):
    """cumcount(ascending=False): the group's size (looked up row by row) minus the position, minus 1."""
    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"k": rng.integers(0, 5, 60).astype(float), "j": rng.choice(list("ab"), 60),
                        "x": rng.normal(size=60)})
    pdf.loc[::7, "k"] = np.nan
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    got = df.groupby(keys, dropna=dropna).cumcount(ascending=False)
    assert got.divisions == df.divisions
    assert_eq(got, pdf.groupby(keys, dropna=dropna).cumcount(ascending=False))


def test_reductions_cudf_lacks_run_on_the_host_for_cudf_partitions(backend):
    """cuDF's groupby has no skew/kurt (nor ohlc/nlargest of its own on the device): those calls, by name in agg
    or transform too, are routed to a host copy for cuDF partitions only."""
    from gpuscale.backends import frame as bf

    meta = gd.from_pandas(pd.DataFrame({"k": [1], "x": [1.0]}), npartitions=1, backend=backend)._meta
    on_cudf = backend == "cudf"
    assert bf.groupby_needs_host(meta, "skew", None) is on_cudf
    assert bf.groupby_needs_host(meta, "agg", None, True, ["mean", "kurt"]) is on_cudf
    assert bf.groupby_needs_host(meta, "transform", None, True, "skew") is on_cudf
    assert bf.groupby_needs_host(meta, "transform", None, True, "mean") is False
    pdf = pd.DataFrame({"k": [1, 1, 1, 2, 2, 2], "x": [1.0, 2.0, 5.0, 3.0, 3.5, 9.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df.groupby("k").x.transform("skew"), pdf.groupby("k").x.transform("skew"), sort_results=True)


@pytest.mark.parametrize("by,kwargs", [("k", {}), (["k", "j"], {}), pytest.param(
    "k", {"dropna": False}, marks=needs_pandas_3("pandas 2.2's groups of a missing key fail (categories cannot be "
                                                 "null)")), ("j", {"sort": False})])
def test_ngroups_groups_indices_as_pandas(backend, by, kwargs):
    """Computed at once from the key columns (and the index): pandas' dicts of labels and positions."""
    pdf = pd.DataFrame({"k": ["b", "a", "b", None, "c", "a"], "j": [1, 1, 2, 2, 1, 3], "x": range(6)},
                       index=[5, 3, 9, 1, 0, 7])
    df = gd.from_pandas(pdf, npartitions=3, sort=False, backend=backend)
    expected, got = pdf.groupby(by, **kwargs), df.groupby(by, **kwargs)
    assert got.ngroups == expected.ngroups == got.x.ngroups
    assert list(got.groups) == list(expected.groups)
    assert {str(k): list(v) for k, v in got.groups.items()} == {str(k): list(v) for k, v in expected.groups.items()}
    assert {str(k): list(v) for k, v in got.indices.items()} == {str(k): list(v) for k, v in expected.indices.items()}


def test_groupby_is_monotonic_as_pandas(backend):
    pdf = pd.DataFrame({"k": [1, 1, 2, 2, 2, 3, 1], "x": [1, 2, 5, 3, 4, 9, 2]})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(df.groupby("k").x.is_monotonic_increasing, pdf.groupby("k").x.is_monotonic_increasing)
    assert_eq(df.groupby("k")["x"].is_monotonic_decreasing, pdf.groupby("k")["x"].is_monotonic_decreasing)
    assert not hasattr(df.groupby("k"), "is_monotonic_increasing")  # as pandas: a selected column's


@pytest.mark.parametrize("args", [("ngroup",), ("cumcount",), ("diff", 2), ("shift", -1), ("rank",), ("cumsum",),
                                  ("quantile", 0.3), ("sum",)])
@pytest.mark.parametrize("selection", ["v", None])
def test_transform_by_name_with_arguments(backend, args, selection):
    """``transform(name, *args)``: positional arguments reach the method (they were dropped: ``diff`` of 1 row,
    ``quantile`` at 0.5), and pandas' transformation kernels are the groupby's own methods (``ngroup`` numbered
    the groups of each shuffled partition apart)."""
    import warnings

    pdf = pd.DataFrame({"k": [3, 1, 2, 3, 1, 2, 3], "v": [1.0, 2, 3, 4, 5, 6, 7], "y": [1, 2, 4, 8, 16, 32, 64]})
    gb = gd.from_pandas(pdf, npartitions=3, backend=backend).groupby("k")
    pgb = pdf.groupby("k")
    if selection:
        gb, pgb = gb[selection], pgb[selection]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # (dask's warning: meta inferred)
        got = gb.transform(*args)
    assert_eq(to_host(got.compute()).sort_index(), pgb.transform(*args))


@pytest.mark.parametrize("npartitions", [2, 4, 6])
def test_apply_adding_a_level_keeps_the_index_names_beside_partitions_of_no_group(backend, npartitions):
    # a partition of no group gives the metadata's index (one level fewer): it must not drop the names
    pdf = pd.DataFrame({"a": ["x", "y", "x", "y"], "b": [0, 0, 1, 1], "v": [1.0, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for by in (["a", "b"], "a"):
        got = to_host(df.groupby(by).v.apply(lambda s: s.head(1), meta=("v", "f8")).compute())
        expected = pdf.groupby(by).v.apply(lambda s: s.head(1))
        assert list(got.index.names) == list(expected.index.names)
        assert sorted(got.tolist()) == sorted(expected.tolist())
