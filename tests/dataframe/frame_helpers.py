"""Helpers shared by the dataframe tests."""

from __future__ import annotations

import pandas as pd


def to_host(obj):
    """Computed result on the host (cuDF -> pandas)."""
    from gpuscale.backends import to_host as _to_host

    return _to_host(obj)


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
