"""The random-array generators behind :mod:`gpuscale.array.random`: ``Generator`` (NumPy's method names),
``RandomState`` (dask.array's legacy names) and ``default_rng``; see that module for how blocks are seeded."""

from __future__ import annotations

import itertools
import numbers
import operator
import secrets
from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.creation import normalize, resolve_backend
from gpuscale.array.expr import Blockwise, BlockIndex, BlockShape, blockwise_expr
from gpuscale.backends import array as chunkfn
from gpuscale.backends.array._creation import check_choice_p, random_block_with_arrays

__all__ = ["Generator", "RandomState", "default_rng"]


class Draw(Blockwise):
    """Blocks of random draws, named after the distribution (``normal-<token>``), as dask names them."""

    @property
    def _funcname(self) -> str:
        return str(self.args[3])  # (backend, seed, block index, kind, ...)


class Generator:
    """A source of random gpuscale arrays with NumPy's ``Generator`` methods (``ga.random.default_rng(seed)``).

    Each block draws from its own PCG64 stream, derived from ``(seed, call number)`` and the block's index, so
    blocks can be computed in any order, anywhere, with the same result.

    Parameters
    ----------
    seed : int, optional
        The seed every block's stream derives from (random if None); also what ``numpy.random.default_rng``
        takes: a NumPy ``BitGenerator`` class (random) or instance, or a NumPy ``Generator`` (a seed drawn from it).
    backend : str, optional
        Chunk library of the arrays drawn.

    Returns
    -------
    Generator
        ``random``, ``normal``, ``uniform``, ``integers``, ``standard_normal``, ``multinomial``, ``choice``,
        ``permutation`` and every distribution of ``numpy.random.Generator`` (parameters numbers or arrays, broadcast as NumPy).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> rng = ga.random.Generator(7)
    >>> a = rng.random((4, 2), chunks=2)
    >>> a.shape, a.chunks, bool(((a >= 0) & (a < 1)).all())
    ((4, 2), ((2, 2), (2,)), True)
    >>> bool((a == ga.random.Generator(7).random((4, 2), chunks=2)).all())  # same seed, calls and chunks
    True
    """

    def __init__(self, seed: Any = None, backend: str | None = None) -> None:
        seed = seed.seed if isinstance(seed, Generator) else chunkfn.seed_from(seed)  # NumPy's seed forms too
        self._seed = seed if seed is not None else secrets.randbits(63)
        self.backend = backend
        self._calls = itertools.count()

    @property
    def seed(self) -> int:
        """The seed every block's stream derives from."""
        return self._seed

    def _draw(self, kind: str, size: Any, dtype: Any, chunks: Any, params: tuple, extra: tuple = ()) -> Array:
        if not extra and any(_is_array_parameter(p) for p in params):
            return self._draw_with_arrays(kind, size, dtype, chunks, params)
        shape = _shape_of(size)
        drawn = chunkfn.random_dtype(kind, params)  # NumPy checks the parameters now, not in a task
        dtype = drawn if dtype is None else dtype
        backend = resolve_backend(self.backend)
        dtype = chunkfn.numpy_dtype(dtype)
        # ``extra``: trailing axes each draw fills whole (multinomial's categories), one block each
        # one draw (no size) has no blocks to shape: chunks= is moot, as in dask
        normalized = (normalize(chunks, shape, dtype, backend) if shape else ()) + tuple((n,) for n in extra)
        shape += tuple(extra)
        seed = (self._seed, next(self._calls))
        node = blockwise_expr(chunkfn.random_block, tuple(range(len(shape))), normalized, dtype, backend,
                              backend, seed, BlockIndex(), kind, BlockShape(), dtype, params, node=Draw)
        return Array(node)

    def _draw_with_arrays(self, kind: str, size: Any, dtype: Any, chunks: Any, params: tuple) -> Array:
        """Draws whose parameters are arrays, as NumPy: broadcast against each other (and ``size`` when given);
        each block draws with the parameters' matching blocks."""
        from gpuscale.array._operands import as_array, backend_of
        from gpuscale.array.elementwise import broadcast_shapes
        from gpuscale.array.manipulation import broadcast_to

        backend = resolve_backend(self.backend if self.backend is not None else backend_of(*params))
        params = tuple(as_array(p, backend) if _is_array_parameter(p) else p for p in params)
        shapes = [p.shape for p in params if isinstance(p, Array)]
        if size is None:
            shape = broadcast_shapes(*shapes)
        else:
            shape = _shape_of(size)
            for s in shapes:
                try:
                    fits = broadcast_shapes(s, shape) == shape
                except ValueError:
                    fits = False
                if not fits:
                    raise ValueError(f"{kind}(): a parameter of shape {s} does not broadcast to size={shape}")
        drawn = chunkfn.random_dtype(kind, params)  # NumPy checks the scalar parameters and the dtypes now
        dtype = chunkfn.numpy_dtype(drawn if dtype is None else dtype)
        normalized = normalize(chunks, shape, dtype, backend)
        index = tuple(range(len(shape)))
        operands = tuple(broadcast_to(p, shape).rechunk(normalized)._expr if isinstance(p, Array) else p for p in params)
        inds = (None,) * 6 + tuple(index if isinstance(p, Array) else None for p in params)
        seed = (self._seed, next(self._calls))
        node = blockwise_expr(random_block_with_arrays, index, normalized, dtype, backend, backend, seed,
                              BlockIndex(), kind, BlockShape(), dtype, *operands, arg_inds=inds, node=Draw)
        return Array(node)

    def random(self, size: Any = None, dtype: Any = "float64", chunks: Any = "auto") -> Array:
        """Uniform floats in ``[0, 1)``."""
        return self._draw("random", size, dtype, chunks, ())

    def normal(self, loc: float = 0.0, scale: float = 1.0, size: Any = None, chunks: Any = "auto",
               dtype: Any = "float64") -> Array:
        """Normally distributed floats of mean ``loc`` and standard deviation ``scale`` (numbers or arrays,
        broadcast as NumPy's)."""
        return self._draw("normal", size, dtype, chunks, (loc, scale))

    def uniform(self, low: float = 0.0, high: float = 1.0, size: Any = None, chunks: Any = "auto",
                dtype: Any = "float64") -> Array:
        """Uniform floats in ``[low, high)``."""
        return self._draw("uniform", size, dtype, chunks, (low, high))

    def integers(self, low: int, high: int | None = None, size: Any = None, dtype: Any = "int64",
                 endpoint: bool = False, chunks: Any = "auto") -> Array:
        """Uniform integers in ``[low, high)`` (``[low, high]`` with ``endpoint=True``), as NumPy's and dask's
        ``Generator.integers`` (same keywords, in the same order).

        Parameters
        ----------
        low : int or array_like
            Lowest value (or, without ``high``, one above the highest, from 0).
        high : int or array_like, optional
            One above the highest value (the highest itself with ``endpoint=True``).
        size : int or tuple of int, optional
            Shape of the result.
        dtype : dtype
            Integer dtype of the result.
        endpoint : bool
            Whether ``high`` can be drawn.
        chunks
            Blocks of the result.

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.random.default_rng(0).integers(0, 2, size=200, endpoint=True, chunks=50).compute()
        >>> sorted(set(x.tolist()))
        [0, 1, 2]
        """
        if endpoint not in (True, False):  # chunks= given in endpoint='s place (before dask's order) fails loudly
            raise TypeError(f"integers(): endpoint must be a bool, not {type(endpoint).__name__}")
        low, high = (0, low) if high is None else (low, high)
        # endpoint only when True, so the draws (and names) without it are unchanged
        return self._draw("integers", size, dtype, chunks, (low, high, True) if endpoint else (low, high))

    def standard_normal(self, size: Any = None, dtype: Any = "float64", chunks: Any = "auto") -> Array:
        """Normally distributed floats with mean 0 and standard deviation 1."""
        return self._draw("standard_normal", size, dtype, chunks, ())

    def multinomial(self, n: int, pvals: Any, size: Any = None, chunks: Any = "auto") -> Array:
        """Counts of ``n`` trials over ``len(pvals)`` categories, as dask's ``multinomial``: shape
        ``size + (len(pvals),)``, ``chunks`` splitting ``size`` (the categories stay in one block).

        Parameters
        ----------
        n : int
            Trials per draw.
        pvals : sequence of float
            Probability of each category (summing to 1).
        size : int or tuple of int, optional
            Number of draws (one if None).
        chunks
            Blocks of the ``size`` axes.

        Returns
        -------
        Array
            int64 counts; each draw's counts sum to ``n``.

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.random.default_rng(0).multinomial(10, [0.2, 0.3, 0.5], size=(4, 2), chunks=2)
        >>> x.shape, x.chunks, x.sum(axis=-1).compute().tolist()
        ((4, 2, 3), ((2, 2), (2,), (3,)), [[10, 10], [10, 10], [10, 10], [10, 10]])
        """
        pvals = tuple(float(p) for p in pvals)
        return self._draw("multinomial", size, None, chunks, (int(n), pvals), extra=(len(pvals),))

    def multivariate_hypergeometric(self, colors: Any, nsample: int, size: Any = None, method: str = "marginals",
                                    chunks: Any = "auto") -> Array:
        """Draws of ``nsample`` items without replacement from an urn holding ``colors[i]`` items of each colour,
        as NumPy's ``Generator.multivariate_hypergeometric``: shape ``size + (len(colors),)``, ``chunks``
        splitting ``size`` (the colours stay in one block).

        Parameters
        ----------
        colors : sequence of int
            Number of items of each colour in the urn.
        nsample : int
            Items drawn per draw (at most ``sum(colors)``).
        size : int or tuple of int, optional
            Number of draws (one if None).
        method : {"marginals", "count"}
            NumPy's sampling algorithm.
        chunks
            Blocks of the ``size`` axes.

        Returns
        -------
        Array
            int64 counts per colour; each draw's counts sum to ``nsample``.

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.random.default_rng(0).multivariate_hypergeometric([16, 8, 4], 6, size=5, chunks=3)
        >>> x.shape, x.chunks, x.sum(axis=-1).compute().tolist()
        ((5, 3), ((3, 2), (3,)), [6, 6, 6, 6, 6])
        """
        colors = tuple(int(c) for c in colors)
        params = (colors, int(nsample), str(method))
        return self._draw("multivariate_hypergeometric", size, None, chunks, params, extra=(len(colors),))


