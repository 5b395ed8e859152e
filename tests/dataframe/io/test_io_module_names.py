"""``gpuscale.dataframe.io`` has dask.dataframe.io's public readers, writers and constructors, so code ported
from ``from dask.dataframe.io import ...`` runs by changing the package name."""

from __future__ import annotations

import inspect

import dask.dataframe.io as dask_io
import numpy as np
import pandas as pd

import gpuscale.array as ga
import gpuscale.dataframe as gd
import gpuscale.dataframe.io as gio
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


def test_dask_io_functions_are_importable_from_gpuscale_io():
    names = [n for n, obj in vars(dask_io).items() if not n.startswith("_") and inspect.isfunction(obj)]
    assert names and [n for n in names if not hasattr(gio, n)] == []
    assert gio.read_json is gd.read_json and gio.demo is gd.demo


def test_from_dask_array_through_the_io_module():
    from gpuscale.dataframe.io import from_dask_array

    skip_on_stand_in("cuDF partitions of an array's blocks need CuPy")
    data = np.arange(12.0).reshape(6, 2)
    got = from_dask_array(ga.from_array(data, chunks=(3, 2)), columns=["a", "b"]).compute()
    pd.testing.assert_frame_equal(to_host(got), pd.DataFrame(data, columns=["a", "b"]))
