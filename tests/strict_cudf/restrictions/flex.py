"""Flex operators (``add``, ``eq``, ...): cuDF's ``axis`` and ``level`` arguments."""

from __future__ import annotations

from typing import Any

import pytest

from .base import Restriction


_FLEX = ("add", "sub", "mul", "div", "truediv", "floordiv", "mod", "pow", "radd", "rsub", "rmul", "rdiv",
         "rtruediv", "rfloordiv", "rmod", "rpow", "eq", "ne", "lt", "le", "gt", "ge", "subtract", "multiply",
         "divide")


def _flex_level(args: tuple, kwargs: dict) -> str | None:
    # (other, axis, level, fill_value): cuDF's arithmetic refuses level, its comparisons ignore it
    level = kwargs.get("level")
    return "level parameter is not supported (or ignored) by cuDF" if level is not None else None


_COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")


def _flex_frame(args: tuple, kwargs: dict) -> str | None:
    # DataFrame (other, axis, level, fill_value): cuDF's make_binop_func wrapper takes axis=1 only
    axis = kwargs.get("axis", args[1] if len(args) > 1 else "columns")
    return _flex_level(args, kwargs) or (None if axis in (1, "columns") else "Only axis=1 supported at this time.")


def _flex_series(args: tuple, kwargs: dict) -> str | None:
    # Series (other, level, fill_value, axis): axis=0 only ("index" too is refused: the check is axis != 0)
    axis = kwargs.get("axis", args[3] if len(args) > 3 else 0)
    return _flex_level(args, kwargs) or (None if axis == 0 else "Only axis=0 supported at this time.")


def _verify_flex_axis(cudf: Any) -> None:
    _verify_flex_level(cudf)
    for how in _FLEX:
        for axis in (0, "index"):
            with pytest.raises(NotImplementedError, match="axis=1"):
                getattr(cudf.DataFrame(), how)(1, axis=axis)  # refused before the operands are looked at
        with pytest.raises(NotImplementedError, match="axis=0"):
            getattr(cudf.Series, how)(None, 1, axis="index")  # (the check comes before self is used)


def _verify_flex_level(cudf: Any) -> None:
    import inspect

    for how in _FLEX:
        if how in _COMPARISONS:  # taken and ignored: the operands are aligned on the whole index, not broadcast
            for cls in (cudf.DataFrame, cudf.Series):
                method = getattr(cls, how)
                body = inspect.getsource(method).split(f"def {how}(", 1)[1].split(":\n", 1)[1]
                assert "level" in inspect.signature(method).parameters and "level" not in body, how
            continue
        with pytest.raises(NotImplementedError, match="level"):
            getattr(cudf.DataFrame(), how)(1, level="n")  # refused before the operands are looked at


RESTRICTIONS = [
    *[Restriction(("DataFrame",), how, _flex_frame, _verify_flex_axis) for how in _FLEX],
    *[Restriction(("Series",), how, _flex_series, _verify_flex_axis) for how in _FLEX],
]