# numpy.random.Generator distributions: name -> parameters (those without a default come first)
_DISTRIBUTIONS = {
    "beta": ("a", "b"), "binomial": ("n", "p"), "chisquare": ("df",), "exponential": (("scale", 1.0),),
    "f": ("dfnum", "dfden"), "gamma": ("shape", ("scale", 1.0)), "geometric": ("p",),
    "gumbel": (("loc", 0.0), ("scale", 1.0)), "hypergeometric": ("ngood", "nbad", "nsample"),
    "laplace": (("loc", 0.0), ("scale", 1.0)), "logistic": (("loc", 0.0), ("scale", 1.0)),
    "lognormal": (("mean", 0.0), ("sigma", 1.0)), "logseries": ("p",), "negative_binomial": ("n", "p"),
    "noncentral_chisquare": ("df", "nonc"), "noncentral_f": ("dfnum", "dfden", "nonc"), "pareto": ("a",),
    "poisson": (("lam", 1.0),), "power": ("a",), "rayleigh": (("scale", 1.0),), "standard_cauchy": (),
    "standard_exponential": (), "standard_gamma": ("shape",), "standard_t": ("df",),
    "triangular": ("left", "mode", "right"), "vonmises": ("mu", "kappa"), "wald": ("mean", "scale"),
    "weibull": ("a",), "zipf": ("a",),
}


