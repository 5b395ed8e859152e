"""``duplicated`` of DataFrame and Series across partitions (pandas'; dask has none), against pandas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends import to_host
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({"a": rng.integers(0, 5, 80), "b": rng.choice(["x", "y", None], 80),
                         "c": rng.integers(0, 2, 80).astype("float64")}, index=rng.permutation(80) * 3)


@pytest.mark.parametrize("kwargs", [{}, {"keep": "last"}, {"keep": False}, {"subset": "a"}, {"subset": ["b"]},
                                    {"subset": ["a", "b"], "keep": "last"}, {"subset": ["b", "c"], "keep": False}])
def test_duplicated_of_a_frame_in_its_own_rows(pdf, backend, kwargs):
    df = gd.from_pandas(pdf, npartitions=5, sort=False, backend=backend)
    got = df.duplicated(**kwargs)
    assert got.npartitions == 5
    assert_eq(got, pdf.duplicated(**kwargs), sort_results=False)
    assert_eq(df[got], pdf[pdf.duplicated(**kwargs)], sort_results=False)


@pytest.mark.parametrize("keep", ["first", "last", False])
def test_duplicated_of_a_series_keeps_its_name_and_divisions(pdf, backend, keep):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)  # sorted index: known divisions
    got = df.b.duplicated(keep=keep)
    assert got.divisions == df.divisions
    assert_eq(got, pdf.sort_index().b.duplicated(keep=keep), sort_results=False)
    assert_eq(df.a.duplicated(keep, split_out=2), pdf.sort_index().a.duplicated(keep), sort_results=False)
    one = gd.from_pandas(pdf, npartitions=1, backend=backend)
    assert_eq(one.duplicated(["a"], keep=keep), pdf.sort_index().duplicated(["a"], keep=keep))


def test_duplicated_errors(pdf):
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    with pytest.raises(KeyError, match="'z'"):
        df.duplicated(subset=["a", "z"])
    with pytest.raises(ValueError, match="keep must be"):
        df.a.duplicated(keep="middle")


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 3), st.one_of(st.none(), st.integers(0, 2))), min_size=1,
                     max_size=30),
       nparts=st.integers(1, 6), keep=st.sampled_from(["first", "last", False]))
def test_duplicated_matches_pandas_for_any_partitioning(rows, nparts, keep):
    pdf = pd.DataFrame(rows, columns=["k", "v"]).astype({"v": "float64"})
    df = gd.from_pandas(pdf, npartitions=nparts, backend="cpu")
    assert_eq(df.duplicated(keep=keep), pdf.duplicated(keep=keep), sort_results=False)
    assert_eq(df.v.duplicated(keep=keep), pdf.v.duplicated(keep=keep), sort_results=False)


def test_duplicated_across_partitions_without_pandas_warnings():
    # pandas 2.2 (no copy-on-write) warned SettingWithCopyWarning as the marks were added to a column selection
    pdf = pd.DataFrame({"a": [1, 2, 1, 3, 2], "b": list("xyxzw")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = gd.from_pandas(pdf, npartitions=2, backend="cpu").duplicated().compute()
    pd.testing.assert_series_equal(got, pdf.duplicated())


@pytest.mark.parametrize("kwargs", [{}, {"normalize": True}, {"dropna": False}, {"subset": "a"}, {"subset": ["b"]},
                                    {"subset": ["a", "c"], "ascending": True}, {"sort": False},
                                    {"split_out": 2}])
def test_value_counts_of_a_frame(pdf, backend, kwargs):
    df = gd.from_pandas(pdf, npartitions=5, sort=False, backend=backend)
    got = df.value_counts(**kwargs)
    expected = pdf.value_counts(**{k: v for k, v in kwargs.items() if k != "split_out"})
    counts = to_host(got.compute())
    assert_eq(counts.sort_index(), expected.sort_index(), sort_results=False)  # (ties of counts: no set order)
    meta = to_host(got._meta)
    assert (meta.name, type(meta.index), meta.dtype) == (counts.name, type(counts.index), counts.dtype)
    if kwargs.get("sort", True):
        assert counts.tolist() == sorted(counts, reverse=not kwargs.get("ascending", False))
    with pytest.raises(KeyError, match="value_counts: no column 'z'"):
        df.value_counts(subset=["a", "z"])


@needs_pandas_3("pandas 2.2 counts only observed categories here")
def test_value_counts_counts_unobserved_categories(backend):
    pdf = pd.DataFrame({"c": pd.Categorical(["x", "y", "x"], categories=["z", "y", "x"]), "n": [1, 2, 1]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = to_host(df.value_counts().compute())
    assert_eq(got.sort_index(), pdf.value_counts().sort_index(), sort_results=False)
    assert len(got) == 6  # (as pandas: every category with every observed n, zero counts too)


def test_only_one_row_per_key_and_partition_travels(monkeypatch):
    """Each partition marks the keys it repeats itself: the shuffle carries its distinct keys only."""
    from gpuscale.backends import frame as bf

    seen = []
    original = bf.mark_duplicates
    monkeypatch.setattr(bf, "mark_duplicates", lambda rows, keep="first": seen.append(len(rows)) or original(rows, keep))
    pdf = pd.DataFrame({"k": np.arange(2000) % 5, "x": np.arange(2000)})
    df = gd.from_pandas(pdf, npartitions=4, backend="cpu")
    for keep in ("first", "last", False):
        seen.clear()
        assert_eq(df.duplicated(subset="k", keep=keep), pdf.duplicated(subset="k", keep=keep), sort_results=False)
        assert 0 < sum(seen) <= 4 * 5 + 2  # (the metadata sample: two rows)
