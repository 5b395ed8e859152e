"""Backend names, aliases, availability and errors, with and without a (simulated) GPU."""

import sys
import types

import pytest

import gpuscale
from gpuscale import backends
from gpuscale.backends import _detect


@pytest.fixture
def no_gpu(monkeypatch):
    monkeypatch.setattr(_detect, "gpu_probe", lambda: (0, "no NVIDIA driver (NVMLError_LibraryNotFound)"))


@pytest.fixture
def cupy_without_driver(monkeypatch, no_gpu):
    """cupy installed but unusable: the common laptop / CI situation."""
    monkeypatch.setitem(sys.modules, "cupy", types.ModuleType("cupy"))


@pytest.fixture
def fake_gpu(monkeypatch):
    monkeypatch.setattr(_detect, "gpu_probe", lambda: (2, "2 GPU(s) found by NVML"))
    monkeypatch.setitem(sys.modules, "cupy", types.ModuleType("cupy"))
    monkeypatch.setitem(sys.modules, "cudf", types.ModuleType("cudf"))


@pytest.mark.parametrize("name,array,frame", [
    ("cpu", "numpy", "pandas"), ("numpy", "numpy", "pandas"), ("pandas", "numpy", "pandas"),
    ("array_api_strict", "array_api_strict", "pandas"), ("array-api-strict", "array_api_strict", "pandas"),
])
def test_cpu_names_resolve(name, array, frame):
    assert backends.resolve_array_backend(name) == array
    assert backends.resolve_frame_backend(name) == frame


def test_auto_falls_back_to_cpu_without_gpu(no_gpu, caplog):
    caplog.set_level("DEBUG", logger="gpuscale.backends")
    assert backends.resolve_array_backend("auto") == "numpy"
    assert backends.resolve_frame_backend("auto") == "pandas"
    assert "chose numpy" in caplog.text


@pytest.mark.parametrize("name", ["cupy", "cudf", "gpu"])
def test_explicit_gpu_without_cupy_installed_raises(name, no_gpu, monkeypatch):
    monkeypatch.setattr(_detect, "installed", lambda module: module not in {"cupy", "cudf"})
    with pytest.raises(backends.BackendUnavailableError, match="not installed.*backend='auto'"):
        backends.resolve_array_backend(name)


def test_explicit_gpu_with_cupy_but_no_driver_raises(cupy_without_driver):
    with pytest.raises(backends.BackendUnavailableError, match="installed, no NVIDIA driver"):
        backends.resolve_array_backend("cupy")
    assert backends.resolve_array_backend("auto") == "numpy"
    assert "no NVIDIA driver" in backends.available()["cupy"].reason


def test_gpu_family_maps_across_kinds(fake_gpu):
    assert backends.resolve_array_backend("auto") == "cupy"
    assert backends.resolve_frame_backend("auto") == "cudf"
    assert backends.resolve_frame_backend("cupy") == "cudf"
    assert backends.resolve_array_backend("cudf") == "cupy"
    assert backends.resolve_array_backend("cpu") == "numpy"


def test_unknown_backend_lists_valid_names():
    with pytest.raises(ValueError, match="unknown backend 'tpu'; valid backends: .*cupy.*numpy"):
        backends.resolve_array_backend("tpu")


def test_config_and_environment_select_the_backend(monkeypatch):
    with gpuscale.config.set(backend="array_api_strict"):
        assert backends.resolve_array_backend() == "array_api_strict"
    monkeypatch.setenv("GPUSCALE_BACKEND", "cpu")
    assert backends.resolve_frame_backend() == "pandas"


def test_available_reports_reasons():
    status = backends.available()
    assert status["numpy"].ok and status["pandas"].ok
    assert set(status) == {"numpy", "cupy", "array_api_strict", "pandas", "cudf"}
    assert "numpy: ok" in str(status["numpy"])


