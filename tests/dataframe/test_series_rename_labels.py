"""``Series[label]`` and ``Series.rename(func_or_mapping, sorted_index=)`` against dask.dataframe and pandas
(pandas and strict-cuDF legs: cuDF's ``rename`` cannot relabel, so its labels are mapped on the host)."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host

DATA = pd.Series(np.arange(12.0), index=np.arange(12) * 10, name="v")


@pytest.fixture
def series(backend):
    return gd.from_pandas(DATA, npartitions=3, backend=backend), dd.from_pandas(DATA, npartitions=3)


@pytest.mark.parametrize("key", [30, [10, 110], 55])
def test_getitem_label_is_loc_as_dask(series, key):
    ours, theirs = series
    assert_eq(to_host(ours[key].compute()), theirs[key].compute())
    expected = DATA.iloc[:0] if key == 55 else DATA.loc[[key] if np.isscalar(key) else key]
    assert_eq(to_host(ours[key].compute()), expected)


def test_getitem_label_reads_only_the_partition_holding_it(series):
    ours, _ = series
    assert ours[30].npartitions == 1


@pytest.mark.parametrize("mapper", [lambda i: i + 1, {10: -5, 60: 61}], ids=["function", "mapping"])
def test_rename_relabels_the_index_and_forgets_the_divisions(series, mapper):
    ours, theirs = series
    got = ours.rename(mapper)
    assert not got.known_divisions and not theirs.rename(mapper).known_divisions
    assert_eq(to_host(got.compute()), theirs.rename(mapper).compute())
    assert_eq(to_host(got.compute()), DATA.rename(mapper))


def test_rename_sorted_index_maps_the_divisions(series):
    ours, _ = series
    got = ours.rename(lambda i: i * 2, sorted_index=True)
    assert got.divisions == tuple(d * 2 for d in ours.divisions)
    assert_eq(to_host(got.compute()), DATA.rename(lambda i: i * 2))
    assert_eq(to_host(got.loc[40:100].compute()), DATA.rename(lambda i: i * 2).loc[40:100])


def test_rename_with_a_scalar_is_the_name(series):
    ours, theirs = series
    assert ours.rename("w").name == theirs.rename("w").name == "w"
    assert ours.rename("w").divisions == ours.divisions


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shift=st.integers(-50, 50), nparts=st.integers(1, 5))
def test_rename_by_function_any_partitioning(backend, shift, nparts):
    got = gd.from_pandas(DATA, npartitions=nparts, backend=backend).rename(lambda i: i + shift)
    assert_eq(to_host(got.compute()), DATA.rename(lambda i: i + shift))


def test_name_setter_renames_series_and_index_as_dask(series):
    ours, theirs = series
    ours.name, theirs.name = "w", "w"
    assert_eq(to_host(ours.compute()), theirs.compute())
    index = ours.index
    index.name = "ix"
    assert index.name == "ix" and to_host(index.compute()).name == "ix"
    assert ours.divisions == theirs.divisions


def test_a_tuple_is_a_name_not_a_mapping(series):
    ours, theirs = series
    assert ours.rename(("a", 1)).name == theirs.rename(("a", 1)).name == ("a", 1)
    assert_eq(to_host(ours.rename(pd.Series({0: -1})).compute()), DATA.rename(pd.Series({0: -1})))


@pytest.mark.parametrize("field", ["year", "month", "day", "hour", "dayofweek", "quarter"])
def test_a_datetime_index_answers_its_fields_as_dask(backend, field):
    data = pd.DataFrame({"x": range(10)}, index=pd.date_range("2020-01-30", periods=10, freq="7h"))
    ours = getattr(gd.from_pandas(data, npartitions=3, backend=backend).index, field)
    theirs = getattr(dd.from_pandas(data, npartitions=3).index, field)
    assert_eq(to_host(ours.compute()), theirs.compute())
    grouped = gd.from_pandas(data, npartitions=3, backend=backend)
    if field == "day":  # groupby by the index's field (dask's test_groupby_index_array)
        assert_eq(to_host(grouped.groupby(grouped.index.day).x.sum().compute()).sort_index(),
                  data.groupby(data.index.day).x.sum())


def test_other_indexes_have_no_time_fields(backend):
    with pytest.raises(AttributeError, match="no attribute 'month'"):
        gd.from_pandas(pd.DataFrame({"x": [1, 2]}), npartitions=1, backend=backend).index.month
