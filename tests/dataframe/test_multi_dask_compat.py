"""merge / join / concat / merge_asof behave as dask's (pandas' results, dask's arguments and divisions)."""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends import to_host
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3


def _frames(n_left: int = 3, n_right: int = 2) -> tuple:
    left = pd.DataFrame({"k": [1, 2, 3, 4, 5, 6], "a": [10, 20, 30, 40, 50, 60]}, index=[0, 1, 2, 3, 4, 5])
    right = pd.DataFrame({"k": [2, 4, 6, 8], "b": [1.5, 2.5, 3.5, 4.5]}, index=[1, 3, 5, 7])
    return left, right, gd.from_pandas(left, npartitions=n_left), gd.from_pandas(right, npartitions=n_right)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
def test_merge_indicator_matches_pandas(how):
    left, right, dl, dr = _frames()
    got = dl.merge(dr, on="k", how=how, indicator=True).compute()
    assert_eq(_sorted(got), _sorted(left.merge(right, on="k", how=how, indicator=True)))
    named = gd.merge(dl, dr, on="k", how=how, indicator="origin").compute()
    assert_eq(_sorted(named), _sorted(pd.merge(left, right, on="k", how=how, indicator="origin")))


@pytest.mark.parametrize("shuffle_method", [None, "tasks", "disk", "p2p"])
def test_merge_and_join_accept_shuffle_method(shuffle_method):
    left, right, dl, dr = _frames()
    got = dl.merge(dr, on="k", shuffle_method=shuffle_method).compute()
    assert_eq(_sorted(got), _sorted(left.merge(right, on="k")))
    joined = dl.join(dr, rsuffix="_r", shuffle_method=shuffle_method).compute().sort_index()
    assert_eq(joined, left.join(right, rsuffix="_r"))


def test_merge_rejects_unknown_shuffle_method_and_how():
    _, _, dl, dr = _frames()
    with pytest.raises(ValueError, match="shuffle_method"):
        dl.merge(dr, on="k", shuffle_method="bogus")
    with pytest.raises(ValueError, match="does not support how='anti'"):
        gd.merge(dl, dr, how="anti")


def test_merge_without_shared_columns_joins_the_indexes():
    left = pd.DataFrame({"a": [1, 2, 3]}, index=[0, 1, 2])
    right = pd.DataFrame({"b": [4, 5]}, index=[1, 2])
    got = gd.from_pandas(left, npartitions=2).merge(gd.from_pandas(right, npartitions=1), how="left")
    assert_eq(got.compute().sort_index(), left.merge(right, how="left", left_index=True, right_index=True))


def test_merge_on_a_collection_raises_not_implemented():
    _, _, dl, dr = _frames()
    with pytest.raises(NotImplementedError, match="column or index level names"):
        gd.merge(dl, dr, left_on="k", right_on=dr.k)


@pytest.mark.parametrize("how", ["left", "outer"])
@pytest.mark.parametrize("n_other", [1, 2])
def test_join_a_list_of_frames_matches_pandas(how, n_other):
    base = pd.DataFrame({"a": [1, 2, 3]}, index=[0, 1, 3])
    others = [pd.DataFrame({f"c{i}": [i, i + 1]}, index=[i, i + 3]) for i in range(5)]
    got = gd.from_pandas(base, npartitions=2).join([gd.from_pandas(o, npartitions=n_other) for o in others],
                                                   how=how).compute().sort_index()
    # as dask: the others are outer-joined, then joined with the base (pandas' values, not its dtypes)
    outer = functools.reduce(lambda a, b: a.join(b, how="outer"), others if how == "left" else [base, *others])
    assert_eq(got, (base.join(outer, how="left") if how == "left" else outer).sort_index())
    assert_eq(got, base.join(others, how=how).sort_index(), check_dtype=False)


@pytest.mark.parametrize("how", ["inner", "right"])
def test_join_a_list_rejects_inner_and_right(how):
    base = gd.from_pandas(pd.DataFrame({"a": [1, 2]}), npartitions=1)
    other = gd.from_pandas(pd.DataFrame({"b": [1, 2]}), npartitions=1)
    with pytest.raises(ValueError, match="left or outer"):
        base.join([other], how=how)


