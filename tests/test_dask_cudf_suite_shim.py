"""The dask_cudf-suite harness (``python -m tests.dask_cudf_api.dask_cudf_suite``): a test module written as
dask_cudf's are (``import cudf``, ``import dask_cudf``, ``import cupy``) runs against gpuscale on the strict cuDF
stand-in, dask_cudf's internals fail by construction, and outcomes are recorded with their causes."""

from __future__ import annotations

import importlib.util
import textwrap

import pandas as pd
import pytest

from tests.dask_api.dask_suite import run_test_file

PORTED = '''
import sys

import cupy as cp
import pytest

import dask
from dask import dataframe as dd

import cudf

import dask_cudf
from dask_cudf._expr.groupby import OPTIMIZED_AGGS
from dask_cudf.tests.utils import frame


def test_from_cudf_gives_a_dask_cudf_frame():
    gdf = frame()
    ddf = dask_cudf.from_cudf(gdf, npartitions=2)
    assert isinstance(ddf, dask_cudf.DataFrame) and isinstance(ddf.x, dask_cudf.Series)
    assert not isinstance(dd.from_dict({"x": [1]}, npartitions=1).to_backend("pandas"), dask_cudf.DataFrame)
    assert isinstance(ddf.compute(), cudf.DataFrame)
    assert dd.assert_eq(ddf.groupby("k").x.sum(), gdf.groupby("k").x.sum())


def test_dask_s_backend_switch_and_a_reader(tmp_path):
    with dask.config.set({"dataframe.backend": "cudf"}):
        ddf = dd.from_dict({"x": [1, 2, 3]}, npartitions=2)
    assert isinstance(ddf, dask_cudf.DataFrame)
    ddf.to_parquet(str(tmp_path / "p"))
    back = dask_cudf.read_parquet(str(tmp_path / "p"))
    assert isinstance(back, dask_cudf.DataFrame)
    dd.assert_eq(back, cudf.DataFrame({"x": [1, 2, 3]}), check_index=False)


def test_cupy_makes_random_data_only_and_is_gone_while_tests_run():
    cp.random.seed(0)
    assert len(cp.random.randint(0, 4, 5)) == 5
    with pytest.raises(AttributeError, match="only cupy.random"):
        cp.zeros(3)
    assert "cupy" not in sys.modules


def test_cudf_test_helpers():
    df = cudf.datasets.randomdata(10, dtypes={"a": float, "b": str}, seed=1)
    assert len(df) == 10 and isinstance(df, cudf.DataFrame)
    cudf.testing.assert_eq(df, df.to_pandas())


def test_a_dask_cudf_internal():
    assert "sum" in OPTIMIZED_AGGS
    dask_cudf.backends.hash_object_cudf(frame())
'''

UTILS = '''
import cudf


def frame():
    return cudf.DataFrame({"k": [1, 2, 1, 3], "x": [1.0, 2.0, 3.0, 4.0]})
'''


def _ported_module(tmp_path):
    tests = tmp_path / "cache" / "dask_cudf" / "tests"
    tests.mkdir(parents=True)
    for package in (tmp_path / "cache" / "dask_cudf", tests, tmp_path / "cache" / "dask_cudf" / "io"):
        package.mkdir(exist_ok=True)
        (package / "__init__.py").touch()
    (tests / "utils.py").write_text(textwrap.dedent(UTILS))
    (tests / "test_ported.py").write_text(textwrap.dedent(PORTED))
    return tests / "test_ported.py"


@pytest.mark.skipif(int(pd.__version__.split(".")[0]) < 3, reason="the cuDF stand-in stands for cuDF 26.10 (pandas 3)")
def test_a_ported_module_runs_on_the_stand_in(tmp_path):
    result = run_test_file(_ported_module(tmp_path), "tests.dask_cudf_api.dask_cudf_suite_shim", False, 300,
                           env={"GPUSCALE_DASK_CUDF_TESTS": str(tmp_path / "cache"), "GPUSCALE_BACKEND": "auto"})
    assert result["counts"] == {"passed": 4, "failed": 1}, result
    assert result["failed_tests"] == ["test_a_dask_cudf_internal"]
    assert result["top_causes"][0][:2] == ["uses a dask_cudf internal (fails by construction)", 1]


def test_real_cudf_mode_stands_nothing_in(tmp_path):
    """``--real-cudf`` (a GPU machine): ``import cudf`` is the installed cuDF, here none, so the module does not
    import, rather than running on the stand-in."""
    pytest.importorskip("pyarrow")
    if importlib.util.find_spec("cudf") is not None:
        pytest.skip("cuDF is installed here")
    result = run_test_file(_ported_module(tmp_path), "tests.dask_cudf_api.dask_cudf_suite_shim", False, 300,
                           env={"GPUSCALE_DASK_CUDF_TESTS": str(tmp_path / "cache"), "GPUSCALE_BACKEND": "auto",
                                "GPUSCALE_DASK_CUDF_REAL": "1"})
    assert "passed" not in result["counts"] and "cupy" in result.get("collection_error", ""), result
