"""GroupBy aggregations (tree and shuffle paths, split_out), transform and apply, against pandas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from tests.dataframe import host_testing as tm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale
import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import check_by_index as check
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3

METHODS = ["sum", "mean", "count", "min", "max", "std", "var", "first", "last", "nunique", "median"]


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=6, backend=backend)


@pytest.mark.parametrize("how", METHODS)
def test_series_groupby_methods(df, pdf, how):
    check(getattr(df.groupby("k").x, how)(), getattr(pdf.groupby("k").x, how)(), rtol=1e-9)


@pytest.mark.parametrize("how", ["sum", "mean", "count", "min", "max", "std", "first", "last"])
def test_frame_groupby_multiple_keys(df, pdf, how):
    cols = ["k", "j", "x", "y"]
    check(getattr(df[cols].groupby(["k", "j"]), how)(), getattr(pdf[cols].groupby(["k", "j"]), how)(), rtol=1e-9)


@pytest.mark.parametrize("how", ["count", "sum", "max", "first"])
def test_frame_of_keys_only_keeps_its_groups(df, pdf, how):
    # no value column left: pandas gives the groups as the index of a frame without columns
    check(getattr(df[["k", "j"]].groupby(["k", "j"]), how)(), getattr(pdf[["k", "j"]].groupby(["k", "j"]), how)())


def test_size_and_selection(df, pdf):
    check(df.groupby("k").size(), pdf.groupby("k").size())
    check(df.groupby(["k", "j"])[["x", "y"]].sum(), pdf.groupby(["k", "j"])[["x", "y"]].sum())
    check(df.groupby("j")["y"].max(), pdf.groupby("j")["y"].max())


def test_agg_forms(df, pdf):
    g, pg = df.groupby("k"), pdf.groupby("k")
    check(g.agg({"x": ["sum", "mean"], "y": "max", "s": "first"}), pg.agg({"x": ["sum", "mean"], "y": "max", "s": "first"}))
    check(g.agg({"x": "sum", "y": "count"}), pg.agg({"x": "sum", "y": "count"}))
    check(g[["x", "y"]].agg(["min", "var"]), pg[["x", "y"]].agg(["min", "var"]), rtol=1e-9)
    check(g.agg(total=("x", "sum"), n=("y", "count"), top=("s", "max")),
          pg.agg(total=("x", "sum"), n=("y", "count"), top=("s", "max")))
    check(g.x.agg(["sum", "std"]), pg.x.agg(["sum", "std"]), rtol=1e-9)
    check(g.agg({"x": "mean", "s": "nunique"}), pg.agg({"x": "mean", "s": "nunique"}))
    check(g.x.agg(lambda v: v.max() - v.min()), pg.x.agg(lambda v: v.max() - v.min()))


@pytest.mark.parametrize("split_out", [2, 5])
def test_split_out(df, pdf, split_out):
    out = df.groupby(["k", "j"]).agg({"x": "mean", "y": "sum"}, split_out=split_out)
    assert out.npartitions == split_out
    check(out, pdf.groupby(["k", "j"]).agg({"x": "mean", "y": "sum"}))
    check(df.groupby("k").s.nunique(split_out=split_out), pdf.groupby("k").s.nunique())


def test_split_every(df, pdf):
    check(df.groupby("k").y.sum(split_every=2), pdf.groupby("k").y.sum())


def test_transform_and_apply(df, pdf):
    check(df.groupby("k").x.transform("sum"), pdf.groupby("k").x.transform("sum"))
    check(df.groupby("k").y.transform(lambda v: v - v.mean()), pdf.groupby("k").y.transform(lambda v: v - v.mean()))
    func = lambda g: g.x.sum() + g.y.max()  # noqa: E731
    check(df.groupby("k")[["x", "y"]].apply(func), pdf.groupby("k")[["x", "y"]].apply(func))


def test_declared_meta_is_checked_against_the_computed_groups(df, pdf):
    # a meta= of other columns, or of another kind, raises dask's metadata mismatch when computed (it was taken
    # on trust: the collection's columns were meta's, its data the function's)
    with pytest.raises(ValueError, match=r"(?s)do not match.*Extra: +\['x'\].*Missing: +\['b'\]"):
        df.groupby("k").apply(lambda g: g[["x"]], meta={"b": float}).compute()
    with pytest.raises(ValueError, match="declares a DataFrame, the partition is a Series"):
        df.groupby("k").apply(lambda g: g.x.sum(), meta={"x": float}).compute()
    with pytest.raises(ValueError, match="declares a Series, the partition is a DataFrame"):
        df.groupby("k").y.apply(lambda v: v.to_frame(), meta=("y", "f8")).compute()
    with pytest.raises(ValueError, match=r"(?s)Extra: +\['y'\].*Missing: +\['z'\]"):
        df.groupby("k")[["x", "y"]].transform(lambda v: v - v.mean(), meta={"x": "f8", "z": "f8"}).compute()
    # a declared meta that describes the result (its dtypes loosely, a Series by a tuple) is kept, as pandas
    func = lambda g: g.x.sum() + g.y.max()  # noqa: E731
    check(df.groupby("k").apply(func, meta=("r", "f8")), pdf.groupby("k").apply(func).rename("r"))
    check(df.groupby("k").x.apply(lambda v: v.cumsum(), meta=("x", "i8")),
          pdf.groupby("k").x.apply(lambda v: v.cumsum()))
    check(df.groupby("k")[["x", "y"]].transform(lambda v: v - v.mean(), meta={"x": "f4", "y": "f8"}),
          pdf.groupby("k")[["x", "y"]].transform(lambda v: v - v.mean()))


def test_dropna_false_keeps_missing_keys(backend):
    pdf = pd.DataFrame({"k": [1.0, np.nan, 2.0, np.nan, 1.0], "v": [1, 2, 3, 4, 5]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    check(df.groupby("k", dropna=False).v.sum(), pdf.groupby("k", dropna=False).v.sum())
    check(df.groupby("k").v.sum(), pdf.groupby("k").v.sum())


def test_unknown_key_and_bad_aggregation_fail_at_build_time(df):
    with pytest.raises(KeyError, match="nope.*available columns"):
        df.groupby("nope")
    with pytest.raises(KeyError, match="zz"):
        df.groupby("k")[["zz"]]
    with pytest.raises(TypeError, match="groupby mean"):
        df.groupby("k").s.mean()


@settings(max_examples=20, deadline=None)
@given(keys=st.lists(st.integers(0, 4), min_size=1, max_size=30), npartitions=st.integers(1, 5))
def test_groupby_matches_pandas_on_random_keys(keys, npartitions):
    pdf = pd.DataFrame({"k": keys, "v": np.arange(len(keys), dtype="float64")})
    df = gd.from_pandas(pdf, npartitions=npartitions)
    check(df.groupby("k").v.agg(["sum", "count", "mean", "max"]), pdf.groupby("k").v.agg(["sum", "count", "mean", "max"]))
    filtered = df[df.v > len(keys) // 2]
    pf = pdf[pdf.v > len(keys) // 2]
    check(filtered.groupby("k").v.sum(), pf.groupby("k").v.sum())


@settings(max_examples=25, deadline=None)
@given(keys=st.lists(st.integers(-50, 50), min_size=1, max_size=120), nparts=st.integers(1, 7),
       as_float=st.booleans())
def test_many_numeric_groups_in_any_partition_order_match_pandas(keys, nparts, as_float):
    # unsorted numeric keys spread over partitions: the combine step sorts the partials before grouping
    pdf = pd.DataFrame({"k": np.array(keys, dtype="float64" if as_float else "int64"),
                        "x": np.arange(len(keys), dtype="float64")})
    g, pg = gd.from_pandas(pdf, npartitions=nparts).groupby("k"), pdf.groupby("k")
    for how in ("sum", "first", "last", "min", "std"):
        check(getattr(g.x, how)(), getattr(pg.x, how)())


@settings(max_examples=40, deadline=None)
@given(runs=st.lists(st.integers(1, 3), min_size=1, max_size=60), nparts=st.integers(1, 6),
       values=st.lists(st.one_of(st.floats(-1e3, 1e3), st.just(np.nan)), min_size=180, max_size=180),
       unsigned=st.booleans())
def test_keys_clustered_by_partition_match_pandas(runs, nparts, values, unsigned):
    # keys in order (as a table read in key order): partials repeat a key only at partition boundaries
    keys = np.repeat(np.arange(len(runs)) * 3, runs).astype("uint64" if unsigned else "int64")
    pdf = pd.DataFrame({"k": keys, "x": values[:len(keys)], "i": np.arange(len(keys))})
    aggs = ["sum", "mean", "count", "size", "min", "max", "std", "var", "first", "last"]
    got = gd.from_pandas(pdf, npartitions=nparts).groupby("k").x.agg(aggs).compute()
    tm.assert_frame_equal(got, pdf.groupby("k").x.agg(aggs))
    named = gd.from_pandas(pdf, npartitions=nparts).groupby("k").agg(total=("i", "sum"), last=("x", "last"))
    tm.assert_frame_equal(named.compute(), pdf.groupby("k").agg(total=("i", "sum"), last=("x", "last")))


def test_keys_clustered_by_partition_combine_without_pandas_warnings():
    # pandas 2.2 (no copy-on-write) warned SettingWithCopyWarning as the repeated keys' rows were written back
    keys = np.repeat(np.arange(40), 2)
    pdf = pd.DataFrame({"k": keys, "x": np.arange(len(keys), dtype="float64")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = gd.from_pandas(pdf, npartitions=3).groupby("k").x.sum().compute()
    tm.assert_series_equal(got, pdf.groupby("k").x.sum())


@settings(max_examples=40, deadline=None)
@given(runs=st.lists(st.integers(1, 4), min_size=1, max_size=50), nparts=st.integers(1, 5),
       seed=st.integers(0, 2**16), shuffled=st.booleans())
def test_sorted_integer_keys_aggregated_run_by_run_match_pandas(runs, nparts, seed, shuffled):
    from gpuscale.backends.frame import groupby as fg

    used = []
    original = fg._chunk_by_runs
    keys = np.repeat(np.arange(len(runs)) * 7 - 20, runs)
    rng = np.random.default_rng(seed)
    values = np.where(rng.random(len(keys)) < 0.3, np.nan, rng.normal(size=len(keys)) * 100)
    pdf = pd.DataFrame({"k": keys, "x": values, "i": np.arange(len(keys)) % 5})
    pdf = pdf.sample(frac=1, random_state=1) if shuffled else pdf
    aggs = {"xs": ("x", "sum"), "xm": ("x", "mean"), "xc": ("x", "count"), "xmin": ("x", "min"),
            "xmax": ("x", "max"), "n": ("x", "size"), "isum": ("i", "sum"), "imax": ("i", "max")}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fg, "_chunk_by_runs", lambda *a: used.append(1) or original(*a))
        got = gd.from_pandas(pdf, npartitions=nparts, sort=False).groupby("k").agg(**aggs).compute()
    tm.assert_frame_equal(got, pdf.groupby("k").agg(**aggs))
    assert used or shuffled or gpuscale.config.get("backend") != "pandas"  # sorted pandas partitions always take the run-by-run path


def test_combining_mostly_unique_partials_groups_only_the_repeated_keys(monkeypatch):
    from gpuscale.backends.frame import groupby as fg

    grouped_rows = []
    original = fg._combine
    monkeypatch.setattr(fg, "_combine", lambda frame, *a: grouped_rows.append(len(frame)) or original(frame, *a))
    partials = (("s", "x", "sum"), ("n", "x", "count"), ("f", "x", "first"))
    parts = [pd.DataFrame({"s": [1.0, 2.0, 3.0], "n": [1, 1, 2], "f": [5.0, np.nan, 7.0]},
                          index=pd.Index([1, 2, 4], name="k")),
             pd.DataFrame({"s": [10.0, 20.0, 30.0], "n": [2, 1, 1], "f": [8.0, 9.0, 1.0]},
                          index=pd.Index([4, 6, 9], name="k"))]
    got = fg.groupby_combine(parts, ["k"], partials)
    assert grouped_rows == [2]  # only the two partial rows of key 4
    expected = pd.DataFrame({"s": [1.0, 2.0, 13.0, 20.0, 30.0], "n": [1, 1, 4, 1, 1],
                             "f": [5.0, np.nan, 7.0, 9.0, 1.0]}, index=pd.Index([1, 2, 4, 6, 9], name="k"))
    tm.assert_frame_equal(got, expected)


@pytest.mark.parametrize("threads", [1, 3])
def test_one_partition_result_finished_in_buckets_keeps_pandas_order(threads):
    from gpuscale import config
    from gpuscale.dataframe.expr.shuffle import HashShuffle

    rng = np.random.default_rng(0)
    pdf = pd.DataFrame({"k": rng.integers(0, 500, 3000), "s": rng.choice(list("abcd"), 3000),
                        "x": rng.normal(size=3000)})
    with config.set(num_workers=threads):
        result = gd.from_pandas(pdf, npartitions=8).groupby(["s", "k"]).x.agg(["sum", "first", "count"])
        plan = result.expr.lower_completely()
        assert bool(list(plan.find_operations(HashShuffle))) == (threads > 1)
        tm.assert_frame_equal(result.compute(), pdf.groupby(["s", "k"]).x.agg(["sum", "first", "count"]))


def test_one_partition_result_on_a_cluster_is_a_tree_not_a_p2p_shuffle():
    """On a distributed cluster the bucketed final step would be a P2P shuffle (a barrier, Arrow shards on the
    workers' disks) for a few partial results: the plan for a cluster combines them in a tree instead, and a
    collection planned for one place is planned again for the other."""
    from gpuscale import config
    from gpuscale.runtime.distributed import building_graph_for

    pdf = pd.DataFrame({"k": np.arange(3000) % 7, "x": np.arange(3000.0)})
    with config.set(num_workers=3):
        result = gd.from_pandas(pdf, npartitions=8).groupby("k").x.sum()
        with building_graph_for(False):
            local = result.__dask_graph__()
        with building_graph_for(True):
            cluster = result.__dask_graph__()
    assert any("hashshuffle" in str(key) for key in local)
    assert not any("shuffle" in str(key) for key in cluster)
    assert len(cluster) < len(local)
    tm.assert_series_equal(result.compute(), pdf.groupby("k").x.sum())


@settings(max_examples=30, deadline=None)
@given(keys=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=40),
       nparts=st.integers(1, 4), dropna=st.booleans(), two_keys=st.booleans())
def test_string_keys_coded_per_partition_match_pandas(keys, nparts, dropna, two_keys):
    # Arrow string keys with missing values (not packed into integer codes) over partitions
    pdf = pd.DataFrame({"s": pd.array(keys, dtype="str"), "k": np.arange(len(keys)) % 3,
                        "x": np.arange(len(keys), dtype="float64"), "t": pd.array(keys, dtype="str")})
    by = ["s", "k"] if two_keys else ["s"]
    got = gd.from_pandas(pdf, npartitions=nparts).groupby(by, dropna=dropna).agg(
        total=("x", "sum"), n=("x", "count"), first_t=("t", "first"), top=("t", "max"))
    expected = pdf.groupby(by, dropna=dropna).agg(total=("x", "sum"), n=("x", "count"), first_t=("t", "first"),
                                                   top=("t", "max"))
    check(got, expected)


_FIXED = st.integers(1, 4).flatmap(lambda width: st.lists(
    st.text(alphabet="ab\u00e9\u20ac", min_size=width, max_size=width).filter(
        lambda t: len(t.encode()) == width), min_size=1, max_size=4, unique=True))


@settings(max_examples=40, deadline=None)
@given(flags=_FIXED, codes=_FIXED, rows=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1,
                                                 max_size=60), nparts=st.integers(1, 4), one_key=st.booleans())
def test_fixed_width_string_keys_packed_into_integers_match_pandas(flags, codes, rows, nparts, one_key):
    # keys whose strings all have one byte width (flags, codes; UTF-8 included) are grouped by their
    # bytes packed into one integer per row, then restored to strings
    pdf = pd.DataFrame({"f": pd.array([flags[i % len(flags)] for i, _ in rows], dtype="str"),
                        "c": pd.array([codes[j % len(codes)] for _, j in rows], dtype="str"),
                        "x": np.arange(len(rows), dtype="float64") / 7, "n": np.arange(len(rows)) % 5})
    by = ["f"] if one_key else ["f", "c"]
    aggs = dict(total=("x", "sum"), mean=("x", "mean"), sd=("x", "std"), n=("n", "count"), top=("c", "max"),
                first=("n", "first"))
    got = gd.from_pandas(pdf, npartitions=nparts).groupby(by).agg(**aggs)
    check(got, pdf.groupby(by).agg(**aggs))


@needs_pandas_3("dtype 'str' is object dtype, not Arrow strings")
def test_string_key_packing_applies_only_to_fixed_width_keys_without_missing_values():
    from gpuscale.backends.frame.string_keys import pack_string_keys, unpack_index

    frame = pd.DataFrame({"a": pd.array(["x", "y", "x"], dtype="str"), "b": pd.array(["\u20ac1", "ab", "cd"], dtype="str"),
                          "mixed": pd.array(["x", "yy", "x"], dtype="str"), "long": pd.array(["abcde"] * 3, dtype="str"),
                          "gap": pd.array(["x", None, "y"], dtype="str"), "obj": pd.Series(["x", "y", "z"], dtype=object)})
    codes, layout = pack_string_keys(frame, ["a"])
    assert codes.dtype == np.uint8 and list(unpack_index(np.unique(codes), layout)) == ["x", "y"]
    assert pack_string_keys(frame, ["mixed"]) is None  # widths differ
    assert pack_string_keys(frame, ["long", "a", "b"]) is None  # more than 8 bytes in all
    assert pack_string_keys(frame, ["gap"]) is None and pack_string_keys(frame, ["obj"]) is None
    assert pack_string_keys(frame, ["b"]) is None  # "\u20ac1" is 4 bytes, "ab" 2
    codes, layout = pack_string_keys(frame, ["long", "a"])
    restored = unpack_index(codes, layout)
    assert codes.dtype == np.uint64 and list(restored) == list(zip(frame["long"], frame["a"]))
    assert list(restored.names) == ["long", "a"] and restored.levels[0].dtype == frame["long"].dtype


@needs_pandas_3("pandas 2.2's std of times rounds in nanoseconds")
@pytest.mark.parametrize("how", ["mean", "std"])
def test_means_and_deviations_of_times_are_times_as_pandas(backend, how):
    # datetimes cannot be summed: their means and deviations are made of the times as numbers, turned back into
    # times (timedeltas for deviations); they raised "datetime64 type does not support operation 'sum'"
    rng = np.random.default_rng(4)
    n = 90
    keys = rng.integers(0, 5, n)
    keys[7] = 9  # a group whose one value is missing: NaT, as pandas
    pdf = pd.DataFrame({
        "k": keys,
        "t": pd.Series(pd.date_range("2021-03-01", periods=n, freq="37min")).where(rng.random(n) > 0.2),
        "d": pd.Series(pd.to_timedelta(rng.integers(0, 10**6, n), unit="ms")).where(rng.random(n) > 0.2),
        "z": pd.date_range("1969-12-01", periods=n, freq="D", tz="Europe/Berlin"),  # before the epoch, too
        "x": rng.random(n),
    })
    pdf.loc[7, ["t", "d"]] = None
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    for column in ("t", "d", "z"):
        assert_eq(getattr(df.groupby("k")[column], how)(), getattr(pdf.groupby("k")[column], how)())
    assert_eq(getattr(df.groupby("k")[["t", "x"]], how)(), getattr(pdf.groupby("k")[["t", "x"]], how)())
    spec = {"t": ["min", how, "max"], "d": ["sum", how], "x": how}
    assert_eq(df.groupby("k").agg(spec), pdf.groupby("k").agg(spec))
    with pytest.raises(NotImplementedError, match="non-numeric"):
        df.groupby("k")[["t"]].var()  # pandas: no variance of times


@pytest.mark.parametrize("dtype", ["uint64", "int64", "UInt64"])
@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_means_of_64_bit_integers_accumulate_as_floats_as_pandas(backend, dtype, npartitions):
    # pandas sums 64-bit integers in their dtype (wrapping) but accumulates their means and deviations in
    # float64: the mean's integer sum partial wrapped (2**63 + 10 and 2**63 + 20 made a mean of 15)
    if dtype == "UInt64" and backend != "pandas":
        pytest.skip("cuDF has no pandas nullable dtypes")
    big = {"uint64": [2**63 + 10, 2**63 + 20, 2**63, 2**64 - 1, 5, 7], "UInt64": [2**64 - 1, 5, None, 2**63, 2**63, 1],
           "int64": [2**63 - 1, 5, 7, -2**63, -5, 2**62]}[dtype]
    pdf = pd.DataFrame({"k": [0, 0, 1, 2, 2, 2], "u": pd.array(big, dtype=dtype)})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for how in ["sum", "mean", "var", "std", "sem"]:
        assert_eq(getattr(df.groupby("k").u, how)(), getattr(pdf.groupby("k").u, how)(), check_exact=how == "sum")
    spec = ["sum", "mean", "std"]
    assert_eq(df.groupby("k").u.agg(spec), pdf.groupby("k").u.agg(spec))
