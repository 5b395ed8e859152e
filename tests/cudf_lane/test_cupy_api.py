"""The CuPy half of the cuDF lane (``make test-cudf``): what gpuscale.array asks CuPy for, against the real CuPy.

gpuscale.array calls the chunk library's functions by *name* (``xp_call("sin", chunk)``, ``xp.fft.rfft``,
``getattr(xp, name)``).  NumPy has names CuPy lacks, and a name that exists may refuse a keyword.  This module
harvests, from gpuscale's own source (no list to keep in sync by hand), every name looked up on the chunk
namespace and the keywords passed with it, and checks them against the pinned CuPy (imported without a GPU).

* every harvested name exists on CuPy, or is in ``GAPS`` with how gpuscale handles it;
* every gap handled by a fallback really reaches it when the namespace lacks the name (a CPU stand-in);
* every literal keyword gpuscale passes is one the real Python signature accepts;
* run-time restrictions visible in CuPy's source (quantile methods) are still there.

Elsewhere (``make test``) the module is skipped: CuPy is not installed there.
"""

from __future__ import annotations

import ast
import inspect
import pathlib
import types

import pytest

cupy = pytest.importorskip("cupy", reason="the CuPy checks run with `make test-cudf`")
compat = pytest.importorskip("array_api_compat.cupy")

ROOT = pathlib.Path(__file__).resolve().parents[2] / "gpuscale"
CUPY_VERSION = "14.2.0"
SUBMODULES = ("fft", "linalg", "random")
CALLERS = ("xp_call", "xp_call_checked")


# -- harvest: what gpuscale looks up on the chunk namespace ------------------------------------------------
def _sources() -> list[pathlib.Path]:
    return sorted([*(ROOT / "backends" / "array").glob("*.py"), *(ROOT / "array").rglob("*.py")])


def _xp_chain(node: ast.AST, roots: tuple = ("xp", "mod")) -> str | None:
    """``"fft.rfft"`` for ``xp.fft.rfft``; None for anything not rooted at a name ``xp`` (the namespace of
    the chunks: ``array_api_compat.cupy`` for CuPy chunks) or ``mod`` (the chunk library itself: ``cupy``)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not (isinstance(node, ast.Name) and node.id in roots) or not parts:
        return None
    parts.reverse()
    # xp.fft.rfft, xp.linalg.qr: a submodule and its function; xp.maximum.accumulate: a ufunc's method
    name = ".".join(parts[:2]) if parts[0] in SUBMODULES else parts[0]
    return f"cupy:{name}" if node.id == "mod" else name


def _name_after_caller(call: ast.Call) -> str | None:
    """The function name of ``xp_call("name", ...)`` or of ``blockwise_expr(chunkfn.xp_call, ..., "name", ...)``."""
    func = call.func
    if isinstance(func, (ast.Name, ast.Attribute)) and getattr(func, "attr", getattr(func, "id", None)) in CALLERS:
        args = call.args[1:] if getattr(func, "attr", getattr(func, "id", None)) == "xp_call_checked" else call.args
        return args[0].value if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str) \
            else None
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Attribute) and arg.attr in CALLERS:
            for later in call.args[i + 1:]:
                if isinstance(later, ast.Constant) and isinstance(later.value, str):
                    return later.value
    return None


def harvest() -> dict[str, dict[str, set]]:
    """``{name: {"where": {"file:line", ...}, "keywords": {...}}}`` of every lookup gpuscale's source makes."""
    found: dict[str, dict[str, set]] = {}

    def note(name: str, where: str, keywords=()):
        entry = found.setdefault(name, {"where": set(), "keywords": set()})
        entry["where"].add(where)
        entry["keywords"].update(keywords)

    for path in _sources():
        rel = path.relative_to(ROOT.parent)
        tree = ast.parse(path.read_text())
        for func in _raw_library_functions(tree):
            # here ``xp`` is CuPy's own module (module_for(backend)), not array_api_compat.cupy: its names too
            for node in ast.walk(func):
                if isinstance(node, ast.Attribute) and _xp_chain(node, ("xp",)) is not None:
                    keywords = ()
                    note(f"cupy:{_xp_chain(node, ('xp',))}", f"{rel}:{node.lineno}", keywords)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                chain = _xp_chain(node.func)
                if chain is not None:
                    full = _xp_full(node.func)
                    keywords = [k.arg for k in node.keywords if k.arg is not None]
                    note(chain, f"{rel}:{node.lineno}", keywords if full == chain else ())
                named = _name_after_caller(node)
                if named is not None:
                    note(named, f"{rel}:{node.lineno}")
                if isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) >= 2 \
                        and _xp_chain(ast.Attribute(value=node.args[0], attr="_")) is not None \
                        and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                    note(node.args[1].value, f"{rel}:{node.lineno}")
            elif isinstance(node, ast.Attribute) and _xp_chain(node) is not None:
                note(_xp_chain(node), f"{rel}:{node.lineno}")
    for name in _elementwise_names():
        note(name, "gpuscale/array/elementwise.py (xp_call by the public name)")
    for name, keywords, where in _fft_transforms():
        note(f"fft.{name}", where, keywords)
    for name, (keywords, where) in COMPUTED.items():
        note(name, where, keywords)
    for name in _numpy_ufunc_names():
        note(name, "gpuscale/array/ufunc_protocol.py:91,117 (NumPy's ufunc by name: np.<ufunc>(gpuscale array))")
    return found


