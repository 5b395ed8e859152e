"""``gpuscale.compute`` of gpuscale collections beside dask's (Delayed, dask.array, dask.dataframe): every value
in its argument's place (dask.compute of several kinds returns them grouped by kind)."""

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd

import gpuscale
import gpuscale.array as ga
import gpuscale.dataframe as gd


def _mixed():
    x = ga.arange(10, chunks=5)
    pdf = pd.DataFrame({"v": range(10)})
    marker = dask.delayed(lambda: "D")()
    return x, pdf, [x.sum(), marker, x.mean(), da.arange(10, chunks=5)[:2] * 2, 5,
                    gd.from_pandas(pdf, npartitions=2).v.sum(), dd.from_pandas(pdf, npartitions=2).v.max()]


def test_values_stay_in_their_places():
    _, _, lazy = _mixed()
    got = gpuscale.compute(*lazy)
    assert got[0] == 45 and got[1] == "D" and got[2] == 4.5 and got[4] == 5 and got[5] == 45 and got[6] == 9
    np.testing.assert_array_equal(got[3], [0, 2])


def test_nested_containers_keep_their_places():
    x, _, lazy = _mixed()
    got = gpuscale.compute([lazy[1], x.max()], {"a": lazy[0], "b": (lazy[6], lazy[2])})
    assert got == (["D", 9], {"a": 45, "b": (9, 4.5)})


def test_traverse_false_computes_the_arguments_only():
    x, _, lazy = _mixed()
    inner = [x.max()]
    got = gpuscale.compute(lazy[1], x.sum(), inner, traverse=False)
    assert got[:2] == ("D", 45) and got[2] is inner
