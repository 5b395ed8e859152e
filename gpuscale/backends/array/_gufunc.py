"""``apply_gufunc(..., vectorize=True)`` on a block: loop a Python function over the loop dimensions.

Like ``numpy.vectorize(func, signature=...)``, but written against the Array
API, so the core slices handed to ``func`` and the stacked results stay on the
chunk's device (NumPy, CuPy or array-api-strict chunks alike).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from gpuscale.backends.array._core import namespace, numpy_dtype, xp_dtype


def _device_kw(x: Any) -> dict:
    return {"device": x.device} if type(x).__module__.startswith("array_api_strict") else {}


def _broadcast_loop(*shapes: tuple) -> tuple:
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for d in range(ndim):
        sizes = {s[d - ndim + len(s)] for s in shapes if d - ndim + len(s) >= 0} - {1}
        if len(sizes) > 1:
            raise ValueError(f"loop dimensions {shapes} do not broadcast")
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


class Vectorized:
    """``func`` applied to the core slices of each loop position of its block arguments.

    ``in_cores``: core ndim of each input; ``out_cores``: core dimension names of each output;
    ``sizes``: known core sizes by name; ``dtypes``: NumPy dtypes of the outputs; ``single``: one output
    (not a tuple).
    """

    def __init__(self, func: Any, in_cores: tuple, out_cores: tuple, sizes: dict, dtypes: tuple,
                 single: bool) -> None:
        self.func, self.in_cores, self.out_cores = func, in_cores, out_cores
        self.sizes, self.dtypes, self.single = dict(sizes), tuple(dtypes), single
        self.__name__ = getattr(func, "__name__", "vectorized")
        self.__module__ = getattr(func, "__module__", None)  # the user's code: the runtime treats it as such

    def __call__(self, *blocks: Any, **kwargs: Any) -> Any:
        xp = namespace(*blocks)
        arrays = [b if hasattr(b, "shape") else xp.asarray(b) for b in blocks]
        loops = [a.shape[: a.ndim - n] for a, n in zip(arrays, self.in_cores)]
        loop = _broadcast_loop(*loops)
        arrays = [xp.broadcast_to(a, loop + tuple(a.shape[a.ndim - n:])) for a, n in zip(arrays, self.in_cores)]
        device = _device_kw(arrays[0]) if arrays else {}
        results: list[list] = [[] for _ in self.out_cores]
        # An input without core dimensions is handed its element (a NumPy scalar, as numpy.vectorize
        # hands it: ``len`` of a string and ``np.timedelta64(days, "D")`` work on it, not on a 0-d array).
        tails = [() if n == 0 else (...,) for n in self.in_cores]
        for index in itertools.product(*(range(n) for n in loop)):
            out = self.func(*(a[index + tail] for a, tail in zip(arrays, tails)), **kwargs)
            out = (out,) if self.single else tuple(out)
            for k, value in enumerate(out):
                kept = _same_library(value, arrays) and hasattr(value, "shape")
                dtype = xp_dtype(xp, self.dtypes[k])
                results[k].append(value if kept else xp.asarray(value, dtype=dtype, **device))
        outputs = []
        for k, names in enumerate(self.out_cores):
            dtype = xp_dtype(xp, self.dtypes[k])
            if math.prod(loop) == 0:
                core = tuple(self.sizes[n] for n in names)
                outputs.append(xp.empty(loop + core, dtype=dtype, **device))
                continue
            parts = [xp.astype(r, dtype) if numpy_dtype(r.dtype) != numpy_dtype(dtype) else r for r in results[k]]
            stacked = xp.stack(parts, axis=0)
            outputs.append(xp.reshape(stacked, loop + tuple(stacked.shape[1:])))
        return outputs[0] if self.single else tuple(outputs)


def _same_library(value: Any, arrays: list) -> bool:
    return bool(arrays) and type(value).__module__.partition(".")[0] == type(arrays[0]).__module__.partition(".")[0]
