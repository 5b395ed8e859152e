"""Seeded random arrays whose values depend only on the seed and the block layout, never on threads.

Each block draws from its own stream, derived from ``(seed, call number)``
and the block's index (NumPy ``SeedSequence`` spawn keys), so blocks can be
computed in any order, on any worker, with the same result.
"""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.creation import normalize, resolve_backend
from gpuscale.array.expr import BlockIndex, BlockShape, Blockwise
from gpuscale.backends import array as chunkfn

__all__ = ["Generator", "default_rng", "random", "normal", "uniform", "integers"]


class Generator:
    """A source of random gpuscale arrays (``ga.random.default_rng(seed)``)."""

    def __init__(self, seed: int | None = None, backend: str | None = None) -> None:
        self.seed = int(seed) if seed is not None else secrets.randbits(63)
        self.backend = backend
        self._calls = itertools.count()

    def _draw(self, kind: str, size: Any, dtype: Any, chunks: Any, params: tuple) -> Array:
        shape = (size,) if isinstance(size, int) else tuple(size or ())
        backend = resolve_backend(self.backend)
        dtype = chunkfn.numpy_dtype(dtype)
        normalized = normalize(chunks, shape, dtype, backend)
        seed = (self.seed, next(self._calls))
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
