"""``apply_gufunc``, ``gufunc`` and ``as_gufunc``: generalized ufuncs over chunked arrays, as in dask.array.

A signature such as ``"(i),(i)->()"`` names each argument's *core*
dimensions (the trailing ones, which ``func`` sees whole); the other, *loop*,
dimensions broadcast and keep their blocks, and ``func`` runs once per block
(``vectorize=True``: once per loop position, like ``numpy.vectorize``, on the
chunk's own device).  Core dimensions must be one block each and a loop
dimension must have the same blocks in every input: pass ``allow_rechunk=True``
to have core dimensions gathered (the loop blocks shrink to make up for it) and
loop blocks aligned.  :func:`parse_signature` and :func:`normalize_axes` are
NumPy's rules for signatures and for ``axes``/``axis``/``keepdims``.

For numba kernels compiled for CPU and GPU chunks see
``gpuscale.guvectorize`` (``gpuscale/kernels/gufunc.py``), which calls
gpuscale arrays through :func:`gpuscale.array.blockwise` directly.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.rechunk import rechunk_expr
from gpuscale.backends import array as chunkfn

__all__ = ["apply_gufunc", "gufunc", "as_gufunc", "parse_signature", "normalize_axes"]

_DIMENSION_NAME = r"\w+"
_CORE_DIMENSION_LIST = "(?:{0:}(?:,{0:})*,?)?".format(_DIMENSION_NAME)
_ARGUMENT = r"\({}\)".format(_CORE_DIMENSION_LIST)
_INPUT_ARGUMENTS = "(?:{0:}(?:,{0:})*,?)?".format(_ARGUMENT)
_OUTPUT_ARGUMENTS = "{0:}(?:,{0:})*".format(_ARGUMENT)  # no trailing comma: "(i)->(i)," is a typo
_SIGNATURE = "^{0:}->{1:}$".format(_INPUT_ARGUMENTS, _OUTPUT_ARGUMENTS)

_LOOP, _CORE = 0, 10_000  # Blockwise indices of loop dimensions and of named core dimensions


def parse_signature(signature: str) -> tuple[list[tuple], Any]:
    """The core dimensions of a gufunc signature, per input and per output (NumPy's grammar).

    Parameters
    ----------
    signature : str
        ``"(i,j),(j)->(i)"`` style; white space is ignored.

    Returns
    -------
    tuple
        A list with a tuple of dimension names per input, and the output's tuple, or a list of
        tuples when the signature has several outputs.

    Raises
    ------
    ValueError
        If the text is not a gufunc signature (a trailing comma after the outputs included).

    Examples
    --------
    >>> from gpuscale.array.gufuncs import parse_signature
    >>> parse_signature("(i,j),(j)->(i)")
    ([('i', 'j'), ('j',)], ('i',))
    >>> parse_signature("(i)->(),()")
    ([('i',)], [(), ()])
    """
    text = re.sub(r"\s+", "", signature)
    if not re.match(_SIGNATURE, text):
        raise ValueError(f"Not a valid gufunc signature: {signature}")
    in_text, out_text = text.split("->")
    ins = [tuple(re.findall(_DIMENSION_NAME, arg)) for arg in re.findall(_ARGUMENT, in_text)]
    outs = [tuple(re.findall(_DIMENSION_NAME, arg)) for arg in re.findall(_ARGUMENT, out_text)]
    return ins, (outs[0] if len(outs) == 1 else outs)


def _as_arrays(args: tuple) -> list[Array]:
    from gpuscale.array.creation import asarray

    backend = next((a.backend for a in args if is_array(a)), None)
    return [a if is_array(a) else asarray(a, backend=backend) for a in args]


def _axis_tuple(entry: Any) -> tuple:
    return (entry,) if isinstance(entry, int) else tuple(entry)


def _check_axis(axis: Any, cores: list) -> None:
    if not isinstance(axis, int):
        raise ValueError(f"`axis` must be an integer, not {axis!r}; use `axes` for several")
    if any(len(c) != 1 for c in cores) or len(set(cores)) > 1:
        raise ValueError(f"`axis` needs every input with core dimensions to have the same single one, not {cores}; "
                         "use `axes`")


def _keepdims_cores(in_cores: list, out_cores: list) -> list:
    """With ``keepdims`` every output keeps the inputs' (common) core dimensions, with length 1."""
    if any(out_cores):
        raise ValueError("`keepdims` needs outputs without core dimensions")
    if len(set(in_cores)) > 1:
        raise ValueError(f"`keepdims` needs every input to have the same core dimensions, not {in_cores}")
    return [next((c for c in in_cores if c), ())] * len(out_cores)


def _expand_axes(axes: Any, axis: Any, in_cores: list, out_cores: list) -> list:
    """One tuple of positions per input and output: from ``axes``, from ``axis``, else the trailing dimensions."""
    if axes is not None:
        if not isinstance(axes, list):
            raise ValueError(f"`axes` must be a list (one entry per argument), not {type(axes).__name__}")
        return [_axis_tuple(a) for a in axes]
    if axis is not None:
        _check_axis(axis, [c for c in in_cores if c])
        return [(axis,) if c else () for c in in_cores + out_cores]
    return [tuple(range(-len(c), 0)) for c in in_cores + out_cores]


def normalize_axes(axes: Any, axis: Any, keepdims: bool, in_cores: list, out_cores: Any) -> tuple[list, list]:
    """The positions of the core dimensions of each input and output of a gufunc call, checked.

    NumPy's rules for a gufunc's ``axes``/``axis``/``keepdims`` keywords, as :func:`apply_gufunc` applies
    them (``dask.array.gufunc`` has the same helper, privately).

    Parameters
    ----------
    axes : list, optional
        One entry (an int or a tuple of ints) per input, and optionally per output.
    axis : int, optional
        The one core dimension every input shares (instead of ``axes``).
    keepdims : bool
        Outputs keep the reduced core dimensions with length 1 (at the inputs' positions).
    in_cores, out_cores
        The core dimensions of the inputs and outputs, as :func:`parse_signature` gives them.

    Returns
    -------
    tuple of (list of tuple, list of tuple)
        Input positions and output positions (negative: counted from the end).

    Raises
    ------
    ValueError
        For contradicting or mismatched keywords, naming which.

    Examples
    --------
    >>> from gpuscale.array.gufuncs import normalize_axes, parse_signature
    >>> normalize_axes(None, None, False, *parse_signature("(i,j),(j)->(i)"))
    ([(-2, -1), (-1,)], [(-1,)])
    >>> normalize_axes(None, 0, True, *parse_signature("(i),(i)->()"))
    ([(0,), (0,)], [(0,)])
    """
    if axes is not None and axis is not None:
        raise ValueError("Only one of `axis` or `axes` keyword arguments should be given")
    outs = list(out_cores) if isinstance(out_cores, list) else [out_cores]
    nin, nout = len(in_cores), len(outs)
    if keepdims:
        outs = _keepdims_cores(in_cores, outs)
    entries = _expand_axes(axes, axis, list(in_cores), outs)
    allowed = (nin + nout,) if any(outs) and not keepdims else (nin, nin + nout)
    if len(entries) not in allowed:
        raise ValueError(f"`axes` has {len(entries)} entries for {nin} inputs and {nout} outputs")
    in_axes = entries[:nin]
    out_axes = entries[nin:] or [tuple(range(-len(c), 0)) for c in outs]
    for k, (where, core) in enumerate(zip(in_axes, in_cores)):
        if len(where) != len(core):
            raise ValueError(f"`axes` entry {where} of input {k} does not match its core dimensions {core}")
    if keepdims:
        return in_axes, [in_axes[0] if in_axes else ()] * nout
    for k, (where, core) in enumerate(zip(out_axes, outs)):
        if len(where) != len(core):
            raise ValueError(f"`axes` entry {where} of output {k} does not match its core dimensions {core}")
    return in_axes, out_axes


def _core_last(x: Array, where: Any) -> Array:
    from gpuscale.array.manipulation import moveaxis

    if where is None or not where:
        return x
    where = tuple(w % x.ndim for w in where)
    target = tuple(range(x.ndim - len(where), x.ndim))
    return x if where == target else moveaxis(x, where, target)


def _core_back(x: Array, where: Any, ncore: int, keep: tuple) -> Array:
    from gpuscale.array.manipulation import expand_dims, moveaxis

    if keep:  # keepdims: the reduced core dimensions come back with length 1 where they were
        for w in sorted(k % (x.ndim + len(keep)) for k in keep):
            x = expand_dims(x, axis=w)
        return x
    if where is None or not ncore:
        return x
    source = tuple(range(x.ndim - ncore, x.ndim))
    where = tuple(w % x.ndim for w in where)
    return x if where == source else moveaxis(x, source, where)


def _probe_dtypes(func: Callable, arrays: list, in_cores: list, sizes: dict, kwargs: dict, nout: int,
                  single: bool, loops: bool) -> list:
    """Output dtypes found by calling ``func`` on small arrays: the true core sizes, loop dimensions of
    length 1 (``loops``) or none (a vectorized function sees core slices)."""
    probes = []
    for a, core in zip(arrays, in_cores):
        shape = (1,) * (a.ndim - len(core)) * loops + tuple(sizes[n] for n in core)
        if math.prod(shape) > 1_000_000:
            shape = (1,) * len(shape)
        probes.append(chunkfn.create(a.backend, "ones", shape, a.dtype))
    try:
        out = func(*probes, **kwargs)
    except Exception as exc:
        name = getattr(func, "__name__", repr(func))
        raise ValueError(f"`dtype` inference failed: apply_gufunc called {name} on small blocks to find its output "
                         f"dtypes and got {type(exc).__name__}: {exc}. Please specify the dtype explicitly with "
                         "output_dtypes=") from exc
    outs = [out] if single else list(out)
    if len(outs) != nout:
        raise ValueError(f"the signature has {nout} outputs, the function returned {len(outs)}")
    return [chunkfn.numpy_dtype(o.dtype if hasattr(o, "dtype") else chunkfn.python_scalar_type(o).__name__)
            for o in outs]


def apply_gufunc(func: Callable, signature: str, *args: Any, axes: Any = None, axis: Any = None,
                 keepdims: bool = False, output_dtypes: Any = None, output_sizes: dict | None = None,
                 vectorize: bool | None = None, allow_rechunk: bool = False, meta: Any = None,
                 **kwargs: Any) -> Any:
    """Apply a generalized ufunc ``func`` with ``signature`` block by block, as ``dask.array.apply_gufunc``.

    Parameters
    ----------
    func
        Called on blocks whose trailing dimensions are the core dimensions of
        ``signature``; ``**kwargs`` are passed on.
    signature
        ``"(i),(i)->()"``: core dimensions per input and output.
    output_dtypes
        One dtype, or one per output; inferred by calling ``func`` on small
        blocks when omitted.
    output_sizes
        Sizes of output core dimensions that appear in no input, or that differ from the input's
        (``np.diff`` along a core dimension).
    vectorize
        Call ``func`` once per loop position with the core slices (as
        ``numpy.vectorize(func, signature=...)``), on the chunk's device.
    allow_rechunk
        Gather core dimensions split into several blocks (splitting loop blocks so that blocks keep
        about their size) and align loop dimensions of different blocks (else ``ValueError``).
    axes, axis, keepdims
        Where the core dimensions are, if not last, and whether outputs keep them with length 1 (as
        NumPy's gufuncs: :func:`normalize_axes`).

    Returns
    -------
    Array or tuple of Array
        One array, or a tuple of arrays for a signature with several outputs.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], chunks=(1, 3))
    >>> ga.apply_gufunc(lambda b: b.mean(axis=-1), "(i)->()", x, output_dtypes=float).compute().tolist()
    [2.0, 5.0]
    >>> low, high = ga.apply_gufunc(lambda b: (b.min(axis=-1), b.max(axis=-1)), "(i)->(),()", x)
    >>> low.compute().tolist(), high.compute().tolist()
    ([1.0, 4.0], [3.0, 6.0])
    """
    in_cores, out_spec = parse_signature(signature)
    single = isinstance(out_spec, tuple)
    out_cores = [out_spec] if single else list(out_spec)
    if len(args) != len(in_cores):
        raise ValueError(f"According to `signature`, `func` requires {len(in_cores)} arguments, "
                         f"but {len(args)} given")
    arrays = _as_arrays(args)
    in_axes, out_axes = normalize_axes(axes, axis, keepdims, in_cores, out_spec)
    arrays = [_core_last(a, w) for a, w in zip(arrays, in_axes)]
    sizes: dict = {}
    for i, (a, core) in enumerate(zip(arrays, in_cores)):
        if a.ndim < len(core):
            raise ValueError(f"input {i} has {a.ndim} dimensions, fewer than its core dimensions {core}")
        for d, name in zip(range(a.ndim - len(core), a.ndim), core):
            if sizes.setdefault(name, a.shape[d]) != a.shape[d]:
                raise ValueError(f"Dimension `'{name}'` with different lengths in arrays")
            if len(a.chunks[d]) > 1 and not allow_rechunk:
                raise ValueError(f"Core dimension `'{name}'` consists of multiple chunks. To fix, rechunk into a "
                                 "single chunk along this dimension or set `allow_rechunk=True`, but beware that "
                                 "this may increase memory usage significantly.")
        arrays[i] = Array(rechunk_expr(a._expr, _gathered(a.chunks, a.shape, len(core))))
    out_sizes = {**sizes, **(output_sizes or {})}  # output_sizes= may also resize a core dimension of the inputs
    missing = {n for core in out_cores for n in core} - set(out_sizes)
    if missing:
        raise ValueError(f"Core dimension(s) {sorted(missing)} of the output appear in no input; give their "
                         "sizes with output_sizes=")
    loop_ndim = max((a.ndim - len(c) for a, c in zip(arrays, in_cores)), default=0)
    arrays, loop_chunks = _align_loops(arrays, in_cores, loop_ndim, allow_rechunk)
    backend = arrays[0].backend if arrays else "numpy"
    if output_dtypes is None and meta is not None:
        output_dtypes = [m.dtype for m in (meta if isinstance(meta, (tuple, list)) else (meta,))]
    if output_dtypes is None:
        dtypes = _probe_dtypes(func, arrays, in_cores, sizes, kwargs, len(out_cores), single, not vectorize)
    else:
        dtypes = [chunkfn.numpy_dtype(d) for d in _as_list(output_dtypes)]
        if len(dtypes) != len(out_cores):
            raise ValueError(f"output_dtypes has {len(dtypes)} entries for {len(out_cores)} outputs")
    block_func = func
    if vectorize:
        block_func = chunkfn.Vectorized(func, tuple(len(c) for c in in_cores), tuple(out_cores), out_sizes,
                                        tuple(dtypes), single)
    letters = {name: _CORE + k for k, name in enumerate(sorted(out_sizes))}
    loop_ind = tuple(range(_LOOP, _LOOP + loop_ndim))
    inds = [loop_ind[loop_ndim - (a.ndim - len(c)):] + tuple(letters[n] for n in c) for a, c in zip(arrays, in_cores)]
    exprs = [a._expr for a in arrays]
    outputs = []
    if single:
        core = out_cores[0]
        node = blockwise_expr(block_func, loop_ind + tuple(letters[n] for n in core),
                              loop_chunks + tuple((out_sizes[n],) for n in core), dtypes[0], backend, *exprs,
                              arg_inds=inds, kwargs=kwargs)
        outputs.append(Array(node))
    else:
        node = blockwise_expr(block_func, loop_ind, loop_chunks, dtypes[0], backend, *exprs, arg_inds=inds,
                              kwargs=kwargs)
        for k, (core, dtype) in enumerate(zip(out_cores, dtypes)):
            picked = blockwise_expr(chunkfn.pick, loop_ind + tuple(letters[n] for n in core),
                                    loop_chunks + tuple((out_sizes[n],) for n in core), dtype, backend, node, k,
                                    arg_inds=(loop_ind, None))
            outputs.append(Array(picked))
    keep = out_axes[0] if keepdims else ()
    outputs = [_core_back(o, w, len(c), keep) for o, w, c in zip(outputs, out_axes, out_cores)]
    return outputs[0] if single else tuple(outputs)


def _gathered(chunks: tuple, shape: tuple, ncore: int) -> tuple:
    """Chunks with the last ``ncore`` (core) dimensions in one block each; the loop dimensions are split to
    make up for the growth (largest blocks first), so gathering does not multiply the memory of a block."""
    loop = len(shape) - ncore
    growth = math.prod(n / max(c) for c, n in zip(chunks[loop:], shape[loop:]) if c and max(c) > 0)
    out = list(chunks[:loop]) + [(n,) for n in shape[loop:]]
    for d in sorted(range(loop), key=lambda d: -max(chunks[d], default=0)):
        largest = max(chunks[d], default=0)
        if growth < 1.5 or largest <= 1 or any(_chunks.is_unknown(n) for n in chunks[d]):
            continue
        size = max(1, round(largest / growth))
        out[d] = _chunks.regular(size, shape[d])
        growth /= largest / size
    return tuple(out)


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _align_loops(arrays: list, in_cores: list, loop_ndim: int, allow_rechunk: bool) -> tuple:
    """Rechunk the loop dimensions to common blocks (length-1 dimensions broadcast); the loop chunks.

    Different blocks of one loop dimension need ``allow_rechunk`` (as dask.array: the caller chose them)."""
    loop_chunks = []
    targets = [list(a.chunks) for a in arrays]
    for d in range(loop_ndim):
        dims = []  # (input position, its dimension) of the inputs with this loop dimension, not of length 1
        for i, (a, core) in enumerate(zip(arrays, in_cores)):
            k = d - (loop_ndim - (a.ndim - len(core)))
            if k >= 0 and a.shape[k] != 1:
                dims.append((i, k))
        lengths = {arrays[i].shape[k] for i, k in dims}
        if len(lengths) > 1:
            raise ValueError(f"loop dimension {d} has different lengths in arrays: {sorted(lengths)} do not broadcast")
        if not dims:
            loop_chunks.append((1,))
            continue
        blocks = {arrays[i].chunks[k] for i, k in dims}
        if len(blocks) > 1 and not allow_rechunk:
            raise ValueError(f"loop dimension {d} with different chunksize present: {sorted(blocks)}; rechunk the "
                             "inputs alike or pass allow_rechunk=True")
        common = _chunks.common_chunks([arrays[i].chunks[k] for i, k in dims])
        loop_chunks.append(common)
        for i, k in dims:
            targets[i][k] = common
    aligned = [Array(rechunk_expr(a._expr, tuple(t))) for a, t in zip(arrays, targets)]
    return aligned, tuple(loop_chunks)


class gufunc:  # noqa: N801 - dask.array's name
    """A function with a gufunc signature, called on gpuscale arrays through :func:`apply_gufunc`, as
    ``dask.array.gufunc``.

    Parameters
    ----------
    pyfunc : callable
        Called on blocks whose trailing dimensions are the core dimensions.
    signature : str, optional
        ``"(i)->()"`` style; taken from ``pyfunc.signature`` when omitted (NumPy gufuncs carry one).
    vectorize, axes, axis, keepdims, output_sizes, output_dtypes, allow_rechunk, meta
        As :func:`apply_gufunc`, for every call.

    Returns
    -------
    gufunc
        Call it with arrays as ``pyfunc`` would be called.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> mean = ga.gufunc(lambda b: b.mean(axis=-1), signature="(i)->()", output_dtypes=float)
    >>> mean(ga.asarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], chunks=(1, 3))).compute().tolist()
    [2.0, 5.0]
    """

    def __init__(self, pyfunc: Callable, *, signature: str | None = None, vectorize: bool = False,
                 axes: Any = None, axis: Any = None, keepdims: bool = False, output_sizes: dict | None = None,
                 output_dtypes: Any = None, allow_rechunk: bool = False, meta: Any = None) -> None:
        self.pyfunc = pyfunc
        self.signature = signature if signature is not None else getattr(pyfunc, "signature", None)
        if self.signature is None:
            raise ValueError("gufunc needs a signature")
        self.vectorize, self.axes, self.axis, self.keepdims = vectorize, axes, axis, keepdims
        self.output_sizes, self.output_dtypes = output_sizes, output_dtypes
        self.allow_rechunk, self.meta = allow_rechunk, meta
        self.__doc__ = getattr(pyfunc, "__doc__", None)
        self.__name__ = getattr(pyfunc, "__name__", "gufunc")

    def __call__(self, *args: Any, allow_rechunk: bool = False, **kwargs: Any) -> Any:
        return apply_gufunc(self.pyfunc, self.signature, *args, vectorize=self.vectorize, axes=self.axes,
                            axis=self.axis, keepdims=self.keepdims, output_sizes=self.output_sizes,
                            output_dtypes=self.output_dtypes, allow_rechunk=self.allow_rechunk or allow_rechunk,
                            meta=self.meta, **kwargs)


def as_gufunc(signature: str | None = None, **kwargs: Any) -> Callable:
    """Decorator form of :class:`gufunc`, as ``dask.array.as_gufunc``.

    Parameters
    ----------
    signature : str, optional
        The gufunc signature, ``"(i)->()"`` style.
    **kwargs
        The other arguments of :class:`gufunc`.

    Returns
    -------
    callable
        A decorator turning a function into a :class:`gufunc`.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> @ga.as_gufunc("(i)->(i)", output_dtypes=float)
    ... def centred(block):
    ...     return block - block.mean(axis=-1, keepdims=True)
    >>> centred(ga.asarray([[1.0, 2.0, 3.0], [4.0, 5.0, 9.0]], chunks=(1, 3))).compute().tolist()
    [[-1.0, 0.0, 1.0], [-2.0, -1.0, 3.0]]
    """
    def decorate(pyfunc: Callable) -> gufunc:
        return gufunc(pyfunc, signature=signature, **kwargs)

    return decorate
