"""``Series.apply`` of NumPy function names and of lists of element-wise functions, as pandas: ``apply("sqrt")``
is NumPy's sqrt of each value, ``apply([np.sqrt, "cumsum", f])`` a DataFrame of the results side by side (they
were refused: 'sqrt' is not one of the methods apply takes by name / not a reduction agg takes by name)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host

PS = pd.Series([1.0, 4.0, 9.0, 16.0, 25.0], name="s")


def _series(backend):
    return gd.from_pandas(PS, npartitions=2, backend=backend)


@pytest.mark.parametrize("func", ["sqrt", "exp", "log1p"])
def test_numpy_function_names(backend, func):
    got = _series(backend).apply(func)
    assert_eq(to_host(got.compute()), PS.apply(func))


@pytest.mark.parametrize("funcs", [[np.sqrt, np.exp], ["sqrt", "cumsum"], ["cumsum"], ["sqrt", "abs"]],
                         ids=["ufuncs", "names", "one", "name-and-method"])
def test_lists_of_element_wise_functions_side_by_side(backend, funcs):
    got = _series(backend).apply(funcs)
    expected = PS.apply(funcs)
    assert list(got.columns) == list(expected.columns)
    assert_eq(to_host(got.compute()), expected)


def test_a_list_with_a_python_function(backend):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (no meta: the result's type is guessed, with dask's warning)
        got = to_host(_series(backend).apply([lambda v: v + 1, np.sqrt]).compute())
    assert_eq(got, PS.apply([lambda v: v + 1, np.sqrt]))


def test_reductions_still_aggregate_and_mixtures_are_pandas_error(backend):
    s = _series(backend)
    assert_eq(to_host(s.apply(["sum", "mean"]).compute()), PS.apply(["sum", "mean"]))
    with pytest.raises(ValueError, match="cannot combine transform and aggregation"):
        PS.apply(["sum", "sqrt"])
    with pytest.raises(ValueError, match="cannot combine transform and aggregation"):
        s.apply(["sum", "sqrt"])
    with pytest.raises(NotImplementedError, match="dict of element-wise functions"):
        s.apply({"r": np.sqrt})
