"""A mask pushed into a parquet scan keeps the rows pandas keeps, whatever the row groups: ``!=`` holds for NaN,
and pyarrow's statistics leave NaN out (a row group ``[1.0, NaN]`` records min = max = 1.0), so a float column's
``!=`` must skip no row group; user ``filters=`` keep pyarrow's meaning."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

NAN = float("nan")
# (column, Arrow values, value compared, dtype_backend)
CASES = {
    "float": (pa.array([1.0, NAN, None, 1.0, 3.0, NAN, 1.0, 4.0]), 1.0, None),
    "float32": (pa.array([1.0, NAN, None, 1.0, 3.0, NAN, 1.0, 4.0], pa.float32()), 1.0, None),
    "int_nulls": (pa.array([1, None, 2, 1, 1, None, 3, 1]), 1, None),
    "string": (pa.array(["a", None, "b", "a", "a", None, "c", "a"]), "a", None),
    "Float64": (pa.array([1.0, NAN, None, 1.0, 3.0, NAN, 1.0, 4.0]), 1.0, "numpy_nullable"),
    "Int64": (pa.array([1, None, 2, 1, 1, None, 3, 1]), 1, "numpy_nullable"),
    "float_arrow": (pa.array([1.0, NAN, None, 1.0, 3.0, NAN, 1.0, 4.0]), 1.0, "pyarrow"),
}


def _write(tmp_path, name, row_group_size):
    values, value, dtype_backend = CASES[name]
    path = str(tmp_path / f"{name}_{row_group_size}.parquet")
    pq.write_table(pa.table({"x": list(range(8)), "c": values}), path, row_group_size=row_group_size)
    options = {} if dtype_backend is None else {"dtype_backend": dtype_backend}
    return path, value, options


QUERIES = {
    "ne": lambda df, v: df[df.c != v],
    "not_isin": lambda df, v: df[~df.c.isin([v])],
    "ne_and": lambda df, v: df[(df.c != v) & (df.x > 0)],
    "and_ne": lambda df, v: df[(df.x < 7) & (df.c != v)],
    "ne_then_ne": lambda df, v: df[df.c != v][lambda d: d.x != 4],
}


@pytest.mark.parametrize("row_group_size", [1, 2, 3, 4, 8])
@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("query", list(QUERIES))
def test_pushed_ne_keeps_pandas_rows(tmp_path, backend, name, row_group_size, query):
    path, value, options = _write(tmp_path, name, row_group_size)
    if options and backend == "cudf":
        skip_on_stand_in("dtype_backend= is pandas' (cuDF has its own nullable dtypes)")
    expected = QUERIES[query](pd.read_parquet(path, **options), value)
    got = to_host(QUERIES[query](gd.read_parquet(path, **options), value).compute())
    assert got.x.tolist() == expected.x.tolist()
    assert list(got.index) == list(expected.index)


@pytest.mark.parametrize("row_group_size", [1, 2, 4])
def test_user_filters_keep_pyarrows_meaning(tmp_path, backend, row_group_size):
    # filters= follow pyarrow (and pandas' read_parquet): its statistics may skip a NaN with the row group
    if backend == "cudf":
        pytest.skip("cuDF partitions apply filters= on the device, NaN as missing (see backends/io/cudf.py)")
    path, value, _ = _write(tmp_path, "float", row_group_size)
    expected = pd.read_parquet(path, filters=[("c", "!=", value)])
    got = to_host(gd.read_parquet(path, filters=[("c", "!=", value)]).compute())
    assert got.x.tolist() == expected.x.tolist()


def test_ne_on_a_float_column_is_not_pushed(tmp_path):
    path, value, _ = _write(tmp_path, "float", 2)
    df = gd.read_parquet(path)
    (leaf,) = df[(df.c != value) & (df.x > 0)].expr.optimize(fuse=False).find_operations(gd.io.ReadParquet)
    assert leaf._filters[1] == [("x", ">", 0)]
