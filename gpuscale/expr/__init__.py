"""Lazy expressions and the optimizer shared by gpuscale.array and gpuscale.dataframe."""

from gpuscale.expr.core import Expr, Tuple, collect_dependents
from gpuscale.expr.tokenize import normalize_token, tokenize

__all__ = ["Expr", "Tuple", "collect_dependents", "tokenize", "normalize_token"]
