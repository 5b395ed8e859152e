"""Proof that projections and predicates reach the parquet scan, and row groups are skipped."""

from __future__ import annotations


import pandas as pd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale
import gpuscale.dataframe as gd
from io_fixtures import pdf, parquet_file  # noqa: F401 (fixtures)
from gpuscale.backends.io import parquet_read as io_parquet_read


@pytest.fixture
def reads(monkeypatch, backend):
    """Record every table read: ``(columns, [(file, row group id), ...])``, by pyarrow or by
    ``cudf.read_parquet`` (cuDF partitions)."""
    log: list = []
    original = io_parquet_read._read_table

    def recording(fragments, schema, columns, filter_expression):
        log.append((list(columns), [(f.path, f.row_groups[0].id) for f in fragments]))
        return original(fragments, schema, columns, filter_expression)

    monkeypatch.setattr(io_parquet_read, "_read_table", recording)
    if backend == "cudf":
        import cudf  # the stand-in on the strict-cudf leg, the real one on the GPU leg

        read_parquet = cudf.read_parquet

        def recording_cudf(paths, **options):
            groups = [(path, rg) for path, ids in zip(paths, options["row_groups"]) for rg in ids]
            log.append((list(options["columns"]), groups))
            return read_parquet(paths, **options)
        monkeypatch.setattr(cudf, "read_parquet", recording_cudf)
    return log


def _leaf(collection):
    (leaf,) = collection.expr.optimize(fuse=False).find_operations(gd.io.ReadParquet)
    return leaf


def test_projection_reaches_the_reader(parquet_file, reads):
    df = gd.read_parquet(parquet_file)
    query = df[["s", "i"]]
    leaf = _leaf(query)
    assert leaf.operand("columns") == ["i", "s"]  # file order; the projection above reorders
    tm.assert_frame_equal(query.compute(), pd.read_parquet(parquet_file)[["s", "i"]])
    assert {tuple(columns) for columns, _ in reads} == {("i", "s")}


def test_filter_column_is_read_only_for_the_scan(parquet_file, reads):
    df = gd.read_parquet(parquet_file)
    query = df[df.f > 0]["s"]
    plan = query.expr.optimize(fuse=False)
    leaf = _leaf(query)
    assert "Filter" not in plan.tree_repr()  # the scan filters exactly
    assert leaf.operand("columns") == ["s"]
    assert leaf.operand("filters") == [("f", ">", 0)]
    expected = pd.read_parquet(parquet_file)
    tm.assert_series_equal(query.compute(), expected.loc[expected.f > 0, "s"])
    assert [sorted(columns) for columns, _ in reads] == [["f", "s"]]


def test_len_reads_no_data_columns(parquet_file, reads):
    df = gd.read_parquet(parquet_file, partition_bytes=1)
    expected = pd.read_parquet(parquet_file)
    assert len(df) == len(df.i) == len(df[["s"]]) == len(expected)
    assert reads == []  # the footers' row counts, as dask's len()
    assert int(df._length().compute()) == len(expected)  # rows counted by a scan: no columns read
    assert {tuple(columns) for columns, _ in reads} == {()}
    reads.clear()
    assert len(df[df.f > 0]) == int((expected.f > 0).sum())  # only the filter's column is scanned
    assert {tuple(columns) for columns, _ in reads} == {("f",)}


def test_len_with_index_column(parquet_file):
    df = gd.read_parquet(parquet_file, index="i")
    assert len(df) == len(pd.read_parquet(parquet_file))


def test_predicate_skips_row_groups(parquet_file, reads):
    df = gd.read_parquet(parquet_file, partition_bytes=1)
    query = df[df.i > 75]
    leaf = _leaf(query)
    assert leaf.operand("filters") == [("i", ">", 75)]
    assert "row_groups=3/10" in query.expr.optimize(fuse=False).tree_repr()
    result = query.compute()
    read = sorted(rg for _, groups in reads for _, rg in groups)
    assert read == [7, 8, 9]  # rows 76..99 live in row groups 7-9
    assert read == _groups_whose_statistics_allow(parquet_file, "i", lambda lo, hi: hi > 75)
    expected = pd.read_parquet(parquet_file)
    tm.assert_frame_equal(result, expected[expected.i > 75])


def _groups_whose_statistics_allow(path, column, may_match):
    metadata = pq.ParquetFile(path).metadata
    j = metadata.schema.names.index(column)
    return [g for g in range(metadata.num_row_groups)
            if may_match(metadata.row_group(g).column(j).statistics.min, metadata.row_group(g).column(j).statistics.max)]


