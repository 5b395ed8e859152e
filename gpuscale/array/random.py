"""Seeded random arrays whose values depend only on the seed and the block layout, never on threads.

Each block draws from its own stream, derived from ``(seed, call number)``
and the block's index (NumPy ``SeedSequence`` spawn keys), so blocks can be
computed in any order, on any worker, with the same result.  As in
dask.array, the values depend on the chunking (a different ``chunks=`` gives
different numbers); the same seed, call order and chunks always give the same
array.  ``default_rng(seed)`` (NumPy's ``Generator`` methods) and
``RandomState(seed)`` (dask.array's legacy ``RandomState`` method names:
``random_sample``, ``randint``, ``standard_normal`` ...) both draw with PCG64,
so their numbers are not NumPy's own for the same seed.
"""

from __future__ import annotations

from typing import Any

from gpuscale.array._generator import _DISTRIBUTIONS, Generator, RandomState, default_rng, warn_random_integers
from gpuscale.array.core import Array

__all__ = ["Generator", "RandomState", "default_rng", "random", "normal", "uniform", "integers", "standard_normal",
           "random_sample", "randint", "poisson", "exponential", "binomial"]


_STATE: list = []  # the module's RandomState (made on first use), reseeded by seed()


def _global() -> RandomState:
    if not _STATE:
        _STATE.append(RandomState())
    return _STATE[0]


def _source(seed: int | None, backend: str | None) -> Generator:
    """A generator seeded with ``seed``; without one, the module's stream (see :func:`seed`)."""
    if seed is not None:
        return Generator(seed, backend)
    state = _global()
    view = Generator.__new__(Generator)
    view._seed, view._calls, view.backend = state._seed, state._calls, backend
    return view


def seed(seed: int | None = None) -> None:
    """Reseed the module's stream, as ``dask.array.random.seed``: after ``seed(s)`` the module-level
    functions called without ``seed=`` give the same arrays again (same calls, same chunks).

    Parameters
    ----------
    seed : int, optional
        The seed (random if None).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.random.seed(7); a = ga.random.random_sample(4, chunks=2).compute()
    >>> ga.random.seed(7); b = ga.random.random_sample(4, chunks=2).compute()
    >>> bool((a == b).all())
    True
    """
    _global().seed(seed)


def random(size: Any = None, chunks: Any = "auto", *, seed: int | None = None, backend: str | None = None) -> Array:
    """Uniform floats in ``[0, 1)``.

    Parameters
    ----------
    size : int or tuple of int, optional
        Shape of the result (one number, 0-d, when None).
    chunks
        Blocks (as :func:`gpuscale.array.ones`); the numbers depend on them, as in dask.array.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        float64.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.random((4, 2), chunks=2, seed=0)
    >>> x.shape, bool(((x >= 0) & (x < 1)).all())
    ((4, 2), True)
    >>> bool((x == ga.random.random((4, 2), chunks=2, seed=0)).all())
    True
    """
    return _source(seed, backend).random(size, chunks=chunks)


def normal(loc: float = 0.0, scale: float = 1.0, size: Any = None, chunks: Any = "auto", *,
           seed: int | None = None, backend: str | None = None) -> Array:
    """Normally distributed floats.

    Parameters
    ----------
    loc : float
        Mean.
    scale : float
        Standard deviation.
    size : int or tuple of int
        Shape of the result.
    chunks
        Blocks (as :func:`gpuscale.array.ones`); the numbers depend on them, as in dask.array.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        float64.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.normal(10.0, 0.5, size=10000, chunks=2500, seed=1)
    >>> round(float(x.mean()), 1), round(float(x.std()), 1)
    (10.0, 0.5)
    """
    return _source(seed, backend).normal(loc, scale, size, chunks=chunks)


