"""NVML discovery and CUDA_VISIBLE_DEVICES handling, against the fake NVML and the real (absent) one."""

from __future__ import annotations

import pytest
from conftest import SHARED_MEMORY_GPU, GiB, TWO_GPUS, use_fake_gpus

from cuda_workers import devices
from cuda_workers.devices import DeviceSelectionError

MIG_GPU = {
    "name": "Fake GPU M", "uuid": "GPU-cccccccc-0000-0000-0000-000000000000", "memory": 40 * GiB,
    "cpus": [0, 1],
    "mig": [{"uuid": "MIG-11111111-0000", "memory": 10 * GiB}, {"uuid": "MIG-22222222-0000", "memory": 20 * GiB}],
}


def test_no_nvml_means_no_devices_and_a_reason(no_gpu):
    found = devices.discover()
    assert not found and found.devices == ()
    assert "NVML" in found.reason


def test_discovers_count_names_memory_uuids_affinity_and_nvlink(fake_gpus):
    found = devices.discover().devices
    assert [d.name for d in found] == ["Fake GPU A", "Fake GPU B"]
    assert [d.memory_total_bytes for d in found] == [16 * GiB, 8 * GiB]
    assert [d.uuid for d in found] == [g["uuid"] for g in TWO_GPUS]
    assert [d.cpu_affinity for d in found] == [(0,), (1,)]
    assert [d.nvlink_peers for d in found] == [(1,), (0,)]
    assert [d.visible_id for d in found] == ["0", "1"]


def test_mig_gpu_is_replaced_by_its_instances(monkeypatch):
    use_fake_gpus(monkeypatch, [TWO_GPUS[0], MIG_GPU])
    found = devices.discover().devices
    assert [d.visible_id for d in found] == ["0", "MIG-11111111-0000", "MIG-22222222-0000"]
    assert [d.memory_total_bytes for d in found[1:]] == [10 * GiB, 20 * GiB]
    assert all(d.mig_parent == 1 and d.cpu_affinity == (0, 1) for d in found[1:])


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        (None, ["0", "1"]),
        ("1", ["1"]),
        ("1,0", ["1", "0"]),
        ([1, "0"], ["1", "0"]),
        # a GPU named by UUID reaches the workers by its whole UUID (the same device whatever CUDA's order)
        ("GPU-bbbbbbbb-0000-0000-0000-000000000000", ["GPU-bbbbbbbb-0000-0000-0000-000000000000"]),
        ("GPU-bbbb", ["GPU-bbbbbbbb-0000-0000-0000-000000000000"]),  # unique prefix, as CUDA accepts
        (" 0 , GPU-bbbb ", ["0", "GPU-bbbbbbbb-0000-0000-0000-000000000000"]),
        ("", []),
        ("-1", []),  # the CUDA idiom for "no GPU"
        ("1,-1,0", ["1"]),  # CUDA stops at the first negative index
    ],
)
def test_select_accepts_indices_and_uuids(fake_gpus, requested, expected):
    found = devices.discover().devices
    chosen = devices.select(requested, found)
    assert [d.visible_id for d in chosen] == expected
    # workers and messages name a whole GPU by its index however it was named
    assert [d.label for d in chosen] == [str(d.index) for d in chosen]


def test_select_mig_by_uuid(monkeypatch):
    use_fake_gpus(monkeypatch, [TWO_GPUS[0], MIG_GPU])
    found = devices.discover().devices
    chosen = devices.select("MIG-22222222-0000,0", found)
    assert [d.visible_id for d in chosen] == ["MIG-22222222-0000", "0"]
    with pytest.raises(DeviceSelectionError, match="'1' does not exist"):
        devices.select("1", found)  # a GPU in MIG mode is addressed through its instances


@pytest.mark.parametrize(("token", "problem"), [("7", "does not exist"), ("GPU-ffff", "does not exist"),
                                                 ("GPU-", "more than one")])
def test_select_rejects_unknown_or_ambiguous_devices(fake_gpus, token, problem):
    with pytest.raises(DeviceSelectionError, match=problem) as error:
        devices.select(token, devices.discover().devices)
    assert "devices found: 0, 1" in str(error.value)


def test_each_worker_sees_its_own_device_first():
    found = [devices.Device(i, f"GPU-{i}", "x", 1) for i in range(4)]
    assert [devices.rotated_visible_devices(found, i) for i in range(4)] == [
        "0,1,2,3", "1,2,3,0", "2,3,0,1", "3,0,1,2"]


@pytest.mark.parametrize(("words", "cpus"), [([0b1011], (0, 1, 3)), ([0, 1], (64,)), ([2**63, 0b1], (63, 64)), ([], ())])
def test_unpack_cpu_mask(words, cpus):
    assert devices.unpack_cpu_mask(words) == cpus


def test_describe_lists_every_device(monkeypatch):
    use_fake_gpus(monkeypatch, [TWO_GPUS[0], MIG_GPU])
    text = devices.describe(devices.discover())
    assert "Fake GPU A" in text and "MIG-22222222-0000" in text and "16.0 GiB" in text
    assert "0-1" in text


def test_cpu_ranges_are_compact():
    assert devices._ranges((0, 1, 2, 5, 7, 8)) == "0-2,5,7-8"


def test_describe_without_gpu_gives_the_reason(no_gpu):
    assert devices.describe(devices.discover()).startswith("No usable GPU: NVML")


def test_a_gpu_sharing_the_hosts_memory_is_found(monkeypatch):
    """NVML reports no memory of its own for such a GPU (DGX Spark's GB10, Jetson): it is still a GPU."""
    use_fake_gpus(monkeypatch, [SHARED_MEMORY_GPU])
    found = devices.discover()
    assert found and [(d.name, d.memory_total_bytes) for d in found.devices] == [("Fake GB10", None)]
    assert "shared" in devices.describe(found)
