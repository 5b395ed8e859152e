"""NumPy's ufuncs and functions on gpuscale DataFrame, Series and Index (``np.sin(df)``, ``np.add(s, 1)``,
``np.sum(s)``), lazy and with pandas' results, as dask.dataframe has them (issue 14)."""

from __future__ import annotations

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3

RNG = np.random.default_rng(7)
SERIES = pd.Series(RNG.uniform(0.1, 1.0, 30), index=list(range(0, 60, 2)))
FRAME = pd.DataFrame({"a": RNG.integers(1, 100, 30), "b": RNG.uniform(0.1, 1.0, 30)})


def _lazy(obj, backend, npartitions=3):
    return gd.from_pandas(obj, npartitions=npartitions, backend=backend)


@pytest.mark.parametrize("name", ["sin", "log1p", "sqrt", "isnan", "negative", "absolute", "floor", "signbit"])
@pytest.mark.parametrize("data", [SERIES, FRAME], ids=["series", "frame"])
def test_unary_ufuncs_are_lazy_with_pandas_results(backend, name, data):
    ufunc = getattr(np, name)
    got = ufunc(_lazy(data, backend))
    assert isinstance(got, gd.Series if isinstance(data, pd.Series) else gd.DataFrame)
    assert got.divisions == _lazy(data, backend).divisions  # the rows keep their labels
    assert_eq(got, ufunc(data))
    assert_eq(got, ufunc(dd.from_pandas(data, npartitions=3)).compute())


@pytest.mark.parametrize("name", ["sin", "negative", "isnan"])
def test_ufuncs_of_an_index_give_an_index(backend, name):
    ufunc = getattr(np, name)
    index = _lazy(SERIES, backend).index
    got = ufunc(index)
    assert isinstance(got, gd.Index)
    assert got.divisions == (None,) * 4  # its values changed, as dask's
    expected = pd.Index(ufunc(SERIES.index))  # pandas gives an array for np.isnan: an Index as dask's
    assert_eq(got, expected)


@pytest.mark.parametrize("name", ["add", "maximum", "arctan2", "greater_equal", "logical_xor", "fmod"])
def test_binary_ufuncs_align_collections_and_pandas_operands(backend, name):
    ufunc = getattr(np, name)
    other = pd.Series(RNG.uniform(0.1, 1.0, 30), index=SERIES.index)
    left, right = _lazy(SERIES, backend, 3), _lazy(other, backend, 4)  # divisions differ
    cases = [(ufunc(left, right), ufunc(SERIES, other)), (ufunc(left, other), ufunc(SERIES, other)),
             (ufunc(other, left), ufunc(other, SERIES))]  # pandas first: it defers to the collection
    for got, expected in cases:
        assert isinstance(got, gd.Series)
        assert_eq(got, expected)
    assert_eq(ufunc(left, right), ufunc(dd.from_pandas(SERIES, 3), dd.from_pandas(other, 4)).compute())


def test_pandas_operators_defer_to_collections(backend):
    other = pd.DataFrame({"a": RNG.integers(1, 9, 30), "b": RNG.uniform(0.1, 1.0, 30)})
    frame = _lazy(FRAME, backend, 4)
    for got, expected in ((other + frame, other + FRAME), (other.a * frame.b, other.a * FRAME.b),
                          (other.b >= frame.b, other.b >= FRAME.b)):
        assert isinstance(got, (gd.DataFrame, gd.Series))  # lazy; dask raises TypeError
        assert_eq(got, expected)
    assert_eq(other.b + frame.a.sum(), other.b + FRAME.a.sum())  # a lazy Scalar is a value to pandas


@pytest.mark.parametrize("scalar", [15, 16.4, np.int64(15), np.float64(16.4), np.array(15.0)])
def test_numpy_scalars_and_lazy_scalars_as_operands(backend, scalar):
    frame = _lazy(FRAME, backend)
    assert_eq(scalar >= frame, scalar >= FRAME)
    assert_eq(np.minimum(frame, scalar), np.minimum(FRAME, scalar))
    total = frame.a.sum()  # a lazy Scalar is broadcast to every partition
    got = np.subtract(frame.a, total)
    assert isinstance(got, gd.Series)
    assert_eq(got, FRAME.a - FRAME.a.sum())


def test_lazy_scalars_alone_stay_lazy_and_with_pandas_objects_give_pandas(backend):
    total = _lazy(SERIES, backend).sum()
    root = np.sqrt(total)
    assert isinstance(root, gd.Scalar)
    assert float(root.compute()) == pytest.approx(np.sqrt(SERIES.sum()))
    if backend == "pandas":  # as dask: NumPy and pandas compute the scalar
        pd.testing.assert_series_equal(np.add(total, SERIES), SERIES + SERIES.sum())
        assert np.add.reduce(total) == pytest.approx(SERIES.sum())
        np.testing.assert_allclose(np.repeat(total, 2), [SERIES.sum()] * 2)


