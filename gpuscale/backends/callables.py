"""What a user's function takes, read from its signature (dask passes ``block_id``, ``block_info``,
``partition_info`` or ``dtype`` only to functions that ask for them), and calling it with keywords that
travelled as operands."""

from __future__ import annotations

import inspect
from typing import Any


def takes_argument(func: Any, name: str) -> bool:
    """Whether ``func`` has a parameter called ``name`` (False for callables without a signature)."""
    try:
        return name in inspect.signature(func).parameters
    except (TypeError, ValueError):  # builtins and ufuncs without a signature
        return False


def call_with_keywords_last(func: Any, names: tuple, *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` where the last ``len(names)`` arguments are keyword arguments ``names`` (lazy
    keyword values, a ``Delayed``, travel as operands and come back as keywords)."""
    n = len(names)
    return func(*args[:-n], **kwargs, **dict(zip(names, args[-n:])))
