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

import itertools
import secrets
from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.creation import normalize, resolve_backend
from gpuscale.array.expr import BlockIndex, BlockShape, Blockwise
from gpuscale.backends import array as chunkfn

__all__ = ["Generator", "RandomState", "default_rng", "random", "normal", "uniform", "integers", "standard_normal",
           "random_sample", "randint", "poisson", "exponential", "binomial"]


class Generator:
    """A source of random gpuscale arrays (``ga.random.default_rng(seed)``)."""

    def __init__(self, seed: int | None = None, backend: str | None = None) -> None:
        self._seed = int(seed) if seed is not None else secrets.randbits(63)
        self.backend = backend
        self._calls = itertools.count()

    @property
    def seed(self) -> int:
        """The seed every block's stream derives from."""
        return self._seed

    def _draw(self, kind: str, size: Any, dtype: Any, chunks: Any, params: tuple) -> Array:
        shape = (size,) if isinstance(size, int) else tuple(size or ())
        drawn = chunkfn.random_dtype(kind, params)  # NumPy checks the parameters now, not in a task
        dtype = drawn if dtype is None else dtype
        backend = resolve_backend(self.backend)
        dtype = chunkfn.numpy_dtype(dtype)
        normalized = normalize(chunks, shape, dtype, backend)
        seed = (self._seed, next(self._calls))
        node = Blockwise(chunkfn.random_block, {}, tuple(range(len(shape))), normalized, dtype, backend,
                         (None,) * 7, False, backend, seed, BlockIndex(), kind, BlockShape(), dtype, params)
        return Array(node)

    def random(self, size: Any = None, dtype: Any = "float64", chunks: Any = "auto") -> Array:
        """Uniform floats in ``[0, 1)``."""
        return self._draw("random", size, dtype, chunks, ())

    def normal(self, loc: float = 0.0, scale: float = 1.0, size: Any = None, dtype: Any = "float64",
               chunks: Any = "auto") -> Array:
        """Normally distributed floats."""
        return self._draw("normal", size, dtype, chunks, (loc, scale))

    def uniform(self, low: float = 0.0, high: float = 1.0, size: Any = None, dtype: Any = "float64",
                chunks: Any = "auto") -> Array:
        """Uniform floats in ``[low, high)``."""
        return self._draw("uniform", size, dtype, chunks, (low, high))

    def integers(self, low: int, high: int | None = None, size: Any = None, dtype: Any = "int64",
                 chunks: Any = "auto") -> Array:
        """Uniform integers in ``[low, high)``."""
        low, high = (0, low) if high is None else (low, high)
        return self._draw("integers", size, dtype, chunks, (low, high))


    def standard_normal(self, size: Any = None, dtype: Any = "float64", chunks: Any = "auto") -> Array:
        """Normally distributed floats with mean 0 and standard deviation 1."""
        return self._draw("standard_normal", size, dtype, chunks, ())


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


def _distribution(kind: str, spec: tuple) -> Any:
    names = [p if isinstance(p, str) else p[0] for p in spec]
    defaults = {p[0]: p[1] for p in spec if not isinstance(p, str)}

    def draw(self: Generator, *args: Any, size: Any = None, chunks: Any = "auto", dtype: Any = None,
             **kwargs: Any) -> Array:
        if len(args) > len(names) + 1:
            raise TypeError(f"{kind}() takes at most {len(names) + 1} positional arguments")
        values = dict(zip(names, args))
        if len(args) == len(names) + 1:
            size = args[-1]
        for name in names:
            if name in kwargs:
                values[name] = kwargs.pop(name)
            elif name not in values:
                if name not in defaults:
                    raise TypeError(f"{kind}() missing required argument {name!r}")
                values[name] = defaults[name]
        if kwargs:
            raise TypeError(f"{kind}() got unexpected arguments {sorted(kwargs)}")
        params = tuple(values[n] for n in names)
        if not all(isinstance(v, (bool, int, float)) for v in params):
            raise TypeError(f"{kind}(): gpuscale draws with scalar parameters only, got {params}")
        return self._draw(kind, size, dtype, chunks, params)

    draw.__name__ = draw.__qualname__ = kind
    draw.__doc__ = f"Draws from ``numpy.random.Generator.{kind}({', '.join(names)})``, block by block."
    return draw


