"""Tokens of object data (lists, dicts, sets in a column) and random_split's reproducibility across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

dd = pytest.importorskip("dask.dataframe")


def _objects(last):
    return pd.Series([[1, 2], [3], [], {"a": {1, 2}}, ("x", [4.5]), last])


def test_series_of_lists_builds_a_deterministic_token():
    skip_on_stand_in("object columns of Python lists have no cuDF form")
    a, b = gd.from_pandas(_objects(None), npartitions=2), gd.from_pandas(_objects(None), npartitions=2)
    assert a.expr._name == b.expr._name
    assert gd.from_pandas(_objects([9]), npartitions=2).expr._name != a.expr._name
    pd.testing.assert_series_equal(to_host(a.compute()), _objects(None))
    import dask

    with dask.config.set({"dataframe.convert-string": False}):  # dask would turn the lists into strings
        expected = dd.from_pandas(_objects(None), npartitions=2).compute()
    pd.testing.assert_series_equal(to_host(a.compute()), expected)


def test_set_order_does_not_change_the_token():
    skip_on_stand_in("object columns of Python sets have no cuDF form")
    left = pd.Series([{"b", "a", "c"}, {"k": {"z", "y"}}])
    right = pd.Series([{"c", "a", "b"}, {"k": {"y", "z"}}])
    assert gd.from_pandas(left, npartitions=1).expr._name == gd.from_pandas(right, npartitions=1).expr._name


_SCRIPT = """
import json, pandas as pd, gpuscale.dataframe as gd
pdf = pd.DataFrame({"a": range(300)}, index=[f"row{i}" for i in range(300)])
df = gd.from_pandas(pdf, npartitions=4, backend="cpu")
parts = df.random_split([0.6, 0.4], random_state=7)
print(json.dumps([sorted(p.compute().index.tolist()) for p in parts]))
"""


def test_random_split_is_the_same_in_two_processes():
    skip_on_stand_in("the subprocesses run pandas partitions")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    outs = []
    for hashseed in ("1", "2"):  # str hashes differ between these processes
        env = {**os.environ, "PYTHONHASHSEED": hashseed, "PYTHONPATH": root}
        done = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, cwd=root, capture_output=True, text=True,
                              timeout=300, check=True)
        outs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert outs[0] == outs[1]
    train, test = outs[0]
    assert sorted(train + test) == sorted(f"row{i}" for i in range(300))
    assert 120 < len(train) < 240
