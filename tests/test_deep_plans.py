"""Deep plans: thousands of chained operations build, optimize, fuse, explain and compute.

Every walk over a plan (names, simplify, lower, fusion, graph building, explain) is a loop, not
recursion, so the depth of a plan is not limited by Python's recursion limit (1000 by default).
"""

from __future__ import annotations

import io
import pickle
import sys

import numpy as np
import pandas as pd
import pytest

import gpuscale
import gpuscale.array as ga
import gpuscale.dataframe as gd
from gpuscale.expr import Expr


@pytest.fixture(autouse=True)
def default_recursion_limit():
    assert sys.getrecursionlimit() <= 1000  # the point: no deeper stack than Python's default
    with gpuscale.config.set(backend="numpy"):
        yield


def test_5000_chained_array_operations() -> None:
    values = np.arange(20.0)
    x = ga.asarray(values, chunks=10)
    for _ in range(5000):
        x = x + 1
    np.testing.assert_array_equal(x.compute(), values + 5000)
    assert float(x[3]) == 5003.0
    assert float(x.sum()) == float((values + 5000).sum())
    text = io.StringIO()
    x.explain(file=text)
    assert text.getvalue().count("Blockwise") >= 5000
    graph = x.__dask_graph__()
    pickle.loads(pickle.dumps(graph))  # a fused chain is flat: it pickles (for a cluster)


def test_chained_operations_of_two_arrays() -> None:
    x, y = ga.asarray(np.arange(8.0), chunks=3), ga.asarray(np.ones(8), chunks=4)
    want = np.arange(8.0)
    for _ in range(1000):
        x, want = ga.sin(x) * 0.5 + y, np.sin(want) * 0.5 + 1
    np.testing.assert_allclose(x.compute(), want)


def test_1000_chained_dataframe_assigns() -> None:
    pdf = pd.DataFrame({"a": np.arange(10), "b": 1})
    df = gd.from_pandas(pdf, npartitions=2)
    for _ in range(1000):
        df = df.assign(a=df.a + 1)
    pd.testing.assert_frame_equal(df.compute(), pdf.assign(a=pdf.a + 1000))
    df.explain(file=io.StringIO())


def test_1000_chained_series_operations() -> None:
    pdf = pd.DataFrame({"a": np.arange(10)})
    s = gd.from_pandas(pdf, npartitions=2).a
    for _ in range(1000):
        s = s * 1 + 1
    pd.testing.assert_series_equal(s.compute(), pdf.a + 1000)


def test_collections_of_long_chains_pickle_and_keep_their_names():
    # pickle recursed once per level of the expression tree: a chain of 500 operations passed the recursion
    # limit (dask.array pickles such chains); a node shared by two branches comes back once
    x = ga.ones((8, 8), chunks=4)
    for _ in range(3 * sys.getrecursionlimit()):
        x = x + 1
    back = pickle.loads(pickle.dumps(x))
    assert back.name == x.name and float(back.sum().compute()) == 64 * (1 + 3 * sys.getrecursionlimit())
    df = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=2)
    shared = df.a * 2
    both = pickle.loads(pickle.dumps(shared + shared.sum()))
    assert both.compute().tolist() == [14, 16, 18]
    seen, stack = {}, [both.expr]
    while stack:  # every node of the tree comes back once: one object per name
        node = stack.pop()
        seen.setdefault(node._name, set()).add(id(node))
        stack.extend(o for o in node.operands if isinstance(o, Expr))
    assert all(len(ids) == 1 for ids in seen.values())
