"""``drop_duplicates(ignore_index=True)`` labels the rows ``0 .. n-1`` across partitions, as pandas and as
``sort_values(ignore_index=True)`` (each partition's rows were numbered from 0: ``[0, 1, 0]``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def _frames(backend):
    pdf = pd.DataFrame({"k": list("abcabcab"), "v": np.arange(8.0)}, index=list("pqrstuvw"))
    return pdf, gd.from_pandas(pdf, npartitions=2, backend=backend)


@pytest.mark.parametrize("keep", ["first", "last", False])
def test_drop_duplicates_ignore_index_numbers_rows_across_partitions(backend, keep):
    pdf, df = _frames(backend)
    pdf = pd.concat([pdf, pdf.iloc[[7]].set_axis(["x"])])  # (a row repeated: keep=False drops "b")
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    expected = pdf.drop_duplicates(subset="k", keep=keep, ignore_index=True)
    in_order = df.drop_duplicates(subset="k", keep=keep, ignore_index=True, split_out=1)
    tm.assert_frame_equal(to_host(in_order.compute()), expected)
    for split_out in (None, 2):
        got = to_host(df.drop_duplicates(subset="k", keep=keep, ignore_index=True, split_out=split_out).compute())
        assert got.index.tolist() == list(range(len(expected)))
        tm.assert_frame_equal(got.sort_values("k", ignore_index=True), expected.sort_values("k", ignore_index=True))


def test_series_drop_duplicates_ignore_index(backend):
    pdf, df = _frames(backend)
    expected = pdf.k.drop_duplicates(ignore_index=True)
    tm.assert_series_equal(to_host(df.k.drop_duplicates(ignore_index=True, split_out=1).compute()), expected)
    got = to_host(df.k.drop_duplicates(ignore_index=True).compute())
    assert got.index.tolist() == [0, 1, 2] and sorted(got) == sorted(expected)
