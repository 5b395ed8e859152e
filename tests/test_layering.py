"""Imports point one way.  Checked on the source with ``ast``, deferred imports included.

* only ``gpuscale/backends/`` names the data libraries (numpy, pandas, pyarrow, cupy, cudf, ...);
  the demo application (``gpuscale/demo``) is a user of the library and may use them too;
* ``distributed`` is imported only by ``gpuscale/runtime/distributed.py`` (and ``cuda_workers``);
* ``graph/`` is pure; ``runtime/`` sees only ``graph/`` and ``config``;
* ``expr/`` sees ``graph/``, ``backends/``, ``config``; collections sit on top;
* ``array/``, ``dataframe/`` and ``kernels/`` see the floors below them, and these edges between
  or above them, each with its reason (``EDGES``; docs/architecture.md lists them too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "gpuscale"
DATA_LIBRARIES = {"numpy", "pandas", "pyarrow", "cupy", "cudf", "array_api_strict", "array_api_compat",
                  "rmm", "fsspec"}
INTERNAL = {"config", "backends", "graph", "expr", "runtime", "array", "dataframe", "collection", "joint_plans",
            "testing", "kernels", "demo"}

# package -> gpuscale subpackages it may import
ALLOWED_INTERNAL = {
    "config": set(),
    "backends": {"config", "backends"},
    "graph": {"graph"},
    "runtime": {"config", "graph", "runtime"},
    "expr": {"config", "graph", "backends", "expr"},
    "collection": {"config", "expr", "graph", "runtime", "joint_plans"},
    "joint_plans": {"config", "expr", "graph", "runtime", "collection"},
    "testing": {"collection", "backends"},
    "array": {"config", "backends", "graph", "expr", "collection", "array", "dataframe", "runtime"},
    "dataframe": {"config", "backends", "graph", "expr", "collection", "array", "dataframe", "runtime", "testing"},
    "kernels": {"config", "backends", "expr", "collection", "kernels", "array"},
}

# the edges of the collections that are not plain "downward", and why they exist
EDGES = {
    ("array", "dataframe"): "Array.to_dask_dataframe, map_blocks with a DataFrame/Series meta= (imported when "
                            "called)",
    ("array", "runtime"): "from_delayed/blockwise take distributed Futures (runtime.distributed.as_delayed), to_zarr "
                          "refuses an in-memory store on a cluster (runtime.core.resolve_scheduler); imported when called",
    ("dataframe", "array"): "to_dask_array / .values build array expressions (dataframe/array_blocks.py)",
    ("dataframe", "runtime"): "set_index computes its divisions (runtime.get), to_parquet writes through "
                              "runtime.scratch and runtime.sigterm, shuffles on a cluster use the P2P layer "
                              "of runtime.distributed",
    ("dataframe", "testing"): "dask.dataframe's module-level assert_eq (dataframe/toplevel.py)",
    ("kernels", "array"): "kernels run on gpuscale arrays: block-wise calls and stencil halos on array blocks",
}


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    parts = ["gpuscale", *path.relative_to(ROOT).parent.parts]
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            names.add(module)
            if module == "gpuscale":
                names.update(f"gpuscale.{alias.name}" for alias in node.names)
    return names


def _package_of(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 or rel.stem != "__init__" else "__init__"


def _modules() -> list[Path]:
    return sorted(ROOT.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_backends_name_data_libraries(path):
    package = _package_of(path)
    if package in {"backends", "demo"}:
        return
    tops = {name.partition(".")[0] for name in _imports(path)}
    assert not tops & DATA_LIBRARIES, f"{path.relative_to(ROOT)} imports {sorted(tops & DATA_LIBRARIES)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_distributed_only_in_the_runtime_adapter(path):
    if path.relative_to(ROOT).as_posix() in {"runtime/distributed.py"} or _package_of(path) == "demo":
        return
    tops = {name.partition(".")[0] for name in _imports(path)}
    assert "distributed" not in tops, f"{path.relative_to(ROOT)} imports distributed"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_internal_imports_point_downward(path):
    package = _package_of(path)
    if package not in ALLOWED_INTERNAL:
        return
    used = {name.split(".")[1] for name in _imports(path) if name.startswith("gpuscale.")}
    used &= INTERNAL
    forbidden = used - ALLOWED_INTERNAL[package]
    assert not forbidden, f"{path.relative_to(ROOT)} ({package}) imports {sorted(forbidden)}"


def test_every_collection_edge_is_documented():
    downward = {"config", "backends", "graph", "expr", "collection"}
    for package in ("array", "dataframe", "kernels"):
        for target in ALLOWED_INTERNAL[package] - downward - {package}:
            assert (package, target) in EDGES, f"{package} -> {target} needs a reason in EDGES"
    doc = (ROOT.parent / "docs" / "architecture.md").read_text()
    for package, target in EDGES:
        assert f"`{package}/` → `{target}/`" in doc, f"docs/architecture.md does not list {package} -> {target}"


# the adapter to distributed builds tasks in dask's task spec (distributed's P2P shuffle takes them), with the
# dask pinned together with distributed; the rest of graph/ and runtime/ runs graphs without dask
DASK_ADAPTERS = {ROOT / "runtime" / "distributed.py"}


def test_graph_and_runtime_do_not_import_dask_at_all():
    for sub in ("graph", "runtime"):
        for path in (ROOT / sub).rglob("*.py"):
            if path in DASK_ADAPTERS:
                continue
            tops = {name.partition(".")[0] for name in _imports(path)}
            assert "dask" not in tops, f"{path.relative_to(ROOT)} imports dask"
