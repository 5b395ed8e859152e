"""The array expression behind ``to_dask_array`` / ``values`` (imported on first use).

Each partition becomes one block of rows (NumPy blocks from pandas partitions, CuPy from cuDF); the
frame's optimized plan becomes part of the array's plan, so nothing runs until the array is
computed.  Row counts per block are unknown (``nan``) unless ``lengths`` gives them or
``lengths=True`` computes them now, as in dask.
"""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.expr import ArrayExpr, Opaque
from gpuscale.backends import array as chunkfn
from gpuscale.backends import frame as bf

__all__ = ["FrameBlocks", "to_dask_array", "blocks_array", "is_block_array"]


class FrameBlocks(ArrayExpr):
    """The partitions of a frame's plan (``graph``, ``keys``) as blocks of rows."""

    _parameters = ["graph", "keys", "chunks_", "dtype_", "backend_"]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.chunks_

    @functools.cached_property
    def dtype(self) -> Any:
        return chunkfn.numpy_dtype(self.dtype_)

    @property
    def backend(self) -> str:
        return self.backend_

    def _layer(self) -> dict:
        layer = dict(self.graph.value)
        rest = (0,) * (len(self.chunks) - 1)
        for i, key in enumerate(self.keys.value):
            layer[self.key((i, *rest))] = (bf.partition_values, key)
        return layer


class ArrayBlocks(FrameBlocks):
    """The partitions of a plan whose tasks give arrays already (``map_partitions(np.asarray)``) as blocks."""

    def _layer(self) -> dict:
        layer = dict(self.graph.value)
        rest = (0,) * (len(self.chunks) - 1)
        for i, key in enumerate(self.keys.value):
            layer[self.key((i, *rest))] = (_same, key)
        return layer


def _same(block: Any) -> Any:
    return block


def is_block_array(value: Any) -> bool:
    """Whether a partition function's result is an array of rows (a NumPy/CuPy array of 1 or more dimensions,
    or a SciPy/CuPy sparse matrix: ``map_partitions(scipy.sparse.csr_matrix)`` gives an array of sparse
    blocks, as dask)."""
    from gpuscale.backends.array import _sources, is_sparse

    return (_sources.is_chunk(value) or is_sparse(value)) and getattr(value, "ndim", 0) >= 1


def blocks_array(collection: Any, sample: Any, declared: bool = False) -> Array:
    """A lazy collection whose partitions' tasks give arrays (``map_partitions(np.asarray)``) as one array: a
    block of unknown row count per partition, as dask; ``sample`` is an array like the blocks, or the
    ``meta=`` they were ``declared`` with (an empty one: its length 0 along a later axis is unknown there)."""
    expr = collection._optimized_expr()
    rows = (float("nan"),) * expr.npartitions
    chunks = (rows, *((float("nan") if declared and not n else n,) for n in sample.shape[1:]))
    graph = Opaque(dict(expr.__dask_graph__()), f"frame-graph-{expr._name}")
    keys = Opaque(list(expr.__dask_keys__()), f"frame-keys-{expr._name}")
    library = chunkfn.library_of(sample)
    return Array(ArrayBlocks(graph, keys, chunks, chunkfn.numpy_dtype(sample.dtype), library))


def to_dask_array(obj: Any, lengths: Any = None, meta: Any = None, optimize: bool = True) -> Array:
    """See :meth:`gpuscale.dataframe.to_array.ArrayMethods.to_dask_array`."""
    if lengths is True:
        from gpuscale.dataframe.positions import partition_lengths

        lengths = list(partition_lengths(obj)[0])
    if lengths is not None:
        if isinstance(lengths, bool) or not hasattr(lengths, "__len__"):
            raise ValueError(f"to_dask_array: Unexpected value for 'lengths': {lengths!r}; pass True or a sequence "
                             "of partition lengths")
        lengths = tuple(int(n) for n in lengths)
        if len(lengths) != obj.npartitions:  # dask's wording: "4 != 2"
            raise ValueError(f"to_dask_array: {len(lengths)} lengths for {obj.npartitions} partitions "
                             f"({len(lengths)} != {obj.npartitions})")
    rows = lengths if lengths is not None else (float("nan"),) * obj.npartitions
    sample = bf.partition_values(obj._meta)
    chunks = (rows,) if sample.ndim == 1 else (rows, (sample.shape[1],))
    expr = obj._optimized_expr() if optimize else obj.expr.lower_completely()
    graph = Opaque(dict(expr.__dask_graph__()), f"frame-graph-{expr._name}")
    keys = Opaque(list(expr.__dask_keys__()), f"frame-keys-{expr._name}")
    dtype = sample.dtype if meta is None else getattr(meta, "dtype", meta)
    return Array(FrameBlocks(graph, keys, chunks, chunkfn.numpy_dtype(dtype), bf.array_library(obj._meta)))
