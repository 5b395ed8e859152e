"""The sort-based quantiles of non-NumPy chunks (``generic_quantile``) against NumPy's own functions.

CuPy 14 has no nanquantile/nanpercentile, no weights, only five methods, and its quantile of a lane holding
a NaN is not NaN.  On CPU the generic path runs with NumPy arrays (and through a stand-in namespace that
lacks what CuPy lacks); on the GPU leg it runs with CuPy arrays, compared with NumPy on the host.
"""

from __future__ import annotations

import types
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gpuscale.array as ga
from array_helpers import assert_same, compute
from gpuscale.backends import to_host
from gpuscale.backends.array import _quantile
from gpuscale.backends.array._quantile import METHODS, generic_quantile, quantile_of

NAMES = ["quantile", "nanquantile", "percentile", "nanpercentile"]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices, as in NumPy
        yield


@pytest.fixture
def xp(backend: str):
    """The library the generic path runs with: NumPy, or CuPy on the GPU leg."""
    if backend == "array_api_strict":
        pytest.skip("array-api-strict chunks take NumPy's functions through a NumPy copy")
    return pytest.importorskip("cupy") if backend == "cupy" else np


def _numpy(name, a, q, axis, method="linear", keepdims=False, weights=None):
    """NumPy's answer; an n-d q goes flat (NumPy's nan* functions misplace its dimensions over several axes)."""
    qs = np.reshape(q, -1) if np.ndim(q) > 1 else q
    extra = {} if weights is None else {"weights": weights}
    out = getattr(np, name)(a, qs, axis=axis, method=method, keepdims=keepdims, **extra)
    return np.reshape(out, np.shape(q) + np.shape(out)[1:]) if np.ndim(q) > 1 else out


def _generic(xp, name, a, q, axis, method="linear", keepdims=False, weights=None):
    q = xp.asarray(q) if isinstance(q, np.ndarray) else q
    w = None if weights is None else xp.asarray(weights)
    out = generic_quantile(xp, xp.asarray(a), q, axis=axis, method=method, keepdims=keepdims, weights=w,
                           skip_nan=name.startswith("nan"), percent=name.endswith("percentile"))
    return np.asarray(to_host(out))


def _check(got, a, name, q, axis, method="linear", keepdims=False, weights=None):
    want = np.asarray(_numpy(name, a, q, axis, method, keepdims, weights))
    # the dtype NumPy gives from its inputs (its nan* functions take the first lane's dtype, float32 for an
    # all-NaN first lane of float32 data even with a float64 q)
    dtype = np.asarray(_numpy(name, np.nan_to_num(a), q, axis, method, keepdims, weights)).dtype
    assert got.shape == want.shape and got.dtype == dtype
    if want.dtype == dtype:
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True)


X = np.random.default_rng(5).random((7, 6, 5))
X[np.random.default_rng(6).random(X.shape) < 0.15] = np.nan
X[:, 0, 0] = np.nan  # an all-NaN lane along axis 0


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("axis", [0, 2, (0, 1), None])
def test_every_method_matches_numpy_bit_for_bit(xp, name, method, axis):
    q = [0.0, 0.3, 0.5, 1.0]
    q = np.multiply(q, 100) if name.endswith("percentile") else np.asarray(q)
    _check(_generic(xp, name, X, q, axis, method), X, name, q, axis, method)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int16, np.uint16])
@pytest.mark.parametrize("q", [0.5, 0, 1, [0.5], np.float32(0.5), np.asarray([0.5], dtype=np.float32),
                               np.asarray([0, 1])])
@pytest.mark.parametrize("method", ["linear", "lower", "averaged_inverted_cdf", "hazen"])
def test_dtype_follows_numpy(xp, dtype, q, method):
    a = np.asarray([[100, 200, 300], [7, 5, 1]], dtype=dtype)
    _check(_generic(xp, "quantile", a, q, 1, method), a, "quantile", q, 1, method)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_nd_q_and_keepdims(xp, name, keepdims):
    q = np.array([[0.1, 0.5], [0.9, 0.95]]) * (100 if name.endswith("percentile") else 1)
    _check(_generic(xp, name, X, q, (0, 2), keepdims=keepdims), X, name, q, (0, 2), keepdims=keepdims)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("axis", [0, 1])
