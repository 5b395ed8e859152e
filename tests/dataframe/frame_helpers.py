"""Helpers shared by the dataframe tests."""

from __future__ import annotations

import pandas as pd


def to_host(obj):
    """Computed result on the host (cuDF -> pandas)."""
    from gpuscale.backends import to_host as _to_host

    return _to_host(obj)


def check_by_index(result, expected, **kwargs):
    """``result`` computed equals the pandas ``expected``: same type, rows compared in index order."""
    from tests.dataframe import host_testing as tm

    got = to_host(result.compute())
    assert type(got) is type(expected)
    if isinstance(expected, pd.DataFrame):
        tm.assert_frame_equal(got.sort_index(), expected.sort_index(), **kwargs)
    else:
        tm.assert_series_equal(got.sort_index(), expected.sort_index(), **kwargs)


def sort_rows(obj):
    """Rows in a canonical order (for results whose row order is not defined)."""
    obj = to_host(obj)
    if isinstance(obj, pd.Series):
        return obj.sort_values(kind="stable").reset_index(drop=True)
    return obj.sort_values(list(obj.columns), kind="stable").reset_index(drop=True)


def skip_on_stand_in(reason: str) -> None:
    """Skip in the strict cuDF leg (e.g. worker processes of a cluster have no stand-in)."""
    import sys

    import pytest

    if getattr(sys.modules.get("cudf"), "STRICT_STAND_IN", False):
        pytest.skip(f"strict cuDF stand-in: {reason}")
