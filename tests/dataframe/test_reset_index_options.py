"""``reset_index`` with pandas' keywords (``level``, ``names``, ``name``, ``inplace`` ...): each partition's
index is reset as pandas resets it (a full reset numbers rows per partition, as dask). Only ``drop`` was
accepted: ``reset_index(level="b")`` raised TypeError."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

PDF = pd.DataFrame({"a": [0, 0, 1, 1, 2, 2], "b": list("xyxyxy"), "v": [1.0, 2, 3, 4, 5, 6]})


def _sums(backend):
    return gd.from_pandas(PDF, npartitions=2, backend=backend).groupby(["a", "b"]).sum(split_out=2)


@pytest.mark.parametrize("options", [{"level": "b"}, {"level": 0}, {"level": ["a", "b"]}, {"level": "b", "drop": True},
                                     {"names": ["A", "B"]}])
def test_frame_options(backend, options):
    expected = PDF.groupby(["a", "b"]).sum().reset_index(**options)
    got = _sums(backend).reset_index(**options)
    assert list(got.columns) == list(expected.columns)
    assert list(got._meta.index.names) == list(expected.index.names)
    out = to_host(got.compute())
    assert out.dtypes.to_dict() == expected.dtypes.to_dict()
    assert sorted(_rows(out)) == sorted(_rows(expected))


def _rows(frame):
    """Each row with its index labels (the order of rows differs: partitions of a split_out result)."""
    keep = frame.index.nlevels > 1 or frame.index.name is not None
    return [tuple(map(str, row)) for row in (frame.reset_index() if keep else frame).values.tolist()]


def test_series_options_and_dask_positional_drop(backend):
    sums = _sums(backend).v
    expected = PDF.groupby(["a", "b"]).v.sum().reset_index(level="a", name="w")
    got = sums.reset_index(level="a", name="w")
    assert list(got.columns) == ["a", "w"] and got._meta.index.name == "b"
    assert sorted(_rows(to_host(got.compute()))) == sorted(_rows(expected))
    assert sorted(to_host(sums.reset_index(True).compute()).tolist()) == [1.0, 2, 3, 4, 5, 6]


def test_inplace_and_unknown_keywords(backend):
    df = gd.from_pandas(PDF.set_index("b"), npartitions=2, backend=backend)
    assert df.reset_index(inplace=True) is None
    assert list(df.columns) == ["b", "a", "v"]
    assert sorted(to_host(df.compute()).b.tolist()) == sorted(PDF.b.tolist())
    with pytest.raises(TypeError, match="unexpected keyword argument 'nmaes'"):
        df.reset_index(nmaes=["x"])
    with pytest.raises(TypeError, match="inplace on a Series"):
        df.v.reset_index(inplace=True)
