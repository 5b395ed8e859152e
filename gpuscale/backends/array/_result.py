"""Blocks written straight into the result of ``compute()``.

Assembling a result after every block is computed holds all blocks and the
result at once and copies each block a second time.  Instead the result is
allocated first and each block's task copies its block into place as soon as
it is computed (the block is then freed); a function that can write its
output into a given array (``func.writes_into``, e.g. ``matmul_blocks``) is
handed the region of the result itself and copies nothing.
"""

from __future__ import annotations

import functools
import math
import threading
from typing import Any

from gpuscale.backends.array._core import dtype_function, library_of, namespace, numpy_dtype, xp_dtype
from gpuscale.backends.array._creation import create
from gpuscale.backends.array._masked import is_masked
from gpuscale.backends.array._sparse import is_sparse

_VIEW_LIBRARIES = ("numpy", "cupy")  # slicing gives a writable view; ``out=`` arguments


def result_buffer(backend: str, shape: tuple, dtype: Any) -> Any:
    """An uninitialised array for the whole result, on the backend's device."""
    return create(backend, "empty", shape, dtype)


class LazyResult:
    """The array of one ``compute()`` result, allocated when first written (by a task writing into it, or
    the first block that is not sparse): a result of SciPy sparse blocks (joined by ``ResultSparse``)
    needs none, and as a dense array it may be far larger than memory."""

    def __init__(self, backend: str, shape: tuple, dtype: Any) -> None:
        self._args, self._array = (backend, shape, dtype), None
        self._lock = threading.Lock()  # blocks arrive from several worker threads
        self._wider: list = []  # blocks of a dtype the declared one cannot hold (see ``keep_wider``)

    def keep_wider(self, region: tuple, block: Any) -> None:
        """Hold a block whose dtype the result's (the declared dtype of a ``map_blocks``) would lose values of:
        the finished result takes both dtypes' common one, as the blocks joined would (dask's result)."""
        with self._lock:
            self._wider.append((region, block))

    def finished(self) -> Any:
        """The result array: every block written, in a wider dtype where a block needed it."""
        array = self.allocate()
        if not self._wider:
            return array
        xp = namespace(array)  # (NumPy's promotion: the standard's has none across kinds, int64 with float64)
        wide = dtype_function("result_type", *(numpy_dtype(a.dtype) for a in [array] + [b for _, b in self._wider]))
        array = xp.astype(array, xp_dtype(xp, wide))
        for region, block in self._wider:
            array[region] = block
        self._array, self._wider = array, []
        return array

    def allocate(self) -> Any:
        if self._array is None:
            with self._lock:
                if self._array is None:
                    self._array = result_buffer(*self._args)
        return self._array

    def value(self) -> Any:
        """The array once allocated, else this object."""
        return self if self._array is None else self._array


def result_array(out: Any) -> Any:
    """The finished array of ``out`` (a ``LazyResult``, allocated now if no block was written, or an array)."""
    return out.finished() if isinstance(out, LazyResult) else out


def _buffer(out: Any) -> Any:
    """The array blocks are written into (allocated at the first)."""
    return out.allocate() if isinstance(out, LazyResult) else out


def write_into(task: Any, out: Any, region: tuple) -> Any:
    """``task``, made to write its block into ``out[region]`` when its function can (else unchanged)."""
    if type(task) is tuple and task and _writes_into(task[0]):
        target = _buffer(out)
        if library_of(target) in _VIEW_LIBRARIES:
            return (functools.partial(task[0], out=target[region]), *task[1:])
    return task


def _loses_values(block: Any, out: Any) -> bool:
    """Whether writing ``block`` into ``out`` would cast values away (float64 into float32, NaN into integers)."""
    have, want = getattr(block, "dtype", None), out.dtype
    if have is None or have == want:
        return False
    return not bool(dtype_function("can_cast", numpy_dtype(have), numpy_dtype(want), casting="safe"))


def _writes_into(func: Any) -> bool:
    base = func.func if isinstance(func, functools.partial) else func
    return getattr(base, "writes_into", False)


def into_result(out: Any, region: tuple, block: Any, masks: Any = None, sparse: Any = None) -> None:
    """Copy ``block`` into ``out[region]``, unless its task already wrote it there (see ``write_into``); the
    mask of a masked block goes to ``masks`` (a ``ResultMask``), a sparse block to ``sparse`` (a
    ``ResultSparse``, which joins them when all blocks are sparse)."""
    if sparse is not None and is_sparse(block):
        sparse.record(region, block)
        return
    lazy, out = out, _buffer(out)
    if masks is not None and is_masked(block):
        masks.record(region, block)
        block = block.data
    if getattr(block, "base", None) is not out:
        expected = tuple(s.stop - s.start for s in region)
        # NumPy would broadcast a smaller block silently (ones that differ only by axes of length 1 are fine)
        if hasattr(block, "shape") and math.prod(block.shape) != math.prod(expected):
            raise ValueError(f"a block of shape {tuple(block.shape)} where the array's chunks say {expected}: the "
                             "function returned blocks unlike the chunks= given")
        if isinstance(lazy, LazyResult) and _loses_values(block, out):
            lazy.keep_wider(region, block)
            return
        out[region] = block
