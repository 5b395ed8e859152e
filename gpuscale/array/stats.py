"""Statistical tests and moments of chunked arrays, as ``dask.array.stats`` (``scipy.stats``' names and answers).

The statistics are tree reductions over the blocks (means, variances, central moments), so an axis of any
length and chunking works.  The tests (``ttest_ind``, ``chisquare``, ``normaltest`` ...) return, as dask's, a
``dask.delayed`` object: computing it computes the statistic and gives ``(statistic, pvalue)`` as SciPy's
named tuple fields; the p-value comes from ``scipy.stats``' distributions on the host, so SciPy must be
installed.  ``skew``, ``kurtosis`` and ``moment`` return lazy arrays.  Only ``nan_policy="propagate"``
(SciPy's default) is supported, as in dask.
"""

from __future__ import annotations

import math
from collections import namedtuple as _namedtuple
from typing import Any

from gpuscale.array._operands import as_array
from gpuscale.array.core import Array
from gpuscale.array.statistical import AxisError
from gpuscale.backends.array._stats import stats_result

__all__ = ["ttest_ind", "ttest_1samp", "ttest_rel", "chisquare", "power_divergence", "skew", "skewtest",
           "kurtosis", "kurtosistest", "normaltest", "f_oneway", "moment"]

# SciPy's result names (as dask.array.stats): a tuple ``(statistic, pvalue)`` with those fields
Ttest_indResult = _namedtuple("Ttest_indResult", ("statistic", "pvalue"))
Ttest_1sampResult = _namedtuple("Ttest_1sampResult", ("statistic", "pvalue"))
Ttest_relResult = _namedtuple("Ttest_relResult", ("statistic", "pvalue"))
Power_divergenceResult = _namedtuple("Power_divergenceResult", ("statistic", "pvalue"))
SkewtestResult = _namedtuple("SkewtestResult", ("statistic", "pvalue"))
KurtosistestResult = _namedtuple("KurtosistestResult", ("statistic", "pvalue"))
NormaltestResult = _namedtuple("NormaltestResult", ("statistic", "pvalue"))
F_onewayResult = _namedtuple("F_onewayResult", ("statistic", "pvalue"))

# power_divergence's named lambdas (Cressie and Read's family), as scipy.stats
_LAMBDAS = {"pearson": 1.0, "log-likelihood": 0.0, "freeman-tukey": -0.5, "mod-log-likelihood": -1.0,
            "neyman": -2.0, "cressie-read": 2 / 3}


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


def _check_nan_policy(name: str, nan_policy: str) -> None:
    if nan_policy != "propagate":
        raise NotImplementedError(f"stats.{name}: nan_policy={nan_policy!r} is not supported; only 'propagate' "
                                  "(NaN in, NaN out), as dask.array.stats")


def _prepared(a: Any, axis: Any) -> tuple:
    """``a`` as a float array and the axis the statistic reduces (``axis=None``: the flattened array)."""
    x = as_array(a)
    if x.dtype.kind in "biu":
        x = x.astype("float64")
    if axis is None:
        return x.reshape(-1), 0
    if not -x.ndim <= axis < max(x.ndim, 1):
        raise AxisError(f"axis {axis} is out of bounds for array of dimension {x.ndim}")
    return x, axis % max(x.ndim, 1)


def _length(x: Array, axis: int, name: str) -> int:
    n = x.shape[axis]
    if n != n:
        raise ValueError(f"stats.{name}: the length of axis {axis} is unknown; call x.compute_chunk_sizes() first")
    return int(n)


def _delayed_result(name: str, result_type: Any, statistic: Any, distribution: str, alternative: str,
                    *params: Any) -> Any:
    """A ``dask.delayed`` object computing ``result_type(statistic, pvalue)`` (the p-value on the host;
    ``alternative`` picks the tail, as SciPy's)."""
    import dask

    if alternative not in ("two-sided", "less", "greater"):
        raise ValueError(f"stats.{name}: alternative must be 'less', 'greater' or 'two-sided', got {alternative!r}")
    return dask.delayed(stats_result, name=name, pure=True)(result_type, statistic, distribution, alternative,
                                                            *params)


def _t_result(name: str, result_type: Any, t: Any, df: Any, alternative: str) -> Any:
    return _delayed_result(name, result_type, t, "t", alternative, df)