def test_weights_match_numpy(xp, name, axis):
    data = X[:, :, 1] if name.startswith("nan") else np.nan_to_num(X[:, :, 1])
    w = np.random.default_rng(1).integers(0, 3, data.shape).astype(float)
    w = np.moveaxis(w, axis, 0)
    w[0], w[-1] = 0, w[-1] + 1  # leading zero weights, and weight in every lane
    w = np.moveaxis(w, 0, axis)
    q = [0.0, 0.2, 0.7, 1.0] if name.endswith("quantile") else [0, 20, 70, 100]
    _check(_generic(xp, name, data, q, axis, "inverted_cdf", weights=w), data, name, q, axis, "inverted_cdf",
           weights=w)


def test_one_dimensional_weights_along_the_axis(xp):
    data, w = np.nan_to_num(X[:, :, 0]), np.arange(1.0, 8.0)
    _check(_generic(xp, "quantile", data, 0.5, 0, "inverted_cdf", weights=w), data, "quantile", 0.5, 0,
           "inverted_cdf", weights=w)


def test_errors_are_numpys(xp):
    a = np.nan_to_num(X)
    for call, match in [(lambda: _generic(xp, "quantile", a, 1.5, 0), r"\[0, 1\]"),
                        (lambda: _generic(xp, "percentile", a, np.asarray([101.0]), 0), r"\[0, 100\]"),
                        (lambda: _generic(xp, "quantile", a, 0.5, 0, "bogus"), "not a valid method"),
                        (lambda: _generic(xp, "quantile", a, 0.5, 0, weights=np.ones(a.shape)), "inverted_cdf"),
                        (lambda: _generic(xp, "quantile", a, 0.5, 0, "inverted_cdf", weights=-np.ones(a.shape)),
                         "non-negative"),
                        (lambda: _generic(xp, "quantile", a, 0.5, 0, "inverted_cdf", weights=np.zeros(a.shape)),
                         "all zero")]:
        with pytest.raises(ValueError, match=match):
            call()


def test_empty_lanes_and_nothing_to_reduce(xp):
    empty = np.zeros((0, 5))
    _check(_generic(xp, "quantile", empty, [0.5, 1.0], 1), empty, "quantile", [0.5, 1.0], 1)
    _check(_generic(xp, "nanquantile", empty, [0.5, 1.0], 0), empty, "nanquantile", [0.5, 1.0], 0)
    with pytest.raises(IndexError):
        _generic(xp, "quantile", empty, 0.5, 0)


FLOATS = st.one_of(st.floats(-1e6, 1e6), st.just(np.nan), st.sampled_from([0.0, 1.0, -2.5]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5), elements=FLOATS),
       q=st.one_of(st.sampled_from([0.0, 1.0, 0.5]), st.floats(0, 1),
                   hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=3),
                              elements=st.floats(0, 1))),
       name=st.sampled_from(NAMES), method=st.sampled_from(METHODS), keepdims=st.booleans(), data=st.data())
def test_hypothesis_edge_cases(xp, a, q, name, method, keepdims, data):
    axes = data.draw(st.one_of(st.none(), st.lists(st.integers(0, a.ndim - 1), min_size=1, unique=True)))
    axis = None if axes is None else tuple(axes) if len(axes) > 1 else axes[0]
    q = np.multiply(q, 100) if name.endswith("percentile") else q
    _check(_generic(xp, name, a, q, axis, method, keepdims), a, name, q, axis, method, keepdims)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)),
                    elements=st.sampled_from([0.0, 1.0, 2.0, 5.0, np.nan])),
       q=st.sampled_from([0.0, 1.0, 0.5, [0.0, 0.25, 1.0]]), skip=st.booleans(), data=st.data())
def test_hypothesis_weights(xp, a, q, skip, data):
    w = data.draw(hnp.arrays(np.float64, a.shape, elements=st.sampled_from([0.0, 0.5, 1.0, 3.0])))
    w[:, -1] += 1.0  # no lane of zero weights only
    if skip:
        w = np.where(np.isnan(a), w, w + 1.0)  # nor of zero weights on its numbers only
    name = "nanquantile" if skip else "quantile"
    _check(_generic(xp, name, a, q, 1, "inverted_cdf", weights=w), a, name, q, 1, "inverted_cdf", weights=w)


