"""sort_values / set_index / top-n of partitions long enough that the sort boundaries come from a sample of their
rows, and of keys with many ties, missing values and times: the stable order of pandas either way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

ROWS = 75_000  # (3 partitions of 25,000 rows: more than the sampled boundaries' threshold)


@pytest.fixture(scope="module")
def pdf():
    r = np.random.default_rng(7)
    x = r.random(ROWS)
    x[r.random(ROWS) < 0.05] = np.nan
    t = pd.to_datetime(r.integers(0, 300, ROWS), unit="D").to_numpy().copy()
    t[r.random(ROWS) < 0.05] = np.datetime64("NaT")
    return pd.DataFrame({"k": r.integers(0, 50, ROWS), "x": x, "t": t, "u": r.integers(0, 3, ROWS).astype("uint8"),
                         "v": np.arange(ROWS)}, index=np.arange(ROWS) * 3)


@pytest.mark.parametrize("by,ascending,na_position", [
    ("k", True, "last"), ("k", False, "last"), ("x", True, "first"), ("x", False, "last"), ("t", True, "last"),
    ("t", False, "first"), ("u", False, "last"), (["k", "x"], [False, True], "last"), (["u", "t"], True, "first"),
])
def test_sort_values_stable_order(pdf, backend, by, ascending, na_position):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = to_host(df.sort_values(by, ascending=ascending, na_position=na_position).compute())
    tm.assert_frame_equal(got, pdf.sort_values(by, ascending=ascending, na_position=na_position, kind="stable"))


@pytest.mark.parametrize("by,ascending", [("k", True), ("x", False), ("t", True), (["u", "x"], [True, False])])
def test_sort_values_head(pdf, backend, by, ascending):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = to_host(df.sort_values(by, ascending=ascending).head(20))
    tm.assert_frame_equal(got, pdf.sort_values(by, ascending=ascending, kind="stable").head(20))


def test_sort_values_same_partitions_each_compute(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    sizes = [list(to_host(df.sort_values("x").map_partitions(len).compute())) for _ in range(2)]
    assert sizes[0] == sizes[1] and sum(sizes[0]) == ROWS
    assert max(sizes[0]) < ROWS  # (the rows are spread, not gathered in one partition)


@pytest.mark.parametrize("column", ["k", "x", "t"])
def test_set_index_stable_order(pdf, backend, column):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    out = df.set_index(column)
    got = to_host(out.compute())
    tm.assert_frame_equal(got, pdf.set_index(column).sort_index(kind="stable"))
    assert out.known_divisions and list(out.divisions) == sorted(out.divisions)
    assert df.set_index(column).divisions == out.divisions


def test_sort_values_with_empty_partitions(pdf, backend):
    part = pdf.iloc[:30_000]
    empty = part.iloc[:0]
    df = gd.from_pandas(part, npartitions=2, backend=backend)
    df = gd.concat([gd.from_pandas(empty, npartitions=1, backend=backend), df,
                    gd.from_pandas(empty, npartitions=1, backend=backend)])
    got = to_host(df.sort_values("k", ascending=False).compute())
    tm.assert_frame_equal(got, part.sort_values("k", ascending=False, kind="stable"))


def test_a_key_that_is_also_an_index_level_is_ambiguous(backend):
    # the fast path for one numeric key sorted by the column where pandas refuses the name as ambiguous
    pdf = pd.DataFrame({"k": [2, 1, 0, 1], "v": [0, 1, 2, 3]}, index=pd.Index([9, 8, 7, 6], name="k"))
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for call in (lambda d: d.sort_values("k"), lambda d: d.sort_values("k").head(2)):
        with pytest.raises(ValueError, match="ambiguous"):
            call(pdf)
        with pytest.raises(ValueError, match="ambiguous"):
            call(df).compute()


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "uint8", "float32"])
def test_set_index_of_a_narrow_key_keeps_its_dtype_with_empty_partitions(backend, dtype):
    # pandas makes the index of an empty int8 key int64, which widened the whole result's index
    pdf = pd.DataFrame({"k": np.full(6, 2, dtype=dtype), "v": np.arange(6)})
    got = to_host(gd.from_pandas(pdf, npartitions=3, backend=backend).set_index("k").compute())
    pd.testing.assert_frame_equal(got, pdf.set_index("k").sort_index(kind="stable"))
