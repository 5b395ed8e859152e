"""pipe, sample, explode, map, add_prefix/suffix, ndim/axes/squeeze/pop, memory sizes, monotonicity and
iteration, against pandas and dask.dataframe."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf():
    rng = np.random.default_rng(2)
    n = 60
    return pd.DataFrame({"a": rng.integers(0, 100, n), "b": rng.normal(size=n),
                         "w": rng.choice(["x y", "z", "u v w"], n)})


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=4, backend=backend)


def test_pipe(df, pdf):
    assert_eq(df.pipe(lambda d, k: d.a * k, 3), pdf.a * 3)
    assert_eq(df.pipe((lambda k, data: data.b + k, "data"), 1), pdf.b + 1)
    with pytest.raises(ValueError, match="pipe target"):
        df.pipe((lambda data: data, "data"), data=1)


def test_sample_is_reproducible_and_a_subset(df, pdf):
    picked = df.sample(frac=0.5, random_state=42)
    again = df.sample(frac=0.5, random_state=42)
    got = to_host(picked.compute())
    assert got.equals(to_host(again.compute()))
    assert picked.divisions == df.divisions
    assert set(got.index) <= set(pdf.index) and 20 <= len(got) <= 40
    assert_eq(got, pdf.loc[got.index])
    assert not got.index.equals(to_host(df.sample(frac=0.5, random_state=7).compute()).index)
    with_replacement = to_host(df.sample(frac=2.0, replace=True, random_state=0).compute())
    assert len(with_replacement) == 2 * len(pdf)
    with pytest.raises(ValueError, match="frac"):
        df.sample(n=10)
    theirs = dd.from_pandas(pdf, npartitions=4).sample(frac=0.5, random_state=42).compute()
    assert abs(len(theirs) - len(got)) <= 10  # about the same fraction as dask


def test_explode_and_map(df, pdf, backend):
    split, psplit = df.w.str.split(), pdf.w.str.split()
    assert_eq(split.explode(), psplit.explode())
    frame = df.assign(parts=split)
    if backend == "pandas":  # (pandas' lists; cuDF's list columns explode the same way)
        assert_eq(frame.explode("parts"), pdf.assign(parts=psplit).explode("parts"))
    assert split.explode().divisions == df.divisions
    assert_eq(df[["a", "b"]].map(lambda v: v * 2), pdf[["a", "b"]].map(lambda v: v * 2))
    theirs = dd.from_pandas(pdf[["a", "b"]], npartitions=4).map(lambda v: v * 2, meta=pdf[["a", "b"]]).compute()
    assert_eq(df[["a", "b"]].map(lambda v: v * 2), theirs)


def test_labels_and_shapes(df, pdf):
    assert_eq(df.add_prefix("p_"), pdf.add_prefix("p_"))
    assert_eq(df.add_suffix("_s"), pdf.add_suffix("_s"))
    assert_eq(df.a.add_prefix("r"), pdf.a.add_prefix("r"))
    assert df.ndim == 2 and df.a.ndim == 1
    assert list(df.axes[1]) == list(pdf.columns)
    assert_eq(df.axes[0], pdf.index)
    assert_eq(df[["a"]].squeeze(), pdf[["a"]].squeeze())
    series = df.a
    assert series.squeeze() is series
    popped = df.pop("b")
    assert_eq(popped, pdf.b)
    assert list(df.columns) == ["a", "w"]


def test_memory_sizes(df, pdf, backend):
    expected = pdf[["a", "b"]].memory_usage(index=False)
    assert_eq(df[["a", "b"]].memory_usage(index=False), expected)
    assert int(df.a.nbytes.compute()) == pdf.a.nbytes
    per_part = to_host(df[["a", "b"]].memory_usage_per_partition(index=False).compute())
    assert per_part.sum() == expected.sum() and len(per_part) == 4
    assert int(df.a.memory_usage(index=False).compute()) == pdf.a.memory_usage(index=False)


@pytest.mark.parametrize("values", [[1, 2, 2, 3, 5, 8], [1, 3, 2, 4, 5, 6], [5, 5, 5, 5, 5, 5], [6, 5, 4, 4, 2, 1],
                                    [1, 2, 3, 3, 2, 5]])
def test_monotonic_across_partitions(backend, values):
    s = pd.Series(values)
    ds = gd.from_pandas(s, npartitions=3, backend=backend)
    assert bool(ds.is_monotonic_increasing.compute()) == s.is_monotonic_increasing
    assert bool(ds.is_monotonic_decreasing.compute()) == s.is_monotonic_decreasing
    assert bool(ds.is_monotonic_increasing.compute()) == dd.from_pandas(s, npartitions=3) \
        .is_monotonic_increasing.compute()


def test_iteration(df, pdf):
    assert [k for k, _ in df.items()] == list(pdf.columns)
    assert_eq(dict(df.items())["b"], pdf.b)
    assert [(i, r["a"]) for i, r in df.iterrows()] == [(i, r["a"]) for i, r in pdf.iterrows()]
    assert list(df.itertuples()) == list(pdf.itertuples())
    assert list(df.itertuples(index=False, name=None)) == list(pdf.itertuples(index=False, name=None))


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_explode_ignore_index_numbers_rows_across_partitions(backend, npartitions):
    if backend != "pandas":
        pytest.skip("lists of Python objects in a column")
    s = pd.Series([["a", "b"], ["c"], None, [], ["d", "e"]])
    frame = pd.DataFrame({"a": s, "b": range(5)})
    got = gd.from_pandas(s, npartitions=npartitions, backend=backend).explode(ignore_index=True).compute()
    expected = s.explode(ignore_index=True)
    assert got.index.tolist() == expected.index.tolist()
    def values(series):
        return [None if pd.isna(v) else v for v in series.astype(object)]

    assert values(got) == values(expected)
    got = gd.from_pandas(frame, npartitions=npartitions, backend=backend).explode("a", ignore_index=True).compute()
    assert got.index.tolist() == frame.explode("a", ignore_index=True).index.tolist()