def _numpy_ufunc_names() -> list[str]:
    """Every NumPy ufunc reaches ``xp_call`` under its (translated) name through ``__array_ufunc__``, except
    matmul and vecdot, which gpuscale answers itself."""
    import numpy as np

    from gpuscale.array.ufunc_protocol import UFUNC_NAMES

    ufuncs = [n for n in dir(np) if isinstance(getattr(np, n), np.ufunc) and n not in ("matmul", "vecdot")]
    return sorted({UFUNC_NAMES.get(n, n) for n in ufuncs})


# lookups whose name is computed at run time (``getattr(xp, kind)``), so the harvest cannot read them off the
# source; with the literal keywords of the call.  ``cupy:``: CuPy's own module; else array_api_compat.cupy.
COMPUTED = {
    **{name: (("axis", "keepdims", "dtype"), "gpuscale/backends/array/_reductions.py:73 (_SIMPLE, cast)")
       for name in ("sum", "prod")},
    **{name: (("axis", "keepdims"), "gpuscale/backends/array/_reductions.py:73 (_SIMPLE)")
       for name in ("max", "min", "any", "all")},
    **{name: (("axis", "keepdims"), "gpuscale/backends/array/_reductions.py:82,175")
       for name in ("argmax", "argmin")},
    **{f"cumulative_{k}": (("axis", "dtype"), "gpuscale/backends/array/_reductions.py:224")
       for k in ("sum", "prod")},
    **{f"cupy:{name}": (("axis", "keepdims"), "gpuscale/backends/array/_along.py:56")
       for name in ("median", "nanmedian")},
    **{f"cupy:fft.{name}": ((), "gpuscale/backends/array/_creation.py:141 (n, d positional)")
       for name in ("fftfreq", "rfftfreq")},
    **{name: (("k",), "gpuscale/backends/array/_creation.py:119") for name in ("tril", "triu")},
    **{f"cupy:{name}": (("dtype",), "gpuscale/backends/array/_creation.py:19 (create)")
       for name in ("zeros", "ones", "empty", "full")},
}


def _raw_library_functions(tree: ast.AST):
    """Functions that bind ``xp`` to the chunk library's own module (``module_for(backend)``)."""
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef):
            for node in ast.walk(func):
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "xp" for t in node.targets) \
                        and "module_for(backend)" in ast.unparse(node.value):
                    yield func
                    break


_FFT_HELPERS = {"_one": ("n", "axis", "norm"), "_many": ("s", "axes", "norm")}


def _fft_transforms():
    """The transforms gpuscale.array.fft sends to ``fft_call`` (``getattr(xp.fft, name)(x, **kwargs)``) by
    the name its helpers ``_one``/``_many`` get, with the keywords those helpers pass."""
    path = ROOT / "array" / "fft.py"
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FFT_HELPERS \
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            yield node.args[0].value, _FFT_HELPERS[node.func.id], f"gpuscale/array/fft.py:{node.lineno}"


