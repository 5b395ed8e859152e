"""cuda_workers' worker set-up against the real RMM and cuDF (``make test-cudf``; no GPU needed).

The plugins that make RMM the allocator (``RMMSetup``), route libraries through it
(``LibraryAllocators``) and switch on cuDF's spilling (``CudfSpill``) only run on GPU
workers, so on CPU machines their calls are checked here instead: every ``rmm``
attribute path they reach must exist in the pinned RMM, and every call must bind to the
signature RMM declares (its ``.pyi`` stubs for the Cython classes, ``inspect`` for Python
functions); cuDF's options must accept the values passed, by cuDF's own validators.
Nothing is allocated: calls are recorded, not made.

Elsewhere (``make test``) the module is skipped: RMM and cuDF are not installed there.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import pathlib
import sys
import types

import pytest

rmm = pytest.importorskip("rmm", reason="the RMM checks run with `make test-cudf`")
cudf = pytest.importorskip("cudf", reason="the cuDF checks run with `make test-cudf`")

from cuda_workers import devices, plugins  # noqa: E402
from cuda_workers.settings import Settings  # noqa: E402
from cuda_workers.spec import Machine, plan_workers  # noqa: E402

GiB = 2**30


def _stub_signature(cls: type) -> inspect.Signature | None:
    """``cls.__init__``'s signature from the ``.pyi`` stub next to its compiled module."""
    spec = importlib.util.find_spec(cls.__module__)
    if spec is None or spec.origin is None:
        return None
    origin = pathlib.Path(spec.origin)
    stub = origin.with_name(origin.name.split(".")[0] + ".pyi")
    if not stub.exists():
        return None
    for node in ast.walk(ast.parse(stub.read_text())):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            init = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
            return None if init is None else _signature_of(init)
    return None


def _signature_of(function: ast.FunctionDef) -> inspect.Signature:
    args = function.args
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    parameters = [
        inspect.Parameter(a.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          default=None if i >= first_default else inspect.Parameter.empty)
        for i, a in enumerate(positional) if a.arg != "self"
    ]
    parameters += [
        inspect.Parameter(a.arg, inspect.Parameter.KEYWORD_ONLY,
                          default=inspect.Parameter.empty if d is None else None)
        for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    ]
    return inspect.Signature(parameters)


def signature(real) -> inspect.Signature:
    if isinstance(real, type):
        stub = _stub_signature(real)
        if stub is not None:
            return stub
    return inspect.signature(real)


class Returned:
    """What a recorded call gave back (passed on as an argument, never used)."""

    def __init__(self, path: str):
        self.path = path


class Checked:
    """A stand-in for a real module or callable: attributes must exist, calls must bind."""

    def __init__(self, real, path: str, calls: list):
        self._real, self._path, self._calls = real, path, calls

    def __getattr__(self, name: str):
        path = f"{self._path}.{name}"
        if isinstance(self._real, types.ModuleType) and not hasattr(self._real, name):
            try:  # a submodule not imported yet (rmm.allocators.cupy)
                importlib.import_module(path)
            except ImportError:
                pass
        assert hasattr(self._real, name), f"{path} does not exist in RMM {rmm.__version__}"
        return Checked(getattr(self._real, name), path, self._calls)

    def __call__(self, *args, **kwargs):
        try:
            signature(self._real).bind(*args, **kwargs)
        except TypeError as error:
            raise AssertionError(f"{self._path}{(args, kwargs)} does not fit RMM {rmm.__version__}: {error}") from None
        self._calls.append((self._path, args, kwargs))
        return Returned(f"{self._path}()")


@pytest.fixture
def checked_rmm(monkeypatch):
    calls: list = []
    monkeypatch.setitem(sys.modules, "rmm", Checked(rmm, "rmm", calls))
    return calls


GPU = devices.Device(0, "GPU-0", "Fake", 16 * GiB)
RMM_SETTINGS = [
    {"rmm_pool_size": "1GiB"},
    {"rmm_pool_size": "1GiB", "rmm_maximum_pool_size": "4GiB"},
    {"rmm_managed_memory": True},
    {"rmm_async": True},
    {"rmm_async": True, "rmm_release_threshold": "2GiB", "rmm_maximum_pool_size": "8GiB"},
    {"rmm_track_allocations": True},
    {"rmm_pool_size": 0.5, "rmm_track_allocations": True},
    {"rmm_pool_size": "1GiB", "rmm_log_directory": "LOGS"},
]


@pytest.mark.parametrize("options", RMM_SETTINGS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_rmm_setup_calls_fit_the_real_rmm(checked_rmm, options, tmp_path):
    if options.get("rmm_log_directory"):
        options = {**options, "rmm_log_directory": str(tmp_path / "logs")}
    settings = Settings(**options)
    plan = plan_workers(settings, [GPU], Machine(2, 8 * GiB))[0]
    setup = next(p for p in plugins.for_plan(plan, settings) if isinstance(p, plugins.RMMSetup))
    setup.setup(types.SimpleNamespace(name="gpu-0"))
    paths = [path for path, *_ in checked_rmm]
    assert paths, "RMMSetup made no RMM call"
    if settings.rmm_async:
        assert "rmm.mr.CudaAsyncMemoryResource" in paths
    else:
        assert "rmm.reinitialize" in paths
    if settings.rmm_track_allocations:  # the tracker wraps the resource just set
        assert paths[-3:] == ["rmm.mr.get_current_device_resource", "rmm.mr.TrackingResourceAdaptor",
                              "rmm.mr.set_current_device_resource"]


def test_async_pool_with_ipc_export_fits_the_real_rmm(checked_rmm):
    # what a UCX cluster's async pool asks for (NVLink moves device buffers by CUDA IPC)
    plugins.RMMSetup(pool_size=GiB, use_async=True, export_ipc=True, maximum_pool_size=4 * GiB).setup()
    assert [path for path, *_ in checked_rmm] == ["rmm.mr.CudaAsyncMemoryResource", "rmm.mr.LimitingResourceAdaptor",
                                                  "rmm.mr.set_current_device_resource"]
    assert checked_rmm[0][2]["enable_ipc"] is True


@pytest.mark.parametrize("library", ["cupy", "numba"])
def test_library_allocator_routes_use_names_the_real_rmm_has(library):
    pytest.importorskip(library)
    plugins.LibraryAllocators([library]).setup()  # sets the library's allocator; allocates nothing
    if library == "cupy":
        import cupy
        from rmm.allocators.cupy import rmm_cupy_allocator

        assert cupy.cuda.get_allocator() is rmm_cupy_allocator


def test_the_torch_route_names_what_rmm_exports():
    # torch is not in the lane's environment: the name the route imports must still be RMM's
    import rmm.allocators.torch as torch_allocators

    assert hasattr(torch_allocators, "rmm_torch_allocator")


@pytest.mark.parametrize("stats", [0, 1, 2])
def test_cudf_spill_options_pass_cudfs_validators(monkeypatch, stats):
    recorded = []
    monkeypatch.setattr(cudf, "set_option", lambda name, value: recorded.append((name, value)))
    plugins.CudfSpill(True, stats).setup()
    assert recorded == [("spill", True), ("spill_stats", stats)]
    for name, value in recorded:
        cudf.options._OPTIONS[name].validator(value)  # raises ValueError for a value cuDF refuses