def test_copies_are_counted_and_device_refuses_implicit_conversion():
    import numpy as np
    backends.reset_copy_counts()
    on_device = backends.to_device(np.arange(4), "array_api_strict")
    with pytest.raises(RuntimeError):
        np.asarray(on_device)  # like CuPy: no implicit host conversion
    assert backends.to_device(on_device, "array_api_strict") is on_device
    np.testing.assert_array_equal(backends.to_host(on_device), np.arange(4))
    assert backends.copy_counts == {"to_device": 1, "to_host": 1}
    host = np.ones(2)
    assert backends.to_host(host) is host  # no copy, not counted
    assert backends.copy_counts["to_host"] == 1


def test_gpu_probe_without_driver_does_not_raise():
    _detect.gpu_probe.cache_clear()
    count, reason = _detect.gpu_probe()
    assert count >= 0 and reason


def _runs_without_deadlock(action) -> bool:
    import threading

    done = threading.Event()

    def run():
        action()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(10)


@pytest.mark.parametrize("cache", ["join", "tokenize"])
def test_a_dead_objects_cache_callback_may_run_while_the_cache_lock_is_held(cache):
    # an allocation under the lock can run the garbage collector and so the weak-reference callback of a
    # dead cached object, in the same thread: the lock must be reentrant
    import pandas as pd

    from gpuscale.backends import tokenize
    from gpuscale.backends.frame import join

    holder = {"frame": pd.DataFrame({"k": [1, 2, 3]})}
    if cache == "join":
        join._key_index(holder["frame"], ["k"])
        lock = join._LOCK
    else:
        tokenize.normalize_data(holder["frame"])
        lock = tokenize._lock

    def drop_while_locked():
        with lock:
            holder.clear()  # the frame dies here: its callback takes the lock again

    assert _runs_without_deadlock(drop_while_locked)


def test_namespace_of_numpy_chunks_without_array_api_compat(monkeypatch):
    import array_api_compat
    import array_api_strict
    import numpy as np

    from gpuscale.backends.array import _core

    numpy_namespace = array_api_compat.array_namespace(np.zeros(1))
    monkeypatch.setattr(array_api_compat, "array_namespace", lambda *arrays: pytest.fail("not for NumPy"))
    assert _core.namespace(np.zeros(2), np.float32(1), 3) is numpy_namespace
    assert _core.namespace(2.0) is numpy_namespace
    monkeypatch.undo()
    assert _core.namespace(array_api_strict.asarray([1]), 1) is array_api_strict


def test_dasks_own_gpu_switch_is_honoured_where_gpuscale_is_left_at_auto(fake_gpu):
    """RAPIDS code sets ``dask.config.set({"dataframe.backend": "cudf"})``: ported, it keeps its meaning."""
    import dask

    with gpuscale.config.set(backend="auto"):
        with dask.config.set({"dataframe.backend": "cudf", "array.backend": "cupy"}):
            assert backends.resolve_frame_backend() == "cudf" and backends.resolve_array_backend() == "cupy"
        with dask.config.set({"dataframe.backend": "pandas", "array.backend": "numpy"}):  # dask's defaults: auto
            assert backends.resolve_frame_backend() == "cudf" and backends.resolve_array_backend() == "cupy"
    with gpuscale.config.set(backend="cpu"), dask.config.set({"dataframe.backend": "cudf"}):
        assert backends.resolve_frame_backend() == "pandas"  # gpuscale's own setting wins
    with gpuscale.config.set(backend="auto"), dask.config.set({"dataframe.backend": "cudf"}):
        assert backends.resolve_frame_backend("pandas") == "pandas"  # and so does an explicit backend=


def test_dasks_gpu_switch_without_a_gpu_is_a_clear_error(no_gpu):
    import dask

    with gpuscale.config.set(backend="auto"), dask.config.set({"dataframe.backend": "cudf"}):
        with pytest.raises(backends.BackendUnavailableError,
                           match=r"backend 'cudf' \(dask's config 'dataframe.backend'\) needs cudf, which cannot "
                                 r"run here: .*set dask's 'dataframe.backend' back to its default"):
            backends.resolve_frame_backend()
        assert backends.resolve_array_backend() == "numpy"  # arrays were not asked for