def test_filter_on_unsorted_column_reads_everything_but_filters_exactly(parquet_file, reads):
    df = gd.read_parquet(parquet_file, partition_bytes=1)
    query = df[df.k == 1]
    expected = pd.read_parquet(parquet_file)
    tm.assert_frame_equal(query.compute().reset_index(drop=True),
                          expected[expected.k == 1].reset_index(drop=True))
    assert len([rg for _, groups in reads for rg in groups]) == 10  # every group holds k == 1


def test_user_filters_and_pushed_predicates_combine(parquet_file, reads):
    df = gd.read_parquet(parquet_file, filters=[[("i", "<", 15)], [("i", ">", 85)]], partition_bytes=1)
    query = df[df.f > 0]
    expected = pd.read_parquet(parquet_file)
    mask = ((expected.i < 15) | (expected.i > 85)) & (expected.f > 0)
    tm.assert_frame_equal(query.compute().reset_index(drop=True), expected[mask].reset_index(drop=True))
    read = sorted(rg for _, groups in reads for _, rg in groups)
    assert read == [0, 1, 8, 9]


def test_pushed_not_equal_keeps_missing_values_like_pandas(parquet_file):
    # pandas keeps NaN rows for "!=" (pyarrow alone would drop nulls)
    df = gd.read_parquet(parquet_file)
    query = df[df.f != 0.5]  # (a float column's "!=" stays above the read: statistics leave NaN out)
    expected = pd.read_parquet(parquet_file)
    assert expected.f.isna().sum() > 0
    tm.assert_frame_equal(query.compute(), expected[expected.f != 0.5])


def test_mask_pushdown_keeps_the_index(parquet_file):
    expected = pd.read_parquet(parquet_file)
    df = gd.read_parquet(parquet_file, partition_bytes=1)
    query = df[(df.i > 33) & (df.s == "s2")]
    tm.assert_frame_equal(query.compute(), expected[(expected.i > 33) & (expected.s == "s2")])
    with gpuscale.config.set(optimize=False):
        tm.assert_frame_equal(query.compute(), expected[(expected.i > 33) & (expected.s == "s2")])


def test_explain_shows_the_pushed_leaf(parquet_file, capsys):
    df = gd.read_parquet(parquet_file)
    df[df.i >= 50][["i"]].explain()
    optimized = capsys.readouterr().out.split("Optimized plan:")[1]
    assert "ReadParquet: columns=['i'], filters=[('i', '>=', 50)], row_groups=5/10" in optimized


def test_predicate_pyarrow_cannot_compare_stays_a_filter(parquet_file):
    # pandas compares a datetime column with a string; that term is not applied in the scan
    df = gd.read_parquet(parquet_file)
    query = df[df.d > "2024-01-03"]
    assert "Filter" in query.expr.optimize(fuse=False).tree_repr()
    expected = pd.read_parquet(parquet_file)
    tm.assert_frame_equal(query.compute(), expected[expected.d > "2024-01-03"])


def test_hive_categorical_order_comparison_is_not_pushed(tmp_path, pdf):
    path = str(tmp_path / "hive")
    pdf.to_parquet(path, partition_cols=["k"])
    df = gd.read_parquet(path)
    query = df[df.k == 2]
    leaf = _leaf(query)
    assert leaf.operand("filters") == [("k", "==", 2)]
    expected = pd.read_parquet(path)
    tm.assert_frame_equal(query.compute().reset_index(drop=True),
                          expected[expected.k == 2].reset_index(drop=True))


def test_date_column_predicate_is_pushed(tmp_path, backend):
    import datetime

    path = str(tmp_path / "dates.parquet")
    days = [datetime.date(2020, 1, 1) + datetime.timedelta(days=j) for j in range(60)]
    frame = pd.DataFrame({"day": days, "v": range(60)})
    import pyarrow as pa

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=10)
    df = gd.read_parquet(path, partition_bytes=1)
    cutoff = datetime.date(2020, 2, 10)  # day 40
    expected = pd.read_parquet(path)
    if backend == "cudf":  # cuDF has no date type: it reads dates as datetime64[s], compared with Timestamps
        cutoff, expected = pd.Timestamp(cutoff), expected.astype({"day": "datetime64[s]"})
    query = df[df.day >= cutoff]
    assert "Filter" not in query.expr.optimize(fuse=False).tree_repr()
    assert len(_leaf(query).row_groups_read) == 2
    tm.assert_frame_equal(query.compute(), expected[expected.day >= cutoff])


