"""``sort_index`` of a MultiIndex over several partitions (groupby results with ``split_out``, frames from
pandas MultiIndexed frames): a global sort by all the levels, as pandas' (it was refused)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host

RNG = np.random.default_rng(7)
PDF = pd.DataFrame({"a": RNG.integers(0, 5, 60), "b": RNG.choice(list("xyz"), 60), "v": RNG.normal(size=60)})


@pytest.mark.parametrize("ascending", [True, False, [True, False]])
def test_groupby_result_with_split_out(backend, ascending):
    got = gd.from_pandas(PDF, npartitions=4, backend=backend).groupby(["a", "b"]).v.sum(split_out=3)
    assert got.npartitions == 3
    expected = PDF.groupby(["a", "b"]).v.sum().sort_index(ascending=ascending)
    out = to_host(got.sort_index(ascending=ascending).compute())
    assert out.index.tolist() == expected.index.tolist()
    assert_eq(out, expected)


def test_frame_with_unsorted_multiindex(backend):
    shuffled = PDF.set_index(["a", "b"]).sample(frac=1, random_state=1)
    got = gd.from_pandas(shuffled, npartitions=3, sort=False, backend=backend).sort_index()
    expected = shuffled.sort_index(kind="stable")
    out = to_host(got.compute())
    assert out.index.tolist() == expected.index.tolist()
    assert_eq(out, expected)
    assert list(got.columns) == ["v"] and got._meta.index.names == ["a", "b"]


@pytest.mark.parametrize("options", [{"level": "b"}, {"level": -1, "ascending": False},
                                     {"level": ["b", "a"], "ascending": [False, True]}])
def test_by_levels_over_several_partitions(backend, options):
    got = gd.from_pandas(PDF, npartitions=4, backend=backend).groupby(["a", "b"]).v.sum(split_out=3)
    expected = PDF.groupby(["a", "b"]).v.sum().sort_index(**options)
    out = to_host(got.sort_index(**options).compute())
    assert out.index.tolist() == expected.index.tolist()
    assert_eq(out, expected)


def test_by_one_level_without_sorting_the_rest(backend):
    got = gd.from_pandas(PDF, npartitions=4, backend=backend).groupby(["a", "b"]).v.sum(split_out=3)
    out = to_host(got.sort_index(level="b", sort_remaining=False).compute())
    assert out.index.get_level_values("b").tolist() == sorted(out.index.get_level_values("b"))
    assert_eq(out.sort_index(), PDF.groupby(["a", "b"]).v.sum())
    with pytest.raises(KeyError, match="not a level"):
        got.sort_index(level="c")
