"""dask.dataframe behaviours from dask's test_dataframe, compared with pandas and dask on the same data:
from_pandas sorts by index, cumulative scans over repeated column labels, drop_duplicates(keep=False) and
shuffle_method=, combine_first with a pandas object, map_partitions' partition_info, rename of index labels,
df.col = ... of an existing column, columns chosen by an array/Index/Series of labels, dir(), iterating a
lazy Index and random_split(shuffle=True)."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.array as gpuscale_array
import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def unsorted() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame({"A": rng.normal(size=10), "B": rng.normal(size=10)},
                        index=[1, 12, 5, 6, 3, 9, 10, 4, 13, 11])


def test_from_pandas_sorts_by_index_as_dask(unsorted, backend):
    df = gd.from_pandas(unsorted, npartitions=3, backend=backend)
    ddf = dd.from_pandas(unsorted, npartitions=3)
    assert df.known_divisions and df.divisions[0] == 1 and df.divisions[-1] == 13
    assert_eq(df, ddf.compute())
    assert_eq(df, unsorted.sort_index())
    kept = gd.from_pandas(unsorted, npartitions=3, sort=False, backend=backend)
    assert not kept.known_divisions
    assert_eq(kept, unsorted)
    # an index that already increases gives known divisions with sort=False too, as dask (merge_asof and time
    # windows of such data need them)
    ordered = unsorted.sort_index()
    known = gd.from_pandas(ordered, npartitions=3, sort=False, backend=backend)
    assert known.divisions == dd.from_pandas(ordered, npartitions=3, sort=False).divisions
    assert_eq(known, ordered)


@pytest.mark.parametrize("sort", [True, False])
def test_from_pandas_chunksize_gives_partitions_of_that_many_rows(sort, backend):
    pdf = pd.DataFrame(np.arange(50).reshape(10, 5), columns=list("abcde"))
    df = gd.from_pandas(pdf, chunksize=4, sort=sort, backend=backend)
    ddf = dd.from_pandas(pdf, chunksize=4, sort=sort)
    assert_eq(df.map_partitions(len), ddf.map_partitions(len).compute(), check_index=False)
    assert_eq(df.map_partitions(len), pd.Series([4, 4, 2]), check_index=False)
    if sort:
        assert df.divisions == ddf.divisions == (0, 4, 8, 9)
    assert_eq(df.get_partition(1), pdf.loc[4:7])


def test_from_pandas_leaves_labels_that_do_not_sort(backend):
    pdf = pd.DataFrame({"x": [1, 2, 3]}, index=[2.0, np.nan, 1.0])
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert not df.known_divisions
    assert_eq(df, pdf)  # kept in place, NaN and all
    mixed = pd.DataFrame({"x": [1, 2]}, index=[1, "a"])
    assert gd.from_pandas(mixed, npartitions=1, backend="pandas").compute().index.tolist() == [1, "a"]


@pytest.mark.parametrize("join", ["inner", "outer", "left", "right"])
def test_align_of_unsorted_frames(unsorted, join, backend):
    other = unsorted.copy()
    other.index = [0, 3, 2, 10, 5, 6, 7, 8, 12, 13]
    left, right = gd.from_pandas(unsorted, 3, backend=backend).align(gd.from_pandas(other, 3, backend=backend),
                                                                     join=join)
    expected_left, expected_right = unsorted.align(other, join=join)
    assert_eq(left, expected_left.sort_index())
    assert_eq(right, expected_right.sort_index())


@pytest.mark.parametrize("how", ["cumsum", "cumprod", "cummin", "cummax"])
@pytest.mark.parametrize("skipna", [True, False])
def test_cumulative_with_repeated_column_labels(how, skipna):
    pdf = pd.DataFrame(np.random.default_rng(1).normal(size=(30, 3)), columns=list("abb"))
    pdf.iloc[4, 1] = np.nan
    df = gd.from_pandas(pdf, npartitions=3, backend="pandas")  # cuDF refuses repeated labels
    assert_eq(getattr(df, how)(skipna=skipna), getattr(pdf, how)(skipna=skipna))
    assert_eq(getattr(df, how)(skipna=skipna),
              getattr(dd.from_pandas(pdf, npartitions=3), how)(skipna=skipna).compute())


@pytest.mark.parametrize("split_out", [None, 1, 2])
def test_drop_duplicates_keep_false_drops_rows_repeated_across_partitions(split_out, backend):
    pdf = pd.DataFrame({"k": [1, 1, 2, 3, 1, 2, 5, 6, 5], "v": range(9)})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = df.drop_duplicates(subset="k", keep=False, split_out=split_out).compute()
    assert_eq(got.sort_values("k"), pdf.drop_duplicates(subset="k", keep=False))
    got = to_host(df.k.drop_duplicates(keep=False, split_out=split_out).compute())
    assert sorted(got.tolist()) == sorted(pdf.k.drop_duplicates(keep=False).tolist()) == [3, 6]


@pytest.mark.parametrize("split_out", [None, 1])
def test_drop_duplicates_with_a_label_named_twice_in_subset(split_out, backend):
    pdf = pd.DataFrame({"k": [1, 1, 2, 3, 1, 2], "v": range(6)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = df.drop_duplicates(subset=["k", "k"], split_out=split_out).compute()
    assert_eq(got.sort_values("k"), pdf.drop_duplicates(subset=["k", "k"]))


@pytest.mark.parametrize("method", [None, "tasks", "disk"])
def test_drop_duplicates_takes_shuffle_method(method, backend):
    pdf = pd.DataFrame({"k": [1, 2, 1, 3, 2, 4] * 3})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = df.drop_duplicates(shuffle_method=method).compute().sort_values("k")
    assert_eq(got, pdf.drop_duplicates().sort_values("k"), check_index=False)
    assert sorted(to_host(df.index.drop_duplicates(shuffle_method=method).compute())) == list(range(18))
    with pytest.raises(ValueError, match="shuffle_method"):
        df.drop_duplicates(shuffle_method="bogus")


def test_combine_first_with_a_pandas_object(backend):
    rng = np.random.default_rng(5)
    a = pd.DataFrame({"A": rng.choice([1.0, 2.0, np.nan], 40), "B": rng.choice([1.0, np.nan], 40)})
    b = pd.DataFrame({"A": rng.choice([1.0, 2.0, 3.0], 50), "C": rng.normal(size=50)})
    df = gd.from_pandas(a, npartitions=4, backend=backend)
    assert_eq(df.combine_first(b), a.combine_first(b))
    assert_eq(df.combine_first(b), dd.from_pandas(a, npartitions=4).combine_first(b).compute())
    assert_eq(df.A.combine_first(b.A), a.A.combine_first(b.A))
    with pytest.raises(TypeError, match="got list"):
        df.combine_first([1, 2])


def test_map_partitions_partition_info(backend):
    pdf = pd.DataFrame({"x": range(10)})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    seen = to_host(df.map_partitions(lambda p, partition_info=None: p.x * 0 + partition_info["number"]).compute())
    lengths = to_host(df.map_partitions(len).compute()).tolist()
    assert seen.tolist() == [i for i, n in enumerate(lengths) for _ in range(n)] and len(lengths) == 3
    divisions = to_host(df.map_partitions(lambda p, partition_info=None: partition_info["division"]).compute())
    assert divisions.tolist() == list(df.divisions[:-1])

    def tag(part, partition_info=None):  # with meta=: the function runs only on the partitions
        return part.assign(n=partition_info["number"])

    out = to_host(df.map_partitions(tag, meta=pdf.assign(n=0).iloc[:0]).compute())
    assert out.n.tolist() == seen.tolist()


def test_rename_index_labels(backend):
    pdf = pd.DataFrame({"x": [1, 2, 3]}, index=[0, 1, 2])
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df.rename(index={0: 5}), pdf.rename(index={0: 5}))
    assert not df.rename(index={0: 5}).known_divisions
    assert_eq(df.rename(index=lambda i: 10 * i, columns={"x": "y"}), pdf.rename(index=lambda i: 10 * i,
                                                                                columns={"x": "y"}))
    s = pd.Series(list("abcdefg"), name="x")
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    assert not ds.rename(ds).known_divisions  # relabelled by a collection: the order is new
    assert_eq(ds.rename(ds), s.rename(s))
    with pytest.raises(ValueError, match="non-monotonic"):
        ds.rename(lambda i: -i, sorted_index=True)


def test_attribute_assignment_replaces_the_column(backend):
    pdf = pd.DataFrame({"x": [1, 2, 3, 4, 5], "y": [1.0, 2.0, 3.0, 4.0, 5.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    df.y = df.x + df.y
    assert_eq(df, pdf.assign(y=pdf.x + pdf.y))
    ddf = dd.from_pandas(pdf, npartitions=2)
    ddf.y = ddf.x + ddf.y
    assert_eq(df, ddf.compute())


def test_columns_named_like_private_attributes_are_attributes(backend):
    """``merge(indicator=True)``'s ``_merge`` column as ``joined._merge``, as pandas and dask; unknown private
    names still raise AttributeError."""
    left = pd.DataFrame({"k": [1, 2, 3, 4], "_v": [1.0, 2.0, 3.0, 4.0]})
    right = pd.DataFrame({"k": [2, 4]})
    joined = gd.from_pandas(left, npartitions=2, backend=backend).merge(
        gd.from_pandas(right, npartitions=1, backend=backend), on="k", how="left", indicator=True)
    expected = left.merge(right, on="k", how="left", indicator=True)
    assert_eq(joined[joined._merge == "left_only"]._v, expected[expected._merge == "left_only"]._v,
              check_index=False)
    ddf = dd.from_pandas(left, npartitions=2)
    assert_eq(gd.from_pandas(left, npartitions=2)._v, ddf._v.compute())
    with pytest.raises(AttributeError, match="_nope"):
        joined._nope


@pytest.mark.parametrize("kind", [list, np.array, pd.Series, pd.Index])
def test_getitem_with_an_array_of_column_labels(kind, backend):
    pdf = pd.DataFrame({"A": [1, 2], "B": [3, 4], "C": [5, 6]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df[kind(["C", "A", "B"])], pdf[kind(["C", "A", "B"])])
    with pytest.raises(KeyError, match="not found"):
        df[kind(["C", "Z"])]


def test_dir_lists_identifier_columns_and_index_fields(backend):
    pdf = pd.DataFrame({"a b c": [1, 2], "d": [3, 4], 5: [6, 7]}, index=pd.date_range("2020", periods=2))
    df = gd.from_pandas(pdf, npartitions=1, backend=backend)
    assert "d" in dir(df) and "a b c" not in dir(df) and 5 not in dir(df)
    assert {"day", "month", "year"} <= set(dir(df.index))


def test_iterating_a_lazy_index(unsorted, backend):
    df = gd.from_pandas(unsorted, npartitions=3, backend=backend)
    assert [int(i) for i in df.index] == sorted(unsorted.index)


def test_random_split_shuffle(backend):
    pdf = pd.DataFrame({"x": range(100)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    a, b = df.random_split([0.5, 0.5], 42, True)
    assert_eq(a, df.random_split([0.5, 0.5], 42, True)[0])  # the same seed, the same order
    rows = to_host(a.compute()).x.tolist()
    assert rows != sorted(rows)
    assert sorted(rows + to_host(b.compute()).x.tolist()) == list(range(100))
    plain = to_host(df.random_split([0.5, 0.5], 42)[0].compute()).x.tolist()
    assert plain == sorted(plain) and sorted(plain) == sorted(rows)


def test_set_index_errors_name_the_slip(backend):
    df = gd.from_pandas(pd.DataFrame({"A": [1, 2], "B": [3, 4]}), npartitions=1, backend=backend)
    with pytest.raises(NotImplementedError, match="You tried to index with this index"):
        df.set_index([["A"]])
    with pytest.raises(NotImplementedError, match="You tried to index with a frame"):
        df.set_index(df[["A"]])
    with pytest.raises(KeyError, match="has no column 'foo'"):
        df.set_index("foo")


def test_describe_takes_dasks_percentiles_method(backend):
    pdf = pd.DataFrame({"a": list(range(20)) * 4, "b": list(range(4)) * 20})
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert_eq(df.describe(percentiles_method="dask"), pdf.describe())
    assert_eq(df.describe(percentiles_method="dask"), dd.from_pandas(pdf, 4).describe(percentiles_method="dask").compute())
    assert_eq(df.a.describe(percentiles_method="dask"), pdf.a.describe())
    with pytest.raises(ValueError, match="percentiles_method"):
        df.describe(percentiles_method="exact")


def test_assign_of_a_pandas_series_keeps_the_other_dtypes(backend):
    pdf = pd.DataFrame({"A": np.arange(10, dtype=np.int32), "B": np.arange(10), "C": np.arange(10, dtype=np.float32)})
    col = pd.Series(np.arange(10, dtype=np.float32)) / 2
    got = gd.from_pandas(pdf, npartitions=2, backend=backend).assign(D=col)
    expected = pdf.assign(D=col)
    assert got.dtypes.to_dict() == expected.dtypes.to_dict()
    assert got.dtypes.to_dict() == dd.from_pandas(pdf, npartitions=2).assign(D=col).dtypes.to_dict()
    assert_eq(got, expected)


@pytest.mark.parametrize("freq,known", [("s", True), ("W", False), (pd.Timedelta(10, unit="h"), True)])
def test_shift_with_freq_moves_the_divisions(freq, known, backend):
    pdf = pd.DataFrame({"A": np.arange(30.0)}, index=pd.date_range("2000", periods=30, freq="D"))
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    ddf = dd.from_pandas(pdf, npartitions=4)
    for got, ours, theirs in [(df, pdf, ddf), (df.A, pdf.A, ddf.A)]:
        res = got.shift(2, freq=freq)
        assert_eq(res, ours.shift(2, freq=freq))
        assert res.known_divisions == known == theirs.shift(2, freq=freq).known_divisions
        if known:  # each boundary moved as the labels (dask splits 30 rows elsewhere: compare the moves)
            step = pd.tseries.frequencies.to_offset(freq) if isinstance(freq, str) else freq
            assert res.divisions == tuple(d + 2 * step for d in df.divisions)
    labels = df.index.shift(2)  # an Index by its own frequency (cuDF refuses an Index's shift: moved by a helper)
    assert_eq(labels, pdf.index.shift(2))
    assert labels.divisions == tuple(d + pd.Timedelta(2, "D") for d in df.divisions)
    assert ddf.index.shift(2).known_divisions
    for offset in ("h", "W"):  # a fixed span (on the device) and a calendar offset (on the host)
        assert_eq(df.index.shift(-3, freq=offset), pdf.index.shift(-3, freq=offset))


def test_shift_with_freq_of_other_indexes_raises(backend):
    df = gd.from_pandas(pd.DataFrame({"A": [1.0, 2.0]}), npartitions=1, backend=backend)
    with pytest.raises(NotImplementedError, match="DatetimeIndex"):
        df.shift(2, freq="s")
    with pytest.raises(NotImplementedError, match="DatetimeIndex"):
        df.index.shift(2)


def test_map_partitions_without_alignment_broadcasts_one_partition(backend):
    left = pd.DataFrame({"A": [1, 2, 3, 3, 2, 3], "B": [1, 2, 3, 4, 5, 6]})
    right = pd.DataFrame({"A": [3, 1, 2], "C": [1, 2, 3]})
    many = gd.from_pandas(left, npartitions=2, backend=backend)
    one = gd.from_pandas(right, npartitions=1, backend=backend)
    got = one.map_partitions(lambda a, b: a.merge(b, on="A", how="right"), many, align_dataframes=False)
    assert got.npartitions == 2
    expected = right.merge(left, on="A", how="right")
    assert_eq(got.compute().sort_values(["A", "B"]).reset_index(drop=True),
              expected.sort_values(["A", "B"]).reset_index(drop=True))
    theirs = dd.from_pandas(right, npartitions=1).map_partitions(
        lambda a, b: a.merge(b, on="A", how="right"), dd.from_pandas(left, npartitions=2), align_dataframes=False)
    assert theirs.npartitions == 2
    got = many.map_partitions(lambda a, b: a.merge(b, on="A", how="left"), one, align_dataframes=False)
    assert_eq(got.compute().sort_values(["A", "B"]).reset_index(drop=True),
              left.merge(right, on="A", how="left").sort_values(["A", "B"]).reset_index(drop=True))


@pytest.mark.parametrize("null", [None, np.nan, pd.NA])
def test_set_index_of_strings_with_missing_values_puts_them_last(null):
    pdf = pd.DataFrame({"n": range(6), "s": ["foo", "bar", "foo", "bar", "baz", "qux"]})
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")  # (pandas' missing labels of strings)
    mapping = {"foo": "foo", "bar": null, "baz": "baz", "qux": "qux"}
    got = df.set_index(df.s.map(mapping, meta=df.s._meta))
    assert got.divisions == ("baz", "foo", "qux")
    expected = pdf.set_index(pdf.s.map(mapping)).sort_index(kind="stable")
    assert_eq(got, expected)


def test_apply_guesses_the_result_from_sample_rows_with_dasks_warning():
    pdf = pd.DataFrame({"x": [1, 2, 3, 4], "y": [10, 20, 30, 40]})
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")  # apply(axis=1) is pandas'

    def stats(row):  # a new frame of other columns
        return pd.Series([row.sum(), row.mean()], index=["sum", "mean"])

    with pytest.warns(UserWarning, match="meta="):
        got = df.apply(stats, axis=1)
    assert list(got.columns) == ["sum", "mean"]
    assert_eq(got, pdf.apply(stats, axis=1))
    with pytest.warns(UserWarning, match="'x'.*int64"):
        df.apply(lambda row: row, axis=1)
    with pytest.warns(UserWarning):
        pairs = df.x.apply(lambda v: pd.Series([v, v]))
    assert_eq(pairs, pdf.x.apply(lambda v: pd.Series([v, v])))
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_eq(df.apply(lambda row: row.x + row.y, axis=1, meta=(None, "int64")), pdf.x + pdf.y)


def test_to_dask_array_lengths_errors(backend):
    s = gd.from_pandas(pd.Series([1, 2, 3, 4, 5, 6], name="foo"), npartitions=2, backend=backend)
    for obj in (s, s.to_frame()):
        with pytest.raises(ValueError, match="4 != 2"):
            obj.to_dask_array((1, 2, 3, 4))
        with pytest.raises(ValueError, match="Unexpected value"):
            obj.to_dask_array(5)
        assert obj.to_dask_array((3, 3)).chunks[0] == (3, 3)


def test_to_datetime_of_pandas_objects(backend):
    pdf = pd.DataFrame({"year": [2015, 2016], "month": [2, 3], "day": [4, 5]})
    assert_eq(gd.to_datetime(pdf), pd.to_datetime(pdf))
    assert_eq(gd.to_datetime(gd.from_pandas(pdf, npartitions=2, backend=backend)), pd.to_datetime(pdf))
    s = pd.Series(["3/11/2000", "3/12/2000", "3/13/2000"] * 10)
    assert_eq(gd.to_datetime(s, format="%m/%d/%Y"), dd.to_datetime(s, format="%m/%d/%Y").compute())
    for arg in ("2021-08-03", 2021, s.index):
        with pytest.raises(NotImplementedError, match="non-index-able arguments"):
            gd.to_datetime(arg)


@needs_pandas_3("text is object dtype, whose abs() is not refused up front")
def test_abs_of_strings_raises_a_type_error(backend):
    pdf = pd.DataFrame({"A": [1, -2, 3], "B": [-6.0, 7.0, -8.0], "C": ["a", "b", "c"]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df[["A", "B"]].abs(), pdf[["A", "B"]].abs())
    with pytest.raises(TypeError, match="abs: not supported for the dtypes.*C"):
        df.abs()
    with pytest.raises(TypeError, match="abs"):
        df.C.abs()


def test_delayed_values_as_map_partitions_arguments_and_isin(backend):
    from dask import delayed

    pdf = pd.DataFrame({"x": range(6), "y": range(10, 16)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    offset = delayed(lambda: 10)()
    assert_eq(df.map_partitions(lambda p, k: p.x + k, offset, meta=("x", "i8")), pdf.x + 10)
    assert_eq(df.x.isin([delayed(1), delayed(2), 12]), pdf.x.isin([1, 2, 12]))
    assert_eq(df.x.isin(delayed([1, 2])), pdf.x.isin([1, 2]))
    assert_eq(df.isin([delayed(1), delayed(11)]), pdf.isin([1, 11]))
    ddf = dd.from_pandas(pdf, npartitions=2)
    assert_eq(df.isin([delayed(1), delayed(11)]), ddf.isin([delayed(1), delayed(11)]).compute())


def test_frame_isin_of_a_pandas_series_or_frame_raises(backend):
    pdf = pd.DataFrame({"x": range(4), "y": range(4)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for values in (pdf, pdf.x):  # pandas matches them by row label: refused, as dask (not a wrong answer)
        with pytest.raises(NotImplementedError, match="matched by index label"):
            df.isin(values)
    assert_eq(df.x.isin(pd.Series([1, 3])), pdf.x.isin(pd.Series([1, 3])))


def test_map_partitions_giving_arrays_makes_one_array(backend):
    pdf = pd.DataFrame({"x": [1, 2, 3, 4, 5], "y": [6.0, 7.0, 8.0, 9.0, 10.0]}, index=list("abcde"))
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")  # np.asarray of a partition: host arrays
    ddf = dd.from_pandas(pdf, npartitions=2)
    for pick in (lambda a: a, lambda a: a.x, lambda a: a.y):
        got = pick(df).map_partitions(np.asarray)
        theirs = pick(ddf).map_partitions(np.asarray)
        assert isinstance(got, gpuscale_array.Array)
        assert got.chunks[0] == (np.nan, np.nan) or all(np.isnan(c) for c in got.chunks[0])
        assert got.dtype == theirs.dtype == np.asarray(pick(pdf)).dtype
        np.testing.assert_array_equal(got.compute(), np.asarray(pick(pdf)))
        np.testing.assert_array_equal(got.compute(), theirs.compute())
    lengths = df.map_partitions(lambda p: [len(p)])  # a list per partition stays a Series of them
    assert lengths.compute().tolist() == ddf.map_partitions(lambda p: [len(p)]).compute().tolist() == [[3], [2]]


def test_operators_with_chunked_arrays_and_lazy_scalars():
    pdf = pd.DataFrame({"x": [1, 2, 3, 4, 5], "y": [5.0, 6.0, 7.0, 8.0, 9.0]}, index=[4, 5, 6, 7, 8])
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")  # .values of pandas partitions: NumPy blocks
    ddf = dd.from_pandas(pdf, npartitions=2)
    assert_eq(df.x + df.x.values, pdf.x + pdf.x.values)
    assert_eq(df.x.values + df.x, pdf.x.values + pdf.x)
    assert_eq(df.x + df.index.values, pdf.x + pdf.index.values)
    assert_eq(df.x + df.x.values, (ddf.x + ddf.x.values).compute())
    grid = (df.values + 1).astype(float)
    assert_eq(df + grid + 1, pdf + (pdf.values + 1).astype(float) + 1)
    assert_eq(df[["y", "x"]] + grid, pdf[["y", "x"]] + (pdf.values + 1).astype(float))
    np.testing.assert_array_equal((df.x.values + df.x.mean()).compute(), pdf.x.values + pdf.x.mean())
    np.testing.assert_array_equal((df.x.mean() - df.x.values).compute(), pdf.x.mean() - pdf.x.values)
    with pytest.raises(ValueError, match="columns"):
        df + df[["x"]].values


def test_to_backend_of_an_unknown_name(backend):
    df = gd.from_dict({"a": range(10)}, npartitions=2, backend=backend)
    assert df.to_backend(backend) is df  # already there
    with pytest.raises(ValueError, match="No backend dispatch registered for 'missing'.*valid backends"):
        df.to_backend("missing")


def test_values_of_extension_dtypes_are_object_arrays_with_dasks_warning():
    pdf = pd.DataFrame({"x": ["a", "b", None, "d"], "y": [2, None, 4, 5]},
                       index=pd.Index([1.0, 2.0, 3.0, 4.0], dtype="Float64", name="ind"))
    pdf = pdf.astype({"x": "string[python]", "y": "Int64"})
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")
    ddf = dd.from_pandas(pdf, npartitions=2)
    for got, theirs, ours in ((df.x, ddf.x, pdf.x), (df.y, ddf.y, pdf.y), (df.index, ddf.index, pdf.index)):
        with pytest.warns(UserWarning, match="object dtype"):
            values = got.values
        assert values.dtype == object
        with pytest.warns(UserWarning):
            assert theirs.values.dtype == object
        pd.testing.assert_series_equal(pd.Series(values.compute()), pd.Series(np.asarray(ours.astype(object))))
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert df.y.astype("int64").values.dtype == np.int64  # plain NumPy dtypes: no warning


def test_empty_is_refused_as_dask_and_hasattr_is_false(backend):
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    ddf = dd.from_pandas(pdf, npartitions=2)
    for frame in (df, ddf):  # both refuse with NotImplementedError and AttributeError alike
        for error in (NotImplementedError, AttributeError):
            with pytest.raises(error, match="may be expensive"):
                frame.empty
    assert not hasattr(df, "empty") and not hasattr(ddf, "empty")
    named = pdf.rename(columns={"b": "empty"})  # a column of that name: df.empty is the column, as on dask
    assert_eq(gd.from_pandas(named, npartitions=2, backend=backend).empty, dd.from_pandas(named, 2).empty.compute())


@pytest.mark.parametrize("data", [pd.Series([1, None, 3], dtype="Int64"), pd.Series([1.0, np.nan, 3.0]),
                                  pd.Series(["a", None, "b"])])
def test_isin_of_an_array_reads_its_missing_values_as_pandas(data, backend):
    # the values reach each partition as given: a list() of an Int64 array made its NA an object, which
    # pandas matches with the missing rows of an Int64 column (and a float column's NaN with none)
    s = gd.from_pandas(data, npartitions=2, backend=backend)
    frame = gd.from_pandas(data.to_frame("v"), npartitions=2, backend=backend)
    for values in (pd.array([1, None], dtype="Int64"), np.array([1.0, np.nan]), pd.Index(["b", None]),
                   pd.Series([3, 1]), {1, 3}, (v for v in [1, "a"])):
        expected = data.isin(values if not hasattr(values, "__next__") else [1, "a"])
        got = s.isin(values if not hasattr(values, "__next__") else (v for v in [1, "a"]))
        assert to_host(got.compute()).tolist() == expected.tolist(), values
        if not isinstance(values, pd.Series):  # (a DataFrame matches a Series by label: refused)
            want = data.to_frame("v").isin(values if not hasattr(values, "__next__") else [1, "a"])
            assert to_host(frame.isin(values).compute())["v"].tolist() == want["v"].tolist(), values
    index = gd.from_pandas(data.to_frame("v").set_index("v"), npartitions=1, sort=False, backend=backend).index
    assert to_host(index.isin(pd.array([1, None], dtype="Int64")).compute()).tolist() == \
        data.to_frame("v").set_index("v").index.isin(pd.array([1, None], dtype="Int64")).tolist()
