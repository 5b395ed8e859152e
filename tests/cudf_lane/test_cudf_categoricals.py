"""The cuDF lane: what the strict stand-in emulates of cuDF's categoricals and CuPy results
(``tests/strict_cudf/dtypes.py``, ``categorical.py``, ``device.py``), read from or run on the pinned cuDF
without a GPU (building a column needs one: those claims are read from the source)."""

from __future__ import annotations

import inspect
import types

import pandas as pd
import pytest

cudf = pytest.importorskip("cudf", reason="the cuDF lane runs with `make test-cudf`")


def test_a_categorical_dtype_is_cudf_s_own_class_with_an_index_of_categories():
    from tests.strict_cudf import dtypes

    dtype = cudf.CategoricalDtype(None, ordered=None)  # (no categories: no column, no GPU)
    assert type(dtype).__module__ == dtypes.CategoricalDtype.__module__ == "cudf.core.dtypes"
    assert not isinstance(dtype, pd.CategoricalDtype) and dtype.ordered is None
    assert cudf.CategoricalDtype(None, ordered=False) != pd.CategoricalDtype(["a"])  # never equal to pandas'
    assert dtype == "category" and hasattr(dtype, "to_pandas")
    assert "cudf.Index._from_column" in inspect.getsource(cudf.CategoricalDtype.categories.fget)
    with pytest.raises(TypeError, match="not iterable"):  # the categories Index refuses iteration
        cudf.Index.__iter__(types.SimpleNamespace())
    assert "pd.Series(" in inspect.getsource(cudf.DataFrame.dtypes.fget)  # a pandas Series of cuDF dtypes


def test_concatenated_categoricals_are_unordered():
    from cudf.core import dataframe
    from cudf.core.column.categorical import CategoricalColumn

    assert "result_dtype = CategoricalDtype(categories=cats)\n" in inspect.getsource(CategoricalColumn._concat)
    assert "ordered=False" in inspect.getsource(dataframe._reassign_categories)
    assert "_reassign_categories" in inspect.getsource(cudf.DataFrame._concat)


def test_adding_or_removing_categories_drops_the_ordering():
    from cudf.core.column.categorical import CategoricalColumn

    assert inspect.signature(CategoricalColumn._set_categories).parameters["ordered"].default is False
    for name in ("add_categories", "remove_categories"):
        assert "return self._set_categories(new_categories)\n" in inspect.getsource(getattr(CategoricalColumn, name))
    from cudf.core.accessors.categorical import CategoricalAccessor

    for name in ("set_categories", "reorder_categories"):  # the accessor's default is False (pandas': None)
        assert inspect.signature(getattr(CategoricalAccessor, name)).parameters["ordered"].default is False


def test_a_categorical_index_refuses_rename_and_remove_unused_categories():
    from cudf.core.column.categorical import CategoricalColumn

    for name in ("rename_categories", "remove_unused_categories"):
        assert f"self._column.{name}(" in inspect.getsource(getattr(cudf.CategoricalIndex, name))
        with pytest.raises(NotImplementedError, match="not supported"):
            getattr(CategoricalColumn, name)(None, *([[]] if name == "rename_categories" else []))


def test_index_isin_gives_a_cupy_array():
    assert inspect.getsource(cudf.Index.isin).rstrip().endswith("return self._column.isin(values).values")
    assert "result = res.values" in inspect.getsource(cudf.MultiIndex.isin)


def test_multiindex_from_product_iterates_its_levels_with_pandas():
    assert "pd.MultiIndex.from_product(\n            iterables" in inspect.getsource(cudf.MultiIndex.from_product)