def uniform(low: float = 0.0, high: float = 1.0, size: Any = None, chunks: Any = "auto", *,
            seed: int | None = None, backend: str | None = None) -> Array:
    """Uniform floats in ``[low, high)``.

    Parameters
    ----------
    low, high : float
        Bounds.
    size : int or tuple of int
        Shape of the result.
    chunks
        Blocks (as :func:`gpuscale.array.ones`); the numbers depend on them, as in dask.array.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        float64.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.uniform(-1, 1, size=5, seed=3)
    >>> bool(((x >= -1) & (x < 1)).all())
    True
    """
    return _source(seed, backend).uniform(low, high, size, chunks=chunks)


def integers(low: int, high: int | None = None, size: Any = None, *, seed: int | None = None,
             chunks: Any = "auto", backend: str | None = None, endpoint: bool = False) -> Array:
    """Uniform integers in ``[low, high)`` (``[low, high]`` with ``endpoint=True``), as
    ``numpy.random.Generator.integers``.

    Parameters
    ----------
    low : int
        Lowest value (or, without ``high``, one above the highest, from 0).
    high : int, optional
        One above the highest value.
    size : int or tuple of int
        Shape of the result.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    chunks
        Blocks (as :func:`gpuscale.array.ones`); the numbers depend on them, as in dask.array.
    backend : str, optional
        Chunk library.
    endpoint : bool
        Whether ``high`` can be drawn.

    Returns
    -------
    Array
        int64.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.integers(5, size=6, seed=0)
    >>> str(x.dtype), bool(((x >= 0) & (x < 5)).all())
    ('int64', True)
    >>> x = ga.random.integers(1, 3, size=100, seed=0, endpoint=True)
    >>> bool(((x >= 1) & (x <= 3)).all()), bool((x == 3).any())
    (True, True)
    """
    return _source(seed, backend).integers(low, high, size, endpoint=endpoint, chunks=chunks)


def standard_normal(size: Any = None, chunks: Any = "auto", *, seed: int | None = None,
                    backend: str | None = None) -> Array:
    """Normally distributed floats with mean 0 and standard deviation 1.

    Parameters
    ----------
    size : int or tuple of int
        Shape of the result.
    chunks
        Blocks (as :func:`gpuscale.array.ones`); the numbers depend on them, as in dask.array.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        float64.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.standard_normal((1000,), chunks=250, seed=0)
    >>> x.chunks, abs(float(x.mean())) < 0.1
    (((250, 250, 250, 250),), True)
    """
    return _source(seed, backend).standard_normal(size, chunks=chunks)


def random_sample(size: Any = None, chunks: Any = "auto", *, seed: int | None = None,
                  backend: str | None = None) -> Array:
    """Uniform floats in ``[0, 1)`` (dask.array's name of :func:`random`).

    Parameters
    ----------
    size : int or tuple of int
        Shape of the result.
    chunks
        Blocks (as :func:`gpuscale.array.ones`); the numbers depend on them, as in dask.array.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        float64.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.random_sample((2, 2), seed=0)
    >>> x.shape, bool(((x >= 0) & (x < 1)).all())
    ((2, 2), True)
    """
    return _source(seed, backend).random(size, chunks=chunks)


def randint(low: int, high: int | None = None, size: Any = None, chunks: Any = "auto", dtype: Any = "int64",
            *, seed: int | None = None, backend: str | None = None) -> Array:
    """Uniform integers in ``[low, high)`` of ``dtype`` (dask.array's name and keywords).

    Parameters
    ----------
    low : int
        Lowest value (or, without ``high``, one above the highest, from 0).
    high : int, optional
        One above the highest value.
    size : int or tuple of int
        Shape of the result.
    chunks
        Blocks (as :func:`gpuscale.array.ones`); the numbers depend on them, as in dask.array.
    dtype : dtype
        Integer dtype of the result.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.randint(1, 7, size=(2, 3), seed=0, dtype="int32")
    >>> str(x.dtype), bool(((x >= 1) & (x < 7)).all())
    ('int32', True)
    """
    return _source(seed, backend)._draw("integers", size, dtype, chunks, (0, low) if high is None else (low, high))


