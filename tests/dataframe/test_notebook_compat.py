"""What dask's example and tutorial notebooks use (benchmarks/notebooks_compat.py runs them), checked
against dask.dataframe / pandas: ``gpuscale.datasets.timeseries``, ``dd.demo.make_timeseries`` ..."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

import gpuscale
import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")


@needs_pandas_3("dask turns 'string' into Arrow strings under pandas 2")
def test_timeseries_same_rows_as_dask(backend):
    ours = gpuscale.datasets.timeseries(end="2000-01-05", freq="5min", seed=7)
    theirs = dask.datasets.timeseries(end="2000-01-05", freq="5min", seed=7)
    assert ours.npartitions == theirs.npartitions == 4
    assert tuple(ours.divisions) == tuple(theirs.divisions)
    assert list(ours.columns) == list(theirs.columns)
    assert dict(ours.dtypes) == dict(theirs.dtypes)
    pd.testing.assert_frame_equal(to_host(ours.compute()), theirs.compute(), check_dtype=backend == "pandas")
    assert_eq(ours.x, theirs.x.compute())  # a projected column keeps its values


def test_timeseries_seed_from_numpy_global_state():
    np.random.seed(3)
    ours = gpuscale.datasets.timeseries(end="2000-01-03", freq="1h")
    np.random.seed(3)
    theirs = dask.datasets.timeseries(end="2000-01-03", freq="1h")
    pd.testing.assert_frame_equal(to_host(ours.compute()), theirs.compute(), check_dtype=False)


def test_timeseries_dtypes_and_column_options(backend):
    kwargs = dict(start="2000-01-01", end="2000-01-03", freq="2h", partition_freq="12h", seed=1,
                  dtypes={"value": float, "name": str, "id": int, "c": "category"}, id_lam=10)
    ours = gpuscale.datasets.timeseries(**kwargs)
    theirs = dask.datasets.timeseries(**kwargs)
    assert ours.npartitions == 4
    expected = theirs.compute()
    got = to_host(ours.compute())
    pd.testing.assert_frame_equal(got.astype({"name": object, "c": object}),
                                  expected.astype({"name": object, "c": object}))
    assert got.id.mean() < 20  # id_lam reached the int column


def test_demo_make_timeseries(backend):
    demo = gd.demo  # dd.demo.make_timeseries, as dask.dataframe's

    kwargs = dict(start="2000", end="2000-03-01", dtypes={"value": float, "name": str, "id": int},
                  freq="2h", partition_freq="1D", seed=1)
    ours = demo.make_timeseries(**kwargs)
    theirs = dd.demo.make_timeseries(**kwargs)
    assert ours.npartitions == theirs.npartitions
    pd.testing.assert_frame_equal(to_host(ours.compute()).astype({"name": object}),
                                  theirs.compute().astype({"name": object}))


def test_timeseries_refuses_unknown_dtype():
    with pytest.raises(TypeError, match="no generator"):
        gpuscale.datasets.timeseries(dtypes={"a": complex})


def test_dask_attribute_is_the_task_graph(pdf):
    df = gd.from_pandas(pdf, npartitions=3)
    graph = df.x.sum().dask
    assert isinstance(graph, dict) and graph
    assert all(k in graph for k in gpuscale.graph.flatten_keys(df.x.sum().__dask_keys__()))


def test_visualize_is_dasks(pdf, tmp_path, monkeypatch):
    """``visualize`` is ``dask.visualize`` of the collection: dask's error without graphviz, dask's drawing with it."""
    import dask.base

    df = gd.from_pandas(pdf, npartitions=3)
    seen = {}

    def fake_visualize(*args, **kwargs):
        seen.update(args=args, kwargs=kwargs)
        return "drawn"

    monkeypatch.setattr(dask.base, "visualize", fake_visualize)
    assert df.x.sum().visualize(filename=None, engine="cytoscape", tasks=True) == "drawn"
    assert set(seen["args"][0].__dask_graph__()) == set(df.x.sum().__dask_graph__())
    assert seen["kwargs"] == {"filename": None, "format": None, "optimize_graph": False, "engine": "cytoscape"}
    monkeypatch.undo()
    try:
        import graphviz  # noqa: F401
    except ImportError:
        dask_df = dd.from_pandas(pdf, npartitions=3)
        with pytest.raises(RuntimeError) as theirs:
            dask_df.visualize(tasks=True)
        with pytest.raises(RuntimeError) as ours:
            df.visualize()
        assert str(ours.value) == str(theirs.value)


def test_parquet_engine_keyword(pdf, tmp_path):
    df = gd.from_pandas(pdf.drop(columns="t"), npartitions=2)
    df.to_parquet(tmp_path / "a.parquet", engine="pyarrow")
    assert_eq(gd.read_parquet(tmp_path / "a.parquet", engine="pyarrow"), pdf.drop(columns="t"))
    with pytest.raises(ValueError, match="fastparquet"):
        gd.read_parquet(tmp_path / "a.parquet", engine="fastparquet")
    with pytest.raises(ValueError, match="fastparquet"):
        df.to_parquet(tmp_path / "b.parquet", engine="fastparquet")


@pytest.mark.parametrize("rule,kwargs", [("1h", {}), ("24h", {}), ("7D", {}), ("90min", {"closed": "right"}),
                                         ("3h", {"label": "right"})])
@pytest.mark.parametrize("how", ["mean", "sum", "count", "std", "first", "max", "size"])
def test_resample_as_dask(backend, rule, kwargs, how):
    ours = gpuscale.datasets.timeseries(end="2000-01-16", freq="20min", seed=2)
    theirs = dask.datasets.timeseries(end="2000-01-16", freq="20min", seed=2)
    got = getattr(ours[["x", "y"]].resample(rule, **kwargs), how)()
    expected = getattr(theirs[["x", "y"]].resample(rule, **kwargs), how)()
    assert tuple(got.divisions) == tuple(expected.divisions)
    pandas_result = getattr(to_host(ours[["x", "y"]].compute()).resample(rule, **kwargs), how)()
    # cuDF's concat sets the index's freq from DatetimeIndex.inferred_freq, which refuses 7-day steps ("Can't
    # infer anchored week"), so weekly bins come back without pandas' freq=7D (as with dask-cudf)
    assert_eq(got, pandas_result, check_freq=backend != "cudf" or rule != "7D")
    # dask's last partition runs on to the last division (2000-01-16, after the last row): a bin pandas has not
    expected = expected.compute()
    assert len(expected) - len(pandas_result) in (0, 1)
    assert_eq(got, expected.loc[pandas_result.index])
    assert_eq(getattr(ours.x.resample(rule, **kwargs), how)(),
              getattr(to_host(ours.x.compute()).resample(rule, **kwargs), how)())


def test_resample_agg_and_more(backend):
    ours = gpuscale.datasets.timeseries(end="2000-01-04", freq="10min", seed=3)
    pdf = to_host(ours.compute())
    assert_eq(ours.resample("2h").agg({"x": "mean", "y": "max"}), pdf.resample("2h").agg({"x": "mean", "y": "max"}))
    assert_eq(ours.x.resample("5h").median(), pdf.x.resample("5h").median())
    assert_eq(ours[["x"]].resample("1D").nunique(), pdf[["x"]].resample("1D").nunique())


def test_resample_gaps_between_partitions():
    """Empty bins at a partition boundary are filled (0 for counts, NaN else), as pandas."""
    index = pd.to_datetime(["2000-01-01 00:10", "2000-01-01 01:20", "2000-01-01 05:00", "2000-01-01 06:30"])
    pdf = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}, index=index)
    df = gd.from_pandas(pdf, npartitions=2)
    assert_eq(df.resample("1h").count(), pdf.resample("1h").count())
    assert_eq(df.resample("1h").sum(), pdf.resample("1h").sum())
    assert_eq(df.x.resample("1h").mean(), pdf.x.resample("1h").mean())


def test_resample_needs_known_datetime_divisions(pdf):
    with pytest.raises(ValueError, match="known divisions"):
        gd.from_pandas(pdf, npartitions=2, sort=False).set_index("t", sorted=True).clear_divisions().resample("1h")
    with pytest.raises(TypeError, match="datetime index"):
        gd.from_pandas(pdf, npartitions=2).resample("1h")


def test_to_csv_returns_the_files_named_as_dask(tmp_path, monkeypatch):
    pdf = pd.DataFrame({"x": range(24), "y": [f"s{i}" for i in range(24)]})
    ours = gd.from_pandas(pdf, npartitions=12).to_csv(str(tmp_path / "ours" / "ddf*.csv"), index=False)
    theirs = dd.from_pandas(pdf, npartitions=12).to_csv(str(tmp_path / "theirs" / "ddf*.csv"), index=False)
    assert [p.replace("/ours/", "/theirs/") for p in ours] == theirs
    assert [os.path.basename(p) for p in ours][:3] == ["ddf00.csv", "ddf01.csv", "ddf02.csv"]
    monkeypatch.chdir(tmp_path)
    single = gd.from_pandas(pdf, npartitions=3).to_csv("one.csv", single_file=True, index=False)
    assert single == [str(tmp_path / "one.csv")]
    pd.testing.assert_frame_equal(pd.read_csv(single[0]), pdf)


def test_map_partitions_meta_given_as_a_dtype(pdf):
    """dask's ``meta="float"`` (a dtype, not a ``(name, dtype)``) for a function giving a Series: a Series,
    assignable as a column; a function giving one value per partition still gives a Series of them."""

    def dist(df, a, b):
        return np.sqrt((df[a] - df[a].shift()) ** 2 + (df[b] - df[b].shift()) ** 2)

    frame = pdf[["x", "y"]].astype(float)
    ours = gd.from_pandas(frame, npartitions=4)
    theirs = dd.from_pandas(frame, npartitions=4)
    ours["col"] = ours.map_partitions(dist, a="x", b="y", meta="float")
    theirs["col"] = theirs.map_partitions(dist, a="x", b="y", meta="float")
    assert_eq(ours, theirs.compute())
    assert to_host(ours.map_partitions(len, meta=int).compute()).tolist() == \
        theirs.map_partitions(len, meta=int).compute().tolist()


def test_groupby_apply_meta_without_index_joins_on_the_keys(backend):
    """dask-examples 03: ``gb[col].apply(f, meta=pd.Series(dtype=object, name=...))`` joined to ``gb.size()``:
    the declared meta has no index, the result is labelled by the groups (and named as declared)."""
    ours = gpuscale.datasets.timeseries(end="2000-01-04", freq="10min", seed=4)
    theirs = dask.datasets.timeseries(end="2000-01-04", freq="10min", seed=4)
    results = []
    for frame in (ours, theirs):
        grouped = frame.groupby(frame.name)
        att = grouped["id"].apply(lambda s: s.nunique(), meta=pd.Series(dtype="object", name="id_att"))
        results.append(grouped.size().to_frame(name="Weight").join(att.to_frame(), how="left"))
    got = to_host(results[0].compute()).sort_index()
    expected = results[1].compute().sort_index()
    assert list(got.columns) == ["Weight", "id_att"]
    pd.testing.assert_frame_equal(got.astype({"id_att": "int64"}), expected.astype({"id_att": "int64"}),
                                  check_index_type=False)


def test_groupby_key_column_as_attribute(pdf):
    """dask-tutorial 01: ``ddf.groupby("Origin").Origin.count()`` (the key column selected by attribute)."""
    df = gd.from_pandas(pdf, npartitions=3)
    assert_eq(df.groupby("j").j.count(), pdf.groupby("j").j.count())
    assert_eq(df[df.x > 0].groupby("k").k.count(), pdf[pdf.x > 0].groupby("k").k.count())
