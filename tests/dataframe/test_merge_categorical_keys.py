"""merge on categorical keys whose categories are the same on both sides in another order, and on categorical
indexes whose categories are not sorted: pandas' results (dtypes, category order and rows)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

HOWS = ["inner", "left", "right", "outer"]


def _described(frame: pd.DataFrame) -> list:
    """Each column's dtype and the index's, categorical ones with their categories in order."""
    def one(dtype):
        return (str(dtype), list(dtype.categories)) if isinstance(dtype, pd.CategoricalDtype) else (str(dtype), None)

    return [(name, one(dtype)) for name, dtype in frame.dtypes.items()] + [("<index>", one(frame.index.dtype))]


def _rows(frame: pd.DataFrame, by_index: bool = True) -> pd.DataFrame:
    """Rows in a canonical order, the index a column (its name dropped: pandas 3 drops it for a right merge of
    categorical indexes whose categories differ in order only, 2.2 and equal categories keep it); not
    ``by_index``: without the index (the partitions' row numbers)."""
    frame = frame.rename_axis(index=None).reset_index(drop=not by_index)
    return frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)


def _permuted_sides() -> tuple:
    left = pd.DataFrame({"X": pd.Categorical(["foo", "bar", "foo", "baz", "bar", "foo"],
                                             categories=["bar", "qux", "foo", "baz"]), "Y": range(6)})
    right = pd.DataFrame({"X": pd.Categorical(["foo", "bar", "qux", "foo"], categories=["foo", "baz", "bar", "qux"]),
                          "Z": range(4)})
    return left, right


def _cases(left: pd.DataFrame, right: pd.DataFrame) -> dict:
    return {"on": (left, right, {"on": "X"}),
            "left_on/right_on": (left, right.rename(columns={"X": "W"}), {"left_on": "X", "right_on": "W"}),
            "indexes": (left.set_index("X"), right.set_index("X"), {"left_index": True, "right_index": True}),
            "left_on/right_index": (left, right.set_index("X"), {"left_on": "X", "right_index": True}),
            "left_index/right_on": (left.set_index("X"), right, {"left_index": True, "right_on": "X"})}


@pytest.mark.parametrize("broadcast", [None, False])
@pytest.mark.parametrize("npartitions", [1, 2])
@pytest.mark.parametrize("case", list(_cases(*_permuted_sides())))
@pytest.mark.parametrize("how", HOWS)
def test_merge_of_the_same_categories_in_another_order_keeps_them_categorical(how, case, npartitions, broadcast):
    """Unordered categorical keys with the same categories in another order: pandas keeps the keys categorical
    (in pandas' category order: mostly the left's), quietly; gpuscale turned them into strings, warning that
    pandas would."""
    left, right, kwargs = _cases(*_permuted_sides())[case]
    expected = pd.merge(left, right, how=how, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        got = gd.merge(gd.from_pandas(left, npartitions=npartitions), gd.from_pandas(right, npartitions=2),
                       how=how, broadcast=broadcast, **kwargs)
    out = to_host(got.compute())
    assert _described(to_host(got._meta)) == _described(expected)
    assert _described(out) == _described(expected)
    by_index = case == "indexes"
    pd.testing.assert_frame_equal(_rows(out, by_index), _rows(expected, by_index), check_index_type=False)


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("npartitions", [(2, 3), (3, 2), (4, 3)])
def test_merge_on_categorical_indexes_of_unsorted_categories_keeps_every_row(how, npartitions):
    """Indexes of categories not in sorted order have divisions in the categories' order: the sides were split
    at divisions merged as values, and most rows were lost (an inner merge gave none)."""
    categories = ["zz", "bar", "qux", "foo", "baz", "aa"]
    left = pd.DataFrame({"X": pd.Categorical(["foo", "bar", "foo", "baz", "bar", "foo", "zz", "aa"], categories),
                         "Y": range(8)}).set_index("X")
    right = pd.DataFrame({"X": pd.Categorical(["foo", "bar", "qux", "foo", "aa", "zz", "baz"], categories),
                          "Z": range(7)}).set_index("X")
    dl, dr = (gd.from_pandas(side, npartitions=n) for side, n in zip((left, right), npartitions))
    assert dl.known_divisions and dr.known_divisions
    expected = pd.merge(left, right, how=how, left_index=True, right_index=True)
    out = to_host(gd.merge(dl, dr, how=how, left_index=True, right_index=True).compute())
    assert _described(out) == _described(expected)
    pd.testing.assert_frame_equal(_rows(out), _rows(expected), check_index_type=False)


@pytest.mark.parametrize("how", ["inner", "left", "outer"])
def test_merge_of_unknown_number_categories_with_known_ones(backend, how):
    # unknown categories (astype("category") of each partition) have no values' dtype in the metadata: the key
    # check took the placeholder's text for the categories' dtype and refused int categories ('incompatible
    # key dtypes'); pandas and dask merge them
    a = pd.DataFrame({"c": [2.0, 2.0, None, 5.0], "i": [0, 1, 2, 3]})
    b = pd.DataFrame({"c": pd.Categorical([2.0, 5.0]), "y": [1, 2]})
    left = gd.from_pandas(a, npartitions=2, backend=backend).astype({"c": "category"})
    got = to_host(left.merge(gd.from_pandas(b, npartitions=1, backend=backend), on="c", how=how).compute())
    expected = a.astype({"c": "category"}).merge(b, on="c", how=how)
    key = ["i", "y"]
    pd.testing.assert_frame_equal(got[key].sort_values(key, ignore_index=True),
                                  expected[key].sort_values(key, ignore_index=True), check_dtype=False)
    assert sorted(got.c.astype(object).dropna().tolist()) == sorted(expected.c.astype(object).dropna().tolist())


def _unknown_and_known_sides() -> tuple:
    # the first partition's own categories equal the known side's, the second's differ
    left = pd.DataFrame({"k": ["w", "x", "y", "x", "z", "w"], "v": range(6)})
    right = pd.DataFrame({"k": pd.Categorical(["x", "y", "w", "q"], categories=["w", "x", "y", "q"]),
                          "u": range(4)})
    return left, right


@pytest.mark.parametrize("broadcast", [None, False])
@pytest.mark.parametrize("unknown_side", ["left", "right"])
@pytest.mark.parametrize("how", HOWS)
def test_merge_of_unknown_categories_with_known_ones_holds_values(backend, how, unknown_side, broadcast):
    # as dask: the metadata's placeholder categories differ from the known ones, so the key holds its values;
    # gpuscale gave the partitions the union of the categories (a categorical key), and on cuDF the metadata's
    # union of the placeholder text with the known categories failed
    left, right = _unknown_and_known_sides()
    unknown = gd.from_pandas(left, npartitions=2, backend=backend).astype({"k": "category"})
    known = gd.from_pandas(right, npartitions=1, backend=backend)
    sides = (unknown, known) if unknown_side == "left" else (known, unknown)
    got = gd.merge(*sides, on="k", how=how, broadcast=broadcast)
    plain = (left, right.astype({"k": left.k.dtype}))
    expected = pd.merge(*(plain if unknown_side == "left" else plain[::-1]), on="k", how=how)
    parts = [to_host(part.compute()) for part in got.to_delayed()]
    assert [str(part.k.dtype) for part in parts] == [str(expected.k.dtype)] * len(parts)
    assert to_host(got._meta).k.dtype == expected.k.dtype
    columns = list(expected.columns)
    pd.testing.assert_frame_equal(_rows(to_host(got.compute())[columns], False), _rows(expected, False))