def multinomial(n: int, pvals: Any, size: Any = None, chunks: Any = "auto", *, seed: int | None = None,
                backend: str | None = None) -> Array:
    """Multinomial counts from the module's stream, as ``dask.array.random.multinomial``
    (:meth:`Generator.multinomial`).

    Parameters
    ----------
    n : int
        Trials per draw.
    pvals : sequence of float
        Probability of each category.
    size : int or tuple of int, optional
        Number of draws.
    chunks
        Blocks of the ``size`` axes.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        Shape ``size + (len(pvals),)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.multinomial(20, [0.5, 0.5], size=3, seed=0)
    >>> x.shape, x.sum(axis=1).compute().tolist()
    ((3, 2), [20, 20, 20])
    """
    return _source(seed, backend).multinomial(n, pvals, size=size, chunks=chunks)


def poisson(lam: float = 1.0, size: Any = None, chunks: Any = "auto", *, seed: int | None = None,
            backend: str | None = None) -> Array:
    """Poisson-distributed integers.

    Parameters
    ----------
    lam : float
        Expected number of events.
    size : int or tuple of int
        Shape of the result.
    chunks
        Blocks (as :func:`gpuscale.array.ones`); the numbers depend on them, as in dask.array.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        int64.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.poisson(4.0, size=10000, chunks=5000, seed=0)
    >>> round(float(x.mean())), str(x.dtype)
    (4, 'int64')
    """
    return _source(seed, backend).poisson(lam, size=size, chunks=chunks)


def exponential(scale: float = 1.0, size: Any = None, chunks: Any = "auto", *, seed: int | None = None,
                backend: str | None = None) -> Array:
    """Exponentially distributed floats.

    Parameters
    ----------
    scale : float
        The mean, ``1 / rate``.
    size : int or tuple of int
        Shape of the result.
    chunks
        Blocks (as :func:`gpuscale.array.ones`); the numbers depend on them, as in dask.array.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        float64.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> round(float(ga.random.exponential(2.0, size=10000, seed=0).mean()))
    2
    """
    return _source(seed, backend).exponential(scale, size=size, chunks=chunks)


def binomial(n: int, p: float, size: Any = None, chunks: Any = "auto", *, seed: int | None = None,
             backend: str | None = None) -> Array:
    """Binomially distributed integers: successes in ``n`` trials of probability ``p``.

    Parameters
    ----------
    n : int
        Trials.
    p : float
        Probability of success.
    size : int or tuple of int
        Shape of the result.
    chunks
        Blocks (as :func:`gpuscale.array.ones`); the numbers depend on them, as in dask.array.
    seed : int, optional
        Seed of a new stream; without one, the module's stream (:func:`seed`).
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        int64.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.binomial(10, 0.5, size=10000, seed=0)
    >>> round(float(x.mean())), int(x.max()) <= 10
    (5, True)
    """
    return _source(seed, backend).binomial(n, p, size=size, chunks=chunks)



# example parameters of the distributions in the docstrings of the module-level functions
_EXAMPLE = {
    "beta": "2.0, 3.0", "binomial": "10, 0.5", "chisquare": "2.0", "f": "2.0, 3.0", "gamma": "2.0",
    "geometric": "0.5", "hypergeometric": "5, 5, 3", "logseries": "0.5", "negative_binomial": "5, 0.5",
    "noncentral_chisquare": "2.0, 1.0", "noncentral_f": "2.0, 3.0, 1.0", "pareto": "3.0", "power": "3.0",
    "standard_gamma": "2.0", "standard_t": "3.0", "triangular": "0.0, 0.5, 1.0", "vonmises": "0.0, 1.0",
    "wald": "1.0, 1.0", "weibull": "2.0", "zipf": "2.0",
}


