"""--size parsing: sizes people type, and clear errors for the rest."""

from __future__ import annotations

import pytest

from gpuscale.demo.errors import DemoError
from gpuscale.demo.sizes import human_bytes, parse_size, size_label


@pytest.mark.parametrize("text, expected", [
    ("1GB", 10**9), ("20MB", 20 * 10**6), ("2.5GB", 2_500_000_000), ("500 MB", 500 * 10**6),
    ("1GiB", 2**30), ("1e9", 10**9),
])
def test_sizes_people_type(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text, message", [
    ("abc", "cannot read 'abc'"), ("", "between 1MB and 1TB"), ("0", "between 1MB and 1TB"),
    ("-5GB", "negative"), ("10kB", "between 1MB and 1TB"), ("5TB", "between 1MB and 1TB"), ("1GBB", "cannot read"),
])
def test_bad_sizes_name_the_option_and_exit_with_status_2(text, message):
    with pytest.raises(DemoError, match=message) as info:
        parse_size(text)
    assert "--size" in str(info.value)
    assert info.value.exit_code == 2


@pytest.mark.parametrize("size, label", [
    (10**9, "1GB"), (20 * 10**6, "20MB"), (1_500_000_000, "1500MB"), (2**30, "1GiB"), (3 * 2**20, "3MiB"), (1_234_567, "1234567B"), (10**12, "1TB"),
])
def test_size_labels_name_folders(size, label):
    assert size_label(size) == label


def test_human_bytes():
    assert human_bytes(1_234_567) == "1.2 MB"
    assert human_bytes(2.5e9) == "2.5 GB"
    assert human_bytes(900) == "0.9 kB"
