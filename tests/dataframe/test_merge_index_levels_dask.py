"""Merges on keys that mix columns and index level names (``on=["idx", "k"]``, as pandas takes them), with
known, unknown and single-partition sides: pandas' rows and index, dask's divisions."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


def _side(sizes, seed):
    idx = [i for i, n in enumerate(sizes) for _ in range(n)]
    k = [j for n in sizes for j in range(n)]
    return pd.DataFrame({"idx": idx, "k": k, "v": np.random.default_rng(seed).integers(0, 100, len(k))}).set_index("idx")


@pytest.fixture
def sides():
    return _side([3, 4, 2, 5, 3, 2, 5, 4], 0), _side([4, 2, 5, 3, 2, 5, 3, 4], 1)


ONS = [["idx", "k"], ["k", "idx"]]


@pytest.mark.parametrize("on", ONS)
@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
def test_known_divisions_merge_partition_by_partition(sides, backend, on, how):
    left, right = sides
    gl = gd.from_pandas(left, npartitions=3, backend=backend)
    gr = gd.from_pandas(right, npartitions=4, backend=backend)
    result = gl.merge(gr, on=on, how=how)
    assert_eq(result, left.merge(right, on=on, how=how), check_index=True, sort_results=True)
    assert result.divisions == tuple(sorted({*gl.divisions, *gr.divisions}))  # split at the union, as dask


@pytest.mark.parametrize("on", ONS)
@pytest.mark.parametrize("how", ["inner", "outer"])
def test_unknown_divisions_shuffle_by_the_index(sides, backend, on, how):
    left, right = sides
    gl = gd.from_pandas(left, npartitions=3, backend=backend).clear_divisions()
    gr = gd.from_pandas(right, npartitions=2, backend=backend)
    result = gl.merge(gr, on=on, how=how)
    assert_eq(result, left.merge(right, on=on, how=how), sort_results=True)
    assert not result.known_divisions


@pytest.mark.parametrize("how", ["inner", "left"])
def test_single_partition_side_is_broadcast_keeping_divisions(sides, backend, how):
    left, right = sides
    gl = gd.from_pandas(left, npartitions=3, backend=backend)
    gr = gd.from_pandas(right, npartitions=1, sort=False, backend=backend)
    result = gl.merge(gr, on=["k", "idx"], how=how)
    assert_eq(result, left.merge(right, on=["k", "idx"], how=how), sort_results=True)
    assert result.divisions == gl.divisions


def test_left_on_right_on_mix_columns_and_index_names(sides, backend):
    left, right = sides
    gl, gr = gd.from_pandas(left, npartitions=2, backend=backend), gd.from_pandas(right, npartitions=3, backend=backend)
    expected = left.merge(right, left_on=["idx", "k"], right_on=["idx", "v"])
    assert_eq(gl.merge(gr, left_on=["idx", "k"], right_on=["idx", "v"]), expected, sort_results=True)
    assert_eq(gl.merge(gr, left_on=["idx", "k"], right_on=["idx", "v"])[["v_x"]], expected[["v_x"]],
              sort_results=True)  # a projection moved below the merge keeps the index key
    with pytest.raises(KeyError, match="nope"):
        gl.merge(gr, on=["idx", "nope"])


def test_as_dask(sides):
    left, right = sides
    result = gd.from_pandas(left, npartitions=3).merge(gd.from_pandas(right, npartitions=4), on=["idx", "k"])
    expected = dd.from_pandas(left, npartitions=3).merge(dd.from_pandas(right, npartitions=4), on=["idx", "k"])
    assert_eq(result, expected.compute(), sort_results=True)


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@pytest.mark.parametrize("parts", [(1, 1), (3, 2)])
@pytest.mark.parametrize("on", ["idx", ["idx", "k"]])
def test_key_naming_one_sides_index_and_the_others_column(sides, backend, how, parts, on):
    """A key that is the left's index level and a column of the right stays a key: pandas gives the key as a
    column and fresh row numbers (not the right's labels, as ``left_index=True, right_on=...`` would)."""
    left, right = sides[0], sides[1].reset_index()
    gl = gd.from_pandas(left, npartitions=parts[0], backend=backend)
    gr = gd.from_pandas(right, npartitions=parts[1], backend=backend)
    expected = left.merge(right, on=on, how=how)
    result = gl.merge(gr, on=on, how=how, broadcast=False)
    assert list(result.columns) == list(expected.columns)
    assert_eq(result, expected, check_index=parts == (1, 1), sort_results=parts != (1, 1))
    flipped = right.merge(left, on=on, how=how)
    assert_eq(gr.merge(gl, on=on, how=how, broadcast=False), flipped, check_index=parts == (1, 1),
              sort_results=parts != (1, 1))


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@pytest.mark.parametrize("keys", [dict(on="j"), dict(on=["j", "k"]), dict(left_on="j", right_on="j")])
def test_key_naming_a_multiindex_level_and_the_others_column(backend, how, keys):
    # the level was looked for among the columns only (KeyError "column(s) ['j'] not found")
    mi = pd.MultiIndex.from_arrays([[0, 0, 1, 1], [5, 6, 7, 8]], names=["i", "j"])
    left = pd.DataFrame({"k": [1, 2, 3, 4], "a": [1.0, 2.0, 3.0, 4.0]}, index=mi)
    right = pd.DataFrame({"j": [6, 8, 9], "k": [2, 4, 5], "b": [10, 20, 30]})
    expected = left.merge(right, how=how, **keys)
    got = gd.from_pandas(left, npartitions=2, backend=backend).merge(
        gd.from_pandas(right, npartitions=2, backend=backend), how=how, **keys)
    assert list(got.columns) == list(expected.columns)
    got = to_host(got.compute()).sort_values(list(expected.columns)).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected.sort_values(list(expected.columns)).reset_index(drop=True))


def test_key_naming_a_multiindex_level_on_both_sides_is_refused(backend):
    mi = pd.MultiIndex.from_arrays([[0, 1], [5, 6]], names=["i", "j"])
    left = gd.from_pandas(pd.DataFrame({"k": [1, 2]}, index=mi), npartitions=1, backend=backend)
    right = gd.from_pandas(pd.DataFrame({"b": [1, 2]}, index=mi), npartitions=1, backend=backend)
    with pytest.raises(NotImplementedError, match="MultiIndex level"):
        left.merge(right, on="j")
