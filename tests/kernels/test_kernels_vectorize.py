"""gpuscale.vectorize on NumPy/pandas inputs: the CPU form against NumPy results."""

import cloudpickle
import hypothesis.extra.numpy as hnp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale
from gpuscale.kernels import KernelCompileError, KernelTypeError, _cache
from tests.kernels.kernels_fixtures import clipped_score, haversine, haversine_numpy

rng = np.random.default_rng(0)


def coords(n, dtype="float64"):
    lat = rng.uniform(-80, 80, size=(2, n)).astype(dtype)
    lon = rng.uniform(-180, 180, size=(2, n)).astype(dtype)
    return lat[0], lon[0], lat[1], lon[1]


def test_haversine_matches_numpy():
    args = coords(1000)
    np.testing.assert_allclose(haversine(*args), haversine_numpy(np, *args), rtol=1e-12)


def test_float32_inputs_pick_the_float32_signature():
    args = coords(100, "float32")
    out = haversine(*args)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, haversine_numpy(np, *args), rtol=1e-4)


def test_broadcasting_and_python_scalars():
    lat = rng.uniform(-80, 80, size=(4, 1))
    lon = rng.uniform(-180, 180, size=(1, 5))
    out = haversine(lat, lon, 0.0, 0.0)
    assert out.shape == (4, 5)
    np.testing.assert_allclose(out, haversine_numpy(np, lat, lon, 0.0, 0.0))


def test_series_keep_index_and_name():
    index = pd.Index([10, 20, 30], name="trip")
    lat1, lon1, lat2, lon2 = (pd.Series(a, index=index, name="d") for a in coords(3))
    out = haversine(lat1, lon1, lat2, lon2)
    expected = pd.Series(haversine_numpy(np, *(s.to_numpy() for s in (lat1, lon1, lat2, lon2))),
                         index=index, name="d")
    pd.testing.assert_series_equal(out, expected)


def test_series_with_different_names_give_unnamed_result():
    a, b = pd.Series([1.0, 2.0], name="a"), pd.Series([1.5, 1.5], name="b")
    assert clipped_score(a, b).name is None


def test_series_with_different_indexes_are_refused():
    a, b = pd.Series([1.0, 2.0], index=[0, 1]), pd.Series([1.0, 2.0], index=[1, 2])
    with pytest.raises(KernelTypeError, match="equal indexes"):
        clipped_score(a, b)


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_nullable_float_series_become_nan():
    s = pd.Series([1.0, None, 3.0], dtype="Float64")
    pd.testing.assert_series_equal(clipped_score(s, 0.5), pd.Series([0.75, np.nan, 3.75]))


def test_lazy_signatures_compile_per_dtype():
    ints = clipped_score(np.arange(5), 2)
    np.testing.assert_allclose(ints, np.where(np.arange(5) < 2, 0.0, (np.arange(5) - 2) * 1.5))
    assert clipped_score.result_dtype(np.arange(5), 2) == np.float64


def test_parallel_form_equals_serial():
    args = coords(1 << 12)
    serial = haversine.run(*args, parallel=False)
    np.testing.assert_array_equal(haversine.run(*args, parallel=True), serial)


def test_parallel_auto_needs_large_inputs_and_enough_threads(monkeypatch):
    from gpuscale.kernels import base

    monkeypatch.setattr(base, "PARALLEL_MIN_SIZE", 1000)
    assert not base.wants_parallel("auto", None, [np.ones(999)])
    assert base.wants_parallel(False, True, [np.ones(1)]) and not base.wants_parallel(True, False, [np.ones(1)])
    monkeypatch.setattr(base, "PARALLEL_MIN_THREADS", 1)
    assert base.wants_parallel("auto", None, [np.ones(1000)])
    _cache.clear()
    haversine(*coords(1000))
    assert any("parallel" in target for _, target in _cache.compile_counts)


def test_zero_length_and_zero_dim_inputs():
    assert haversine(*coords(0)).shape == (0,)
    assert float(haversine(0.0, 0.0, 0.0, 1.0)) == pytest.approx(111.19, rel=1e-3)


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(st.sampled_from([np.float64, np.float32, np.int64, np.int32]),
                  hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
                  elements=st.integers(-1000, 1000)),
       st.integers(-50, 50))
def test_clipped_score_matches_numpy(x, lo):
    expected = np.where(x < lo, 0.0, (x.astype(np.float64) - lo) * 1.5)
    np.testing.assert_allclose(clipped_score(x, lo), expected)


def test_compile_error_names_function_and_numba_message():
    @gpuscale.vectorize
    def uses_missing_attribute(x):
        return x.no_such_attribute

    with pytest.raises(KernelCompileError, match="uses_missing_attribute") as info:
        uses_missing_attribute(np.arange(3.0))
    assert "no_such_attribute" in str(info.value) and "TypingError" in str(info.value)


def test_bad_signature_fails_when_compiled():
    kernel = gpuscale.vectorize("float64(float64)")(lambda x: x.no_such_attribute)
    with pytest.raises(KernelCompileError, match="lambda"):
        kernel.cpu


def test_inputs_without_signature_are_refused_clearly():
    with pytest.raises(KernelTypeError, match=r"haversine.*declared signatures"):
        haversine(np.array(["a"]), 0.0, 0.0, 0.0)


def test_pickled_kernel_reuses_the_process_compile():
    _cache.clear()
    haversine(*coords(4))
    copy = cloudpickle.loads(cloudpickle.dumps(haversine))
    copy(*coords(4))
    assert copy is not haversine and copy.key == haversine.key
    assert _cache.compile_counts[("haversine", "cpu")] == 1


def test_closure_kernels_pickle_by_value_and_keys_follow_the_code():
    def make(k):
        return gpuscale.vectorize(lambda x: x * k)

    double, triple = make(2.0), make(3.0)
    assert double.key != triple.key
    copy = cloudpickle.loads(cloudpickle.dumps(triple))
    np.testing.assert_array_equal(copy(np.arange(3.0)), [0.0, 3.0, 6.0])


def test_kernel_wraps_the_function():
    assert haversine.__name__ == "haversine" and haversine.__wrapped__.__name__ == "haversine"
    assert "vectorize haversine" in repr(haversine)
    assert isinstance(haversine.cpu(1.0, 2.0, 3.0, 4.0), float)
