"""``sort_values(key=)`` with keys that call pandas functions (``pd.Categorical``, ``pd.to_numeric``): the key is
applied to each partition's column, never to the lazy collection (which pandas functions computed whole on the
client, or refused)."""

from __future__ import annotations

import numpy as np
import pandas as pd

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

SIZES = ["high", "med", "low", "low", "med", "high", "med", "low", "high", "low"]


def _ordered(s):
    return pd.Categorical(s, ["low", "med", "high"], ordered=True)


def _numbers(s):
    return pd.to_numeric(s, errors="coerce")


def _frame():
    return pd.DataFrame({"size": SIZES, "text": ["3", "x", "1", "10", "2", "?", "7", "0", "5", "4"],
                         "y": range(10)})


def test_sort_values_key_of_an_ordered_categorical_follows_the_categories(backend):
    skip_on_stand_in("pd.Categorical of a cuDF Series reads its values on the host, which cuDF refuses")
    pdf = _frame()
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    for ascending in (True, False):
        got = df.sort_values("size", key=_ordered, ascending=ascending)
        tm.assert_frame_equal(to_host(got.compute()), pdf.sort_values("size", key=_ordered, ascending=ascending,
                                                                      kind="stable"))
    # the global order is the categories' (low, med, high), not the alphabet's (high, low, med)
    order = to_host(df.sort_values("size", key=_ordered, npartitions=3).compute())["size"].tolist()
    assert order == ["low"] * 4 + ["med"] * 3 + ["high"] * 3


def test_sort_values_key_of_to_numeric_and_of_a_series(backend):
    skip_on_stand_in("pd.to_numeric of a cuDF Series reads its values on the host, which cuDF refuses")
    pdf = _frame()
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    tm.assert_frame_equal(to_host(df.sort_values("text", key=_numbers).compute()),
                          pdf.sort_values("text", key=_numbers, kind="stable"))
    tm.assert_frame_equal(to_host(df.sort_values(["size", "text"], key=lambda s: np.asarray(s.str.len())).compute()),
                          pdf.sort_values(["size", "text"], key=lambda s: np.asarray(s.str.len()), kind="stable"))
    tm.assert_series_equal(to_host(df["size"].sort_values(key=_ordered).compute()),
                           pdf["size"].sort_values(key=_ordered, kind="stable"))
    tm.assert_frame_equal(to_host(df.sort_values("size", key=_ordered, ignore_index=True).compute()),
                          pdf.sort_values("size", key=_ordered, kind="stable", ignore_index=True))


def test_sort_values_key_is_not_called_on_the_lazy_collection(backend):
    pdf = _frame()
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    seen = []

    def key(s):
        seen.append(type(s).__module__.split(".")[0])
        return s.str.len()

    out = df.sort_values("size", key=key)
    assert "gpuscale" not in seen
    tm.assert_frame_equal(to_host(out.compute()), pdf.sort_values("size", key=lambda s: s.str.len(), kind="stable"))
    assert "gpuscale" not in seen


def test_sort_values_key_that_changes_the_length_is_refused(backend):
    import pytest

    df = gd.from_pandas(_frame(), npartitions=2, backend=backend)
    with pytest.raises(ValueError, match="shape"):
        df.sort_values("y", key=lambda s: s.iloc[:1]).compute()
