"""Test modules have distinct base names: pytest imports them by base name (the test folders are not packages),
so two files of one name in two folders stop the whole suite's collection ("import file mismatch")."""

from __future__ import annotations

import collections
import pathlib


def test_no_two_test_modules_share_a_name():
    root = pathlib.Path(__file__).parent
    names = collections.Counter(path.name for path in root.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