# the distributions whose NumPy method takes dtype= (others refuse it, as NumPy and dask)
_TAKES_DTYPE = ("standard_exponential", "standard_gamma")


def _is_array_parameter(value: Any) -> bool:
    """A distribution parameter that is an array (NumPy's, gpuscale's, a list), not a number."""
    return isinstance(value, (Array, list, tuple)) or getattr(value, "ndim", 0) != 0


def _distribution(kind: str, spec: tuple) -> Any:
    names = [p if isinstance(p, str) else p[0] for p in spec]
    defaults = {p[0]: p[1] for p in spec if not isinstance(p, str)}

    def draw(self: Generator, *args: Any, size: Any = None, chunks: Any = "auto", dtype: Any = None,
             **kwargs: Any) -> Array:
        if len(args) > len(names) + 2:
            raise TypeError(f"{kind}() takes at most {len(names) + 2} positional arguments")
        values = dict(zip(names, args))
        # then size and chunks, as dask's (``beta(a, b, size=None, chunks="auto")``)
        size, chunks = (*args[len(names):], size, chunks)[:2] if len(args) > len(names) else (size, chunks)
        for name in names:
            if name in kwargs:
                values[name] = kwargs.pop(name)
            elif name not in values:
                if name not in defaults:
                    raise TypeError(f"{kind}() missing required argument {name!r}")
                values[name] = defaults[name]
        if kwargs:
            raise TypeError(f"{kind}() got unexpected arguments {sorted(kwargs)}")
        if dtype is not None and kind not in _TAKES_DTYPE:
            raise TypeError(f"{kind}() got an unexpected keyword argument 'dtype' (NumPy's {kind} has none)")
        params = tuple(values[n] for n in names)
        return self._draw(kind, size, dtype, chunks, params)

    draw.__name__ = draw.__qualname__ = kind
    draw.__doc__ = f"Draws from ``numpy.random.Generator.{kind}({', '.join(names)})``, block by block."
    return draw