for _kind, _spec in _DISTRIBUTIONS.items():
    setattr(Generator, _kind, _distribution(_kind, _spec))


class RandomState(Generator):
    """dask.array's ``RandomState(seed)``: the legacy method names over per-block PCG64 streams.

    ``random_sample``, ``random``, ``randint``, ``random_integers``,
    ``standard_normal``, ``normal``, ``uniform`` and the distributions of
    :class:`Generator`; reproducible for a seed, call order and chunking.
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
        """Uniform integers in ``[low, high]`` (``[1, low]`` when ``high`` is None)."""
        low, high = (1, low) if high is None else (low, high)
        return self._draw("integers", size, "int64", chunks, (low, high + 1))

    def standard_normal(self, size: Any = None, chunks: Any = "auto", dtype: Any = "float64") -> Array:
        """Normally distributed floats with mean 0 and standard deviation 1."""
        return self._draw("standard_normal", size, dtype, chunks, ())


def default_rng(seed: int | None = None, *, backend: str | None = None) -> Generator:
    """A :class:`Generator` seeded with ``seed`` (random if None)."""
    return Generator(seed, backend)


def random(size: Any, *, seed: int | None = None, chunks: Any = "auto", backend: str | None = None) -> Array:
    """Uniform floats in ``[0, 1)`` of shape ``size``."""
    return default_rng(seed, backend=backend).random(size, chunks=chunks)


def normal(loc: float = 0.0, scale: float = 1.0, size: Any = None, *, seed: int | None = None,
           chunks: Any = "auto", backend: str | None = None) -> Array:
    """Normally distributed floats."""
    return default_rng(seed, backend=backend).normal(loc, scale, size, chunks=chunks)


def uniform(low: float = 0.0, high: float = 1.0, size: Any = None, *, seed: int | None = None,
            chunks: Any = "auto", backend: str | None = None) -> Array:
    """Uniform floats in ``[low, high)``."""
    return default_rng(seed, backend=backend).uniform(low, high, size, chunks=chunks)


def integers(low: int, high: int | None = None, size: Any = None, *, seed: int | None = None,
             chunks: Any = "auto", backend: str | None = None) -> Array:
    """Uniform integers in ``[low, high)``."""
    return default_rng(seed, backend=backend).integers(low, high, size, chunks=chunks)


def standard_normal(size: Any = None, *, seed: int | None = None, chunks: Any = "auto",
                    backend: str | None = None) -> Array:
    """Normally distributed floats with mean 0 and standard deviation 1."""
    return default_rng(seed, backend=backend).standard_normal(size, chunks=chunks)


def random_sample(size: Any = None, *, seed: int | None = None, chunks: Any = "auto",
                  backend: str | None = None) -> Array:
    """Uniform floats in ``[0, 1)`` (dask.array's name)."""
    return default_rng(seed, backend=backend).random(size, chunks=chunks)


def randint(low: int, high: int | None = None, size: Any = None, *, seed: int | None = None, chunks: Any = "auto",
            backend: str | None = None) -> Array:
    """Uniform integers in ``[low, high)`` (dask.array's name)."""
    return RandomState(seed, backend=backend).randint(low, high, size, chunks=chunks)


def poisson(lam: float = 1.0, size: Any = None, *, seed: int | None = None, chunks: Any = "auto",
            backend: str | None = None) -> Array:
    """Poisson-distributed integers."""
    return default_rng(seed, backend=backend).poisson(lam, size=size, chunks=chunks)


def exponential(scale: float = 1.0, size: Any = None, *, seed: int | None = None, chunks: Any = "auto",
                backend: str | None = None) -> Array:
    """Exponentially distributed floats."""
    return default_rng(seed, backend=backend).exponential(scale, size=size, chunks=chunks)


def binomial(n: int, p: float, size: Any = None, *, seed: int | None = None, chunks: Any = "auto",
             backend: str | None = None) -> Array:
    """Binomially distributed integers."""
    return default_rng(seed, backend=backend).binomial(n, p, size=size, chunks=chunks)
