"""cuDF partitions never pass through a pandas frame on the host: decoded by ``cudf.read_parquet``, or (the
fallback for files that differ from the dataset's schema) from Arrow straight to the device."""

from __future__ import annotations

import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from io_fixtures import parquet_file, parquet_folder, pdf  # noqa: F401 (fixtures)


@pytest.fixture
def no_pandas_conversion(backend, monkeypatch):
    """On the cuDF legs, fail if a read converts a pandas frame to cuDF."""
    if backend != "cudf":
        pytest.skip("the cuDF decode path")

    import cudf  # the stand-in on the strict-cudf leg (installed in sys.modules), the real one on the GPU leg
    from_pandas = cudf.from_pandas

    def refuse_frames(obj, *args, **kwargs):  # a small index of row positions may still come from NumPy
        if type(obj).__name__ == "DataFrame":
            raise AssertionError("a pandas DataFrame went through pandas on its way to cuDF")
        return from_pandas(obj, *args, **kwargs)
    monkeypatch.setattr(cudf, "from_pandas", refuse_frames)


@pytest.mark.parametrize("filtered", [False, True])
def test_parquet_reads_decode_into_cudf(parquet_file, pdf, no_pandas_conversion, filtered):  # noqa: F811
    df = gd.read_parquet(parquet_file)
    expected = pdf
    if filtered:
        df, expected = df[df.i > 40], pdf[pdf.i > 40]
    assert_eq(df, expected)


def test_parquet_folder_with_an_index_column(parquet_folder, pdf, no_pandas_conversion):  # noqa: F811
    assert_eq(gd.read_parquet(parquet_folder, index="i"), pdf.set_index("i"))


def test_the_arrow_fallback_also_skips_pandas(tmp_path, no_pandas_conversion):
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"a": pa.array([1, 2], pa.int32())}), tmp_path / "0.parquet")
    pq.write_table(pa.table({"a": pa.array([3, 4], pa.int64())}), tmp_path / "1.parquet")
    df = gd.read_parquet(str(tmp_path))
    assert df.expr.reader.startswith("pyarrow")
    assert_eq(df, pd.DataFrame({"a": [1, 2, 3, 4]}))
