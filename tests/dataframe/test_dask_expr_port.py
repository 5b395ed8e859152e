"""What dask-expr's own tests (``dask/dataframe/dask_expr/tests``) asked of gpuscale: each compared with pandas
(or with dask's documented behaviour where pandas has no counterpart)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


@pytest.fixture
def pdf() -> pd.DataFrame:
    frame = pd.DataFrame({"x": range(100)})
    frame["y"] = frame.x // 7
    return frame


@pytest.fixture
def df(pdf):
    return gd.from_pandas(pdf, npartitions=10)


# -- index head / tail ------------------------------------------------------------------------------------
def test_index_head_and_tail_keep_a_range_index(df, pdf):
    for got, expected in [(df.index.head(7), pdf.index[:7]), (df.index.tail(7), pdf.index[-7:]),
                          (df.index.head(15, npartitions=2), pdf.index[:15]),
                          (df.index.tail(12, npartitions=-1), pdf.index[-12:])]:
        got = to_host(got)
        assert type(got) is type(expected)  # RangeIndex, as pandas' slice
        pd.testing.assert_index_equal(got, expected, exact=True)
    lazy = df.index.head(7, compute=False)
    assert lazy.npartitions == 1
    pd.testing.assert_index_equal(to_host(lazy.compute()), pdf.index[:7], exact=True)
    labelled = gd.from_pandas(pd.DataFrame({"x": range(4)}, index=[6, 7, 8, 9]), npartitions=2)
    assert to_host(labelled.index.head(3, npartitions=-1)).tolist() == [6, 7, 8]
    assert to_host(labelled.index.tail(1)).tolist() == [9]
    with pytest.warns(UserWarning, match="Insufficient elements"):
        labelled.index.head(3)


# -- small API gaps ---------------------------------------------------------------------------------------
def test_unary_plus(pdf):
    frame = pd.DataFrame({"z": [1.5, -2.0, 3.0]})
    d = gd.from_pandas(frame, npartitions=2)
    assert_eq(+d, +frame)
    assert_eq(+d.z, +frame.z)


def test_index_to_series_with_a_name(df, pdf):
    assert_eq(df.x.index.to_series(name="abc"), pdf.x.index.to_series(name="abc"))
    assert_eq(df.index.to_series(), pdf.index.to_series())
    with pytest.raises(NotImplementedError, match="set_index"):
        df.index.to_series(index=df.index)


def test_drop_takes_a_set_or_an_index_of_columns(df, pdf):
    assert_eq(df.drop(columns={"x"}), pdf.drop(columns={"x"}))
    assert_eq(df.drop(columns=pdf.columns[:1]), pdf.drop(columns=pdf.columns[:1]))
    with pytest.raises(NotImplementedError, match="axis=1 or when columns is not None"):
        df.drop(axis=0, labels=[0])


def test_series_methods_refuse_frame_keywords(df):
    with pytest.raises(TypeError, match="unexpected keyword argument 'columns'"):
        df.x.nlargest(n=5, columns="foo")
    with pytest.raises(TypeError, match="unexpected keyword argument 'columns'"):
        df.x.nsmallest(n=5, columns="foo")
    with pytest.raises(TypeError, match="unexpected keyword argument 'subset'"):
        df.x.drop_duplicates(subset=["a"])
    assert_eq(df.x.nlargest(5), pd.Series(range(99, 94, -1), index=range(99, 94, -1), name="x"))


def test_scalar_to_series_and_partitions():
    total = gd.from_pandas(pd.Series([1, 2, 3]), npartitions=2).sum()
    assert total.npartitions == 1 and not total.known_divisions and total.divisions == (None, None)
    assert_eq(total.to_series(), pd.Series([6]))
    assert_eq(total.to_series("xxx", name="s"), pd.Series([6], index=["xxx"], name="s"))


def test_to_datetime_of_an_index_and_with_meta():
    strings = pd.Series(["2018-10-26 12:00:00", "2018-10-26 13:00:15"])
    ds = gd.from_pandas(strings, npartitions=2)
    pd.testing.assert_index_equal(to_host(gd.to_datetime(ds.index).compute()), pd.to_datetime(strings.index))
    dates = gd.from_pandas(pd.DataFrame({"x": [1, 2]}, index=["2020-01-01", "2020-01-03"]), npartitions=2)
    converted = gd.to_datetime(dates.index)
    assert not converted.known_divisions  # the labels changed
    pd.testing.assert_index_equal(to_host(converted.compute()),
                                  pd.to_datetime(pd.Index(["2020-01-01", "2020-01-03"])))
    offsets = pd.DataFrame({"a": ["2023-04-01 22:12:11.9324171+00:00"]})
    d = gd.from_pandas(offsets, npartitions=1)
    d["a"] = gd.to_datetime(d.a, format="ISO8601", meta=("a", "datetime64[ns, UTC]"))
    offsets["a"] = pd.to_datetime(offsets.a, format="ISO8601")
    assert_eq(d, offsets)
    with pytest.raises(NotImplementedError, match="non-index-able arguments"):
        gd.to_datetime(1490195805)


def test_error_messages_carry_dask_s_wording(df):
    with pytest.raises(ValueError, match="Unable to add dd.Series with axis=1"):
        df.add(df.x, axis=1)
    with pytest.raises(TypeError, match="arg must be a Series"):
        gd.to_timedelta("1.0")
    with pytest.raises(ValueError, match="non-monotonic"):
        df.x.rename({0: 200}, sorted_index=True)


# -- metadata that tells the truth --------------------------------------------------------------------------
def test_where_and_mask_metadata_is_the_replaced_dtype(backend):
    ints = pd.Series([1, -2, 3, -4])
    s = gd.from_pandas(ints, npartitions=2)
    for got, expected in [(s.where(s > 0), ints.where(ints > 0)), (s.mask(s > 0), ints.mask(ints > 0)),
                          (s.where(s > 0, 0), ints.where(ints > 0, 0)), (s.mask(s > 0, 2.5), ints.mask(ints > 0, 2.5))]:
        assert got.dtype == expected.dtype
        assert_eq(got, expected)
    if backend == "pandas":  # (cuDF keeps one type per column: no text among numbers)
        text = pd.DataFrame({"partner": ["A", None, "C", "A"]}, dtype="string[pyarrow]")
        d = gd.from_pandas(text, npartitions=2)
        d["p2"] = np.nan
        text["p2"] = np.nan
        masked = d.p2.mask(d.partner == "A", "Blackhawk")
        assert masked.dtype == object == masked.compute().dtype
        assert_eq(masked, text.p2.mask(text.partner == "A", "Blackhawk"))


def test_str_partition_has_its_three_columns():
    d = gd.DataFrame.from_dict({"A": ["A|B", "C|D"]}, npartitions=2)["A"].str.partition("|")
    expected = pd.Series(["A|B", "C|D"]).str.partition("|")
    assert list(d.columns) == [0, 1, 2]
    assert_eq(d[1], expected[1])
    assert_eq(d, expected)


def test_period_index_samples_and_shift_by_frequency(backend):
    if backend == "cudf":
        skip_on_stand_in("cuDF has no PeriodIndex")
    frame = pd.DataFrame({"x": range(100)}, index=pd.period_range("2020-01-01", periods=100, freq="D"))
    d = gd.from_pandas(frame, npartitions=4)
    shifted = d.shift(2, freq="D")
    assert shifted.known_divisions
    assert_eq(shifted, frame.shift(2, freq="D"))
    assert_eq(d.x.shift(2, freq="D"), frame.x.shift(2, freq="D"))
    assert_eq(d.index.shift(2), frame.index.shift(2))
    assert_eq(d.x.map_partitions(lambda p: p.index.to_series().dt.month), frame.index.to_series().dt.month)


# -- rolling ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("how,args", [("count", ()), ("sum", ()), ("mean", ()), ("min", ()), ("max", ()),
                                      ("var", ()), ("std", (2,)), ("median", ()), ("quantile", (0.5,)),
                                      ("skew", ()), ("kurt", ())])
def test_rolling_takes_numeric_only(how, args, backend):
    if backend == "cudf" and how in ("median", "quantile", "skew", "kurt"):
        pytest.skip(f"cuDF's Rolling has no {how}")
    idx = pd.date_range("2000-01-01", periods=12, freq="min")
    frame = pd.DataFrame({"foo": range(12), "bar": 1}, index=idx)
    d = gd.from_pandas(frame, npartitions=2)
    expected = getattr(frame.rolling(3, min_periods=2), how)(*args, numeric_only=True)
    assert_eq(getattr(d.rolling(3, min_periods=2), how)(*args, numeric_only=True), expected)
    assert_eq(getattr(d.rolling(3, min_periods=2), how)(*args, numeric_only=True)["foo"], expected["foo"])


def test_rolling_agg_passes_arguments_and_refuses_a_float_window(backend):
    if backend == "cudf":
        skip_on_stand_in("cuDF's Rolling has no agg")

    def my_sum(values, foo=None, *, bar=None):
        return values.sum() + (foo == "foo") + (bar == "bar")

    frame = pd.DataFrame({"a": np.arange(10.0)})
    d = gd.from_pandas(frame, npartitions=3)
    assert_eq(d.rolling(2).agg(my_sum, "foo", bar="bar"), frame.rolling(2).agg(my_sum, "foo", bar="bar"))
    with pytest.raises(ValueError, match="window must be an integer"):
        d.rolling(1.5)


# -- reductions --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("split_every", [-1, 0, 1, 2.5])
def test_split_every_below_two_is_refused(df, split_every):
    for build in (lambda: df.x.sum(split_every=split_every), lambda: df.x.max(split_every=split_every),
                  lambda: df.x.unique(split_every=split_every, split_out=1)):
        with pytest.raises(ValueError, match="split_every must be greater than 1 or False"):
            build().compute()
    assert df.x.sum(split_every=False).compute() == 4950 == df.x.sum(split_every=2).compute()


def test_optimize_takes_fuse(df, pdf):
    q = (df.x + 1).sum()
    assert int(q.optimize(fuse=False).compute()) == int((pdf.x + 1).sum()) == int(q.optimize().compute())


# -- map_partitions --------------------------------------------------------------------------------------------
def test_map_partitions_broadcasts_a_one_partition_collection():
    left = pd.DataFrame({"x": range(20), "y": range(20)})
    lookup = pd.DataFrame({"x": range(0, 20, 2), "z": range(10)})
    d1, d2 = gd.from_pandas(left, npartitions=2), gd.from_pandas(lookup, npartitions=1)
    merged = d1.map_partitions(lambda p, r: p.merge(r, on="x"), d2, enforce_metadata=False, clear_divisions=True)
    assert_eq(merged, left.merge(lookup, on="x"), check_index=False)
    sizes = d1.map_partitions(lambda p, r: p.assign(n=len(r)), d2)  # every partition sees the whole lookup
    assert to_host(sizes.n.compute()).tolist() == [10] * 20
    assert sizes.divisions == d1.divisions
    # the one-partition frame first: each partition of the other gets all of it
    assert gd.from_pandas(lookup, npartitions=1).map_partitions(lambda p, o: p.assign(n=len(o)), d1).npartitions == 2


def test_map_partitions_token_names_the_tasks_and_required_columns_are_checked(df, pdf):
    def my_func(part):
        return part + 1

    named = df.map_partitions(my_func, token="token_given")
    assert named._name.startswith("token-given-")
    assert_eq(named, pdf + 1)
    assert df.map_partitions(my_func)._name.startswith("my-func-")
    assert_eq(df.map_partitions(lambda p: p.assign(zz=p.x + 1), required_columns=["x"]), pdf.assign(zz=pdf.x + 1))
    with pytest.raises(KeyError, match="foo"):
        df.map_partitions(my_func, required_columns=["x", "foo"])


def test_groupby_apply_without_group_keys_keeps_the_rows_index():
    frame = pd.DataFrame({"A": [0, 1] * 4, "B": [1, 2, 3, 4] * 2, "C": [1] * 8})
    d = gd.from_pandas(frame, npartitions=4)

    def keep_twos(group):
        return group[group["B"] == 2]

    expected = frame.groupby("A", group_keys=False)[["C", "B"]].apply(keep_twos)
    for got in (d.groupby("A", group_keys=False)[["C", "B"]].apply(keep_twos, meta=d[["C", "B"]]),
                d.groupby(d.A, group_keys=False)[["C", "B"]].apply(keep_twos, meta=expected.iloc[:0])):
        assert got._meta.index.names == [None]
        assert_eq(got, expected)


def test_shuffle_on_the_index_name_and_set_index_shuffle_keyword():
    frame = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6] * 5, "y": range(30)}).set_index("x")
    d = gd.from_pandas(frame, npartitions=10)
    out = d.shuffle("x", shuffle_method="tasks", npartitions=3)
    assert out.npartitions == 3
    assert_eq(to_host(out.compute()).sort_values("y"), frame.sort_values("y"))
    labels = [set(to_host(out.get_partition(i).compute()).index) for i in range(3)]
    assert all(a.isdisjoint(b) for i, a in enumerate(labels) for b in labels[i + 1:])  # each label in one partition
    rows = pd.DataFrame({"x": range(30), "y": [1, 2, 3] * 10})
    indexed = gd.from_pandas(rows, npartitions=1).set_index("y", divisions=[0, 10, 20, 100], shuffle="tasks")
    assert_eq(to_host(indexed.compute()).sort_values("x"), rows.set_index("y").sort_values("x"))


def test_shuffle_ignoring_the_index_says_so_in_its_metadata():
    frame = pd.DataFrame({"id": [3, 1, 2, 3, 1, 2] * 4, "v": range(24)},
                         index=pd.date_range("2000-01-01", periods=24, freq="h", name="timestamp"))
    d = gd.from_pandas(frame, npartitions=4)
    out = d.shuffle("id", ignore_index=True)
    assert out._meta.index.name is None and out.index.dtype == np.int64  # rows arrive numbered, as dask's tasks
    result = to_host(out.compute())
    assert result.index.name is None
    assert sorted(result.v) == list(range(24))
    kept = d.shuffle("id")
    assert kept.index.name == "timestamp" == to_host(kept.compute()).index.name


def _rows(n: int) -> pd.DataFrame:
    return pd.DataFrame({"a": list(range(n))})


def _total(x, y, z):
    return x.sum() + y + z.sum()


def test_map_partitions_takes_delayed_values_as_keywords_too(backend):
    import dask

    if backend == "cudf":
        skip_on_stand_in("the delayed values are pandas frames, which the function adds to the partitions")

    d = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3, 4]}), npartitions=2)
    big, small = dask.delayed(_rows)(100), dask.delayed(_rows)(10)
    out = gd.map_partitions(_total, big, d, z=small, meta=d._meta)  # a Delayed first, and as a keyword
    assert to_host(out.compute()).a.tolist() == [4996, 4997, 4998, 4999]
    sized = d.map_partitions(lambda p, k=None, partition_info=None: p + len(k) + partition_info["number"], k=big,
                             meta=d._meta)
    assert to_host(sized.compute()).a.tolist() == [101, 102, 104, 105]


def test_map_partitions_takes_futures_of_a_cluster(backend):
    if backend == "cudf":
        skip_on_stand_in("the cluster's threads build pandas frames")
    distributed = pytest.importorskip("distributed")
    d = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3, 4]}), npartitions=2)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        big, small = client.submit(_rows, 100), client.submit(_rows, 10)
        out = gd.map_partitions(_total, big, d, z=small, meta=d._meta)
        assert client.compute(out).result().a.tolist() == [4996, 4997, 4998, 4999]


def test_interchange_protocol_and_arrow_stream(backend):
    import pyarrow as pa

    frame = pd.DataFrame({"a": [1, 2, 3], "b": 1.5})
    d = gd.from_pandas(frame, npartitions=2)
    table = pa.table(d)  # through __arrow_c_stream__: the computed rows, on the host
    assert table.column("a").to_pylist() == [1, 2, 3] and table.column("b").to_pylist() == [1.5] * 3
    if backend == "cudf":
        skip_on_stand_in("the stand-in has no cuDF interchange object")
    protocol = d.__dataframe__()
    assert list(protocol.column_names()) == ["a", "b"] and protocol.num_rows() == 3
    pd.testing.assert_frame_equal(pd.api.interchange.from_dataframe(d), frame)


@pytest.mark.parametrize("other", ["frame", "series", "scalar"])
@pytest.mark.parametrize("level", [0, "x"])
def test_flex_operators_with_level_give_pandas_answer(df, pdf, other, level):
    # dask asks for level=None here; on a flat index a level is the index itself, as pandas takes it
    ours, theirs = {"frame": (df, pdf), "series": (df.x, pdf.x), "scalar": (1, 1)}[other]
    axis = 0 if other != "frame" else "columns"
    for op in ("add", "rsub", "mul", "truediv"):
        assert_eq(getattr(df, op)(ours, axis=axis, level=level), getattr(pdf, op)(theirs, axis=axis, level=level))


def test_index_dt_date_is_an_index_to_group_by(backend):
    if backend == "cudf":
        skip_on_stand_in("cuDF has no date objects (dt.date is refused there)")
    stamps = pd.date_range(start="2023-01-01", end="2023-01-02", freq="1min")
    frame = pd.DataFrame({"timestamp": stamps, "vwap": 2}, index=pd.Index(stamps, name="timestamp"))
    d = gd.from_pandas(frame, npartitions=8).repartition(freq="1D")
    dates = d.index.dt.date
    assert isinstance(dates, gd.Index)  # pandas gives an array of dates: a lazy Index of them here, as dask
    assert_eq(dates, pd.Index(frame.index.date))
    assert_eq(d.groupby(d.index.dt.date).count(), frame.groupby(frame.index.date).count())
    assert_eq(d.index.dt.year, frame.index.year)


def test_loc_with_a_negative_step_reverses_the_rows(df, pdf):
    for got, expected in [(df.loc[::-1], pdf.loc[::-1]), (df.loc[::-1][["x"]], pdf.loc[::-1][["x"]]),
                          (df.loc[55:12:-1], pdf.loc[55:12:-1]), (df.x.loc[30::-1], pdf.x.loc[30::-1])]:
        result = to_host(got.compute())
        assert not got.known_divisions  # the labels now decrease
        assert result.index.tolist() == expected.index.tolist()  # last row first
        assert_eq(result, expected)
    with pytest.raises(NotImplementedError, match="step other than 1 or -1"):
        df.loc[::2]


def test_groupby_agg_takes_dask_s_own_aggregation_objects():
    from dask.dataframe import Aggregation as DaskAggregation

    frame = pd.DataFrame({"a": [1, 1, 2, 2, 3], "b": [1.0, 2.0, 3.0, 4.0, 5.0]})
    d = gd.from_pandas(frame, npartitions=2)
    custom = DaskAggregation("sum", lambda s: s.sum(), lambda s0: s0.sum())
    assert_eq(d.groupby("a").agg({"b": custom}), frame.groupby("a").agg({"b": "sum"}))
    assert_eq(d.groupby("a").b.agg(custom), frame.groupby("a").b.sum())


@pytest.mark.parametrize("aggfunc", ["sum", "count", "mean", "first", "last"])
def test_pivot_table_dtypes_are_pandas_and_the_metadata_s(aggfunc, backend):
    frame = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6], "y": pd.Series([4, 5, 8, 6, 1, 4], dtype="category"),
                          "z": [4, 15, 8, 16, 1, 14], "a": 1, "f": 1.5})
    d = gd.from_pandas(frame, npartitions=3)
    for values in ("z", ["z", "a"], "f"):
        got = d.pivot_table(index="x", columns="y", values=values, aggfunc=aggfunc)
        expected = frame.pivot_table(index="x", columns="y", values=values, aggfunc=aggfunc, observed=False)
        out = to_host(got.compute())
        if aggfunc in ("first", "last"):  # dask's metadata: the values' dtypes (missing cells make pandas' float)
            names = [values] if isinstance(values, str) else sorted(values)
            assert list(got.dtypes) == [frame[v].dtype for v in names for _ in frame.y.cat.categories]
        else:
            assert list(got.dtypes) == list(out.dtypes)  # the metadata tells the truth
        if backend == "pandas":  # (sum of integers: int64 with 0 where no rows, as pandas)
            assert list(out.dtypes) == list(expected.dtypes)
        assert_eq(out, expected, check_dtype=backend == "pandas")


def test_membership_in_a_series_is_refused_as_dask(df, pdf):
    # pandas tests the index labels, iteration gives the values: refused rather than answered either way
    assert "x" in df and 0 not in df  # a DataFrame's columns, as pandas
    with pytest.raises(NotImplementedError, match="Using 'in' to test for membership"):
        5 in df.x  # noqa: B015
    assert (5 in df.index) == (5 in pdf.index)  # an Index holds its values, as pandas