# -- a namespace with what CuPy 14 lacks taken away, and gpuscale's arrays on the generic path ------------------
def _cupy_like() -> types.SimpleNamespace:
    def quantile(a, q, *args, method="linear", **kwargs):
        if method not in ("linear", "lower", "higher", "midpoint", "nearest") or "weights" in kwargs:
            raise ValueError(f"'{method}' method is not yet supported. Please use any other method.")
        return np.quantile(np.where(np.isnan(a), 1e300, a), q, *args, method=method, **kwargs)  # no NaN rule

    names = [n for n in dir(np) if not n.startswith("_") and n not in ("nanquantile", "nanpercentile")]
    space = types.SimpleNamespace(**{n: getattr(np, n) for n in names})
    space.__name__, space.quantile = "cupy_like", quantile
    return space


@pytest.mark.parametrize("name", NAMES)
def test_quantile_of_a_namespace_like_cupys_takes_the_generic_path(name, backend):
    if backend != "numpy":
        pytest.skip("the stand-in namespace holds NumPy arrays")
    space = _cupy_like()
    q = [0.2, 0.7] if name.endswith("quantile") else [20, 70]
    data = X[:, :, 1] if name.startswith("nan") else np.nan_to_num(X[:, :, 1])
    w = np.ones(data.shape)
    assert not hasattr(space, "nanquantile")
    for method, weights in [("linear", None), ("weibull", None), ("inverted_cdf", w)]:
        got = quantile_of(space, name, data, np.asarray(q), (0,), method, False, weights)
        _check(got, data, name, np.asarray(q), 0, method, weights=weights)
    # CuPy's own quantile of a lane holding a NaN is not NaN; the generic one is NumPy's
    lane = np.array([[1.0, np.nan, 3.0]])
    assert not np.isnan(space.quantile(lane, 0.5, axis=1)).any()
    assert np.isnan(quantile_of(space, "quantile", lane, 0.5, (1,))).all()


@pytest.fixture
def generic_path(monkeypatch, backend):
    """gpuscale's quantiles of NumPy chunks through the generic path, as CuPy chunks take it."""
    if backend != "numpy":
        pytest.skip("forces the generic path of NumPy chunks")
    monkeypatch.setattr(_quantile, "_native_is_numpys", lambda xp: False)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("axis", [0, (0, 1), None])
def test_gpuscale_quantiles_on_the_generic_path(generic_path, name, axis):
    q = np.asarray([0.0, 0.5, 1.0]) * (100 if name.endswith("percentile") else 1)
    got = getattr(ga, name)(ga.asarray(X, chunks=(3, 4, 2)), q, axis=axis)
    want = getattr(np, name)(X, q, axis=axis)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(compute(got), want, equal_nan=True)


@pytest.mark.parametrize("q", [0.5, np.float32(0.5), np.asarray([0.5], dtype=np.float32)])
def test_gpuscale_float32_metadata_on_the_generic_path(generic_path, q):
    a = np.asarray([100, 200, 300], dtype=np.float32)
    assert_same(ga.quantile(ga.asarray(a), q), np.quantile(a, q))


def test_gpuscale_weights_on_the_generic_path(generic_path):
    data, w = np.nan_to_num(X[:, :, 0]), np.random.default_rng(1).random((7, 6)) + 0.1
    got = ga.nanquantile(ga.asarray(data, chunks=2), [0.2, 0.7], axis=1, weights=ga.asarray(w, chunks=3),
                         method="inverted_cdf")
    assert_same(got, np.nanquantile(data, [0.2, 0.7], axis=1, weights=w, method="inverted_cdf"))
    with pytest.raises(ValueError, match="do not fit"):
        ga.quantile(ga.asarray(data, chunks=2), 0.5, axis=0, weights=np.ones(4), method="inverted_cdf")


def test_gpuscale_lazy_q_on_the_generic_path(generic_path):
    a = np.random.default_rng(3).standard_normal((4, 5, 6))
    q = np.asarray([[0.1, 0.5], [0.9, 0.95]])
    assert_same(ga.quantile(ga.asarray(a, chunks=(2, 3, 2)), ga.asarray(q, chunks=1), axis=0),
                np.quantile(a, q, axis=0))
    with pytest.raises(ValueError, match="range"):
        ga.quantile(ga.asarray(np.arange(5.0)), ga.asarray([2.0])).compute()
