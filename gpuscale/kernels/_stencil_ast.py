"""Turn a numba-style stencil kernel (relative indexing) into a point function for CUDA.

numba-cuda has no ``@stencil``.  A stencil kernel ``def k(a): return a[-1, 0] + a[1, 0]``
reads its arrays relative to the output element, so rewriting every subscript
``a[d0, d1]`` to ``a[__i0 + d0, __i1 + d1]`` and adding the indices as
parameters gives an ordinary function ``point(a, __i0, __i1)`` that a CUDA
kernel can call for each output element.  The same walk over the source also
finds the neighbourhood (the smallest and largest constant offset per axis).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass
from typing import Any, Callable

from gpuscale.kernels.errors import KernelTypeError

__all__ = ["StencilSource", "parse_stencil"]

INDEX_PREFIX = "__gpuscale_i"


@dataclass(frozen=True)
class StencilSource:
    """The rewritten point function and what the walk learned about the kernel."""

    point_source: str            # source of ``point(*params, *indices)``
    params: tuple[str, ...]      # the kernel's parameters
    ndim: int                    # number of axes indexed
    neighborhood: tuple[tuple[int, int], ...] | None  # per axis (min, max) offset, if all constant


def _function_def(pyfunc: Callable) -> ast.FunctionDef:
    try:
        source = textwrap.dedent(inspect.getsource(pyfunc))
    except (OSError, TypeError) as exc:
        raise KernelTypeError(f"stencil {pyfunc.__qualname__!r}: its source is needed to build the CUDA "
                              f"kernel, but Python cannot find it ({exc}); define it in a file or cell") from exc
    tree = ast.parse(source)
    node = next(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.Lambda)))
    if isinstance(node, ast.Lambda):
        raise KernelTypeError(f"stencil {pyfunc.__qualname__!r}: use a def, not a lambda")
    return node


def _constant(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _constant(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    return None


class _Relativize(ast.NodeTransformer):
    def __init__(self, arrays: set[str]) -> None:
        self.arrays = arrays
        self.offsets: list[list[int | None]] = []

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if not (isinstance(node.value, ast.Name) and node.value.id in self.arrays):
            return node
        elts = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        self.offsets.append([_constant(e) for e in elts])
        shifted = [ast.BinOp(ast.Name(f"{INDEX_PREFIX}{k}", ast.Load()), ast.Add(), e) for k, e in enumerate(elts)]
        index = ast.Tuple(shifted, ast.Load()) if len(shifted) > 1 else shifted[0]
        return ast.copy_location(ast.Subscript(node.value, index, node.ctx), node)


def _neighborhood(offsets: list[list[int | None]], ndim: int) -> tuple | None:
    if any(o is None for row in offsets for o in row):
        return None
    return tuple((min(0, *(row[k] for row in offsets)), max(0, *(row[k] for row in offsets)))
                 for k in range(ndim))


def parse_stencil(pyfunc: Callable, standard_indexing: tuple[str, ...] = ()) -> StencilSource:
    """Rewrite ``pyfunc``'s relative indexing into absolute indexing; see the module docstring."""
    node = _function_def(pyfunc)
    params = tuple(a.arg for a in node.args.args)
    walker = _Relativize(set(params) - set(standard_indexing))
    node = walker.visit(node)
    ndims = {len(row) for row in walker.offsets}
    if len(ndims) != 1:
        raise KernelTypeError(f"stencil {pyfunc.__qualname__!r}: every relative access must use the same "
                              f"number of indices (found {sorted(ndims) or 'no relative access'})")
    ndim = ndims.pop()
    node.name = "point"
    node.decorator_list = []
    node.args.args += [ast.arg(f"{INDEX_PREFIX}{k}") for k in range(ndim)]
    source = ast.unparse(ast.fix_missing_locations(ast.Module([node], type_ignores=[])))
    return StencilSource(source, params, ndim, _neighborhood(walker.offsets, ndim))


def closure_namespace(pyfunc: Callable) -> dict[str, Any]:
    """The globals and closure values the kernel body refers to."""
    names = inspect.getclosurevars(pyfunc)
    return {**pyfunc.__globals__, **names.nonlocals}
