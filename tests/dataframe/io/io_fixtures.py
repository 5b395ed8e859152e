"""Fixtures for the IO tests (imported by name: a conftest here would shadow tests/dataframe/conftest.py)."""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def pdf() -> pd.DataFrame:
    """100 rows: ints, floats with NaN, strings, dates, a low-cardinality key."""
    rng = np.random.default_rng(0)
    n = 100
    floats = rng.normal(size=n)
    floats[::17] = np.nan
    return pd.DataFrame({
        "i": np.arange(n, dtype="int64"),
        "f": floats,
        "s": [f"s{j % 7}" for j in range(n)],
        "d": pd.date_range("2024-01-01", periods=n, freq="h"),
        "k": [j % 3 for j in range(n)],
    })


@pytest.fixture
def parquet_file(tmp_path, pdf) -> str:
    """One parquet file with row groups of 10 rows (10 row groups)."""
    path = str(tmp_path / "data.parquet")
    pdf.to_parquet(path, row_group_size=10)
    return path


@pytest.fixture
def parquet_folder(tmp_path, pdf) -> str:
    """A folder of 4 parquet files of 25 rows (row groups of 5 rows)."""
    folder = tmp_path / "folder"
    folder.mkdir()
    for j in range(4):
        pdf.iloc[j * 25:(j + 1) * 25].to_parquet(folder / f"part-{j}.parquet", row_group_size=5, index=False)
    return str(folder)


@pytest.fixture
def memory_root():
    """A unique ``memory://`` folder, removed afterwards."""
    import fsspec

    root = f"memory://gpuscale-io-{uuid.uuid4().hex[:8]}"
    yield root
    fs = fsspec.filesystem("memory")
    if fs.exists(root):
        fs.rm(root, recursive=True)


# the nullable types cuDF's writer may record (the values of cuDF's PARQUET_META_TYPE_MAP, but for strings)
_CUDF_META_TYPES = {"UInt8", "UInt16", "UInt32", "UInt64", "Int8", "Int16", "Int32", "Int64", "boolean", "Float32",
                    "Float64"}


def read_back_parquet(path, backend: str) -> pd.DataFrame:
    """``pandas.read_parquet`` of files gpuscale wrote, compared as the partitions' dtypes.

    cuDF's parquet writer records a column with a null mask as pandas' nullable type in the file's pandas
    metadata (``numpy_type`` "Float64", "Int64"...: ``cudf.utils.ioutils._update_pandas_metadata_types_inplace``),
    and ``cudf.from_pandas`` turns NaN into nulls, so pandas reads a float column with NaN written from cuDF
    partitions back as ``Float64`` (as it reads dask-cudf's files).  On the cuDF legs such columns are
    compared as the NumPy type they have in cuDF; values are compared unchanged.
    """
    frame = pd.read_parquet(path)
    if backend != "cudf":
        return frame
    nullable = {name: dtype.numpy_dtype for name, dtype in frame.dtypes.items() if str(dtype) in _CUDF_META_TYPES
                and (dtype.numpy_dtype.kind == "f" or not frame[name].isna().any())}
    return frame.astype(nullable)
