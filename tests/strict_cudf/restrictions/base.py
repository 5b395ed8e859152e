"""One restriction: a call cuDF refuses, checked in the stand-in and verified against the real cuDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Restriction:
    classes: tuple  # stand-in class names ("cudf" for module functions)
    method: str
    check: Callable[..., str | None]  # the refusal message, or None if cuDF accepts the call
    verify: Callable[[Any], None]  # asserts the real cuDF refuses it
    needs_data: bool = False  # check(obj, args, kwargs): the refusal depends on the values (the pandas object)
