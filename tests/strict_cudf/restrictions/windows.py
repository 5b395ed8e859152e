"""Windows: the ``rolling`` and ``resample`` options cuDF takes."""

from __future__ import annotations

from typing import Any

import pytest

from .base import Restriction


def _rolling_options(args: tuple, kwargs: dict) -> str | None:
    # (window, min_periods, center, win_type, on, axis, closed, step, method); groupby rolling passes them on
    def given(name: str, position: int, default: Any = None) -> Any:
        return kwargs.get(name, args[position] if len(args) > position else default)

    window = given("window", 0)
    if given("closed", 6) not in (None, "right"):
        return "closed is currently not supported"
    if given("center", 2, False) and (isinstance(window, str) or hasattr(window, "total_seconds")):
        return "center is not implemented for frequency-based windows"
    if given("on", 4) is not None or given("step", 7) is not None or given("method", 8, "single") != "single":
        return "on/step/method are currently not supported"
    if given("win_type", 3) not in (None, "boxcar"):
        return "Only the default win_type 'boxcar' is currently supported"
    return None


def _verify_rolling(cudf: Any) -> None:
    import types

    import pandas as pd

    from cudf.core.window.rolling import Rolling, RollingGroupby

    assert issubclass(RollingGroupby, Rolling)  # groupby rolling takes the same checks
    for kwargs in ({"closed": "both"}, {"closed": "left"}, {"on": "x"}, {"step": 2}, {"method": "table"}):
        with pytest.raises(NotImplementedError, match="not supported"):
            cudf.DataFrame().rolling(3, **kwargs)
    with pytest.raises(NotImplementedError, match="Only the default win_type 'boxcar'"):
        cudf.DataFrame().rolling(3, win_type="triang")
    cudf.DataFrame().rolling(3, win_type="boxcar")  # (taken)
    with pytest.raises(NotImplementedError, match="center"):  # raised when the windows are made, before the data
        Rolling._plc_windows.func(types.SimpleNamespace(window=pd.Timedelta("2h"), center=True))


def _resample_options(args: tuple, kwargs: dict) -> str | None:
    # (rule, closed, label, convention, on, level, origin, offset, group_keys)
    def given(name: str, position: int, default: Any = None) -> Any:
        return kwargs.get(name, args[position] if len(args) > position else default)

    if given("origin", 6, "start_day") != "start_day" or given("offset", 7) is not None:
        return "origin/offset is currently not supported."
    if given("convention", 3, "start") != "start" or given("group_keys", 8, False):
        return "convention/group_keys is currently not supported."
    return None


def _verify_resample(cudf: Any) -> None:
    import pandas as pd

    for kwargs in ({"origin": pd.Timestamp("2020")}, {"origin": "epoch"}, {"offset": "1h"}, {"convention": "end"},
                   {"group_keys": True}):
        with pytest.raises(NotImplementedError, match="not supported"):
            cudf.DataFrame().resample("1h", **kwargs)  # refused before the index is looked at


def _ewm_options(args: tuple, kwargs: dict) -> str | None:
    # (com, span, halflife, alpha, min_periods, adjust, ignore_na, axis, times, method)
    def given(name: str, position: int, default: Any = None) -> Any:
        return kwargs.get(name, args[position] if len(args) > position else default)

    if given("min_periods", 4, 0) != 0:
        return "min_periods is currently not supported."
    if given("ignore_na", 6, False) is not False or given("axis", 7, 0) != 0:
        return "ignore_na/axis is currently not supported."
    if given("times", 8) is not None or given("method", 9, "single") != "single":
        return "times/method is currently not supported."
    return None


def _verify_ewm(cudf: Any) -> None:
    for kwargs in ({"min_periods": 1}, {"ignore_na": True}, {"times": "t"}, {"method": "table"}):
        with pytest.raises(NotImplementedError, match="not supported"):
            cudf.DataFrame().ewm(com=1.0, **kwargs)


RESTRICTIONS = [
    Restriction(("DataFrame", "Series"), "ewm", _ewm_options, _verify_ewm),
    Restriction(("DataFrame", "Series", "DataFrameGroupBy", "SeriesGroupBy"), "rolling", _rolling_options,
                _verify_rolling),
    Restriction(("DataFrame", "Series"), "resample", _resample_options, _verify_resample),
]
