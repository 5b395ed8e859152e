"""dask.dataframe API gaps users hit when porting: tuple column labels, groupby keys beyond column labels
(functions and mappings of the index, ``level=``, ``pd.Grouper``), dask's shuffle keywords; each against
pandas on the pandas, strict-cuDF and cuDF backends."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import check_by_index as check
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def pdf_ix(pdf):
    out = pdf.copy()
    out.index = pd.Index(range(len(out)), name="ix")
    return out


@pytest.fixture
def df(pdf_ix, backend):
    return gd.from_pandas(pdf_ix, npartitions=4, backend=backend)


# -- a tuple is one column label when the columns hold it -------------------------------------------
def test_tuple_label_after_multiindex_agg(df, pdf_ix):
    spec = {"x": ["mean", "max"], "y": ["min"]}
    got, expected = df.groupby("k").agg(spec), pdf_ix.groupby("k").agg(spec)
    check(got[("x", "mean")], expected[("x", "mean")], rtol=1e-9)
    check(got[[("y", "min"), ("x", "max")]], expected[[("y", "min"), ("x", "max")]])


def test_first_level_label_of_multiindex_columns(df, pdf_ix):
    spec = {"x": ["mean", "max"], "y": ["min"]}
    got, expected = df.groupby("k").agg(spec), pdf_ix.groupby("k").agg(spec)
    check(got["x"], expected["x"], rtol=1e-9)
    check(got.y, expected.y)
    with pytest.raises(KeyError, match="nope"):
        got["nope"]


def test_loc_columns_of_multiindex_columns(df, pdf_ix):
    spec = {"x": ["mean", "max"], "y": ["min"]}
    got, expected = df.groupby("k").agg(spec), pdf_ix.groupby("k").agg(spec)
    check(got.loc[:, ("x", "max")], expected.loc[:, ("x", "max")])
    check(got.loc[:, "x"], expected.loc[:, "x"], rtol=1e-9)
    check(got.loc[:, [("y", "min"), ("x", "max")]], expected.loc[:, [("y", "min"), ("x", "max")]])


def test_tuple_label_on_flat_columns_keeps_divisions(df, pdf_ix):
    renamed, expected = df.rename(columns={"y": ("a", "b")}), pdf_ix.rename(columns={"y": ("a", "b")})
    got = renamed[("a", "b")]
    assert got.divisions == df.divisions
    check(got, expected[("a", "b")])


def test_missing_tuple_label_names_it(df):
    with pytest.raises(KeyError, match=r"\('x', 'nope'\)"):
        df[("x", "nope")]


# -- dask's shuffle keywords and split_every with a hash-shuffled result ----------------------------
def test_agg_takes_dask_shuffle_keywords_and_split_every_1(df, pdf_ix):
    spec = {"x": "mean", "y": ["min", "max"]}
    expected = pdf_ix.groupby(["k", "j"]).agg(spec)
    check(df.groupby(["k", "j"]).agg(spec, split_out=2, shuffle_backend="tasks"), expected, rtol=1e-9)
    check(df.groupby(["k", "j"]).agg(spec, split_out=2, split_every=1, shuffle="tasks"), expected, rtol=1e-9)
    with pytest.raises(ValueError, match="split_every=1"):
        df.groupby("k").agg(spec, split_every=1)


# -- groupby keys beyond column labels -----------------------------------------------------------------
@pytest.mark.parametrize("how", ["sum", "mean", "count", "max", "nunique"])
def test_groupby_function_of_the_index(df, pdf_ix, how):
    check(getattr(df.groupby(lambda i: i % 7).x, how)(), getattr(pdf_ix.groupby(lambda i: i % 7).x, how)(),
          rtol=1e-9)


def test_groupby_mapping_of_the_index_and_mixed_list(df, pdf_ix):
    mapping = {i: "odd" if i % 2 else "even" for i in pdf_ix.index}
    check(df.groupby(mapping).y.sum(), pdf_ix.groupby(mapping).y.sum())
    cols = ["k", "x", "y"]
    check(df[cols].groupby(["k", lambda i: i % 3]).agg({"x": "mean", "y": "max"}),
          pdf_ix[cols].groupby(["k", lambda i: i % 3]).agg({"x": "mean", "y": "max"}), rtol=1e-9)
    check(df.y.groupby(lambda i: i % 5).min(), pdf_ix.y.groupby(lambda i: i % 5).min())


@pytest.mark.parametrize("level", [0, "ix", [0], -1])
def test_groupby_level(df, pdf_ix, level):
    cols = ["k", "x", "y"]
    check(df[cols].groupby(level=level).sum(), pdf_ix[cols].groupby(level=level).sum(), rtol=1e-9)
    check(df.y.groupby(level=level).max(), pdf_ix.y.groupby(level=level).max())


def test_groupby_bad_level_names_it(df):
    with pytest.raises(ValueError, match="level=2"):
        df.groupby(level=2)
    with pytest.raises(TypeError, match="by= or level="):
        df.groupby("k", level=0)


def test_groupby_pd_grouper(df, pdf_ix):
    for grouper in [pd.Grouper(key="j"), pd.Grouper(key="k", sort=True), pd.Grouper(level=0)]:
        check(df.groupby(grouper).y.sum(), pdf_ix.groupby(grouper).y.sum())
    check(df.groupby(["j", pd.Grouper(key="k")]).x.mean(), pdf_ix.groupby(["j", pd.Grouper(key="k")]).x.mean(),
          rtol=1e-9)
    check(df.groupby(pd.Grouper(key="t", freq="D")).y.sum(), pdf_ix.groupby(pd.Grouper(key="t", freq="D")).y.sum())
    check(df.groupby(["j", pd.Grouper(key="t", freq="D")]).y.sum(),
          pdf_ix.groupby(["j", pd.Grouper(key="t", freq="D")]).y.sum())


def test_groupby_by_lists_the_keys_and_refuses_compute(df):
    assert df.groupby([df.k, "j"]).by == ["k", "j"]
    assert df.groupby(df.y % 3).by == ["y"]
    with pytest.raises(NotImplementedError, match="does not allow compute"):
        df.groupby("k").compute()


# -- Index.to_frame keeps the divisions -----------------------------------------------------------
def test_index_to_frame_keeps_divisions(df, pdf_ix):
    got = df.index.to_frame()
    assert got.known_divisions and got.divisions == df.divisions
    check(got, pdf_ix.index.to_frame())
    check(df.index.to_frame(name="foo"), pdf_ix.index.to_frame(name="foo"))
    flat = df.index.to_frame(index=False)
    assert not flat.known_divisions
    tm.assert_frame_equal(to_host(flat.compute()).reset_index(drop=True), pdf_ix.index.to_frame(index=False))


# -- dask's dataframe.convert-string, behind dataframe.convert_string --------------------------------
def _string_frame():
    out = pd.DataFrame({"s": ["a", "b", None, "a"], "o": pd.Series(["x", "y", "z", "x"], dtype=object),
                        "m": pd.Series([1, "a", None, 2.5], dtype=object), "i": [1, 2, 3, 4]})
    out.index = pd.Index(["p", "q", "r", "t"], dtype=object)
    return out


def test_convert_string_off_keeps_pandas_dtypes(backend):
    pdf = _string_frame()
    if backend == "cudf":  # a cuDF column holds one type: cuDF refuses "m" (ints, a string, a float) with a
        with pytest.raises(TypeError, match="mixed types"):  # MixedTypeError, as dask-cudf's from_pandas does
            gd.from_pandas(pdf, npartitions=2).compute()
        pdf = pdf.drop(columns="m")
    got = to_host(gd.from_pandas(pdf, npartitions=2).compute())
    assert got.index.tolist() == pdf.index.tolist()
    # the columns keep pandas' dtypes (cuDF gives its own string dtypes back)
    tm.assert_frame_equal(got.set_axis(pdf.index), pdf, check_dtype=backend == "pandas")


def test_convert_string_matches_dask(backend):
    import gpuscale

    dd = pytest.importorskip("dask.dataframe")
    pdf = _string_frame()[["s", "o", "i"]]
    with gpuscale.config.set({"dataframe.convert_string": True}):
        df = gd.from_pandas(pdf, npartitions=2)
        got = to_host(df.compute())
        grouped = to_host(df.groupby("o").i.sum().compute())
    expected = dd.from_pandas(pdf, npartitions=2).compute()  # dask's default: string[pyarrow]
    if backend == "pandas":
        tm.assert_frame_equal(got, expected)
        assert df._meta.index.dtype == expected.index.dtype
    else:  # cuDF's strings are Arrow strings already: values as dask's, cuDF's own dtypes
        tm.assert_frame_equal(got, expected, check_dtype=False, check_index_type=False)
    tm.assert_series_equal(grouped.sort_index(), expected.groupby("o").i.sum().sort_index(),
                           check_index_type=backend == "pandas")


def test_convert_string_keeps_mixed_objects():
    import gpuscale

    pdf = _string_frame()
    with gpuscale.config.set({"dataframe.convert_string": True}):
        got = gd.from_pandas(pdf, npartitions=2, backend="pandas")
    assert got.dtypes["m"] == object and str(got.dtypes["s"]) == "string"
    assert got.compute().m.tolist() == pdf.m.tolist()


# -- concat keeps a categorical index categorical ---------------------------------------------------
def test_concat_unions_categorical_index(backend):
    parts = [pd.DataFrame({"x": range(4)}, index=pd.CategoricalIndex(list(labels), name="c"))
             for labels in ("abca", "bbcd")]
    got = to_host(gd.concat([gd.from_pandas(p, npartitions=2, sort=False) for p in parts]).compute())
    assert isinstance(got.index, pd.CategoricalIndex)
    assert list(got.index.categories) == ["a", "b", "c", "d"]  # the union, in order of appearance (as dask)
    assert got.index.astype(str).tolist() == list("abcabbcd")
    assert got.x.tolist() == [0, 1, 2, 3, 0, 1, 2, 3]


# -- a groupby mean keeps pandas' dtype for extension columns ----------------------------------------
def test_groupby_mean_keeps_extension_dtypes():
    pdf = pd.DataFrame({"g": list("aabbbc") * 2, "x": range(12),
                        "y": pd.Series([None, 1.5, 2.0, None, 3.0, 4.0] * 2, dtype="double[pyarrow]"),
                        "i": pd.array([1, None, 3, 4, 5, 6] * 2, dtype="Int64")})
    df = gd.from_pandas(pdf, npartitions=3, backend="pandas")
    spec = {"m": ("y", "mean"), "v": ("y", "var"), "n": ("i", "mean"), "f": ("x", "mean")}
    tm.assert_frame_equal(df.groupby("g").agg(**spec).compute(), pdf.groupby("g").agg(**spec))
    tm.assert_frame_equal(df.groupby("g").mean().compute(), pdf.groupby("g").mean())


def test_sort_values_by_a_tuple_label(df, pdf_ix):
    spec = {"x": ["mean", "max"], "y": ["min"]}
    got, expected = df.groupby("k").agg(spec).repartition(npartitions=3), pdf_ix.groupby("k").agg(spec)
    ordered = to_host(got.sort_values(("y", "min")).compute())
    assert ordered[("y", "min")].tolist() == expected.sort_values(("y", "min"))[("y", "min")].tolist()
    check(got.nlargest(3, ("x", "max")), expected.nlargest(3, ("x", "max")), rtol=1e-9)


# -- an explicit sort=True wins over split_out, as dask ---------------------------------------------
def test_explicit_sort_true_gives_one_sorted_partition(df, pdf_ix):
    spec = {"x": "mean", "y": ["min", "max"]}
    for keys in ("k", ["k", "j"]):
        got = df.groupby(keys, sort=True).agg(spec, split_out=2)
        assert got.npartitions == 1
        tm.assert_frame_equal(to_host(got.compute()), pdf_ix.groupby(keys).agg(spec), rtol=1e-9)
    series = df.groupby("k", sort=True).y.sum(split_out=3)
    assert series.npartitions == 1
    tm.assert_series_equal(to_host(series.compute()), pdf_ix.groupby("k").y.sum())
    assert df.groupby("k").agg(spec, split_out=2).npartitions == 2  # the default (None): split_out holds
