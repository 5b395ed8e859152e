"""The warning of ``groupby().shift()`` without ``meta`` names shift's own arguments."""

from __future__ import annotations

import warnings

import pandas as pd

import gpuscale.dataframe as gd


def test_groupby_shift_warning_names_shift_arguments(backend):
    df = gd.from_pandas(pd.DataFrame({"k": [1, 2, 1], "x": [1.0, 2.0, 3.0]}), npartitions=1, backend=backend)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df.groupby("k").shift(1)
    text = " ".join(str(w.message) for w in caught)
    assert "meta" in text and "func" not in text and ".shift(1, meta=" in text
