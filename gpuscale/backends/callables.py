"""What a user's function takes, read from its signature (dask passes ``block_id``, ``block_info``,
``partition_info`` or ``dtype`` only to functions that ask for them)."""

from __future__ import annotations

import inspect
from typing import Any


def takes_argument(func: Any, name: str) -> bool:
    """Whether ``func`` has a parameter called ``name`` (False for callables without a signature)."""
    try:
        return name in inspect.signature(func).parameters
    except (TypeError, ValueError):  # builtins and ufuncs without a signature
        return False