_OPS = {"==": "__eq__", "!=": "__ne__", "<": "__lt__", "<=": "__le__", ">": "__gt__", ">=": "__ge__"}


@pytest.fixture(scope="module")
def nullable_file(tmp_path_factory):
    import numpy as np

    rng = np.random.default_rng(1)
    n = 60
    frame = pd.DataFrame({
        "n": rng.integers(-5, 5, n),
        "x": np.where(rng.random(n) < 0.2, np.nan, rng.integers(-5, 5, n).astype(float)),
        "t": pd.array([None if j % 7 == 0 else f"v{j % 4}" for j in range(n)], dtype="str"),
    })
    path = str(tmp_path_factory.mktemp("nullable") / "nullable.parquet")
    frame.to_parquet(path, row_group_size=8)
    return path


@settings(max_examples=60, deadline=None)
@given(column=st.sampled_from(["n", "x", "t"]), op=st.sampled_from(sorted(_OPS)),
       number=st.integers(-6, 6), text=st.sampled_from(["v0", "v2", "v9", ""]))
def test_pushed_masks_match_pandas(nullable_file, column, op, number, text):
    value = text if column == "t" else number
    expected = pd.read_parquet(nullable_file)
    df = gd.read_parquet(nullable_file, partition_bytes=1)
    query = df[getattr(df[column], _OPS[op])(value)]
    tm.assert_frame_equal(query.compute(), expected[getattr(expected[column], _OPS[op])(value)])


def test_isin_is_pushed_into_the_scan(parquet_file, reads):
    df = gd.read_parquet(parquet_file)
    expected = pd.read_parquet(parquet_file)
    values = sorted(set(expected.s))[:2]
    query = df[df.s.isin(values) & (df.i >= 0)]
    plan = query.expr.optimize(fuse=False)
    assert _leaf(query).filters == [("s", "in", tuple(values)), ("i", ">=", 0)]
    assert "Filter" not in plan.tree_repr()  # pyarrow's is_in keeps exactly the rows isin keeps
    tm.assert_frame_equal(query.compute(), expected[expected.s.isin(values) & (expected.i >= 0)])


def test_isin_of_values_pyarrow_would_treat_differently_stays_a_filter(nullable_file):
    df = gd.read_parquet(nullable_file)
    for column, values in [("x", [1.0, float("nan")]), ("n", [1, 2.5]), ("t", ["v1", None]), ("n", ["v1"])]:
        query = df[df[column].isin(values)]
        assert "Filter" in query.expr.optimize(fuse=False).tree_repr(), (column, values)


@settings(max_examples=60, deadline=None)
@given(column=st.sampled_from(["n", "x", "t"]),
       values=st.lists(st.one_of(st.integers(-6, 6), st.sampled_from([0.5, float("nan"), None, "v0", "v2", "v9"])),
                       max_size=4))
def test_pushed_isin_matches_pandas(nullable_file, column, values):
    expected = pd.read_parquet(nullable_file)
    df = gd.read_parquet(nullable_file, partition_bytes=1)
    mask = expected[column].isin(values)
    tm.assert_frame_equal(df[df[column].isin(values)].compute(), expected[mask])


def _partition_one(frame, pframe):
    lo, hi = frame.divisions[1], frame.divisions[2]
    last = frame.npartitions == 2  # the last partition holds its upper division too
    return frame.partitions[1].i, pframe[(pframe.index >= lo) & ((pframe.index <= hi) if last else (pframe.index < hi))].i


@pytest.mark.parametrize("select", [
    lambda d, p: (d.loc[75:80].i, p.loc[75:80].i),
    lambda d, p: (d.loc[30:50], p.loc[30:50]),
    lambda d, p: (d.loc[[25, 40, 41]].f, p.loc[[25, 40, 41]].f),
    _partition_one,
    lambda d, p: (d.repartition(npartitions=3).i, p.i),
])
@pytest.mark.parametrize("partition_bytes", [1, 3000])
def test_pushdowns_keep_the_partitions_row_selections_were_planned_on(parquet_file, backend, select, partition_bytes):
    # loc, partitions[i] and repartition pick partitions by number when they are built; the projection and the
    # filter pushed into the read later must not renumber them (loc[30:50] of a filtered read gave rows 50-69,
    # loc[75:80].i of byte-sized partitions failed)
    expected = pd.read_parquet(parquet_file)
    df = gd.read_parquet(parquet_file, partition_bytes=partition_bytes)
    for frame, pframe in ((df, expected), (df[df.i > 20], expected[expected.i > 20])):
        got, want = select(frame, pframe)
        tm.assert_series_equal(got.compute(), want) if isinstance(want, pd.Series) else \
            tm.assert_frame_equal(got.compute(), want)


