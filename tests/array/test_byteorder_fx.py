"""Big-endian input: gpuscale's dtypes have no byte order (the standard's, and CuPy holds native data only), so
the data become native on the way in; the dtype declared and the one computed agree, whatever the chunks,
and values (mixed byte orders included) are NumPy's."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga


@pytest.fixture(autouse=True)
def backend():
    """Non-native byte orders exist in NumPy data only."""
    with gpuscale.config.set(backend="numpy", scheduler="sync"):
        yield "numpy"


@pytest.mark.parametrize("make", [lambda n: ga.from_array(n, chunks=-1), lambda n: ga.from_array(n, chunks=2),
                                  lambda n: ga.asarray(n), lambda n: ga.from_array(n[::-1], chunks=3)[::-1]])
@pytest.mark.parametrize("dtype", [">i4", ">f8", ">c16", "<u2"])
def test_declared_dtype_is_the_computed_one(make, dtype):
    n = np.arange(6, dtype=dtype)
    x = make(n)
    got = x.compute()
    assert got.dtype == x.dtype == n.dtype.newbyteorder("=")
    assert got.dtype.isnative
    np.testing.assert_array_equal(got, n)
    assert [b.compute().dtype for b in x.blocks] == [got.dtype] * x.npartitions


def test_mixed_byte_orders_compute_as_numpy():
    big, little = np.arange(6, dtype=">i4"), np.arange(6, 12, dtype="<i8")
    x, y = ga.from_array(big, chunks=2), ga.from_array(little, chunks=3)
    for op in (np.add, np.multiply, np.equal, np.maximum):
        expected = op(big, little)
        got = op(x, y)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got.compute(), expected)
    np.testing.assert_array_equal(ga.concatenate([x, y]).compute(), np.concatenate([big, little]))
    assert ga.from_array(big, chunks=-1).sum().compute() == big.sum()
