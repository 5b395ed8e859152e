"""Sizes of the memory options: ``device.memory_limit`` floats are fractions of the device (as dask-cuda's and
cuda_workers'), ``memory_limit`` is a whole number of bytes (a fraction is refused, not truncated)."""

from __future__ import annotations

import pytest

from gpuscale import config
from gpuscale.backends.device_memory import resolve_memory_limit


@pytest.mark.parametrize("value, expected", [
    (1.0, 1.0), ("1.0", 1.0), ("0.5", 0.5), (0.5, 0.5), ("100%", 1.0), (1, 1), ("1", 1), ("4GiB", 4 * 2**30),
])
def test_device_memory_limit_floats_up_to_one_are_fractions(value, expected):
    parsed = config.check("device.memory_limit", value)
    assert parsed == expected and type(parsed) is type(expected)


def test_device_memory_limit_of_one_is_all_of_the_device():
    assert resolve_memory_limit(config.check("device.memory_limit", 1.0), total=16 * 2**30) == 16 * 2**30


@pytest.mark.parametrize("value", [0.5, "0.5", 1.5, "1.5", 2.5])
def test_memory_limit_refuses_fractions_of_bytes(value):
    with pytest.raises(ValueError, match=r"memory_limit=.*not a whole number of bytes.*bytes here"):
        config.check("memory_limit", value)


@pytest.mark.parametrize("value, expected", [(2.0, 2), ("1.5GB", 1_500_000_000), (4e9, 4_000_000_000)])
def test_memory_limit_whole_sizes_still_read(value, expected):
    assert config.check("memory_limit", value) == expected
