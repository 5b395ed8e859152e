"""gpuscale.graph and gpuscale.runtime keep to the import rules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [ROOT / "gpuscale" / "graph", ROOT / "gpuscale" / "runtime"]
FORBIDDEN_AT_MODULE_LEVEL = ("numpy", "pandas", "dask", "distributed", "cupy", "cudf", "pyarrow",
                             "gpuscale.expr", "gpuscale.array", "gpuscale.dataframe", "gpuscale.backends")


def _imports(tree, module_level_only):
    nodes = tree.body if module_level_only else ast.walk(tree)
    if module_level_only:  # include imports in module-level if/try blocks, not in functions
        nodes = [n for top in tree.body for n in ast.walk(top)
                 if not any(isinstance(p, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                            for p in _parents(top, n))]
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def _parents(top, target):
    """Nodes between ``top`` (inclusive) and ``target`` (exclusive)."""
    path = []

    def visit(node):
        if node is target:
            return True
        path.append(node)
        if any(visit(child) for child in ast.iter_child_nodes(node)):
            return True
        path.pop()
        return False

    visit(top)
    return path


def _sources(*folders):
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            yield path, ast.parse(path.read_text())


def _is(name, prefix):
    return name == prefix or name.startswith(prefix + ".")


def test_no_heavy_or_upward_imports_at_module_level():
    bad = [(path.name, name) for path, tree in _sources(*PACKAGES)
           for name in _imports(tree, module_level_only=True)
           if any(_is(name, prefix) for prefix in FORBIDDEN_AT_MODULE_LEVEL)]
    assert bad == []


def test_graph_is_pure_and_below_runtime():
    allowed_gpuscale = ("gpuscale.graph",)
    bad = [(path.name, name) for path, tree in _sources(PACKAGES[0])
           for name in _imports(tree, module_level_only=False)
           if name.split(".")[0] not in sys.stdlib_module_names
           and not any(_is(name, prefix) for prefix in allowed_gpuscale)]
    assert bad == []


def test_distributed_only_in_runtime_distributed_and_runtime_above_graph_only():
    for path, tree in _sources(PACKAGES[1]):
        names = list(_imports(tree, module_level_only=False))
        if path.name != "distributed.py":
            assert not any(_is(name, "distributed") for name in names), path
        gpuscale_imports = [name for name in names if _is(name, "gpuscale")]
        assert all(_is(name, "gpuscale.graph") or _is(name, "gpuscale.runtime") or name == "gpuscale"
                   for name in gpuscale_imports), (path, gpuscale_imports)


def test_importing_the_runtime_stays_light():
    code = ("import sys, gpuscale.runtime, gpuscale.graph; "
            "print(sorted(m for m in ('numpy', 'pandas', 'dask', 'distributed', 'zict', 'tqdm') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
