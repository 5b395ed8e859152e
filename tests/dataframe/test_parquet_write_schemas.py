"""The "already exists" hint of each writer."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd


@pytest.mark.parametrize("writer", ["to_json", "to_orc", "to_csv"])
def test_existing_files_error_names_only_the_writers_own_options(tmp_path, writer):
    pdf = pd.DataFrame({"x": [1, 2]})
    df = gd.from_pandas(pdf, npartitions=1)
    path = str(tmp_path / "out")
    target = {"to_json": f"{path}/*.json", "to_orc": path, "to_csv": f"{path}/*.csv"}[writer]
    options: dict = {}
    getattr(df, writer)(target, **options)
    with pytest.raises(FileExistsError) as info:
        getattr(df, writer)(target, **options)
    assert ("mode='w'" in str(info.value)) == (writer == "to_csv")
    assert "to_csv" not in str(info.value)
    if writer == "to_csv":
        getattr(df, writer)(target, mode="w")  # the hint works
