"""Group-wise cumsum through pandas' group kernels (small-range integer keys, float64 values): each partition's
scan and totals are pandas' own bit for bit, and the scan across partitions matches pandas on the whole frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends.frame import groupby_scan
from gpuscale.testing import assert_eq

floats = st.one_of(st.floats(-1e3, 1e3), st.just(np.nan), st.just(0.0), st.just(-0.0))


@st.composite
def frames(draw):
    n = draw(st.integers(1, 50))
    low = draw(st.integers(-300, 300))
    span = draw(st.sampled_from([1, 3, 10, 200]))
    dtype = draw(st.sampled_from(["int64", "int32", "int8", "uint16"]))
    if dtype in ("int8",):
        low, span = max(-100, min(low, 100)), min(span, 27)
    if dtype == "uint16":
        low = abs(low)
    k = draw(st.lists(st.integers(low, low + span - 1), min_size=n, max_size=n))
    x = draw(st.lists(floats, min_size=n, max_size=n))
    y = draw(st.lists(floats, min_size=n, max_size=n))
    return pd.DataFrame({"k": np.array(k, dtype=dtype), "x": x, "y": y},
                        index=pd.RangeIndex(100, 100 + n).astype("int64"))


@settings(max_examples=150, deadline=None)
@given(frames())
def test_partition_scan_and_totals_are_pandas_own(pdf):
    grouped = pdf.groupby("k", sort=False, observed=True)
    for selection, expected in (("x", grouped["x"].cumsum()), (("x", "y"), grouped[["x", "y"]].cumsum()),
                                (None, grouped.cumsum())):
        values = ["x"] if selection == "x" else ["x", "y"]
        state = groupby_scan._kernel_scan(pdf, ["k"], values, selection, "cumsum")
        assert state is not None
        scan, totals, codes = state
        if isinstance(expected, pd.Series):
            pd.testing.assert_series_equal(scan, expected, check_exact=True)
        else:
            pd.testing.assert_frame_equal(scan, expected, check_exact=True)
        sums = grouped[values].sum()
        # (pandas 3.1 sums groups of sorted keys without missing values by np.add.reduceat, not by its
        # compensated group_sum kernel that the totals come from: the last bit may differ)
        pd.testing.assert_frame_equal(totals.set_index("k").sort_index(), sums.sort_index(), check_exact=False,
                                      rtol=1e-13, atol=0, check_index_type=False)  # (dtype checked below)
        assert list(totals.columns) == ["k", *values] and totals.k.dtype == pdf.k.dtype
        assert (totals.k.to_numpy()[codes] == pdf.k.to_numpy()).all()  # each row's group in the totals


@settings(max_examples=60, deadline=None)
@given(frames(), st.integers(1, 6))
def test_scan_across_partitions_matches_pandas(pdf, npartitions):
    df = gd.from_pandas(pdf, npartitions=min(npartitions, len(pdf)))
    assert_eq(df.groupby("k").x.cumsum(), pdf.groupby("k").x.cumsum())
    assert_eq(df.groupby("k").cumsum(), pdf.groupby("k").cumsum())


def test_other_cases_take_the_grouping_path():
    pdf = pd.DataFrame({"k": [1, 2, 1], "x": [1.0, 2.0, 3.0], "i": [1, 2, 3], "f": np.float32([1, 2, 3])})
    assert groupby_scan._kernel_scan(pdf, ["k"], ["i"], "i", "cumsum") is None  # integer values
    assert groupby_scan._kernel_scan(pdf, ["k"], ["f"], "f", "cumsum") is None  # float32 values
    assert groupby_scan._kernel_scan(pdf, ["k"], ["x"], "x", "cumprod") is None
    assert groupby_scan._kernel_scan(pdf, ["k", "i"], ["x"], "x", "cumsum") is None
    assert groupby_scan._kernel_scan(pdf.assign(k=[1.0, 2.0, 1.0]), ["k"], ["x"], "x", "cumsum") is None
    wide = pdf.assign(k=[0, 1 << 20, 0])  # a key range too wide to number by subtraction
    assert groupby_scan._kernel_scan(wide, ["k"], ["x"], "x", "cumsum") is None
    assert groupby_scan._kernel_scan(pdf.iloc[:0], ["k"], ["x"], "x", "cumsum") is None
    extremes = pd.DataFrame({"k": np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max]), "x": [1.0, 2.0]})
    assert groupby_scan._kernel_scan(extremes, ["k"], ["x"], "x", "cumsum") is None


def test_wide_keys_and_empty_partitions_across_partitions():
    rng = np.random.default_rng(4)
    pdf = pd.DataFrame({"k": rng.choice([-(1 << 40), 0, 5, 1 << 40], 200), "x": rng.normal(size=200)})
    df = gd.from_pandas(pdf, npartitions=5)
    assert_eq(df.groupby("k").x.cumsum(), pdf.groupby("k").x.cumsum())
    narrow = pdf.assign(k=rng.integers(0, 9, 200))
    df = gd.from_pandas(narrow, npartitions=5)
    df, expected = df[df.x > 0.3], narrow[narrow.x > 0.3]
    assert_eq(df.groupby("k").x.cumsum(), expected.groupby("k").x.cumsum())


@pytest.mark.parametrize("selection", ["x", ["x", "y"]])
def test_mixed_partitions_kernel_and_grouping_paths(selection):
    # partitions whose key range is narrow take the kernel path, a wide one the grouping path; their totals fold
    k = np.r_[np.arange(10) % 3, [0, 1 << 30, 2, 1], np.arange(10) % 4]
    pdf = pd.DataFrame({"k": k, "x": np.arange(24.0), "y": np.linspace(-1, 1, 24)})
    df = gd.from_pandas(pdf, npartitions=3, sort=False)
    assert_eq(df.groupby("k")[selection].cumsum(), pdf.groupby("k")[selection].cumsum())


def test_index_level_and_array_keys_take_the_grouping_path():
    pdf = pd.DataFrame({"x": [1.0, 2.0, 3.0]}, index=pd.Index([1, 2, 1], name="k"))
    assert groupby_scan._kernel_scan(pdf, ["k"], ["x"], "x", "cumsum") is None
    assert groupby_scan._kernel_scan(pdf, [np.array([1, 2, 1])], ["x"], "x", "cumsum") is None
    df = gd.from_pandas(pdf, npartitions=2, sort=False)
    assert_eq(df.groupby("k").x.cumsum(), pdf.groupby("k").x.cumsum())
