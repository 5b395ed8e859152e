"""Stored partitions and the user's pandas objects stay apart: changing a computed result, a partition inside a
function, or the user's frame after it was taken in changes nothing gpuscale holds (as dask under pandas'
copy-on-write), and ``inplace=True`` changes the collection it is called on, as pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.pandas_versions import needs_pandas_3
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

# pandas 2.2 without copy-on-write (its default): a shallow copy shares the values, as dask's partitions there
_COW = needs_pandas_3("without copy-on-write a shallow copy shares the values (pd.options.mode.copy_on_write = True "
                      "gives pandas 3's behaviour)")


def _host_only(backend):
    if backend == "cudf":  # (a cuDF frame's shallow copy shares its memory: cuDF has no copy-on-write by default)
        skip_on_stand_in("cuDF objects are handed out as they are")


@_COW
@pytest.mark.parametrize("npartitions", [1, 2])
def test_changing_a_result_or_a_partition_leaves_the_stored_data(backend, npartitions):
    _host_only(backend)
    frame = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0]})
    x = gd.from_pandas(frame, npartitions=npartitions, backend=backend)
    result = x.compute()
    result.iloc[0, 0] = 99.0
    assert x.compute().a.tolist() == (x + 0).compute().a.tolist() == frame.a.tolist()

    def add_one_in_place(part):
        part["a"] += 1
        return part

    y = x.map_partitions(add_one_in_place)
    assert y.compute().a.tolist() == y.compute().a.tolist() == (frame.a + 1).tolist()
    assert x.compute().a.tolist() == x.get_partition(0).compute().a.tolist() + (
        x.get_partition(1).compute().a.tolist() if npartitions == 2 else [])


@_COW
def test_the_users_later_changes_reach_neither_the_collection_nor_its_name(backend):
    frame = pd.DataFrame({"k": [0, 1, 2], "a": [0.0, 1.0, 2.0]})
    before = gd.from_pandas(frame, npartitions=1, backend=backend)
    frame.iloc[0, 1] = 99.0
    after = gd.from_pandas(frame, npartitions=1, backend=backend)
    assert before._name != after._name
    assert to_host((after.a - before.a).compute()).tolist() == [99.0, 0.0, 0.0]
    lookup = pd.DataFrame({"k": [0, 1, 2], "w": [10.0, 11.0, 12.0]})
    first = before.merge(lookup, on="k").w
    lookup.iloc[0, 1] = -1.0
    second = before.merge(lookup, on="k").w
    assert sorted(to_host(gd.concat([first, second]).compute()).tolist()) == [-1.0, 10.0, 11.0, 11.0, 12.0, 12.0]
    column = pd.Series([10.0, 11.0, 12.0])
    first = before.assign(z=column)
    column.iloc[0] = 99.0
    assert to_host(gd.concat([first.z, before.assign(z=column).z]).compute()).tolist() == [10, 11, 12, 99, 11, 12]


@pytest.mark.parametrize("method, kwargs", [("fillna", {"value": 0}), ("dropna", {})])
def test_inplace_changes_the_collection_it_is_called_on(backend, method, kwargs):
    frame = pd.DataFrame({"x": [np.nan, 1.0]})
    df = gd.from_pandas(frame, npartitions=1, backend=backend)
    kept = df[["x"]]
    expected = getattr(frame, method)(**kwargs)
    assert getattr(df, method)(inplace=True, **kwargs) is None
    assert to_host(df.compute()).x.tolist() == expected.x.tolist()
    assert to_host(kept.compute()).x.isna().tolist() == [True, False]  # built before: unchanged
