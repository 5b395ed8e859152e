"""DataFrame / Series methods ported code calls (issue #14): idxmax/idxmin, melt, pivot_table, nunique_approx,
dot, combine, to_string/to_html, to_timestamp, from_dict, to_backend, autocorr, case_when — against pandas
and dask.dataframe."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends import BackendUnavailableError, available
from gpuscale.backends.convert import to_host
from gpuscale.testing import assert_eq


@pytest.fixture
def data(backend):
    rng = np.random.default_rng(7)
    n = 40
    pdf = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(0, 9, n).astype("float64"),
                        "c": rng.normal(size=n)}, index=np.arange(n) * 3)
    pdf.loc[pdf.index[::6], "b"] = np.nan
    return pdf, gd.from_pandas(pdf, npartitions=4, backend=backend)


@pytest.mark.parametrize("how", ["idxmax", "idxmin"])
@pytest.mark.parametrize("skipna", [True, False])
def test_frame_idx_extremes_per_column(data, how, skipna):
    pdf, df = data
    clean = pdf.fillna(0.0) if not skipna else pdf  # pandas 3 refuses skipna=False with missing values
    frame = gd.from_pandas(clean, npartitions=4)
    assert_eq(getattr(frame, how)(skipna=skipna), getattr(clean, how)(skipna=skipna))


@pytest.mark.parametrize("how", ["idxmax", "idxmin"])
def test_frame_idx_extremes_per_row_and_numeric_only(data, how):
    pdf, df = data
    assert_eq(getattr(df, how)(axis=1), getattr(pdf, how)(axis=1))
    mixed = pdf.fillna(0.0).assign(s=[f"v{i}" for i in range(len(pdf))], flag=pdf.a > 0,
                                   gap=pd.to_timedelta(np.arange(len(pdf)) % 7, unit="h"))
    out = getattr(gd.from_pandas(mixed, npartitions=3), how)(numeric_only=True)
    assert_eq(out, getattr(mixed, how)(numeric_only=True))  # booleans count as numbers, timedeltas not
    everything = mixed.drop(columns="s")
    assert_eq(getattr(gd.from_pandas(everything, npartitions=3), how)(), getattr(everything, how)())


def test_frame_idxmax_matches_dask(data):
    pdf, df = data
    ddf = dd.from_pandas(pdf, npartitions=4)
    assert_eq(df.idxmax(), ddf.idxmax().compute())


def test_melt_and_pivot_table_methods(data):
    pdf, df = data
    order = ["variable", "a"]  # each partition is melted alone (as dask): rows come partition by partition
    got = df.melt(id_vars="a", value_vars=["b", "c"]).compute()
    expected = pdf.melt(id_vars="a", value_vars=["b", "c"])
    assert_eq(got.sort_values(order), expected.sort_values(order), check_index=False)
    keyed = pd.DataFrame({"k": [1, 1, 2, 2, 3], "c": list("xyxyx"), "v": [1.0, 2.0, 3.0, 4.0, 5.0]})
    cat = gd.from_pandas(keyed, npartitions=2).categorize(columns=["c"])
    expected = dd.from_pandas(keyed, npartitions=2).categorize(columns=["c"]).pivot_table(
        index="k", columns="c", values="v", aggfunc="mean").compute()
    # dask makes the category labels Arrow strings; the values and labels are compared
    assert_eq(cat.pivot_table(index="k", columns="c", values="v", aggfunc="mean"), expected, check_categorical=False)


def test_nunique_approx_close_to_exact_and_to_dask():
    rng = np.random.default_rng(1)
    values = pd.Series(rng.integers(0, 50_000, 120_000))
    s = gd.from_pandas(values, npartitions=5)
    estimate = float(s.nunique_approx().compute())
    assert abs(estimate - values.nunique()) / values.nunique() < 0.02
    small = pd.DataFrame({"x": [1, 2, 2, 3, 3, 3] * 10, "y": [0, 0, 1, 1, 1, 1] * 10})
    got = float(gd.from_pandas(small, npartitions=3).nunique_approx(split_every=2).compute())
    assert round(got) == len(small.drop_duplicates())  # rows, not values
    assert round(got) == round(float(dd.from_pandas(small, npartitions=3).nunique_approx().compute()))


def test_nunique_approx_of_every_backend(data):
    pdf, df = data
    assert round(float(df.b.nunique_approx().compute())) == pdf.b.nunique(dropna=False)


def test_series_dot(data):
    pdf, df = data
    assert float(df.a.dot(df.c).compute()) == pytest.approx(pdf.a.dot(pdf.c))
    assert_eq(df.a.dot(df[["b", "c"]].fillna(0)), pdf.a.dot(pdf[["b", "c"]].fillna(0)))
    other = gd.from_pandas(pdf.c, npartitions=3)  # other divisions: aligned first
    assert float(df.a.dot(other).compute()) == pytest.approx(pdf.a.dot(pdf.c))
    with pytest.raises(TypeError, match="gpuscale Series or DataFrame"):
        df.a.dot(pdf.c)
    named = df.a.dot(df[["b", "c"]], meta=pd.Series([1.0], name="test_series"))
    assert named.compute().name == "test_series"  # dask's test_dot


def test_dot_keeps_missing_values_as_pandas(data):
    # dask's test_dot_nan: a missing product makes the sum missing, across partitions too
    pdf, df = data
    assert np.isnan(float(df.a.dot(df.b).compute())) and np.isnan(pdf.a.dot(pdf.b))
    assert_eq(df.b.dot(df[["a", "c"]]), pdf.b.dot(pdf[["a", "c"]]))
    assert_eq(df.b.sum(skipna=False), pdf.b.sum(skipna=False))
    assert_eq(df.sum(skipna=False), pdf.sum(skipna=False))
    assert_eq(df.b.max(skipna=False), pdf.b.max(skipna=False))


def test_frame_dot_in_memory_operand(data):
    pdf, df = data
    w = pd.Series([2.0, -1.0], index=["a", "c"])
    assert_eq(df[["a", "c"]].dot(w), pdf[["a", "c"]].dot(w))
    m = pd.DataFrame({"p": [1.0, 0.5], "q": [0.0, 3.0]}, index=["a", "c"])
    assert_eq(df[["a", "c"]].dot(m), pdf[["a", "c"]].dot(m))
    with pytest.raises(TypeError, match="pass it computed"):
        df.dot(df)


def test_combine(data):
    pdf, df = data
    other = pdf * 2 - 1
    assert_eq(df.a.combine(gd.from_pandas(other.a, npartitions=3), max), pdf.a.combine(other.a, max))
    assert_eq(df.b.combine(gd.from_pandas(other.b, npartitions=4), min, fill_value=0.0),
              pdf.b.combine(other.b, min, fill_value=0.0))
    bigger = lambda x, y: x.where(x > y, y)  # noqa: E731
    assert_eq(df.combine(gd.from_pandas(other[["a", "b"]], npartitions=4), bigger),
              pdf.combine(other[["a", "b"]], bigger))
    assert_eq(df.a.combine(0.0, max), pdf.a.combine(0.0, max))
    # an in-memory operand is aligned by its labels (dask's test_combine), not combined with every partition
    assert_eq(df.a.combine(other.a, max), pdf.a.combine(other.a, max))
    assert_eq(df.combine(other, bigger, overwrite=False), pdf.combine(other, bigger, overwrite=False))


def test_to_string_and_html_match_dask(data):
    pdf, _ = data
    host = gd.from_pandas(pdf, npartitions=4, backend="pandas")
    ddf = dd.from_pandas(pdf, npartitions=4)
    assert host.to_string() == ddf.to_string()
    assert host.a.to_string() == ddf.a.to_string()
    unknown = host.clear_divisions()
    assert unknown.to_string() == ddf.clear_divisions().to_string()
    assert "<th>npartitions=4</th>" in host.to_html() and "float64" in host.to_html()


def test_to_string_shows_categories(data):
    pdf, df = data
    cat = df.assign(k=df.b.astype(str)).categorize(columns=["k"])
    assert "category[known]" in cat.to_string()


def test_to_timestamp():
    s = pd.Series(range(6), index=pd.period_range("2024-01", periods=6, freq="M"))
    pdf = s.to_frame("x")
    gs = gd.from_pandas(s, npartitions=3, backend="pandas")
    assert_eq(gs.to_timestamp(), s.to_timestamp(), check_freq=False)  # concatenated partitions have no freq
    assert_eq(gd.from_pandas(pdf, npartitions=2, backend="pandas").to_timestamp(how="end"),
              pdf.to_timestamp(how="end"), check_freq=False)
    ddf = dd.from_pandas(s, npartitions=3)
    assert gs.to_timestamp().divisions == ddf.to_timestamp().divisions


def test_from_dict_classmethods():
    data = {"a": [1, 2, 3, 4], "b": [0.5, 1.5, 2.5, 3.5]}
    assert_eq(gd.DataFrame.from_dict(data, npartitions=2), pd.DataFrame.from_dict(data))
    rows = {"r1": [1, 2], "r2": [3, 4]}
    out = gd.Series.from_dict(rows, orient="index", columns=["p", "q"])
    assert_eq(out, pd.DataFrame.from_dict(rows, orient="index", columns=["p", "q"]))
    assert dd.Series.from_dict(rows).compute().shape == out.compute().shape[::-1]  # dask's also builds a frame


def test_to_backend(data, backend):
    pdf, df = data
    assert df.to_backend(backend) is df
    host = df.to_backend("pandas")
    assert type(to_host(host.compute())) is pd.DataFrame
    assert type(host.compute()).__module__.startswith("pandas")
    assert_eq(host, pdf)
    assert type(df.a.to_backend("cpu").compute()).__module__.startswith("pandas")
    assert_eq(df.index.to_backend("pandas"), pdf.index)
    if backend == "cudf":  # the stand-in runs: pandas partitions move to it
        moved = gd.from_pandas(pdf, npartitions=3, backend="pandas").to_backend("cudf")
        assert type(moved.compute()).__module__.startswith("cudf")
        assert_eq(moved, pdf)


def test_to_backend_conversion_options(data, backend):
    """dask_cudf's ``to_backend`` options reach the conversion (to pandas ``nullable=True``: pandas' nullable
    dtypes, a missing value ``<NA>``); an option a conversion does not take is refused naming the conversion,
    the same library's too (they were dropped without a word)."""
    pdf, df = data
    with pytest.raises(ValueError, match=f"the {backend}-to-{backend} conversion takes no options; got bad_arg"):
        df.to_backend(backend, bad_arg=True)
    if backend != "cudf":
        return
    nullable = df.to_backend("pandas", nullable=True)
    computed = nullable.compute()
    assert type(computed).__module__.startswith("pandas") and computed.dtypes["b"] == "Float64"
    assert nullable.dtypes["b"] == "Float64"  # the metadata converted alike
    pd.testing.assert_frame_equal(computed, pdf.astype("Float64"))
    with pytest.raises(ValueError, match="the cudf-to-pandas conversion takes only nullable, arrow_type; got x"):
        df.to_backend("pandas", x=1)
    host = gd.from_pandas(pdf, npartitions=3, backend="pandas")
    assert_eq(host.to_backend("cudf", nan_as_null=False), pdf)
    with pytest.raises(ValueError, match="the pandas-to-cudf conversion takes only nan_as_null; got nullable"):
        host.to_backend("cudf", nullable=True)


