"""``gd.demo.make_timeseries`` as ``dask.dataframe.demo.make_timeseries``: the same dtypes, divisions and names."""

from __future__ import annotations

import dask.dataframe as dd
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

SPEC = {"A": float, "B": int, "C": str}


def _make(module, seed=123, freq="2D"):
    return module.demo.make_timeseries("2000", "2003", SPEC, freq=freq, partition_freq="6ME", seed=seed)


def test_dtypes_and_divisions_are_dask_s(backend):
    ours, theirs = _make(gd), _make(dd)
    assert ours.divisions == theirs.divisions
    if backend == "pandas":  # cuDF's strings are its own (Arrow) strings
        assert dict(ours.dtypes) == dict(theirs.dtypes)
        assert dict(ours.head().dtypes) == dict(theirs.head().dtypes)
        pd.testing.assert_frame_equal(ours.compute(), theirs.compute())


def test_names_follow_the_arguments():
    assert _make(gd)._name == _make(gd)._name
    assert _make(gd)._name != _make(gd, seed=124)._name
    assert _make(gd)._name != _make(gd, freq="1D")._name


@pytest.mark.parametrize("seed", [None, 42])
def test_with_spec_gives_dasks_dataset(backend, seed):
    from dask.dataframe.io.demo import with_spec as dask_with_spec

    from gpuscale.dataframe.demo import ColumnSpec, DatasetSpec, RangeIndexSpec

    spec = DatasetSpec(npartitions=3, nrecords=10, index_spec=RangeIndexSpec(dtype="int32", step=2),
                       column_specs=[ColumnSpec(prefix="i", dtype="int32", low=1, high=100, random=True),
                                     ColumnSpec(prefix="c", dtype="category", choices=["apple", "banana"]),
                                     ColumnSpec(prefix="s", dtype=str, length=15, random=True)])
    df, theirs = gd.demo.with_spec(spec, seed=seed), dask_with_spec(spec, seed=seed)
    assert df.divisions == theirs.divisions
    got = to_host(df.compute())
    assert len(got) == 10 and got.i1.between(1, 100).all() and set(got.c1.cat.categories) == {"apple", "banana"}
    if backend == "pandas":  # cuDF's strings are its own (Arrow) strings
        assert dict(df.dtypes) == dict(theirs.dtypes)
        assert df.s1.dtype == dd.from_pandas(pd.DataFrame({"s": ["a"]}), 1).s.dtype  # string[pyarrow], as dask's
    if seed is not None:
        pd.testing.assert_frame_equal(got, theirs.compute())
