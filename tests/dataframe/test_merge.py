"""Merges (broadcast and hash-shuffle plans) and concat, against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tests.dataframe import host_testing as tm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import sort_rows, to_host
from gpuscale.dataframe.expr.merge import BroadcastMerge
from gpuscale.dataframe.expr.shuffle import ConcatPartitions, HashShuffle

HOWS = ["inner", "left", "right", "outer"]


@pytest.fixture
def right_pdf():
    return pd.DataFrame({"k": np.arange(0, 16, 2), "v": np.arange(8) * 10, "x": np.arange(8) * 0.5,
                         "name": [f"n{i}" for i in range(8)]})


def check(result, expected):
    tm.assert_frame_equal(sort_rows(result.compute()), sort_rows(expected))


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("right_parts", [1, 4])
@pytest.mark.parametrize("broadcast", [None, False])
def test_merge_on_column(pdf, right_pdf, backend, how, right_parts, broadcast):
    left = gd.from_pandas(pdf.drop(columns="t"), npartitions=8, backend=backend)
    right = gd.from_pandas(right_pdf, npartitions=right_parts, backend=backend)
    expected = pdf.drop(columns="t").merge(right_pdf, on="k", how=how)
    check(left.merge(right, on="k", how=how, broadcast=broadcast), expected)


def test_merge_left_on_right_on_and_suffixes(pdf, right_pdf, backend):
    left = gd.from_pandas(pdf[["k", "x", "y"]], npartitions=3, backend=backend)
    right = gd.from_pandas(right_pdf.rename(columns={"k": "kk"}), npartitions=2, backend=backend)
    expected = pdf[["k", "x", "y"]].merge(right_pdf.rename(columns={"kk": "kk"}).rename(columns={"k": "kk"}),
                                          left_on="k", right_on="kk", suffixes=("_l", "_r"))
    check(gd.merge(left, right, left_on="k", right_on="kk", suffixes=("_l", "_r")), expected)


def test_merge_multiple_keys(backend):
    a = pd.DataFrame({"p": [1, 1, 2, 2, 3] * 4, "q": list("ababa") * 4, "v": np.arange(20)})
    b = pd.DataFrame({"p": [1, 2, 3, 1], "q": ["a", "b", "a", "b"], "w": [10.0, 20.0, 30.0, 40.0]})
    left, right = gd.from_pandas(a, npartitions=4, backend=backend), gd.from_pandas(b, npartitions=2, backend=backend)
    for how in HOWS:
        check(left.merge(right, on=["p", "q"], how=how, broadcast=False), a.merge(b, on=["p", "q"], how=how))


def test_one_broadcast_frame_merged_on_different_keys(backend):
    # The broadcast side's key index was cached per frame, not per key columns: a merge on ["k", "s"] after
    # one on "k" looked the pairs up in the index of "k" alone and matched nothing (0 rows where pandas has 2).
    a = pd.DataFrame({"k": [3.0, 2.0, 3.0, 8.0, 5.0, 3.0], "s": list("aabaaa"), "a": range(6)})
    b = pd.DataFrame({"k": [1.0, 5.0, 9.0, 2.0, 4.0], "s": list("caaba"), "b": range(5)})
    left, right = gd.from_pandas(a, npartitions=2, backend=backend), gd.from_pandas(b, npartitions=1, backend=backend)
    for on in ("k", ["k", "s"], "s", ["k", "s"], "k"):
        for how in ("inner", "left"):
            got = gd.merge(left, right, on=on, how=how)
            assert isinstance(got.expr.lower_completely(), BroadcastMerge)
            check(got, a.merge(b, on=on, how=how))
    indexed = gd.from_pandas(b.set_index("k"), npartitions=1, backend=backend)
    check(gd.merge(left, indexed, left_on="k", right_index=True), a.merge(b.set_index("k"), left_on="k", right_index=True))
    check(gd.merge(left, right, on="k"), a.merge(b, on="k"))


def test_a_broadcast_side_shared_by_threads_matches_every_partitions_rows(backend):
    """Every partition's task looks its keys up in the same broadcast side; pandas < 3 builds an index's hash
    table on first use (not by ``is_unique`` on a sorted index), and threads racing through that lost rows."""
    rng = np.random.default_rng(11)
    big = pd.DataFrame({"k": rng.integers(0, 40_000, 60_000), "x": np.arange(60_000)})
    for _ in range(6):
        small = pd.DataFrame({"y": np.arange(40_000.0)}, index=pd.Index(np.arange(40_000), name="k"))
        got = gd.from_pandas(big, npartitions=16, backend=backend).merge(
            gd.from_pandas(small, npartitions=1, backend=backend), left_on="k", right_index=True)
        assert isinstance(got.expr.lower_completely(), BroadcastMerge)
        tm.assert_frame_equal(sort_rows(to_host(got.compute(num_workers=8))),
                              sort_rows(big.merge(small, left_on="k", right_index=True)))


@pytest.mark.parametrize("parts", [(3, 1), (1, 3), (3, 2), (1, 1)])
def test_leftsemi_keeps_the_left_rows_whose_keys_the_right_has(parts):
    # cuDF's how="leftsemi" (dask's docs list it): pandas has none, so pandas partitions raised ValueError.
    # (pandas partitions only: cuDF runs its own leftsemi, which the strict stand-in does not emulate)
    backend = "cpu"
    a = pd.DataFrame({"k": [1, 2, 2, 3, 4, 5, 7], "s": list("xxyxyxy"), "a": range(7)})
    b = pd.DataFrame({"k": [2, 2, 4, 9, 7], "s": list("xyxxx"), "b": range(5)})
    left = gd.from_pandas(a, npartitions=parts[0], backend=backend)
    right = gd.from_pandas(b, npartitions=parts[1], backend=backend)
    for on in ("k", ["k", "s"]):
        keys = list(a[on if isinstance(on, list) else [on]].itertuples(index=False, name=None))
        wanted = set(b[on if isinstance(on, list) else [on]].itertuples(index=False, name=None))
        expected = a[[key in wanted for key in keys]].reset_index(drop=True)
        got = gd.merge(left, right, on=on, how="leftsemi")
        assert list(got.columns) == list(a.columns)
        check(got, expected)
    indexed = gd.merge(gd.from_pandas(a.set_index("k"), npartitions=parts[0], backend=backend),
                       gd.from_pandas(b.set_index("k"), npartitions=parts[1], backend=backend),
                       left_index=True, right_index=True, how="leftsemi")
    tm.assert_frame_equal(to_host(indexed.compute()).sort_values("a"), a.set_index("k")[a.k.isin(b.k).to_numpy()])


def test_merge_on_index(pdf, right_pdf, backend):
    left = gd.from_pandas(pdf[["k", "x"]], npartitions=4, backend=backend)
    right = gd.from_pandas(right_pdf.set_index("k"), npartitions=2, backend=backend)
    check(left.merge(right, left_on="k", right_index=True, broadcast=False),
          pdf[["k", "x"]].merge(right_pdf.set_index("k"), left_on="k", right_index=True))
    names = right[["v", "name"]]
    check(left.join(names, on="k"), pdf[["k", "x"]].join(right_pdf.set_index("k")[["v", "name"]], on="k"))


def test_plan_choice_from_partition_counts(pdf, right_pdf):
    big = gd.from_pandas(pdf, npartitions=8)
    small = gd.from_pandas(right_pdf, npartitions=1)
    plan = big.merge(small, on="k").expr.lower_completely()
    assert isinstance(plan, BroadcastMerge)
    plan = big.merge(gd.from_pandas(right_pdf, npartitions=8), on="k").expr.lower_completely()
    assert list(plan.find_operations(HashShuffle))
    outer = big.merge(small, on="k", how="outer").expr.lower_completely()
    assert list(outer.find_operations(HashShuffle))


def test_int_and_float_keys_meet(backend):
    a = pd.DataFrame({"k": np.arange(20, dtype="int32"), "v": np.arange(20)})
    b = pd.DataFrame({"k": np.arange(0, 20, 3, dtype="float64"), "w": np.arange(7)})
    left, right = gd.from_pandas(a, npartitions=4, backend=backend), gd.from_pandas(b, npartitions=3, backend=backend)
    check(left.merge(right, on="k", broadcast=False), a.merge(b, on="k"))


def test_bad_merges_fail_at_build_time(pdf, right_pdf):
    left, right = gd.from_pandas(pdf, npartitions=2), gd.from_pandas(right_pdf, npartitions=2)
    with pytest.raises(ValueError, match=r"left column 'k' is int64, right column 'name' is (str|object)"):
        left.merge(right, left_on="k", right_on="name")
    with pytest.raises(KeyError, match="nope.*right side"):
        left.merge(right, left_on="k", right_on="nope")
    with pytest.raises(ValueError, match="how="):
        left.merge(right, on="k", how="cross-ish")


def test_concat_rows_and_columns(pdf, backend):
    a = gd.from_pandas(pdf.iloc[:100], npartitions=2, backend=backend)
    b = gd.from_pandas(pdf.iloc[100:][["k", "x"]], npartitions=3, backend=backend)
    out = gd.concat([a, b])
    assert out.npartitions == 5
    tm.assert_frame_equal(out.compute(), pd.concat([pdf.iloc[:100], pdf.iloc[100:][["k", "x"]]]))
    assert out.known_divisions
    x = gd.from_pandas(pdf[["x"]], npartitions=3, backend=backend)
    y = gd.from_pandas(pdf[["y"]], npartitions=3, backend=backend)
    tm.assert_frame_equal(gd.concat([x, y], axis=1).compute(), pd.concat([pdf[["x"]], pdf[["y"]]], axis=1))


def test_one_partition_side_is_broadcast_without_moving_the_other(pdf):
    big = gd.from_pandas(pdf, npartitions=8)
    per_key = big.groupby("k").agg(total=("y", "sum")).reset_index()  # one partition
    assert per_key.npartitions == 1
    plan = big.merge(per_key, on="k").expr.lower_completely()
    assert isinstance(plan, BroadcastMerge) and plan.npartitions == 8
    assert plan.big.npartitions == 8 and not list(plan.big.find_operations(ConcatPartitions))
    expected = pdf.merge(pdf.groupby("k").agg(total=("y", "sum")).reset_index(), on="k")
    check(big.merge(per_key, on="k"), expected)
    check(per_key.merge(big, on="k", how="right"), to_host(per_key.compute()).merge(pdf, on="k", how="right"))


@settings(max_examples=15, deadline=None)
@given(left_keys=st.lists(st.integers(0, 6), min_size=1, max_size=25),
       right_keys=st.lists(st.integers(0, 6), min_size=1, max_size=10),
       nl=st.integers(1, 4), nr=st.integers(1, 3), how=st.sampled_from(HOWS))
def test_merge_matches_pandas_on_random_keys(left_keys, right_keys, nl, nr, how):
    a = pd.DataFrame({"k": left_keys, "v": np.arange(len(left_keys))})
    b = pd.DataFrame({"k": right_keys, "w": np.arange(len(right_keys)) * 1.5})
    left, right = gd.from_pandas(a, npartitions=nl), gd.from_pandas(b, npartitions=nr)
    check(left.merge(right, on="k", how=how), a.merge(b, on="k", how=how))


def test_a_filtered_side_counts_as_smaller_for_broadcasting(pdf):
    big = gd.from_pandas(pd.concat([pdf] * 3, ignore_index=True), npartitions=12)
    small = gd.from_pandas(pdf, npartitions=8)
    assert list(big.merge(small, on="k").expr.lower_completely().find_operations(HashShuffle))
    filtered = small[small.x > 0]
    plan = big.merge(filtered, on="k").expr.lower_completely()
    assert isinstance(plan, BroadcastMerge) and not list(plan.find_operations(HashShuffle))
    expected = pd.concat([pdf] * 3, ignore_index=True).merge(pdf[pdf.x > 0], on="k")
    check(big.merge(filtered, on="k"), expected)


def test_each_condition_of_a_filter_counts_as_more_selective(pdf):
    # a side 4x the other's partitions is shuffled when filtered on one condition, broadcast when on three
    big = gd.from_pandas(pdf, npartitions=4)
    side = gd.from_pandas(pd.concat([pdf] * 4, ignore_index=True), npartitions=16)
    one = side[side.x > 0]
    three = side[(side.x > 0) & (side.y < 50) & (side.k != 3)]
    assert list(big.merge(one, on="k").expr.lower_completely().find_operations(HashShuffle))
    plan = big.merge(three, on="k").expr.lower_completely()
    assert isinstance(plan, BroadcastMerge) and not list(plan.find_operations(HashShuffle))
    whole = pd.concat([pdf] * 4, ignore_index=True)
    check(big.merge(three, on="k"), pdf.merge(whole[(whole.x > 0) & (whole.y < 50) & (whole.k != 3)], on="k"))


@settings(max_examples=40, deadline=None)
@given(big_keys=st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, np.nan]), max_size=20),
       small_keys=st.lists(st.sampled_from([1.0, 2.0, 4.0, np.nan]), max_size=6),
       two_keys=st.booleans(), how=st.sampled_from(["inner", "left"]), big_is_left=st.booleans())
def test_broadcast_merge_partition_matches_pandas(big_keys, small_keys, two_keys, how, big_is_left):
    # the broadcast side is cut to the rows a partition can match before pandas merges them
    from gpuscale.backends.frame import broadcast_merge

    big = pd.DataFrame({"k": big_keys, "j": 1, "v": np.arange(len(big_keys))})
    small = pd.DataFrame({"k": small_keys, "j": 1, "w": np.arange(len(small_keys)) * 0.5})
    on = ["k", "j"] if two_keys else ["k"]
    how = how if big_is_left else {"left": "right"}.get(how, how)
    left, right = (big, small) if big_is_left else (small, big)
    kwargs = {"how": how, "left_on": on, "right_on": on, "left_index": False, "right_index": False,
              "suffixes": ("_x", "_y")}
    for _ in range(2):  # the second call reuses the cached key index
        tm.assert_frame_equal(broadcast_merge(big, small, kwargs, big_is_left), left.merge(right, **kwargs))


@pytest.mark.parametrize("big_dtype", ["int64", "int32", "float64"])
@pytest.mark.parametrize("how", ["inner", "left"])
@pytest.mark.parametrize("big_is_left", [True, False])
def test_broadcast_merge_through_a_hash_table_of_sorted_int_keys(monkeypatch, big_dtype, how, big_is_left):
    # a big sorted unique int64 key (a dimension table's id) is looked up in a hash table of its own, not by
    # pandas' bisection; other key dtypes of the partition take the index's get_indexer: same answers
    from gpuscale.backends.frame import broadcast_merge, join

    monkeypatch.setattr(join, "_BISECTED_SIZE", 8)
    small = pd.DataFrame({"k": np.arange(10, 30, dtype="int64"), "w": np.arange(20) * 0.5})
    rng = np.random.default_rng(5)
    big = pd.DataFrame({"k": rng.integers(0, 40, 50).astype(big_dtype), "v": np.arange(50)})
    left, right = (big, small) if big_is_left else (small, big)
    how = how if big_is_left else {"left": "right"}.get(how, how)
    kwargs = {"how": how, "left_on": ["k"], "right_on": ["k"], "left_index": False, "right_index": False,
              "suffixes": ("_x", "_y")}
    for _ in range(2):
        tm.assert_frame_equal(broadcast_merge(big, small, kwargs, big_is_left), left.merge(right, **kwargs))
    assert join._key_index(small, ["k"])[1] is not None
    unsorted = small.sample(frac=1, random_state=0)  # pandas' engine hashes an unsorted index itself
    assert join._key_index(unsorted, ["k"])[1] is None
    inner = {**kwargs, "how": "inner"}
    expected = big.merge(unsorted, **inner) if big_is_left else unsorted.merge(big, **inner)
    tm.assert_frame_equal(broadcast_merge(big, unsorted, inner, big_is_left), expected)


def test_broadcast_merge_on_index_and_other_key_names(pdf):
    big = gd.from_pandas(pdf, npartitions=6)
    small = pdf.groupby("k").agg(total=("y", "sum"))
    got = big.merge(gd.from_pandas(small, npartitions=1), left_on="k", right_index=True)
    check(got, pdf.merge(small, left_on="k", right_index=True))
    renamed = small.reset_index().rename(columns={"k": "key"})
    got = big.merge(gd.from_pandas(renamed, npartitions=1), left_on="k", right_on="key", how="left")
    check(got, pdf.merge(renamed, left_on="k", right_on="key", how="left"))


@pytest.mark.parametrize("right_dtype", ["int64", "int32"])
def test_side_already_partitioned_by_its_keys_is_not_shuffled_again(right_dtype):
    rng = np.random.default_rng(3)
    left = pd.DataFrame({"k": rng.integers(-50, 50, 400), "x": rng.normal(size=400)})
    right = pd.DataFrame({"key": rng.integers(-50, 50, 900).astype(right_dtype), "y": np.arange(900)})
    distinct = gd.from_pandas(right, npartitions=4)[["key"]].drop_duplicates()
    out = gd.from_pandas(left, npartitions=6).merge(distinct, left_on="k", right_on="key", how="left",
                                                    broadcast=False)
    shuffles = list(out.expr.lower_completely().find_operations(HashShuffle))
    keys = sorted(tuple(s.on) for s in shuffles)
    if right_dtype == "int64":  # the drop_duplicates shuffle partitions the right side: only the left moves
        assert keys == [("k",), ("key",)] and {s.npartitions_out for s in shuffles} == {4}
    else:  # int32 and int64 keys hash differently: both sides are shuffled for the merge
        assert keys == [("k",), ("key",), ("key",)]
    # merging on columns, pandas numbers the result rows anew: the merge's shuffles carry no row labels
    assert all(s.drop_index for s in shuffles if tuple(s.on) == ("k",))
    expected = left.merge(right[["key"]].drop_duplicates(), left_on="k", right_on="key", how="left")
    tm.assert_frame_equal(sort_rows(out.compute()), sort_rows(expected))


def test_merging_columns_with_an_index_keeps_the_column_sides_index_names_in_empty_shards(backend):
    # pandas names an empty result's index after the indexed side; shards that happen to be empty
    # must still agree with the others, or the concatenated result depends on hash placement
    from gpuscale.backends import frame as bf

    left = pd.DataFrame({"k": np.array([], dtype="int64"), "x": np.array([], dtype="float64")})
    right = pd.DataFrame({"v": [10, 20]}, index=pd.Index([0, 2], name="k"))
    left, right = (bf.convert_library(f, backend) for f in (left, right))
    out = bf.merge_chunks(left, right, how="inner", left_on=["k"], right_index=True)
    assert list(to_host(out).index.names) == [None]


def test_merge_with_a_pandas_frame_and_on_an_index_level_name(backend):
    a = pd.DataFrame({"k": np.arange(20) % 5, "x": np.arange(20)})
    b = pd.DataFrame({"k": range(5), "name": list("abcde")})
    df = gd.from_pandas(a, npartitions=3, backend=backend)
    check(df.merge(b, on="k"), a.merge(b, on="k"))  # a pandas side, as dask allows
    indexed = gd.from_pandas(b.set_index("k"), npartitions=2, backend=backend)
    check(df.merge(indexed, on="k"), a.merge(b.set_index("k"), on="k"))  # "k" is the right side's index


def test_merging_frames_of_different_libraries_is_a_clear_error(backend):
    if backend != "cudf":
        pytest.skip("needs a cuDF leg")
    left = gd.from_pandas(pd.DataFrame({"k": [1]}), npartitions=1, backend="cudf")
    right = gd.from_pandas(pd.DataFrame({"k": [1]}), npartitions=1, backend="pandas")
    with pytest.raises(TypeError, match="cudf partitions and the right side pandas"):
        left.merge(right, on="k")


@pytest.mark.parametrize("left_parts", [1, 3])
@pytest.mark.parametrize("right_parts", [1, 3])
def test_cross_merge_as_pandas(backend, left_parts, right_parts):
    # every row of the left with every row of the right, in pandas' order (dask refuses how="cross"); one
    # partition on each side with known divisions paired rows by index label (the right was aligned)
    left = pd.DataFrame({"k": range(7), "v": np.arange(7) * 1.5})
    right = pd.DataFrame({"w": list("abcd"), "v": [1, 2, 3, 4]}, index=[2, 3, 10, 11])
    a = gd.from_pandas(left, npartitions=left_parts, backend=backend)
    b = gd.from_pandas(right, npartitions=right_parts, backend=backend)
    got = a.merge(b, how="cross", suffixes=("_l", "_r"))
    expected = left.merge(right, how="cross", suffixes=("_l", "_r"))
    assert list(got.columns) == list(expected.columns) and got.npartitions == left_parts
    tm.assert_frame_equal(to_host(got.compute()).reset_index(drop=True), expected)
    tm.assert_frame_equal(to_host(gd.merge(a, right, how="cross").compute()).reset_index(drop=True),
                          left.merge(right, how="cross"))
    with pytest.raises(pd.errors.MergeError, match="Can not pass on"):
        a.merge(b, how="cross", on="v")


@pytest.mark.parametrize("validate", ["1:1", "1:m", "m:1", "m:m", "one_to_one", "many_to_one"])
def test_merge_validate_as_pandas(backend, validate):
    left = pd.DataFrame({"k": [1, 1, 2, 3, 5, 8], "a": range(6)})
    rights = [pd.DataFrame({"k": [1, 2, 2, 4], "b": range(4)}), pd.DataFrame({"k": [1, 2, 4], "b": range(3)})]
    a = gd.from_pandas(left, npartitions=2, backend=backend)
    for right in rights:
        b = gd.from_pandas(right, npartitions=2, backend=backend)
        try:
            expected = left.merge(right, on="k", how="left", validate=validate)
        except pd.errors.MergeError as error:
            with pytest.raises(pd.errors.MergeError, match=str(error).split("\n")[0].replace(".", r"\.")):
                a.merge(b, on="k", how="left", validate=validate).compute()
        else:
            got = to_host(a.merge(b, on="k", how="left", validate=validate).compute())
            tm.assert_frame_equal(sort_rows(got).reset_index(drop=True), sort_rows(expected).reset_index(drop=True))
    with pytest.raises(ValueError, match="not a valid argument"):
        a.merge(b, on="k", validate="1:n")


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
def test_index_merge_keeps_rows_without_an_index_label(backend, how):
    """Rows whose index is missing sort after the last division: aligning two collections at new divisions kept
    only labelled rows (a right merge lost right rows)."""
    left = pd.DataFrame({"k": [1.0, np.nan, 2.0, np.nan, 3.0, 4.0], "a": range(6)}).set_index("k")
    right = pd.DataFrame({"k": [np.nan, 2.0, 5.0, 1.0], "b": [10, 20, 30, 40]}).set_index("k")
    a = gd.from_pandas(left.reset_index(), npartitions=3, backend=backend).set_index("k")
    b = gd.from_pandas(right.reset_index(), npartitions=1, backend=backend).set_index("k")
    got = to_host(a.merge(b, how=how, left_index=True, right_index=True).compute())
    expected = left.merge(right, how=how, left_index=True, right_index=True)
    key = lambda f: sorted(map(str, f.reset_index().itertuples(index=False)))  # noqa: E731
    assert key(got) == key(expected)


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@pytest.mark.parametrize("parts", [(2, 2), (3, 1), (1, 3)])
def test_index_merge_names_every_partitions_index_as_pandas(backend, how, parts):
    """A merge on both indexes of different names: a partition where one side had no rows took the other side's
    name (pandas' choice for an empty side), so the concatenated index lost its name; every partition is named
    as pandas names the whole merge."""
    left = pd.DataFrame({"v": [1, 2, 3, 4]}, index=pd.Index([0, 1, 2, 3], name="i"))
    right = pd.DataFrame({"w": [5, 6, 7]}, index=pd.Index([1, 2, 3], name="j"))
    a, b = (gd.from_pandas(f, npartitions=n, backend=backend) for f, n in zip((left, right), parts))
    expected = left.merge(right, how=how, left_index=True, right_index=True)
    for got in (a.merge(b, how=how, left_index=True, right_index=True), a.join(b, how=how)):
        names = {to_host(got.get_partition(i).compute()).index.name for i in range(got.npartitions)}
        assert names == {got._meta.index.name} == {expected.index.name}
        tm.assert_frame_equal(to_host(got.compute()).sort_index(), expected.sort_index())


def test_a_merge_on_the_other_sides_index_keeps_its_index_in_empty_partitions(backend):
    """pandas gives a merge of no rows the key as index: empty partitions broke the result's index (name lost,
    dtype mixed) where the others keep the right side's index."""
    left = pd.DataFrame({"a": [1, 2, 3]}, index=pd.Index(list("xyz"), name="k"))
    right = pd.DataFrame({"k": list("xxzw"), "b": [1, 2, 3, 4]}, index=pd.Index([10, 11, 12, 13], name="ix"))
    a = gd.from_pandas(left, npartitions=1, backend=backend)
    b = gd.from_pandas(right, npartitions=4, backend=backend)
    got = a.merge(b[b.b != 3], left_index=True, right_on="k")
    expected = left.merge(right[right.b != 3], left_index=True, right_on="k")
    computed = to_host(got.compute())
    assert computed.index.name == got._meta.index.name == expected.index.name == "ix"
    tm.assert_frame_equal(computed.sort_index(), expected.sort_index())


