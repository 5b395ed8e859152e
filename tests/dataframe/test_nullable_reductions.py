"""Reductions of nullable columns (missing values as ``pd.NA``) across partitions, against pandas."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd


@pytest.mark.parametrize("values", [[True, None, True, True], [False, None, True, True], [None, None, True, True],
                                    [False, False, None, False]])
@pytest.mark.parametrize("npartitions", [1, 2, 4])
def test_any_all_of_missing_values_as_pandas(backend, values, npartitions):
    """pandas' three-valued any/all with ``skipna=False`` (the partitions' NA answers raised "boolean value of NA
    is ambiguous" when combined)."""
    s = pd.Series(values, dtype="boolean")
    ds = gd.from_pandas(s, npartitions=npartitions, backend=backend)
    for how in ("any", "all"):
        for skipna in (True, False):
            got, expected = getattr(ds, how)(skipna=skipna).compute(), getattr(s, how)(skipna=skipna)
            assert (got is pd.NA and expected is pd.NA) or bool(got) == bool(expected), (how, skipna, got, expected)
