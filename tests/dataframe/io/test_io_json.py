"""read_json / to_json / read_table / Series.to_csv against pandas and dask.dataframe on the same files."""

from __future__ import annotations

import gzip
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.backends.io import JsonDtypeError
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

dd = pytest.importorskip("dask.dataframe")


@pytest.fixture
def frame():
    rng = np.random.default_rng(5)
    n = 200
    return pd.DataFrame({"a": np.arange(n), "b": rng.normal(size=n), "c": rng.choice(["x", "yy", "zzz"], n)})


@pytest.fixture
def lines_file(tmp_path, frame):
    path = str(tmp_path / "data.json")
    frame.to_json(path, orient="records", lines=True)
    return path


def _whole(df):
    return to_host(df.compute()).reset_index(drop=True)


@pytest.mark.parametrize("blocksize", [None, 300, 1000, 10**6])
def test_read_json_lines_blocks(lines_file, frame, blocksize):
    df = gd.read_json(lines_file, blocksize=blocksize)
    if blocksize == 300:
        assert df.npartitions > 5
    tm.assert_frame_equal(_whole(df), frame, check_dtype=False)
    theirs = dd.read_json(lines_file, blocksize=blocksize).compute().reset_index(drop=True)
    tm.assert_frame_equal(_whole(df), theirs, check_dtype=False)


def test_read_json_orients_and_files(tmp_path, frame):
    for i in range(3):
        frame.iloc[i * 50:(i + 1) * 50].to_json(str(tmp_path / f"p{i}.json"), orient="columns")
    df = gd.read_json(str(tmp_path / "*.json"), orient="columns")
    assert df.npartitions == 3
    expected = pd.concat(pd.read_json(str(tmp_path / f"p{i}.json"), orient="columns") for i in range(3))
    tm.assert_frame_equal(to_host(df.compute()).sort_values("a"), expected.sort_values("a"), check_dtype=False)
    with pytest.raises(ValueError, match="orient='records'"):
        gd.read_json(str(tmp_path / "*.json"), orient="columns", lines=True)


def test_read_json_compressed_and_path_column(tmp_path, frame):
    path = str(tmp_path / "data.json.gz")
    with gzip.open(path, "wt") as f:
        f.write(frame.to_json(orient="records", lines=True))
    df = gd.read_json(path, include_path_column=True, path_converter=os.path.basename)
    got = _whole(df)
    tm.assert_frame_equal(got.drop(columns="path"), frame, check_dtype=False)
    assert set(got["path"]) == {"data.json.gz"}
    theirs = dd.read_json(path, include_path_column=True, path_converter=os.path.basename).compute()
    assert list(theirs.columns) == list(got.columns)
    with pytest.raises(ValueError, match="blocksize"):
        gd.read_json(path, blocksize=100)


@pytest.mark.parametrize("compression", [None, "gzip"])
def test_to_json_round_trip(tmp_path, frame, backend, compression):
    df = gd.from_pandas(frame, npartitions=4, backend=backend)
    written = df.to_json(str(tmp_path / "out"), compression=compression)
    assert [os.path.basename(p) for p in written] == ["0.part", "1.part", "2.part", "3.part"]
    back = gd.read_json(str(tmp_path / "out" / "*.part"), compression=compression)
    tm.assert_frame_equal(_whole(back), frame, check_dtype=False)
    theirs = dd.read_json(str(tmp_path / "out" / "*.part"), compression=compression).compute()
    tm.assert_frame_equal(theirs.reset_index(drop=True), frame, check_dtype=False)


def test_to_json_pattern_lazy_and_overwrite(tmp_path, frame):
    df = gd.from_pandas(frame, npartitions=2)
    job = gd.to_json(df, str(tmp_path / "o" / "part-*.json"), name_function=lambda i: f"{i:03d}", compute=False)
    assert not os.path.exists(tmp_path / "o")
    job.compute()
    assert sorted(os.listdir(tmp_path / "o")) == ["part-000.json", "part-001.json"]
    padded = {"name_function": lambda i: f"{i:03d}"}
    with pytest.raises(FileExistsError, match="holds 'part-000.json', 'part-001.json'.*overwrite=True"):
        gd.to_json(df, str(tmp_path / "o" / "part-*.json"), **padded)
    gd.to_json(df, str(tmp_path / "o" / "part-*.json"), overwrite=True, **padded)  # replaces those two
    gd.to_json(df, str(tmp_path / "o" / "part-*.json"))  # other names: added beside them, as dask
    assert sorted(os.listdir(tmp_path / "o")) == ["part-0.json", "part-000.json", "part-001.json", "part-1.json"]
    ours = pd.read_json(str(tmp_path / "o" / "part-0.json"), lines=True)
    dd.from_pandas(frame, npartitions=2).to_json(str(tmp_path / "d" / "part-*.json"))
    tm.assert_frame_equal(ours, pd.read_json(str(tmp_path / "d" / "part-0.json"), lines=True))