@pytest.mark.parametrize("name", ["modf", "frexp"])
def test_ufuncs_with_two_outputs_give_tuples(backend, name):
    ufunc = getattr(np, name)
    data = FRAME * 1.5
    got = ufunc(_lazy(data, backend))
    assert isinstance(got, tuple) and len(got) == 2
    for lazy, expected in zip(got, ufunc(data)):
        assert isinstance(lazy, gd.DataFrame)
        assert_eq(lazy, expected)


def test_out_takes_the_result_as_dask(backend):
    frame = _lazy(FRAME, backend)
    out = _lazy(pd.DataFrame({"x": [0] * 30, "y": [0] * 30}), backend)
    assert np.sin(frame, out=out) is out
    np.add(out, 10, out=out)
    assert_eq(out, np.sin(FRAME) + 10)
    with pytest.raises(ValueError, match="the result has 2 columns, out has 3"):
        np.sin(frame, out=_lazy(pd.DataFrame({"x": [0], "y": 0, "z": 0}), backend, 1))
    with pytest.raises(TypeError, match="the result is a DataFrame, out is a Series"):
        np.sin(frame, out=_lazy(pd.Series([0.0]), backend, 1))
    with pytest.raises(TypeError, match="out must be a gpuscale DataFrame"):
        np.sin(frame, out=np.empty((30, 2)))


def test_other_operands_and_ufunc_methods_are_refused(backend):
    s = _lazy(SERIES, backend)
    with pytest.raises(TypeError, match="NotImplemented"):
        np.add(s, np.arange(30))  # an array of rows has no index to align on (as dask)
    with pytest.raises(TypeError, match="NotImplemented"):
        np.add.outer(s, s)


@pytest.mark.parametrize("ufunc", [np.add, np.multiply, np.maximum, np.minimum])
def test_ufunc_reduce_and_accumulate_are_the_reductions_and_scans(backend, ufunc):
    data = FRAME.astype("float64")
    frame = _lazy(data, backend)
    assert_eq(ufunc.reduce(frame), ufunc.reduce(data))  # one value per column, as pandas
    assert float(ufunc.reduce(frame.b).compute()) == pytest.approx(ufunc.reduce(data.b))
    got = ufunc.accumulate(frame.b)
    assert isinstance(got, gd.Series)
    assert_eq(got, ufunc.accumulate(data.b))
    with pytest.raises(TypeError, match="NotImplemented"):
        ufunc.reduce(frame, axis=1)


@pytest.mark.parametrize("name", ["sum", "prod", "min", "max", "mean", "std", "var", "any", "all"])
def test_numpy_reductions_of_a_series_are_its_lazy_reductions(backend, name):
    func = getattr(np, name)
    got = func(_lazy(SERIES, backend))
    assert isinstance(got, gd.Scalar)
    assert float(got.compute()) == pytest.approx(float(func(SERIES)))  # np.std's ddof=0 too


@needs_pandas_3("np.sum(df) reduces only the rows (axis=None deprecated); gpuscale reduces both axes as pandas 3")
@pytest.mark.parametrize("name", ["sum", "min", "max", "mean", "std", "var", "any", "all"])
def test_numpy_reductions_of_a_frame_reduce_every_axis_as_pandas(backend, name):
    func = getattr(np, name)
    data = FRAME.astype("float64")
    got = func(_lazy(data, backend))  # NumPy's axis=None: one value, as pandas' np.sum(df)
    assert isinstance(got, gd.Scalar)
    assert float(got.compute()) == pytest.approx(float(func(data)))
    assert_eq(func(_lazy(data, backend), axis=0), func(data, axis=0))


def test_numpy_functions_dispatch_to_methods(backend):
    s, frame = _lazy(SERIES, backend), _lazy(FRAME, backend)
    assert isinstance(np.clip(s, 0.3, 0.6), gd.Series)
    assert_eq(np.clip(s, 0.3, 0.6), np.clip(SERIES, 0.3, 0.6))
    assert_eq(np.clip(frame, a_min=5.5, a_max=40.5), np.clip(FRAME, 5.5, 40.5))
    assert_eq(np.round(s, 2), np.round(SERIES, 2))
    assert_eq(np.cumsum(frame), np.cumsum(FRAME))
    assert float(np.std(s, ddof=1).compute()) == pytest.approx(SERIES.std())
    with pytest.raises(NotImplementedError, match="keepdims"):
        np.sum(s, keepdims=True)