for _kind, _spec in _DISTRIBUTIONS.items():
    setattr(Generator, _kind, _distribution(_kind, _spec))


class RandomState(Generator):
    """dask.array's ``RandomState(seed)``: the legacy method names over per-block PCG64 streams.

    Parameters
    ----------
    seed : int, optional
        The seed (random if None); ``seed()`` starts again.
    backend : str, optional
        Chunk library of the arrays drawn.

    Returns
    -------
    RandomState
        ``random_sample``, ``random``, ``randint``, ``random_integers``, ``standard_normal``, ``normal``,
        ``uniform``, ``multinomial`` and the distributions of :class:`Generator`; reproducible for a seed, call
        order and chunking.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> rs = ga.random.RandomState(42)
    >>> x = rs.randint(0, 10, size=(3, 4), chunks=2)
    >>> x.shape, bool(((x >= 0) & (x < 10)).all())
    ((3, 4), True)
    >>> rs.seed(42)
    >>> bool((rs.randint(0, 10, size=(3, 4), chunks=2) == x).all())
    True
    """

    def seed(self, seed: int | None = None) -> None:  # type: ignore[override]
        """Start again from ``seed`` (random if None), as ``RandomState.seed``."""
        Generator.__init__(self, seed, self.backend)

    def random_sample(self, size: Any = None, chunks: Any = "auto", dtype: Any = "float64") -> Array:
        """Uniform floats in ``[0, 1)``."""
        return self._draw("random", size, dtype, chunks, ())

    def random(self, size: Any = None, chunks: Any = "auto",  # type: ignore[override]
               dtype: Any = "float64") -> Array:
        """Uniform floats in ``[0, 1)`` (as ``random_sample``)."""
        return self._draw("random", size, dtype, chunks, ())

    def randint(self, low: int, high: int | None = None, size: Any = None, chunks: Any = "auto",
                dtype: Any = "int64") -> Array:
        """Uniform integers in ``[low, high)`` (``[0, low)`` when ``high`` is None)."""
        low, high = (0, low) if high is None else (low, high)
        return self._draw("integers", size, dtype, chunks, (low, high))

    def random_integers(self, low: int, high: int | None = None, size: Any = None, chunks: Any = "auto") -> Array:
        """Uniform integers in ``[low, high]`` (``[1, low]`` when ``high`` is None); deprecated, as NumPy's."""
        warn_random_integers()
        low, high = (1, low) if high is None else (low, high)
        return self._draw("integers", size, "int64", chunks, (low, high + 1))

    def standard_normal(self, size: Any = None, chunks: Any = "auto", dtype: Any = "float64") -> Array:
        """Normally distributed floats with mean 0 and standard deviation 1."""
        return self._draw("standard_normal", size, dtype, chunks, ())


