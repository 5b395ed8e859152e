"""Object-dtype text (pandas' ``dtype=object``, not pandas 3's ``str``) keeps its dtype and its None through
where/mask, concat and groupby, as pandas."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


def _obj(values):
    return pd.Index(values, dtype=object)


@pytest.mark.parametrize("method", ["where", "mask"])
def test_where_mask_other_none_keeps_none_in_object_text(method):
    skip_on_stand_in("cuDF has no object column holding None apart from NaN")
    s = pd.Series(["1", "2", None, "3"], dtype=object)
    gs = gd.from_pandas(s, npartitions=2)
    got = getattr(gs, method)(gs > "1", None)
    assert to_host(got.compute()).tolist() == getattr(s, method)(s > "1", None).tolist()
    frame = gd.from_pandas(pd.DataFrame({"a": s}), npartitions=2)
    expected = getattr(pd.DataFrame({"a": s}), method)(pd.DataFrame({"a": s > "1"}), None)
    assert to_host(getattr(frame, method)(frame > "1", None).compute()).a.tolist() == expected.a.tolist()


def test_where_default_other_is_still_nan(backend):
    s = pd.Series([1, 2, 3])
    gs = gd.from_pandas(s, npartitions=2)
    got = to_host(gs.where(gs > 1).compute())
    assert got.dtype == "float64" and got.isna().tolist() == [True, False, False]
    assert gs.where(gs > 1, None).dtype == s.where(s > 1, None).dtype


def test_concat_keeps_object_categories_of_categoricals(backend):
    # (pandas 3's Index.append infers object text as str: the union of the categories must not)
    k = pd.DataFrame({"k": pd.Categorical(["b", "a"], categories=_obj(["a", "b"]))})
    g = gd.from_pandas(k, npartitions=1)
    got = gd.concat([g, g])
    expected = pd.concat([k, k]).k.cat.categories.dtype
    assert got._meta.k.cat.categories.dtype == expected
    assert to_host(got.compute()).k.cat.categories.dtype == expected


@pytest.mark.parametrize("by", [{"level": 0}, {"level": "k"}, {"by": "k"}])
def test_groupby_object_index_level_keeps_object(backend, by):
    # (pandas 3 groups an object text column as str but keeps an index level's object dtype)
    skip_on_stand_in("object text apart from str is pandas' (cuDF's text is object)")
    p = pd.DataFrame({"v": [1, 2, 3]}, index=_obj(["a", "b", "a"]).rename("k"))
    g = gd.from_pandas(p, npartitions=2)
    for got, expected in [(g.groupby(**by).v.sum(), p.groupby(**by).v.sum()),
                          (g.groupby(**by).agg(["sum", "max"]), p.groupby(**by).agg(["sum", "max"]))]:
        assert got._meta.index.dtype == expected.index.dtype
        result = to_host(got.compute())
        assert result.index.dtype == expected.index.dtype
        assert result.sort_index().to_dict() == expected.to_dict()


def test_groupby_object_index_beside_a_column_keeps_both_dtypes(backend):
    skip_on_stand_in("object text apart from str is pandas' (cuDF's text is object)")
    p = pd.DataFrame({"v": [1, 2, 3], "c": ["x", "y", "x"]}, index=_obj(["a", "b", "a"]).rename("k"))
    got = gd.from_pandas(p, npartitions=2).groupby(["k", "c"]).v.sum()
    expected = p.groupby(["k", "c"]).v.sum()
    assert list(to_host(got.compute()).index.dtypes) == list(expected.index.dtypes)
