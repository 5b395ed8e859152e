"""A planned take combined element-wise with another array is planned in that array's blocks (no rechunk of
either; xarray's group anomalies ``x - climatology.isel(month=codes)``), against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same
from gpuscale.array.gather import TakeBlocks
from gpuscale.array.rechunk import Rechunk

RNG = np.random.default_rng(11)
DAYS = RNG.random((150, 5, 4)).astype(np.float32)
CLIM = RNG.random((12, 5, 4)).astype(np.float32)
CODES = np.arange(150) % 12


def _nodes(a: ga.Array) -> list:
    return list(a.optimize().expr.walk())


@pytest.mark.parametrize("chunks", [25, (40, 30, 50, 30)])
def test_anomaly_keeps_the_data_blocks(chunks) -> None:
    x = ga.from_array(DAYS, chunks=(chunks, 5, 4))
    clim = ga.from_array(CLIM, chunks=(1, 5, 4))
    out = x - ga.take(clim, CODES, axis=0)
    assert out.chunks == x.chunks
    assert not any(isinstance(n, Rechunk) for n in _nodes(out))
    takes = [n for n in _nodes(out) if isinstance(n, TakeBlocks)]
    assert [t.chunks[0] for t in takes] == [x.chunks[0]]
    assert_same(out, DAYS - CLIM[CODES])
    assert_same((ga.take(clim, CODES, axis=0) * x), CLIM[CODES] * DAYS)


def test_rechunk_of_a_take_plans_the_take_again() -> None:
    clim = ga.from_array(CLIM, chunks=(1, 5, 4))
    y = ga.take(clim, CODES, axis=0).rechunk((30, 5, 4))
    assert not any(isinstance(n, Rechunk) for n in _nodes(y))
    assert_same(y, CLIM[CODES])
    z = ga.take(clim, CODES, axis=0).rechunk((30, 5, 2))  # other axes change too: a real rechunk
    assert any(isinstance(n, Rechunk) for n in _nodes(z))
    assert_same(z, CLIM[CODES])


def test_two_takes_align_with_each_other() -> None:
    clim = ga.from_array(CLIM, chunks=(1, 5, 4))
    a = ga.take(clim, CODES, axis=0)
    b = ga.take(clim, CODES[::-1].copy(), axis=0).rechunk((7, 5, 4))
    assert_same((a + b), CLIM[CODES] + CLIM[CODES[::-1]])