@pytest.mark.parametrize("npartitions", [5, 28, 32])
@pytest.mark.parametrize("how", ["inner", "left", "right"])
def test_broadcast_merge_gives_the_asked_npartitions(npartitions, how):
    rng = np.random.default_rng(0)
    big = pd.DataFrame({"x": rng.integers(0, 100, 900), "y": np.arange(900)})
    small = pd.DataFrame({"x": rng.integers(0, 100, 90), "y": np.arange(90)})
    got = gd.merge(gd.from_pandas(big, npartitions=30), gd.from_pandas(small, npartitions=3), on="y", how=how,
                   npartitions=npartitions, broadcast=True)
    assert got.npartitions == npartitions
    assert_eq(_sorted(got.compute()), _sorted(pd.merge(big, small, on="y", how=how)))


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
def test_index_join_with_known_divisions_keeps_their_union(how):
    left = pd.DataFrame({"a": range(10)}, index=range(0, 20, 2))
    right = pd.DataFrame({"b": range(10)}, index=range(0, 30, 3))
    dl, dr = gd.from_pandas(left, npartitions=3), gd.from_pandas(right, npartitions=2)
    got = dl.join(dr, how=how)
    assert got.divisions == tuple(sorted(set(dl.divisions) | set(dr.divisions)))
    out = got.compute()
    assert out.index.is_monotonic_increasing
    assert_eq(out, left.join(right, how=how).sort_index())
    for i, part in enumerate(got.partitions):  # every partition within its divisions
        labels = part.compute().index
        assert len(labels) == 0 or got.divisions[i] <= labels.min() <= labels.max() <= got.divisions[i + 1]


def test_join_on_a_column_keeps_the_left_divisions():
    left = pd.DataFrame({"a": ["a", "b", "c"]}, index=[0, 1, 2])
    right = pd.DataFrame({"b": [1.0, 2.0, 3.0]}, index=["a", "b", "c"])
    dl = gd.from_pandas(left, npartitions=1)
    got = dl.join(right, how="inner", on="a")
    assert got.divisions == dl.divisions
    assert_eq(got.compute(), left.join(right, how="inner", on="a"))


def test_self_join_on_one_repeated_label_is_one_partition():
    frame = gd.from_pandas(pd.DataFrame({"x": [1, 1, 1]}, index=[1, 2, 3]), npartitions=2).set_index("x")
    joined = frame.join(frame, rsuffix="r")
    assert joined.divisions == (1, 1)
    assert len(joined.compute()) == 9


@pytest.mark.parametrize("how", ["left", "right", "outer"])
@pytest.mark.parametrize("n_left,n_right", [(1, 3), (2, 2), (3, 1)])
def test_join_npartitions_agree_with_divisions_and_data(how, n_left, n_right):
    right = gd.from_pandas(pd.DataFrame({"A": [5, 6, 7, 8], "B": [4, 3, 2, 1]}, index=[0, 1, 2, 3]), n_right)
    left = gd.from_pandas(pd.DataFrame(index=[0, 1, 3]), n_left)
    res = left.join(right, how=how)
    assert res.npartitions == len(res.divisions) - 1 == res.optimize().npartitions
    assert len(res) == len(res.compute()) == int(res.map_partitions(len).compute().sum())


# ---- concat ----------------------------------------------------------------------------------------

def _pair() -> tuple:
    a = pd.DataFrame({"x": [1, 2, 3, 4, 6, 7], "y": list("abcdef")}, index=[1, 2, 3, 4, 6, 7])
    b = pd.DataFrame({"x": [1, 2, 3, 4, 6, 7], "z": list("abcdef")}, index=[8, 9, 10, 11, 12, 13])
    return a, b, gd.from_pandas(a, npartitions=2), gd.from_pandas(b, npartitions=2)


@pytest.mark.parametrize("join", ["inner", "outer"])
def test_concat_passes_pandas_keywords_and_keeps_ordered_divisions(join):
    a, b, da, db = _pair()
    got = gd.concat([da, db], join=join, sort=False)
    assert got.divisions == da.divisions[:-1] + db.divisions
    assert_eq(got, pd.concat([a, b], join=join, sort=False))
    assert_eq(gd.concat([da.x, db.x], join=join), pd.concat([a.x, b.x], join=join))