def test_other_numpy_functions_compute_or_are_refused_as_dask(backend):
    s = _lazy(SERIES, backend)
    assert_eq(np.repeat(s, 2), np.repeat(SERIES, 2))  # the Series' own repeat, as pandas (dask refuses it)
    if backend == "pandas":
        np.testing.assert_array_equal(np.asarray(s), SERIES.to_numpy())
        np.testing.assert_array_equal(np.isreal(s), np.isreal(SERIES))
    else:  # cuDF data is not moved to the host implicitly, as cuDF
        for call in (np.asarray, np.isreal):
            with pytest.raises(TypeError, match="Implicit conversion"):
                call(s)


def test_dask_array_ufuncs_take_the_collections(backend):
    s = _lazy(SERIES, backend)
    got = da.sin(s)
    assert isinstance(got, gd.Series)
    assert_eq(got, np.sin(SERIES))
    assert_eq(da.maximum(s, 0.5), np.maximum(SERIES, 0.5))


@pytest.mark.parametrize("name", ["isreal", "iscomplex", "real", "imag", "angle", "i0", "sinc", "nan_to_num"])
@pytest.mark.parametrize("data", [SERIES, FRAME], ids=["series", "frame"])
def test_array_functions_that_are_no_ufuncs_give_a_lazy_array_of_a_frame_as_dask(name, data):
    import gpuscale.array as ga

    ours = getattr(ga, name)(_lazy(data, "pandas"))
    theirs = getattr(da, name)(dd.from_pandas(data, npartitions=3))
    assert isinstance(ours, ga.Array) and isinstance(theirs, da.Array)  # ours computed a NumPy array at once
    assert ours.ndim == theirs.ndim == data.ndim and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours.compute(), getattr(np, name)(data.to_numpy()))
    np.testing.assert_allclose(ours.compute(), theirs.compute())
    assert isinstance(getattr(ga, "sin")(_lazy(data, "pandas")), gd.Series if data.ndim == 1 else gd.DataFrame)


@pytest.mark.parametrize("name", ["expm1", "tanh", "sign", "floor", "sin"])
@pytest.mark.parametrize("data", [SERIES, FRAME], ids=["series", "frame"])
def test_array_ufuncs_hand_pandas_and_lazy_frames_their_own_ufunc_as_dask(name, data):
    import gpuscale.array as ga

    ufunc = getattr(np, name)
    got = getattr(ga, name)(data)  # a pandas input: a pandas answer at once (expm1, tanh, sign raised)
    assert type(got) is type(getattr(da, name)(data)) is type(data)
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(ufunc(data)))
    lazy = getattr(ga, name)(_lazy(data, "pandas"))
    assert isinstance(lazy, gd.Series if data.ndim == 1 else gd.DataFrame)
    assert_eq(lazy, ufunc(data))


def test_array_ufunc_out_of_a_lazy_frame_as_dask():
    import gpuscale.array as ga

    pdf = pd.DataFrame(RNG.integers(1, 100, (20, 2)), columns=["A", "B"])
    out_np, out_ga = (_lazy(pd.DataFrame(np.zeros((20, 2)), columns=["Y", "Z"]), "pandas") for _ in range(2))
    np.floor(_lazy(pdf, "pandas"), out=out_np)
    ga.floor(_lazy(pdf, "pandas"), out=out_ga)  # raised "floor() got an unexpected keyword argument 'out'"
    assert_eq(out_ga, out_np)
    assert_eq(out_ga, pd.DataFrame(np.floor(pdf.to_numpy()), columns=["A", "B"]))


@pytest.mark.parametrize("data", [SERIES, FRAME], ids=["series", "frame"])
def test_array_clip_of_a_frame_is_its_own_clip_as_dask(data):
    import gpuscale.array as ga

    lazy = ga.clip(_lazy(data, "pandas"), 0.3, 50)
    theirs = da.clip(dd.from_pandas(data, npartitions=3), 0.3, 50)
    assert isinstance(lazy, gd.Series if data.ndim == 1 else gd.DataFrame)  # was an Array
    assert isinstance(theirs, dd.Series if data.ndim == 1 else dd.DataFrame)
    assert_eq(lazy, np.clip(data, 0.3, 50))
    assert type(ga.clip(data, 0.3, 50)) is type(data)  # a pandas input: pandas' answer, as dask
    assert_eq(ga.clip(data, 0.3, 50), theirs.compute())


def test_numpy_argmax_is_the_series_method(backend):
    s = _lazy(SERIES, backend)
    assert int(np.argmax(s).compute()) == np.argmax(SERIES)
    assert int(np.argmin(s).compute()) == np.argmin(SERIES)
