"""``gd.demo.make_timeseries`` as ``dask.dataframe.demo.make_timeseries``: the same dtypes, divisions and names."""

from __future__ import annotations

import dask.dataframe as dd
import pandas as pd

import gpuscale.dataframe as gd

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