def ttest_ind(a: Any, b: Any, axis: Any = 0, equal_var: bool = True, *, alternative: str = "two-sided") -> Any:
    """T-test of two independent samples having the same mean, as ``scipy.stats.ttest_ind``.

    Parameters
    ----------
    a, b : Array
        The samples; their shapes match except along ``axis``.
    axis : int or None
        The axis of the observations (None: the flattened arrays).
    equal_var : bool
        Student's test (the samples share a variance); False: Welch's test.
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis, as SciPy's (the mean of ``a`` differs from, is less than, is greater
        than that of ``b``); dask has only the two-sided test.

    Returns
    -------
    dask.delayed.Delayed
        Computes ``Ttest_indResult(statistic, pvalue)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> a = ga.asarray([1.0, 2.0, 3.0, 4.0], chunks=2)
    >>> b = ga.asarray([2.0, 3.0, 4.0, 5.0, 6.0], chunks=2)
    >>> result = ga.stats.ttest_ind(a, b).compute()
    >>> round(float(result.statistic), 4), round(float(result.pvalue), 4)
    (-1.5275, 0.1705)
    """
    ga = _ga()
    (x, axis), (y, _) = _prepared(a, axis), _prepared(b, axis)
    n1, n2 = _length(x, axis, "ttest_ind"), _length(y, axis, "ttest_ind")
    v1, v2 = ga.var(x, axis=axis, ddof=1), ga.var(y, axis=axis, ddof=1)
    if equal_var:
        df = n1 + n2 - 2.0
        pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
        denom = ga.sqrt(pooled * (1.0 / n1 + 1.0 / n2))
    else:  # Welch: Satterthwaite's degrees of freedom
        vn1, vn2 = v1 / n1, v2 / n2
        df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1))
        denom = ga.sqrt(vn1 + vn2)
    t = (ga.mean(x, axis=axis) - ga.mean(y, axis=axis)) / denom
    return _t_result("ttest_ind", Ttest_indResult, t, df, alternative)


def ttest_1samp(a: Any, popmean: Any, axis: Any = 0, nan_policy: str = "propagate", *,
                alternative: str = "two-sided") -> Any:
    """T-test of a sample's mean being ``popmean``, as ``scipy.stats.ttest_1samp``.

    Parameters
    ----------
    a : Array
        The sample.
    popmean : float or array_like
        The expected mean (broadcast against the statistic).
    axis : int or None
        The axis of the observations (None: the flattened array).
    nan_policy : {"propagate"}
        NaN in gives NaN out (the only policy, as dask).
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis, as SciPy's.

    Returns
    -------
    dask.delayed.Delayed
        Computes ``Ttest_1sampResult(statistic, pvalue)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> result = ga.stats.ttest_1samp(ga.asarray([1.0, 2.0, 3.0, 4.0], chunks=2), 2.0).compute()
    >>> round(float(result.statistic), 4), round(float(result.pvalue), 4)
    (0.7746, 0.495)
    """
    _check_nan_policy("ttest_1samp", nan_policy)
    ga = _ga()
    x, axis = _prepared(a, axis)
    n = _length(x, axis, "ttest_1samp")
    t = (ga.mean(x, axis=axis) - popmean) / ga.sqrt(ga.var(x, axis=axis, ddof=1) / n)
    return _t_result("ttest_1samp", Ttest_1sampResult, t, n - 1.0, alternative)


def ttest_rel(a: Any, b: Any, axis: Any = 0, nan_policy: str = "propagate", *,
              alternative: str = "two-sided") -> Any:
    """T-test of two paired samples having the same mean, as ``scipy.stats.ttest_rel``.

    Parameters
    ----------
    a, b : Array
        The paired samples (same shape).
    axis : int or None
        The axis of the observations (None: the flattened arrays).
    nan_policy : {"propagate"}
        NaN in gives NaN out (the only policy, as dask).
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis, as SciPy's.

    Returns
    -------
    dask.delayed.Delayed
        Computes ``Ttest_relResult(statistic, pvalue)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> a = ga.asarray([1.0, 2.0, 3.0, 4.0], chunks=2)
    >>> b = ga.asarray([1.5, 2.0, 3.5, 5.0], chunks=2)
    >>> result = ga.stats.ttest_rel(a, b).compute()
    >>> round(float(result.statistic), 4), round(float(result.pvalue), 4)
    (-2.4495, 0.0917)
    """
    _check_nan_policy("ttest_rel", nan_policy)
    ga = _ga()
    (x, axis), (y, _) = _prepared(a, axis), _prepared(b, axis)
    if x.shape != y.shape:
        raise ValueError(f"stats.ttest_rel: the paired samples differ in shape: {x.shape} and {y.shape}")
    n = _length(x, axis, "ttest_rel")
    d = x - y
    t = ga.mean(d, axis=axis) / ga.sqrt(ga.var(d, axis=axis, ddof=1) / n)
    return _t_result("ttest_rel", Ttest_relResult, t, n - 1.0, alternative)


