"""Calls the real cuDF refuses although its signatures take them (tests/strict_cudf/restrictions/, checked
against cuDF by ``make test-cudf``), reached by dask-compatible features: row-wise skew/kurtosis, ``min_count``
and any/all with missing values or ``skipna=False``; ``Series.map`` / ``Index.map`` with ``na_action="ignore"``
or a pandas Series mapper.  Each gives pandas' answer on pandas and on (strict) cuDF partitions."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq


@pytest.fixture
def frames(backend):
    pdf = pd.DataFrame({"a": [1.0, np.nan, 3.0, 0.0, 5.0, 2.5, np.nan, 8.0],
                        "b": [2.0, 1.0, 0.0, 0.0, 4.0, 1.5, 0.0, 7.0],
                        "c": [0.5, 4.0, 1.0, 0.0, 2.0, 9.0, 0.0, 1.0]})
    return pdf, gd.from_pandas(pdf, npartitions=3, backend=backend)


@pytest.mark.parametrize("how", ["skew", "kurtosis"])
def test_row_wise_skew_and_kurtosis(frames, how):
    pdf, df = frames
    result = getattr(df, how)(axis=1)
    assert result.divisions == df.divisions
    assert_eq(result, getattr(pdf, how)(axis=1))


@pytest.mark.parametrize("how", ["sum", "prod"])
def test_row_wise_min_count(frames, how):
    pdf, df = frames
    assert_eq(getattr(df, how)(axis=1, min_count=3), getattr(pdf, how)(axis=1, min_count=3))
    assert_eq(getattr(df, how)(axis=1, min_count=0), getattr(pdf, how)(axis=1, min_count=0))


@pytest.mark.parametrize("how", ["any", "all"])
@pytest.mark.parametrize("skipna", [True, False])
def test_row_wise_any_all_with_missing_values(frames, how, skipna):
    pdf, df = frames
    assert_eq(getattr(df, how)(axis=1, skipna=skipna), getattr(pdf, how)(axis=1, skipna=skipna))
    complete = pdf.fillna(0.0)  # no missing value: cuDF's own row-wise path
    gcomplete = gd.from_pandas(complete, npartitions=3)
    assert_eq(getattr(gcomplete, how)(axis=1, skipna=skipna), getattr(complete, how)(axis=1, skipna=skipna))


@pytest.fixture
def values(backend):
    base = pd.Series([3.0, 1.0, np.nan, 1.0, 5.0, np.nan, 2.0], name="v", index=pd.RangeIndex(7, name="row"))
    return base, gd.from_pandas(base, npartitions=3, backend=backend)


def test_series_map_ignores_missing_values(values):
    base, s = values
    table = {1.0: 10.0, 2.0: 20.0, 3.0: 30.0, np.nan: -1.0}  # a NaN key is not looked up with "ignore"
    assert_eq(s.map(table, na_action="ignore", meta=("v", "f8")), base.map(table, na_action="ignore"))
    plain = {k: v for k, v in table.items() if k == k}  # (a NaN key's match differs between pandas and cuDF)
    assert_eq(s.map(plain, meta=("v", "f8")), base.map(plain))


def test_series_map_takes_a_pandas_series_mapper(values):
    base, s = values
    mapper = pd.Series([100.0, 200.0, 300.0], index=[1.0, 2.0, 5.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # dask's warning: meta inferred
        inferred = s.map(mapper)
    assert_eq(inferred, base.map(mapper))
    assert_eq(s.map(mapper, na_action="ignore", meta=("v", "f8")), base.map(mapper, na_action="ignore"))


def test_index_map_takes_a_pandas_series_mapper_and_na_action(backend):
    pdf = pd.DataFrame({"x": range(6)}, index=pd.Index([1.0, 2.0, np.nan, 5.0, 2.0, 1.0], name="i"))
    df = gd.from_pandas(pdf, npartitions=2, sort=False, backend=backend)
    mapper = pd.Series([10.0, 20.0, 50.0], index=[1.0, 2.0, 5.0])
    expected = pdf.index.map(mapper, na_action="ignore")
    assert_eq(df.index.map(mapper, na_action="ignore", meta=pd.Index([], dtype="f8", name="i")), expected)


def test_to_csv_encodes_the_text_itself(backend, tmp_path):
    # cuDF's to_csv refuses every encoding but utf-8: gpuscale encodes the partitions' text
    pdf = pd.DataFrame({"a": range(6), "b": ["é", "ü", "ß", "ø", "a", "ñ"]})
    gd.from_pandas(pdf, npartitions=2, backend=backend).to_csv(str(tmp_path / "part-*.csv"), index=False,
                                                               encoding="utf-16")
    files = sorted(tmp_path.glob("part-*.csv"))
    assert len(files) == 2
    back = pd.concat([pd.read_csv(f, encoding="utf-16") for f in files], ignore_index=True)
    pd.testing.assert_frame_equal(back, pdf)


def test_row_wise_quantile(frames):
    # cuDF's DataFrame.quantile computes columns only (axis=1 refused)
    pdf, df = frames
    result = df.quantile(0.3, axis=1)
    assert result.divisions == df.divisions
    assert_eq(result, pdf.quantile(0.3, axis=1))
    assert_eq(df.quantile(0.5, axis="columns", numeric_only=True), pdf.quantile(0.5, axis=1, numeric_only=True))
    with pytest.raises(ValueError, match="'q' must be scalar when axis=1"):  # as dask
        df.quantile([0.25, 0.75], axis=1)


def test_to_records_names_the_index_field_as_pandas(backend):
    # cuDF's own to_records calls every index field "index"
    pdf = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "s": list("abcd")}, index=pd.Index([5, 6, 7, 8], name="key"))
    records = gd.from_pandas(pdf, npartitions=2, backend=backend).to_records()
    expected = pdf.to_records()
    assert records.dtype.names == expected.dtype.names == ("key", "x", "s")
    np.testing.assert_array_equal(records.compute(), expected)


@pytest.mark.parametrize("lines", [True, False])
def test_read_json_parses_json_lines_on_the_device_and_other_json_on_the_host(backend, tmp_path, lines):
    # cuDF parses only JSON lines itself; other JSON it reads with pandas, warning "Using CPU via Pandas"
    import sys

    pdf = pd.DataFrame({"a": [1, 2, 3, 4], "b": ["x", "y", "z", "w"], "c": [0.5, 1.5, 2.5, 3.5]})
    path = tmp_path / "data.json"
    pdf.to_json(path, orient="records", lines=lines)
    calls = getattr(sys.modules.get("cudf"), "READER_CALLS", None)
    if calls is not None:
        calls.clear()
    df = gd.read_json(str(path), orient="records", lines=lines)
    assert_eq(df, pdf, check_index=False)
    if backend == "cudf" and calls is not None:  # the stand-in's call log: which reader ran
        assert [c[0] for c in calls] == (["read_json"] if lines else [])
