"""pandas' Index members about names and levels (dask's Index has none of them)."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf():
    return pd.DataFrame({"k": [1, 1, 2, 2, 3], "j": [3, 4, 3, 5, 3], "x": [1.0, 2.0, 3.0, 4.0, 5.0]})


def _grouped_index(frame):
    return frame.groupby(["k", "j"]).x.sum().index


def test_names_and_levels_of_a_multiindex(pdf, backend):
    idx = _grouped_index(gd.from_pandas(pdf, npartitions=2, backend=backend))
    expected = _grouped_index(pdf)
    assert idx.names == list(expected.names) and idx.nlevels == expected.nlevels == 2

    def same(got, want):
        tm.assert_index_equal(to_host(got.compute()).sort_values(), want.sort_values())

    same(idx.get_level_values("j"), expected.get_level_values("j"))
    same(idx.droplevel(0), expected.droplevel(0))
    same(idx.set_names(["a", "b"]), expected.set_names(["a", "b"]))
    same(idx.set_names("z", level=1), expected.set_names("z", level=1))


def test_flat_index_names(pdf, backend):
    df = gd.from_pandas(pdf.set_index("k"), npartitions=2, backend=backend)
    assert df.index.names == ["k"] and df.index.nlevels == 1
    renamed = df.index.set_names("row")
    assert renamed.divisions == df.divisions and renamed.compute().name == "row"


def test_to_flat_index(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    idx = df.index
    assert idx.to_flat_index() is idx
    if backend == "cudf":
        with pytest.raises(NotImplementedError, match="tuples"):
            _grouped_index(df).to_flat_index()
        return
    flat = _grouped_index(df).to_flat_index().compute()
    assert sorted(flat.tolist()) == sorted(_grouped_index(pdf).to_flat_index().tolist())


@pytest.mark.parametrize("op", ["union", "intersection", "difference", "symmetric_difference"])
@pytest.mark.parametrize("sort", [None, False])
def test_index_set_operations_as_pandas(backend, op, sort):
    """A repeated value keeps its larger count in a union; the others give distinct values; sorted unless
    ``sort=False`` (then in order of first appearance, as pandas)."""
    mine, theirs = pd.Index([5, 1, 5, 7, 3, 9, 1], name="k"), pd.Index([7, 2, 9, 9, 11], name="k")
    idx = gd.from_pandas(pd.DataFrame({"x": range(7)}, index=mine), npartitions=3, sort=False, backend=backend).index
    other = gd.from_pandas(pd.DataFrame({"x": range(5)}, index=theirs), npartitions=2, sort=False,
                           backend=backend).index
    for given, expected_other in ((other, theirs), (theirs, theirs), ([2, 5, 11], [2, 5, 11]),
                                  (theirs.rename("z"), theirs.rename("z"))):
        expected = getattr(mine, op)(expected_other, sort=sort)
        got = to_host(getattr(idx, op)(given, sort=sort).compute())
        tm.assert_index_equal(got, expected)
