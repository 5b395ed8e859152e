"""gpuscale.array.stats (dask.array.stats' functions) against scipy.stats on the same data: the statistics
over several block layouts and axes, the tests' ``(statistic, pvalue)`` and dask's errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

scipy_stats = pytest.importorskip("scipy.stats")

RNG = np.random.default_rng(1337)
DATA = RNG.random((30, 4))
OTHER = RNG.random((24, 4)) ** 2


def _computed_result(delayed):
    statistic, pvalue = delayed.compute()
    return np.asarray(statistic), np.asarray(pvalue)


@pytest.mark.parametrize("chunks", [7, (30, 1), 100])
@pytest.mark.parametrize("axis", [0, 1, -1, None])
@pytest.mark.parametrize("name, kwargs", [("skew", {}), ("skew", {"bias": False}), ("kurtosis", {}),
                                          ("kurtosis", {"fisher": False}), ("kurtosis", {"bias": False})])
def test_measures_match_scipy(name, kwargs, axis, chunks):
    ours = getattr(ga.stats, name)(ga.asarray(DATA, chunks=chunks), axis=axis, **kwargs)
    expected = getattr(scipy_stats, name)(DATA, axis=axis, **kwargs)
    assert ours.shape == np.shape(expected)
    np.testing.assert_allclose(compute(ours), expected, rtol=1e-10)


def test_measures_of_constant_data_are_nan_as_scipy():
    data = np.full(10, 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for name in ("skew", "kurtosis"):
            expected = getattr(scipy_stats, name)(data)
            assert np.isnan(expected) and np.isnan(compute(getattr(ga.stats, name)(ga.asarray(data, chunks=3))))


@pytest.mark.parametrize("order", range(5))
def test_moment_matches_scipy(order):
    np.testing.assert_allclose(compute(ga.stats.moment(ga.asarray(DATA, chunks=7), order)),
                               scipy_stats.moment(DATA, order), atol=1e-12)


@pytest.mark.parametrize("axis", [0, None])
@pytest.mark.parametrize("name, args, kwargs", [
    ("ttest_ind", (DATA, OTHER), {}), ("ttest_ind", (DATA, OTHER), {"equal_var": False}),
    ("ttest_1samp", (DATA, 0.45), {}), ("ttest_rel", (DATA, DATA[::-1] ** 2), {}),
    ("chisquare", (DATA,), {}), ("chisquare", (DATA,), {"ddof": 1}),
    ("power_divergence", (DATA, DATA[::-1]), {"lambda_": "log-likelihood"}),
    ("power_divergence", (DATA,), {"lambda_": "neyman"}), ("power_divergence", (DATA,), {"lambda_": -1}),
    ("power_divergence", (DATA,), {"lambda_": 0.4}),
    ("skewtest", (DATA,), {}), ("kurtosistest", (DATA,), {}), ("normaltest", (DATA,), {}),
])
def test_tests_match_scipy(name, args, kwargs, axis):
    ours_args = [ga.asarray(a, chunks=(7, 2)) if isinstance(a, np.ndarray) else a for a in args]
    if name == "power_divergence" and len(args) == 2 and axis is None:
        pytest.skip("scipy flattens only f_obs there")
    result = getattr(ga.stats, name)(*ours_args, axis=axis, **kwargs)
    assert hasattr(result, "compute") and type(result).__name__ == "Delayed"  # lazy, as dask's
    expected = getattr(scipy_stats, name)(*args, axis=axis, **kwargs)
    statistic, pvalue = _computed_result(result)
    np.testing.assert_allclose(statistic, expected[0], rtol=1e-9)
    np.testing.assert_allclose(pvalue, expected[1], rtol=1e-7)
    assert result.compute().statistic.shape == np.shape(expected.statistic)


def test_one_dimensional_results_are_numpy_scalars():
    x = ga.asarray(DATA[:, 0], chunks=4)
    assert isinstance(compute(ga.stats.skew(x))[()], np.float64)
    assert isinstance(ga.stats.ttest_1samp(x, 0.5).compute().pvalue, np.float64)


def test_f_oneway_matches_scipy():
    groups = [i * DATA[: 10 + i, 0] for i in range(1, 5)]
    ours = ga.stats.f_oneway(*[ga.asarray(g, chunks=4) for g in groups])
    np.testing.assert_allclose(_computed_result(ours), scipy_stats.f_oneway(*groups), rtol=1e-9)


def test_errors_are_dasks():
    x = ga.asarray(DATA[:, 0], chunks=5)
    for func, nargs in [(ga.stats.ttest_1samp, 2), (ga.stats.ttest_rel, 2), (ga.stats.skew, 1),
                        (ga.stats.kurtosistest, 1), (ga.stats.normaltest, 1), (ga.stats.moment, 1)]:
        with pytest.raises(NotImplementedError, match="nan_policy='omit'"):
            func(*(None,) * nargs, nan_policy="omit")
    with pytest.raises(ValueError, match="invalid string for lambda_"):
        ga.stats.power_divergence(x, lambda_="wrong")
    with pytest.raises(ValueError, match="7 samples"):
        ga.stats.skewtest(ga.ones(7, chunks=3))
    with pytest.raises(ValueError, match="at least 5 observations"):
        ga.stats.kurtosistest(ga.ones(4, chunks=3))
    with pytest.warns(UserWarning, match="n=10"):
        ga.stats.kurtosistest(x[:10])
    with pytest.raises(ValueError, match="differ in shape"):
        ga.stats.ttest_rel(x, x[:5])
    with pytest.raises(TypeError, match="at least two groups"):
        ga.stats.f_oneway(x)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("name, args", [("ttest_ind", (DATA, OTHER)), ("ttest_1samp", (DATA, 0.45)),
                                        ("ttest_rel", (DATA, DATA[::-1] ** 2)), ("skewtest", (DATA,)),
                                        ("kurtosistest", (DATA,))])
def test_alternative_hypotheses_match_scipy(name, args, alternative):
    ours_args = [ga.asarray(a, chunks=(7, 2)) if isinstance(a, np.ndarray) else a for a in args]
    statistic, pvalue = _computed_result(getattr(ga.stats, name)(*ours_args, alternative=alternative))
    expected = getattr(scipy_stats, name)(*args, alternative=alternative)
    np.testing.assert_allclose(statistic, expected[0], rtol=1e-9)
    np.testing.assert_allclose(pvalue, expected[1], rtol=1e-7)


def test_unknown_alternative_is_refused():
    with pytest.raises(ValueError, match="alternative must be"):
        ga.stats.ttest_1samp(ga.asarray(DATA[:, 0], chunks=5), 0.5, alternative="bigger")
