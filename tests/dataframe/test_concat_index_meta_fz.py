"""``concat(..., ignore_index=True)``: the metadata's index is the one the rows get (pandas' RangeIndex, int64,
unnamed), whatever the inputs' index, found by a categorical fuzzer."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

_INDEXES = {
    "category": pd.CategoricalIndex(["a", "a", "b", "b"], name="ix"),
    "int": pd.Index([3, 5, 7, 9], name="ix"),
    "float": pd.Index([0.5, 1.5, 2.5, 3.5]),
    "datetime": pd.DatetimeIndex(pd.date_range("2020-01-01", periods=4), name="ix"),
    "str": pd.Index(["p", "q", "r", "s"], name="ix"),
}


@pytest.mark.parametrize("kind", sorted(_INDEXES))
def test_ignore_index_metadata_has_the_computed_index(backend, kind):
    """The metadata's index is int64 and unnamed, as the computed one and pandas' (it kept the inputs' index: a
    category index in the metadata over int64 rows)."""
    pdf = pd.DataFrame({"x": [1.0, 2, 3, 4]}, index=_INDEXES[kind])
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for got, expected in ((gd.concat([df] * 2, ignore_index=True), pd.concat([pdf] * 2, ignore_index=True)),
                          (gd.concat([df.x, df.x], ignore_index=True), pd.concat([pdf.x, pdf.x], ignore_index=True))):
        result, meta = to_host(got.compute()), to_host(got._meta)
        tm.assert_index_equal(result.index, expected.index, exact=False)
        assert meta.index.dtype == result.index.dtype == expected.index.dtype
        assert meta.index.name is result.index.name is expected.index.name
        assert len(meta) == 0
