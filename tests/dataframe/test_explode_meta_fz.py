"""explode's metadata is the dtype pandas gives the exploded values of the partitions (fuzzer finding)."""

from __future__ import annotations

import pandas as pd

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm


def _exploded(frame):
    return frame.assign(L=frame.s.str.split("x")).explode("L")


def test_explode_metadata_of_split_text_is_pandas_dtype(backend):
    """pandas 3 infers the exploded text of str.split's lists as str (the metadata said object, and so did
    the concat of the partitions that took it)."""
    words = pd.DataFrame({"s": pd.array(["ax", "b", None, "xx"], dtype="str"), "i": [1, 2, 3, 4]})
    got = _exploded(gd.from_pandas(words, npartitions=2, backend=backend))
    assert got._meta.dtypes.L == got.compute().dtypes.L
    assert gd.concat([got, got])._meta.dtypes.L == got._meta.dtypes.L
    if backend == "pandas":
        assert got._meta.dtypes.L == _exploded(words).dtypes.L
        tm.assert_frame_equal(got.compute(), _exploded(words))
