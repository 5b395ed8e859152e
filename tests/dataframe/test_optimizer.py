"""The optimizer: projection/predicate pushdown into sources and through joins, fusion, explain."""

from __future__ import annotations

import functools
import io

import numpy as np
import pandas as pd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
import pytest

import gpuscale.dataframe as gd
from gpuscale.dataframe import new_collection
from gpuscale.dataframe.expr.base import PartitionedSource
from gpuscale.dataframe.expr.blockwise import Filter
from gpuscale.dataframe.expr.fusion import Fused
from gpuscale.backends import frame as bf
from gpuscale.backends.registry import resolve_frame_backend
from gpuscale.graph import graph_dependencies
from gpuscale.testing import assert_eq

DATA = pd.DataFrame({"a": np.arange(40), "b": np.arange(40) * 0.5, "c": list("wxyz") * 10, "d": np.arange(40) % 3})
_OPS = {"==": "__eq__", "!=": "__ne__", "<": "__lt__", "<=": "__le__", ">": "__gt__", ">=": "__ge__"}


def _read(i: int, columns: list | None, filters: list | None, nparts: int, library: str) -> pd.DataFrame:
    part = DATA.iloc[i * len(DATA) // nparts:(i + 1) * len(DATA) // nparts]
    for col, op, value in filters or []:
        part = part[getattr(part[col], _OPS[op])(value)]
    return bf.convert_library(part if columns is None else part[list(columns)], library)


class FakeSource(PartitionedSource):
    """A reader of ``DATA`` in ``nparts`` partitions that applies columns and filters itself."""

    _parameters = ["columns", "filters", "nparts", "exact", "library"]
    _defaults = {"columns": None, "filters": None, "nparts": 4, "exact": False, "library": "pandas"}

    @property
    def _filters_exact(self) -> bool:
        return self.exact

    @functools.cached_property
    def _meta(self):
        columns = self.operand("columns")
        meta = DATA.iloc[:0] if columns is None else DATA.iloc[:0][list(columns)]
        return bf.convert_library(meta, self.library)

    def _divisions(self):
        return (None,) * (self.nparts + 1)

    def _partition_task(self, i):
        return (_read, i, self.operand("columns"), self.filters, self.nparts, self.library)


def source(**kwargs):
    return new_collection(FakeSource(library=resolve_frame_backend(), **kwargs))


def leaves(collection):
    return list(collection.expr.optimize(fuse=False).find_operations(FakeSource))


def test_projection_pushdown_reads_union_of_columns():
    df = source()
    out = df[df.a > 5][["b"]]
    (leaf,) = leaves(out)
    assert leaf.operand("columns") == ["a", "b"]
    tm.assert_frame_equal(out.compute(), DATA[DATA.a > 5][["b"]])


def test_projection_through_assign_and_columnwise_maps():
    df = source()
    out = (df[["a", "b", "d"]].assign(e=df.a * 2).fillna(0) + 1)[["e", "d"]]
    (leaf,) = leaves(out)
    assert leaf.operand("columns") == ["a", "d"]
    tm.assert_frame_equal(out.compute(), (DATA[["a", "b", "d"]].assign(e=DATA.a * 2).fillna(0) + 1)[["e", "d"]])


def test_one_column_of_a_columnwise_map_is_that_map_of_the_column():
    # ``df.abs()["a"]`` is planned as ``df["a"].abs()``: the same tasks as the Series call, one column read
    df = source()
    numbers = df[["a", "b", "d"]]
    for frame_first, series_first in [(numbers.abs()["a"], df["a"].abs()), ((df[["a", "b"]] + 1)["b"], df["b"] + 1),
                                      (df.fillna(0)["b"], df["b"].fillna(0)),
                                      (df.replace(3, 30)["d"], df["d"].replace(3, 30)),
                                      (numbers.astype("float64")["a"], df["a"].astype("float64"))]:
        assert frame_first.simplify()._name == series_first.simplify()._name
        (leaf,) = leaves(frame_first)
        assert leaf.operand("columns") is not None and len(leaf.operand("columns")) == 1
    tm.assert_series_equal(to_host(df.replace(3, 30)["d"].compute()), DATA.replace(3, 30)["d"])


def test_column_keyed_arguments_keep_their_frame_meaning():
    # a dict names columns of a DataFrame but rows of a Series: such calls are not moved to the Series
    df = source()
    for got, expected in [(df.replace({"d": 1}, 5)["d"], DATA.replace({"d": 1}, 5)["d"]),
                          (df.isin({"d": [1]})["d"], DATA.isin({"d": [1]})["d"]),
                          (df.astype({"a": "float64", "b": "float32"})["a"],
                           DATA.astype({"a": "float64", "b": "float32"})["a"])]:
        tm.assert_series_equal(to_host(got.compute()), expected)


def test_predicate_pushdown_keeps_filter_unless_exact():
    df = source()
    out = df[(df.a >= 10) & (df.c == "x") & (df.b * 2 > 3)]
    plan = out.expr.optimize(fuse=False)
    (leaf,) = plan.find_operations(FakeSource)
    assert leaf.filters == [("a", ">=", 10), ("c", "==", "x")]
    assert list(plan.find_operations(Filter))
    tm.assert_frame_equal(out.compute(), DATA[(DATA.a >= 10) & (DATA.c == "x") & (DATA.b * 2 > 3)])

    exact = source(exact=True)
    simple = exact[(exact.a >= 10) & (exact.d == 1)]
    plan = simple.expr.optimize(fuse=False)
    assert not list(plan.find_operations(Filter))
    tm.assert_frame_equal(simple.compute(), DATA[(DATA.a >= 10) & (DATA.d == 1)])


def test_predicate_pushdown_below_projection_and_merge():
    left = source()
    right = gd.from_pandas(pd.DataFrame({"d": [0, 1, 2], "label": ["zero", "one", "two"]}), npartitions=1)
    joined = left[["a", "d"]].merge(right, on="d")
    out = joined[(joined.a < 20) & (joined.label != "one")]
    plan = out.expr.optimize(fuse=False)
    (leaf,) = plan.find_operations(FakeSource)
    assert leaf.filters == [("a", "<", 20)]
    expected = DATA[["a", "d"]].merge(to_host(right.compute()), on="d")
    expected = expected[(expected.a < 20) & (expected.label != "one")]
    tm.assert_frame_equal(out.compute().sort_values("a").reset_index(drop=True),
                          expected.sort_values("a").reset_index(drop=True))


def test_fusion_gives_one_task_per_partition():
    df = source()
    out = ((df[df.a > 3].assign(e=lambda d: d.b + 1)).fillna(0))[["a", "e"]]
    optimized = out.expr.optimize()
    assert isinstance(optimized, Fused)
    graph = optimized.__dask_graph__()
    assert len(graph) == 4 and set(graph) == {(optimized._name, i) for i in range(4)}
    assert optimized.tree_repr().startswith("Fused(") and "FakeSource" in optimized.tree_repr()
    tm.assert_frame_equal(out.compute(), DATA[DATA.a > 3].assign(e=lambda d: d.b + 1).fillna(0)[["a", "e"]])


def test_fusion_stops_below_a_step_that_waits_for_a_summary_of_the_same_source():
    df = source()
    late = df[df.a > 3]
    small = gd.from_pandas(pd.DataFrame({"d": [0, 1], "label": ["zero", "one"]}), npartitions=1)
    summary = late.groupby("d").agg(n=("a", "count")).reset_index()
    out = late.merge(small, on="d").merge(summary, on="d")
    optimized = out.expr.optimize()
    graph = optimized.__dask_graph__()
    deps = graph_dependencies(graph)
    small_key = (small.expr.optimize()._name, 0)
    merged_with_small = [k for k in graph if small_key in deps[k]]
    # each partition is merged with ``small`` as soon as it exists (in a task of its own that does
    # not wait for the summary), so only the merged rows wait for the summary, not whole partitions
    assert len(merged_with_small) == 4
    assert all(len(deps[k]) == 2 for k in merged_with_small)
    expected = DATA[DATA.a > 3].merge(to_host(small.compute()), on="d")
    expected = expected.merge(DATA[DATA.a > 3].groupby("d").agg(n=("a", "count")).reset_index(), on="d")
    tm.assert_frame_equal(out.compute().sort_values("a").reset_index(drop=True),
                          expected.sort_values("a").reset_index(drop=True))


def test_fusion_stops_below_a_step_that_waits_for_a_result_made_through_a_shuffle():
    df = source()
    small = gd.from_pandas(pd.DataFrame({"d": [0, 1], "label": ["zero", "one"]}), npartitions=1)
    other = pd.DataFrame({"x": np.arange(30) % 7})
    total = gd.from_pandas(other, npartitions=3).drop_duplicates().x.sum()  # needs a shuffle of `other`
    out = df[df.a > 3].merge(small, on="d").assign(e=lambda d: d.a + total)
    graph = out.expr.optimize().__dask_graph__()
    deps = graph_dependencies(graph)
    small_key = (small.expr.optimize()._name, 0)
    merged_with_small = [k for k in graph if small_key in deps[k]]
    # each partition is merged with ``small`` in a task that does not wait for the shuffled sum
    assert len(merged_with_small) == 4 and all(deps[k] == {small_key} for k in merged_with_small)
    expected = DATA[DATA.a > 3].merge(to_host(small.compute()), on="d")
    expected = expected.assign(e=expected.a + other.x.drop_duplicates().sum())
    tm.assert_frame_equal(out.compute().sort_values("a").reset_index(drop=True),
                          expected.sort_values("a").reset_index(drop=True))


def test_reduction_chunks_fuse_with_the_chain():
    df = source()
    total = (df.a * 2 + df.b).sum()
    graph = total.expr.optimize().__dask_graph__()
    assert len(graph) == 4 + 1  # one fused task per partition + the aggregate
    assert total.compute() == (DATA.a * 2 + DATA.b).sum()


def test_explain_prints_both_plans():
    df = source()
    out = df[df.a > 1][["b"]]
    buffer = io.StringIO()
    out.explain(file=buffer)
    text = buffer.getvalue()
    assert "Logical plan" in text and "Optimized plan" in text
    assert "FakeSource" in text and "Filter" in text


def test_explain_shortens_long_literals_and_names_the_operation_once():
    df = gd.from_pandas(DATA, npartitions=2)
    for collection in (df.a.isin(list(range(100_000))), df.a.map({i: i for i in range(100_000)}, meta=("a", "i8"))):
        buffer = io.StringIO()
        collection.explain(file=buffer)
        collection.pprint(file=buffer)
        assert max(map(len, buffer.getvalue().splitlines())) < 80  # was the whole list: 689k characters
    buffer = io.StringIO()
    (df.a > 3).pprint(file=buffer)
    assert buffer.getvalue().splitlines()[0].strip() == "Map: gt 3"  # not "Map: gt 'gt', 3"


def test_common_subexpressions_computed_once():
    df = source()
    calls = []

    def mark(p):
        calls.append(len(p))
        return p

    marked = df.map_partitions(mark, meta=DATA.iloc[:0])
    both = marked.a.sum() + marked.b.max()
    calls.clear()
    assert both.compute(scheduler="sync") == DATA.a.sum() + DATA.b.max()
    assert len(calls) == 4


def test_rules_match_node_types_and_fields_not_display_labels():
    from gpuscale.dataframe.expr.blockwise import _conditions, map_partitions_expr
    from gpuscale.dataframe.expr.merge import hash_partitioning

    df = gd.from_pandas(DATA, npartitions=4)
    both = (df.a > 1) & (df.b < 9)
    assert _conditions(both.expr) == 2
    # the same labels on other functions mean nothing to the optimizer
    assert _conditions(map_partitions_expr(bf.binary_op, "or_", (df.a > 1).expr, (df.b < 9).expr, label="and_")) == 1
    shuffled = df.shuffle("a").expr
    assert hash_partitioning(map_partitions_expr(bf.drop_duplicates, shuffled, label="x")) is not None
    assert hash_partitioning(map_partitions_expr(bf.call_method, shuffled, "copy", label="drop_duplicates")) is None
    # a function's name does not decide whether a Map node keeps divisions; a method call that keeps the
    # index does (map_partitions itself keeps them, as dask, where the result's index is the input's kind)
    from gpuscale.dataframe.core import new_collection

    indexed = df.set_index("a")

    def fillna(p):
        return p.fillna(0)

    assert new_collection(map_partitions_expr(fillna, indexed.expr)).known_divisions is False
    assert new_collection(map_partitions_expr(lambda p: p.fillna(0), indexed.expr, label="fillna")).known_divisions \
        is False
    assert indexed.fillna(0).known_divisions and indexed.dropna().known_divisions


@pytest.mark.parametrize("indexer", ["x", ["x"]])
def test_projection_moves_below_clip(backend, indexer):
    """``df.clip(0, 5)["x"]`` is ``df["x"].clip(0, 5)`` (clip's declared metadata is projected with it)."""
    pdf = pd.DataFrame({"x": [1, 5, 9, -2], "y": [1.0, 2.0, 3.0, 4.0], "z": [3, 2, 1, 0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    query = df.clip(0, 5)[indexer]
    assert query.simplify()._name == df[indexer].simplify().clip(0, 5)._name
    assert_eq(query, pdf.clip(0, 5)[indexer])
    assert_eq(df[["x", "y"]].clip(0, 5)[["x"]], pdf[["x", "y"]].clip(0, 5)[["x"]])
