"""A pytest plugin that runs dask's own dataframe and array tests against gpuscale (used by ``dask_suite``).

Loaded with ``-p tests.dask_api.dask_suite_shim`` before the test modules are imported, it puts a
stand-in for ``dask.dataframe`` into ``sys.modules``: every public name comes from
``gpuscale.dataframe`` (a name gpuscale lacks raises ``AttributeError``, so the test fails, as a
user's port would), private names (``_dask_expr_enabled``) and dask's submodules (``_compat``, ``utils`` ...) stay dask's, and
``dask.dataframe.utils.assert_eq`` computes gpuscale collections (checking each against its
metadata) before handing the results to dask's own ``assert_eq``.  ``--no-shim`` runs the same
tests on dask itself (the baseline).

For dask.array's tests (``$GPUSCALE_DASK_SUITE_KIND=array``, or ``both``) ``dask.array`` likewise gives
``gpuscale.array``, and so do the submodules tests import from (``linalg``, ``fft``, ``random``,
``overlap``, ``core``, ``rechunk``, ``slicing`` ...): a public name comes from gpuscale's same-named
module, else from gpuscale.array; a name only dask has there is a dask internal that raises
``NotImplementedError`` when used (the test fails: it tests dask's code, not gpuscale's).
``dask.array.utils.assert_eq`` computes gpuscale arrays (checking the dtype and shape against their
metadata, as dask's checks dask's) before handing the results to dask's own ``assert_eq``; the rest of
``dask.array.utils`` and ``dask.array.numpy_compat`` stay dask's (test plumbing).

Per-test outcomes (and each failure's exception, one line) are written as JSON to
``$GPUSCALE_DASK_SUITE_OUT`` at the end of the session; each test gets ``$GPUSCALE_DASK_SUITE_TIMEOUT``
seconds (default 60) before it counts as failed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import types

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--no-shim", action="store_true", help="run on dask itself (the baseline)")


def _install() -> None:
    import dask
    import dask.dataframe as real
    import dask.dataframe.utils as real_utils

    import gpuscale.dataframe as gd
    from gpuscale.collection import Collection
    from gpuscale.testing import _computed

    shim = types.ModuleType("dask.dataframe", "gpuscale.dataframe standing in for dask.dataframe")
    shim.__path__ = list(real.__path__)  # dask's submodules still import from their files

    def __getattr__(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.startswith("_"):  # dask's private helpers (``_dask_expr_enabled``) are test plumbing, not API
            return getattr(real, name)
        return getattr(gd, name)

    shim.__getattr__ = __getattr__
    for name in ("utils", "_compat", "_pyarrow", "methods"):
        sub = sys.modules.get(f"dask.dataframe.{name}")
        if sub is not None and name != "utils":
            setattr(shim, name, sub)

    utils = types.ModuleType("dask.dataframe.utils", "dask's utils; assert_eq computes gpuscale collections")
    utils.__dict__.update({k: v for k, v in real_utils.__dict__.items() if not k.startswith("__")})

    def assert_eq(a, b, *args, **kwargs):
        scheduler = kwargs.pop("scheduler", "sync")  # dask's assert_eq computes with its "sync" scheduler
        a = _computed(a, scheduler) if isinstance(a, Collection) else a
        b = _computed(b, scheduler) if isinstance(b, Collection) else b
        return real_utils.assert_eq(a, b, *args, **kwargs)

    utils.assert_eq = assert_eq
    shim.utils = utils
    sys.modules["dask.dataframe"] = shim
    sys.modules["dask.dataframe.utils"] = utils
    dask.dataframe = shim
    _install_dask_expr(gd)
    # tests importing the readers from their module (``from dask.dataframe.io.sql import read_sql``) get gpuscale's
    sql = types.ModuleType("dask.dataframe.io.sql", "gpuscale's SQL readers standing in for dask's")
    for name in ("read_sql", "read_sql_query", "read_sql_table", "to_sql"):
        setattr(sql, name, getattr(gd, name))
    sys.modules["dask.dataframe.io.sql"] = sql


def _install_dask_expr(gd) -> None:
    """``dask.dataframe.dask_expr``, where dask-expr's own tests import the collection API from: a name gpuscale
    has is gpuscale's (``from_pandas``, ``DataFrame``, ``merge`` ...); dask-expr's submodules and expression
    classes (``_expr.Filter``, ``Merge``, ``io.FromPandas``) stay dask's, so a test inspecting dask's expression
    tree fails by construction.  ``datasets.timeseries`` is gpuscale's (same rows for the same seed)."""
    import dask.dataframe.dask_expr as real
    import dask.dataframe.dask_expr.datasets as real_datasets

    import dask.dataframe.dask_expr._collection as real_collection

    import gpuscale.datasets
    from gpuscale.dataframe.core import FrameBase

    ours = {"FrameBase": FrameBase}  # the collections' base class (``isinstance(c, FrameBase)``)

    def api_standin(module_name: str, theirs_module, doc: str):
        module = types.ModuleType(module_name, doc)
        if hasattr(theirs_module, "__path__"):
            module.__path__ = list(theirs_module.__path__)

        def __getattr__(name: str):
            if name.startswith("__"):
                raise AttributeError(name)
            theirs = getattr(theirs_module, name, None)
            if name in ours:
                return ours[name]
            if name.startswith("_") or isinstance(theirs, types.ModuleType) or not hasattr(gd, name):
                if theirs is None and not hasattr(theirs_module, name):
                    raise AttributeError(name)
                return theirs
            return getattr(gd, name)

        module.__getattr__ = __getattr__
        return module

    shim = api_standin("dask.dataframe.dask_expr", real, "gpuscale.dataframe standing in for dask-expr's API")
    # the module defining dask-expr's collections (``from ..._collection import from_pandas``): the same rule
    sys.modules["dask.dataframe.dask_expr._collection"] = api_standin(
        "dask.dataframe.dask_expr._collection", real_collection, "gpuscale's collections standing in for dask-expr's")
    datasets = types.ModuleType("dask.dataframe.dask_expr.datasets", "gpuscale's timeseries for dask-expr's")
    datasets.__dict__.update({k: v for k, v in real_datasets.__dict__.items() if not k.startswith("__")})
    datasets.timeseries = gpuscale.datasets.timeseries
    shim.datasets = datasets
    sys.modules["dask.dataframe.dask_expr"] = shim
    sys.modules["dask.dataframe.dask_expr.datasets"] = datasets
    sys.modules["dask.dataframe"].dask_expr = shim  # ``dd.dask_expr.datasets.timeseries`` as an attribute too


