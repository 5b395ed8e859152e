"""Ordered categoricals whose categories are unknown (``cat.as_unknown()``, a parquet round trip) keep the
order of their categories: sort_values sorts by it, ``cat.as_known()`` and ``categorize()`` keep it; partitions
whose ordered categories disagree give a sorted union where each partition's categories are sorted (pandas'
``astype("category")`` of the whole data), otherwise an error."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

ORDER = ["lo", "mid", "hi"]


def _pdf(n: int = 12) -> pd.DataFrame:
    values = (["hi", "lo", "mid", "lo", "hi", "mid", None] * n)[:n]
    return pd.DataFrame({"o": pd.Categorical(values, categories=ORDER, ordered=True), "v": range(n),
                         "w": [i % 3 for i in range(n)]})


def _unknown(pdf: pd.DataFrame, npartitions: int, backend: str):
    g = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    return g.assign(o=g.o.cat.as_unknown())


def _rows(frame) -> list:
    host = to_host(frame)
    return [tuple(None if pd.isna(x) else x for x in row) for row in host.astype(object).itertuples(index=False)]


@pytest.mark.parametrize("npartitions", [2, 3, 5])
def test_sort_by_ordered_unknown_categories(backend, npartitions):
    pdf = _pdf(20)
    g = _unknown(pdf, npartitions, backend)
    for by, ascending in (("o", True), ("o", False), (["o", "v"], [True, False]), (["w", "o"], True)):
        got = g.sort_values(by, ascending=ascending).compute()
        expected = pdf.sort_values(by, ascending=ascending, kind="stable")
        assert _rows(got) == _rows(expected), (by, ascending)
    assert _rows(g.sort_values("o").head(4, npartitions=-1)) == _rows(pdf.sort_values("o", kind="stable").head(4))


def test_sort_after_parquet_round_trip(backend, tmp_path):
    if backend == "cudf":
        pytest.skip("cuDF reads a parquet column of categories as strings")
    pdf = _pdf(6)
    gd.from_pandas(pdf, npartitions=2).to_parquet(str(tmp_path / "p"))
    got = gd.read_parquet(str(tmp_path / "p"), backend=backend).sort_values("o").compute()
    assert to_host(got).o.tolist() == pdf.sort_values("o", kind="stable").o.tolist()


@pytest.mark.parametrize("npartitions", [1, 2, 4])
def test_as_known_and_categorize_keep_the_order(backend, npartitions):
    pdf = _pdf(12)
    g = _unknown(pdf, npartitions, backend)
    known = g.o.cat.as_known()
    assert known.cat.categories.tolist() == ORDER and known.cat.ordered
    assert known.max().compute() == pdf.o.max() and known.min().compute() == pdf.o.min()
    assert to_host(known.compute()).cat.categories.tolist() == ORDER
    cat = g.categorize(columns=["o"])
    assert cat.o.cat.categories.tolist() == ORDER and cat.o.cat.ordered
    assert to_host(cat.compute()).o.dtype == pdf.o.dtype


def test_partitions_each_sorted_give_the_sorted_union(backend):
    pdf = pd.DataFrame({"k": list("dbcaebfa"), "v": range(8)})
    g = gd.from_pandas(pdf, npartitions=3, backend=backend)
    g = g.assign(k=g.k.astype("category").cat.as_ordered())
    expected = pdf.assign(k=pdf.k.astype("category").cat.as_ordered())
    assert _rows(g.sort_values("k").compute()) == _rows(expected.sort_values("k", kind="stable"))
    known = g.k.cat.as_known()
    assert known.cat.categories.tolist() == list("abcdef") and known.cat.ordered


def test_partitions_disagreeing_on_the_order_raise(backend):
    def part(i: int) -> pd.DataFrame:
        order = ORDER if i == 0 else ORDER[::-1]
        return pd.DataFrame({"o": pd.Categorical(["lo", "hi", "mid"], categories=order, ordered=True),
                             "v": [1, 2, 3]}, index=[3 * i, 3 * i + 1, 3 * i + 2])

    g = gd.from_pandas(part(0), npartitions=1, backend=backend)
    other = gd.from_pandas(part(1), npartitions=1, backend=backend)
    g = gd.concat([g.assign(o=g.o.cat.as_unknown()), other.assign(o=other.o.cat.as_unknown())])
    assert g.npartitions == 2
    with pytest.raises(TypeError, match="ordered"):
        g.sort_values("o").compute()
    with pytest.raises(TypeError, match="ordered"):
        g.o.cat.as_known()
