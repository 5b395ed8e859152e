"""A pytest plugin that runs dask's own dataframe tests against gpuscale (used by ``dask_suite``).

Loaded with ``-p tests.dask_api.dask_suite_shim`` before the test modules are imported, it puts a
stand-in for ``dask.dataframe`` into ``sys.modules``: every public name comes from
``gpuscale.dataframe`` (a name gpuscale lacks raises ``AttributeError``, so the test fails, as a
user's port would), private names (``_dask_expr_enabled``) and dask's submodules (``_compat``, ``utils`` ...) stay dask's, and
``dask.dataframe.utils.assert_eq`` computes gpuscale collections (checking each against its
metadata) before handing the results to dask's own ``assert_eq``.  ``--no-shim`` runs the same
tests on dask itself (the baseline).

Per-test outcomes are written as JSON to ``$GPUSCALE_DASK_SUITE_OUT`` at the end of the session;
each test gets ``$GPUSCALE_DASK_SUITE_TIMEOUT`` seconds (default 60) before it counts as failed.
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
        a = _computed(a) if isinstance(a, Collection) else a
        b = _computed(b) if isinstance(b, Collection) else b
        kwargs.pop("scheduler", None)
        return real_utils.assert_eq(a, b, *args, **kwargs)

    utils.assert_eq = assert_eq
    shim.utils = utils
    sys.modules["dask.dataframe"] = shim
    sys.modules["dask.dataframe.utils"] = utils
    dask.dataframe = shim


_OUTCOMES: dict = {}  # test id -> passed / failed / skipped / xfailed / xpassed / error


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--no-shim"):
        _install()


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
        with open(path, "w") as handle:
            json.dump(_OUTCOMES, handle)