_OUTCOMES: dict = {}  # test id -> passed / failed / skipped / xfailed / xpassed / error


# dask.array's submodules tests import from: a public name comes from gpuscale (the same-named
# gpuscale.array submodule, else gpuscale.array), a name gpuscale lacks is a dask internal
_ARRAY_SUBMODULES = ("core", "creation", "routines", "reductions", "slicing", "rechunk", "reshape", "overlap",
                     "gufunc", "ufunc", "chunk", "linalg", "fft", "random", "percentile", "wrap", "blockwise",
                     "stats", "lib.stride_tricks", "chunk_types")


# dask's private helpers whose job a public gpuscale function does (same arguments and answers)
_PUBLIC_EQUIVALENTS = {
    ("gufunc", "_parse_gufunc_signature"): "gpuscale.array.gufuncs.parse_signature",
    ("gufunc", "_validate_normalize_axes"): "gpuscale.array.gufuncs.normalize_axes",
}


# dask's internal helpers that share a public gpuscale name but not its job: ``slicing.take`` builds a graph
# from chunks and key names, ``chunk.coarsen`` works on one NumPy block (gpuscale's take and coarsen, on arrays,
# would fail these tests with a misleading argument error instead of as tests of dask's code)
_INTERNAL_NAMESAKES = {("slicing", "take"), ("chunk", "coarsen")}


def _dask_internal(module: str, name: str, theirs=None):
    """A stand-in for a dask-only helper: a test that uses it fails, since it tests dask, not gpuscale.  An
    exception class (``slicing.SlicingNoop``) stays a class, so ``pytest.raises(SlicingNoop)`` fails at the
    helper that would raise it rather than at ``pytest.raises``; NumPy's (``AxisError``) stays NumPy's."""
    if isinstance(theirs, type) and issubclass(theirs, BaseException):
        if not theirs.__module__.startswith("dask"):
            return theirs
        doc = f"{module}.{name}, a dask internal that gpuscale does not raise"
        return type(name, (theirs.__mro__[1],), {"__doc__": doc})  # its base: a warning stays a warning

    def internal(*args, **kwargs):
        raise NotImplementedError(f"{module}.{name} is a dask internal that gpuscale does not have")

    internal.__name__ = name
    return internal


def _array_standin(sub: str, real, ours, top):
    module = types.ModuleType(f"dask.array.{sub}", f"gpuscale standing in for dask.array.{sub}")
    if hasattr(real, "__path__"):
        module.__path__ = list(real.__path__)

    def __getattr__(name: str):
        if name.startswith("__") or not hasattr(real, name):
            raise AttributeError(name)
        theirs_is_module = isinstance(getattr(real, name), types.ModuleType)
        if (sub, name) in _INTERNAL_NAMESAKES:
            return _dask_internal(f"dask.array.{sub}", name)
        for source in (ours, top):  # gpuscale.array's ``overlap`` is the module, dask.array.overlap's the function
            value = getattr(source, name, None) if source is not None and not name.startswith("_") else None
            if value is not None and isinstance(value, types.ModuleType) == theirs_is_module:
                return value
        if (sub, name) in _PUBLIC_EQUIVALENTS:
            import importlib

            module_name, _, attr = _PUBLIC_EQUIVALENTS[(sub, name)].rpartition(".")
            return getattr(importlib.import_module(module_name), attr)
        return _dask_internal(f"dask.array.{sub}", name, getattr(real, name))

    module.__getattr__ = __getattr__
    return module


