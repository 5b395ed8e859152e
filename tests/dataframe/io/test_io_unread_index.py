"""A filtered parquet read whose index no one reads skips numbering its rows (see
``gpuscale.dataframe.expr.index_usage``); where the index is observed it is still each row's dataset position.

Every result is compared with pandas and with the same plan optimized without the rule (the labels too, where
the result shows them).
"""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.dataframe.expr.index_usage import drop_unread_indexes
from gpuscale.expr import core
from gpuscale.testing import assert_eq
from io_fixtures import parquet_file, pdf  # noqa: F401 (fixtures)


@pytest.fixture
def without_rule(monkeypatch):
    """A function computing a collection with the rule switched off (the reference: positions as before)."""
    def compute(collection):
        with monkeypatch.context() as patch:
            patch.setattr(core, "_PLAN_RULES", [r for r in core._PLAN_RULES if r is not drop_unread_indexes])
            return collection.compute()
    return compute


def _unread(collection) -> list:
    """``index_unread`` of each parquet read of the optimized plan."""
    leaves = collection.expr.optimize(fuse=False).find_operations(gd.io.ReadParquet)
    return sorted(bool(leaf.operand("index_unread")) for leaf in leaves)


def _read(path, **kwargs):
    return gd.read_parquet(path, partition_bytes=1, **kwargs)


def test_merge_on_columns_reads_without_positions(parquet_file, pdf, without_rule):  # noqa: F811
    df = _read(parquet_file)
    keys = gd.from_pandas(pd.DataFrame({"k": [0, 1, 2], "name": ["a", "b", "c"]}), npartitions=1)
    query = df[df.s.isin(["s1", "s2"]) & (df.i > 20)].merge(keys, on="k")
    assert _unread(query) == [True]
    expected = pdf[pdf.s.isin(["s1", "s2"]) & (pdf.i > 20)].merge(pd.DataFrame({"k": [0, 1, 2],
                                                                                "name": ["a", "b", "c"]}), on="k")
    assert_eq(query, expected, check_index=False)
    assert_eq(query.compute(), without_rule(query))  # labels too: a merge on columns numbers rows anew


def test_groupby_aggregation_reads_without_positions(parquet_file, pdf, without_rule):  # noqa: F811
    df = _read(parquet_file)
    query = df[df.i > 20].groupby("k").agg(total=("f", "sum"), n=("i", "count"))
    assert _unread(query) == [True]
    assert_eq(query, pdf[pdf.i > 20].groupby("k").agg(total=("f", "sum"), n=("i", "count")))
    assert_eq(query.compute(), without_rule(query))


def test_reductions_and_len_read_without_positions(parquet_file, pdf):  # noqa: F811
    df = _read(parquet_file)
    selected = df[(df.i > 20) & (df.s != "s3")]
    expected = pdf[(pdf.i > 20) & (pdf.s != "s3")]
    revenue = (selected.f * (1 - selected.k)).sum()
    assert _unread(revenue) == [True]
    assert revenue.compute() == pytest.approx((expected.f * (1 - expected.k)).sum())
    assert len(selected) == len(expected)


def test_a_mask_of_the_merged_frame_keeps_the_rule(parquet_file, pdf):  # noqa: F811
    # TPC-H Q19's shape: filter pushed into the read, merge, a mask computed from the merged frame, a sum
    df = _read(parquet_file)
    pother = pd.DataFrame({"k": [0, 1, 2], "w": [1.0, 2.0, 3.0]})
    joined = df[df.s.isin(["s1", "s2", "s4"])].merge(gd.from_pandas(pother, npartitions=2), on="k")
    query = joined[(joined.w > 1) | (joined.i < 10)].f.sum()
    assert _unread(query) == [True]
    pj = pdf[pdf.s.isin(["s1", "s2", "s4"])].merge(pother, on="k")
    assert query.compute() == pytest.approx(pj[(pj.w > 1) | (pj.i < 10)].f.sum())


def test_two_reads_with_the_same_rows_align_without_positions(parquet_file, pdf):  # noqa: F811
    a = _read(parquet_file, columns=["f", "i"], filters=[("i", ">", 30)])
    b = _read(parquet_file, columns=["k"], filters=[("i", ">", 30)])
    query = (a.f * b.k).sum()
    assert _unread(query) == [True, True]
    selected = pdf[pdf.i > 30]
    assert query.compute() == pytest.approx((selected.f * selected.k).sum())


@pytest.mark.parametrize("case", [
    "direct", "join_on_index", "set_index", "reset_index", "merge_on_index", "loc_list", "loc", "assign_other",
    "index_in_mask", "different_filters"])
def test_the_index_stays_positions_where_it_is_observed(parquet_file, pdf, case, without_rule):  # noqa: F811
    df = _read(parquet_file)
    selected, expected = df[df.i > 20], pdf[pdf.i > 20]
    pother = pdf[pdf.i < 60][["f"]].rename(columns={"f": "g"})
    other = gd.from_pandas(pother, npartitions=3) if case in ("join_on_index", "merge_on_index") else \
        _read(parquet_file, columns=["f"], filters=[("i", "<", 60)]).rename(columns={"f": "g"})
    query, reference = {
        "direct": lambda: (selected, expected),
        "loc": lambda: (selected.loc[30:50], expected.loc[30:50]),
        "loc_list": lambda: (selected.loc[[25, 40, 41]], expected.loc[[25, 40, 41]]),
        "assign_other": lambda: (selected.assign(g=other.g), expected.assign(g=pother.g)),
        "join_on_index": lambda: (selected[["i"]].join(other), expected[["i"]].join(pother)),
        "set_index": lambda: (selected.set_index("i"), expected.set_index("i")),
        "reset_index": lambda: (selected.reset_index()["index"].sum(), expected.reset_index()["index"].sum()),
        "index_in_mask": lambda: (selected[selected.index > 40], expected[expected.index > 40]),
        "merge_on_index": lambda: (selected[["i"]].merge(other, left_index=True, right_index=True),
                                   expected[["i"]].merge(pother, left_index=True, right_index=True)),
        "different_filters": lambda: ((selected.f + other.g).sum(), (expected.f + pother.g).sum()),
    }[case]()
    assert True not in _unread(query)
    if hasattr(query, "expr") and not query.expr.is_scalar:
        assert_eq(query, reference)
        assert_eq(query.compute(), without_rule(query))
    else:
        assert query.compute() == pytest.approx(reference)
