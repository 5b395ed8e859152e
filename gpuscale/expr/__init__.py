"""Lazy expressions and the optimizer shared by gpuscale.array and gpuscale.dataframe."""

from gpuscale.expr.core import (
    Expr, Tuple, cached_bottom_up, collect_dependents, operand_results, operands_first, run_steps,
)
from gpuscale.expr.tokenize import normalize_token, tokenize

__all__ = [
    "Expr", "Tuple", "cached_bottom_up", "collect_dependents", "operand_results", "operands_first", "run_steps",
    "tokenize", "normalize_token",
]
