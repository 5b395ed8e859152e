"""Test helpers for code that uses gpuscale collections.

>>> import gpuscale.array as ga, numpy as np          # doctest: +SKIP
>>> from gpuscale.testing import assert_eq              # doctest: +SKIP
>>> assert_eq(ga.arange(6, chunks=4) * 2, np.arange(6) * 2)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from gpuscale.collection import Collection

__all__ = ["assert_eq"]


def assert_eq(actual: Any, expected: Any, **kwargs: Any) -> None:
    """Compute collections, move results to the host, and assert they are equal.

    Parameters
    ----------
    actual, expected
        gpuscale collections, or NumPy/CuPy arrays, pandas/cuDF objects, scalars.
    **kwargs
        Passed to the comparison (``rtol``, ``check_dtype``, ``check_index``, ...).
    """
    from gpuscale.backends.testing import assert_chunks_equal

    actual = actual.compute() if isinstance(actual, Collection) else actual
    expected = expected.compute() if isinstance(expected, Collection) else expected
    assert_chunks_equal(actual, expected, **kwargs)
