"""Row-wise concat keeps the dtypes the partitions have where they depend on their values, as pandas and
dask concatenate them (fuzzer findings)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def _left_merge(backend):
    a = pd.DataFrame({"k": [1, 2, 3, 4], "x": [10, 20, 30, 40]})
    b = pd.DataFrame({"k": [1, 9], "y": [5, 6]})
    merged = gd.merge(gd.from_pandas(a, npartitions=2, backend=backend),
                      gd.from_pandas(b, npartitions=1, backend=backend), on="k", how="left")
    return merged, a.merge(b, on="k", how="left")


def _concat_of_computed(frames):
    return pd.concat([to_host(f.compute()) for f in frames])


def test_concat_of_left_merge_keeps_missing_values(backend):
    """pandas gives the unmatched right columns as floats holding NaN (the metadata says int64): concat
    took the metadata's dtype and failed to cast NaN to integers."""
    merged, expected = _left_merge(backend)
    got = to_host(gd.concat([merged, merged]).compute())
    tm.assert_frame_equal(got, _concat_of_computed([merged, merged]))
    if backend == "pandas":
        tm.assert_frame_equal(got.sort_values("k", kind="stable").reset_index(drop=True),
                              pd.concat([expected, expected]).sort_values("k", kind="stable").reset_index(drop=True))


def test_concat_of_matched_rows_keeps_float_dtype(backend):
    """Rows without NaN of a float column the metadata calls int64 stay floats (they were cast to int64)."""
    merged, expected = _left_merge(backend)
    matched = merged[merged.y.notna()]
    got = to_host(gd.concat([matched, matched]).compute())
    tm.assert_frame_equal(got, _concat_of_computed([matched, matched]))
    if backend == "pandas":
        assert got.dtypes.y == expected[expected.y.notna()].dtypes.y


def test_concat_still_unifies_inputs_of_other_dtypes(backend):
    """An input whose declared dtype differs from the result's is cast, as pandas and dask."""
    ints = pd.DataFrame({"x": [1, 2, 3]})
    floats = pd.DataFrame({"x": [0.5, 1.5]})
    got = gd.concat([gd.from_pandas(ints, npartitions=2, backend=backend),
                     gd.from_pandas(floats, npartitions=1, backend=backend)])
    tm.assert_frame_equal(to_host(got.compute()), pd.concat([ints, floats]))


@pytest.fixture
def words():
    return pd.DataFrame({"s": pd.array(["ax", "b", None, "xx"], dtype="str"), "i": [1, 2, 3, 4]})


def _exploded(frame):
    return frame.assign(L=frame.s.str.split("x")).explode("L")


@pytest.mark.parametrize("interleave", [False, True])
def test_concat_of_exploded_text_keeps_partition_dtypes(words, backend, interleave):
    """concat of exploded text, empty pieces among them, keeps the partitions' dtype (str on pandas 3)."""
    exploded = _exploded(gd.from_pandas(words, npartitions=2, backend=backend))
    frames = [exploded[exploded.i > 10], exploded[exploded.i > 2]]
    got = gd.concat(frames, interleave_partitions=interleave)
    host = to_host(got.compute())
    tm.assert_frame_equal(host.sort_index(kind="stable"), _concat_of_computed(frames).sort_index(kind="stable"))
    if backend == "pandas":
        pexploded = _exploded(words)
        expected = pd.concat([pexploded[pexploded.i > 10], pexploded[pexploded.i > 2]])
        assert host.dtypes.L == expected.dtypes.L
