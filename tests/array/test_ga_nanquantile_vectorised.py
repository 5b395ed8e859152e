"""nanquantile/nanpercentile along an axis without NumPy's loop over the lanes.

NumPy's nan* quantiles of an n-d array run ``apply_along_axis`` (a Python call per 1-d lane): 7-40x slower
than dask on xarray's ``quantile``, which always calls ``nanquantile``.  NumPy chunks now take NumPy's
vectorised ``quantile`` where a block has no NaN, and a sort of every lane at once where it has; the results
are NumPy's bit for bit.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gpuscale.array as ga
from array_helpers import assert_same, compute

METHODS = ["linear", "lower", "higher", "nearest", "midpoint", "hazen", "inverted_cdf", "weibull"]


def _no_lane_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("apply_along_axis: a Python call per lane")

    monkeypatch.setattr(np, "apply_along_axis", refuse)


@pytest.mark.parametrize("nan", [False, True])
@pytest.mark.parametrize("name", ["nanquantile", "nanpercentile"])
def test_nanquantile_along_an_axis_does_not_loop_over_lanes(monkeypatch, name, nan):
    a = np.random.default_rng(0).standard_normal((12, 5, 7))
    if nan:
        a[::3, :, ::2] = np.nan
    q = [0.1, 0.5, 0.9] if name == "nanquantile" else [10, 50, 90]
    want = getattr(np, name)(a, q, axis=-1)
    want_protocol = getattr(np, name)(a, 0.5 if name == "nanquantile" else 50, axis=(0, 2))
    _no_lane_loop(monkeypatch)
    x = ga.from_array(a, chunks=(4, 5, 7))
    assert_same(getattr(ga, name)(x, q, axis=-1), want)
    assert_same(getattr(np, name)(x, 0.5 if name == "nanquantile" else 50, axis=(0, 2)), want_protocol)


def test_all_nan_lanes_give_nan_with_numpys_warning():
    a = np.arange(12.0).reshape(3, 4)
    a[1] = np.nan
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        want = np.nanquantile(a, [0.25, 0.5], axis=1)
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        got = compute(ga.nanquantile(ga.from_array(a, chunks=(1, 4)), [0.25, 0.5], axis=1))
    np.testing.assert_array_equal(got, want)


def test_float32_with_an_all_nan_first_lane_keeps_the_announced_dtype():
    # NumPy's loop takes the first lane's dtype (float32 for an all-NaN lane, float64 for the others
    # with a float64 q); every block of gpuscale's has the dtype its metadata announces
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    a[0] = np.nan
    q = np.asarray([0.3, 0.5])
    x = ga.nanquantile(ga.from_array(a, chunks=(1, 4)), q, axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = compute(x)
    assert got.dtype == x.dtype == np.quantile(np.nan_to_num(a), q, axis=1).dtype == np.float64
    a64 = np.where(np.isnan(a), np.nan, a.astype(np.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        np.testing.assert_array_equal(got, np.nanquantile(a64, q, axis=1))


DTYPES = st.sampled_from([np.float64, np.float32, np.int64, np.int16])


@st.composite
def _case(draw):
    dtype = draw(DTYPES)
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6))
    if np.dtype(dtype).kind == "f":
        values = st.one_of(st.floats(-1e6, 1e6, width=np.dtype(dtype).itemsize * 8), st.just(np.nan),
                           st.sampled_from([0.0, 1.0, -2.5]))
    else:
        values = st.integers(-1000, 1000)
    a = draw(hnp.arrays(dtype, shape, elements=values))
    # empty arrays: NumPy's nanquantile is then nanmean (no q dimensions); gpuscale's deliberate
    # answer (_empty_statistic) is tested elsewhere
    assume(a.size > 0)
    axes = draw(st.lists(st.integers(0, a.ndim - 1), min_size=1, max_size=a.ndim, unique=True))
    axis = tuple(axes) if len(axes) > 1 else axes[0]
    q = draw(st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0, 1),
                       hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=1, max_side=3),
                                  elements=st.floats(0, 1)),
                       st.just(np.asarray([0.5], dtype=np.float32))))
    return a, axis, q


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=_case(), method=st.sampled_from(METHODS), keepdims=st.booleans(), percent=st.booleans(),
       chunk=st.integers(1, 4))
def test_nanquantile_matches_numpy_bit_for_bit(case, method, keepdims, percent, chunk):
    a, axis, q = case
    name = "nanpercentile" if percent else "nanquantile"
    q = np.multiply(q, 100) if percent else q
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN lanes and empty lanes, as NumPy
        try:
            want = np.asarray(getattr(np, name)(a, q, axis=axis, method=method, keepdims=keepdims))
        except (ValueError, IndexError):
            return  # NumPy's refusals (an empty reduction of integers) are not this test's
        # NumPy's loop takes the first lane's dtype (float32 if it is all-NaN): the dtype NaN-free data gets
        dtype = np.asarray(getattr(np, name)(np.nan_to_num(a), q, axis=axis, method=method,
                                             keepdims=keepdims)).dtype
        x = getattr(ga, name)(ga.from_array(a, chunks=chunk), q, axis=axis, method=method, keepdims=keepdims)
        got = compute(x)
    assert x.shape == got.shape == want.shape
    assert x.dtype == got.dtype == dtype
    np.testing.assert_array_equal(got, want.astype(dtype), strict=True)


@pytest.mark.parametrize("all_nan_lane", [None, 0, 2])
@pytest.mark.parametrize("nans", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_long_lanes(dtype, nans, all_nan_lane):
    # long lanes keep NumPy's partition (quantile without NaN, nanquantile's loop with) unless a lane is all NaN
    a = np.random.default_rng(1).standard_normal((4, 5000)).astype(dtype)
    if nans:
        a[:, ::7] = np.nan
    if all_nan_lane is not None:
        a[all_nan_lane] = np.nan
    for q in (0.3, np.asarray([0.1, 0.5, 0.99])):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            x = ga.nanquantile(ga.from_array(a, chunks=(2, 2000)), q, axis=1)
            # NumPy's loop would cast every lane to an all-NaN first lane's float32: start it at another
            got, want = compute(x), np.roll(np.nanquantile(np.roll(a, -1, axis=0), q, axis=1), 1, axis=-1)
            dtype_wanted = np.quantile(np.nan_to_num(a), q, axis=1).dtype
        assert x.dtype == got.dtype == dtype_wanted
        np.testing.assert_array_equal(got, want.astype(dtype_wanted), strict=True)
