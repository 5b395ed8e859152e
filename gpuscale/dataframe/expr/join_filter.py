"""Runtime join filters: before a hash join shuffles a side, the other side's distinct keys, collected while
the query runs, drop that side's rows that cannot match (see ``gpuscale.backends.frame.key_filter``).

Chosen when the join is lowered to a shuffle: the key set comes from a side that filters rows (a ``Filter``
or a read with row filters, maybe below other joins: its keys are likely few), and filters the other side
where the join drops that side's rows without a match (both sides of an inner join, the right of a left
join, the left of a right join).  The first key column of each side (a row whose first key the other side
lacks matches nothing), or a one-level index.  A side already partitioned
by its keys is not shuffled and keeps its rows; a key set past ``MAX_KEYS`` drops nothing.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame.semi_join import DROPPED_SIDES as DROPPABLE
from gpuscale.dataframe.expr.base import Blockwise, FrameExpr, MetaOfFrame
from gpuscale.dataframe.expr.reductions import tree_reduce

__all__ = ["KeepJoinMatches", "join_key_set", "selective", "DROPPABLE"]


class KeepJoinMatches(MetaOfFrame, Blockwise):
    """The rows of ``frame`` whose join key (column ``key``, the index when None) is in ``keys``, a lazy key set."""

    _parameters = ["frame", "keys", "key"]
    operation = staticmethod(bf.keep_join_matches)

    def _tree_label(self) -> str:
        return f"KeepJoinMatches: key={'index' if self.key is None else repr(self.key)}"


def join_key_set(side: FrameExpr, key: Any) -> FrameExpr:
    """The distinct values of ``side``'s join key (column ``key``, the index when None) as one lazy result."""
    return tree_reduce(side, bf.join_keys_chunk, bf.join_keys_combine, bf.join_keys_finish, {}, 0, "join-keys",
                       chunk_kwargs={"key": key})


def selective(expr: FrameExpr) -> bool:
    """Whether ``expr`` selects rows somewhere: a ``Filter``, or a read with row filters."""
    from gpuscale.dataframe.expr.blockwise import Filter

    return any(isinstance(node, Filter) or ("filters" in node._parameters and node.operand("filters"))
               for node in expr.walk())
