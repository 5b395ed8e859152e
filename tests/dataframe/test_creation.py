"""from_pandas / from_dict / from_array, metadata and repr."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host
from gpuscale.backends import BackendUnavailableError, available
from gpuscale.testing import assert_eq


@pytest.mark.parametrize("npartitions", [1, 3, 7])
def test_from_pandas_roundtrip(pdf, backend, npartitions):
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    assert df.npartitions == npartitions
    assert_eq(df, pdf)
    assert list(df.columns) == list(pdf.columns)


def test_sorted_index_gives_divisions(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert df.known_divisions
    assert df.divisions[0] == 0 and df.divisions[-1] == len(pdf) - 1


def test_unsorted_index_keeps_row_order(pdf, backend):
    shuffled = pdf.sample(frac=1, random_state=0)
    df = gd.from_pandas(shuffled, npartitions=4, sort=False, backend=backend)
    assert not df.known_divisions
    assert_eq(df, shuffled)
    df = gd.from_pandas(shuffled, npartitions=4, backend=backend)  # sort=True sorts first, as dask
    assert df.known_divisions
    assert_eq(df, pdf)


@pytest.mark.parametrize("length", [0, 3, 20, 29])
@pytest.mark.parametrize("npartitions", [2, 3, 7])
@pytest.mark.parametrize("sort", [True, False])
def test_partitions_hold_the_rows_dask_s_hold(backend, length, npartitions, sort):
    # code reading partitions[i] or get_partition(i) gets dask's rows: near-equal parts, the longer first,
    # and an empty frame in npartitions empty parts (an unsorted index with sort=False: dask cuts parts of
    # ceil(length / npartitions) rows, fewer than asked at times; gpuscale gives the parts asked for)
    import dask.dataframe as dd

    frame = pd.DataFrame({"x": np.arange(length, dtype="int64")}, index=np.arange(length) * 2)
    frame = frame if sort is False else frame.iloc[::-1]
    ours = gd.from_pandas(frame, npartitions=npartitions, sort=sort, backend=backend)
    theirs = dd.from_pandas(frame, npartitions=npartitions, sort=sort)
    assert ours.npartitions == theirs.npartitions
    for i in range(ours.npartitions):
        pd.testing.assert_frame_equal(to_host(ours.get_partition(i).compute()), theirs.get_partition(i).compute())
    if sort:  # (sort=False: unknown divisions, as documented; dask knows those of an index sorted already)
        assert ours.divisions == theirs.divisions


def test_one_frame_given_twice_is_one_collection(backend):
    # the name comes from the host data, also when partitions are copied to a device (whose objects hash per
    # object): so the two line up without an alignment that would reorder the rows
    frame = pd.DataFrame({"a": [1, 2, 3, 4], "b": [10, 20, 30, 40]}, index=[3, 1, 2, 0])
    first = gd.from_pandas(frame, npartitions=2, sort=False, backend=backend)
    second = gd.from_pandas(frame, npartitions=2, sort=False, backend=backend)
    assert first.expr._name == second.expr._name
    assert to_host(first.assign(c=second.b).compute()).index.tolist() == [3, 1, 2, 0]
    assert gd.from_pandas(frame, npartitions=2, sort=True, backend=backend).expr._name != first.expr._name


def test_chunksize(pdf, backend):
    df = gd.from_pandas(pdf, chunksize=100, backend=backend)
    assert df.npartitions == 3
    assert_eq(df, pdf)


def test_series_from_pandas(pdf, backend):
    s = gd.from_pandas(pdf.x, npartitions=3, backend=backend)
    assert isinstance(s, gd.Series)
    assert_eq(s, pdf.x)


def test_from_dict_and_array(backend):
    data = {"a": [1, 2, 3, 4], "b": [0.5, 1.5, 2.5, 3.5]}
    assert_eq(gd.from_dict(data, npartitions=2, backend=backend), pd.DataFrame(data))
    arr = np.arange(12.0).reshape(6, 2)
    assert_eq(gd.from_array(arr, chunksize=4, columns=["p", "q"], backend=backend),
              pd.DataFrame(arr, columns=["p", "q"]))
    assert_eq(gd.from_array(np.arange(5), chunksize=2, backend=backend), pd.Series(np.arange(5)))


def test_repr_shows_columns_and_partitions(pdf):
    df = gd.from_pandas(pdf, npartitions=3)
    text = repr(df)
    assert "npartitions=3" in text and "float64" in text and "s" in text
    assert "npartitions=3" in df._repr_html_()


def test_repr_of_a_wide_frame_shows_its_first_and_last_columns_on_one_line_each():
    # a 1,000-column frame printed 1,000 lines; a label holding a newline broke its line in two
    pdf = pd.DataFrame(np.zeros((2, 1000)), columns=[f"c{i}" for i in range(999)] + ["last\nline"])
    lines = repr(gd.from_pandas(pdf, npartitions=1)).splitlines()
    assert len(lines) == 1 + 10 + 1 + 10
    assert lines[1].split() == ["c0", "float64"] and "980 more columns" in lines[11]
    assert lines[-1].split() == ["last\\nline", "float64"]


def test_repr_of_a_multiindex_names_its_levels():
    pdf = pd.DataFrame({"a": [1, 2], "b": [3, 4], "x": [5, 6]})
    index = gd.from_pandas(pdf, npartitions=1).groupby(["a", "b"]).sum().index
    assert "names=['a', 'b']" in repr(index)


def test_from_pandas_rejects_other_types():
    with pytest.raises(TypeError, match="pandas/cuDF"):
        gd.from_pandas([1, 2, 3])


@pytest.mark.skipif(available()["cudf"].ok, reason="cuDF works here")
def test_cudf_backend_unavailable_is_clear(pdf, backend):
    if backend != "pandas":
        pytest.skip("the cuDF legs make cuDF usable")
    with pytest.raises(BackendUnavailableError, match="cudf"):
        gd.from_pandas(pdf, npartitions=2, backend="cudf")


def test_persist_keeps_metadata(pdf):
    df = gd.from_pandas(pdf, npartitions=3)
    out = (df[df.y > 0]).persist(scheduler="sync")
    assert out.npartitions == 3
    assert_eq(out, pdf[pdf.y > 0])


def test_from_array_accepts_lazy_arrays():
    import dask.array as da

    arr = np.arange(12.0).reshape(6, 2)
    out = gd.from_array(da.from_array(arr, chunks=3), chunksize=4, columns=["p", "q"])
    assert_eq(out, pd.DataFrame(arr, columns=["p", "q"]))


def test_shuffle_groups_equal_keys(pdf):
    df = gd.from_pandas(pdf, npartitions=4)
    out = df.shuffle(on="k", npartitions=3)
    parts = [to_host(out.get_partition(i).compute()) for i in range(3)]
    owners = {k: i for i, part in enumerate(parts) for k in part.k.unique()}
    assert all(owners[k] == i for i, part in enumerate(parts) for k in part.k)
    assert sum(len(p) for p in parts) == len(pdf)


def test_from_cudf_as_dask_cudf_names_it(pdf, backend):
    """``dask_cudf.from_cudf(gdf, npartitions=...)``: cuDF partitions, or a clear error where cuDF cannot run."""
    from gpuscale.backends.frame import library_of

    if backend != "cudf":
        if not available()["cudf"].ok:
            with pytest.raises(BackendUnavailableError, match="backend 'cudf' needs cudf"):
                gd.from_cudf(pdf, npartitions=3)
        return
    import cudf

    df = gd.from_cudf(cudf.from_pandas(pdf), npartitions=3, name="ignored")
    assert df.npartitions == 3 and df.known_divisions and library_of(df._meta) == "cudf"
    assert_eq(df, pdf)
    assert_eq(gd.from_cudf(pdf.x, chunksize=100), pdf.x)  # pandas data are copied to the device


def test_object_labels_stay_object_labels():
    # pandas 3 joins object labels of text into a str index: the computed frame had another index dtype than
    # the frame it came from (and value_counts of an object column another than pandas')
    pdf = pd.DataFrame({"x": range(6)}, index=pd.Index(list("abcdef"), dtype=object))
    assert gd.from_pandas(pdf, npartitions=3, backend="pandas").compute().index.dtype == object
    values = pd.Series(["a", "b", "c", "a"] * 5, dtype=object, name="s")
    counts = gd.from_pandas(values, npartitions=3, backend="pandas").value_counts()
    pd.testing.assert_series_equal(counts.compute(), values.value_counts())
