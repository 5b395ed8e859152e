"""Walking a compiled plan in its order, for tests that compare orders (also inside subprocess scripts)."""

from __future__ import annotations

from typing import Any

from gpuscale.runtime.sync import consumer_counts


def most_held(plan: Any) -> int:
    """The most results held at once when ``plan`` runs its tasks one by one in ``plan.order`` (a result is
    released when its last consumer has run)."""
    remaining, live, most = consumer_counts(plan), 0, 0
    for i in plan.order:
        live += 1
        most = max(most, live)
        for j in plan.dependencies[i]:
            remaining[j] -= 1
            live -= remaining[j] == 0
    return most