def warn_random_integers() -> None:
    """``random_integers`` is deprecated in NumPy, and so in dask and here."""
    import warnings

    warnings.warn("random_integers is deprecated (as NumPy's); use randint(low, high + 1)", DeprecationWarning,
                  stacklevel=3)


def default_rng(seed: Any = None, *, backend: str | None = None) -> Generator:
    """A :class:`Generator` seeded with ``seed``, as ``dask.array.random.default_rng``.

    Parameters
    ----------
    seed : int, optional
        The seed (random if None).
    backend : str, optional
        Chunk library of the arrays drawn.

    Returns
    -------
    Generator

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> rng = ga.random.default_rng(42)
    >>> rng.seed, rng.standard_normal((2, 3), chunks=(1, 3)).chunks
    (42, ((1, 1), (3,)))
    """
    if isinstance(seed, Generator) and backend is None:
        return seed  # as NumPy's default_rng(generator)
    return Generator(seed, backend)



def _choice(self: Generator, a: Any, size: Any = None, replace: bool = True, p: Any = None,
            chunks: Any = "auto", axis: int = 0, shuffle: bool = True) -> Array:
    """Random elements of ``a`` (an int ``n`` means ``arange(n)``), as ``Generator.choice``.

    With ``replace`` each draw is independent (weighted by ``p`` if given); without, the elements are a
    random permutation's first ``size`` (weighted by ``p`` if given: each next element drawn in proportion to
    the probabilities of those left, as NumPy's).  ``axis`` (NumPy's and dask's keyword) must be 0, ``a``
    being 1-d; ``shuffle`` is accepted (the sample is always in random order).
    """
    import gpuscale.array as ga

    if axis not in (0, -1):
        raise ValueError(f"choice: axis={axis!r} is out of bounds: a is 1-dimensional, so axis must be 0")
    legacy = isinstance(self, RandomState)  # NumPy's RandomState words its errors its own way
    backend = self.backend if self.backend is not None else getattr(a, "backend", None)
    population = None if isinstance(a, numbers.Integral) else ga.asarray(a, backend=backend)
    if population is not None and population.ndim != 1:
        raise ValueError("a must be 1-dimensional or an integer")
    n = operator.index(a) if population is None else population.shape[0]
    shape = _shape_of(size)
    count = 1
    for m in shape:
        count *= m
    if n <= 0 and count:  # as NumPy: an empty population is fine while nothing is drawn from it
        raise ValueError(_CHOICE_ERRORS["empty" if population is None else "empty array"][legacy])
    n = max(n, 0)
    weights, nonzero = (None, None) if p is None else _choice_weights(p, n, backend, legacy)
    if n == 0:  # nothing drawn: an empty sample of the asked shape
        index = self._draw("integers", shape, "int64", chunks, (0, 1))
    elif replace:
        index = _with_replacement(self, n, weights, shape, chunks)
    else:
        if count > n:
            raise ValueError(_CHOICE_ERRORS["larger"][legacy])
        order = self.permutation(n) if p is None else _weighted_order(self, weights, nonzero, count)
        index = ga.reshape(order[:count], shape)
        if chunks != "auto":
            index = index.rechunk(chunks)
    if population is None:
        return index
    flat = ga.take(population, ga.reshape(index, (-1,)), axis=0)
    return ga.reshape(flat, shape)



