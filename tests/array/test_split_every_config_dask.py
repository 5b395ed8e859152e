"""``dask.config.set(split_every=...)`` in ported code sets how many blocks each combine step of a reduction
merges when ``split_every=`` is not given, as in dask.array (dask's test_tree_reduce_set_options)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")

DATA = np.arange(242.0).reshape((11, 22))


def _max_inputs(graph: dict) -> int:
    """The most tasks any task of ``graph`` reads."""
    from dask.core import get_dependencies

    graph = dict(graph)
    return max(len(get_dependencies(graph, key)) for key in graph)


@pytest.mark.parametrize("split_every, axis, most", [({0: 2, 1: 3}, None, 6), ({0: 2, 1: 3}, 0, 2),
                                                      ({0: 2, 1: 3}, 1, 3), (4, 0, 4)])
def test_config_split_every_sets_the_tree(split_every: object, axis: object, most: int) -> None:
    x, dx = ga.from_array(DATA, chunks=(3, 4)), da.from_array(DATA, chunks=(3, 4))
    with dask.config.set(split_every=split_every):
        got, want = x.sum(axis=axis), dx.sum(axis=axis)
        assert _max_inputs(got.__dask_graph__()) == _max_inputs(want.__dask_graph__()) == most
    assert_same(got, want.compute())


def test_an_explicit_split_every_wins_over_the_config() -> None:
    x = ga.from_array(DATA, chunks=(3, 4))
    with dask.config.set(split_every=2):
        got = x.sum(axis=0, split_every=4)
    assert _max_inputs(got.__dask_graph__()) == 4
    assert_same(got, DATA.sum(axis=0))


def test_ways_of_writing_the_same_tree_give_the_same_keys() -> None:
    # dask's reduction tests compare the keys of equal reductions (same_keys): an int for all reduced axes or
    # the dict it stands for name one tree
    x = ga.from_array(DATA, chunks=(3, 4))
    assert x[0].sum(split_every=2).name == x[0].sum(split_every={0: 2}).name
    assert x.sum(axis=(0, 1), split_every=9).name == x.sum(axis=(0, 1), split_every={0: 3, 1: 3}).name
    assert x.sum(split_every=4).name == x.sum(split_every=2).name != x.sum(split_every=16).name  # (2 per axis)
    assert dict(x.sum(axis=0, split_every=2).__dask_graph__()).keys() == \
        dict(x.sum(axis=0, split_every={0: 2}).__dask_graph__()).keys()
    assert_same(x.sum(axis=0, split_every={0: 1, 1: 5}), DATA.sum(axis=0))  # an axis not reduced is ignored
