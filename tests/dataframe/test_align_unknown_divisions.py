"""Collections of unknown divisions meet by index label, as in pandas and dask: operands of one
partitioning (one source through partition-wise steps) are paired by position; others are first
shuffled by their index into as many partitions (``aligned_operands`` in
``gpuscale.dataframe.expr.base``).  Each compared with pandas and, where dask gets it right, with dask."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.dataframe.expr.shuffle import HashShuffle
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf():
    return pd.DataFrame({"k": [1, 2, 3, 1, 2, 3, 4, 5, 6, 4] * 3, "col": np.arange(30.0),
                         "x": np.arange(30) % 7}, index=np.arange(30)[::-1] * 3)


def _shuffles(collection) -> int:
    # optimized: the projections and filters pushed into a reader must not make its uses look unrelated
    return len(list(collection.expr.optimize(fuse=False).find_operations(HashShuffle)))


def test_groupby_transform_assigned_as_a_column(pdf, backend):
    # the transform's partitions come out of a shuffle by "k": its rows are not those of ddf's partitions
    df = gd.from_pandas(pdf, npartitions=3, sort=False, backend=backend)
    df["new"] = df.groupby("k").transform("sum")["col"]
    expected = pdf.assign(new=pdf.groupby("k").transform("sum")["col"])
    assert_eq(df, expected, sort_results=True)
    ddf = dd.from_pandas(pdf, npartitions=3, sort=False)
    ddf["new"] = ddf.groupby("k").transform("sum", meta={"col": "f8", "x": "i8"})["col"]
    assert_eq(df, ddf.compute(), sort_results=True)


def test_fillna_with_a_collection_partitioned_otherwise(pdf, backend):
    holes = pdf.col.where(pdf.x % 3 != 0)
    filler = pdf.col * 10
    a = gd.from_pandas(holes, npartitions=3, sort=False, backend=backend)
    b = gd.from_pandas(filler, npartitions=3, sort=False, backend=backend).shuffle(on_index=True, npartitions=3)
    assert_eq(a.fillna(b), holes.fillna(filler), sort_results=True)
    da = dd.from_pandas(holes, npartitions=3, sort=False)
    db = dd.from_pandas(filler, npartitions=3, sort=False)
    assert_eq(a.fillna(b), da.fillna(db).compute(), sort_results=True)
    frame = gd.from_pandas(pdf.assign(col=holes), npartitions=3, sort=False, backend=backend)
    other = gd.from_pandas(pdf * 10, npartitions=3, sort=False, backend=backend).shuffle("k")
    assert_eq(frame.fillna(other), pdf.assign(col=holes).fillna(pdf * 10), sort_results=True)


def test_binary_operators_of_differently_shuffled_frames(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, sort=False, backend=backend)
    a, b = df.shuffle("k"), df.shuffle("x")
    assert a.npartitions == b.npartitions and not a.known_divisions
    assert_eq(a.col + b.col, pdf.col * 2, sort_results=True)
    assert_eq(a[["col", "x"]] - b[["col", "x"]], pdf[["col", "x"]] * 0, sort_results=True)
    assert_eq(a.col.gt(b.x), pdf.col.gt(pdf.x), sort_results=True)
    assert_eq(a.assign(y=b.x * 2), pdf.assign(y=pdf.x * 2), sort_results=True)
    assert_eq(a[b.x > 2], pdf[pdf.x > 2], sort_results=True)
    assert_eq(df.col + b.col, pdf.col * 2, sort_results=True)  # the unshuffled frame meets the shuffled one
    # already shuffled by index into as many partitions: paired as they are, not shuffled again
    c, d = a.shuffle(on_index=True), b.shuffle(on_index=True)
    assert_eq(c.col + d.col, pdf.col * 2, sort_results=True)
    assert _shuffles(c.col + d.col) == _shuffles(c.col) + _shuffles(d.col)


def test_one_partitioning_is_paired_by_position(pdf, backend, tmp_path):
    df = gd.from_pandas(pdf, npartitions=3, sort=False, backend=backend)
    steps = [df.col + df.x, df.col.cumsum() + df.x, df[df.x > 2].col + df.k, df.assign(y=df.col.cumsum() * 2),
             df.col.fillna(df.x.where(df.x > 1)), df[df.col > 4]]
    expected = [pdf.col + pdf.x, pdf.col.cumsum() + pdf.x, pdf[pdf.x > 2].col + pdf.k,
                pdf.assign(y=pdf.col.cumsum() * 2), pdf.col.fillna(pdf.x.where(pdf.x > 1)), pdf[pdf.col > 4]]
    for got, want in zip(steps, expected):
        assert_eq(got, want, sort_results=True)  # pandas sorts the union of two indexes, gpuscale each partition's
        assert _shuffles(got) == 0
    shuffled = df.shuffle("k")  # one shuffle, its columns combined: no other
    assert _shuffles(shuffled.col + shuffled.x * 2) == 1
    assert_eq(shuffled.col + shuffled.x * 2, pdf.col + pdf.x * 2, sort_results=True)
    # a reader's columns and pushed filters keep its partitions: the columns of one read stay paired
    for i in range(3):
        pdf.iloc[i * 10:(i + 1) * 10].to_parquet(tmp_path / f"part.{i}.parquet")
    read = gd.read_parquet(tmp_path, backend=backend, calculate_divisions=False, split_row_groups=True)
    assert not read.known_divisions and read.npartitions == 3
    combined = read[read.x > 2].col + read.k
    assert _shuffles(combined) == 0
    assert_eq(combined, pdf[pdf.x > 2].col + pdf.k, check_index=False, sort_results=True)


def test_map_partitions_without_alignment_pairs_by_position(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, sort=False, backend=backend)
    other = gd.from_pandas(pdf.reset_index(drop=True), npartitions=3, sort=False, backend=backend)
    # .values: the partition library's own array (a cuDF Series takes CuPy operands, not host NumPy ones)
    got = df.map_partitions(lambda a, b: a.col + b.col.values, other, align_dataframes=False, meta=("col", "f8"))
    assert _shuffles(got) == 0
    assert_eq(got, pdf.col * 2)


def test_indexes_of_different_dtypes_are_refused(backend):
    def unknown(data):  # (increasing labels give known divisions even with sort=False, as dask)
        return gd.from_pandas(data, npartitions=2, sort=False, backend=backend).clear_divisions()

    a, b = unknown(pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])), unknown(pd.Series([1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match="different dtypes"):
        a + b
    ints = unknown(pd.Series([1.0, 2.0, 3.0], index=[0, 1, 2]))
    floats = unknown(pd.Series([4.0, 5.0], index=[1.0, 2.0]))
    assert_eq(ints + floats, pd.Series([1.0, 2.0, 3.0]) + pd.Series([4.0, 5.0], index=[1.0, 2.0]), sort_results=True)


def test_a_mask_of_the_index_keeps_the_row_order(backend):
    """``df[df.index > x]`` filters partition by partition: the mask's blocks are the frame's partitions (both
    were shuffled by index when divisions are unknown, which reordered the rows)."""
    pdf = pd.DataFrame({"a": range(8)}, index=[5, 1, 7, 3, 2, 6, 0, 4])
    df = gd.from_pandas(pdf, npartitions=2, sort=False, backend=backend)
    got = df[df.index > 1]
    assert "Shuffle" not in got.expr.optimize(fuse=False).tree_repr()
    assert list(to_host(got.compute()).a) == list(pdf[pdf.index > 1].a)