def test_pushed_filters_skip_row_groups_in_the_read_tasks(parquet_file, reads):
    df = gd.read_parquet(parquet_file, partition_bytes=1)
    query = df[df.i >= 75]
    assert query.npartitions == df.npartitions == 10  # the partitions stay; the read tasks skip row groups
    tm.assert_frame_equal(query.compute(), pd.read_parquet(parquet_file).query("i >= 75"))
    assert sorted(rg for _, groups in reads for _, rg in groups) == [7, 8, 9]


@pytest.mark.parametrize("dtype_backend", [None, "numpy_nullable", "pyarrow"])
def test_not_equal_drops_missing_values_of_nullable_columns(tmp_path, backend, dtype_backend):
    """pandas' ``!=`` keeps a NaN (NaN != x is True) and drops an NA (NA != x is missing): the scan keeps both,
    and for NA columns the mask runs too (the pushed ``!=`` kept NA rows pandas drops)."""
    path = tmp_path / "nullable.parquet"
    pd.DataFrame({"I": pd.array([1, 2, None], dtype="Int64"), "s": pd.array(["a", "b", None], dtype="string"),
                  "f": pd.array([1.0, 2.0, None], dtype="Float64"), "x": [1.0, 2.0, float("nan")]}).to_parquet(path)
    options = {} if dtype_backend is None else {"dtype_backend": dtype_backend}
    if backend == "cudf" and options:
        pytest.skip("cuDF reads its own dtypes")
    # (the stand-in holds cuDF's integer columns in NumPy's, which have no missing value)
    columns = ["s", "f", "x"] if backend == "cudf" else ["I", "s", "f", "x"]
    expected, df = pd.read_parquet(path, columns=columns, **options), gd.read_parquet(path, columns=columns, **options)
    if backend == "cudf":  # cuDF reads the Float64 column as float64: a float's "!=" is not pushed, keeps its null
        expected = expected.astype({"f": "float64"})
    for column, value in (("I", 2), ("s", "a"), ("f", 1.0), ("x", 2.0)):
        if column in columns:
            got = to_host(df[df[column] != value].compute())
            assert list(got.index) == list(expected[expected[column] != value].index), column
            # the compared column projected away: its dtype still decides (the NA rows were kept)
            other = "x" if column != "x" else "f"
            projected = to_host(df[df[column] != value][other].compute())
            assert list(projected.index) == list(expected[expected[column] != value].index), column
            assert len(df[df[column] != value]) == len(expected[expected[column] != value]), column


def test_pushed_masks_compare_as_pandas_at_the_edges(tmp_path, backend):
    """Masks pyarrow would answer otherwise than pandas: a float32 column with a Python float (pandas rounds the
    number to float32, pyarrow widened the column: ``x == 0.1`` kept nothing), ``isin`` of 0 with -0.0 stored
    (pyarrow's hashes tell them apart), NaT and day-unit ``datetime64`` literals (they raised)."""
    import numpy as np

    frame = pd.DataFrame({"x": np.array([0.1, 0.5, 1.0, -0.0], dtype="float32"), "f": [0.0, -0.0, 1.0, 2.0],
                          "t": pd.to_datetime(["2022-01-03", None, "2022-01-05", "2022-01-02"])})
    frame.to_parquet(tmp_path / "e.parquet")
    df = gd.read_parquet(tmp_path / "e.parquet", backend=backend)
    masks = [lambda d: d.x == 0.1, lambda d: d.x > 0.1, lambda d: d.x.isin([0.1, 0.5]), lambda d: d.x.isin([0]),
             lambda d: d.f.isin([0.0]), lambda d: d.f.isin([0, 1]), lambda d: d.t == pd.NaT,
             lambda d: d.t != pd.NaT, lambda d: d.t > np.datetime64("2022-01-03")]
    if backend == "pandas":  # (cuDF's isin does not match NaT with its nulls)
        masks.append(lambda d: d.t.isin([pd.NaT]))
    for mask in masks:
        tm.assert_frame_equal(to_host(df[mask(df)].compute()), frame[mask(frame)])