def _xp_full(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join(reversed(parts))


def _elementwise_names() -> list[str]:
    """The elementwise names that reach ``xp_call`` under their own name."""
    from gpuscale.array import elementwise, ufuncs

    return sorted({*elementwise.UNARY, *elementwise.BINARY, *ufuncs.UNARY, *ufuncs.BINARY})


# names that are not library functions: dtypes and constants read off the namespace are checked too
# (they are attributes gpuscale reads), but "__name__" and dunder lookups are Python's, not CuPy's
IGNORED = {"__name__", "__array_namespace__"}

# -- names gpuscale looks up that CuPy 14.2 lacks, and what gpuscale does about each ------------------------
# "fallback": gpuscale.backends.array._ufuncs.FALLBACKS / _core._FIXES answers with other functions;
# "guarded": the caller checks hasattr first and takes a generic path.
GAPS = {
    # cupy has no spacing ufunc: xp_call finds none and answers with _ufuncs._spacing (nextafter-based)
    "spacing": "fallback",
    # np.matvec/np.vecmat(gpuscale array) reach xp_call by name (gufuncs, NumPy >= 2.2): CuPy has neither;
    # _ufuncs._matvec/_vecmat write them with matmul
    "matvec": "fallback",
    "vecmat": "fallback",
    # CuPy arrays hold no datetime/timedelta (test_gpuscale_refuses_exactly_the_dtypes_cupy_refuses), and for
    # every other dtype NumPy's loop resolution refuses isnat when the graph is built: xp_call never sees it
    "isnat": "unreachable",
}
# inputs that run each fallback on NumPy through a stand-in namespace lacking the name
FALLBACK_INPUTS = {
    "spacing": ([1.0, -2.5, 0.0, 1e300],),
    "matvec": ([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]] * 2, [[1.0, -1.0], [0.5, 2.0]]),
    "vecmat": ([[1 + 2j, 3 - 1j, 0.5j]], [[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]]]),
}


def _resolve(name: str):
    """What the chunk namespace of CuPy chunks answers for ``name``: ``array_api_compat.cupy`` (which
    re-exports CuPy's own functions and wraps the standard's), or None; ``cupy:name``: CuPy's own."""
    if name.startswith("cupy:"):
        return _resolve_cupy(name[5:])
    return _walk(compat, name)


def _resolve_cupy(name: str):
    return _walk(cupy, name.removeprefix("cupy:"))


def _walk(obj, dotted: str):
    """``obj.a.b`` for ``dotted`` "a.b", or None where a part is missing."""
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


HARVEST = harvest()
NAMES = sorted(n for n in HARVEST if n not in IGNORED)


def test_the_pinned_cupy_is_installed():
    assert cupy.__version__ == CUPY_VERSION


def test_the_harvest_sees_the_dispatch():
    # the harvest must see the routes it claims to: guards against a refactor that hides every name
    for expected in ("sin", "fft.rfft", "fft.irfftn", "linalg.qr", "reshape", "cupy:apply_along_axis", "argsort"):
        assert expected in HARVEST, expected
    assert len(NAMES) > 150


@pytest.mark.parametrize("name", NAMES)
def test_name_exists_on_cupy_or_is_a_known_gap(name):
    where = ", ".join(sorted(HARVEST[name]["where"])[:3])
    if _resolve(name) is None:
        assert name in GAPS, f"gpuscale looks up cupy.{name} ({where}), which CuPy {cupy.__version__} lacks"
    else:
        assert name not in GAPS, f"cupy.{name} exists now: drop it from GAPS"


def _keyword_cases():
    return [(n, k) for n in NAMES for k in sorted(HARVEST[n]["keywords"]) if _resolve(n) is not None]


@pytest.mark.parametrize(("name", "keyword"), _keyword_cases())
def test_keyword_is_accepted_by_cupy(name, keyword):
    func = _resolve(name)
    if isinstance(func, cupy.ufunc):
        # Cython ufuncs have no signature: their __call__'s docstring lists the keywords it takes
        assert f"{keyword} (" in cupy.ufunc.__call__.__doc__ or f"    {keyword}:" in cupy.ufunc.__call__.__doc__, \
            f"cupy.{name} (a ufunc) takes no {keyword}="
        return
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        pytest.skip(f"cupy.{name} is compiled: no Python signature to check {keyword}= against")
    params = sig.parameters
    if keyword in params:
        return
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    if takes_any and getattr(func, "__module__", "").startswith("array_api_compat"):
        # array_api_compat's wrapper hands unknown keywords on to CuPy's own function: check that one
        own = _resolve_cupy(name)
        if own is None or own is func:
            pytest.fail(f"cupy.{name} takes no {keyword}=")
        try:
            sig = inspect.signature(own)
        except (TypeError, ValueError):
            pytest.skip(f"cupy.{name} is compiled: no Python signature to check {keyword}= against")
        params = sig.parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    assert keyword in params or takes_any, \
        f"cupy.{name}{sig} takes no {keyword}= ({', '.join(sorted(HARVEST[name]['where'])[:3])})"


