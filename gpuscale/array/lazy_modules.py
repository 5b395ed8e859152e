"""The gpuscale.array module of a name, imported when first asked for: the Array class and its methods call
module-level functions in modules that themselves import the Array class."""

from __future__ import annotations

import importlib
from types import ModuleType


def array_module(name: str) -> ModuleType:
    """``gpuscale.array.<name>``.

    Examples
    --------
    >>> array_module("creation").__name__
    'gpuscale.array.creation'
    """
    return importlib.import_module(f"gpuscale.array.{name}")