def test_concat_rejects_bad_join_and_non_lists():
    _, _, da, db = _pair()
    with pytest.raises(ValueError, match="'join' must be 'inner' or 'outer'"):
        gd.concat([da, db], join="left")
    with pytest.raises(TypeError, match="list"):
        gd.concat(da)


def test_concat_takes_pandas_objects_and_one_series_side_by_side_is_a_frame():
    a, b, da, _ = _pair()
    assert_eq(gd.concat([da, b]), pd.concat([a, b]))
    one = gd.concat([da.x], axis=1)
    assert isinstance(one, gd.DataFrame)
    assert_eq(one, a.x.to_frame())


@pytest.mark.parametrize("join", ["inner", "outer"])
def test_interleaved_concat_keeps_known_divisions(join):
    a = pd.DataFrame({"v": range(8)}, index=[1, 3, 5, 7, 9, 11, 13, 15])
    b = pd.DataFrame({"v": range(8), "w": 1.0}, index=[2, 4, 6, 8, 10, 12, 14, 16])
    da, db = gd.from_pandas(a, npartitions=3), gd.from_pandas(b, npartitions=2)
    plain = gd.concat([da, db], join=join)
    assert not plain.known_divisions
    got = gd.concat([da, db], join=join, interleave_partitions=True)
    assert got.divisions == tuple(sorted(set(da.divisions) | set(db.divisions)))
    assert_eq(got.compute().sort_index(), pd.concat([a, b], join=join).sort_index())


def test_interleaved_concat_of_overlapping_ranges_sorts_the_rows(backend):
    """interleave_partitions=True with inputs whose index ranges overlap: each partition's rows are sorted by
    index (stable: equal labels keep the inputs' order), so the result honours its divisions (rows of the
    second input came after the first's in a partition, and .loc[t6:t8] gave [6, 8, 7]; pandas [6, 7, 8])."""
    idx = pd.date_range("2023-01-01", periods=10, freq="h")
    df = pd.DataFrame({"v": np.arange(10.0)}, index=idx)
    a = df.iloc[[0, 1, 7, 8, 9]].assign(v=lambda f: -f.v)  # label 7 in both inputs
    b = df.iloc[2:8]
    got = gd.concat([gd.from_pandas(a, npartitions=1, backend=backend),
                     gd.from_pandas(b, npartitions=2, backend=backend)], interleave_partitions=True)
    expected = pd.concat([a, b]).sort_index(kind="stable")
    pd.testing.assert_frame_equal(to_host(got.compute()), expected, check_freq=False)
    for i in range(got.npartitions):
        assert to_host(got.get_partition(i).compute()).index.is_monotonic_increasing
    pd.testing.assert_frame_equal(to_host(got.loc[idx[6]:idx[8]].compute()), expected.loc[idx[6]:idx[8]],
                                  check_freq=False)


@pytest.mark.parametrize("join", ["inner", "outer"])
def test_concat_columns_of_different_partitionings(backend, join):
    left = pd.DataFrame(np.arange(14.0).reshape(7, 2), columns=["A", "B"], index=list("abcdefg"))
    right = pd.DataFrame(np.arange(21.0).reshape(7, 3), columns=["C", "D", "A"], index=list("cdefghi"))
    dl, dr = gd.from_pandas(left, npartitions=2), gd.from_pandas(right, npartitions=3)
    if backend == "cudf":  # both have a column "A": a cuDF frame cannot hold two columns of one label
        with pytest.raises(NotImplementedError, match="duplicate name"):  # (cuDF's concat; dask-cudf's too)
            gd.concat([dl, dr], axis=1, join=join)
        dr = dr.rename(columns={"A": "E"})
        right = right.rename(columns={"A": "E"})
    got = gd.concat([dl, dr], axis=1, join=join)
    assert got.known_divisions
    assert_eq(got, pd.concat([left, right], axis=1, join=join))
    assert_eq(gd.concat([dl.A, dr.C], axis="columns"), pd.concat([left.A, right.C], axis=1))


