"""Chunk creation and movement between libraries (``to_backend`` wraps the counted copies)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.array._core import _is_array, device_of, library_of, module_for, namespace, numpy_dtype, xp_dtype
from gpuscale.backends.array._masked import check_unmasked


# -- creation and conversion --------------------------------------------------------------------------
def create(backend: str, name: str, shape: tuple, dtype: Any, *args: Any) -> Any:
    """``zeros/ones/empty/full`` for one chunk on the backend's device."""
    xp = namespace() if backend == "numpy" else module_for(backend)
    kwargs = {"dtype": xp_dtype(xp, dtype)}
    if backend == "array_api_strict":
        kwargs["device"] = device_of(backend)
    if name == "empty" or backend == "array_api_strict":
        return getattr(xp, name)(shape, *args, **kwargs)
    # a constant block is one value broadcast (read-only, no memory), as in dask.array
    if name in ("zeros", "ones"):  # the library's own: zeros of a text dtype are '' (not a cast 0: '0')
        return xp.broadcast_to(getattr(xp, name)((), **kwargs), shape)
    return xp.broadcast_to(xp.full((), args[0] if args else 0, **kwargs), shape)


def check_dtype_of_backend(backend: str, dtype: Any, what: str) -> None:
    """Refuse, when the array is built, a dtype the backend's chunks cannot hold (CuPy's: bool and numbers
    only), rather than in the first task that makes a block.

    Raises
    ------
    ValueError
        As CuPy's own ``Unsupported dtype``, naming the dtype, the backend and the way out.
    """
    dtype = numpy_dtype(dtype)
    if backend == "cupy" and dtype.kind not in "biufc":
        raise ValueError(f"{what}: Unsupported dtype {dtype.str} on the cupy backend (CuPy arrays hold only bool "
                         f"and numeric dtypes); make this array with backend='numpy' (device='cpu')")


def holds_dtype(backend: str, dtype: Any) -> bool:
    """Whether chunks of ``backend`` can hold ``dtype``: NumPy's hold any; device libraries (CuPy,
    array-api-strict) hold bool and numbers only, not datetimes, strings or objects."""
    return backend == "numpy" or numpy_dtype(dtype).kind in "biufc"


def create_like(block: Any, backend: str, name: str, dtype: Any, *args: Any) -> Any:
    """``create`` shaped like ``block`` (the blocks of an array whose block lengths are unknown)."""
    return create(backend, name, tuple(block.shape), dtype, *args)


def arange_dtype(start: Any, stop: Any, step: Any) -> Any:
    """NumPy's result dtype of ``arange(start, stop, step)``: an empty range of the same argument types
    answers it without allocating anything (a Python int beyond int64 is NumPy's uint64 or object, as NumPy
    reads it: ``arange(2**63, 2**63 + 3)`` is float64)."""
    np = module_for("numpy")
    if any(_is_wide_int(v) and np.asarray(v).dtype == object for v in (start, stop, step)):
        return np.dtype(object)
    zeros = (np.uint64(0) if _is_wide_int(v) else type(v)(0) for v in (start, stop))
    return np.arange(*zeros, np.uint64(step) if _is_wide_int(step) else step).dtype


def _is_wide_int(v: Any) -> bool:
    return type(v) is int and not -2**63 <= v < 2**63


def check_arange_ends(start: Any, step: Any, length: int, dtype: Any) -> None:
    """NumPy's ``OverflowError`` for a first (or second) value of ``arange`` out of an integer ``dtype``'s
    range (``arange(-1, 3, dtype="uint8")``); later values wrap around, as NumPy's."""
    np = module_for("numpy")
    if numpy_dtype(dtype).kind in "iu" and _integral(start) and _integral(step):
        for value in (int(start), int(start) + int(step))[:min(length, 2)]:
            np.asarray(value, dtype=numpy_dtype(dtype))  # NEP 50: OverflowError naming the value and dtype


def _integral(v: Any) -> bool:
    return getattr(v, "dtype", None) is not None and v.dtype.kind in "iub" or isinstance(v, int)


