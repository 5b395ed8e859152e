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
