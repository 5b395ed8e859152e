"""Labels: ``Series.rename`` of the index and ``memory_usage`` of MultiIndex columns."""

from __future__ import annotations

from typing import Any

import pytest

from .base import Restriction


def _rename_labels(args: tuple, kwargs: dict) -> str | None:
    # Series.rename(index, ...): cuDF takes a scalar (the new name) only
    import pandas as pd

    index = kwargs.get("index", args[0] if args else None)
    return None if pd.api.types.is_scalar(index) else ".rename does not currently support relabeling the index."


def _verify_rename_labels(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="relabeling the index"):
        cudf.Series.rename(None, {0: 1})  # refused before self is used


def _memory_usage_multiindex_columns(obj: Any, args: tuple, kwargs: dict) -> str | None:
    # cuDF labels the result with ["Index", *columns.astype(str)]: pandas refuses astype(str) on a MultiIndex
    import pandas as pd

    index = kwargs.get("index", args[0] if args else True)
    if index and obj is not None and isinstance(obj.columns, pd.MultiIndex):
        return "Setting a MultiIndex dtype to anything other than object is not supported (TypeError in cuDF)"
    return None


def _verify_memory_usage(cudf: Any) -> None:
    import pandas as pd

    frame = cudf.DataFrame()
    frame.columns = pd.MultiIndex.from_arrays([[], []])
    with pytest.raises(TypeError, match="Setting a MultiIndex dtype"):
        frame.memory_usage(deep=True)


RESTRICTIONS = [
    Restriction(("DataFrame",), "memory_usage", _memory_usage_multiindex_columns, _verify_memory_usage,
                needs_data=True),
    Restriction(("Series",), "rename", _rename_labels, _verify_rename_labels),
]
