"""``DataFrame.to_records``: a gpuscale array of NumPy records, one block of rows per partition (as dask);
imported on first use."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.expr import Opaque
from gpuscale.backends.frame.records import partition_records, records_dtype
from gpuscale.dataframe.array_blocks import FrameBlocks

__all__ = ["RecordBlocks", "to_records"]


class RecordBlocks(FrameBlocks):
    """The partitions of a frame's plan as blocks of NumPy records."""

    _parameters = [*FrameBlocks._parameters, "index"]

    @functools.cached_property
    def dtype(self) -> Any:
        return self.dtype_  # the record dtype, fields and all

    def _layer(self) -> dict:
        layer = dict(self.graph.value)
        for i, key in enumerate(self.keys.value):
            layer[self.key((i,))] = (partition_records, key, self.index)
        return layer


def to_records(frame: Any, index: bool = True, lengths: Any = None) -> Array:
    """dask's ``dd.to_records(df)``: the rows as a gpuscale array of NumPy records, a block per partition;
    see :meth:`gpuscale.dataframe.io_methods.RecordsMethods.to_records`.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3]}), npartitions=2, backend="cpu")
    >>> gd.to_records(df).compute().tolist()
    [(0, 1), (1, 2), (2, 3)]
    """
    rows = _block_lengths(frame, lengths)
    expr = frame._optimized_expr()
    graph = Opaque(dict(expr.__dask_graph__()), f"frame-graph-{expr._name}")
    keys = Opaque(list(expr.__dask_keys__()), f"frame-keys-{expr._name}")
    dtype = records_dtype(frame._meta, index)
    return Array(RecordBlocks(graph, keys, (rows,), dtype, "numpy", bool(index)))


def _block_lengths(frame: Any, lengths: Any) -> tuple:
    if lengths is None:
        return (float("nan"),) * frame.npartitions
    if lengths is True:
        from gpuscale.dataframe.positions import partition_lengths

        return partition_lengths(frame)[0]
    if not isinstance(lengths, Sequence) or isinstance(lengths, str):
        raise ValueError(f"to_records: lengths must be True or one row count per partition, got {lengths!r}")
    if len(lengths) != frame.npartitions:
        raise ValueError(f"to_records: the number of items in lengths does not match the number of partitions: "
                         f"{len(lengths)} != {frame.npartitions}")
    return tuple(int(n) for n in lengths)
