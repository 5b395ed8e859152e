"""Array expression nodes are built with named operands (issue 18).

A ``Blockwise`` node takes eight fixed operands before its arguments; spelled positionally they read
as ``(None, None, ind), False``.  Modules build them with ``blockwise_expr(..., arg_inds=, kwargs=,
concatenate=)`` and pass a ``Reduction`` its flags by name.  Checked on the source with ``ast``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "gpuscale"
MODULES = sorted([*ROOT.glob("array/*.py"), *ROOT.glob("kernels/*.py")])
# the constructor itself lives in expr.py
NOT_YET = {"expr.py"}


def _is_literal_flag(node: ast.expr) -> bool:
    """A bare ``True``/``False``/``None``, or a tuple holding a ``None`` (a run of literal markers)."""
    if isinstance(node, ast.Constant):
        return node.value is None or isinstance(node.value, bool)
    if isinstance(node, ast.BinOp):
        return _is_literal_flag(node.left) or _is_literal_flag(node.right)
    return isinstance(node, ast.Tuple) and any(isinstance(e, ast.Constant) and e.value is None for e in node.elts)


def _positional_node_calls(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name == "Blockwise" or (name[:1].isupper() and any(_is_literal_flag(a) for a in node.args)):
            out.append(f"{path.name}:{node.lineno}: {name}(...)")
    return out


@pytest.mark.parametrize("path", [p for p in MODULES if p.name not in NOT_YET], ids=lambda p: p.name)
def test_nodes_are_built_with_named_operands(path: Path) -> None:
    assert _positional_node_calls(path) == []


def test_the_check_sees_a_positional_blockwise(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("node = Blockwise(f, {}, ind, chunks, dtype, backend, (ind, None), False, x, 1)\n"
                      "red = Reduction(x, 'sum', axes, keepdims, dtype, None)\n"
                      "ok = blockwise_expr(f, ind, chunks, dtype, backend, x, 1, arg_inds=(ind, None))\n")
    assert _positional_node_calls(source) == ["sample.py:1: Blockwise(...)", "sample.py:2: Reduction(...)"]
