"""The spill store with container subclasses of device arrays: named tuples, OrderedDict,
defaultdict, sets (CPU only, simulated device)."""

from __future__ import annotations

import collections

import numpy as np
import pytest
from fake_device import SimulatedDeviceArray

from cuda_workers.spill import DeviceHostDiskStore, device_nbytes, is_device_object

MB = 1_000_000
Pair = collections.namedtuple("Pair", "x y")


def array(value, n_bytes=MB):
    return SimulatedDeviceArray(np.full(n_bytes // 8, value, dtype="f8"))


@pytest.fixture
def store(tmp_path):
    s = DeviceHostDiskStore(3 * MB, 2.5 * MB, str(tmp_path))
    yield s
    s.close()


def _defaultdict(value):
    d = collections.defaultdict(list)
    d["b"], d["a"] = value, 1
    return d


CONTAINERS = {
    "namedtuple": lambda v: Pair(v, 1),
    "ordereddict": lambda v: collections.OrderedDict([("z", 0), ("b", v), ("a", 1)]),
    "defaultdict": _defaultdict,
    "set": lambda v: {v, 1},
    "frozenset": lambda v: frozenset([v, 2]),
    "nested": lambda v: [collections.OrderedDict(b=Pair(v, v))],
}


@pytest.mark.parametrize("kind", CONTAINERS)
def test_container_subclasses_of_device_arrays_are_device_data(kind):
    value = CONTAINERS[kind](array(1.0))
    assert is_device_object(value)
    assert device_nbytes(value) == MB
    assert not is_device_object(CONTAINERS[kind](np.ones(3).tobytes()))
    assert not is_device_object("text") and not is_device_object(b"bytes")


def _check_same_shape(kind, before, after):
    assert type(after) is type(before)
    if kind == "namedtuple":
        assert after._fields == ("x", "y") and after.y == 1 and after.x.host[0] == 1.0
    elif kind in ("ordereddict", "defaultdict"):
        assert list(after) == list(before) and after["b"].host[0] == 1.0
        if kind == "defaultdict":
            assert after.default_factory is list and after["missing"] == []
    elif kind in ("set", "frozenset"):
        assert sorted(type(v).__name__ for v in after) == ["SimulatedDeviceArray", "int"]
    else:
        inner = after[0]["b"]
        assert type(after[0]) is collections.OrderedDict and type(inner) is Pair
        assert inner.x is inner.y and inner.x.host[0] == 1.0  # one array held twice comes back as one


@pytest.mark.parametrize("kind", CONTAINERS)
def test_container_subclasses_are_counted_spilled_and_come_back_as_they_were(store, kind):
    before = CONTAINERS[kind](array(1.0))
    store["c"] = before
    assert store.location("c") == "device" and store.device_bytes == MB
    for i in range(3):  # push it to host, then to disk
        store[i] = array(float(i))
    assert store.location("c") in ("host", "disk")
    assert store.counts["device_to_host"] >= 1
    store[10] = array(9.0, 2 * MB)
    store[11] = np.ones(2 * MB // 8)
    assert store.location("c") == "disk"
    after = store["c"]
    assert store.location("c") == "device"
    _check_same_shape(kind, before, after)


def test_many_container_subclasses_respect_the_device_limit(tmp_path):
    s = DeviceHostDiskStore(100, 10**9, str(tmp_path))
    for i in range(5):
        s[f"nt{i}"] = Pair(SimulatedDeviceArray(np.zeros(10)), SimulatedDeviceArray(np.zeros(10)))
        s[f"od{i}"] = collections.OrderedDict(a=SimulatedDeviceArray(np.zeros(10)))
    assert s.device_bytes <= 100 and s.location("od4") == "device"
    assert s.location("nt0") == "host"
    s.close()
