"""groupby head/tail/get_group/ffill/bfill/idxmax/idxmin/unique/value_counts/corr/cov against pandas and dask."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3

dd = pytest.importorskip("dask.dataframe")


@pytest.fixture
def num(pdf):
    return pdf[["k", "j", "x", "y"]]


@pytest.fixture
def df(num, backend):
    return gd.from_pandas(num, npartitions=5, backend=backend)


def _same(got, expected, ordered=False, **kwargs):
    got = to_host(got.compute())
    if not ordered:
        got, expected = got.sort_index(kind="stable"), expected.sort_index(kind="stable")
    if isinstance(expected, pd.DataFrame):
        tm.assert_frame_equal(got, expected, **kwargs)
    else:
        tm.assert_series_equal(got, expected, **kwargs)


@pytest.mark.parametrize("how", ["head", "tail"])
@pytest.mark.parametrize("n", [1, 3])
def test_head_tail(df, num, how, n):
    _same(getattr(df.groupby("k"), how)(n), getattr(num.groupby("k"), how)(n))
    _same(getattr(df.groupby(["k", "j"]).x, how)(n), getattr(num.groupby(["k", "j"]).x, how)(n))
    dask_result = getattr(dd.from_pandas(num, npartitions=5).groupby("k"), how)(n).compute()
    _same(getattr(df.groupby("k"), how)(n), dask_result.sort_index(), check_dtype=False)


def test_head_by_series_key_hides_the_key(df, num):
    _same(df.groupby(df.y % 3).head(2), num.groupby(num.y % 3).head(2))


@pytest.mark.parametrize("how", ["ffill", "bfill"])
def test_fill(df, num, how):
    _same(getattr(df.groupby("k"), how)(), getattr(num.groupby("k"), how)())
    _same(getattr(df.groupby("j").x, how)(limit=1), getattr(num.groupby("j").x, how)(limit=1))


def test_get_group(df, num):
    _same(df.groupby("k").get_group(3), num.groupby("k").get_group(3), ordered=True)
    _same(df.groupby("k").x.get_group(3), num.groupby("k").x.get_group(3), ordered=True)
    _same(df.groupby(["k", "j"]).get_group((3, "a")), num.groupby(["k", "j"]).get_group((3, "a")), ordered=True)
    assert len(to_host(df.groupby("k").get_group(99).compute())) == 0  # absent: empty, as dask
    dask_result = dd.from_pandas(num, npartitions=5).groupby("k").get_group(3).compute()
    _same(df.groupby("k").get_group(3), dask_result, ordered=True, check_dtype=False)


@needs_pandas_3("pandas 2.2's get_group finds no NaN group")
def test_get_group_of_missing_keys(backend):
    # dropna=False names the group of missing keys NaN, which no key equals
    pdf = pd.DataFrame({"k": [1.0, np.nan, 2.0, np.nan], "j": ["a", "b", "a", "b"], "x": [1, 2, 3, 4]})
    grouped = gd.from_pandas(pdf, npartitions=2, backend=backend).groupby("k", dropna=False)
    _same(grouped.get_group(np.nan), pdf.groupby("k", dropna=False).get_group(np.nan), ordered=True)
    both = gd.from_pandas(pdf, npartitions=2, backend=backend).groupby(["k", "j"], dropna=False)
    _same(both.get_group((np.nan, "b")), pdf.groupby(["k", "j"], dropna=False).get_group((np.nan, "b")), ordered=True)


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_value_counts_by_a_categorical_key_with_missing_keys_last(backend, npartitions):
    # pandas' sort_index put the missing key (code -1) first
    pdf = pd.DataFrame({"c": pd.Categorical(["a", None, "a", None, "b"], categories=["a", "b"]),
                        "v": [1.0, 2, 3, 2, 3]})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    got = to_host(df.groupby("c", dropna=False).v.value_counts().compute())
    expected = pdf.groupby("c", dropna=False, observed=True).v.value_counts()
    assert got.index.tolist() == expected.index.tolist() and got.tolist() == expected.tolist()


def test_describe_counts_keep_pandas_dtypes(backend):
    # pandas' counts: Float64 of a nullable column, objects beside text (they were all made float64)
    if backend != "pandas":
        pytest.skip("cuDF holds nullable values in its own dtypes")
    pdf = pd.DataFrame({"a": [0, 1, 0, 1], "x": pd.array([1, 2, None, 4], dtype="Int64"), "s": ["p", "q", "p", None]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for column in ("x", "s"):
        got, expected = df.groupby("a")[column].describe(), pdf.groupby("a")[column].describe()
        assert got.compute().dtypes["count"] == got._meta.dtypes["count"] == expected.dtypes["count"]


@pytest.mark.parametrize("how", ["idxmax", "idxmin"])
def test_idxmax_idxmin(df, num, how):
    _same(getattr(df.groupby("k").x, how)(), getattr(num.groupby("k").x, how)(), ordered=True)
    _same(getattr(df.groupby("k")[["x", "y"]], how)(), getattr(num.groupby("k")[["x", "y"]], how)(), ordered=True)
    # dask 2026.7.1 keeps one partition's label per group when there are several (a dask defect): its
    # one-partition answer is the reference
    dask_result = getattr(dd.from_pandas(num, npartitions=1).groupby("k").y, how)().compute()
    _same(getattr(df.groupby("k").y, how)(), dask_result, ordered=True, check_dtype=False)


def test_unique(df, num):
    got = to_host(df.groupby("j").y.unique().compute())
    expected = num.groupby("j").y.unique()
    assert list(got.index) == list(expected.index)
    for a, b in zip(got, expected):
        assert sorted(a) == sorted(b)  # the rows of a group arrive shuffled


@pytest.mark.parametrize("normalize", [False, True])
def test_value_counts(df, num, normalize):
    got = df.groupby("k").j.value_counts(normalize=normalize)
    _same(got, num.groupby("k").j.value_counts(normalize=normalize))
    if not normalize:  # dask's groupby value_counts takes no keywords
        dask_result = dd.from_pandas(num, npartitions=5).groupby("k").j.value_counts().compute()
        _same(got, dask_result, check_dtype=False, check_index_type=False)


@pytest.mark.parametrize("key_dropna", [True, False])
@pytest.mark.parametrize("dropna", [True, False])
@pytest.mark.parametrize("normalize", [False, True])
def test_value_counts_missing_keys_and_values(backend, key_dropna, dropna, normalize):
    """The groupby's dropna keeps or drops the rows of missing keys, value_counts' own its missing values."""
    pdf = pd.DataFrame({"k": ["a", None, "a", None, "b", "a"], "v": [1.0, 2.0, np.nan, 3.0, np.nan, 1.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    _same(df.groupby("k", dropna=key_dropna).v.value_counts(dropna=dropna, normalize=normalize),
          pdf.groupby("k", dropna=key_dropna).v.value_counts(dropna=dropna, normalize=normalize))


def test_value_counts_order_within_groups(df, num):
    got = to_host(df.groupby("k").j.value_counts().compute())
    expected = num.groupby("k").j.value_counts()
    for key in expected.index.get_level_values(0).unique():  # counts descend within each group, as pandas
        assert list(got.loc[key].values) == list(expected.loc[key].values)


@pytest.mark.parametrize("how", ["corr", "cov"])
def test_corr_cov(df, num, how):
    cols = ["k", "x", "y"]
    _same(getattr(df[cols].groupby("k"), how)(), getattr(num[cols].groupby("k"), how)(), ordered=True, rtol=1e-9)
    # dask's groupby corr/cov do not drop missing values pair by pair (pandas does): compared without them
    full = num[cols].dropna()
    dask_result = getattr(dd.from_pandas(full, npartitions=5).groupby("k"), how)().compute()
    ours = getattr(gd.from_pandas(full, npartitions=5).groupby("k"), how)()
    _same(ours, dask_result, ordered=True, rtol=1e-9)
    with pytest.raises(NotImplementedError, match="SeriesGroupBy"):
        getattr(df.groupby("k").x, how)()


def test_series_methods_need_a_selection(df):
    with pytest.raises(AttributeError, match="select one column"):
        df.groupby("k").value_counts()


@settings(max_examples=25, deadline=None)
@given(keys=st.lists(st.integers(0, 4), min_size=1, max_size=40), nparts=st.integers(1, 5),
       n=st.integers(1, 3), seed=st.integers(0, 1000))
def test_head_ffill_match_pandas_on_random_frames(keys, nparts, n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=len(keys))
    x[rng.random(len(keys)) < 0.4] = np.nan
    pdf = pd.DataFrame({"k": keys, "x": x})
    df = gd.from_pandas(pdf, npartitions=nparts)
    _same(df.groupby("k").head(n), pdf.groupby("k").head(n))
    _same(df.groupby("k").x.tail(n), pdf.groupby("k").x.tail(n))
    _same(df.groupby("k").x.ffill(), pdf.groupby("k").x.ffill())
    _same(df.groupby("k").x.value_counts(), pdf.groupby("k").x.value_counts())


@pytest.mark.parametrize("split_out", [1, 3])
def test_any_all_quantile_sem_match_pandas(df, num, split_out):
    # pandas' groupby any/all/quantile/sem (dask has none of them): any/all/quantile on whole groups, sem
    # from the tree-reduced std and count.
    gb, pgb = df.groupby("k"), num.groupby("k")
    for how in ("any", "all"):
        _same(getattr(gb, how)(split_out=split_out), getattr(pgb, how)())
        _same(getattr(gb.x, how)(skipna=False), getattr(pgb.x, how)(skipna=False))
    for q in (0.25, [0.1, 0.5, 0.9]):
        _same(gb[["x", "y"]].quantile(q, split_out=split_out), pgb[["x", "y"]].quantile(q))
    _same(gb.y.quantile(0.3, interpolation="lower"), pgb.y.quantile(0.3, interpolation="lower"))
    _same(gb[["x", "y"]].sem(split_out=split_out), pgb[["x", "y"]].sem(), rtol=1e-9)
    _same(gb.x.sem(ddof=0), pgb.x.sem(ddof=0), rtol=1e-9)
    _same(df.groupby("j").sem(numeric_only=True), num.groupby("j").sem(numeric_only=True), rtol=1e-9)
    with pytest.raises(NotImplementedError, match="numeric_only"):
        df.groupby("k").sem()


def test_rank_pct_change_nth_match_pandas(df, num):
    # pandas' row-wise groupby methods that dask lacks: per group after a shuffle, the original index kept.
    gb, pgb = df.groupby("k"), num.groupby("k")
    _same(gb.x.rank(), pgb.x.rank())
    _same(gb[["x", "y"]].rank(method="dense", ascending=False, na_option="bottom", pct=True),
          pgb[["x", "y"]].rank(method="dense", ascending=False, na_option="bottom", pct=True))
    _same(gb.y.pct_change(), pgb.y.pct_change())
    _same(gb[["x", "y"]].pct_change(periods=-2), pgb[["x", "y"]].pct_change(periods=-2))
    for n in (0, -1, [0, 2]):
        _same(gb.nth(n), pgb.nth(n))
    _same(gb.x.nth(1), pgb.x.nth(1))


def test_filter_matches_pandas(df, num):
    # pandas' groupby filter (dask has none); cuDF has none either: there each group is kept or not by apply.
    gb, pgb = df.groupby("k"), num.groupby("k")
    keep = lambda g: g.y.mean() > 0  # noqa: E731
    _same(gb.filter(keep), pgb.filter(keep))
    _same(gb.filter(keep, dropna=False), pgb.filter(keep, dropna=False))
    _same(gb.x.filter(lambda s, m: len(s) > m, m=20), pgb.x.filter(lambda s, m: len(s) > m, m=20))
    _same(df.groupby(df.y % 3).filter(lambda g: g.x.sum() > 0), num.groupby(num.y % 3).filter(lambda g: g.x.sum() > 0))
    indexed = gd.from_pandas(num.set_index("k"), npartitions=4)  # groups by the index lie in partitions already
    got = indexed.groupby("k").filter(lambda g: len(g) > 20)
    assert got.divisions == indexed.divisions
    _same(got, num.set_index("k").groupby("k").filter(lambda g: len(g) > 20))


@pytest.mark.parametrize("by", [["c"], ["c", "k"]])
@pytest.mark.parametrize("kwargs", [{}, {"normalize": True}, {"ascending": True}, {"sort": False}])
def test_value_counts_observed_false_has_every_category(by, kwargs):
    # pandas gives every key category with every value (0 where absent); only the observed pairs came back.
    # (pandas only, as the other observed=False tests: the strict cuDF stand-in has no CategoricalIndex to build)
    backend = "cpu"
    pdf = pd.DataFrame({"c": pd.Categorical(list("abab" * 3), categories=list("dcba")), "k": [1, 2] * 6,
                        "i": [1, 2, 1, 3, 2, 2, 1, 1, 3, 3, 1, 2]})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = df.groupby(by, observed=False).i.value_counts(**kwargs)
    expected = pdf.groupby(by, observed=False).i.value_counts(**kwargs)
    # (pandas' order of the values in a group of no rows is its own with several keys: compared sorted then)
    _same(got, expected, ordered=len(by) == 1, check_index_type=False)
    observed = df.groupby(by, observed=True).i.value_counts(**kwargs)
    _same(observed, pdf.groupby(by, observed=True).i.value_counts(**kwargs), ordered=True, check_index_type=False)
