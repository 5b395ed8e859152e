"""``to_parquet(append=True)`` takes a column the dataset stored with Arrow's null type (all missing in the first
write) as fitting any type, and an all-missing column of the new partitions as fitting the dataset's type (as
dask); the dataset reads back with every value."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


def _missing_as_none(values):
    return [None if pd.isna(v) else v for v in values]


@pytest.mark.parametrize("metadata_file", [False, True])
@pytest.mark.parametrize("dtype", [object, None])
@pytest.mark.parametrize("first, second", [
    ([None, None], ["late", None]),  # null type before, strings now
    (["early", None], [None, None]),  # strings before, null type now
    ([None, None], [None, None]),
])
def test_append_with_an_all_null_column(tmp_path, backend, first, second, dtype, metadata_file):
    skip_on_stand_in("cuDF has no object column of Python Nones")
    path = str(tmp_path / "ds")
    frames = [pd.DataFrame({"note": pd.Series(v, dtype=object if v == [None, None] else dtype),
                            "x": [1 + 2 * k, 2 + 2 * k]}) for k, v in enumerate((first, second))]
    gd.from_pandas(frames[0], npartitions=1).to_parquet(path, write_index=False, write_metadata_file=metadata_file)
    gd.from_pandas(frames[1], npartitions=1).to_parquet(path, write_index=False, append=True)
    expected = first + second
    assert _missing_as_none(pd.read_parquet(path).note) == expected
    got = to_host(gd.read_parquet(path).compute())
    assert _missing_as_none(got.note) == expected
    assert got.x.tolist() == [1, 2, 3, 4]
