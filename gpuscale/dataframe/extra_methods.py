"""The mixins that give DataFrame and Series the rest of dask.dataframe's methods (issue #14).

Each feature lives in its own module (:mod:`~gpuscale.dataframe.flex`, ...); this module only
gathers them, so the collection classes take one base each.
"""

from __future__ import annotations

from gpuscale.dataframe.aggregate_methods import AggregateMethods, TransformMethods
from gpuscale.dataframe.combine import CombineMethods, InfoMethods
from gpuscale.dataframe.convenience import ConvenienceMethods, DataFrameConvenience, SeriesConvenience
from gpuscale.dataframe.corr import CorrMethods, DataFrameCorrWith
from gpuscale.dataframe.duplicated import DataFrameDuplicated, SeriesDuplicated
from gpuscale.dataframe.fill import FillMethods
from gpuscale.dataframe.flex import FlexMethods, SeriesDivmod
from gpuscale.dataframe.label_methods import DataFrameLabelMethods, LabelMethods, SeriesLabelMethods
from gpuscale.dataframe.inferred_dtypes import InferredDtypeMethods
from gpuscale.dataframe.io_methods import (
    BagMethods, HdfMethods, JsonMethods, OrcMethods, RecordsMethods, SeriesCsvMethods, SqlMethods,
)
from gpuscale.dataframe.porting import DataFramePorting, SeriesPorting
from gpuscale.dataframe.eager import (BoxplotMethod, DictConversion, ListConversions, NumpyConversion,
                                      PlotMethods, SeriesArrayResults)
from gpuscale.dataframe.positions import FrameAsof, SeriesPositionMethods, TakeMethods, ValidIndexMethods
from gpuscale.dataframe.rank import DataFrameRank, SeriesRank
from gpuscale.dataframe.reindex import ReindexMethods, TransposeMethods
from gpuscale.dataframe.resample import TimeBinMethods
from gpuscale.dataframe.sort_index import SortIndexMethods
from gpuscale.dataframe.stats import StatsMethods
from gpuscale.dataframe.time_of_day import TimeOfDayMethods
from gpuscale.dataframe.to_array import ArrayMethods
from gpuscale.dataframe.unstack import PivotMethods, UnstackMethods

__all__ = ["DataFrameExtras", "SeriesExtras"]


class DataFrameExtras(FlexMethods, StatsMethods, FillMethods, CorrMethods, ArrayMethods, ConvenienceMethods,
                      DataFrameConvenience, JsonMethods, CombineMethods, InfoMethods, DataFramePorting,
                      RecordsMethods, BagMethods, OrcMethods, SqlMethods, HdfMethods, AggregateMethods,
                      TimeOfDayMethods, SortIndexMethods, ValidIndexMethods, DataFrameDuplicated,
                      LabelMethods, DataFrameLabelMethods, DataFrameRank, DataFrameCorrWith,
                      TransformMethods, TimeBinMethods, UnstackMethods, PivotMethods, ReindexMethods,
                      TransposeMethods, InferredDtypeMethods, TakeMethods, NumpyConversion, DictConversion,
                      PlotMethods, BoxplotMethod, FrameAsof):
    """Methods of :class:`~gpuscale.dataframe.DataFrame` defined in feature modules."""


class SeriesExtras(FlexMethods, StatsMethods, FillMethods, CorrMethods, ArrayMethods, ConvenienceMethods,
                   SeriesConvenience, JsonMethods, SeriesCsvMethods, CombineMethods, SeriesPorting, BagMethods,
                   SqlMethods, HdfMethods, AggregateMethods, TimeOfDayMethods, SortIndexMethods, ValidIndexMethods,
                   SeriesPositionMethods, SeriesDuplicated, LabelMethods, SeriesRank,
                   TransformMethods, SeriesLabelMethods, TimeBinMethods, UnstackMethods, ReindexMethods,
                   InferredDtypeMethods, TakeMethods, NumpyConversion, ListConversions, DictConversion,
                   SeriesArrayResults, SeriesDivmod, PlotMethods):
    """Methods of :class:`~gpuscale.dataframe.Series` defined in feature modules."""
