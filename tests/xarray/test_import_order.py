"""xarray's dtype checks know gpuscale arrays whichever of gpuscale.array and xarray is imported first
(``xr.DataArray(ga_array).reindex(...)`` reaches them before any chunk manager lookup)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("xarray")

SCRIPT = """
import sys
{first}
{second}
import numpy as np, pandas as pd
assert "gpuscale.xarray" in sys.modules
x = ga.arange(60.0, chunks=7).reshape(6, 10)
a = xr.DataArray(x, coords={{"r": list(range(6)), "c": list(range(10))}}, dims=["r", "c"])
got = a.reindex(r=[1, 9], c=[3]).values
expected = np.array([[13.0], [np.nan]])
assert np.array_equal(got, expected, equal_nan=True), got
print("ok")
"""


@pytest.mark.parametrize("order", ["gpuscale first", "xarray first"])
def test_dataarray_of_a_gpuscale_array_reindexes_in_either_import_order(order):
    imports = ["import gpuscale.array as ga", "import xarray as xr"]
    first, second = imports if order == "gpuscale first" else imports[::-1]
    done = subprocess.run([sys.executable, "-c", SCRIPT.format(first=first, second=second)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_a_failing_adaptation_warns_and_never_breaks_import_xarray():
    script = ("import warnings, sys\n"
              "import gpuscale.array\n"
              "sys.modules['gpuscale.xarray'] = None  # importing it now raises ImportError\n"
              "with warnings.catch_warnings(record=True) as caught:\n"
              "    warnings.simplefilter('always')\n"
              "    import xarray\n"
              "assert any('could not adapt xarray' in str(w.message) for w in caught), caught\n"
              "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