def chisquare(f_obs: Any, f_exp: Any = None, ddof: int = 0, axis: Any = 0) -> Any:
    """Pearson's chi-squared test of observed against expected frequencies, as ``scipy.stats.chisquare``.

    Parameters
    ----------
    f_obs : Array
        Observed frequencies.
    f_exp : Array, optional
        Expected frequencies (equal frequencies, the mean of ``f_obs``, if None).
    ddof : int
        Reduces the degrees of freedom, ``k - 1 - ddof``.
    axis : int or None
        The axis of the categories (None: the flattened array).

    Returns
    -------
    dask.delayed.Delayed
        Computes ``Power_divergenceResult(statistic, pvalue)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> result = ga.stats.chisquare(ga.asarray([16.0, 18.0, 16.0, 14.0, 12.0, 12.0], chunks=2)).compute()
    >>> float(result.statistic), round(float(result.pvalue), 4)
    (2.0, 0.8491)
    """
    return power_divergence(f_obs, f_exp=f_exp, ddof=ddof, axis=axis, lambda_="pearson")


def power_divergence(f_obs: Any, f_exp: Any = None, ddof: int = 0, axis: Any = 0, lambda_: Any = None) -> Any:
    """Cressie-Read power divergence test of observed against expected frequencies, as
    ``scipy.stats.power_divergence``.

    Parameters
    ----------
    f_obs : Array
        Observed frequencies.
    f_exp : Array, optional
        Expected frequencies (equal frequencies, the mean of ``f_obs``, if None).
    ddof : int
        Reduces the degrees of freedom, ``k - 1 - ddof``.
    axis : int or None
        The axis of the categories (None: the flattened array).
    lambda_ : float or str, optional
        The power: a number, or ``"pearson"`` (1, the default), ``"log-likelihood"`` (0),
        ``"freeman-tukey"`` (-1/2), ``"mod-log-likelihood"`` (-1), ``"neyman"`` (-2), ``"cressie-read"`` (2/3).

    Returns
    -------
    dask.delayed.Delayed
        Computes ``Power_divergenceResult(statistic, pvalue)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> obs = ga.asarray([16.0, 18.0, 16.0, 14.0, 12.0, 12.0], chunks=2)
    >>> result = ga.stats.power_divergence(obs, lambda_="log-likelihood").compute()
    >>> round(float(result.statistic), 4), round(float(result.pvalue), 4)
    (2.0066, 0.8482)
    """
    ga = _ga()
    if isinstance(lambda_, str):
        if lambda_ not in _LAMBDAS:
            raise ValueError(f"stats.power_divergence: invalid string for lambda_: {lambda_!r}; valid strings "
                             f"are {sorted(_LAMBDAS)}")
        lambda_ = _LAMBDAS[lambda_]
    elif lambda_ is None:
        lambda_ = 1.0
    flat = axis is None
    obs, axis = _prepared(f_obs, axis)
    k = _length(obs, axis, "power_divergence")
    if f_exp is None:
        expected = ga.mean(obs, axis=axis, keepdims=True)
    else:
        expected = as_array(f_exp, obs.backend)
        expected = expected.reshape(-1) if flat else expected
    if lambda_ == 1:
        terms = (obs - expected) ** 2 / expected
    elif lambda_ == 0:  # the limit: 2 * obs * log(obs / exp), 0 where obs is 0
        terms = 2.0 * ga.where(obs == 0, 0.0, obs * ga.log(obs / expected))
    elif lambda_ == -1:
        terms = 2.0 * ga.where(expected == 0, 0.0, expected * ga.log(expected / obs))
    else:
        terms = obs * ((obs / expected) ** lambda_ - 1) / (0.5 * lambda_ * (lambda_ + 1))
    statistic = ga.sum(terms, axis=axis)
    return _delayed_result("power_divergence", Power_divergenceResult, statistic, "chi2", "greater", k - 1 - ddof)