def writable(x: Any) -> Any:
    """``x``, copied if it is a read-only NumPy view (a broadcast constant block) so users may write to it."""
    flags = getattr(x, "flags", None)
    return x.copy() if flags is not None and not getattr(flags, "writeable", True) else x


def arange_block(backend: str, start: Any, step: Any, dtype: Any, slices: tuple) -> Any:
    """Elements ``slices[0]`` of ``arange(start, ..., step)`` (computed like NumPy, then cast)."""
    dtype = numpy_dtype(dtype)
    np = module_for("numpy")
    lo, hi = slices[0].start, slices[0].stop
    if dtype == object:  # Python ints beyond uint64: NumPy's object array of exact ints
        return to_backend(np.array([start + i * step for i in range(lo, hi)], dtype=object), backend)
    if dtype.kind in "iu" and _integral(start) and _integral(step):
        # integers in modular uint64 arithmetic, then cast: exact beyond int64 (a uint64 from 2**63), a
        # negative step of an unsigned dtype, and NumPy's wrap-around past the dtype's range
        wrap = 2**64
        values = np.arange(lo, hi, dtype=np.uint64) * np.uint64(int(step) % wrap) + np.uint64(int(start) % wrap)
        return to_backend(values.astype(dtype), backend)
    values = start + np.arange(lo, hi, dtype=np.float64 if numpy_dtype(dtype).kind == "f" else None) * step
    return to_backend(np.asarray(values).astype(dtype, copy=False), backend)


def linspace_dtype(start: Any, stop: Any) -> Any:
    """NumPy's dtype of ``linspace(start, stop)``: ``result_type(start, stop, float(num))`` (float32 end points
    give float32, Python numbers float64; a lazy end point is given by its dtype)."""
    return module_for("numpy").result_type(start, stop, 1.0)


def linspace_block(backend: str, start: Any, stop: Any, num: int, endpoint: bool, dtype: Any,
                   slices: tuple) -> Any:
    """Elements ``slices[0]`` of ``linspace(start, stop, num)``, computing only those.

    The steps are NumPy's own (``numpy.linspace``): ``start + i * step`` in its working dtype, ``stop``
    itself as the last element, floor for an integer dtype; so the values are NumPy's to the last ulp.
    """
    np = module_for("numpy")
    start, stop = (_host_scalar(v) for v in (start, stop))  # end points computed lazily: 0-d blocks
    lo, hi = slices[0].start, slices[0].stop
    working = np.linspace(start, stop, 0).dtype  # NumPy's working dtype for these end points
    div = num - 1 if endpoint else num
    delta = np.subtract(stop, start, dtype=type(working))
    y = np.arange(lo, hi).astype(working)  # i rounded as NumPy's arange(0, num) does; a float32 arange(lo, hi) drifts
    if div > 0:
        step = delta / div
        if step == 0:  # a denormal step: NumPy divides first (gh-5437)
            y /= div
            y *= delta
        else:
            y *= step
    else:
        y = y * delta  # 0 or 1 element: no step
    y += start
    if endpoint and num > 1 and hi == num and hi > lo:
        y[-1] = stop
    dtype = numpy_dtype(dtype)
    if dtype.kind in "iu":
        np.floor(y, out=y)
    return to_backend(y.astype(dtype, copy=False), backend)


def _host_scalar(value: Any) -> Any:
    if not _is_array(value):
        return value
    from gpuscale.backends.convert import to_host

    return to_host(value)[()]


def eye_block(backend: str, k: int, dtype: Any, slices: tuple) -> Any:
    """Block of ``eye(..., k=k)`` whose global position is ``slices``."""
    dtype = numpy_dtype(dtype)
    np = module_for("numpy")
    rows, cols = slices
    block = np.eye(rows.stop - rows.start, cols.stop - cols.start, k=k + rows.start - cols.start, dtype=dtype)
    return to_backend(block, backend)


def triangle_block(name: str, x: Any, k: int, slices: tuple) -> Any:
    """``tril``/``triu`` of a block whose last two dimensions start at ``slices[-2:]``."""
    xp = namespace(x)
    return getattr(xp, name)(x, k=k + slices[-2].start - slices[-1].start)


