"""The optimizer remembers which subtrees a stage leaves unchanged, across optimizations."""

from __future__ import annotations

from gpuscale.expr import Expr, Tuple
from gpuscale.expr import core as expr_core


class Leaf(Expr):
    _parameters = ["value"]

    def _layer(self):
        return {self._name: self.value}


class Add(Expr):
    """``source + scalar``; folds ``(x + a) + b`` into ``x + (a + b)`` and counts its rewrite attempts."""

    _parameters = ["source", "scalar"]
    attempts = 0

    def _simplify_down(self):
        Add.attempts += 1
        if isinstance(self.source, Add):
            return Add(self.source.source, self.source.scalar + self.scalar)
        return None


class Use(Expr):
    """A parent that a ``Shared`` operand folds into when it has no other user."""

    _parameters = ["source"]


class Shared(Expr):
    """Rewrites its parent ``Use`` into a leaf, but only while nobody else uses it (asks ``dependents``)."""

    _parameters = ["value"]

    def _simplify_up(self, parent, dependents):
        if isinstance(parent, Use) and len(dependents.get(self._name, [])) == 1:
            return Leaf(("folded", self.value))
        return None


def _fresh_optimize(expr: Expr) -> Expr:
    saved = dict(expr_core._SIMPLIFIED)
    expr_core._SIMPLIFIED.clear()
    try:
        return expr.optimize()
    finally:
        expr_core._SIMPLIFIED.update(saved)


def test_a_remembered_subtree_is_not_simplified_again():
    base = Add(Add(Leaf(1), 2), 3)
    optimized = base.optimize()
    Add.attempts = 0
    on_top = Add(Use(optimized), 4)  # a new node over an optimized expression
    on_top.optimize()
    assert Add.attempts == 1  # only the new node is tried, not the one below ``Use``


def test_memoised_optimization_gives_the_same_plan():
    base = Add(Add(Leaf(1), 2), 3)
    base.optimize()
    for expr in [Add(base, 4), Tuple(base, Add(base, 5)), Add(Use(base.optimize()), 1)]:
        assert expr.optimize()._name == _fresh_optimize(expr)._name
    assert Add(base, 4).optimize()._name == Add(Leaf(1), 9)._name


def test_a_subtree_whose_rewrite_asks_its_users_is_not_remembered():
    shared = Shared(7)
    alone = Use(shared)
    # used twice, ``Shared`` keeps its parent; that must not be remembered for ``alone`` on its own
    both = Tuple(alone, Use(Leaf(0)), Add(shared, 1)).optimize()
    assert both.operands[0]._name == alone._name
    assert alone.optimize()._name == Leaf(("folded", 7))._name
