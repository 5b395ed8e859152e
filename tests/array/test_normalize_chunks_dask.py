"""gpuscale.array.core.normalize_chunks against dask.array.core.normalize_chunks: the same block lengths for
every form of ``chunks=``, and the same errors; the blocks gpuscale builds are the ones it reports."""

import math

import dask.array.core as dask_core
import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.array.core import normalize_chunks
from array_helpers import chunk_budget

CASES = [
    ((2, 2), (5, 6), {}), (10, (30, 5), {}), ((3, 2), (5,), {}), ((1, 6), (7,), {}), ((1, 0), (1,), {}),
    ({0: 2, 1: 3}, (6, 6), {}), ((5, -1), (10, 10), {}), ((5, None), (10, 10), {}), (((2, 3), (4, 1)), (5, 5), {}),
    ((), (0, 0), {}), ((1,), (), {}), (("auto",), (20,), {"limit": 5, "dtype": "uint8"}),
    ("auto", (2, 3), {"dtype": "int32"}), ("1kiB", (2000,), {"dtype": "float32"}),
    (("auto", "auto"), (0, 5), {"dtype": "f8"}), (("auto", 5), (100, 10), {"limit": 400, "dtype": "f8"}),
    (("auto", "auto"), (100, 100), {"limit": 4000, "dtype": "f8", "previous_chunks": ((10,) * 10, (10,) * 10)}),
]


@pytest.mark.parametrize("chunks, shape, kwargs", CASES)
def test_normalize_chunks_is_dasks(chunks, shape, kwargs):
    assert normalize_chunks(chunks, shape, **kwargs) == dask_core.normalize_chunks(chunks, shape, **kwargs)


def test_explicit_block_lengths_need_no_shape():
    assert normalize_chunks([[2, 2], [3, 3]]) == dask_core.normalize_chunks([[2, 2], [3, 3]]) == ((2, 2), (3, 3))
    with pytest.raises(ValueError, match="need shape="):
        normalize_chunks((2, 2))


def test_unknown_lengths_keep_their_blocks():
    got = normalize_chunks((1, (np.nan,)), (1, np.nan))
    want = dask_core.normalize_chunks((1, (np.nan,)), (1, np.nan))
    assert got[0] == want[0] and math.isnan(got[1][0]) and math.isnan(want[1][0])
    with pytest.raises(ValueError, match="unknown length"):
        normalize_chunks(3, (1, np.nan))


def test_errors_as_dask():
    with pytest.raises(ValueError, match="add up"):
        normalize_chunks(((3, 3),), (7,))
    with pytest.raises(TypeError, match="dtype must be known"):
        normalize_chunks("auto", (10,))
    with pytest.raises(TypeError):
        dask_core.normalize_chunks("auto", (10,))


@pytest.mark.parametrize("n", [1, 6, 7])
@pytest.mark.parametrize("chunks", [lambda m: m, lambda m: (1, m - 1), lambda m: (m // 2 + 1,)])
def test_the_blocks_gpuscale_builds_are_the_ones_it_reports(n, chunks):
    c = chunks(n)
    assert ga.fft.fftfreq(n, chunks=c).chunks == normalize_chunks(c, (n,))
    assert ga.zeros(n, chunks=c).chunks == normalize_chunks(c, (n,), dtype="float64")


@pytest.mark.parametrize("chunks, shape, limit", [(((2, 3, 5), "auto"), (10, 10), 10),
                                                  (((2, 3, 5), "auto", 4), (10, 10, 8), 100),
                                                  (("auto", (1, 1, 8)), (50, 10), 80)])
def test_explicit_blocks_count_by_their_largest_in_the_auto_budget(chunks, shape, limit):
    want = dask_core.normalize_chunks(chunks, shape, limit=limit, dtype="uint8")
    assert normalize_chunks(chunks, shape, limit=limit, dtype="uint8") == want
    with ga_config(limit):
        assert ga.zeros(shape, dtype="uint8", chunks=chunks).chunks == want


def ga_config(limit):
    return chunk_budget(limit)
