"""Partition functions of work done away from the rows' partitions and routed back: a partition's key columns are
tagged with its number (``PART``) and each row's position (``POS``), moved by a shuffle to where the work needs
them (``duplicated``: every copy of a key in one partition; ``rank``: value ranges in order), and the result
column (``OUT``) goes back to its partition, in its row order, by a range shuffle on ``PART``.

Only methods pandas and cuDF share: ``reset_index``, ``rename``, ``sort_values``, column assignment.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import is_series_like

__all__ = ["PART", "POS", "OUT", "tag_rows", "key_labels", "results_on_partition"]

PART, POS, OUT = "__gpuscale_part__", "__gpuscale_pos__", "__gpuscale_out__"


def key_labels(n: int) -> list:
    """The labels the key columns travel under (any labels, repeated ones too, become these)."""
    return [f"__gpuscale_key_{j}__" for j in range(n)]


def tag_rows(part: Any, number: int, subset: Any = None) -> Any:
    """The partition's key columns (``subset`` of a DataFrame, default all; a Series' values), unlabelled, with
    its number (``PART``) and each row's position (``POS``)."""
    keys = part.to_frame(name="__gpuscale_value__") if is_series_like(part) else \
        part if subset is None else part[list(subset)]
    out = keys.reset_index(drop=True)
    out.columns = key_labels(len(keys.columns))
    out = out.reset_index().rename(columns={"index": POS})
    out[PART] = number
    return out


def results_on_partition(part: Any, results: Any, name: Any = None) -> Any:
    """The results (``OUT``) of one partition's rows, in its row order, labelled by its index and called
    ``name``."""
    ordered = results.sort_values(POS)[OUT].reset_index(drop=True)
    ordered.index = part.index
    ordered.name = name
    return ordered
