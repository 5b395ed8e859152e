"""read_sql_table / read_sql_query / read_sql / to_sql against pandas and dask.dataframe on the same SQLite
databases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host
from tests.pandas_versions import needs_pandas_3

sa = pytest.importorskip("sqlalchemy")
dd = pytest.importorskip("dask.dataframe")


@pytest.fixture
def people():
    rng = np.random.default_rng(11)
    n = 60
    return pd.DataFrame({"name": rng.choice(["ann", "bob", "cy"], n), "age": rng.integers(1, 90, n),
                         "score": rng.normal(size=n),
                         "seen": pd.date_range("2024-01-01", periods=n, freq="37h")},
                        index=pd.Index(np.arange(n) * 3, name="id"))


@pytest.fixture
def uri(tmp_path, people):
    uri = f"sqlite:///{tmp_path / 'db.sqlite'}"
    people.to_sql("people", uri)
    return uri


def _same(ours, theirs):
    tm.assert_frame_equal(to_host(ours.compute()), theirs.compute(), check_dtype=False)


@pytest.mark.parametrize("options", [{}, {"npartitions": 4}, {"divisions": [0, 50, 100, 177]},
                                     {"limits": (30, 120), "npartitions": 3}, {"columns": ["score"]},
                                     {"bytes_per_chunk": 600}])
@needs_pandas_3("dask sizes text as Arrow strings under pandas 2 (other partition counts)")
def test_read_sql_table_partitions_and_rows_as_dask(uri, people, options):
    ours = gd.read_sql_table("people", uri, index_col="id", parse_dates=["seen"], **options)
    theirs = dd.read_sql_table("people", uri, index_col="id", parse_dates=["seen"], **options)
    assert ours.divisions == theirs.divisions and ours.known_divisions
    _same(ours, theirs)
    want = people if "columns" not in options else people[options["columns"]]
    if "limits" in options:
        want = want.loc[30:120]
    tm.assert_frame_equal(to_host(ours.compute()), want, check_dtype=False)


def test_read_sql_query_and_read_sql(uri, people):
    query = sa.select(sa.column("id"), sa.column("age")).where(sa.column("age") > 40).select_from(
        sa.table("people"))
    ours = gd.read_sql_query(query, uri, index_col="id", npartitions=3)
    _same(ours, dd.read_sql_query(query, uri, index_col="id", npartitions=3))
    tm.assert_frame_equal(to_host(ours.compute()), people.loc[people.age > 40, ["age"]], check_dtype=False)
    tm.assert_frame_equal(to_host(gd.read_sql(query, uri, "id", npartitions=2).compute()),
                          to_host(ours.compute()))
    tm.assert_frame_equal(to_host(gd.read_sql("people", uri, "id", columns=["age"]).compute()),
                          people[["age"]], check_dtype=False)
    empty = sa.select(sa.column("id"), sa.column("age")).where(sa.column("age") > 1000).select_from(
        sa.table("people"))
    got = gd.read_sql_query(empty, uri, index_col="id")
    assert got.npartitions == 1 and len(got.compute()) == 0


def test_meta_and_head_rows_zero_cast_every_partition(uri, people):
    meta = people[["age"]].iloc[:0].astype({"age": "float32"})
    got = gd.read_sql_table("people", uri, index_col="id", columns=["age"], meta=meta, head_rows=0,
                            npartitions=3)
    assert got.dtypes["age"] == np.float32
    assert to_host(got.compute()).age.dtype == np.float32


def test_bad_arguments_are_named(uri):
    with pytest.raises(TypeError, match="either 'divisions' or 'npartitions'"):
        gd.read_sql_table("people", uri, "id", divisions=[0, 10], npartitions=2)
    with pytest.raises(ValueError, match="meta="):
        gd.read_sql_table("people", uri, "id", head_rows=0, npartitions=2)
    with pytest.raises(ValueError, match="Selectable"):
        gd.read_sql_query("SELECT * FROM people", uri, "id")
    with pytest.raises(TypeError, match="URI string"):
        gd.read_sql_table("people", sa.create_engine(uri), "id")
    with pytest.raises(TypeError, match="numeric or datetime"):
        gd.read_sql_table("people", uri, "name")
    with pytest.raises(ValueError, match="no column 'nope'"):
        gd.read_sql_table("people", uri, "id", columns=["nope"])
    names = gd.read_sql_table("people", uri, "name", divisions=["ann", "bob", "cy"])  # strings: given divisions
    assert names.npartitions == 2 and len(names.compute()) == 60


@pytest.mark.parametrize("parallel", [False, True])
def test_to_sql_roundtrip_if_exists_and_lazy(tmp_path, people, parallel):
    uri = f"sqlite:///{tmp_path / 'out.sqlite'}"
    df = gd.from_pandas(people, npartitions=3)
    df.to_sql("t", uri, parallel=parallel)  # parallel: the partitions' rows go in, in any order
    tm.assert_frame_equal(pd.read_sql_table("t", uri, index_col="id", parse_dates=["seen"]).sort_index(), people,
                          check_dtype=False)
    with pytest.raises(ValueError, match="already exists"):
        df.to_sql("t", uri)
    df.to_sql("t", uri, if_exists="append", parallel=parallel)
    assert len(pd.read_sql_table("t", uri)) == 120
    df.to_sql("t", uri, if_exists="replace", index=False, parallel=parallel)
    assert list(pd.read_sql_table("t", uri).columns) == ["name", "age", "score", "seen"]
    job = df.age.to_sql("ages", uri, compute=False, parallel=parallel)
    assert not sa.inspect(sa.create_engine(uri)).has_table("ages")
    assert len(job.compute()) == 3  # what each partition's write returned, as dask
    tm.assert_series_equal(pd.read_sql_table("ages", uri, index_col="id").age.sort_index(), people.age,
                           check_dtype=False)
    back = gd.read_sql_table("t", uri, "age", npartitions=2)
    theirs = dd.read_sql_table("t", uri, "age", npartitions=2)
    assert back.divisions == theirs.divisions


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(st.integers(-50, 50), min_size=1, max_size=40, unique=True), npartitions=st.integers(1, 6))
def test_every_row_once_whatever_the_ranges(tmp_path_factory, ids, npartitions):
    uri = f"sqlite:///{tmp_path_factory.mktemp('db') / 'h.sqlite'}"
    frame = pd.DataFrame({"v": np.arange(len(ids)) * 1.5}, index=pd.Index(ids, name="k"))
    frame.to_sql("h", uri)
    ours = gd.read_sql_table("h", uri, "k", npartitions=npartitions)
    theirs = dd.read_sql_table("h", uri, "k", npartitions=npartitions)
    assert ours.divisions == theirs.divisions
    tm.assert_frame_equal(to_host(ours.compute()), frame.sort_index(), check_dtype=False)


def test_sql_and_orc_on_worker_processes(tmp_path, people):
    # queries (SQLAlchemy selectables), read specs and the ORC pieces travel to other processes by pickle
    skip_on_stand_in("worker processes import no stand-in")
    distributed = pytest.importorskip("distributed")
    uri = f"sqlite:///{tmp_path / 'db.sqlite'}"
    people.to_sql("people", uri)
    query = sa.select(sa.column("id"), sa.column("score")).where(sa.column("age") > 30).select_from(
        sa.table("people"))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        got = gd.read_sql_query(query, uri, index_col="id", npartitions=3).compute(scheduler=client)
        job = gd.from_pandas(people, npartitions=2).to_sql("copy", uri, compute=False)
        job.compute(scheduler=client)
        gd.from_pandas(people, npartitions=2).to_orc(str(tmp_path / "orc"), compute_kwargs={"scheduler": client})
        orc = gd.read_orc(str(tmp_path / "orc"), index="id").compute(scheduler=client)
    tm.assert_frame_equal(got, people.loc[people.age > 30, ["score"]])
    tm.assert_frame_equal(pd.read_sql_table("copy", uri, index_col="id", parse_dates=["seen"]), people,
                          check_dtype=False)
    tm.assert_frame_equal(orc, people, check_dtype=False, check_index_type=False)


def test_projected_queries_match_pandas(uri, people):
    df = gd.read_sql_table("people", uri, index_col="id", npartitions=3, parse_dates=["seen"])
    assert float(df.score.sum().compute()) == pytest.approx(people.score.sum())
    tm.assert_frame_equal(to_host(df[["age", "name"]].compute()), people[["age", "name"]], check_dtype=False)
    assert len(df) == len(people)
    query = sa.select(sa.column("id"), sa.column("age"), sa.column("score")).select_from(sa.table("people"))
    got = gd.read_sql_query(query, uri, index_col="id", npartitions=2)
    tm.assert_series_equal(to_host(got.score.compute()), people.score)
