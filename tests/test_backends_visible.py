"""backend="auto" counts only the GPUs CUDA_VISIBLE_DEVICES leaves visible (NVML sees them all)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from gpuscale import backends
from gpuscale.backends import _detect
from gpuscale.backends._visible import NVMLDevice, apply_visible_devices, parse_visible_devices

FAKE_NVML_DIR = Path(__file__).parent / "cuda_workers" / "fake_nvml"
if str(FAKE_NVML_DIR) not in sys.path:
    sys.path.insert(0, str(FAKE_NVML_DIR))

import fake_pynvml  # noqa: E402

GiB = 2**30
TWO_GPUS = [
    {"name": "Fake GPU A", "uuid": "GPU-aaaaaaaa-0000-0000-0000-000000000000", "memory": 16 * GiB},
    {"name": "Fake GPU B", "uuid": "GPU-bbbbbbbb-0000-0000-0000-000000000000", "memory": 8 * GiB,
     "mig": [{"uuid": "MIG-cccccccc-0000-0000-0000-000000000000", "memory": 4 * GiB}]},
]


@pytest.fixture
def two_gpus(monkeypatch):
    """Two GPUs in NVML, cupy and cudf "installed"; the probe's cache cleared before and after."""
    pytest.importorskip("pynvml")
    fake_pynvml.install(TWO_GPUS, setattr=monkeypatch.setattr)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    monkeypatch.setitem(sys.modules, "cupy", types.ModuleType("cupy"))
    monkeypatch.setitem(sys.modules, "cudf", types.ModuleType("cudf"))
    _detect.gpu_probe.cache_clear()
    yield
    _detect.gpu_probe.cache_clear()


def test_unset_variable_shows_every_gpu(two_gpus):
    assert _detect.gpu_probe() == (2, "2 GPUs found by NVML")
    assert backends.resolve_array_backend("auto") == "cupy"


@pytest.mark.parametrize("value", ["", "-1", " ", "-1,0"])
def test_empty_or_negative_hides_every_gpu_and_auto_picks_the_cpu(two_gpus, monkeypatch, value):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", value)
    count, reason = _detect.gpu_probe()
    assert count == 0
    assert reason == f"CUDA_VISIBLE_DEVICES={value!r} hides all 2 GPUs"
    assert backends.resolve_array_backend("auto") == "numpy"
    assert backends.resolve_frame_backend("auto") == "pandas"
    assert reason in backends.available()["cupy"].reason


def test_a_list_naming_no_existing_device_hides_every_gpu(two_gpus, monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "7,GPU-ffff")
    count, reason = _detect.gpu_probe()
    assert count == 0
    assert reason == "CUDA_VISIBLE_DEVICES='7,GPU-ffff' hides all 2 GPUs (names no device '7'; NVML found 0, 1)"
    assert backends.resolve_frame_backend("auto") == "pandas"
    with pytest.raises(backends.BackendUnavailableError, match="hides all 2 GPUs"):
        backends.resolve_array_backend("gpu")


def test_the_count_is_the_number_of_visible_devices(two_gpus, monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
    assert _detect.gpu_probe() == (1, "1 of 2 GPUs visible (CUDA_VISIBLE_DEVICES='1')")
    assert backends.resolve_array_backend("auto") == "cupy"
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "GPU-bbbb,7,0")  # a UUID prefix; the list ends at 7
    count, reason = _detect.gpu_probe()
    assert count == 1
    assert "names no device '7', so CUDA ignores it and what follows" in reason


def test_the_answer_follows_the_variable_without_clearing_the_cache(two_gpus, monkeypatch):
    assert _detect.gpu_probe()[0] == 2
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert _detect.gpu_probe()[0] == 0


def test_mig_instances_are_devices(two_gpus, monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "MIG-cccc,0")
    count, reason = _detect.gpu_probe()
    assert count == 2
    assert reason.startswith("2 device(s), MIG instances included, of 2 GPUs visible")


def test_no_driver_still_says_no_driver_whatever_the_variable(monkeypatch):
    pynvml = pytest.importorskip("pynvml")

    def fail():
        raise pynvml.NVMLError(pynvml.NVML_ERROR_LIBRARY_NOT_FOUND)

    monkeypatch.setattr(pynvml, "nvmlInit", fail)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    _detect.gpu_probe.cache_clear()
    try:
        count, reason = _detect.gpu_probe()
    finally:
        _detect.gpu_probe.cache_clear()
    assert count == 0 and reason.startswith("no NVIDIA driver")


@pytest.mark.parametrize("value,tokens", [
    ("", []), ("0,1", ["0", "1"]), (" 2 , GPU-ab ,", ["2", "GPU-ab"]), ("1,-1,0", ["1"]), ("-2", []),
])
def test_parse(value, tokens):
    assert parse_visible_devices(value) == tokens


@pytest.mark.parametrize("value,visible", [
    (None, ("0", "1", "2")), ("2,0", ("2", "0")), ("0,0,1", ("0",)), ("GPU-a", ()), ("GPU-ab", ("0",)),
    ("MIG-x", ("MIG-x1",)), ("1,3,2", ("1",)), ("one", ()),
])
def test_apply_like_cuda(value, visible):
    devices = [NVMLDevice(0, "GPU-ab"), NVMLDevice(1, "GPU-ac", ("MIG-x1",)), NVMLDevice(2, "GPU-d")]
    assert apply_visible_devices(value, devices).visible == visible


def test_a_single_hidden_gpu_reads_well():
    assert apply_visible_devices("", [NVMLDevice(0, "GPU-a")]).reason == \
        "CUDA_VISIBLE_DEVICES='' hides the only GPU"
    assert apply_visible_devices("", []).reason == "NVML reports no GPU"
