"""``pandas.testing``'s asserters, on results moved to the host first.

Imported as ``tm`` by the dataframe tests, so one test body compares pandas, the strict
cuDF stand-in and real cuDF results with pandas' expected values.
"""

from __future__ import annotations

import pandas.testing as _tm

from tests.dataframe.frame_helpers import to_host


def assert_frame_equal(left, right, **kwargs):
    _tm.assert_frame_equal(to_host(left), to_host(right), **kwargs)


def assert_series_equal(left, right, **kwargs):
    _tm.assert_series_equal(to_host(left), to_host(right), **kwargs)


def assert_index_equal(left, right, **kwargs):
    _tm.assert_index_equal(to_host(left), to_host(right), **kwargs)