def test_to_backend_cudf_refused_clearly_without_gpu(data):
    pdf, df = data
    if available()["cudf"].ok:
        pytest.skip("cuDF runs here")
    with pytest.raises(BackendUnavailableError, match="cudf"):
        gd.from_pandas(pdf, npartitions=2, backend="pandas").to_backend("cudf")
    with pytest.raises(ValueError, match="unknown backend"):
        df.to_backend("polars")


@pytest.mark.parametrize("lag", [0, 1, 3])
def test_autocorr(data, lag):
    pdf, df = data
    assert float(df.a.autocorr(lag).compute()) == pytest.approx(pdf.a.autocorr(lag))
    with pytest.raises(TypeError, match="integer"):
        df.a.autocorr(1.5)


def test_case_when(data):
    pdf, df = data
    got = df.a.case_when([(df.a > 0.5, 1.0), (df.c < 0, df.c), (lambda p: p < -1, -5.0)])
    expected = pdf.a.case_when([(pdf.a > 0.5, 1.0), (pdf.c < 0, pdf.c), (lambda p: p < -1, -5.0)])
    assert_eq(got, expected)
    with pytest.raises(TypeError, match="list"):
        df.a.case_when((df.a > 0, 1))
    with pytest.raises(ValueError, match="item 0"):
        df.a.case_when([df.a > 0])


