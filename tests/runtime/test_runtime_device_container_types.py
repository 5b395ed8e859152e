"""The local runtime's device helper with container subclasses (named tuples, OrderedDict,
defaultdict, sets): recognised, sized, and moved to host and back as the same type."""

from __future__ import annotations

import collections
import pickle

import numpy as np
import pytest

from gpuscale.backends import device_memory as dm

xps = pytest.importorskip("array_api_strict")
DEVICE = xps.Device("device1")
Pair = collections.namedtuple("Pair", "x y")


def block(value, n=1000):
    return xps.asarray(np.full(n, float(value)), device=DEVICE)


def host_total(x):
    return float(np.asarray(xps.asarray(x, device=xps.Device("CPU_DEVICE"), copy=True)).sum())


class Tagged(list):
    """A list subclass with an attribute of its own."""

    tag = "none"


def test_container_subclasses_are_device_values_and_sized():
    x = block(1)
    dd = collections.defaultdict(list, a=x)
    for value in (Pair(x, 1), collections.OrderedDict(a=x), dd, [Pair(1, {"k": x})]):
        assert dm.is_device_value(value), value
    assert not dm.is_device_value(frozenset([1])) and not dm.is_device_value("text")
    assert dm.device_nbytes(Pair(x, collections.OrderedDict(b=x, c=block(2, 500)))) == 8000 + 4000
    assert not dm.is_device_value(Pair(np.ones(3), "s")) and dm.device_nbytes(Pair(1, 2)) == 0


def test_container_subclasses_move_to_host_and_back_as_they_were():
    x, y = block(1), block(2, 10)
    dd = collections.defaultdict(list)
    dd["z"], dd["a"] = y, 5
    tagged = Tagged([x, "t"])
    tagged.tag = "kept"
    value = Pair(collections.OrderedDict([("b", x), ("a", y)]), [dd, tagged])
    copy = pickle.loads(pickle.dumps(dm.move_to_host(value)))
    assert copy.device_bytes == 8080
    back = dm.move_to_device(copy)
    assert type(back) is Pair and type(back.x) is collections.OrderedDict and list(back.x) == ["b", "a"]
    dd_back, tagged_back = back.y
    assert type(dd_back) is collections.defaultdict and dd_back.default_factory is list
    assert list(dd_back) == ["z", "a"] and dd_back["a"] == 5 and dd_back["missing"] == []
    assert type(tagged_back) is Tagged and tagged_back.tag == "kept" and tagged_back[1] == "t"
    assert back.x["b"] is tagged_back[0] and back.x["b"].device == DEVICE  # x held twice: one object
    assert host_total(back.x["b"]) == 1000.0 and host_total(dd_back["z"]) == 20.0
