"""The comparison that judges every TPC-H answer: it must accept equivalent answers and reject wrong ones."""

from __future__ import annotations

import datetime
import decimal

import pandas as pd
import pytest

from benchmarks.tpch import engines, reference


def _q3_like(revenue=(10.0, 5.0, 5.0), dates=("1995-01-02", "1995-01-01", "1995-01-01"), keys=(1, 2, 3)):
    return pd.DataFrame({"l_orderkey": list(keys), "revenue": list(revenue),
                         "o_orderdate": pd.to_datetime(list(dates)), "o_shippriority": [0, 0, 0]})


def test_equal_answers_pass():
    reference.compare(_q3_like(), _q3_like(), 3)


def test_ties_in_the_order_keys_may_come_in_any_order():
    reference.compare(_q3_like(keys=(1, 3, 2)), _q3_like(), 3)


def test_wrong_order_fails():
    actual = _q3_like(revenue=(5.0, 10.0, 5.0), dates=("1995-01-01", "1995-01-02", "1995-01-01"), keys=(2, 1, 3))
    with pytest.raises(AssertionError, match="ORDER BY column 'revenue'"):
        reference.compare(actual, _q3_like(), 3)


def test_wrong_value_fails():
    with pytest.raises(AssertionError, match="column 'l_orderkey'"):
        reference.compare(_q3_like(keys=(1, 2, 4)), _q3_like(), 3)


def test_missing_row_and_renamed_column_fail():
    with pytest.raises(AssertionError, match="2 rows != expected 3"):
        reference.compare(_q3_like().head(2), _q3_like(), 3)
    with pytest.raises(AssertionError, match="columns"):
        reference.compare(_q3_like().rename(columns={"revenue": "rev"}), _q3_like(), 3)


def test_float_tolerance_and_type_normalisation():
    expected = pd.DataFrame({"O_YEAR": [1995], "mkt_share": [decimal.Decimal("0.0344")]})
    actual = pd.DataFrame({"o_year": pd.array([1995], dtype="int32"), "mkt_share": [0.0344 * (1 + 1e-9)]})
    reference.compare(actual, expected, 8)
    with pytest.raises(AssertionError, match="mkt_share"):
        reference.compare(actual.assign(mkt_share=0.0345), expected, 8)


def test_dates_as_python_dates_match_timestamps():
    expected = _q3_like().assign(o_orderdate=[datetime.date(1995, 1, 2), datetime.date(1995, 1, 1),
                                               datetime.date(1995, 1, 1)])
    reference.compare(_q3_like(), expected, 3)


def test_sum_over_no_rows_is_null_in_sql_and_zero_in_pandas():
    reference.compare(pd.DataFrame({"avg_yearly": [0.0]}), pd.DataFrame({"avg_yearly": [None]}), 17)


@pytest.mark.parametrize("spec, numbers", [("1-3", [1, 2, 3]), ("22,1,5-6", [1, 5, 6, 22]), ("7", [7])])
def test_parse_queries(spec, numbers):
    assert engines.parse_queries(spec) == numbers


def test_parse_queries_rejects_unknown_numbers():
    with pytest.raises(ValueError, match=r"\[23\]"):
        engines.parse_queries("20-23")
