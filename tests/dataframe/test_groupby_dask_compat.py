"""dask.dataframe groupby behaviours that ported code relies on, checked against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.pandas_versions import PANDAS_3


def _categorical_frame(known: bool = True):
    pdf = pd.DataFrame({"c1": pd.Categorical(list("ABAB"), categories=list("ABCD")),
                        "c2": pd.Categorical([1, 2, 2, 1], categories=[1, 2, 3]),
                        "v": [1, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    if not known:
        df["c1"] = df["c1"].cat.as_unknown()
        df["c2"] = df["c2"].cat.as_unknown()
    return pdf, df


@pytest.mark.parametrize("how", ["sum", "count", "size", "min", "mean", "first", "var", "prod", "median", "any", "all",
                                 "sem", "quantile"])
@pytest.mark.parametrize("by", ["c1", ["c1", "c2"]])
@pytest.mark.parametrize("known", [True, False])
def test_observed_false_adds_unobserved_categories(how, by, known):
    if not PANDAS_3 and how in ("prod", "any", "all") and isinstance(by, list):
        pytest.skip("pandas 2 leaves unobserved key pairs NaN for prod/any/all; pandas 3 and gpuscale: 1/False/True")
    pdf, df = _categorical_frame(known)
    expected = getattr(pdf.groupby(by, observed=False).v, how)()
    result = getattr(df.groupby(by, observed=False).v, how)()
    pd.testing.assert_series_equal(result.compute(), expected, check_categorical=False)


@pytest.mark.parametrize("how", ["sum", "max", "median"])
def test_observed_true_keeps_categorical_keys(how):
    pdf, df = _categorical_frame(known=False)
    expected = getattr(pdf.groupby(["c1", "c2"], observed=True), how)()
    result = getattr(df.groupby(["c1", "c2"], observed=True), how)().compute()
    assert isinstance(result.index.levels[0], pd.CategoricalIndex)
    pd.testing.assert_frame_equal(result, expected)


def test_observed_false_frame_agg_dict():
    pdf, df = _categorical_frame()
    expected = pdf.groupby("c1", observed=False).agg({"v": ["sum", "max"]})
    assert_eq(df.groupby("c1", observed=False).agg({"v": ["sum", "max"]}), expected)


def test_groupby_rejects_unknown_keywords():
    df = gd.from_pandas(pd.DataFrame({"A": [1, 1, 2], "B": [1, 2, 3]}), npartitions=2, backend="cpu")
    for kwargs in ({"axis": 1}, {"as_index": False}, {"squeeze": True}):
        with pytest.raises(TypeError):
            df.groupby("A", **kwargs)
    with pytest.raises(TypeError, match=r"as_index=False is not supported \(as dask\); call .reset_index\(\)"):
        df.groupby("A", as_index=False)  # the error says what to do instead
    with pytest.raises(TypeError, match="as_index"):
        df.B.groupby(df.A, as_index=False)
    assert_eq(df.groupby("A", as_index=True).B.sum(), df.compute().groupby("A").B.sum())


def test_name_tells_computations_apart():
    pdf = pd.DataFrame({"a": np.arange(90) % 7, "b": np.arange(90) % 4})
    df = gd.from_pandas(pdf, npartitions=15, backend="cpu")
    split = df.groupby("b").a.sum(split_out=2)
    assert df.groupby("b").a.sum()._name == df.groupby("b").a.sum()._name
    assert df.groupby("b").a.sum()._name != split._name
    pd.testing.assert_series_equal(split.compute().sort_index(), pdf.groupby("b").a.sum())


def _numbers():
    pdf = pd.DataFrame({"A": [1, 2, 3, 4] * 5, "B": np.arange(20.0), "C": np.arange(20) % 3})
    return pdf, gd.from_pandas(pdf, npartitions=3, backend="cpu")


@pytest.mark.parametrize("method", ["apply", "transform"])
def test_inferred_meta_warns_as_dask(method):
    pdf, df = _numbers()
    with pytest.warns(UserWarning, match="meta"):
        result = getattr(df.groupby("A"), method)(lambda g: g.sum())
    expected = getattr(pdf.groupby("A"), method)(lambda g: g.sum())
    pd.testing.assert_frame_equal(result.compute().sort_index(), expected.sort_index())


def test_apply_passes_extra_arguments():
    pdf, df = _numbers()
    expected = pdf.groupby("A").B.apply(lambda s, k, add=0: s.max() * k + add, 2, add=1)
    result = df.groupby("A").B.apply(lambda s, k, add=0: s.max() * k + add, 2, add=1, meta=("B", "f8"))
    pd.testing.assert_series_equal(result.compute().sort_index(), expected)


def test_shift_with_freq_by_index_leaves_out_the_key():
    pdf = pd.DataFrame({"a": [1, 2, 3, 4, 5, 6], "b": [0, 0, 0, 1, 1, 1]},
                       index=pd.date_range(start="20100101", periods=6))
    df = gd.from_pandas(pdf, npartitions=3, backend="cpu")
    expected = pdf.groupby(pdf.index).shift(periods=-2, freq="D")
    result = df.groupby(df.index).shift(periods=-2, freq="D", meta=expected).compute()
    pd.testing.assert_frame_equal(result.sort_index(), expected.sort_index(), check_freq=False)


@pytest.mark.parametrize("func", ["cumsum", "cumprod", "cumcount"])
@pytest.mark.parametrize("key, sel", [("a", "a"), (["a", "b"], ["a", "b"]), ("a", ["a", "c"]), (["a", "b"], "b")])
def test_cumulative_of_key_columns(func, key, sel):
    pdf = pd.DataFrame({"a": [1, 2, 6, 4, 4, 6, 4, 3, 7] * 3, "b": [4, 2, 7, 3, 3, 1, 1, 1, 2] * 3,
                        "c": np.arange(27.0)})
    df = gd.from_pandas(pdf, npartitions=4, backend="cpu")
    assert_eq(getattr(df.groupby(key)[sel], func)(), getattr(pdf.groupby(key)[sel], func)())


@pytest.mark.parametrize("func", ["sum", "min", "max", "prod", "first", "last", "mean", "median", "std", "var",
                                  "cumsum"])
def test_numeric_only_true_leaves_out_other_columns(func):
    pdf = pd.DataFrame({"A": [1, 1, 2, 2], "B": [3, 4, 3, 4], "C": ["a", "b", "c", "d"], "D": [True, False] * 2})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    assert_eq(getattr(df.groupby("A"), func)(numeric_only=True), getattr(pdf.groupby("A"), func)(numeric_only=True))


@pytest.mark.parametrize("func", ["mean", "std", "var"])
def test_numeric_only_false_of_strings_is_not_implemented(func):
    df = gd.from_pandas(pd.DataFrame({"A": [1, 1, 2], "B": [3, 4, 3], "C": ["a", "b", "c"]}), npartitions=2,
                        backend="cpu")
    with pytest.raises(NotImplementedError, match="numeric_only=False"):
        getattr(df.groupby("A"), func)()
    assert_eq(getattr(df.groupby("A").B, func)(), getattr(df.compute().groupby("A").B, func)())


def test_agg_accepts_shuffle_method_and_named_aggregations():
    from functools import partial

    pdf = pd.DataFrame({"a": [1, 1, 2, 2], "b": [1, 2, 5, 6], "c": [6, 3, 6, 7]})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    spec = {"x": pd.NamedAgg("b", aggfunc="sum"), "y": pd.NamedAgg("c", aggfunc=partial(np.std, ddof=1))}
    assert_eq(df.groupby("a").agg(shuffle_method="tasks", **spec), pdf.groupby("a").agg(**spec))
    assert_eq(df.groupby("a").b.agg(shuffle_method="tasks", c="count", d="sum"),
              pdf.groupby("a").b.agg(c="count", d="sum"))


@pytest.mark.parametrize("split_out", [1, 2])
def test_agg_with_a_function_passes_keywords_to_it(backend, split_out):
    # agg("std", ddof=0) gives ddof to the function, as pandas: it was taken for a named aggregation
    # (KeyError: column(s) [None] not found).
    pdf = pd.DataFrame({"a": [1, 1, 2, 2, 2, 3], "b": [1.0, 2.0, 5.0, 6.0, 9.0, 4.0], "c": [6, 3, 6, 7, 1, 2]})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = df.groupby("a").agg("std", ddof=0, split_out=split_out)
    assert got.npartitions == split_out
    assert_eq(got.compute().sort_index(), pdf.groupby("a").agg("std", ddof=0))
    assert_eq(df.groupby("a").b.agg(["var", "std"], ddof=0, shuffle="tasks"),
              pdf.groupby("a").b.agg(["var", "std"], ddof=0))
    assert_eq(df.groupby("a").c.agg("sum", min_count=2), pdf.groupby("a").c.agg("sum", min_count=2))


@pytest.mark.parametrize("min_count", [1, 2, 3])
@pytest.mark.parametrize("how", ["sum", "prod"])
def test_min_count(how, min_count):
    pdf = pd.DataFrame({"g": list("AABBB"), "v": [1.0, np.nan, 2.0, 3.0, np.nan]})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    assert_eq(getattr(df.groupby("g"), how)(min_count=min_count),
              getattr(pdf.groupby("g"), how)(min_count=min_count))


def test_split_every_of_one_is_refused():
    df = gd.from_pandas(pd.DataFrame({"a": [1, 2] * 10, "b": range(20)}), npartitions=4, backend="cpu")
    with pytest.raises(ValueError, match="split_every"):
        df.groupby("a").agg({"b": "mean"}, split_every=1)


_custom_mean = gd.Aggregation("mean", lambda s: (s.count(), s.sum()), lambda c, t: (c.sum(), t.sum()),
                              lambda c, t: t / c)
_custom_sum = gd.Aggregation("sum", lambda s: s.sum(), lambda s: s.sum())


@pytest.mark.parametrize("pandas_spec, spec", [
    ({"b": "mean"}, {"b": _custom_mean}),
    (["mean", "sum"], [_custom_mean, _custom_sum]),
    ({"b": ["mean", "sum"], "c": "max"}, {"b": [_custom_mean, _custom_sum], "c": "max"}),
    ({"b": "mean", "c": "sum"}, {"b": _custom_mean, "c": "sum"}),
])
def test_custom_aggregations_in_lists_and_dicts(pandas_spec, spec):
    pdf = pd.DataFrame({"g": [0, 0, 1] * 3, "b": [1, 2, 3] * 3, "c": [4, 5, 6] * 3})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    assert_eq(df.groupby("g").agg(spec), pdf.groupby("g").agg(pandas_spec), check_dtype=False)
    assert_eq(df.groupby("g").b.agg([_custom_mean]), pdf.groupby("g").b.agg(["mean"]), check_dtype=False)


def test_custom_aggregation_named_as_another_function_of_the_column_is_refused():
    df = gd.from_pandas(pd.DataFrame({"g": [0, 0, 1], "b": [1, 2, 3]}), npartitions=2, backend="cpu")
    with pytest.raises(ValueError, match="not unique"):
        df.groupby("g").agg({"b": [_custom_sum, "sum"]})


def test_selection_errors_dir_and_label_containers():
    pdf = pd.DataFrame({"k": [1, 1, 2], "value": [1.0, 2.0, 3.0], "x": [4, 5, 6]})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    gb = df.groupby("k")
    with pytest.raises(KeyError, match="Column not found"):
        gb["A"]
    with pytest.raises(KeyError, match="Columns not found"):
        gb[["x", "A"]]
    with pytest.raises(KeyError, match="Column not found"):
        list(gb)
    assert "k" in dir(gb) and "value" in dir(gb)
    for key in (pd.Index(["value"]), pd.Series(["value"])):
        assert_eq(gb[key].sum(), pdf.groupby("k")[["value"]].sum())


@pytest.mark.parametrize("keys", ["idx", ["idx", "a"], ["a", "idx"]])
def test_apply_by_the_index_with_known_divisions(keys):
    pdf = pd.DataFrame({"idx": [1, 1, 1, 2, 2, 2, 3], "a": [1, 2, 1, 2, 1, 2, 1], "b": np.arange(7)}).set_index("idx")
    df = gd.from_pandas(pdf, npartitions=3, backend="cpu")
    expected = pdf.groupby(keys).apply(lambda g: g.b.max() - g.b.min())
    result = df.groupby(keys).apply(lambda g: g.b.max() - g.b.min(), meta=expected)
    pd.testing.assert_series_equal(result.compute().sort_index(), expected.sort_index())
    # the groups lie in the partitions already: no shuffle (with the index as any key, as dask), and the divisions
    # hold when the index is the first key
    from gpuscale.dataframe.expr.shuffle import HashShuffle

    assert not list(result.expr.lower_completely().find_operations(HashShuffle))
    first = keys if isinstance(keys, str) else keys[0]
    assert result.divisions == (df.divisions if first == "idx" else (None,) * (df.npartitions + 1))
    transformed = df.groupby(keys).b.transform("cumsum")
    assert transformed.divisions == df.divisions and not list(transformed.expr.lower_completely()
                                                              .find_operations(HashShuffle))
    assert_eq(transformed, pdf.groupby(keys).b.transform("cumsum"))


@pytest.mark.parametrize("group_keys", [True, False, None])
def test_apply_group_keys(group_keys):
    pdf = pd.DataFrame({"a": [1, 2, 2, 3], "b": [2, 3, 4, 5]})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    expected = pdf.groupby("a", group_keys=group_keys).apply(lambda g: g.copy())
    result = df.groupby("a", group_keys=group_keys).apply(lambda g: g.copy(), meta=expected)
    pd.testing.assert_frame_equal(result.compute().sort_index(), expected.sort_index())


def test_no_group_keys_is_an_error():
    s = gd.from_pandas(pd.Series([1, 2, 2, 1]), npartitions=2, backend="cpu")
    with pytest.raises(ValueError, match="No group keys"):
        s.groupby([])


def test_a_dataframe_key_is_a_value_error():
    pdf = pd.DataFrame({"a": [1, 2, 1], "b": [1.0, 2.0, 3.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    with pytest.raises(ValueError, match="DataFrame"):
        df.b.groupby(df)
    with pytest.raises(ValueError, match="DataFrame"):
        df.b.groupby([df.a, df])


def test_shift_and_apply_take_lazy_scalars_and_delayed_values():
    import dask

    pdf = pd.DataFrame({"a": [0, 0, 1, 1, 2, 2, 3, 3, 3], "b": [4, 5, 6, 3, 2, 1, 0, 0, 0],
                        "c": [0, 0, 0, 0, 0, 1, 1, 1, 1]})
    df = gd.from_pandas(pdf, npartitions=3, backend="cpu")
    filled = df.groupby(df.c).shift(periods=1, fill_value=df.b.max())  # the Scalar object was the fill value
    assert dict(filled.dtypes) == {"a": np.dtype("int64"), "b": np.dtype("int64")}
    assert_eq(filled, pdf.groupby(pdf.c).shift(periods=1, fill_value=pdf.b.max()))
    assert_eq(df.groupby("c").b.shift(-1, fill_value=df.a.min()), pdf.groupby("c").b.shift(-1, fill_value=0))
    by_delayed = df.groupby(df.c).shift(periods=dask.delayed(lambda: 2)(), meta={"a": int, "b": int})
    assert_eq(by_delayed, pdf.groupby(pdf.c).shift(periods=2))  # dask's own test of this is an xfail
    with pytest.raises(ValueError, match="pass meta="):
        df.groupby("c").shift(periods=dask.delayed(lambda: 2)())
    scaled = df.groupby("c").apply(lambda g, k: g.b.sum() * k, k=df.a.max(), meta=(None, "i8"))
    assert_eq(scaled, pdf.groupby("c").apply(lambda g, k: g.b.sum() * k, k=3))


@pytest.mark.parametrize("spec", [{"y": "sum"}, {"y": ["sum", "max"]}, {"y": "mean"}])
def test_series_groupby_agg_of_a_dict_keyed_by_its_column(spec):
    """``df.groupby("k").y.agg({"y": ...})``: dask (and cuDF) take a dict keyed by the column's own name as that
    column's aggregations (pandas refuses a dict here); another key is refused as dask refuses it."""
    import dask.dataframe as dd

    pdf = pd.DataFrame({"k": [1, 1, 2, 3, 3, 3], "y": [1.0, 2.0, 3.0, np.nan, 5.0, 6.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    expected = dd.from_pandas(pdf, npartitions=2).groupby("k").y.agg(spec).compute()
    assert_eq(df.groupby("k").y.agg(spec), expected)
    assert_eq(df.groupby("k").y.agg(spec), pdf.groupby("k").y.agg(spec["y"]))
    with pytest.raises(KeyError, match="Column not found: z"):
        df.groupby("k").y.agg({"z": "sum"})
