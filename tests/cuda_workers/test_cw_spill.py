"""The device → host → disk store, with a simulated device tier (CPU only)."""

from __future__ import annotations

import os
import stat
import sys

import numpy as np
import pytest
from fake_device import SimulatedDeviceArray
from hypothesis import given, settings
from hypothesis import strategies as st

from cuda_workers.spill import DeviceHostDiskStore, HostCopy, device_nbytes, is_device_object, make_store

MB = 1_000_000


def array(value, n_bytes=MB):
    return SimulatedDeviceArray(np.full(n_bytes // 8, value, dtype="f8"))


@pytest.fixture
def store(tmp_path):
    s = DeviceHostDiskStore(3 * MB, 4.5 * MB, str(tmp_path))
    yield s
    s.close()


def test_device_objects_are_recognised_without_importing_cuda_libraries():
    assert is_device_object(array(1.0))
    assert not is_device_object(np.ones(3)) and not is_device_object({"a": 1})
    assert device_nbytes(array(1.0, 8000)) == 8000


def test_working_set_larger_than_the_device_spills_lru_to_host_then_disk(store):
    for i in range(10):
        store[("x", i)] = array(float(i))
    places = [store.location(("x", i)) for i in range(10)]
    assert places == ["disk"] * 3 + ["host"] * 4 + ["device"] * 3  # oldest furthest down
    assert store.device_bytes == 3 * MB <= 3 * MB
    assert store.host_bytes <= 4.5 * MB
    assert store.counts["device_to_host"] == 7 and store.counts["host_to_disk"] == 3
    assert len(os.listdir(store.directory)) == 3


def test_reading_unspills_to_the_device_and_keeps_values(store):
    for i in range(10):
        store[i] = array(float(i))
    assert [store[i].host[0] for i in range(10)] == list(range(10))
    assert store.location(9) == "device" and store.location(0) == "disk"
    value = store[0]
    assert isinstance(value, SimulatedDeviceArray) and value.host[-1] == 0.0
    assert store.location(0) == "device"  # a read brings it back up
    assert store.counts["host_to_device"] > 0 and store.counts["disk_to_host"] > 0


def test_recently_read_keys_stay_on_the_device(store):
    for i in range(3):
        store[i] = array(float(i))
    store[0]  # touch: 1 is now least recently used
    store[3] = array(3.0)
    assert store.location(1) == "host"
    assert {store.location(k) for k in (0, 2, 3)} == {"device"}


def test_host_objects_skip_the_device_tier(store):
    store["h"] = np.arange(10)
    assert store.location("h") == "host" and store.device_bytes == 0
    np.testing.assert_array_equal(store["h"], np.arange(10))


def test_device_bytes_are_accounted_per_object(store):
    store["a"] = array(1.0, 800_000)
    store["b"] = array(2.0, 400_000)
    assert store.device_bytes_by_key() == {"a": 800_000, "b": 400_000}
    del store["a"]
    assert store.device_bytes == 400_000
    assert store.accounting()["rmm_current_bytes"] is None  # no RMM statistics on CPU
    assert store.accounting()["consistent"]


class FakeStatistics:
    def __init__(self, current_bytes):
        self.current_bytes = current_bytes

    def get_statistics(self):
        return self


def test_accounting_is_checked_against_rmm_statistics(store, monkeypatch):
    import types

    store["a"] = array(1.0, 800_000)
    monkeypatch.setitem(sys.modules, "rmm", types.SimpleNamespace(statistics=FakeStatistics(1_000_000)))
    assert store.accounting()["rmm_current_bytes"] == 1_000_000 and store.accounting()["consistent"]
    monkeypatch.setitem(sys.modules, "rmm", types.SimpleNamespace(statistics=FakeStatistics(500_000)))
    assert not store.accounting()["consistent"]  # we count more than RMM allocated


def test_object_larger_than_the_device_goes_straight_to_host(store):
    store["big"] = array(7.0, 4 * MB)
    assert store.location("big") == "host" and store.device_bytes == 0
    assert store["big"].host[0] == 7.0


def test_overwrite_and_delete_in_every_tier(store):
    for i in range(10):
        store[i] = array(float(i))
    store[0] = np.zeros(2)  # key was on disk, now a host object
    assert store.location(0) == "host" and list(store[0]) == [0.0, 0.0]
    for i in range(10):
        del store[i]
    assert len(store) == 0 and store.device_bytes == 0 and os.listdir(store.directory) == []
    with pytest.raises(KeyError):
        store[1]


def test_evict_protocol_for_the_worker_memory_monitor(store):
    assert store.evict() == -1  # nothing on host
    store["h"] = np.ones(1000)
    assert store.fast and store.evict() > 0
    assert store.location("h") == "disk" and store["h"].sum() == 1000


def test_spill_directory_is_private_and_removed_on_close(tmp_path):
    store = make_store(str(tmp_path), device_memory_limit=MB, memory_limit=10 * MB)
    assert stat.S_IMODE(os.stat(store.directory).st_mode) == 0o700
    for i in range(5):
        store[i] = array(float(i))
    store.close()
    assert not os.path.exists(store.directory) and os.listdir(tmp_path) == []


def test_containers_of_device_arrays_are_device_data_counted_and_moved(store):
    a, b = array(1.0, 800_000), array(2.0, 400_000)
    assert is_device_object((a, [b])) and is_device_object({"k": {"j": a}})
    assert not is_device_object((np.ones(3), [1])) and not is_device_object({})
    assert device_nbytes((a, a, {"b": b}, np.ones(1000))) == 1_200_000  # distinct device objects only

    store["pair"] = (a, {"b": b})
    assert store.location("pair") == "device" and store.device_bytes_by_key() == {"pair": 1_200_000}
    store["list"] = [array(3.0)] * 2  # the same 1 MB array twice: 1 MB
    assert store.device_bytes == 2_200_000
    store["next"] = array(4.0)  # 3.2 MB > 3 MB: the least recently used container goes to host
    assert store.location("pair") == "host" and store.device_bytes == 2 * MB
    assert store.counts["device_to_host"] == 1
    value = store["pair"]  # read: moved back as a container of device arrays
    assert type(value) is tuple and isinstance(value[0], SimulatedDeviceArray)
    assert isinstance(value[1]["b"], SimulatedDeviceArray) and value[1]["b"].host[0] == 2.0
    assert store.location("pair") == "device" and store.counts["host_to_device"] == 1
    assert store.device_bytes <= 3 * MB


def test_containers_of_host_objects_stay_in_the_host_tier(store):
    store["h"] = (np.ones(10), [1, 2], {"x": "y"})
    assert store.location("h") == "host" and store.device_bytes == 0


def test_host_copy_round_trips_through_disk_serialization():
    from distributed.protocol import deserialize_bytes, serialize_bytelist

    copy = HostCopy({"x": 1}, [b"abc", memoryview(b"de")])
    again = deserialize_bytes(b"".join(serialize_bytelist(copy)))
    assert again.header == {"x": 1} and [bytes(f) for f in again.frames] == [b"abc", b"de"]
    assert copy.__sizeof__() == 5


operations = st.lists(
    st.tuples(st.sampled_from(["set_device", "set_host", "get", "del"]), st.integers(0, 7),
              st.integers(1, 12)),
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(operations)
def test_store_behaves_like_a_dict_and_respects_the_device_limit(tmp_path_factory, ops):
    store = DeviceHostDiskStore(40_000, 60_000, str(tmp_path_factory.mktemp("spill")))
    model = {}
    try:
        for op, key, size in ops:
            if op == "set_device":
                model[key] = float(size)
                store[key] = array(float(size), size * 8000)
            elif op == "set_host":
                model[key] = float(-size)
                store[key] = np.full(size * 100, float(-size))
            elif op == "get" and key in model:
                value = store[key]
                first = value.host[0] if isinstance(value, SimulatedDeviceArray) else value[0]
                assert first == model[key]
            elif op == "del" and key in model:
                del model[key], store[key]
            assert store.device_bytes <= 40_000
            assert set(store) == set(model)
    finally:
        store.close()


def _unpicklable(n_bytes):
    import threading

    return [threading.Lock(), np.zeros(n_bytes // 8)]  # a host object pickle refuses


def _all_in_memory_or_on_disk(store):
    held = set(store.device.fast) | set(store.host.fast) | set(store.host.slow)
    return held == set(store)  # nothing held that the index (and so close()) does not know


def test_unpicklable_old_host_object_stays_in_memory_and_the_new_one_is_stored(tmp_path, caplog):
    store = DeviceHostDiskStore(100, 1000, str(tmp_path))
    store["a"] = _unpicklable(500)
    store["b"] = np.zeros(80)  # pushes "a" towards disk: it cannot be pickled
    assert set(store) == {"a", "b"} and store.location("a") == "host"
    np.testing.assert_array_equal(store["b"], np.zeros(80))
    assert "Failed to spill 'a'" in caplog.text and _all_in_memory_or_on_disk(store)
    store["c"] = np.ones(10)  # logged once per key
    assert caplog.text.count("Failed to spill 'a'") == 1
    assert store.evict() == -1  # the memory monitor's eviction fails the same way, without raising
    store.close()
    assert len(store.host.fast) == 0 and store.host_bytes == 0


def test_unpicklable_old_device_object_stays_on_the_device_and_the_new_one_is_stored(tmp_path, caplog):
    import threading

    store = DeviceHostDiskStore(3 * MB, 10 * MB, str(tmp_path))
    store["old"] = (array(1.0, 2 * MB), threading.Lock())  # device data that cannot be serialized
    store["new"] = array(2.0, 2 * MB)  # evicting "old" to host fails
    assert set(store) == {"old", "new"} and store.location("old") == store.location("new") == "device"
    assert store.device_bytes == 4 * MB and "Failed to spill 'old'" in caplog.text
    assert store["new"].host[0] == 2.0 and _all_in_memory_or_on_disk(store)
    store.close()
    assert store.device_bytes == 0


def test_device_spill_onto_an_unpicklable_host_object_keeps_every_key_in_one_place(tmp_path, caplog):
    store = DeviceHostDiskStore(MB, 1.5 * MB, str(tmp_path))
    store["h"] = _unpicklable(MB)
    store["d1"] = array(1.0)
    store["d2"] = array(2.0)  # d1 to host, which pushes "h" to disk: fails
    assert store.location("d1") == "host" and "d1" not in store.device.fast
    assert store.location("h") == "host" and store.location("d2") == "device"
    assert store["d1"].host[0] == 1.0 and _all_in_memory_or_on_disk(store)
    store.close()
    assert store.device_bytes == 0 and len(store.host.fast) == 0


def test_new_object_larger_than_host_memory_that_cannot_be_pickled_is_refused(tmp_path):
    store = DeviceHostDiskStore(100, 1000, str(tmp_path))
    store["small"] = np.zeros(10)
    with pytest.raises(TypeError, match="could not spill 'big'"):
        store["big"] = _unpicklable(5000)
    assert set(store) == {"small"} and "big" not in store.host
    np.testing.assert_array_equal(store["small"], np.zeros(10))
    store.close()


def test_reading_from_disk_past_an_unpicklable_host_object_returns_the_value(tmp_path):
    store = DeviceHostDiskStore(100, 1000, str(tmp_path))
    store["p"] = np.arange(60.0)
    assert store.evict() > 0 and store.location("p") == "disk"
    store["u"] = _unpicklable(600)
    np.testing.assert_array_equal(store["p"], np.arange(60.0))  # back to host: evicting "u" fails
    assert store.location("p") == "host" and store.location("u") == "host"
    assert _all_in_memory_or_on_disk(store)
    store.close()