def test_series_to_json_and_to_csv(tmp_path, frame, backend):
    s = gd.from_pandas(frame.b, npartitions=3, backend=backend)
    s.to_json(str(tmp_path / "j"))
    back = pd.concat(pd.read_json(str(tmp_path / "j" / f"{i}.part"), lines=True, typ="series") for i in range(3))
    np.testing.assert_allclose(back.to_numpy(), frame.b.to_numpy())
    s.to_csv(str(tmp_path / "s.csv"), single_file=True)
    tm.assert_frame_equal(pd.read_csv(str(tmp_path / "s.csv"), index_col=0), frame[["b"]])
    dd.from_pandas(frame.b, npartitions=3).to_csv(str(tmp_path / "d.csv"), single_file=True)
    assert (tmp_path / "s.csv").read_text() == (tmp_path / "d.csv").read_text()


def test_read_table(tmp_path, frame):
    path = str(tmp_path / "t.tsv")
    frame.to_csv(path, sep="\t", index=False)
    df = gd.read_table(path, blocksize=500)
    assert df.npartitions > 1
    tm.assert_frame_equal(_whole(df), pd.read_table(path), check_dtype=False)
    tm.assert_frame_equal(_whole(df), dd.read_table(path, blocksize=500).compute().reset_index(drop=True),
                          check_dtype=False)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.integers(-10**6, 10**6), st.text("abc \"\\é", max_size=8)), min_size=1,
                     max_size=40),
       blocksize=st.integers(8, 200))
def test_blocks_read_every_line_once(tmp_path, rows, blocksize):
    frame = pd.DataFrame(rows, columns=["n", "s"])
    path = str(tmp_path / "h.json")
    frame.to_json(path, orient="records", lines=True, force_ascii=False)
    got = _whole(gd.read_json(path, blocksize=blocksize, backend="pandas", dtype={"s": object}))
    tm.assert_frame_equal(got, pd.read_json(path, lines=True, dtype={"s": object}), check_dtype=False)


def test_engine_cudf_is_cudf_s_reader(lines_file, frame, backend):
    """dask_cudf's ``read_json(engine="cudf")``: cuDF partitions read by cuDF's reader (as without it); with
    pandas partitions it is refused naming the backend (pandas had no such engine)."""
    if backend == "cudf":
        tm.assert_frame_equal(_whole(gd.read_json(lines_file, engine="cudf", backend="cudf")), frame,
                              check_dtype=False)
    else:
        with pytest.raises(ValueError, match="engine='cudf' reads cuDF partitions, but the backend is 'pandas'"):
            gd.read_json(lines_file, engine="cudf", backend=backend)


def test_aggregate_files(tmp_path, frame, backend):
    """dask_cudf's ``aggregate_files``: ``n`` files per partition, or (True) as many as fit in ``blocksize``;
    the rows are every file's, in order, with their path column."""
    for i in range(5):
        frame.iloc[i * 40:(i + 1) * 40].to_json(tmp_path / f"part-{i}.json", orient="records", lines=True)
    pattern = str(tmp_path / "part-*.json")
    pairs = gd.read_json(pattern, aggregate_files=2, backend=backend)
    assert pairs.npartitions == 3
    tm.assert_frame_equal(_whole(pairs), frame, check_dtype=False)
    together = gd.read_json(pattern, aggregate_files=True, blocksize="1 GiB", backend=backend)
    assert together.npartitions == 1
    tm.assert_frame_equal(_whole(together), frame, check_dtype=False)
    with_path = gd.read_json(pattern, aggregate_files=2, include_path_column="file", backend=backend)
    assert to_host(with_path.compute())["file"].nunique() == 5
    with pytest.raises(ValueError, match="aggregate_files must be True or a positive number"):
        gd.read_json(pattern, aggregate_files=-1, backend=backend)


def test_blocks_of_missing_values_take_the_first_blocks_dtypes(tmp_path):
    """A block whose column holds only missing values takes the collection's dtype (it came back object/float64
    under str metadata, so ``.str`` failed on it); ints under floats are cast, other values stay as read."""
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1.5, "s": "x"}\n{"a": 2.5, "s": "y"}\n{"a": 3, "s": null}\n{"a": null, "s": null}\n')
    df = gd.read_json(str(path), lines=True, blocksize=20)
    expected = pd.read_json(path, lines=True)
    computed = df.compute()
    assert list(computed.dtypes) == list(df._meta.dtypes)
    assert list(to_host(df.s.str.upper().compute()))[:2] == ["X", "Y"]
    if not hasattr(computed, "to_pandas"):  # (cuDF has its own text dtype)
        assert list(computed.dtypes) == list(expected.dtypes)


