"""Reliability catalogue (docs/reliability.md), backends and the absence of a GPU on this machine: every way of
asking for the GPU explicitly is a BackendUnavailableError with the reason; CPU names map across kinds.
Each test holds one catalogue entry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale
import gpuscale.array as ga
import gpuscale.dataframe as gd
from gpuscale.backends import BackendUnavailableError

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def _no_gpu():
    if gpuscale.backends.available()["cupy"].ok:
        pytest.skip("a GPU is usable here")


def test_moving_an_array_to_the_gpu():
    with pytest.raises(BackendUnavailableError, match="backend 'cupy' needs cupy, which cannot run here"):
        ga.ones((3,), backend="cpu").to_device("gpu")


@pytest.mark.parametrize("reader", ["read_csv", "read_parquet"])
def test_readers_asked_for_the_gpu(tmp_path, reader):
    frame = pd.DataFrame({"i": range(10)})
    frame.to_csv(tmp_path / "d.csv", index=False)
    frame.to_parquet(tmp_path / "d.parquet")
    path = str(tmp_path / ("d.csv" if reader == "read_csv" else "d.parquet"))
    with pytest.raises(BackendUnavailableError, match="backend 'gpu' needs cudf, which cannot run here"):
        getattr(gd, reader)(path, backend="gpu")


def test_the_config_asking_for_the_gpu():
    with gpuscale.config.set(backend="gpu"):
        with pytest.raises(BackendUnavailableError, match="Use backend='auto' to fall back to the CPU"):
            ga.ones((3,))


def test_an_array_name_for_frames_and_a_frame_name_for_arrays():
    frame = gd.from_pandas(pd.DataFrame({"i": range(4)}), npartitions=2, backend="numpy")
    assert isinstance(frame.compute(), pd.DataFrame)
    array = ga.from_array(np.arange(3), backend="pandas")
    assert isinstance(array.compute(), np.ndarray)
    with pytest.raises(BackendUnavailableError, match="backend 'cudf' needs cupy"):
        ga.ones((3,), backend="cudf")


def test_auto_falls_back_to_the_cpu():
    with gpuscale.config.set(backend="auto"):
        assert isinstance(ga.ones((3,)).compute(), np.ndarray)
        assert isinstance(gd.from_pandas(pd.DataFrame({"i": [1]}), npartitions=1).compute(), pd.DataFrame)
