"""What a cluster's P2P shuffle gives back: the partition the in-process shuffle gives, not its Arrow form.

The shuffle sends Arrow tables between worker processes; index names and level dtypes, column labels
(MultiIndex, numbers, repeats) and values Arrow cannot hold (mixed Python objects, complex, lists) must
come back as pandas and the local runtime give them.  One cluster of two single-threaded worker
processes serves the module; every result is compared with pandas and with the local runtime.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pandas.testing as tm
import pytest

import gpuscale
import gpuscale.dataframe as gd

distributed = pytest.importorskip("distributed")


def _local_and_cluster(cluster, collection):
    """``collection`` computed by the local runtime and on the cluster through the P2P shuffle."""
    local = collection.compute()
    with distributed.Client(cluster), gpuscale.config.set({"dataframe.shuffle.method": "p2p"}), \
            warnings.catch_warnings():
        warnings.simplefilter("error")  # pyarrow's "non-str index name ... will be converted to string" among them
        on_cluster = collection.compute()
    return local, on_cluster


def _check(cluster, collection, expected, sort=False):
    for got in _local_and_cluster(cluster, collection):
        if sort:
            got = got.sort_index(kind="stable")
        (tm.assert_series_equal if isinstance(expected, pd.Series) else tm.assert_frame_equal)(got, expected)


def test_index_names_and_level_dtypes_come_back(cluster):
    pdf = pd.DataFrame({"a": pd.array([1, 2, 1, 3] * 5, dtype="Int64"), "b": range(20),
                        "s": pd.array(["x", "y", None, "x"] * 5, dtype="string[pyarrow]"),
                        "t": pd.array([True, False, None, True] * 5, dtype="boolean")}).rename_axis(7)
    ddf = gd.from_pandas(pdf, npartitions=3)
    _check(cluster, ddf.groupby(["a", "b"]).size(split_out=2), pdf.groupby(["a", "b"]).size(), sort=True)
    _check(cluster, ddf.groupby(["s", "t"]).b.sum(split_out=2), pdf.groupby(["s", "t"]).b.sum(), sort=True)
    _check(cluster, ddf.groupby("a").b.count(split_out=2), pdf.groupby("a").b.count(), sort=True)
    _check(cluster, ddf.sort_values("b", ascending=False), pdf.sort_values("b", ascending=False))
    _check(cluster, ddf.shuffle("b", npartitions=2), pdf, sort=True)
    local, on_cluster = _local_and_cluster(cluster, ddf.shuffle("a", npartitions=5, ignore_index=True))
    tm.assert_frame_equal(on_cluster, local)  # each partition's rows numbered from 0
    named = pdf.rename_axis([("a", "b")])
    _check(cluster, gd.from_pandas(named, npartitions=3).sort_values("b"), named.sort_values("b"))
    _check(cluster, gd.from_pandas(named, npartitions=3)[["a"]].drop_duplicates(split_out=2),
           named[["a"]].drop_duplicates(), sort=True)


def test_a_number_as_key_label_keeps_its_index_name(cluster):
    pdf = pd.DataFrame({0: [1, 2, 1, 3] * 5, 1: np.arange(20.0)})
    ddf = gd.from_pandas(pdf, npartitions=3)
    _check(cluster, ddf.groupby(0)[1].sum(split_out=2), pdf.groupby(0)[1].sum(), sort=True)


def test_column_labels_come_back(cluster):
    multi = pd.DataFrame({("k", ""): [3, 1, 2, 0] * 3, ("v", "x"): range(12)}).rename_axis(["top", "sub"], axis=1)
    dmulti = gd.from_pandas(multi, npartitions=3)
    _check(cluster, dmulti.sort_values(("k", "")), multi.sort_values(("k", ""), kind="stable"))
    _check(cluster, dmulti.shuffle(("k", ""), npartitions=2), multi, sort=True)
    _check(cluster, dmulti.drop_duplicates(split_out=2), multi.drop_duplicates(), sort=True)
    _check(cluster, dmulti.set_index(("v", "x")), multi.set_index(("v", "x")))
    numbered = pd.DataFrame({0: [3, 1, 2, 0] * 3, 1: range(12), 2: np.arange(12.0)})
    _check(cluster, gd.from_pandas(numbered, npartitions=3).sort_values(0), numbered.sort_values(0, kind="stable"))
    repeated = pd.DataFrame(np.arange(24).reshape(12, 2) % 5, columns=["u", "u"])
    _check(cluster, gd.from_pandas(repeated, npartitions=3).shuffle(npartitions=2), repeated, sort=True)


def test_values_arrow_cannot_hold_travel_as_they_are(cluster):
    pdf = pd.DataFrame({"k": [3, 1, 2, 0] * 3, "m": [1, "a", 2.5, None] * 3, "c": np.arange(12) * 1j,
                        "l": [[1, 2], [3], [4], []] * 3, "n": ["x", np.nan, None, "é"] * 3,
                        "t": ["a", None, "b", "c"] * 3},
                       index=pd.Index([f"r{i}" if i % 2 else i for i in range(12)], dtype=object, name="r"))
    pdf["at"] = np.arange(12)
    ddf = gd.from_pandas(pdf, npartitions=3)
    ordered = pdf.sort_values("k", kind="stable")
    for local_or_cluster in _local_and_cluster(cluster, ddf.sort_values("k")):
        tm.assert_frame_equal(local_or_cluster, ordered)
        assert [type(v) for v in local_or_cluster.l] == [list] * 12
        assert local_or_cluster.n.map(type).tolist() == ordered.n.map(type).tolist()  # NaN and None kept apart
    _check(cluster, ddf.set_index("k").l, pdf.set_index("k").sort_index(kind="stable").l)
    for got in _local_and_cluster(cluster, ddf.shuffle("k", npartitions=2)):
        tm.assert_frame_equal(got.sort_values("at"), pdf)  # the rows, in their first order


def _object_in_first_partition(part):
    # a partition whose column dtype differs from the metadata's (as a map_partitions step can give)
    return part.assign(x=part["x"].astype(object)) if part.index[0] == 0 else part


def test_partitions_whose_dtype_differs_from_the_metadata_share_one_schema(cluster):
    # each partition's own dtype decided its wire form: object (pickled bytes) in one, float64 in the others,
    # and the shuffle failed ("P2P ... failed during unpack phase"); the metadata decides it now
    pdf = pd.DataFrame({"k": np.arange(12) % 3, "x": np.arange(12.0)})
    df = gd.from_pandas(pdf, npartitions=3).map_partitions(_object_in_first_partition, meta=pdf)
    with distributed.Client(cluster), gpuscale.config.set({"dataframe.shuffle.method": "p2p"}):
        shuffled, ordered = df.shuffle("k").compute(), df.sort_values("x").compute()
    tm.assert_frame_equal(shuffled.sort_index(), pdf)  # of the metadata's dtype (in-process: object, as concat)
    tm.assert_frame_equal(ordered, pdf.sort_values("x"))


def _text_in_first_partition(part):
    return part.assign(x="text") if part.index[0] == 0 else part


def test_a_partition_the_metadata_cannot_hold_is_named_in_the_error(cluster):
    pdf = pd.DataFrame({"k": np.arange(12) % 3, "x": np.arange(12.0)})
    df = gd.from_pandas(pdf, npartitions=3).map_partitions(_text_in_first_partition, meta=pdf)
    with distributed.Client(cluster), gpuscale.config.set({"dataframe.shuffle.method": "p2p"}), \
            pytest.raises(Exception, match="column 'x' of dtype .* does not fit the metadata's float64"):
        df.shuffle("k").compute()