def _module_function(kind: str) -> Any:
    def draw(*args: Any, size: Any = None, chunks: Any = "auto", seed: int | None = None,
             backend: str | None = None, **kwargs: Any) -> Array:
        return getattr(_source(seed, backend), kind)(*args, size=size, chunks=chunks, **kwargs)

    params = ", ".join(p if isinstance(p, str) else f"{p[0]}={p[1]}" for p in _DISTRIBUTIONS[kind])
    example = _EXAMPLE.get(kind, "")
    draw.__name__ = draw.__qualname__ = kind
    draw.__module__ = __name__
    draw.__doc__ = f"""Draws of ``numpy.random.Generator.{kind}({params})``, block by block, as
``dask.array.random.{kind}``.

Each block draws from its own stream (see the module docstring); scalar parameters only.

Parameters
----------
*args, **kwargs
    The distribution's parameters ({params or 'none'}), then ``size``.
size : int or tuple of int
    Shape of the result.
chunks
    Blocks (as :func:`gpuscale.array.ones`).
seed : int, optional
    Seed of a new stream; without one, the module's stream (:func:`seed`).
backend : str, optional
    Chunk library.

Returns
-------
Array
    The draws.

Examples
--------
>>> import gpuscale.array as ga
>>> ga.random.{kind}({example + ', ' if example else ''}size=(4, 2), chunks=2, seed=0).shape
(4, 2)
"""
    return draw


_this = __import__("sys").modules[__name__]
for _kind in _DISTRIBUTIONS:
    if not hasattr(_this, _kind):
        setattr(_this, _kind, _module_function(_kind))
        __all__.append(_kind)


def choice(a: Any, size: Any = None, replace: bool = True, p: Any = None, chunks: Any = "auto", *,
           seed: int | None = None, backend: str | None = None) -> Array:
    """Random elements of ``a`` (an int ``n`` means ``arange(n)``), as ``dask.array.random.choice``.

    Parameters
    ----------
    a : int or 1-d array_like
        The population.
    size : int or tuple of int, optional
        Shape of the result (one element when None).
    replace : bool
        With replacement (independent draws); without, a permutation's first elements.
    p : 1-d array_like, optional
        Probabilities of the elements (non-negative, summing to 1); without replacement, each next element is
        drawn in proportion to the probabilities of those left, as NumPy's, never one of probability 0.
    chunks
        Blocks of the result.
    seed : int, optional
        Seed of a new stream; without one, the module's stream.
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        The chosen elements.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.random.choice(5, size=8, p=[0.0, 0.5, 0.5, 0.0, 0.0], seed=1, chunks=4).compute()
    >>> sorted(set(x.tolist())) in ([1], [2], [1, 2])
    True
    >>> sorted(ga.random.choice(5, size=3, replace=False, p=[0.5, 0.0, 0.25, 0.0, 0.25], seed=1).compute().tolist())
    [0, 2, 4]
    """
    return _source(seed, backend).choice(a, size=size, replace=replace, p=p, chunks=chunks)


def permutation(x: Any, *, seed: int | None = None, backend: str | None = None) -> Array:
    """A random permutation of ``arange(x)`` or of ``x``'s first axis, as ``dask.array.random.permutation``.

    Parameters
    ----------
    x : int or array_like
        The length, or the array to permute along its first axis.
    seed : int, optional
        Seed of a new stream; without one, the module's stream.
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        The permutation.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> sorted(ga.random.permutation(5, seed=3).compute().tolist())
    [0, 1, 2, 3, 4]
    """
    return _source(seed, backend).permutation(x)


def random_integers(low: int, high: int | None = None, size: Any = None, chunks: Any = "auto", *,
                    seed: int | None = None, backend: str | None = None) -> Array:
    """Uniform integers in ``[low, high]`` (``[1, low]`` when ``high`` is None), as dask.array's legacy
    ``random_integers`` (deprecated, as NumPy's: a ``DeprecationWarning``).

    Parameters
    ----------
    low, high : int
        Bounds, both included.
    size : int or tuple of int
        Shape.
    chunks
        Blocks.
    seed : int, optional
        Seed of a new stream; without one, the module's stream.
    backend : str, optional
        Chunk library.

    Returns
    -------
    Array
        int64 draws.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     x = ga.random.random_integers(3, size=100, seed=0).compute()
    >>> int(x.min()) >= 1 and int(x.max()) <= 3
    True
    """
    warn_random_integers()
    low, high = (1, low) if high is None else (low, high)
    return _source(seed, backend)._draw("integers", size, "int64", chunks, (low, high + 1))


__all__ += ["seed", "choice", "permutation", "random_integers", "multinomial"]
