"""DataFrame.info(memory_usage=...) prints pandas' memory line: "deep" measures the objects' contents, and
the size is formatted as pandas ("8.2+ KB", "+" for a shallow estimate of object data)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd


def _frames():
    n = 200
    index = pd.Index(np.arange(n) * 2)  # (a RangeIndex's fixed size would be counted once per partition)
    yield pd.DataFrame({"a": range(n), "f": np.linspace(0, 1, n)}, index=index)
    yield pd.DataFrame({"a": range(n), "s": [f"x{i}" * 5 for i in range(n)]}, index=index)
    yield pd.DataFrame({"a": range(n)}, index=pd.Index([f"r{i}" for i in range(n)], dtype=object))
    yield pd.DataFrame({"a": range(n), "b": range(n)}, index=index).astype({"b": "float32"})


def _memory_line(frame, memory_usage):
    buf = io.StringIO()
    frame.info(buf=buf, memory_usage=memory_usage)
    return buf.getvalue().splitlines()[-1]


@pytest.mark.parametrize("npartitions", [1, 3])
@pytest.mark.parametrize("memory_usage", [True, "deep"])
@pytest.mark.parametrize("pdf", list(_frames()))
def test_info_memory_line_as_pandas(pdf, memory_usage, npartitions, backend):
    if backend == "cudf" and memory_usage == "deep" and pdf.index.dtype == object:
        pytest.skip("cuDF counts the bytes of its strings its own way")
    df = gd.from_pandas(pdf, npartitions=npartitions)
    assert _memory_line(df, memory_usage) == _memory_line(pdf, memory_usage)


def test_info_memory_line_large_sizes():
    pdf = pd.DataFrame(np.zeros((70000, 3)), index=pd.Index(np.arange(70000)))
    df = gd.from_pandas(pdf, npartitions=4)
    assert _memory_line(df, True) == _memory_line(pdf, True) == "memory usage: 2.1 MB"


def test_info_without_memory_usage_has_no_memory_line():
    df = gd.from_pandas(pd.DataFrame({"a": [1, 2]}), npartitions=1)
    assert not _memory_line(df, False).startswith("memory usage")
