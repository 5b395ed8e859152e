"""Element-wise operations on a lazy Index shift its divisions (a fixed amount added) or forget them, so that
``.loc`` afterwards selects pandas' rows."""

from __future__ import annotations

import pandas as pd
import pytest
from frame_helpers import to_host

import gpuscale.dataframe as gd

DATES = pd.DataFrame({"a": range(8)}, index=pd.date_range("2024-01-01", periods=8, freq="D"))
INTS = pd.DataFrame({"a": range(8)})

OPS = [
    ("dates + 10 days", DATES, lambda i: i + pd.Timedelta("10D"), slice("2024-01-16", None)),
    ("dates + Hour", DATES, lambda i: i + pd.offsets.Hour(30), slice("2024-01-04", "2024-01-06")),
    ("days + dates", DATES, lambda i: pd.Timedelta("3D") + i, slice("2024-01-05", "2024-01-08")),
    ("dates - MonthEnd", DATES, lambda i: i - pd.offsets.MonthEnd(), slice("2023-12-31", "2023-12-31")),
    ("dates + MonthEnd", DATES, lambda i: i + pd.offsets.MonthEnd(), slice("2024-01-31", None)),
    ("timestamp - dates", DATES, lambda i: pd.Timestamp("2024-02-01") - i, slice(pd.Timedelta("24D"),
                                                                                  pd.Timedelta("27D"))),
    ("ints + 100", INTS, lambda i: i + 100, slice(103, 105)),
    ("ints - 0.5", INTS, lambda i: i - 0.5, slice(3, 5)),
    ("ints * 2", INTS, lambda i: i * 2, slice(5, 9)),
    ("-ints", INTS, lambda i: -i, slice(-5, -2)),
    ("abs(ints - 4)", INTS, lambda i: abs(i - 4), slice(1, 2)),
    ("ints // 3", INTS, lambda i: i // 3, slice(1, 1)),
    ("ints.astype(str)", INTS, lambda i: i.astype(str), slice("2", "5")),
    ("ints.astype(float)", INTS, lambda i: i.astype(float), slice(2.5, 5)),
]


@pytest.mark.parametrize("label,pdf,op,key", OPS, ids=[o[0] for o in OPS])
@pytest.mark.parametrize("npartitions", [2, 3])
def test_loc_after_index_operation_matches_pandas(label, pdf, op, key, npartitions):
    expected = op(pdf.index).to_series()
    result = op(gd.from_pandas(pdf, npartitions=npartitions).index).to_series()
    if expected.index.is_monotonic_increasing:
        assert to_host(result.loc[key].compute()).tolist() == expected.loc[key].tolist()
    if result.known_divisions:  # known divisions must bound every partition's values
        parts = [to_host(p.compute()) for p in result.partitions]
        for lo, hi, part in zip(result.divisions[:-1], result.divisions[1:], parts):
            assert part.index.min() >= lo and part.index.max() <= hi, label


def test_shifted_divisions_are_dasks_for_a_fixed_amount():
    result = gd.from_pandas(DATES, npartitions=2).index + pd.Timedelta("10D")
    assert result.divisions == tuple(pd.Timestamp(d) for d in ("2024-01-11", "2024-01-15", "2024-01-18"))
    assert (gd.from_pandas(INTS, npartitions=2).index + 100).divisions == (100, 104, 107)


def test_decreasing_operations_forget_the_divisions():
    index = gd.from_pandas(DATES, npartitions=2).index
    assert not (pd.Timestamp("2025-01-01") - index).known_divisions
    assert not (-gd.from_pandas(INTS, npartitions=2).index).known_divisions


def test_set_index_then_index_arithmetic():
    frame = gd.from_pandas(INTS.assign(b=range(10, 18)), npartitions=2).set_index("b")
    shifted = (frame.index + 5).to_series()
    expected = (INTS.assign(b=range(10, 18)).set_index("b").index + 5).to_series()
    assert to_host(shifted.loc[19:21].compute()).tolist() == expected.loc[19:21].tolist()


def test_values_arithmetic_keeps_the_divisions():
    frame = gd.from_pandas(DATES, npartitions=2)
    assert (frame.a + 100).divisions == frame.divisions
    assert to_host((frame.a + 100).loc["2024-01-05":].compute()).tolist() == \
        (DATES.a + 100).loc["2024-01-05":].tolist()
