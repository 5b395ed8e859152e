"""Assembling computed blocks into one result array (large NumPy results are copied by several threads)."""

from __future__ import annotations

import numpy as np

import gpuscale.array as ga
from gpuscale.backends.array import _core
from tests.array.array_helpers import compute


def test_large_result_is_assembled_in_parallel_and_exactly(monkeypatch):
    monkeypatch.setattr(_core, "_PARALLEL_COPY_BYTES", 1)  # every multi-block NumPy result takes the threaded path
    monkeypatch.setattr(_core.os, "cpu_count", lambda: 3)
    data = np.arange(7 * 11 * 5, dtype="float64").reshape(7, 11, 5)
    got = compute(ga.from_array(data, chunks=(2, 3, 5)) * 2)
    np.testing.assert_array_equal(got, data * 2)


def test_assembly_of_a_72_mb_result():
    data = np.random.default_rng(0).random((3000, 3000))
    got = compute(ga.from_array(data, chunks=(1000, 700)) + 1)
    np.testing.assert_array_equal(got, data + 1)
