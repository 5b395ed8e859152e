"""A misspelt keyword of a method whose metadata is inferred is pandas' TypeError naming it (as dask), not a
metadata-inference ValueError; other inference failures still say to pass ``meta=``."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in
from tests.pandas_versions import needs_pandas_3

CALLS = {
    "fillna": lambda f: f.fillna(vale=0),
    "dropna": lambda f: f.dropna(hw="any"),
    "query": lambda f: f.query("a > 0", engin="python"),
    "eval": lambda f: f.eval("a + 1", engin="python"),
    "series-fillna": lambda f: f.a.fillna(vale=0),
}


@pytest.fixture
def pdf():
    return pd.DataFrame({"a": [1.0, None, 3.0], "b": [1, 2, 3]})


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_unexpected_keyword_is_pandas_type_error(pdf, backend, call, request):
    if request.node.callspec.id.endswith("-eval"):
        skip_on_stand_in("cuDF's eval takes no keywords at all: a NotImplementedError naming them")
    with pytest.raises(TypeError) as expected:
        call(pdf)
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.raises(TypeError) as got:
        call(df)
    keyword = str(expected.value).rpartition(" ")[2]  # "... unexpected keyword argument 'vale'"
    assert keyword in str(got.value) and "cannot infer" not in str(got.value)


def test_unexpected_keyword_of_a_mapped_function(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        df.map_partitions(lambda p: p, bogus=1)


def test_other_inference_failures_still_ask_for_meta(pdf, backend):
    def failing(p, scale=1):
        raise TypeError("unsupported operand")

    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.raises(ValueError, match="cannot infer the result of .*unsupported operand.*pass meta="):
        df.map_partitions(failing, scale=2)


MISTAKES = {
    "text-plus-number": lambda f: f.s + 1,
    "astype-missing-column": lambda f: f.astype({"zz": float}),
    "dropna-missing-subset": lambda f: f.dropna(subset=["zz"]),
    "explode-missing-column": lambda f: f.explode("zz"),
    "round-text-decimals": lambda f: f.round("x"),
    "astype-unknown-dtype": lambda f: f.astype({"a": "notadtype"}),
    "query-unknown-name": lambda f: f.query("zz > 1"),
}


@pytest.mark.parametrize("mistake", [
    pytest.param(call, id=name, marks=needs_pandas_3("pandas 2.2's text is object dtype: adding a number fails only on "
                                                    "values, not on the empty metadata")
                 if name == "text-plus-number" else ()) for name, call in MISTAKES.items()])
def test_a_mistake_in_a_built_in_method_raises_pandas_error_type(backend, mistake):
    # the failure of gpuscale's own call of a pandas method on the metadata is the user's mistake: pandas' error,
    # of its type (KeyError, TypeError, NameError), when the operation is built; not "cannot infer ... pass meta="
    # (no meta= would fix a missing column)
    pdf = pd.DataFrame({"a": [1.0, 2.0], "s": ["x", "y"]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    try:
        mistake(pdf)
    except Exception as error:  # noqa: BLE001 - whatever pandas raises
        expected = type(error)
    with pytest.raises(Exception) as got:
        mistake(df)
    assert isinstance(got.value, expected) or isinstance(got.value, tuple(expected.__mro__[1:2]))
    assert "pass meta=" not in str(got.value)