def test_enforce_runtime_divisions(data):
    pdf, df = data
    assert_eq(df.enforce_runtime_divisions(), pdf)
    assert df.enforce_runtime_divisions().divisions == df.divisions
    assert_eq(df.a.enforce_runtime_divisions(), pdf.a)
    wrong = gd.from_pandas(pdf, npartitions=4)
    # divisions claimed for the data that do not hold: partition 1 really starts below its claimed lower bound
    # (partition 0 holds less than it claims, which is allowed)
    claimed = (wrong.divisions[0], wrong.divisions[2], wrong.divisions[3], wrong.divisions[4], wrong.divisions[4] + 1)
    from gpuscale.dataframe.expr.sorting import WithDivisions

    bad = gd.new_collection(WithDivisions(wrong.expr, claimed))
    with pytest.raises(RuntimeError, match="partition 1 should hold"):
        bad.enforce_runtime_divisions().compute()
    with pytest.raises(ValueError, match="unknown"):
        df.clear_divisions().enforce_runtime_divisions()
    ddf = dd.from_pandas(pdf, npartitions=4)
    assert_eq(df.enforce_runtime_divisions(), ddf.enforce_runtime_divisions().compute())


def test_quantile_results_carry_dasks_divisions(data):
    pdf, df = data
    ddf = dd.from_pandas(pdf, npartitions=4)
    assert df.quantile().divisions == ddf.quantile().divisions == ("a", "c")
    assert df.a.quantile([0.3]).divisions == ddf.a.quantile([0.3]).divisions == (0.3, 0.3)
    assert df.quantile([0.9, 0.1]).divisions == (0.1, 0.9)
    assert_eq(df.quantile([0.9, 0.1]), pdf.quantile([0.9, 0.1]))
    strings = gd.from_pandas(pdf.assign(s="x"), npartitions=2)
    with pytest.raises(TypeError, match="non-numeric"):  # the words dask's test_dataframe_quantile looks for
        strings.quantile()


