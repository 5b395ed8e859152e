"""Sorts: cuDF sorts with ``kind='quicksort'`` only (and warns before falling back to it)."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from .base import Restriction


def _kind_not_quicksort(args: tuple, kwargs: dict) -> str | None:
    kind = kwargs.get("kind", "quicksort")
    return None if kind in ("quicksort", None) else f"kind={kind!r} is not supported by cuDF (only 'quicksort')"


def _verify_sort_index(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="kind"):
        cudf.DataFrame().sort_index(kind="stable")
    cudf.DataFrame().sort_index(kind="quicksort")


def _verify_sort_values(cudf: Any) -> None:
    with pytest.warns(UserWarning, match="defaulting to quicksort"):
        cudf.DataFrame().sort_values([], kind="stable")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cudf.DataFrame().sort_values([], kind="quicksort")


RESTRICTIONS = [
    Restriction(("DataFrame", "Series"), "sort_index", _kind_not_quicksort, _verify_sort_index),
    Restriction(("DataFrame", "Series"), "sort_values", _kind_not_quicksort, _verify_sort_values),
]
