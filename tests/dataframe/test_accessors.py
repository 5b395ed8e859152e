"""The .str and .dt accessors against pandas."""

from __future__ import annotations

from tests.dataframe import host_testing as tm
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

STRING_OPS = {
    "startswith": lambda s: s.str.startswith("a"),
    "endswith": lambda s: s.str.endswith("e"),
    "contains-literal": lambda s: s.str.contains("an", regex=False),
    "contains-regex": lambda s: s.str.contains(r"^[A-Z].*a$"),
    "slice": lambda s: s.str.slice(1, 3),
    "getitem-slice": lambda s: s.str[:2],
    "strip": lambda s: s.str.strip(),
    "len": lambda s: s.str.len(),
    "lower": lambda s: s.str.lower(),
    "upper": lambda s: s.str.upper(),
    "replace": lambda s: s.str.replace("a", "A", regex=False),
}
DATETIME_OPS = {
    "year": lambda s: s.dt.year, "month": lambda s: s.dt.month, "day": lambda s: s.dt.day,
    "hour": lambda s: s.dt.hour, "dayofweek": lambda s: s.dt.day_of_week, "date": lambda s: s.dt.date,
    "floor": lambda s: s.dt.floor("D"),
    "day_name": lambda s: s.dt.day_name(), "month_name": lambda s: s.dt.month_name(),
}


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=4, backend=backend)


@pytest.mark.parametrize("name", list(STRING_OPS))
def test_string_methods(df, pdf, name):
    op = STRING_OPS[name]
    tm.assert_series_equal(to_host(op(df.s).compute()), op(pdf.s))


@pytest.mark.parametrize("name", list(DATETIME_OPS))
def test_datetime_properties(df, pdf, name, backend):
    op = DATETIME_OPS[name]
    if name == "date" and backend == "cudf":  # cuDF holds no Python date objects (its dt.date is a raising stub)
        with pytest.raises(NotImplementedError, match="cuDF cannot hold"):
            op(df.t)
        return
    tm.assert_series_equal(to_host(op(df.t).compute()), op(pdf.t))


def test_accessor_in_filter(df, pdf):
    tm.assert_frame_equal(to_host(df[df.s.str.startswith("d") & (df.t.dt.month == 2)].compute()),
                          pdf[pdf.s.str.startswith("d") & (pdf.t.dt.month == 2)])


def test_wrong_dtype_accessor_is_clear(df):
    with pytest.raises(AttributeError, match="column 'x' has dtype float64"):
        df.x.str
    with pytest.raises(AttributeError, match="no attribute 'bogus'"):
        df.s.str.bogus