def _central_moments(x: Array, axis: int, orders: tuple) -> tuple:
    """The central moments of ``orders``, and where the variance is zero up to rounding (SciPy's test)."""
    ga = _ga()
    mean = ga.mean(x, axis=axis, keepdims=True)
    centred = x - mean
    moments = tuple(ga.mean(centred ** k, axis=axis) for k in orders)
    eps = ga.finfo(x.dtype).eps if x.dtype.kind in "fc" else ga.finfo("float64").eps
    zero = moments[0] <= (eps * ga.squeeze(mean, axis=axis)) ** 2
    return moments, zero


def skew(a: Any, axis: Any = 0, bias: bool = True, nan_policy: str = "propagate") -> Array:
    """Sample skewness, ``m3 / m2**1.5`` of the central moments, as ``scipy.stats.skew``.

    Parameters
    ----------
    a : Array
        The data.
    axis : int or None
        The axis of the observations (None: the flattened array).
    bias : bool
        True: the biased estimate (dask's only one); False: corrected for statistical bias, as SciPy.
    nan_policy : {"propagate"}
        NaN in gives NaN out (the only policy, as dask).

    Returns
    -------
    Array
        The skewness (NaN where the data is constant, as SciPy).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([1.0, 2.0, 3.0, 10.0], chunks=2)
    >>> round(float(ga.stats.skew(x)), 4), round(float(ga.stats.skew(x, bias=False)), 4)
    (1.0182, 1.7636)
    """
    _check_nan_policy("skew", nan_policy)
    ga = _ga()
    x, axis = _prepared(a, axis)
    n = _length(x, axis, "skew")
    (m2, m3), zero = _central_moments(x, axis, (2, 3))
    value = ga.where(zero, math.nan, m3 / ga.where(zero, 1.0, m2) ** 1.5)
    if not bias and n > 2:
        value = value * (math.sqrt((n - 1.0) * n) / (n - 2.0))
    return value


def kurtosis(a: Any, axis: Any = 0, fisher: bool = True, bias: bool = True, nan_policy: str = "propagate") -> Array:
    """Sample kurtosis, ``m4 / m2**2`` of the central moments (minus 3 with ``fisher``), as
    ``scipy.stats.kurtosis``.

    Parameters
    ----------
    a : Array
        The data.
    axis : int or None
        The axis of the observations (None: the flattened array).
    fisher : bool
        True: the excess kurtosis (0 for a normal distribution); False: Pearson's (3 for it).
    bias : bool
        True: the biased estimate (dask's only one); False: corrected for statistical bias, as SciPy.
    nan_policy : {"propagate"}
        NaN in gives NaN out (the only policy, as dask).

    Returns
    -------
    Array
        The kurtosis (NaN where the data is constant, as SciPy).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([1.0, 2.0, 3.0, 10.0], chunks=2)
    >>> round(float(ga.stats.kurtosis(x)), 4), round(float(ga.stats.kurtosis(x, fisher=False)), 4)
    (-0.7696, 2.2304)
    """
    _check_nan_policy("kurtosis", nan_policy)
    ga = _ga()
    x, axis = _prepared(a, axis)
    n = _length(x, axis, "kurtosis")
    (m2, m4), zero = _central_moments(x, axis, (2, 4))
    value = ga.where(zero, math.nan, m4 / ga.where(zero, 1.0, m2) ** 2)
    if not bias and n > 3:
        value = ((n * n - 1.0) * value - 3 * (n - 1.0) ** 2) / ((n - 2.0) * (n - 3.0)) + 3.0
    return value - 3.0 if fisher else value


def _skew_z(x: Array, axis: int, n: int) -> Array:
    """D'Agostino's normal approximation of the skewness (SciPy's ``skewtest`` statistic)."""
    ga = _ga()
    b2 = skew(x, axis)
    y = b2 * math.sqrt(((n + 1) * (n + 3)) / (6.0 * (n - 2)))
    beta2 = 3.0 * (n * n + 27 * n - 70) * (n + 1) * (n + 3) / ((n - 2.0) * (n + 5) * (n + 7) * (n + 9))
    w2 = -1 + math.sqrt(2 * (beta2 - 1))
    delta = 1 / math.sqrt(0.5 * math.log(w2))
    alpha = math.sqrt(2.0 / (w2 - 1))
    y = ga.where(y == 0, 1.0, y)
    return delta * ga.log(y / alpha + ga.sqrt((y / alpha) ** 2 + 1))


