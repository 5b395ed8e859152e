"""Which stand-in class (and cuDF module) stands for a pandas object."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandas.core.groupby.generic as pd_groupby
import pandas.core.indexing as pd_indexing
import pandas.core.arrays.arrow.accessors as pd_arrow_accessors
import pandas.core.window.ewm as pd_ewm
import pandas.core.window.rolling as pd_rolling


def stand_in_name(obj: Any) -> str | None:
    for pandas_type, name in _TYPE_NAMES:
        if isinstance(obj, pandas_type):
            return name(obj) if callable(name) and not isinstance(name, str) else name
    return None


def _indexer_name(obj: Any) -> str:
    kind = "Iloc" if isinstance(obj, pd_indexing._iLocIndexer) else "Loc"
    return ("DataFrame" if isinstance(obj.obj, pd.DataFrame) else "Series") + kind


_TYPE_NAMES: list = [
    (pd.DataFrame, "DataFrame"),
    (pd.Series, "Series"),
    (pd.MultiIndex, "MultiIndex"),
    (pd.RangeIndex, "RangeIndex"),
    (pd.DatetimeIndex, "DatetimeIndex"),
    (pd.TimedeltaIndex, "TimedeltaIndex"),
    (pd.CategoricalIndex, "CategoricalIndex"),
    (pd.Index, "Index"),
    (pd.core.resample.Resampler, lambda r: ("DataFrame" if isinstance(r.obj, pd.DataFrame) else "Series") + "Resampler"),
    (pd_groupby.DataFrameGroupBy, "DataFrameGroupBy"),
    (pd_groupby.SeriesGroupBy, "SeriesGroupBy"),
    ((pd_indexing._iLocIndexer, pd_indexing._LocIndexer), _indexer_name),
    (pd.core.strings.accessor.StringMethods, "StringMethods"),
    (pd.core.indexes.accessors.DatetimeProperties, "DatetimeProperties"),
    (pd.core.indexes.accessors.TimedeltaProperties, "TimedeltaProperties"),
    (pd.core.arrays.categorical.CategoricalAccessor, "CategoricalAccessor"),
    ((pd_rolling.Rolling, pd_rolling.Window), "Rolling"),  # (Window: pandas' rolling(win_type="boxcar"), cuDF's Rolling)
    (pd_ewm.ExponentialMovingWindow, "ExponentialMovingWindow"),
    (pd_arrow_accessors.ListAccessor, "ListMethods"),  # (on the Arrow lists cuDF's list columns are here)
    (pd_arrow_accessors.StructAccessor, "StructMethods"),
]

MODULES = {"DataFrame": "cudf.core.dataframe", "Series": "cudf.core.series", "MultiIndex": "cudf.core.multiindex",
            "DataFrameGroupBy": "cudf.core.groupby.groupby", "SeriesGroupBy": "cudf.core.groupby.groupby",
            "StringMethods": "cudf.core.accessors.string", "Rolling": "cudf.core.window.rolling",
            "ExponentialMovingWindow": "cudf.core.window.ewm",
            "CategoricalAccessor": "cudf.core.accessors.categorical", "DataFrameResampler": "cudf.core.resample",
            "SeriesResampler": "cudf.core.resample", "ListMethods": "cudf.core.accessors.lists",
            "StructMethods": "cudf.core.accessors.struct"}
