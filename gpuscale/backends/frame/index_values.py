"""Replacing the index of a partition by other values (``df.index = other_index``)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import is_index_like, library_of

__all__ = ["with_index_values", "equal_values_together"]


def with_index_values(part: Any, index: Any) -> Any:
    """``part`` (a shallow copy) with ``index`` as its index; the lengths must agree."""
    if not is_index_like(index):
        raise TypeError(f"the new index must be an Index, got {type(index).__name__}")
    if len(index) != len(part):
        raise ValueError(f"the new index has {len(index)} values for a partition of {len(part)} rows "
                         "(an Index with the same partitions is needed)")
    out = part.copy(deep=False)
    out.index = index
    return out


def equal_values_together(values: Any) -> Any:
    """``values`` (a Series) with equal values moved next to the first of them, the order of first appearance
    kept (pandas' order of an unsorted union with repeated values); cuDF's on a host copy."""
    if library_of(values) != "pandas":
        from gpuscale.backends.frame.cudf_gaps import on_host

        return on_host(equal_values_together, values)
    import numpy as np

    codes, _ = values.factorize(use_na_sentinel=False)
    return values.iloc[np.argsort(codes, kind="stable")]