def test_concat_columns_with_unknown_divisions():
    a, b = pd.Series([1, 2, 3, 4]), pd.Series([4, 3, 2, 1])
    da = gd.from_pandas(a, npartitions=2).clear_divisions()
    db = gd.from_pandas(b, npartitions=2).clear_divisions()
    with pytest.warns(UserWarning, match="unknown divisions"):
        got = gd.concat([da, db], axis=1)
    assert_eq(got, pd.concat([a, b], axis=1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gd.concat([da, db], axis=1, ignore_unknown_divisions=True)
        frame = gd.from_pandas(pd.DataFrame({"p": a, "q": b}), npartitions=2).clear_divisions()
        assert_eq(gd.concat([frame.p, frame.q], axis=1), pd.concat([a.rename("p"), b.rename("q")], axis=1))
    with pytest.raises(ValueError, match="unknown division"):
        gd.concat([da, gd.from_pandas(b, npartitions=1)], axis=1)
    longer = gd.from_pandas(pd.Series(range(6)), npartitions=2).clear_divisions()
    with pytest.raises(ValueError, match="different lengths"):
        gd.concat([da, longer], axis=1, ignore_unknown_divisions=True).compute()


def test_concat_unions_categories_as_dask():
    a = pd.DataFrame({"c": pd.Categorical(["a", "b", "a"]), "n": [1, 2, 3]})
    b = pd.DataFrame({"c": pd.Categorical(["c", "b"]), "n": [4, 5]})
    got = gd.concat([gd.from_pandas(a, npartitions=2), gd.from_pandas(b, npartitions=1)]).compute()
    expected = pd.concat([a, b]).astype({"c": pd.CategoricalDtype(["a", "b", "c"])})
    assert_eq(got, expected)


@pytest.mark.parametrize("other", [[1, 2, 3], ["p", None, "q"], pd.array([1, None, 3], dtype="Int64")])
def test_concat_of_a_categorical_with_another_dtype_gives_objects(other):
    """A column categorical in one input only: pandas' (and dask's) objects, each value kept (the other input's
    values were cast to the categories, so became missing)."""
    a = pd.DataFrame({"c": other, "n": [1, 2, 3]})
    b = pd.DataFrame({"c": pd.Categorical(["x", "y"]), "n": [4, 5]}, index=[3, 4])
    for left, right in ((a, b), (b, a)):
        got = gd.concat([gd.from_pandas(left, npartitions=2), gd.from_pandas(right, npartitions=1)])
        assert_eq(got, pd.concat([left, right]))


@pytest.mark.parametrize("ordered", [True, False])
def test_concat_ignore_order_unions_ordered_categories(ordered):
    a = pd.DataFrame({"x": pd.Categorical(["a", "b", "c", "a"], categories=["a", "b", "c"], ordered=ordered)})
    b = pd.DataFrame({"x": pd.Categorical(["c", "b", "a"], categories=["c", "b", "a"], ordered=ordered)})
    got = gd.concat([gd.from_pandas(a, npartitions=2), gd.from_pandas(b, npartitions=2)], ignore_order=True)
    expected = pd.concat([a, b])
    expected["x"] = expected["x"].astype("category")
    assert_eq(got, expected)
    if ordered:
        with pytest.raises(TypeError, match="ordered categoricals"):
            gd.concat([gd.from_pandas(a, npartitions=1), gd.from_pandas(b, npartitions=1)])


def test_concat_with_a_frame_without_columns_fills_missing_values():
    frame = pd.DataFrame({"a": [100, 200, 300]})
    dframe = gd.from_pandas(frame, npartitions=1)
    assert_eq(gd.concat([dframe, dframe[[]]]).compute(), pd.concat([frame, frame[[]]]))
    empty = pd.DataFrame([], dtype="int64")
    assert_eq(gd.concat([dframe, gd.from_pandas(empty, npartitions=1)]), pd.concat([frame, empty]))


@pytest.mark.parametrize("kwargs", [{"keys": ["p", "q"]}, {"keys": ["p", "q"], "names": ["k"]},
                                    {"keys": [("p", 1), ("q", 2)]}, {"keys": [1, 2], "names": ["k", "i"]}])
def test_concat_keys_label_each_inputs_rows_as_pandas(backend, kwargs):
    # keys= was passed to the partitions' concat, where each output partition is one input's: dropped.
    a = pd.DataFrame({"x": range(6), "y": list("abcdef")})
    b = pd.DataFrame({"x": range(10, 14)}, index=pd.Index(range(6, 10), name="i"))
    da, db = gd.from_pandas(a, npartitions=2, backend=backend), gd.from_pandas(b, npartitions=2, backend=backend)
    got = gd.concat([da, db], **kwargs)
    assert not got.known_divisions
    assert_eq(got, pd.concat([a, b], **kwargs))
    assert_eq(gd.concat([da.x, db.x], **kwargs), pd.concat([a.x, b.x], **kwargs))
    assert_eq(gd.concat([da], keys=["z"]), pd.concat([a], keys=["z"]))
    with pytest.raises(ValueError, match="one key per input"):
        gd.concat([da, db], keys=["p"])
    with pytest.raises(ValueError, match="ignore_index"):
        gd.concat([da, db], keys=["p", "q"], ignore_index=True)


def test_concat_ignore_index_numbers_rows_over_all_inputs(backend):
    """``ignore_index=True`` numbers the rows 0 .. n-1 over all the inputs, as pandas and dask (each partition's
    rows were numbered from 0)."""
    a = pd.DataFrame({"x": range(5), "y": list("abcde")})
    b = pd.DataFrame({"x": range(10, 14)}, index=pd.Index(range(6, 10), name="i"))
    da, db = gd.from_pandas(a, npartitions=2, backend=backend), gd.from_pandas(b, npartitions=3, backend=backend)
    assert_eq(gd.concat([da, db], ignore_index=True), pd.concat([a, b], ignore_index=True))
    assert_eq(gd.concat([da.x, db.x], ignore_index=True), pd.concat([a.x, b.x], ignore_index=True))
    assert_eq(gd.concat([da, db], join="inner", ignore_index=True), pd.concat([a, b], join="inner", ignore_index=True))


# ---- merge_asof ------------------------------------------------------------------------------------

@pytest.mark.parametrize("direction", ["backward", "forward", "nearest"])
@pytest.mark.parametrize("allow_exact_matches", [True, False])
@pytest.mark.parametrize("unknown_divisions", [False, True])
def test_merge_asof_left_on_right_index_keeps_the_left_index(direction, allow_exact_matches, unknown_divisions):
    kwargs = {"direction": direction, "allow_exact_matches": allow_exact_matches}
    for nparts in (1, 2, 3):
        for keys, right_keys in (([5, 10, 15, 20], [1, 2, 3, 4]), ([5, 5, 10, 10, 15, 15], [4, 5, 6, 9, 10, 11, 14]),
                                 ([5, 10, 15], [4, 4, 5, 5, 6, 6, 9, 9, 10, 10, 11, 11])):
            left = pd.DataFrame({"a": keys, "v": range(len(keys))}, index=[k * 10 for k in keys])
            right = pd.DataFrame({"b": right_keys}, index=right_keys)
            dl = gd.from_pandas(left, npartitions=nparts)
            dl = dl.clear_divisions() if unknown_divisions else dl
            got = gd.merge_asof(dl, gd.from_pandas(right, npartitions=nparts), left_on="a", right_index=True,
                                **kwargs)
            assert got.known_divisions != unknown_divisions
            assert_eq(got, pd.merge_asof(left, right, left_on="a", right_index=True, **kwargs))


@pytest.mark.parametrize("direction", ["backward", "forward", "nearest"])
def test_merge_asof_left_index_right_on(direction):
    left = pd.DataFrame({"v": range(6)}, index=[1, 4, 5, 9, 12, 20])
    right = pd.DataFrame({"k": [0, 3, 5, 8, 13, 15], "b": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]})
    got = gd.merge_asof(gd.from_pandas(left, npartitions=2), gd.from_pandas(right, npartitions=3),
                        left_index=True, right_on="k", direction=direction)
    expected = pd.merge_asof(left, right, left_index=True, right_on="k", direction=direction)
    # (pandas fills the right key column from the left's keys or the matched rows, depending on the right's index)
    assert_eq(got.drop(columns="k"), expected.drop(columns="k"))
    assert got.divisions == gd.from_pandas(left, npartitions=2).divisions


def test_merge_asof_takes_pandas_frames_and_by():
    left = pd.DataFrame({"t": [1, 5, 10, 12], "g": [1, 2, 1, 2], "v": [1.0, 2.0, 3.0, 4.0]})
    right = pd.DataFrame({"t": [0, 4, 9, 11], "g": [1, 1, 2, 2], "w": [5, 6, 7, 8]})
    got = gd.merge_asof(gd.from_pandas(left, npartitions=2), right, on="t", by="g")
    assert_eq(got.compute().reset_index(drop=True), pd.merge_asof(left, right, on="t", by="g"))


@pytest.mark.parametrize("kwargs", [{"on": "a", "left_on": "v"}, {"on": "a", "right_on": "w"},
                                    {"on": "a", "by": "g", "left_by": "g"}, {"on": "a", "by": "g", "right_by": "g"}])
def test_merge_asof_rejects_a_combination_of_both(kwargs):
    left = gd.from_pandas(pd.DataFrame({"a": [1, 5], "g": [1, 2], "v": [1, 2]}), npartitions=1)
    right = gd.from_pandas(pd.DataFrame({"a": [1, 2], "g": [1, 2], "w": [3, 4]}), npartitions=1)
    with pytest.raises(ValueError, match="combination of both"):
        gd.merge_asof(left, right, **kwargs)


# ---- categorical keys and key dtypes -------------------------------------------------------------------

@pytest.mark.parametrize("npartitions", [1, 2])
def test_merge_on_categoricals_of_unknown_categories_keeps_the_category_dtype(npartitions):
    a = pd.DataFrame({"A": [0, 1, 2, 3], "B": [4, 5, 6, 7]})
    b = pd.DataFrame({"A": [0, 1, 2, 4], "C": [4, 5, 7, 7]})
    da, db = gd.from_pandas(a, npartitions=2), gd.from_pandas(b, npartitions=npartitions)
    da["A"], db["A"] = da.A.astype("category"), db.A.astype("category")
    got = da.merge(db, on="A")
    assert str(got.A.dtype) == "category"
    out = got.compute()
    assert str(out.A.dtype) == "category"
    expected = a.merge(b, on="A")
    assert_eq(_sorted(out.astype({"A": "int64"})), _sorted(expected))


@pytest.mark.parametrize("npartitions", [1, 2])  # (1: the right side is broadcast)
def test_merge_on_categoricals_of_known_different_categories_is_pandas_merge(npartitions):
    """Known categories that differ between the sides: the key holds its values, as pandas' and dask's (it kept
    a union of the categories), with dask's warning; equal categories keep the categorical key, quietly."""
    a = pd.DataFrame({"id_1": [0, 1, 2, 3], "k": pd.Categorical(["a", "b", "f", "f"])})
    b = pd.DataFrame({"id_2": [111, 112, 113], "k": pd.Categorical(["g", "h", "f"])})
    da, db = gd.from_pandas(a, npartitions=2), gd.from_pandas(b, npartitions=npartitions)
    with pytest.warns(UserWarning, match=r"categories of the categorical key\(s\) \['k'\] mismatch"):
        got = da.merge(db, on="k")
    expected = a.merge(b, on="k")
    assert got.dtypes["k"] == expected.dtypes["k"]
    assert_eq(got, expected, sort_results=True, check_index=False)
    same = pd.DataFrame({"id_2": [111, 112, 113], "k": pd.Categorical(["f", "b", "f"], dtype=a.k.dtype)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kept = da.merge(gd.from_pandas(same, npartitions=npartitions), on="k")
    assert str(kept.dtypes["k"]) == "category"
    assert_eq(kept, a.merge(same, on="k"), sort_results=True, check_index=False)


@pytest.mark.parametrize("npartitions", [1, 2])  # (1: the right side is broadcast)
@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@needs_pandas_3("pandas 2.2 names the index of such a merge otherwise (not yet matched)")
def test_merge_of_different_categories_keeps_the_keys_pandas_keeps(npartitions, how):
    """Known categories that differ: pandas' result keeps the right key of keys named differently categorical
    (only the left one holds values), and a merge on both indexes keeping one side whole (left / right) that
    side's categorical index; gpuscale turned them into their values too."""
    a = pd.DataFrame({"k": pd.Categorical(["x", "y", "z", "y"]), "v": [1, 2, 3, 4]})
    b = pd.DataFrame({"kk": pd.Categorical(["y", "z", "w"]), "u": [4, 5, 6]})
    da, db = gd.from_pandas(a, npartitions=2), gd.from_pandas(b, npartitions=npartitions)
    a2, b2 = a.set_index("k"), b.set_index("kk")
    # (divisions cleared: aligning unordered categorical indexes by their divisions fails, as in dask)
    da2, db2 = (gd.from_pandas(a2, npartitions=2).clear_divisions(),
                gd.from_pandas(b2, npartitions=npartitions).clear_divisions())
    with pytest.warns(UserWarning, match=r"\['k'\] mismatch"):  # (dask's warning: the left key holds values)
        cases = [(da.merge(db, left_on="k", right_on="kk", how=how), a.merge(b, left_on="k", right_on="kk", how=how),
                  False)]  # (the rows' labels are the partitions')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        cases += [(da2.join(db2, how=how), a2.join(b2, how=how), True),
                  (da2.merge(db2, left_index=True, right_index=True, how=how),
                   a2.merge(b2, left_index=True, right_index=True, how=how), True)]
    # the index holds values (warned) unless one side's is kept whole
    assert any("mismatch" in str(w.message) for w in caught) == (how in ("inner", "outer"))
    for got, expected, by_index in cases:
        meta, out = to_host(got._meta), to_host(got.compute())
        assert meta.dtypes.to_dict() == expected.dtypes.to_dict() and meta.index.dtype == expected.index.dtype
        assert out.dtypes.to_dict() == expected.dtypes.to_dict() and out.index.dtype == expected.index.dtype
        assert_eq(out, expected, sort_results=True, check_index=by_index)


def test_join_on_a_categorical_column_with_a_categorical_index():
    df = pd.DataFrame({"join_col": ["a", "a", "b", "b"], "a": [0, 0, 10, 10]})
    other = pd.DataFrame({"b": [1, 2, 1, 2]}, index=["a", "a", "b", "b"])
    left = gd.from_pandas(df, npartitions=2)
    left["join_col"] = left.join_col.astype("category")
    right = gd.from_pandas(other, npartitions=1)
    right.index = right.index.astype("category")  # (unknown categories on both sides, as in dask's test)
    got = left.join(right, on="join_col", how="left")
    assert str(got.join_col.dtype) == "category"
    # (pandas computes the expectation: cuDF's join refuses on=, which gpuscale's join turns into a merge)
    expected = to_host(left.compute()).join(to_host(right.compute()), on="join_col", how="left")
    # the rows in any order: a left row matching several right rows gets them in the right's order in pandas,
    # in its hash join's order in cuDF (as with dask-cudf; cuDF orders them only in pandas-compatible mode)
    assert_eq(got, expected, sort_results=True)
    # a key of unknown categories joined with an index of known ones holds its values, as dask's metadata says
    known = gd.from_pandas(other.set_axis(other.index.astype("category")), npartitions=1)
    got = left.join(known, on="join_col", how="left")
    assert str(got.join_col.dtype) == str(df.join_col.dtype)
    assert_eq(got, df.join(other, on="join_col", how="left"), sort_results=True)


def test_merge_warns_on_key_dtype_mismatch_as_dask():
    a = gd.from_pandas(pd.DataFrame({"k": np.array([1, 2], dtype="int32"), "x": [1, 2]}), npartitions=1)
    b = gd.from_pandas(pd.DataFrame({"k": np.array([1, 2], dtype="int64"), "y": [3, 4]}), npartitions=1)
    with pytest.warns(UserWarning, match="type mismatches"):
        a.merge(b, on="k")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a.merge(b.astype({"k": "int32"}), on="k")
