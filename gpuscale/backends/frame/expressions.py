"""pandas 3's column expressions (``pd.col("a") * 2``): recognised and evaluated on a gpuscale collection.

pandas evaluates an expression wherever it takes a callable of the frame (``assign``, ``df[...]``, ``loc``,
``where``/``mask``, ``select``); evaluated on a collection, its column references and operations build lazy
Series, so the same expression runs on pandas and cuDF partitions alike.
"""

from __future__ import annotations

from typing import Any

__all__ = ["is_expression", "evaluate_expression"]


def _expression_type() -> Any:
    try:  # pandas 3 and later
        from pandas.api.typing import Expression
    except ImportError:
        return None
    return Expression


def is_expression(obj: Any) -> bool:
    """Whether ``obj`` is a pandas column expression (``pd.col(...)``)."""
    kind = _expression_type()
    return kind is not None and isinstance(obj, kind)


def evaluate_expression(expression: Any, frame: Any) -> Any:
    """``expression`` evaluated on ``frame`` (pandas' own evaluation: ``frame[name]`` for each column, then the
    operations and method calls it records)."""
    return expression._eval_expression(frame)