def _kurtosis_z(x: Array, axis: int, n: int) -> Array:
    """Anscombe and Glynn's normal approximation of the kurtosis (SciPy's ``kurtosistest`` statistic)."""
    ga = _ga()
    b2 = kurtosis(x, axis, fisher=False)
    mean = 3.0 * (n - 1) / (n + 1)
    var = 24.0 * n * (n - 2) * (n - 3) / ((n + 1) * (n + 1.0) * (n + 3) * (n + 5))
    z = (b2 - mean) / math.sqrt(var)
    root_beta1 = (6.0 * (n * n - 5 * n + 2) / ((n + 7) * (n + 9))
                  * math.sqrt((6.0 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3))))
    big_a = 6.0 + 8.0 / root_beta1 * (2.0 / root_beta1 + math.sqrt(1 + 4.0 / root_beta1 ** 2))
    term1 = 1 - 2 / (9.0 * big_a)
    denom = 1 + z * math.sqrt(2 / (big_a - 4.0))
    term2 = ga.sign(denom) * ga.where(denom == 0, math.nan,
                                       ((1 - 2.0 / big_a) / ga.abs(ga.where(denom == 0, 1.0, denom))) ** (1 / 3.0))
    return (term1 - term2) / math.sqrt(2 / (9.0 * big_a))


def _skewtest_length(x: Array, axis: int, name: str) -> int:
    n = _length(x, axis, name)
    if n < 8:
        raise ValueError(f"stats.{name}: skewtest is not valid with less than 8 samples; {n} samples were given.")
    return n


def _kurtosistest_length(x: Array, axis: int, name: str) -> int:
    import warnings

    n = _length(x, axis, name)
    if n < 5:
        raise ValueError(f"stats.{name}: kurtosistest requires at least 5 observations; {n} observations were "
                         "given.")
    if n < 20:
        warnings.warn(f"stats.{name}: kurtosistest p-values are only accurate for n >= 20; continuing anyway, "
                      f"n={n}", UserWarning, stacklevel=3)
    return n


def skewtest(a: Any, axis: Any = 0, nan_policy: str = "propagate", *, alternative: str = "two-sided") -> Any:
    """Test of the skewness being that of a normal distribution, as ``scipy.stats.skewtest``.

    Parameters
    ----------
    a : Array
        The data (at least 8 observations).
    axis : int or None
        The axis of the observations (None: the flattened array).
    nan_policy : {"propagate"}
        NaN in gives NaN out (the only policy, as dask).
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis, as SciPy's.

    Returns
    -------
    dask.delayed.Delayed
        Computes ``SkewtestResult(statistic, pvalue)`` (the z-score and its p-value).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 20.0], chunks=3)
    >>> result = ga.stats.skewtest(x).compute()
    >>> round(float(result.statistic), 4), round(float(result.pvalue), 4)
    (2.8736, 0.0041)
    """
    _check_nan_policy("skewtest", nan_policy)
    x, axis = _prepared(a, axis)
    n = _skewtest_length(x, axis, "skewtest")
    return _delayed_result("skewtest", SkewtestResult, _skew_z(x, axis, n), "norm", alternative)


def kurtosistest(a: Any, axis: Any = 0, nan_policy: str = "propagate", *, alternative: str = "two-sided") -> Any:
    """Test of the kurtosis being that of a normal distribution, as ``scipy.stats.kurtosistest``.

    Parameters
    ----------
    a : Array
        The data (at least 5 observations; a ``UserWarning`` below 20).
    axis : int or None
        The axis of the observations (None: the flattened array).
    nan_policy : {"propagate"}
        NaN in gives NaN out (the only policy, as dask).
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis, as SciPy's.

    Returns
    -------
    dask.delayed.Delayed
        Computes ``KurtosistestResult(statistic, pvalue)`` (the z-score and its p-value).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(20.0, chunks=7) ** 2
    >>> result = ga.stats.kurtosistest(x).compute()
    >>> round(float(result.statistic), 4), round(float(result.pvalue), 4)
    (-0.7472, 0.455)
    """
    _check_nan_policy("kurtosistest", nan_policy)
    x, axis = _prepared(a, axis)
    n = _kurtosistest_length(x, axis, "kurtosistest")
    return _delayed_result("kurtosistest", KurtosistestResult, _kurtosis_z(x, axis, n), "norm", alternative)


