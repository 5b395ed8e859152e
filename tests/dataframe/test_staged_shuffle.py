"""The staged task shuffle (dask's max_branch): with many partitions on both sides rows move in rounds of
few pieces; every output partition holds the rows, in the order, that the one-round shuffle gives it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import gpuscale
import gpuscale.dataframe as gd
from gpuscale.dataframe.expr.shuffle import _rounds
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import sort_rows, to_host

ONE_ROUND = 10_000  # a max_branch above every partition count: the one-round shuffle


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"k": rng.integers(0, 300, 1500), "v": rng.random(1500),
                          "s": rng.choice(list("abcdefg"), 1500)})
    frame.loc[::9, "v"] = np.nan
    return frame.set_axis(np.sort(rng.choice(10**6, 1500, replace=False)))


def _partitions(collection, branch: int) -> list:
    with gpuscale.config.set({"dataframe.shuffle.max_branch": branch}):
        parts = gpuscale.compute(*[collection.partitions[i] for i in range(collection.npartitions)])
    return [to_host(p) for p in parts]


def _same_partitions(collection, branch: int = 3) -> None:
    staged, one_round = _partitions(collection, branch), _partitions(collection, ONE_ROUND)
    assert len(staged) == len(one_round)
    for a, b in zip(staged, one_round):
        (tm.assert_frame_equal if hasattr(a, "columns") else tm.assert_series_equal)(a, b)


@pytest.mark.parametrize("n_in, n_out", [(20, 20), (9, 40), (40, 7), (27, 27)])
def test_staged_hash_shuffle_gives_each_partition_the_one_round_rows(pdf, backend, n_in, n_out):
    df = gd.from_pandas(pdf, npartitions=n_in, backend=backend)
    _same_partitions(df.shuffle("k", npartitions=n_out, shuffle_method="tasks"))
    _same_partitions(df.shuffle(["s", "k"], npartitions=n_out, ignore_index=True))
    _same_partitions(df.set_index("s").shuffle(on_index=True, npartitions=n_out))


def test_staged_range_shuffles_sort_as_the_one_round_shuffle(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=20, backend=backend)
    _same_partitions(df.sort_values("v"))
    _same_partitions(df.sort_values(["s", "v"], ascending=False))
    _same_partitions(df.set_index("v"))
    with gpuscale.config.set({"dataframe.shuffle.max_branch": 3}):
        tm.assert_frame_equal(to_host(df.sort_values("v").compute()), pdf.sort_values("v", kind="stable"))


def test_operations_through_a_staged_shuffle_give_pandas_answers(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=24, backend=backend)
    right = pdf.drop_duplicates("k").rename(columns={"v": "w"})
    with gpuscale.config.set({"dataframe.shuffle.max_branch": 4}):
        merged = df.merge(gd.from_pandas(right, npartitions=17, backend=backend), on="k", how="left",
                          shuffle_method="tasks")
        tm.assert_frame_equal(sort_rows(to_host(merged.compute())), sort_rows(pdf.merge(right, on="k", how="left")))
        tm.assert_frame_equal(sort_rows(to_host(df.drop_duplicates("k").compute())),
                              sort_rows(pdf.drop_duplicates("k")))
        sums = df.groupby("k").v.sum(split_out=9).compute()
        tm.assert_series_equal(to_host(sums).sort_index(), pdf.groupby("k").v.sum())
        tm.assert_series_equal(to_host(df.duplicated(["s"]).compute()), pdf.duplicated(["s"]))


def test_no_partition_splits_into_more_than_max_branch_pieces(pdf):
    df = gd.from_pandas(pdf, npartitions=100, backend="cpu")
    shuffled = df.shuffle("k", npartitions=100, max_branch=10)
    graph = shuffled.__dask_graph__()
    pieces = [key for key in graph if isinstance(key, tuple) and str(key[0]).startswith("piece")]
    per_split: dict = {}
    for key in pieces:
        per_split[(key[0], key[1])] = per_split.get((key[0], key[1]), 0) + 1
    assert max(per_split.values()) <= 10
    assert len(pieces) <= 2 * 100 * 10 < 100 * 100  # two rounds of at most 10 pieces, not 10,000 shards
    tm.assert_frame_equal(sort_rows(shuffled.compute()), sort_rows(pdf))


def test_max_branch_is_checked(pdf):
    df = gd.from_pandas(pdf, npartitions=4, backend="cpu")
    with pytest.raises(ValueError, match="max_branch=1"):
        df.shuffle("k", max_branch=1)
    with pytest.raises(ValueError, match="at least 2"):
        gpuscale.config.set({"dataframe.shuffle.max_branch": 0})


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 100_000), branch=st.integers(2, 200))
def test_rounds_cover_every_partition_with_at_most_branch_pieces(n, branch):
    rounds, k = _rounds(n, branch)
    assert k ** rounds >= n and (k - 1) ** rounds < n or k == 2
    assert k <= max(branch, 2)
    assert rounds == 1 or branch ** (rounds - 1) < n  # no more rounds than needed


@pytest.mark.parametrize("own_copy_rows", [1, 10_000])
def test_pieces_are_the_rows_asked_for_whether_taken_apart_or_sliced(pdf, backend, monkeypatch, own_copy_rows):
    from gpuscale.backends.frame import shuffle as frame_shuffle

    monkeypatch.setattr(frame_shuffle, "_OWN_COPY_ROWS", own_copy_rows)
    part = gd.from_pandas(pdf, npartitions=1, backend=backend).partitions[0].compute()
    order = np.random.default_rng(0).permutation(len(pdf))
    bounds = np.array([0, 0, 400, 401, 1500])
    pieces = frame_shuffle.take_pieces(part, order, bounds)
    for piece, a, b in zip(pieces, bounds[:-1], bounds[1:]):
        tm.assert_frame_equal(to_host(piece), pdf.take(order[a:b]))
