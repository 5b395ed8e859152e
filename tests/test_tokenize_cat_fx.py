"""Tokens of pandas objects include the whole dtype: categoricals that differ only in category order,
unused categories or the ordered flag (and other dtypes whose str() hides a parameter) get different
names, so one never silently replaces the other in a graph."""

import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from gpuscale.expr import tokenize


def _cat(categories=None, ordered=False, values=("a", "b", "a")):
    return pd.Categorical(list(values), categories=categories, ordered=ordered)


@pytest.mark.parametrize("left, right", [
    (_cat(["a", "b"]), _cat(["b", "a"])),
    (_cat(["a", "b", "c"]), _cat()),
    (_cat(["a", "b"], ordered=True), _cat(["a", "b"])),
    (_cat(["1", "2"], values=("1", "2", "1")), _cat([1, 2], values=(1, 2, 1))),
])
def test_categorical_dtype_in_token(left, right):
    for make in (pd.Series, lambda c: pd.DataFrame({"c": c}), pd.Index, pd.CategoricalIndex,
                 lambda c: pd.Series([1, 2, 3], index=pd.CategoricalIndex(c)),
                 lambda c: pd.DataFrame({"x": [1, 2, 3]}, index=pd.MultiIndex.from_arrays([c, [1, 2, 3]]))):
        assert tokenize(make(left)) != tokenize(make(right))
    assert tokenize(pd.Series(left)) == tokenize(pd.Series(left.copy()))


@pytest.mark.parametrize("left, right", [
    (pd.array(["x", None], dtype=pd.StringDtype("python")), pd.array(["x", None], dtype=pd.StringDtype("pyarrow"))),
    (pd.arrays.SparseArray([0.0, 1.0], fill_value=0.0), pd.arrays.SparseArray([0.0, 1.0], fill_value=float("nan"))),
    (pd.array(["a", "b"], dtype=pd.ArrowDtype(pa.dictionary(pa.int8(), pa.string(), ordered=True))),
     pd.array(["a", "b"], dtype=pd.ArrowDtype(pa.dictionary(pa.int8(), pa.string())))),
])
def test_other_parametrised_dtypes_in_token(left, right):
    assert tokenize(pd.Series(left)) != tokenize(pd.Series(right))


def test_names_and_labels_keep_their_type():
    assert tokenize(pd.DataFrame({1: [1]})) != tokenize(pd.DataFrame({"1": [1]}))
    assert tokenize(pd.Series([1], name=1)) != tokenize(pd.Series([1], name="1"))


def test_reordered_categories_compute_as_pandas():
    s1 = pd.Series(_cat(["a", "b"]))
    s2 = pd.Series(_cat(["b", "a"]))
    g1, g2 = gd.from_pandas(s1, npartitions=1), gd.from_pandas(s2, npartitions=1)
    assert g1._name != g2._name
    assert (g1.cat.codes + g2.cat.codes).compute().tolist() == (s1.cat.codes + s2.cat.codes).tolist()
    s3 = pd.Series(_cat(["a", "b", "c"], values=("a", "b")), name="k")
    s4 = pd.Series(_cat(values=("a", "b")), name="k")
    g3, g4 = gd.from_pandas(s3, npartitions=1), gd.from_pandas(s4, npartitions=1)
    expected = pd.concat([s4.value_counts(), s3.value_counts()])
    assert gd.concat([g4.value_counts(), g3.value_counts()]).compute().tolist() == expected.tolist()


def test_mixed_column_labels_tokenize():
    make = lambda: pd.DataFrame({0: [1], ("a", "b"): [2.0], "c": ["x"]})  # noqa: E731
    assert tokenize(make()) == tokenize(make())
    assert tokenize(make()) != tokenize(make().rename(columns={("a", "b"): ("a", "c")}))