@pytest.mark.parametrize("how", ["left", "outer", "inner"])
@pytest.mark.parametrize("nparts", [(1, 1), (2, 1), (1, 2), (2, 2)])
def test_index_with_column_keys_labels_unmatched_rows_missing(backend, how, nparts):
    """``merge(left_index=True, right_on=...)``: rows without a match get missing labels (pandas on the whole
    frames); a partition merged with no right rows kept its own labels (``[1, 2]`` or ``[2.0, nan]``)."""
    left = pd.DataFrame({"lv": [1, 2, 3, 4]}, index=pd.Index([1, 2, 5, 9], name="k"))
    right = pd.DataFrame({"k": [5, 9], "rv": [20, 30]}, index=[100, 101])
    gl, gr = (gd.from_pandas(f, npartitions=n, backend=backend) for f, n in zip((left, right), nparts))
    got = to_host(gd.merge(gl, gr, how=how, left_index=True, right_on="k").compute())
    expected = pd.merge(left, right, how=how, left_index=True, right_on="k")
    pd.testing.assert_frame_equal(got.sort_values("lv"), expected.sort_values("lv"), check_index_type=False)
    mirrored = to_host(gd.merge(gr, gl, how={"left": "right"}.get(how, how), left_on="k", right_index=True).compute())
    expected = pd.merge(right, left, how={"left": "right"}.get(how, how), left_on="k", right_index=True)
    pd.testing.assert_frame_equal(mirrored.sort_values("lv"), expected.sort_values("lv"), check_index_type=False)


@pytest.mark.parametrize("keys", [dict(on="k", left_on="a", right_on="b"), dict(on="k", left_on="a"),
                                  dict(on="k", right_index=True), dict(left_on="k"), dict(right_on="k"),
                                  dict(left_index=True), dict(right_index=True),
                                  dict(left_on="k", left_index=True, right_on="k")])
def test_merge_key_options_pandas_refuses_raise_its_merge_error(backend, keys):
    # on= with left_on= was merged on on= (left_on/right_on ignored); keys of one side only failed with
    # "'NoneType' object is not iterable"
    left = pd.DataFrame({"k": [1, 2], "a": [1, 2]})
    right = pd.DataFrame({"k": [1, 2], "b": [2, 1]})
    with pytest.raises(pd.errors.MergeError) as expected:
        left.merge(right, **keys)
    a = gd.from_pandas(left, npartitions=1, backend=backend)
    b = gd.from_pandas(right, npartitions=1, backend=backend)
    with pytest.raises(pd.errors.MergeError, match="^" + str(expected.value).replace(".", r"\.") + "$"):
        a.merge(b, **keys)
