"""``to_datetime`` of text over several partitions where pandas guesses no format: all values missing (all
``NaT``, was an AttributeError), or a first value giving no guess (pandas parses each value alone, the same in
every partition; each partition guessed its own format, reading ``02/03/2024`` as March)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from frame_helpers import skip_on_stand_in, to_host

import gpuscale.dataframe as gd


def _compare(s, npartitions=2, same_unit=True, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (pandas: "Could not infer format ...")
        expected = pd.to_datetime(s, **kwargs)
        result = gd.to_datetime(gd.from_pandas(s, npartitions=npartitions), **kwargs)
        computed = to_host(result.compute())
    assert computed.isna().tolist() == expected.isna().tolist()
    assert computed.dropna().tolist() == expected.dropna().tolist()
    if same_unit:
        assert str(result.dtype) == str(computed.dtype)
    assert getattr(computed.dtype, "tz", None) == getattr(expected.dtype, "tz", None)


@pytest.mark.parametrize("dtype", ["object", "str"])
@pytest.mark.parametrize("kwargs", [{}, {"utc": True}, {"errors": "coerce"}])
def test_all_missing_text_is_all_nat(dtype, kwargs):
    _compare(pd.Series([None] * 4, dtype=dtype), **kwargs)
    _compare(pd.Series([None] * 5, dtype=dtype), npartitions=3, **kwargs)


def test_unguessable_first_text_parses_each_value_as_pandas():
    _compare(pd.Series(["bad", "01/02/2024", "13/02/2024", "02/03/2024"]), errors="coerce")
    _compare(pd.Series([None, "bad", "01/02/2024", "13/02/2024", "02/03/2024", "03/04/2024"]), npartitions=3,
             errors="coerce")


def test_unguessable_first_text_dayfirst():
    _compare(pd.Series(["bad", "01/02/2024", "13/02/2024", "02/03/2024"]), errors="coerce", dayfirst=True)


def test_non_text_first_value_parses_each_value_as_pandas():
    skip_on_stand_in("cuDF holds no column of mixed types")
    # (a number parses to nanoseconds, text alone to microseconds: the partitions' units differ, as pandas')
    _compare(pd.Series([1, "2024-01-02", "01/04/2024", "2024-01-05"], dtype=object), same_unit=False,
             errors="coerce")
    _compare(pd.Series([pd.Timestamp("2024-01-01"), "2024-01-02", "01/04/2024", "2024-01-05"], dtype=object),
             same_unit=False)
