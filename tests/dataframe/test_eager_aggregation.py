"""Aggregate before a join: a group-by of a join by its left keys, aggregating right-side columns, reduces the
right side per partition first. Results must be pandas' (every key multiplicity, unmatched rows, missing values);
the rewrite must stay away from the aggregations and plans where it would not be exact."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends.frame.eager_aggregation import keyed_partials
from gpuscale.dataframe.expr import eager_aggregation
from gpuscale.dataframe.expr.blockwise import Map
from gpuscale.dataframe.expr.shuffle import HashShuffle
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def _tables(seed: int, left_rows: int = 300, right_rows: int = 2_000, keys: int = 120):
    rng = np.random.default_rng(seed)
    left = pd.DataFrame({"k": rng.integers(0, keys, left_rows), "a": rng.normal(size=left_rows)})
    right = pd.DataFrame({"rk": rng.integers(keys // 3, 2 * keys, right_rows),
                          "v": np.where(rng.random(right_rows) < 0.2, np.nan, rng.normal(size=right_rows)),
                          "n": rng.integers(0, 50, right_rows)})
    return left, right


def _rewritten(collection) -> bool:
    return "eager-aggregate" in collection.expr.optimize(fuse=False).tree_repr()


def _check(got, expected):
    tm.assert_series_equal(to_host(got.compute()).sort_index(), expected.sort_index()) \
        if isinstance(expected, pd.Series) else \
        tm.assert_frame_equal(to_host(got.compute()).sort_index(), expected.sort_index())


@pytest.mark.parametrize("broadcast", [None, False])
@pytest.mark.parametrize("how", ["left", "inner"])
def test_counts_per_left_key_as_pandas(backend, how, broadcast):
    """TPC-H Q13's shape: count the right rows each left key met (0 for left rows without a match). A shuffle
    join aggregates the right side after its shuffle, and does not shuffle it again."""
    left, right = _tables(1)
    gl, gr = gd.from_pandas(left, npartitions=3, backend=backend), gd.from_pandas(right, npartitions=5, backend=backend)
    joined = gl.merge(gr, left_on="k", right_on="rk", how=how, broadcast=broadcast)
    got = joined.groupby("k").agg(c=("n", "count"), cv=("v", "count"))
    expected = left.merge(right, left_on="k", right_on="rk", how=how).groupby("k").agg(c=("n", "count"),
                                                                                      cv=("v", "count"))
    assert _rewritten(got)
    _check(got, expected)
    lowered = got.expr.optimize(fuse=False)
    eager = [m for m in lowered.find_operations(Map) if m.func is keyed_partials]
    assert len(eager) == 1
    shuffles = list(lowered.find_operations(HashShuffle))
    assert not any(s.frame._name == eager[0]._name for s in shuffles)  # not shuffled again for the join
    if broadcast is False:
        assert isinstance(eager[0].args[0], HashShuffle)  # aggregated where each key's rows meet


@pytest.mark.parametrize("how", ["left", "inner"])
@pytest.mark.parametrize("agg", ["sum", "min", "max", "mean"])
def test_float_sums_extremes_and_means_as_pandas(backend, how, agg):
    left, right = _tables(2)
    gl, gr = gd.from_pandas(left, npartitions=2, backend=backend), gd.from_pandas(right, npartitions=4, backend=backend)
    got = getattr(gl.merge(gr, left_on="k", right_on="rk", how=how).groupby("k").v, agg)()
    expected = getattr(left.merge(right, left_on="k", right_on="rk", how=how).groupby("k").v, agg)()
    assert _rewritten(got)
    _check(got, expected)


def test_integer_sums_of_an_inner_join_keep_their_dtype(backend):
    left, right = _tables(3)
    gl, gr = gd.from_pandas(left, npartitions=2, backend=backend), gd.from_pandas(right, npartitions=4, backend=backend)
    got = gl.merge(gr, left_on="k", right_on="rk").groupby("k").n.sum()
    assert _rewritten(got)
    _check(got, left.merge(right, left_on="k", right_on="rk").groupby("k").n.sum())


def test_a_shared_key_name_and_a_two_column_key(backend):
    left, right = _tables(4)
    right = right.rename(columns={"rk": "k"}).assign(j=lambda t: t.n % 3)
    left = left.assign(j=np.arange(len(left)) % 3)
    gl, gr = gd.from_pandas(left, npartitions=3, backend=backend), gd.from_pandas(right, npartitions=3, backend=backend)
    one = gl.merge(gr.drop(columns="j"), on="k", how="left").groupby("k").v.count()
    _check(one, left.merge(right.drop(columns="j"), on="k", how="left").groupby("k").v.count())
    two = gl.merge(gr, on=["k", "j"], how="left").groupby(["k", "j"]).agg(c=("n", "count"), s=("v", "sum"))
    _check(two, left.merge(right, on=["k", "j"], how="left").groupby(["k", "j"]).agg(c=("n", "count"),
                                                                                    s=("v", "sum")))
    assert _rewritten(one) and _rewritten(two)


@pytest.mark.parametrize("case", ["size", "std", "right-key", "left-column", "left-int-sum", "outer", "shared",
                                  "by-other-than-the-key"])
def test_where_it_would_not_be_exact_the_plan_is_left_alone(backend, case):
    left, right = _tables(5)
    gl, gr = gd.from_pandas(left, npartitions=2, backend=backend), gd.from_pandas(right, npartitions=3, backend=backend)
    how = "outer" if case == "outer" else "left"
    joined, pjoined = (t.merge(u, left_on="k", right_on="rk", how=how) for t, u in ((gl, gr), (left, right)))
    if case == "by-other-than-the-key":
        joined, pjoined = joined.assign(g=joined.k % 5), pjoined.assign(g=pjoined.k % 5)
    pick = {"size": lambda j: j.groupby("k").size(), "std": lambda j: j.groupby("k").v.std(),
            "right-key": lambda j: j.groupby("k").rk.count(), "left-column": lambda j: j.groupby("k").a.sum(),
            "left-int-sum": lambda j: j.groupby("k").n.sum(), "outer": lambda j: j.groupby("k").v.count(),
            "shared": lambda j: j.groupby("k").v.count() + j.v.sum(),
            "by-other-than-the-key": lambda j: j.groupby("g").v.count()}[case]
    got, expected = pick(joined), pick(pjoined)
    assert not _rewritten(got)
    _check(got, expected)


def test_the_rule_can_be_switched_off(backend, monkeypatch):
    left, right = _tables(6)
    gl, gr = gd.from_pandas(left, npartitions=2, backend=backend), gd.from_pandas(right, npartitions=3, backend=backend)
    got = gl.merge(gr, left_on="k", right_on="rk", how="left").groupby("k").v.count()
    monkeypatch.setattr(eager_aggregation, "ENABLED", False)
    assert not _rewritten(got)
    _check(got, left.merge(right, left_on="k", right_on="rk", how="left").groupby("k").v.count())


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), how=st.sampled_from(["left", "inner"]), nl=st.integers(1, 4),
       nr=st.integers(1, 5), keys=st.integers(1, 40), dropna=st.booleans())
def test_any_multiplicity_and_partitioning_as_pandas(seed, how, nl, nr, keys, dropna):
    rng = np.random.default_rng(seed)
    left = pd.DataFrame({"k": rng.integers(0, keys, 40).astype("float64")})
    left.loc[rng.random(40) < 0.1, "k"] = np.nan  # missing keys: dropped or kept as pandas does
    right = pd.DataFrame({"rk": rng.integers(0, keys, 60).astype("float64"),
                          "v": np.where(rng.random(60) < 0.3, np.nan, rng.normal(size=60))})
    gl, gr = gd.from_pandas(left, npartitions=nl), gd.from_pandas(right, npartitions=nr)
    got = gl.merge(gr, left_on="k", right_on="rk", how=how).groupby("k", dropna=dropna).agg(
        c=("v", "count"), s=("v", "sum"), m=("v", "max"))
    expected = left.merge(right, left_on="k", right_on="rk", how=how).groupby("k", dropna=dropna).agg(
        c=("v", "count"), s=("v", "sum"), m=("v", "max"))
    assert _rewritten(got)
    tm.assert_frame_equal(got.compute().sort_index(), expected.sort_index())