def _shape_of(size: Any) -> tuple:
    """NumPy's ``size`` (None, an integer -- NumPy's integers too -- or a sequence of them) as a shape."""
    if size is None:
        return ()
    shape = (operator.index(size),) if isinstance(size, numbers.Integral) else tuple(operator.index(n) for n in size)
    if any(n < 0 for n in shape):  # as NumPy, at once (the blocks of a negative length fail only at compute)
        raise ValueError(f"negative dimensions are not allowed: {shape}")
    return shape


# NumPy's choice errors: (Generator's, RandomState's)
_CHOICE_ERRORS = {
    "empty": ("a must be a positive integer unless no samples are taken",
              "a must be greater than 0 unless no samples are taken"),
    "empty array": ("a cannot be empty unless no samples are taken",
                    "'a' cannot be empty unless no samples are taken"),
    "larger": ("Cannot take a larger sample than population when replace is False",
               "Cannot take a larger sample than population when 'replace=False'"),
}


def _choice_weights(p: Any, n: int, backend: Any, legacy: bool) -> tuple[Array, int | None]:
    """``p`` as a float64 array, checked as NumPy checks it, and its number of non-zero entries (host ``p``
    only: a lazy one is not computed, its number is None)."""
    import gpuscale.array as ga

    weights = ga.asarray(p, dtype=ga.float64, backend=backend or None)
    if weights.ndim != 1:
        raise ValueError("p must be 1-dimensional")
    if weights.shape != (n,):
        raise ValueError("a and p must have same size")
    return weights, None if isinstance(p, Array) else check_choice_p(p, legacy)


def _with_replacement(self: Generator, n: int, weights: Array | None, shape: tuple, chunks: Any) -> Array:
    """Independent draws of ``arange(n)``, weighted by ``weights`` if given (inverting their running sum)."""
    import gpuscale.array as ga

    if weights is None:
        return self._draw("integers", shape, "int64", chunks, (0, n))
    cdf = ga.cumulative_sum(weights)
    index = ga.searchsorted(cdf / cdf[-1], self._draw("random", shape, "float64", chunks, ()), side="right")
    return ga.clip(index, 0, n - 1)


def _weighted_order(self: Generator, weights: Array, nonzero: int | None, count: int) -> Array:
    """``arange(n)`` ordered by exponential draws over ``weights`` (Efraimidis-Spirakis): the smallest key is
    each element with its probability, and so on among the rest, which is NumPy's draw without replacement;
    elements of probability 0 get infinite keys and so come after ``count``, checked to be at most their number."""
    import gpuscale.array as ga

    if nonzero is None:  # a lazy p: the check below needs its values now, and computing them is hidden work
        raise NotImplementedError("choice(replace=False, p=...) takes p as host data (a list or NumPy array), "
                                  "not a lazy gpuscale Array: pass p.compute()")
    if count > nonzero:
        raise ValueError("Fewer non-zero entries in p than size")
    draws = self._draw("standard_exponential", weights.shape, "float64", "auto", ())
    positive = weights > 0
    keys = ga.where(positive, draws / ga.where(positive, weights, 1.0), ga.inf)  # no division by 0
    return ga.argsort(keys)


def _permutation(self: Generator, x: Any, chunks: Any = "auto") -> Array:
    """A random permutation of ``arange(x)`` (an int) or of ``x``'s first axis, as
    ``Generator.permutation``."""
    import gpuscale.array as ga

    n = x if isinstance(x, int) else ga.asarray(x, backend=self.backend).shape[0]
    order = ga.argsort(self._draw("random", (max(n, 0),), "float64", chunks, ()))  # as NumPy's arange(-3): empty
    if isinstance(x, int):
        return order
    return ga.take(ga.asarray(x, backend=self.backend), order, axis=0)


_choice.__name__ = _choice.__qualname__ = "choice"
_permutation.__name__ = _permutation.__qualname__ = "permutation"
Generator.choice = _choice
Generator.permutation = _permutation