def _lines(path, rows):
    path.write_text("".join(rows))
    return str(path)


SETTLED_ROWS = {  # the first two rows: the first block (or file)
    "text after nulls": ['{"a": 1, "b": null}\n', '{"a": 2, "b": null}\n', '{"a": 3, "b": "x"}\n',
                         '{"a": 4, "b": "y"}\n'],
    "floats after ints": ['{"a": 1, "b": 1}\n', '{"a": 2, "b": 2}\n', '{"a": 3, "b": 2.5}\n', '{"a": 4, "b": 3.5}\n'],
    "nulls after ints": ['{"a": 1, "b": 1}\n', '{"a": 2, "b": 2}\n', '{"a": 3, "b": null}\n', '{"a": 4, "b": null}\n'],
}


@pytest.mark.parametrize("dtype_backend", [None, "numpy_nullable", "pyarrow"])
@pytest.mark.parametrize("cut", ["files", "blocks"])
@pytest.mark.parametrize("rows", list(SETTLED_ROWS))
def test_the_sample_s_dtypes_are_those_of_the_data_after_it(tmp_path, rows, cut, dtype_backend):
    """The first block's dtypes were the metadata while later blocks came back otherwise (a column of only
    nulls: float64 / object / null[pyarrow] under text; ints under floats or nulls): the metadata now is
    pandas' dtype for all of the rows, as are the blocks."""
    rows = SETTLED_ROWS[rows]
    options = {"dtype_backend": dtype_backend} if dtype_backend else {}
    if dtype_backend:
        skip_on_stand_in("pandas' dtype_backend= dtypes")
    if cut == "files":
        _lines(tmp_path / "p0.jsonl", rows[:2])
        _lines(tmp_path / "p1.jsonl", rows[2:])
        df = gd.read_json(str(tmp_path / "*.jsonl"), lines=True, **options)
    else:
        path = _lines(tmp_path / "rows.jsonl", rows)  # blocks (and sample) of 2 lines
        df = gd.read_json(path, lines=True, blocksize=34, sample=34, **options)
    assert df.npartitions >= 2
    expected = pd.read_json(_lines(tmp_path / "all.json", rows), lines=True, **options)
    computed = df.compute()
    assert list(computed.dtypes) == list(df._meta.dtypes)
    on_cudf = hasattr(computed, "to_pandas")  # (cuDF has its own text dtype)
    tm.assert_frame_equal(to_host(computed).reset_index(drop=True), expected, check_dtype=not on_cudf)
    if expected.b.dtype.kind == "O":
        assert list(to_host(df.b.str.upper().compute()))[2:] == list(expected.b.str.upper())[2:]


def test_meta_with_dates_parses_the_text(tmp_path):
    """meta= with a date column gave the text back under the meta's datetime64 dtype."""
    path = _lines(tmp_path / "t.jsonl", ['{"a": 1, "t": "2020-01-01T00:00:00Z"}\n', '{"a": 2, "t": null}\n'])
    meta = pd.DataFrame({"a": pd.Series([], dtype="int64"), "t": pd.Series([], dtype="datetime64[ns, UTC]")})
    df = gd.read_json(path, lines=True, meta=meta)
    expected = pd.read_json(path, lines=True)
    expected["t"] = pd.to_datetime(expected["t"]).astype(meta.t.dtype)
    computed = df.compute()
    assert list(computed.dtypes) == list(df._meta.dtypes)
    tm.assert_frame_equal(to_host(computed).reset_index(drop=True), expected)


def test_a_block_that_does_not_fit_the_sample_names_file_and_column(tmp_path):
    """Ints in the sample, text in a block past it: the block came back as text under int64 metadata; now an
    error names the file, the line, the column and the dtypes, and dtype= reads it as pandas does."""
    rows = ['{"a": 1, "b": 1}\n'] * 20 + ['{"a": 1, "b": "y"}\n']
    path = _lines(tmp_path / "rows.jsonl", rows)
    size = 5 * len(rows[0])  # blocks of 5 lines; the sample: the first block, widened by the next
    df = gd.read_json(path, lines=True, blocksize=size, sample=size)
    sampled = pd.read_json(_lines(tmp_path / "sample.json", rows[:10]), lines=True)
    assert df.npartitions == 5 and df.b.dtype == sampled.b.dtype
    with pytest.raises(JsonDtypeError, match=r"rows\.jsonl.*line 21.*column 'b' has dtype \w+ where the "
                                              r"metadata gives int64.*dtype=\{'b': 'object'\}"):
        df.compute()
    given = gd.read_json(path, lines=True, blocksize=size, sample=size, dtype={"b": "str"})
    expected = pd.read_json(path, lines=True, dtype={"b": "str"})
    tm.assert_frame_equal(to_host(given.compute()).reset_index(drop=True), expected)
