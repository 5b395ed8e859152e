"""gpuscale.dataframe.utils: dask.dataframe.utils' make_meta and assert_eq, for ported code."""

import pandas as pd

import gpuscale.dataframe as gd


def test_make_meta_specs_as_dask():
    from gpuscale.dataframe.utils import assert_eq, make_meta

    frame = make_meta({"a": "i8", "b": "f8"})
    pd.testing.assert_frame_equal(frame, pd.DataFrame({"a": pd.Series([], dtype="i8"),
                                                       "b": pd.Series([], dtype="f8")}), check_index_type=False)
    series = make_meta(("x", "f8"), index=pd.Index([], dtype="int64", name="k"))
    assert series.name == "x" and str(series.dtype) == "float64" and len(series) == 0
    assert series.index.name == "k" and series.index.dtype == "int64"
    assert make_meta("i8") == 0 and str(make_meta("i8").dtype) == "int64"
    pdf = pd.DataFrame({"a": [1, 2]})
    pd.testing.assert_frame_equal(make_meta(pdf), pdf.iloc[:0])
    ddf = gd.from_pandas(pdf, npartitions=1)
    assert list(make_meta(ddf).columns) == ["a"] and len(make_meta(ddf)) == 0
    assert_eq(ddf, pdf)
