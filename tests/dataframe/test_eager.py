"""pandas' conversions to Python and NumPy objects, computed at once (dask has none of them)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf():
    return pd.DataFrame({"x": [3, 1, 3, 2], "y": [0.5, 1.5, 2.5, 3.5]}, index=list("abcd"))


def test_to_numpy_and_to_dict_as_pandas(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    np.testing.assert_array_equal(df.to_numpy(), pdf.to_numpy())
    np.testing.assert_array_equal(df.x.to_numpy(dtype="float32"), pdf.x.to_numpy(dtype="float32"))
    np.testing.assert_array_equal(df.index.to_numpy(), pdf.index.to_numpy())
    assert df.to_dict() == pdf.to_dict() and df.to_dict(orient="records") == pdf.to_dict(orient="records")
    assert df.y.to_dict() == pdf.y.to_dict()


def test_lists_and_item(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    if backend == "cudf":  # cuDF copies nothing to the host implicitly: its tolist raises, so gpuscale's does
        with pytest.raises(TypeError):
            df.x.tolist()
    else:
        assert df.x.unique().tolist() == [3, 1, 2] and df.y.to_list() == pdf.y.to_list()
        assert df.index.tolist() == ["a", "b", "c", "d"] and df.index.to_list() == list("abcd")
    assert df[df.x == 1].y.item() == 1.5
    with pytest.raises(ValueError):
        df.x.item()
    assert not hasattr(df, "tolist") and not hasattr(df.index, "to_dict")  # as pandas


def test_array_results_and_xarray(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    codes, uniques = df.x.factorize()
    expected_codes, expected_uniques = pdf.x.factorize()
    np.testing.assert_array_equal(to_host(codes), expected_codes)
    assert to_host(uniques).tolist() == expected_uniques.tolist()
    ordered = gd.from_pandas(pdf.sort_values("y"), npartitions=2, backend=backend).y
    assert int(ordered.searchsorted(2.0)) == int(pdf.y.sort_values().searchsorted(2.0))
    assert df.to_xarray().identical(pdf.to_xarray()) and df.x.to_xarray().identical(pdf.x.to_xarray())


def test_plots_of_the_computed_data(pdf, backend, monkeypatch):
    """pandas draws the computed data; nothing is computed until a plot is drawn."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    computed = []
    original = type(df).compute
    monkeypatch.setattr(type(df), "compute", lambda self, **kw: computed.append(1) or original(self, **kw))
    accessor = df.plot
    assert computed == [] and hasattr(df, "plot") and computed == []
    line = accessor.line(y="y")
    assert computed and list(line.get_lines()[0].get_ydata()) == pdf.y.tolist()
    assert len(df.hist()) >= 1 and df.boxplot() is not None
    assert df.x.plot.bar() is not None and not hasattr(df.x, "boxplot")
    plt.close("all")
