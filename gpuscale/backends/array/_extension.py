"""Blocks that are pandas extension arrays (``BooleanArray``, ``IntegerArray`` ...): what ``Index.isin`` /
``Index.values`` of a nullable index give per partition.  NumPy cannot concatenate them (their dtype is no
NumPy dtype), so they are joined by pandas, keeping the missing values' mask."""

from __future__ import annotations

from typing import Any

__all__ = ["is_extension_block", "extension_concat"]


def is_extension_block(block: Any) -> bool:
    """Whether ``block`` is a pandas extension array (not a NumPy / CuPy array)."""
    return type(block).__module__.startswith("pandas") and hasattr(block, "_concat_same_type")


def extension_concat(blocks: list) -> Any:
    """The 1-d extension-array blocks joined end to end as pandas joins them (dtypes promoted as in
    ``pd.concat``; NumPy blocks among them are taken as their values)."""
    import pandas as pd

    return pd.concat([pd.Series(b, copy=False) for b in blocks], ignore_index=True).array
