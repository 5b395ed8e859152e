"""repartition(npartitions=) to more partitions builds its graph in linear time: the split plan is worked
out once, not once per input partition; repartition(divisions=) plans its pieces by a merge of the two
sorted boundary lists (checked against the all-pairs plan it replaced)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.dataframe.expr.repartition import SplitPartitions
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


def test_split_plan_computed_once(monkeypatch):
    calls = []
    original = SplitPartitions._plan

    def counting(self):
        calls.append(1)
        return original(self)

    monkeypatch.setattr(SplitPartitions, "_plan", counting)
    pdf = pd.DataFrame({"x": np.arange(400)})
    out = gd.from_pandas(pdf, npartitions=200).clear_divisions().repartition(npartitions=400)
    assert out.npartitions == 400
    tm.assert_frame_equal(to_host(out.compute()), pdf)
    assert len(calls) <= 4  # was once per input partition (200) and more


@pytest.mark.parametrize("n_in, n_out", [(3, 7), (5, 5), (4, 13), (7, 8)])
def test_split_rows_match_pandas(n_in, n_out):
    pdf = pd.DataFrame({"x": np.arange(50), "y": np.arange(50) * 0.5})
    out = gd.from_pandas(pdf, npartitions=n_in).clear_divisions().repartition(npartitions=n_out)
    assert out.npartitions == n_out
    tm.assert_frame_equal(to_host(out.compute()), pdf)


def _all_pairs_plan(old, new):
    """The plan as built before (every old partition against every new one)."""
    n_old, m, plan = len(old) - 1, len(new) - 1, []
    for j in range(m):
        lo, hi, closed = new[j], new[j + 1], j == m - 1
        pieces = []
        for i in range(n_old):
            last = i == n_old - 1
            reaches_lo = old[i + 1] >= lo if last else old[i + 1] > lo
            below_hi = old[i] <= hi if closed else old[i] < hi
            if not (reaches_lo and below_hi):
                continue
            inside = lo <= old[i] and (old[i + 1] < hi or (old[i + 1] == hi and (closed or not last)))
            ends = closed and last
            pieces.append((i, "all") if inside else (i, "range", lo, hi, closed, ends) if ends else
                          (i, "range", lo, hi, closed))
        plan.append(tuple(pieces))
    return tuple(plan)


def _random_divisions(rng, lo, hi, k, last_repeat):
    inner = sorted(rng.choice(np.arange(lo + 1, hi), size=k, replace=False).tolist()) if k else []
    out = [lo] + inner + [hi]
    if last_repeat and len(out) > 2:  # a last partition of one label
        out[-2] = hi
    return tuple(out)


@pytest.mark.parametrize("seed", range(16))
def test_division_plan_matches_all_pairs(seed):
    rng = np.random.default_rng(seed)
    n = 60
    pdf = pd.DataFrame({"x": np.arange(n)}, index=np.arange(n))
    old = _random_divisions(rng, 0, n - 1, int(rng.integers(0, 10)), seed % 4 == 1)
    g = gd.from_pandas(pdf, npartitions=1).repartition(divisions=old)
    assert g.divisions == old
    lo, hi = (0, n - 1) if seed % 2 else (-5, n + 5)
    new = _random_divisions(rng, lo, hi, int(rng.integers(0, 15)), seed % 3 == 0)
    out = g.repartition(divisions=new, force=True)
    assert out.divisions == new
    assert out.expr.plan == _all_pairs_plan(old, new)
    tm.assert_frame_equal(to_host(out.compute()), pdf)