def module_call(backend: str, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call a creation-like namespace function (dotted ``name``) of ``backend``, on its device."""
    xp = namespace() if backend == "numpy" else module_for(backend)
    if "dtype" in kwargs:
        kwargs["dtype"] = xp_dtype(xp, kwargs["dtype"])
    if backend == "array_api_strict":
        kwargs["device"] = device_of(backend)
    func = xp
    for part in name.split("."):
        func = getattr(func, part)
    return func(*args, **kwargs)


def fft_freq(backend: str, name: str, n: int, d: float, dtype: Any) -> Any:
    """``fft.fftfreq(n, d)`` or ``fft.rfftfreq(n, d)`` (``name``) of ``backend``, in ``dtype``, on its device."""
    if backend in ("numpy", "array_api_strict"):  # Array API namespaces: dtype= and device= of their own
        return module_call(backend, f"fft.{name}", n, d=d, dtype=dtype)
    xp = module_for(backend)
    # CuPy's take only (n, d) and answer float64, as NumPy's own functions compute them
    return getattr(xp.fft, name)(n, d).astype(xp_dtype(xp, dtype), copy=False)


def to_backend(chunk: Any, backend: str) -> Any:
    """Move a chunk to ``backend`` (host copies counted by ``backends.convert``)."""
    from gpuscale.backends.convert import to_device, to_host

    if library_of(chunk) == backend:
        return chunk
    if backend == "numpy":
        return to_host(chunk)
    check_unmasked(chunk, backend)
    if library_of(chunk) != "numpy":
        chunk = to_host(chunk)
    return to_device(chunk, backend)


def from_host(data: Any, index: tuple, backend: str) -> Any:
    """Slice a block out of in-memory data and place it on ``backend``."""
    block = data[index] if index else data
    if library_of(block) == "numpy" and backend == "numpy":
        # subok: a masked array's blocks keep their masks
        return module_for("numpy").array(block, copy=True, subok=True) if _is_view_of_user_data(block) else block
    return to_backend(block, backend)


def from_host_of_shape(data: Any, shape: tuple, backend: str, source: str) -> Any:
    """:func:`from_host` of a whole block whose shape was declared (``from_delayed(value, shape)``): a computed
    array of another shape is refused naming both (its blocks would be joined as if of the declared lengths,
    or silently handed on); a nan length in ``shape`` (known only when computed) takes any length."""
    block = from_host(data, (), backend)
    got = tuple(getattr(block, "shape", ()))
    if len(got) != len(shape) or any(n == n and n != g for n, g in zip(shape, got)):  # (nan != nan: unknown)
        raise ValueError(f"{source} computed an array of shape {got}, not of the declared shape {shape}")
    return block


def owned_copy(data: Any, subok: bool = False) -> Any:
    """In-memory data for ``from_array``: a copy, so that writes to the caller's array after the call do not show
    through (as dask copies); NumPy scalars, strings, bytes and memoryviews become 0-d / 1-d NumPy arrays, and
    subclasses of NumPy's array other than masked arrays (``numpy.matrix``, ``memmap``) plain ones unless
    ``subok`` (``asanyarray``): blocks are the backend's arrays (a matrix block has no ``sum(keepdims=)`` and
    keeps two dimensions when indexed)."""
    np = module_for("numpy")
    if isinstance(data, (np.generic, str, bytes, memoryview)):
        return np.array(data)
    if not subok and is_array_subclass(data):
        return np.array(data, subok=False)
    return data.copy() if hasattr(data, "copy") else data


def is_array_subclass(data: Any) -> bool:
    """A subclass of NumPy's array other than a masked array (``numpy.matrix``, ``memmap``)."""
    np = module_for("numpy")
    return isinstance(data, np.ndarray) and type(data) is not np.ndarray and not isinstance(data, np.ma.MaskedArray)


def embeds_whole(data: Any, backend: str) -> bool:
    """Whether ``from_array``'s own copy ``data`` is a block of ``backend`` as it stands (a NumPy array, masked
    or not, for the NumPy backend): the graph then holds it itself rather than a task that converts it."""
    return backend == "numpy" and library_of(data) == "numpy" and hasattr(data, "ndim")


def _is_view_of_user_data(block: Any) -> bool:
    # the user may later mutate the array they passed in; chunks must not change with it
    return getattr(block, "base", None) is not None


