"""Argument values cuDF refuses (or only warns about) although its signature takes them.

Each restriction has two halves: ``check`` runs in the stand-in before a call and
raises what cuDF raises (fallback warnings become errors: each one is a silent
slow path on a GPU); ``verify`` runs in the cuDF lane (``make test-cudf``) against
the real cuDF, on objects that need no GPU (a DataFrame without columns), and
proves cuDF still behaves so.  Add one when reading cuDF finds another.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Callable

import pytest


class StrictCudfRefusal(NotImplementedError):
    """A call the real cuDF refuses or degrades (raised by the stand-in)."""


@dataclass(frozen=True)
class Restriction:
    classes: tuple  # stand-in class names ("cudf" for module functions)
    method: str
    check: Callable[[tuple, dict], str | None]  # the refusal message, or None if cuDF accepts the call
    verify: Callable[[Any], None]  # asserts the real cuDF refuses it


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


def _parquet_keywords(cudf: Any) -> set:
    import inspect

    return {p.name for p in inspect.signature(cudf.DataFrame.to_parquet).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


_PARQUET_KEYWORDS: set = set()  # filled from the spec when the stand-in loads


def _unknown_parquet_keyword(args: tuple, kwargs: dict) -> str | None:
    unknown = sorted(set(kwargs) - _PARQUET_KEYWORDS)
    return f"cudf engine doesn't support the following keyword arguments: {unknown}" if unknown else None


def _verify_to_parquet(cudf: Any, tmp: str = "/nonexistent/x.parquet") -> None:
    with pytest.raises(ValueError, match="row_group_size"):
        cudf.DataFrame().to_parquet(tmp, row_group_size=5)
    assert "row_group_size_rows" in _parquet_keywords(cudf)


RESTRICTIONS = [
    Restriction(("DataFrame", "Series"), "sort_index", _kind_not_quicksort, _verify_sort_index),
    Restriction(("DataFrame", "Series"), "sort_values", _kind_not_quicksort, _verify_sort_values),
    Restriction(("DataFrame",), "to_parquet", _unknown_parquet_keyword, _verify_to_parquet),
]
_BY_CALL = {(cls, r.method): r for r in RESTRICTIONS for cls in r.classes}


def load_parquet_keywords(spec: dict) -> None:
    _PARQUET_KEYWORDS.update(spec["classes"]["DataFrame"]["to_parquet"]["params"])


def check_call(cls: str, method: str, args: tuple, kwargs: dict) -> None:
    """Raise ``StrictCudfRefusal`` if cuDF refuses (or falls back on) this call."""
    restriction = _BY_CALL.get((cls, method))
    message = restriction and restriction.check(args, kwargs)
    if message:
        raise StrictCudfRefusal(f"strict cuDF: {cls}.{method}: {message}")