def _install_array() -> None:
    """``dask.array`` (and its API submodules) as gpuscale.array; ``dask.array.utils.assert_eq`` computes first."""
    import importlib

    import dask
    import dask.array as real
    import dask.array.utils as real_utils

    import gpuscale.array as ga

    shim = types.ModuleType("dask.array", "gpuscale.array standing in for dask.array")
    shim.__path__ = list(real.__path__)

    def __getattr__(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.startswith("_"):  # dask's private helpers (``_array_expr_enabled``) are test plumbing, not API
            return getattr(real, name)
        if name in _ARRAY_SUBMODULES and isinstance(getattr(real, name, None), types.ModuleType):
            return sys.modules[f"dask.array.{name}"]  # ``da.overlap.trim_overlap`` (but ``da.reshape`` is a function)
        return getattr(ga, name)

    shim.__getattr__ = __getattr__
    real_subs = {}
    for sub in _ARRAY_SUBMODULES:  # all of dask's first: dask.array.stats imports from dask.array.ufunc
        try:
            real_subs[sub] = importlib.import_module(f"dask.array.{sub}")
        except ImportError:
            continue
    for sub, theirs in real_subs.items():
        try:  # gpuscale's same-named module first (gpuscale.array.linalg, .overlap ...)
            ours = importlib.import_module(f"gpuscale.array.{sub}")
        except ImportError:
            ours = None
        sys.modules[f"dask.array.{sub}"] = _array_standin(sub, theirs, ours, ga)
    lib = types.ModuleType("dask.array.lib", "gpuscale standing in for dask.array.lib")
    lib.stride_tricks = sys.modules["dask.array.lib.stride_tricks"]
    sys.modules["dask.array.lib"] = lib

    utils = types.ModuleType("dask.array.utils", "dask's utils; assert_eq computes gpuscale arrays")
    utils.__dict__.update({k: v for k, v in real_utils.__dict__.items() if not k.startswith("__")})

    def assert_eq(a, b, *args, **kwargs):
        check_shape = kwargs.get("check_shape", True)
        a, b = _array_computed(a, check_shape), _array_computed(b, check_shape)
        return real_utils.assert_eq(a, b, *args, **kwargs)

    utils.assert_eq = assert_eq
    shim.utils = utils
    sys.modules["dask.array"] = shim
    sys.modules["dask.array.utils"] = utils
    dask.array = shim


def _array_computed(x, check_shape: bool):
    """A gpuscale collection computed, checked against its metadata as dask's assert_eq checks dask's."""
    import math

    from gpuscale.collection import Collection
    from gpuscale.testing import _computed

    if not isinstance(x, Collection):
        return x
    computed = _computed(x)
    shape, dtype = getattr(x, "shape", None), getattr(x, "dtype", None)
    if shape == () and dtype == object and not hasattr(computed, "shape"):
        import numpy as np

        # a full reduction of objects computes to the Python object itself (NumPy's); dask's assert_eq checks
        # the collection's object dtype, so the object goes in as a 0-d object array
        return np.asarray(computed, dtype=object)
    if shape is None or not hasattr(computed, "shape"):
        return computed
    if getattr(computed, "size", 1) and dtype is not None:
        assert computed.dtype == dtype, f"computed dtype {computed.dtype} != metadata {dtype}"
    if check_shape:
        assert len(shape) == len(computed.shape) and all(
            math.isnan(s) or s == c for s, c in zip(shape, computed.shape)), \
            f"computed shape {computed.shape} != metadata {shape}"
    return computed


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--no-shim"):
        _install()
        if os.environ.get("GPUSCALE_DASK_SUITE_KIND") in ("array", "both"):  # both: tests using dd and da
            _install_array()


class _TimedOut(Exception):
    pass


def _alarm(signum, frame):
    raise _TimedOut("the test ran past the suite's per-test limit")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    limit = int(os.environ.get("GPUSCALE_DASK_SUITE_TIMEOUT", "60"))
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(limit)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_MESSAGES: dict = {}  # test id -> the failure's exception, one line (``--details``)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    yield
    if call.excinfo is not None and call.when in ("setup", "call"):
        lines = str(call.excinfo.value).strip().splitlines()[:2]  # an assert's second line says where
        _MESSAGES[item.nodeid] = f"{call.excinfo.typename}: {' / '.join(x.strip() for x in lines)[:300]}"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        if hasattr(report, "wasxfail"):
            kind = "xfailed" if report.skipped else "xpassed"
        elif report.when == "setup" and report.failed:
            kind = "error"
        else:
            kind = report.outcome
        _OUTCOMES[report.nodeid] = kind


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        lines = [line for line in report.longreprtext.splitlines() if line.startswith("E ")]
        _OUTCOMES[report.nodeid or "<collection>"] = "collection error"
        _OUTCOMES["<collection message>"] = lines[-1][1:].strip() if lines else "collection failed"


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get("GPUSCALE_DASK_SUITE_OUT")
    if path:
        failed = {t: _MESSAGES.get(t, "") for t, kind in _OUTCOMES.items() if kind in ("failed", "error")}
        with open(path, "w") as handle:
            json.dump({**_OUTCOMES, "<messages>": failed}, handle)
