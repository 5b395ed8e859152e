"""``x.dtype`` of a gpuscale array is the standard's DType; where users treat it as the ``numpy.dtype`` that
``dask.array``'s ``x.dtype`` is, it answers as NumPy's (length, fields, ordering by safe casting)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga


def test_dtype_len_bool_and_pickle_as_numpy():
    dt = ga.ones(3, chunks=2, dtype="float64").dtype
    nd = np.dtype("float64")
    assert len(dt) == len(nd) == 0
    assert bool(dt) is bool(nd)
    assert pickle.loads(pickle.dumps(dt)) == nd
    assert np.empty(3, dtype=dt).dtype == nd


def test_dtype_ordering_is_numpys_safe_casting():
    f4, f8, i8 = (ga.ones(2, chunks=1, dtype=d).dtype for d in ("float32", "float64", "int64"))
    nf4, nf8, ni8 = np.dtype("f4"), np.dtype("f8"), np.dtype("i8")
    assert (f4 < f8, f4 <= f8, f8 > f4, f8 >= f4) == (nf4 < nf8, nf4 <= nf8, nf8 > nf4, nf8 >= nf4)
    assert (i8 < f4, i8 <= f8, f8 > i8) == (ni8 < nf4, ni8 <= nf8, nf8 > ni8)
    assert sorted([f8, f4]) == [f4, f8]
    assert (f4 < nf8) is True and (nf4 < f8) is True


def test_record_dtype_fields_by_name_as_numpy():
    rec = np.zeros(4, dtype=[("a", "i4"), ("b", "f8")])
    with gpuscale.config.set(backend="numpy"):
        dt = ga.from_array(rec, chunks=2).dtype
    assert len(dt) == len(rec.dtype) == 2
    assert dt["a"] == rec.dtype["a"] and dt[1] == rec.dtype[1]
    with pytest.raises(KeyError):
        dt["c"]