def normaltest(a: Any, axis: Any = 0, nan_policy: str = "propagate") -> Any:
    """D'Agostino and Pearson's test of a sample coming from a normal distribution, as
    ``scipy.stats.normaltest``: the squared z-scores of :func:`skewtest` and :func:`kurtosistest` summed.

    Parameters
    ----------
    a : Array
        The data (at least 8 observations).
    axis : int or None
        The axis of the observations (None: the flattened array).
    nan_policy : {"propagate"}
        NaN in gives NaN out (the only policy, as dask).

    Returns
    -------
    dask.delayed.Delayed
        Computes ``NormaltestResult(statistic, pvalue)`` (chi-squared with 2 degrees of freedom).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(20.0, chunks=7) ** 2
    >>> result = ga.stats.normaltest(x).compute()
    >>> round(float(result.statistic), 4), round(float(result.pvalue), 4)
    (2.5965, 0.273)
    """
    _check_nan_policy("normaltest", nan_policy)
    x, axis = _prepared(a, axis)
    n = _skewtest_length(x, axis, "normaltest")
    _kurtosistest_length(x, axis, "normaltest")
    statistic = _skew_z(x, axis, n) ** 2 + _kurtosis_z(x, axis, n) ** 2
    return _delayed_result("normaltest", NormaltestResult, statistic, "chi2", "greater", 2)


def f_oneway(*args: Any) -> Any:
    """One-way analysis of variance: do the groups share a mean? As ``scipy.stats.f_oneway``.

    Parameters
    ----------
    *args : Array
        Two or more 1-d samples (the groups), of any lengths.

    Returns
    -------
    dask.delayed.Delayed
        Computes ``F_onewayResult(statistic, pvalue)`` (the F statistic and its p-value).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> groups = [ga.asarray([1.0, 2.0, 3.0]), ga.asarray([2.0, 3.0, 4.0, 5.0]), ga.asarray([6.0, 7.0, 8.0])]
    >>> result = ga.stats.f_oneway(*groups).compute()
    >>> round(float(result.statistic), 4), round(float(result.pvalue), 4)
    (15.5167, 0.0027)
    """
    ga = _ga()
    if len(args) < 2:
        raise TypeError(f"stats.f_oneway: at least two groups are required; got {len(args)}.")
    groups = [_prepared(g, None)[0] for g in args]
    lengths = [_length(g, 0, "f_oneway") for g in groups]
    k, total = len(groups), sum(lengths)
    offset = ga.mean(ga.concatenate(groups), axis=0)  # subtracted first, for accuracy (as SciPy)
    shifted = [g - offset for g in groups]
    square_of_total = sum(ga.sum(g) for g in shifted) ** 2 / total
    ss_total = sum(ga.sum(g ** 2) for g in shifted) - square_of_total
    ss_between = sum(ga.sum(g) ** 2 / n for g, n in zip(shifted, lengths)) - square_of_total
    ss_within = ss_total - ss_between
    df_between, df_within = k - 1.0, total - float(k)
    statistic = (ss_between / df_between) / (ss_within / df_within)
    return _delayed_result("f_oneway", F_onewayResult, statistic, "f", "greater", df_between, df_within)


def moment(a: Any, moment: int = 1, axis: Any = 0, nan_policy: str = "propagate") -> Array:
    """The ``moment``-th central moment, as ``scipy.stats.moment`` (its default ``axis=0``).

    Parameters
    ----------
    a : Array
        The data.
    moment : int
        The order (0 gives ones, 1 zeros).
    axis : int or None
        The axis of the observations (None: the flattened array).
    nan_policy : {"propagate"}
        NaN in gives NaN out (the only policy, as dask).

    Returns
    -------
    Array
        The moment.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> float(ga.stats.moment(ga.asarray([1.0, 2.0, 3.0, 10.0], chunks=2), 2))
    12.5
    """
    _check_nan_policy("moment", nan_policy)
    x, axis = _prepared(a, axis)
    return _ga().moment(x, moment, axis=axis)
