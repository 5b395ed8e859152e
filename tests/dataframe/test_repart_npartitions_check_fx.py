"""shuffle / sort_values / set_index check npartitions=: a negative count is refused (it gave 0 rows or one
partition), a non-integer too; None and 0 (as dask: ``npartitions or self.npartitions``) keep the input's
count; NumPy integers count as integers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

CALLS = {
    "shuffle": lambda df, n: df.shuffle(on="k", npartitions=n),
    "sort_values": lambda df, n: df.sort_values("k", npartitions=n),
    "set_index": lambda df, n: df.set_index("k", npartitions=n),
}


@pytest.fixture
def frames():
    pdf = pd.DataFrame({"k": np.arange(20) % 7, "x": np.arange(20)})
    return pdf, gd.from_pandas(pdf, npartitions=4)


@pytest.mark.parametrize("method", list(CALLS))
@pytest.mark.parametrize("n", [-1, -2])
def test_negative_npartitions_refused(frames, method, n):
    with pytest.raises(ValueError, match=f"{method}: npartitions must be at least 1"):
        CALLS[method](frames[1], n)


@pytest.mark.parametrize("method", list(CALLS))
@pytest.mark.parametrize("n", [2.5, "auto", True])
def test_non_integer_npartitions_refused(frames, method, n):
    with pytest.raises(TypeError, match=f"{method}: npartitions must be a positive integer"):
        CALLS[method](frames[1], n)


@pytest.mark.parametrize("method", list(CALLS))
@pytest.mark.parametrize("n, expected", [(None, 4), (0, 4), (np.int64(3), 3), (2, 2)])
def test_valid_npartitions(frames, method, n, expected):
    pdf, df = frames
    out = CALLS[method](df, n)
    assert out.npartitions == expected
    host = to_host(out.compute())
    if method == "set_index":
        tm.assert_frame_equal(host.sort_values("x"), pdf.set_index("k").sort_values("x"))
    else:
        assert len(host) == len(pdf)
        tm.assert_frame_equal(host.sort_values(["k", "x"]), pdf.sort_values(["k", "x"]))
