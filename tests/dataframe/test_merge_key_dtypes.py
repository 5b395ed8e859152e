"""Merges on keys of different dtypes: the metadata, every partition and the result agree with pandas."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import sort_rows, to_host

HOWS = ["inner", "left", "right", "outer"]
PAIRS = [("Int64", "Float64"), ("int64", "float64"), ("UInt64", "Int64"), ("Int8", "Int64"), ("int64", "Int64"),
         ("int8", "int64"), ("float32", "float64")]


def _check_merge(left, right, backend, how, broadcast, left_parts=2, right_parts=2):
    got = gd.from_pandas(left, npartitions=left_parts, backend=backend).merge(
        gd.from_pandas(right, npartitions=right_parts, backend=backend), on="k", how=how, broadcast=broadcast)
    expected = left.merge(right, on="k", how=how)
    parts = [to_host(got.get_partition(i).compute()).dtypes["k"] for i in range(got.npartitions)]
    assert got.dtypes["k"] == expected.dtypes["k"]
    assert parts == [expected.dtypes["k"]] * got.npartitions
    tm.assert_frame_equal(sort_rows(got.compute()), sort_rows(expected))


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("dtypes", PAIRS, ids="/".join)
@pytest.mark.parametrize("broadcast", [None, False])
def test_merge_numeric_keys_of_different_dtypes(backend, how, dtypes, broadcast):
    if backend == "cudf" and any(d[0].isupper() for d in dtypes):
        pytest.skip("cuDF frames hold numpy dtypes")
    left = pd.DataFrame({"k": pd.array([1, 2, 3, 4], dtype=dtypes[0]), "x": [1.0, 2.0, 3.0, 4.0]})
    right = pd.DataFrame({"k": pd.array([2, 4, 5, 7], dtype=dtypes[1]), "y": [10.0, 20.0, 30.0, 40.0]})
    _check_merge(left, right, backend, how, broadcast)


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("broadcast", [None, False])
def test_merge_datetime_keys_of_different_units(backend, how, broadcast):
    # broadcast=False: a hash shuffle, which must send equal instants of different units to one partition
    stamps = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04"])
    left = pd.DataFrame({"k": stamps.as_unit("s"), "x": [1.0, 2.0, 3.0, 4.0]})
    right = pd.DataFrame({"k": stamps[[1, 3]].append(pd.to_datetime(["2021-01-01", "2021-01-02"])).as_unit("ns"),
                          "y": [10.0, 20.0, 30.0, 40.0]})
    parts = {"inner": (2, 1), "left": (2, 1), "right": (1, 2), "outer": (1, 1)}[how] if broadcast is None else (2, 2)
    _check_merge(left, right, backend, how, broadcast, *parts)


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("parts", [(1, 1), (2, 2)])
def test_merge_zoned_keys_of_different_zones(backend, how, parts):
    """Keys of two time zones match by instant; pandas gives the left key's zone where some rows match (an
    inner or right merge said the right's zone: stand-in keys of the zones were different instants)."""
    stamps = pd.to_datetime([0, 1, 2, 3], unit="h").tz_localize("UTC")
    left = pd.DataFrame({"k": stamps, "x": [1.0, 2.0, 3.0, 4.0]})
    right = pd.DataFrame({"k": stamps[[1, 3]].append(pd.to_datetime([7, 9], unit="h").tz_localize("UTC"))
                          .tz_convert("Asia/Tokyo"), "y": [10.0, 20.0, 30.0, 40.0]})
    with pytest.warns(UserWarning, match="data type mismatches"):
        _check_merge(left, right, backend, how, False if parts == (2, 2) else None, *parts)
