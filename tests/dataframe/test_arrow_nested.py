"""Columns of Arrow's nested and other non-numeric types (lists, structs, maps, nulls, decimals, times): the
metadata's stand-in holds values of the type, so counting, grouping, concatenating, merging and filling work."""

from __future__ import annotations

import datetime
import decimal

import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

TYPES = {
    "list": (pa.list_(pa.int64()), [[1, 2], None, [3], [4, 5, 6]]),
    "struct": (pa.struct([("a", pa.int64()), ("b", pa.string())]), [{"a": 1, "b": "x"}, None, {"a": 2, "b": "y"},
                                                                    {"a": 3, "b": None}]),
    "map": (pa.map_(pa.string(), pa.int64()), [[("a", 1)], None, [("b", 2)], []]),
    "null": (pa.null(), [None, None, None, None]),
    "decimal": (pa.decimal128(10, 2), [decimal.Decimal("1.50"), None, decimal.Decimal("0.35"), decimal.Decimal("2")]),
    "time": (pa.time64("us"), [datetime.time(1, 2), None, datetime.time(3), datetime.time(4, 5)]),
}


@pytest.fixture(params=sorted(TYPES))
def frame(request):
    arrow, values = TYPES[request.param]
    return pd.DataFrame({"k": [1, 1, 2, 2], "v": pd.Series(values, dtype=pd.ArrowDtype(arrow))})


def test_count_size_concat_merge(frame, backend):
    skip_on_stand_in("Arrow's nested types are pandas' extension dtypes")
    df = gd.from_pandas(frame, npartitions=2, backend=backend)
    assert df.v.count().compute() == frame.v.count()
    assert to_host(df.groupby("k").size().compute()).tolist() == frame.groupby("k").size().tolist()
    assert to_host(df.count().compute()).tolist() == frame.count().tolist()
    both = to_host(gd.concat([df, df]).compute())
    pd.testing.assert_frame_equal(both, pd.concat([frame, frame]))
    merged = to_host(df.merge(df[["k"]].drop_duplicates(), on="k").compute())
    merged = merged.sort_values("k", kind="stable").reset_index(drop=True)  # (rows shuffled by key)
    pd.testing.assert_frame_equal(merged, frame.merge(frame[["k"]].drop_duplicates(), on="k"))
    assert df._meta.dtypes.equals(frame.dtypes)


@pytest.mark.parametrize("npartitions", [2, 3, 5])
def test_ffill_bfill_of_list_and_struct_columns(npartitions):
    skip_on_stand_in("Arrow's nested types are pandas' extension dtypes")
    for arrow, values in (TYPES["list"], TYPES["struct"]):
        s = pd.Series([values[0], None, None, None, values[2], None], dtype=pd.ArrowDtype(arrow))
        ds = gd.from_pandas(s, npartitions=npartitions)
        pd.testing.assert_series_equal(ds.ffill().compute(), s.ffill())
        pd.testing.assert_series_equal(ds.bfill().compute(), s.bfill())
        pd.testing.assert_series_equal(ds.ffill(limit=1).compute(), s.ffill(limit=1))