def test_every_gap_is_handled_as_recorded():
    assert set(GAPS.values()) <= {"fallback", "unreachable"}


def test_isnat_is_refused_when_the_graph_is_built():
    import numpy as np

    import gpuscale.array as ga

    with pytest.raises(TypeError, match="isnat"):
        np.isnat(ga.ones(3))


@pytest.mark.parametrize("name", sorted(n for n, how in GAPS.items() if how == "fallback"))
def test_fallback_is_taken_when_the_namespace_lacks_the_name(name):
    from gpuscale.backends.array import _core
    from gpuscale.backends.array._ufuncs import FALLBACKS

    assert name in FALLBACKS or name in _core._FIXES
    _run_fallback(name)


def _run_fallback(name: str) -> None:
    """``xp_call(name, ...)`` with a namespace lacking ``name`` gives NumPy's own result."""
    import numpy as np

    from gpuscale.backends.array import _core

    numpy_ns = _core.module_for("array_api_compat.numpy")
    lacking = _stand_in(numpy_ns, name)
    args = [np.asarray(a) for a in FALLBACK_INPUTS[name]]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_core, "namespace", lambda *objs: lacking)
        got = _core.xp_call(name, *args)
    np.testing.assert_allclose(got, getattr(np, name)(*args), rtol=1e-12)


def _stand_in(namespace, missing: str):
    """A namespace with ``namespace``'s attributes except ``missing`` (as CuPy's lacks it)."""
    stand_in = types.SimpleNamespace(**{k: getattr(namespace, k) for k in dir(namespace) if not k.startswith("__")})
    stand_in.__name__ = "stand_in"
    delattr(stand_in, missing)
    return stand_in


# -- run-time restrictions visible in CuPy's source ----------------------------------------------------------
def test_cupy_quantile_refuses_numpy_1_22_methods():
    from cupy._statistics import order

    source = inspect.getsource(order)
    for method in ("inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
                   "hazen", "weibull", "median_unbiased", "normal_unbiased"):
        assert f"'{method}'" in source, f"CuPy's quantile may accept {method!r} now: gpuscale can pass it through"
    assert "is not yet supported" in source


def test_cupy_ufunc_call_documents_out_and_dtype():
    # the keyword check of ufuncs reads this docstring: it must still list the keywords
    doc = cupy.ufunc.__call__.__doc__
    assert "out (" in doc and "    dtype:" in doc


def test_cupy_ufunc_accumulate_is_a_method():
    # accumulate exists on every cupy.ufunc (CuPy 14 implements it for add/multiply only: others raise
    # NotImplementedError on the device, which gpuscale must not reach for maximum.accumulate)
    assert hasattr(cupy.maximum, "accumulate")


def test_namespace_stand_in_without_a_fallback_name_raises_clearly():
    # a name CuPy lacks that has no fallback must fail with a message naming it, not with a NoneType call
    import numpy as np

    from gpuscale.backends.array import _core

    lacking = _stand_in(_core.module_for("array_api_compat.numpy"), "cbrt")
    del lacking.sin
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_core, "namespace", lambda *objs: lacking)
        with pytest.raises(AttributeError, match="has no function 'sin'"):
            _core.xp_call("sin", np.ones(2))


def _cupy_refuses(dtype) -> bool:
    """Whether the real CuPy refuses ``dtype`` for an array: it checks the dtype before touching the device,
    so the refusal shows without a GPU (an accepted dtype goes on to the device: a CUDA error here)."""
    try:
        cupy.empty(0, dtype=dtype)
    except ValueError as err:
        return "Unsupported dtype" in str(err)
    except Exception:  # noqa: BLE001 - past the dtype check: no device here
        return False
    return False


# every NumPy dtype kind; "V" (void) CuPy accepts but gpuscale refuses too (no gpuscale operation makes one)
DTYPES = ["?", "i1", "i8", "u4", "f2", "f8", "c16", "U3", "S3", "O", "M8[ns]", "m8[s]"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_gpuscale_refuses_exactly_the_dtypes_cupy_refuses(dtype):
    import numpy as np

    from gpuscale.backends.array._creation import check_dtype_of_backend

    try:
        check_dtype_of_backend("cupy", np.dtype(dtype), "test")
        refused = False
    except ValueError:
        refused = True
    assert refused == _cupy_refuses(dtype), f"CuPy {'refuses' if _cupy_refuses(dtype) else 'accepts'} {dtype}"
