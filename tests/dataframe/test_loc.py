""".loc / .iloc / row slices in [] / idxmax / idxmin / query / eval / shape, against dask.dataframe and pandas."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.dataframe.expr.base import FromChunks
from gpuscale.dataframe.expr.loc import SelectRows
from gpuscale.graph import cull
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def data():
    return pd.DataFrame({"x": range(20), "y": np.arange(20.0) * 2, "s": list("abcdefghijklmnopqrst")},
                        index=np.arange(20) * 10)


@pytest.fixture
def frames(data, backend):
    return gd.from_pandas(data, npartitions=4, backend=backend), dd.from_pandas(data, npartitions=4)


@pytest.fixture
def hourly():
    return pd.DataFrame({"v": range(24 * 20)}, index=pd.date_range("2021-09-25", periods=24 * 20, freq="h"))


def _same_as_dask(got, expected_dask, expected_pandas, **kwargs):
    assert got.divisions == expected_dask.divisions
    assert got.npartitions == expected_dask.npartitions
    assert_eq(got, expected_pandas, **kwargs)


@pytest.mark.parametrize("key", [slice(45, 120), slice(None, 35), slice(155, None), slice(50, 100), slice(0, 190),
                                 slice(-10, 500)])
def test_loc_slice_reads_the_partitions_dask_reads(frames, data, key):
    df, ddf = frames
    _same_as_dask(df.loc[key], ddf.loc[key], data.loc[key])
    _same_as_dask(df.x.loc[key], ddf.x.loc[key], data.x.loc[key])


def test_loc_label_gives_a_frame_of_its_rows(frames, data):
    df, ddf = frames
    _same_as_dask(df.loc[50], ddf.loc[50], data.loc[50:50])
    _same_as_dask(df.loc[190], ddf.loc[190], data.loc[190:190])
    assert len(df.loc[55].compute()) == 0  # inside the divisions but absent: empty, as dask
    with pytest.raises(KeyError, match="not in the index"):
        df.loc[500]
    _same_as_dask(df.x.loc[50], ddf.x.loc[50], data.x.loc[50:50])


def test_loc_list_groups_labels_by_partition(frames, data):
    df, ddf = frames
    _same_as_dask(df.loc[[50, 10, 170]], ddf.loc[[50, 10, 170]], data.loc[[10, 50, 170]])
    _same_as_dask(df.loc[np.array([20, 30])], ddf.loc[np.array([20, 30])], data.loc[[20, 30]])
    assert len(df.loc[[]].compute()) == 0
    with pytest.raises(KeyError):  # a label no partition holds, as pandas/dask (at compute)
        df.loc[[50, 55]].compute()
    with pytest.raises(NotImplementedError, match="boolean Series"):
        df.loc[[True] * 20]


def test_loc_labels_in_a_pandas_extension_array(backend):
    # a Series' .values of strings (or of Int64) is a pandas ExtensionArray: a list of labels, as for dask (it was
    # compared with the divisions as one label)
    pdf = pd.DataFrame({"x": range(6)}, index=list("abcdef"))
    df, ddf = gd.from_pandas(pdf, npartitions=3, backend=backend), dd.from_pandas(pdf, npartitions=3)
    labels = pd.Series(["b", "e", "a"], dtype="string").values
    _same_as_dask(df.loc[labels], ddf.loc[labels], pdf.loc[["b", "a", "e"]])  # by partition, as dask
    ints = gd.from_pandas(pd.DataFrame({"x": range(6)}), npartitions=2, backend=backend)
    assert_eq(ints.x.loc[pd.array([4, 1], dtype="Int64")], pd.Series([1, 4], index=[1, 4], name="x"))


def _source_partitions_read(collection):
    """The input partitions of the row selection that computing ``collection`` needs."""
    expr = collection.optimize().expr
    (select,) = expr.find_operations(SelectRows)
    needed, _ = cull(expr.__dask_graph__(), expr.__dask_keys__())
    return sorted(k[1] for k in needed if isinstance(k, tuple) and k[0] == select.frame._name)


def test_loc_reads_only_the_partitions_that_can_hold_the_labels(frames, data):
    df, _ = frames  # partitions hold labels [0, 50), [50, 100), [100, 150), [150, 190]
    assert _source_partitions_read(df.loc[60:120]) == [1, 2]
    assert _source_partitions_read(df.loc[[150, 60]]) == [1, 3]
    assert _source_partitions_read(df.loc[100]) == [2]
    assert _source_partitions_read(df.loc[0:20, "x"]) == [0]
    assert _source_partitions_read(df.clear_divisions().loc[60:120]) == [0, 1, 2, 3]


def test_loc_rows_and_columns(frames, data):
    df, ddf = frames
    _same_as_dask(df.loc[45:120, ["x", "s"]], ddf.loc[45:120, ["x", "s"]], data.loc[45:120, ["x", "s"]])
    _same_as_dask(df.loc[45:120, "y"], ddf.loc[45:120, "y"], data.loc[45:120, "y"])
    assert_eq(df.loc[:, "x":"y"], data.loc[:, "x":"y"])
    assert_eq(df.loc[[10, 30], lambda f: ["s"]], data.loc[[10, 30], ["s"]])
    with pytest.raises(IndexError, match="Too many indexers"):
        df.loc[1, 2, 3]


def test_loc_projection_reads_only_the_selected_columns(frames, data):
    df, _ = frames
    plan = df.loc[45:120].x.optimize().expr
    sources = list(plan.find_operations(FromChunks))
    assert [s.operand("columns") for s in sources] == [("x",)] or [list(s.columns) for s in sources] == [["x"]]
    assert_eq(df.loc[45:120].x, data.loc[45:120].x)


def test_loc_with_a_boolean_series_or_a_callable(frames, data):
    df, ddf = frames
    _same_as_dask(df.loc[df.x > 13], ddf.loc[ddf.x > 13], data.loc[data.x > 13])
    _same_as_dask(df.loc[df.x > 13, "s"], ddf.loc[ddf.x > 13, "s"], data.loc[data.x > 13, "s"])
    assert_eq(df.loc[lambda f: f.x % 3 == 0], data.loc[data.x % 3 == 0])
    assert_eq(df.x.loc[df.x > 15], data.x.loc[data.x > 15])
    with pytest.raises(KeyError, match="non-boolean"):
        df.loc[df.x]


def test_loc_unknown_divisions_filters_every_partition(data, backend):
    # partitions of increasing labels, overlapping (divisions unknown): each is cut by the label range
    overlapping = pd.concat([data.iloc[::2], data.iloc[1::2]])
    df = gd.from_pandas(overlapping, npartitions=4, backend=backend, sort=False)
    ddf = dd.from_pandas(overlapping, npartitions=4, sort=False)
    assert not df.known_divisions
    got = df.loc[45:120]
    assert got.npartitions == ddf.loc[45:120].npartitions == 4
    assert_eq(got, overlapping[(overlapping.index >= 45) & (overlapping.index <= 120)])
    # shuffled labels: pandas' slice runs between the labels' positions, unknown partition by partition
    shuffled = gd.from_pandas(data.sample(frac=1, random_state=1), npartitions=4, backend=backend, sort=False)
    with pytest.raises(ValueError, match="not sorted.*sort_index"):
        shuffled.loc[45:120].compute()
    assert_eq(shuffled.loc[50], data.loc[[50]])  # one label: every row holding it, wherever it is
    with pytest.raises(KeyError, match="unknown division"):
        df.loc[[10, 20]]


def test_partial_date_strings(hourly, backend):
    df = gd.from_pandas(hourly, npartitions=5, backend=backend)
    ddf = dd.from_pandas(hourly, npartitions=5)
    for key in ["2021-10", "2021-10-03", slice("2021-10-01", "2021-10-05"), slice("2021-10-12", None),
                slice(None, "2021-09-26 05")]:
        _same_as_dask(df.loc[key], ddf.loc[key], hourly.loc[key])
    stamp = pd.Timestamp("2021-10-01 05:00")
    _same_as_dask(df.loc[stamp], ddf.loc[stamp], hourly.loc[stamp:stamp])
    _same_as_dask(df["2021-10-01":"2021-10-05"], ddf["2021-10-01":"2021-10-05"], hourly["2021-10-01":"2021-10-05"])
    _same_as_dask(df.v["2021-10-02":"2021-10-03"], ddf.v["2021-10-02":"2021-10-03"], hourly.v["2021-10-02":"2021-10-03"])


def test_getitem_slices(frames, data):
    df, _ = frames
    assert_eq(df[45.0:120.0], data.loc[45:120])
    assert df[:] is df or df[:].expr._name == df.expr._name
    with pytest.raises(NotImplementedError, match="position"):
        df[2:5]
    with pytest.raises(NotImplementedError, match="position"):
        df.x[2:5]
    # a 1-tuple holding a slice is the slice, as in pandas (not .loc's label slice)
    with pytest.raises(NotImplementedError, match="position"):
        df.x[(slice(2, 5),)]
    assert_eq(df.x[(slice(45.0, 120.0),)], data.x.loc[45:120])


def test_iloc_selects_columns_only(frames, data):
    df, ddf = frames
    _same_as_dask(df.iloc[:, [0, 2]], ddf.iloc[:, [0, 2]], data.iloc[:, [0, 2]])
    _same_as_dask(df.iloc[:, 1], ddf.iloc[:, 1], data.iloc[:, 1])
    assert_eq(df.iloc[:, -2:], data.iloc[:, -2:])
    for key in [0, (0, 1), (slice(0, 2), 0)]:
        with pytest.raises(NotImplementedError, match="only supports selecting columns"):
            df.iloc[key]


def test_shape_is_lazy_rows_and_columns(frames, data):
    df, ddf = frames
    rows, columns = df.shape
    assert columns == ddf.shape[1] == 3
    assert type(rows).__name__ == "Scalar" and int(rows.compute()) == int(ddf.shape[0].compute()) == 20
    assert int(df[df.x > 4].shape[0].compute()) == 15
    (n,) = df.x.shape
    assert int(n.compute()) == 20


@pytest.mark.parametrize("split_every", [None, 2])
def test_idxmax_idxmin_tree_reduction(backend, split_every):
    values = pd.Series([3.0, np.nan, 9.0, 1.0, 9.0, -4.0, np.nan, -4.0, 2.0], index=list("abcdefghi"), name="v")
    s = gd.from_pandas(values, npartitions=4, backend=backend)
    ds = dd.from_pandas(values, npartitions=4)
    assert s.idxmax(split_every=split_every).compute() == ds.idxmax().compute() == values.idxmax() == "c"
    assert s.idxmin(split_every=split_every).compute() == ds.idxmin().compute() == values.idxmin() == "f"
    dates = pd.Series(pd.date_range("2021-01-01", periods=7), index=[5, 3, 9, 1, 0, 2, 8])
    d = gd.from_pandas(dates, npartitions=3, backend=backend, sort=False)
    assert d.idxmax().compute() == 8 and d.idxmin().compute() == 5


def test_idxmax_errors_as_pandas(backend):
    s = gd.from_pandas(pd.Series([1.0, np.nan, 2.0]), npartitions=2, backend=backend)
    with pytest.raises(ValueError, match="NA value with skipna=False"):
        s.idxmax(skipna=False).compute()
    with pytest.raises(ValueError, match="all NA"):
        gd.from_pandas(pd.Series([np.nan, np.nan]), npartitions=2, backend=backend).idxmin().compute()
    with pytest.raises(ValueError, match="empty sequence"):
        s[s > 5].idxmax().compute()


def test_query_per_partition_keeps_divisions(frames, data):
    df, ddf = frames
    _same_as_dask(df.query("x > 5 and y < 30"), ddf.query("x > 5 and y < 30"), data.query("x > 5 and y < 30"))
    renamed = df.rename(columns={"s": "a b"})
    assert_eq(renamed.query("`a b` > 'k'"), data.rename(columns={"s": "a b"}).query("`a b` > 'k'"))


def test_query_local_variables(frames, data):
    df, ddf = frames
    value = 7
    _same_as_dask(df.query("x > @v", local_dict={"v": 3}), ddf.query("x > @v", local_dict={"v": 3}), data[data.x > 3])
    assert_eq(df.query("x > @value"), data[data.x > value])  # taken from this frame when query is called
    query = df.query("x > @value")
    value = 100  # noqa: F841 - the value at call time is kept
    assert_eq(query, data[data.x > 7])
    with pytest.raises(Exception, match="undefined|not defined"):
        df.query("x > @nowhere_defined")


def test_eval(frames, data):
    df, ddf = frames
    _same_as_dask(df.eval("z = x + y"), ddf.eval("z = x + y"), data.eval("z = x + y"))
    _same_as_dask(df.eval("x * 2 + y"), ddf.eval("x * 2 + y"), data.eval("x * 2 + y"))
    factor = 3
    assert_eq(df.eval("w = x * @factor"), data.eval("w = x * @factor", local_dict={"factor": factor}))
    assert_eq(df.eval("w = x * @k", local_dict={"k": 4}), data.eval("w = x * 4"))
    with pytest.raises(NotImplementedError, match="inplace"):
        df.eval("z = x + y", inplace=True)


def test_index_comparisons_are_lazy_masks_as_dask(frames, data):
    ours, theirs = frames
    mask = ours.index > 55
    assert type(mask).__name__ == type(theirs.index > 55).__name__ == "Array"  # dask: a dask array
    np.testing.assert_array_equal(np.asarray(to_host(mask.compute())), data.index > 55)
    assert_eq(ours.loc[ours.index > 55], data.loc[data.index > 55])
    assert_eq(ours.loc[(ours.index > 55) & (ours.index < 150)], data.loc[(data.index > 55) & (data.index < 150)])
    assert_eq(ours[ours.index > 55], data[data.index > 55])  # pandas takes the mask in [] too (dask refuses)
    assert_eq(ours.x[ours.index > 55], data.x[data.index > 55])


def test_assign_from_another_frame_into_partitions_left_empty(data, backend):
    # a partition the filter empties must not take the assigned column's rows (pandas gives a frame of no rows
    # the index of the Series set into it)
    df = gd.from_pandas(data, npartitions=4, backend=backend)
    other = gd.from_pandas(data[["y"]].rename(columns={"y": "z"}), npartitions=4, backend=backend)
    kept = df[df.x >= 12]
    assert_eq(kept.assign(z=other.z), data[data.x >= 12].assign(z=data.y))
    assert_eq(kept.assign(z=other[other.z > 30].z), data[data.x >= 12].assign(z=data.y[data.y > 30]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(labels=st.lists(st.integers(0, 30), min_size=1, max_size=40), sort=st.booleans(),
       lo=st.one_of(st.none(), st.integers(-2, 32)), hi=st.one_of(st.none(), st.integers(-2, 32)))
def test_loc_slice_of_unknown_divisions_is_a_label_range(backend, labels, sort, lo, hi):
    """Partitions of increasing labels give the rows whose labels lie in the range, duplicates and absent bounds
    included, as dask does for unknown divisions; one partition of unsorted labels gives pandas' slice between
    their positions (or pandas' KeyError), several are refused."""
    index = sorted(labels) if sort else labels
    data = pd.DataFrame({"v": np.arange(len(index), dtype="float64")}, index=index)
    df = gd.from_pandas(data, npartitions=3, sort=False, backend=backend)
    keep = np.ones(len(data), dtype=bool)
    if lo is not None:
        keep &= data.index >= lo
    if hi is not None:
        keep &= data.index <= hi
    parts = [to_host(df.get_partition(i).compute()) for i in range(df.npartitions)]
    if (lo is None and hi is None) or all(part.index.is_monotonic_increasing for part in parts):
        assert_eq(df.loc[lo:hi], data[keep])
    else:
        with pytest.raises(ValueError, match="not sorted"):
            df.loc[lo:hi].compute()
    whole = gd.from_pandas(data, npartitions=1, sort=False, backend=backend)
    try:
        expected = data.loc[lo:hi]
    except KeyError:  # pandas: a bound missing from an index that is not sorted
        with pytest.raises(KeyError):
            whole.loc[lo:hi].compute()
    else:
        assert_eq(whole.loc[lo:hi], expected)


def test_resample_of_a_sorted_index_cuts_partitions_by_position(backend, hourly):
    """resample cuts each partition at bin edges; on a sorted index the cut is a positional slice."""
    df = gd.from_pandas(hourly, npartitions=7, backend=backend)
    assert_eq(df.v.resample("1D").sum(), hourly.v.resample("1D").sum())
    assert_eq(df.v.resample("5h").mean(), hourly.v.resample("5h").mean())


@pytest.mark.parametrize("unit", ["s", "ms", "us"])
@pytest.mark.parametrize("tz", [None, "Europe/Berlin"])
def test_bounds_finer_than_the_index_unit_are_binary_searched(unit, tz, monkeypatch):
    """A bound between two grid points of a datetime index (resample's last division is the last label
    ``+ 1ns``; a ``us`` index cannot hold it) is found by binary search, not by comparing every label."""
    from gpuscale.backends.frame import sorted_index

    rng = np.random.default_rng(len(unit))
    index = pd.DatetimeIndex(np.sort(rng.integers(0, 10**6, 300)) * np.timedelta64(1, "s")
                             + np.datetime64("2024-03-31T00:00:00")).as_unit(unit)
    if tz:
        index = index.tz_localize("UTC").tz_convert(tz)
    bounds = [index[0] - pd.Timedelta(1, "ns"), index[150] + pd.Timedelta(1, "ns"), index[-1] + pd.Timedelta(1, "ns"),
              index[70] + pd.Timedelta(1500, "us"), index[10]]
    monkeypatch.setattr(sorted_index, "_count_true", lambda mask: pytest.fail("compared every label"))
    for bound in bounds:
        assert sorted_index.count_after(index, bound) == int((index > bound).sum())
        assert sorted_index.count_before(index, bound) == int((index < bound).sum())
    elapsed = pd.TimedeltaIndex(np.arange(100) * np.timedelta64(1, "s")).as_unit("s")
    for bound in [pd.Timedelta(5500, "ms"), pd.Timedelta(99, "s") + pd.Timedelta(1, "ns")]:
        assert sorted_index.count_after(elapsed, bound) == int((elapsed > bound).sum())
        assert sorted_index.count_before(elapsed, bound) == int((elapsed < bound).sum())


def test_a_bound_of_another_time_zone_is_compared():
    from gpuscale.backends.frame.sorted_index import count_after

    index = pd.date_range("2024-01-01", periods=5, freq="h", tz="UTC")
    with pytest.raises(TypeError):  # pandas' own error for a naive bound against an aware index
        count_after(index, pd.Timestamp("2024-01-01 01:00:00.5"))


def test_label_slices_of_a_reduction_indexed_by_column_names(backend):
    # a reduction's result is indexed by the columns in their order, not sorted: pandas slices between the labels'
    # positions (the rows were filtered by comparing the names: ["one":"two"] gave one, two and three)
    pdf = pd.DataFrame({"one": [1.0, 3.0], "two": [2.0, 4.0], "three": [5.0, 6.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(df.mean()["one":"two"], pdf.mean()["one":"two"])
    assert_eq(df.count().loc["two":"three"], pdf.count().loc["two":"three"])
    assert_eq(df.describe().loc["mean":"min"], pdf.describe().loc["mean":"min"])
    assert_eq(df.max().loc[:"two"], pdf.max().loc[:"two"])


@pytest.mark.parametrize("npartitions", [1, 2])
def test_series_get_with_a_default_as_pandas(backend, npartitions):
    # the value at a label (a lazy scalar), the default where no row has it, the rows of a repeated label
    data = pd.Series([1, 2, 3, 4], index=["a", "b", "b", "d"])
    s = gd.from_pandas(data, npartitions=npartitions, backend=backend)
    assert s.get("a").compute() == data.get("a") and s.get("x", -1).compute() == data.get("x", -1) == -1
    assert s.get("x").compute() is None
    tm.assert_series_equal(to_host(s.get("b").compute()), data.get("b"))
    tm.assert_series_equal(to_host(s.get(["a", "d"]).compute()), data.get(["a", "d"]))


@pytest.mark.parametrize("dtype", ["float64", "Int64"])
@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_open_ended_slice_keeps_missing_labels(backend, dtype, npartitions):
    # loc[lo:] keeps the missing labels sorted last, in every layout (they were dropped when lo fell in the
    # last partition); loc[:hi] and loc[lo:hi] leave them out, as pandas
    pdf = pd.DataFrame({"k": pd.array([3, None, 1, 2, None, 5, 4, 1], dtype=dtype), "v": range(8)})
    want = pdf.set_index("k").sort_index()
    got = gd.from_pandas(pdf, npartitions=npartitions, backend=backend).set_index("k")
    for key in (slice(2, None), slice(4, None), slice(5, None), slice(None, 4), slice(2, 4)):
        out = to_host(got.loc[key].compute())
        labels = [[None if pd.isna(v) else v for v in i.tolist()] for i in (out.index, want.loc[key].index)]
        assert labels[0] == labels[1], key
        assert sorted(out.v.tolist()) == sorted(want.loc[key].v.tolist()), key