def asarray_eager(obj: Any, backend: str, dtype: Any = None, copy: Any = None) -> Any:
    """Convert Python data / arrays to one chunk of ``backend`` (used by ``ga.asarray``)."""
    if _is_array(obj):
        xp = namespace(obj)
        obj = xp.asarray(obj, dtype=xp_dtype(xp, dtype), copy=copy) if dtype is not None or copy else obj
        return to_backend(obj, backend)
    np = module_for("numpy")
    # NumPy's dtype, as dask: Python floats are float64 already, NumPy float32 scalars in a list stay float32
    host = np.asarray(obj, dtype=dtype)
    return to_backend(host, backend)


def element_of(value: Any, dtype: Any) -> Any:
    """``value`` stored into a NumPy array of ``dtype`` (``pad``'s ``constant_values``): NumPy's checks of an
    assignment, ``OverflowError`` for an integer out of the dtype's range (300 into int8), as ``numpy.pad``."""
    np = module_for("numpy")
    if getattr(value, "ndim", None) == 0 and getattr(value, "dtype", np.dtype(object)).kind in "biufc":
        value = np.asarray(value).item()  # numpy.pad stores a number as a Python scalar: NEP 50's range check
    out = np.empty((), dtype=numpy_dtype(dtype))
    out[()] = value
    return out[()]


def host_array(x: Any, dtype: Any = None) -> Any:
    """A computed NumPy result as an ``ndarray`` (for ``__array__``)."""
    np = module_for("numpy")
    return np.asarray(x, dtype=dtype)


def random_block(backend: str, seed: tuple, block_id: tuple, kind: str, shape: tuple, dtype: Any,
                 params: tuple) -> Any:
    """A block of random numbers that depends only on (seed, block position)."""
    dtype = numpy_dtype(dtype)
    np = module_for("numpy")
    seq = np.random.SeedSequence(entropy=list(seed), spawn_key=tuple(block_id))
    rng = np.random.Generator(np.random.PCG64(seq))
    if kind == "random":
        out = rng.random(shape, dtype=dtype)
    elif kind == "normal":
        out = rng.normal(params[0], params[1], size=shape).astype(dtype)
    elif kind == "uniform":
        out = rng.uniform(params[0], params[1], size=shape).astype(dtype)
    elif kind == "integers":
        out = _integers(rng, params, size=shape, dtype=dtype)
    elif kind in CATEGORY_DRAWS:  # the block's last axis holds the categories, not draws
        out = _category_draws(rng, kind, params, tuple(shape[:-1])).astype(dtype, copy=False)
    elif kind in RANDOM_DISTRIBUTIONS:
        out = np.asarray(getattr(rng, kind)(*params, size=shape)).astype(dtype, copy=False)
    else:
        raise ValueError(f"unknown random distribution {kind!r}")
    return to_backend(out, backend)


# draws whose last axis is a category: multinomial(n, pvals), multivariate_hypergeometric(colors, nsample, method)
CATEGORY_DRAWS = ("multinomial", "multivariate_hypergeometric")


def _category_draws(rng: Any, kind: str, params: tuple, size: tuple) -> Any:
    if kind == "multinomial":
        return rng.multinomial(params[0], list(params[1]), size=size)
    colors, nsample, method = params
    return rng.multivariate_hypergeometric(list(colors), nsample, size=size, method=method)


# numpy.random.Generator methods drawn by name (scalar parameters, then size=)
RANDOM_DISTRIBUTIONS = frozenset({
    "beta", "binomial", "chisquare", "exponential", "f", "gamma", "geometric", "gumbel", "hypergeometric",
    "laplace", "logistic", "lognormal", "logseries", "negative_binomial", "noncentral_chisquare", "noncentral_f",
    "pareto", "poisson", "power", "rayleigh", "standard_cauchy", "standard_exponential", "standard_gamma",
    "standard_normal", "standard_t", "triangular", "vonmises", "wald", "weibull", "zipf",
})


