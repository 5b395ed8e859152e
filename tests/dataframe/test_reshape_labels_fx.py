"""Labels and metadata of add_prefix / add_suffix, crosstab with values, to_frame, set_axis and explode
(fuzzer findings): the metadata says what the partitions compute."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


@pytest.mark.parametrize("method", ["add_prefix", "add_suffix"])
def test_add_prefix_of_the_index_has_text_metadata(backend, method):
    s = pd.Series([1, 2, 3], name="a")
    got = getattr(gd.from_pandas(s, npartitions=2), method)("p_")
    assert got._meta.index.dtype == to_host(got.compute()).index.dtype
    assert_eq(got, getattr(s, method)("p_"))
    assert dict(got.reset_index().dtypes) == dict(to_host(got.reset_index().compute()).dtypes)
    frame = s.to_frame()
    got = getattr(gd.from_pandas(frame, npartitions=2), method)("p_", axis=0)
    assert got._meta.index.dtype == to_host(got.compute()).index.dtype
    assert_eq(got, getattr(frame, method)("p_", axis=0))


@pytest.mark.parametrize("aggfunc", ["sum", "min", "max", "count"])
@pytest.mark.parametrize("full", [False, True])
def test_crosstab_of_values_metadata_is_the_computed_dtype(backend, aggfunc, full):
    """Integer cells: float64 whatever the data (pandas: float64 where a cell has no rows, as here, else
    int64), in the metadata and in the result."""
    p = pd.DataFrame({"a": [1, 1, 2, 2], "b": ["x", "y", "x", "y"], "v": [1, 2, 3, 4]})
    p = p if full else p.iloc[:3]
    g = gd.from_pandas(p, npartitions=2)
    got = gd.crosstab(g.a, g.b, values=g.v, aggfunc=aggfunc)
    computed = to_host(got.compute())
    assert list(got._meta.dtypes) == list(computed.dtypes) == ["float64", "float64"]
    assert_eq(computed, pd.crosstab(p.a, p.b, values=p.v, aggfunc=aggfunc).astype("float64"))


def test_to_frame_name_none_names_the_column_none(backend):
    p = pd.Series([1, 2], name="v")
    s = gd.from_pandas(p, npartitions=1)
    assert s.to_frame(name=None).columns.tolist() == p.to_frame(name=None).columns.tolist() == [None]
    assert_eq(s.to_frame(name=None), p.to_frame(name=None))
    assert_eq(s.to_frame(), p.to_frame())
    assert_eq(s.to_frame("w"), p.to_frame("w"))


def test_set_axis_keeps_the_name_of_an_index(backend):
    p = pd.DataFrame({"a": [1, 2]})
    labels = pd.Index(["Z"], name="nm")
    got = gd.from_pandas(p, npartitions=1).set_axis(labels, axis=1)
    assert got.columns.name == "nm"
    assert_eq(got, p.set_axis(labels, axis=1))
