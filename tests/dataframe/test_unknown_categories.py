"""Categoricals across partitions as pandas: operations on unknown categories (``astype("category")``: each
partition its own; the metadata's placeholder categories never reach the data), categorize, value counts'
order."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


def _unknown(values: list, npartitions: int, backend: str):
    return gd.from_pandas(pd.Series(values), npartitions=npartitions, backend=backend).astype("category")


def _values(obj) -> list:
    return [None if pd.isna(v) else v for v in to_host(obj.compute()).astype(object)]


def _as_list(s: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in s.astype(object)]


def test_shift_and_mode_keep_the_values(backend):
    values = ["b", "c", None, "a", "c"]
    expected = pd.Series(values).astype("category")
    for n in (1, 2, 3):
        s = _unknown(values, n, backend)
        assert _values(s.shift(1)) == _as_list(expected.shift(1))
        assert _values(s.shift(-2)) == _as_list(expected.shift(-2))
        assert _values(s.mode()) == _as_list(expected.mode())
        assert str(to_host(s.mode().compute()).dtype) == "category"
        assert _values(s.combine_first(s.shift(1))) == _as_list(expected.combine_first(expected.shift(1)))
        frame, pframe = s.to_frame("k"), expected.to_frame("k")
        got = to_host(frame.combine_first(frame.shift(1)).compute())
        assert _as_list(got.k) == _as_list(pframe.combine_first(pframe.shift(1)).k)


def test_min_max_of_ordered_unknown_categories(backend):
    values = ["b", "c", "a", "c"]
    for n in (2, 3):
        s = _unknown(values, n, backend).cat.as_ordered()
        assert s.min().compute() == "a" and s.max().compute() == "c"


def test_ffill_bfill_carry_values_of_other_partitions(backend):
    values = ["b", None, None, "a", None, "c", None]
    expected = pd.Series(values)
    for n in (2, 3, 4):
        s = _unknown(values, n, backend)
        assert _values(s.ffill()) == _as_list(expected.ffill())
        assert _values(s.bfill()) == _as_list(expected.bfill())
        assert _values(s.ffill(limit=1)) == _as_list(expected.ffill(limit=1))


def test_sort_values_by_an_unknown_categorical_sorts_by_value(backend):
    pdf = pd.DataFrame({"k": list("bcacgfeabd") * 3, "x": range(30)})
    pdf.loc[4, "k"] = None
    for n in (2, 3):
        df = gd.from_pandas(pdf, npartitions=n, backend=backend)
        df = df.assign(k=df.k.astype("category"))
        expected = pdf.assign(k=pdf.k.astype("category"))
        for ascending in (True, False):
            got = to_host(df.sort_values(["k", "x"], ascending=ascending).compute())
            want = expected.sort_values(["k", "x"], ascending=ascending)
            assert _as_list(got.k) == _as_list(want.k) and got.x.tolist() == want.x.tolist()


def test_groupby_with_an_unknown_categorical_among_several_keys(backend):
    # the partials' categorical levels have different categories: their union, so the level stays categorical
    pdf = pd.DataFrame({"k": list("bcacbd"), "x": [0, 1, 0, 1, 1, 0], "y": [1.0, 2, 3, 4, 5, 6]})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    df = df.assign(k=df.k.astype("category"))
    expected_frame = pdf.astype({"k": "category"})
    for observed in (True, False):
        for how in ("sum", "size", "first"):
            got = getattr(df.groupby(["k", "x"], observed=observed).y, how)()
            want = getattr(expected_frame.groupby(["k", "x"], observed=observed).y, how)()
            host = to_host(got.compute())
            assert str(host.index.levels[0].dtype) == str(got._meta.index.levels[0].dtype) == "category"
            assert sorted(zip(host.index, _as_list(host))) == sorted(zip(want.index, _as_list(want)))


def test_categorize_a_nullable_string_column(backend):
    # pd.NA is no category (it raised "boolean value of NA is ambiguous"); the categories keep the values' dtype
    pdf = pd.DataFrame({"s": pd.array(["p", None, "q", "p"], dtype="string"), "x": range(4)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = df.categorize(columns=["s"])
    categories = to_host(got.compute()).s.cat.categories
    assert categories.tolist() == ["p", "q"]
    if backend == "pandas":  # (cuDF holds text in its own dtype)
        assert str(categories.dtype) == str(got._meta.s.cat.categories.dtype) == "string"
    assert _as_list(to_host(got.compute()).s) == ["p", None, "q", "p"]


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_value_counts_order_as_pandas(backend, npartitions):
    # sort=False: order of first appearance (a categorical's: its categories'); sort=True: ties in that order
    if backend != "pandas":
        pytest.skip("cuDF's groupby(sort=False) gives no order of appearance")
    categorical = pd.Series(pd.Categorical(list("babcab"), categories=["c", "a", "b", "z"]))
    text = pd.Series(list("abbcbdaec"))
    for s in (categorical, text):
        ds = gd.from_pandas(s, npartitions=npartitions, backend=backend)
        for sort in (True, False):
            for normalize in (True, False):
                got = ds.value_counts(sort=sort, normalize=normalize).compute()
                want = s.value_counts(sort=sort, normalize=normalize)
                assert list(got.index) == list(want.index) and got.tolist() == want.tolist()


def test_unknown_categories_of_text_keep_the_texts_dtype(backend):
    # astype("category") of a string column, then as_known/categorize: string categories (they became str)
    if backend != "pandas":
        pytest.skip("cuDF holds text in its own dtype")
    pdf = pd.DataFrame({"g": pd.array(["a", None, "b", "a"], dtype="string")})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    df = df.assign(g=df.g.astype("category"))
    assert str(df._meta.g.cat.categories.dtype) == "string"
    known = df.categorize(columns=["g"])
    assert str(known.compute().g.cat.categories.dtype) == str(known._meta.g.cat.categories.dtype) == "string"
    assert str(df.g.cat.as_known().compute().cat.categories.dtype) == "string"
    expected = pd.get_dummies(pdf.astype("category"), dummy_na=True)
    assert list(gd.get_dummies(known, dummy_na=True).compute().columns) == list(expected.columns)