def test_numeric_only_is_pandas_numeric_data(backend):
    # dask's test_mode_numeric_only: timedeltas and datetimes are not numbers
    pdf = pd.DataFrame({"int": [1, 2, 3, 4, 5, 6, 7, 8], "float": [1.0, 2.0, 3.0, 4.0, np.nan, 6.0, 7.0, 8.0],
                        "dt": [pd.NaT] + list(pd.date_range("2010-01-01", periods=7, freq="MS")),
                        "gap": pd.to_timedelta([1, 2, 3, 4, 5, 6, 7, np.nan], unit="h")})
    df = gd.from_pandas(pdf, npartitions=2)
    assert_eq(df.mode(numeric_only=True), pdf.mode(numeric_only=True))
    assert_eq(df.mode(), pdf.mode())
    assert_eq(df.quantile(numeric_only=True), pdf.quantile(numeric_only=True))


@pytest.mark.parametrize("freq", ["D", "W", "M"])
def test_to_period_as_pandas(freq):
    """pandas' to_period (dask has none): partitions converted, divisions too where each period lies in one
    partition, else unknown."""
    pdf = pd.DataFrame({"x": np.arange(100.0)}, index=pd.date_range("2024-01-01", periods=100, freq="17h"))
    df = gd.from_pandas(pdf, npartitions=4, backend="pandas")
    out = df.to_period(freq)
    assert_eq(out, pdf.to_period(freq))
    assert_eq(df.x.to_period(freq), pdf.x.to_period(freq))
    assert out.known_divisions == (freq != "M")  # 17 hours x 25 rows per partition: two boundaries in one month
    with pytest.raises(ValueError, match="give freq"):
        df.to_period()