def random_dtype(kind: str, params: tuple) -> Any:
    """The NumPy dtype of draws of ``kind`` (one draw on the host; invalid parameters raise NumPy's error)."""
    np = module_for("numpy")
    if kind not in RANDOM_DISTRIBUTIONS and kind not in ("random", "normal", "uniform", "integers", *CATEGORY_DRAWS):
        raise ValueError(f"unknown random distribution {kind!r}")
    rng = np.random.default_rng(0)
    if kind in CATEGORY_DRAWS:
        return _category_draws(rng, kind, params, (1,)).dtype
    if any(_is_array_param(p) for p in params):  # array parameters (lazy ones too): an empty one of each dtype
        params = tuple(np.empty(0, dtype=numpy_dtype(p.dtype)) if _is_array_param(p) else p for p in params)
        return np.asarray(_draws(rng, kind, params)).dtype
    return np.asarray(_draws(rng, kind, params, size=1)).dtype


def _draws(rng: Any, kind: str, params: tuple, **size: Any) -> Any:
    return _integers(rng, params, **size) if kind == "integers" else getattr(rng, kind)(*params, **size)


def _integers(rng: Any, params: tuple, **options: Any) -> Any:
    # (low, high) or (low, high, endpoint): a third parameter is NumPy's endpoint=, only there when True
    # (so the names and numbers of draws without it stay as they were)
    return rng.integers(params[0], params[1], endpoint=len(params) > 2 and bool(params[2]), **options)


def check_choice_p(p: Any, legacy: bool) -> int:
    """NumPy's checks of ``choice``'s host probabilities ``p`` (already of the population's length), with
    ``RandomState``'s messages when ``legacy``, else ``Generator``'s; the number of non-zero ones.

    Raises
    ------
    ValueError
        ``p`` contains NaN, a negative number, or does not sum to 1 (within NumPy's tolerance).
    """
    np = module_for("numpy")
    given = to_backend(p, "numpy") if _is_array(p) else np.asarray(p)
    host = given.astype(np.float64)
    atol = np.sqrt(np.finfo(np.float64).eps)
    if given.dtype.kind == "f":  # NumPy's own tolerance for float32 (or float16) probabilities
        atol = max(atol, np.sqrt(np.finfo(given.dtype).eps))
    total = host.sum()
    prefix = "p" if legacy else "P"
    if np.isnan(total):
        raise ValueError(f"{prefix}robabilities contain NaN")
    if (host < 0).any():
        raise ValueError(f"{prefix}robabilities are not non-negative")
    if abs(total - 1.0) > atol:
        raise ValueError(f"{prefix}robabilities do not sum to 1")
    return int(np.count_nonzero(host))


def _is_array_param(value: Any) -> bool:
    # not named _is_array: that is _core's test, which asarray_eager above uses (a 0-d masked constant too)
    return hasattr(value, "shape") and getattr(value, "ndim", 0) != 0 or hasattr(value, "__dask_graph__")


def random_block_with_arrays(backend: str, seed: tuple, block_id: tuple, kind: str, shape: tuple, dtype: Any,
                             *params: Any) -> Any:
    """:func:`random_block` with parameters that are blocks of the output's shape (drawn on the host)."""
    params = tuple(to_backend(p, "numpy") if hasattr(p, "shape") else p for p in params)
    return random_block(backend, seed, block_id, kind, shape, dtype, params)


def seed_from(seed: Any) -> int | None:
    """An int seed from what ``numpy.random.default_rng`` takes: None (fresh entropy), an int, a sequence of
    ints, a NumPy ``BitGenerator`` class (fresh entropy) or instance, or a NumPy ``Generator`` (one draw from
    it; the object's own state moves on, as NumPy's ``default_rng(generator)`` shares it)."""
    np = module_for("numpy")
    if seed is None or (isinstance(seed, type) and issubclass(seed, np.random.BitGenerator)):
        return None
    if isinstance(seed, (int, np.integer)):
        return int(seed)
    if isinstance(seed, np.random.BitGenerator):
        seed = np.random.Generator(seed)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63))
    if isinstance(seed, (list, tuple)) or hasattr(seed, "__array__"):
        return int(np.random.default_rng(seed).integers(0, 2**63))
    raise TypeError(f"seed must be None, an int, a sequence of ints, a NumPy BitGenerator or Generator; "
                    f"got {type(seed).__name__}")
