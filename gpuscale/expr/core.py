"""The expression base class shared by arrays and dataframes.

An :class:`Expr` is an immutable node: a list of ``operands`` (other
expressions or plain values) named by ``_parameters``.  Its ``_name`` is a
deterministic token of its type and operands, so equal expressions have equal
names and are computed once.

Optimization is a sequence of named stages, each run to a fixpoint:

``simplify``
    local rewrites.  A node may rewrite itself (``_simplify_down``) or be
    rewritten by one of its operands on behalf of that operand's parent
    (``_simplify_up``: how a projection or a filter is pushed into a reader).
``lower``
    replace abstract nodes by concrete, partition-aware ones (``_lower``), e.g.
    a merge becomes a broadcast join or a hash shuffle join.
``fuse``
    collection-specific (blockwise fusion), supplied by subclasses via
    ``_fuse``.

Each node produces only its own tasks (``_layer``); ``__dask_graph__`` merges
the layers of all nodes reachable from the root.
"""

from __future__ import annotations

import functools
import threading
from collections import defaultdict
from itertools import islice
from types import GeneratorType
from typing import Any, Callable, Iterator

import gpuscale.expr.annotations as annotated
from gpuscale.expr.tokenize import tokenize

__all__ = ["Expr", "Tuple", "collect_dependents", "run_steps", "operand_results", "operands_first",
           "cached_bottom_up", "merged_layers"]


class cached_bottom_up(functools.cached_property):  # noqa: N801 - named like the property it extends
    """A cached property computed from the same property of the node's operands (``dependencies()``).

    Asked first at the root of a deep plan, each node would ask its operands in turn: one stack frame or
    more per level, a RecursionError past a few hundred levels.  So past ``_SHALLOW`` nested levels the
    nodes below get their values first, in a loop from the bottom, and each finds its operands' ready.
    """

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        # called only while not cached (a value in __dict__ hides this descriptor)
        if instance is None:
            return self
        depth = _NESTING.depth
        if depth >= _SHALLOW:
            _compute_below(instance, self.attrname)
        _NESTING.depth = depth + 1
        try:
            value = self.func(instance)
        finally:
            _NESTING.depth = depth
        # no lock, unlike functools.cached_property in Python 3.11: two threads at worst compute it twice
        instance.__dict__[self.attrname] = value
        return value


class _Nesting(threading.local):
    depth = 0  # cached_bottom_up values being computed, one inside the other, in this thread


_NESTING = _Nesting()
_SHALLOW = 16  # nested levels computed by plain recursion (a few stack frames each): most plans


def _compute_below(expr: Expr, attr: str) -> None:
    """Compute the cached ``attr`` of every node below ``expr`` that lacks it, operands before users."""
    for node in operands_first(expr, lambda n: attr in n.__dict__)[:-1]:  # [:-1]: ``expr`` is last
        getattr(node, attr)


def operands_first(expr: Expr, done: Callable[[Expr], bool]) -> list[Expr]:
    """``expr`` and the nodes below it that are not ``done``, each after its operands (nothing below a
    done node is visited).  A loop, not recursion: a plan may be thousands of levels deep."""
    order: list[Expr] = []
    seen: set[int] = set()  # ids, not names: this also serves to compute names
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if ready:
            order.append(node)
        elif id(node) not in seen and (node is expr or not done(node)):
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((dep, False) for dep in node.dependencies())
    return order


_PARAMETER_POSITIONS: dict = {}  # class -> {operand name: position}, built on first use


class Expr:
    """Base class of lazy expressions.

    Subclasses declare ``_parameters`` (operand names, in order) and
    ``_defaults`` and implement ``_layer`` (their own tasks) plus whatever
    metadata their collection needs.
    """

    _parameters: list[str] = []
    _defaults: dict[str, Any] = {}
    _annotations: dict | None = None  # dask.annotate(...) around its building (gpuscale/expr/annotations.py)

    def __new__(cls, *args: Any, **kwargs: Any) -> "Expr":
        node = object.__new__(cls)
        found = annotated.current()
        if found is not None:
            node._annotations = found
        return node

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        operands = list(args)
        for name in self._parameters[len(operands):]:
            if name in kwargs:
                operands.append(kwargs.pop(name))
            elif name in self._defaults:
                operands.append(self._defaults[name])
            else:
                raise TypeError(f"{type(self).__name__} is missing operand {name!r}")
        if kwargs:
            raise TypeError(f"{type(self).__name__} got unexpected operands {sorted(kwargs)}")
        self.operands = operands

    # -- identity -------------------------------------------------------------
    def __getattr__(self, key: str) -> Any:
        # operands are reachable by name: ``expr.frame``, ``expr.columns``
        cls = type(self)
        positions = _PARAMETER_POSITIONS.get(cls)
        if positions is None:  # asked millions of times while a large graph is built: a dict, not list.index
            positions = {name: i for i, name in reversed(list(enumerate(cls._parameters)))}  # first wins
            _PARAMETER_POSITIONS[cls] = positions
        position = positions.get(key)
        if position is not None:
            return self.operands[position]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {key!r}")

    def operand(self, key: str) -> Any:
        """Return the operand called ``key``."""
        return self.operands[type(self)._parameters.index(key)]

    @cached_bottom_up
    def _name(self) -> str:
        return f"{self._funcname}-{tokenize(type(self).__qualname__, *self.operands)}"

    @property
    def _funcname(self) -> str:
        return type(self).__name__.lower()

    def __gpuscale_tokenize__(self) -> str:
        return self._name

    def __hash__(self) -> int:
        return hash(self._name)

    def __reduce__(self) -> tuple:
        # the tree as a list of nodes, each naming its expression operands by position: pickle would otherwise
        # recurse once per level (a chain of 500 operations passed the recursion limit)
        return _from_flat, (_flat(self),)

    def __repr__(self) -> str:
        params = ", ".join(_short(o) for o in self.operands)
        return f"{type(self).__name__}({params})"

    # -- structure ------------------------------------------------------------
    def dependencies(self) -> list["Expr"]:
        """The operands that are expressions (a list kept by the node: do not change it)."""
        deps = self.__dict__.get("_dependencies")
        if deps is None:  # kept: the optimizer and graph building ask every node many times
            deps = self.__dict__["_dependencies"] = [o for o in self.operands if isinstance(o, Expr)]
        return deps

    def walk(self) -> Iterator["Expr"]:
        """Yield every distinct node reachable from this one, root first."""
        seen: set[str] = set()
        stack: list[Expr] = [self]
        while stack:
            node = stack.pop()
            if node._name in seen:
                continue
            seen.add(node._name)
            yield node
            stack.extend(node.dependencies())

    def find_operations(self, kind: type) -> Iterator["Expr"]:
        """Yield the nodes of type ``kind``."""
        return (node for node in self.walk() if isinstance(node, kind))

    def substitute_operands(self, operands: list[Any]) -> "Expr":
        """A copy of this node with new operands (self if they are unchanged)."""
        if all(a is b for a, b in zip(operands, self.operands)):
            return self
        return annotated.carry(self, type(self)(*operands))

    def map_dependencies(self, func: Callable[["Expr"], "Expr"]) -> "Expr":
        """Apply ``func`` to each expression operand, rebuilding this node."""
        return self.substitute_operands([func(o) if isinstance(o, Expr) else o for o in self.operands])

    # -- graph ----------------------------------------------------------------
    def _layer(self) -> dict:
        """This node's tasks only (keys of its operands may be referenced)."""
        raise NotImplementedError(f"{type(self).__name__} does not build tasks; lower it first")

    def _tasks(self) -> dict:
        """This node's tasks for ``__dask_graph__``: ``_layer()``, or a kept copy of it (never mutated)."""
        return self._layer()

    def graph_layers(self) -> dict[str, dict]:
        """Each node's tasks (``_tasks()``), by node name: what ``__dask_graph__`` merges."""
        return {node._name: node._tasks() for node in self.walk()}

    def __dask_graph__(self) -> dict:
        return merged_layers(self.graph_layers())

    # -- optimizer stages --------------------------------------------------------
    def _simplify_down(self) -> "Expr | None":
        return None

    def _simplify_up(self, parent: "Expr", dependents: dict) -> "Expr | None":
        return None

    def _lower(self) -> "Expr | None":
        return None

    def simplify(self) -> "Expr":
        """Apply local rewrites until nothing changes."""
        return _fixpoint(self, _simplify_pass)

    def _simplify_step(self, dependents: dict, memo: dict) -> Any:
        """A step of ``run_steps`` for one simplify pass: the result if known, else a generator."""
        if self._name in memo:
            return memo[self._name]
        if self._name in _SIMPLIFIED:
            return self
        return self._simplify_work(dependents, memo)

    def _simplify_work(self, dependents: dict, memo: dict) -> Iterator:
        expr = _rewrite_self(self, dependents)
        expr = expr.substitute_operands((yield from operand_results(expr)))
        memo[self._name] = expr
        if expr is self and self._local_rewrites:
            _remember(_SIMPLIFIED, self._name)
        return expr

    @cached_bottom_up
    def _local_rewrites(self) -> bool:
        # True if no node below rewrites its parent (``_simplify_up``, which may ask who else uses it):
        # then how this subtree simplifies depends on nothing outside it
        return type(self)._simplify_up is Expr._simplify_up and all(d._local_rewrites for d in self.dependencies())

    @cached_bottom_up
    def _lowered(self) -> bool:
        # True if no node of this subtree lowers itself: lowering it changes nothing
        return type(self)._lower is Expr._lower and all(d._lowered for d in self.dependencies())

    def lower_completely(self) -> "Expr":
        """Lower abstract nodes into concrete ones until nothing changes."""
        return _fixpoint(self, _lower_pass)

    def _lower_step(self, memo: dict) -> Any:
        """A step of ``run_steps`` for one lowering pass: the result if known, else a generator."""
        if self._lowered:
            return self
        if self._name in memo:
            return memo[self._name]
        return self._lower_work(memo)

    def _lower_work(self, memo: dict) -> Iterator:
        expr = self
        while (out := annotated.rewriting(expr._annotations, expr._lower)) is not None \
                and out._name != expr._name:
            expr = out
        expr = expr.substitute_operands((yield from operand_results(expr)))
        memo[self._name] = expr
        return expr

    def _fuse(self) -> "Expr":
        return self

    def optimize(self, fuse: bool = True) -> "Expr":
        """Run the stages ``simplify -> lower -> simplify -> fuse``."""
        simplified = self.simplify()
        for rule in _PLAN_RULES:  # whole-plan rewrites: they need the root, which local rewrites never see
            simplified = rule(simplified)
        expr = simplified.lower_completely()
        if expr._name != simplified._name:  # else simplified is already a fixpoint of simplify
            expr = expr.simplify()
        return expr._fuse() if fuse else expr

    # -- display ----------------------------------------------------------------
    def _tree_label(self) -> str:
        params = [f"{p}={_short(o)}" for p, o in zip(self._parameters, self.operands) if not isinstance(o, Expr)]
        return type(self).__name__ + (f": {', '.join(params)}" if params else "")

    def tree_repr(self, indent: int = 0, _seen: set | None = None) -> str:
        """The plan as an indented tree, one node per line; a shared node is expanded once."""
        seen = set() if _seen is None else _seen
        lines, stack = [], [(self, indent)]
        while stack:  # a loop, not recursion: plans may be thousands of levels deep
            node, depth = stack.pop()
            line = "  " * depth + node._tree_label()
            if node._annotations is not None:  # dask.annotate(...) around its building: where its tasks may run
                line += f"  annotations={node._annotations}"
            if node._name in seen and node.dependencies():
                lines.append(line + "  (shared, shown above)")
                continue
            seen.add(node._name)
            lines.append(line)
            stack.extend((dep, depth + 1) for dep in reversed(node.dependencies()))
        return "\n".join(lines)


def merged_layers(layers: dict[str, dict]) -> dict:
    """One graph of the nodes' tasks ``layers`` (:meth:`Expr.graph_layers`)."""
    graph: dict = {}
    for tasks in layers.values():
        graph.update(tasks)
    return graph


class _Node(int):
    """An expression operand in :func:`_flat`'s list: the position of that expression."""


def _flat(root: Expr) -> list:
    """``root``'s nodes, each once, dependencies first: ``(type, operands, annotations)`` with the operands that are
    expressions as :class:`_Node` positions."""
    at: dict[int, int] = {}
    out: list = []
    stack: list = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in at:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((o, False) for o in node.operands if isinstance(o, Expr) and id(o) not in at)
            continue
        operands = tuple(_Node(at[id(o)]) if isinstance(o, Expr) else o for o in node.operands)
        at[id(node)] = len(out)
        out.append((type(node), operands, node._annotations))
    return out


def _from_flat(nodes: list) -> Expr:
    """The expression :func:`_flat` wrote (the last node), each node built once, with its annotations."""
    built: list = []
    for cls, operands, marks in nodes:
        node = cls(*(built[o] if type(o) is _Node else o for o in operands))
        node._annotations = marks
        built.append(node)
    return built[-1]


class Tuple(Expr):
    """Several expressions optimized together, so work they share is found once.

    Its operands are the expressions; it has no tasks of its own.  Fusion runs
    the ``_fuse`` of each operand's class over the whole tuple, so a node used by
    two collections is not fused into both.  (``_fuse`` implementations must
    therefore accept any root expression.)
    """

    def __init__(self, *exprs: Expr) -> None:
        self.operands = list(exprs)

    def _layer(self) -> dict:
        return {}

    def __dask_keys__(self) -> list:
        return [expr.__dask_keys__() for expr in self.operands]

    def _fuse(self) -> Expr:
        expr: Expr = self
        for fuse in dict.fromkeys(type(op)._fuse for op in self.operands):
            if fuse is not Expr._fuse:
                expr = fuse(expr)
        return expr


_PLAN_RULES: list = []


def register_plan_rule(rule: Callable[[Expr], Expr]) -> Callable[[Expr], Expr]:
    """Run ``rule(root)`` on every simplified plan before lowering (e.g. telling readers what is unread)."""
    if rule not in _PLAN_RULES:
        _PLAN_RULES.append(rule)
    return rule


def replace_nodes(root: Expr, replaced: dict) -> Expr:
    """``root`` with each node named in ``replaced`` (``{name: new node}``) swapped for its new node, the nodes
    above rebuilt; for plan rules whose replacements have their originals' metadata (kept on the rebuilt
    nodes). Recursive: a plan rule catches ``RecursionError`` and keeps the plan."""
    memo: dict = {}

    def swap(expr: Expr) -> Expr:
        if expr._name in replaced:
            return annotated.carry(expr, replaced[expr._name])
        if expr._name not in memo:
            new = expr.map_dependencies(swap)
            if new is not expr and "_meta" in expr.__dict__:
                new.__dict__.setdefault("_meta", expr.__dict__["_meta"])
            memo[expr._name] = new
        return memo[expr._name]

    return swap(root)


# Names of subtrees a simplify pass is known to leave unchanged, remembered across optimizations so
# that a small expression built on an already-optimized one (``x[i]`` of a big plan) only simplifies its
# new nodes.  Sound because a name fixes the subtree's content and only subtrees whose rewrites depend on
# nothing outside them (``_local_rewrites``) are recorded; names only, so no data is kept alive.
_SIMPLIFIED: dict[str, None] = {}
_REMEMBER_AT_MOST = 1 << 16


def _remember(names: dict, name: str) -> None:
    if len(names) >= _REMEMBER_AT_MOST:
        names.clear()  # cheap bound on memory; lost entries are found again on the next pass
    names[name] = None


def _simplify_pass(expr: Expr) -> Expr:
    # parents are only needed by ``_simplify_up`` rewrites; skip the walk that finds them when none can run
    dependents = {} if expr._local_rewrites else collect_dependents(expr)
    memo: dict = {}
    return run_steps(expr, lambda node: node._simplify_step(dependents, memo))


def _lower_pass(expr: Expr) -> Expr:
    memo: dict = {}
    return run_steps(expr, lambda node: node._lower_step(memo))


def run_steps(root: Expr, step: Callable[[Expr], Any]) -> Any:
    """The result of ``step(root)``: recursion written as a loop over an explicit stack, as a plan may be
    thousands of levels deep (``x = x + 1`` in a loop), far beyond Python's recursion limit.

    ``step(node)`` returns the node's result, or, when that needs the results of operands, a generator
    that yields those operands (each gets ``step(operand)``'s result sent back) and returns the result.
    """
    result = step(root)
    stack = []
    while True:
        if type(result) is GeneratorType:  # work to do: start it
            stack.append(result)
            result = None
        if not stack:
            return result
        try:
            result = step(stack[-1].send(result))
        except StopIteration as done:
            stack.pop()
            result = done.value


def operand_results(expr: Expr) -> Iterator:
    """In a generator of ``run_steps`` (``yield from``): the operands of ``expr``, each expression
    replaced by its result."""
    out = []
    for operand in expr.operands:
        out.append((yield operand) if isinstance(operand, Expr) else operand)
    return out


def _rewrite_self(expr: Expr, dependents: dict) -> Expr:
    while True:
        out = annotated.rewriting(expr._annotations, expr._simplify_down)
        if out is None or out._name == expr._name:
            out = _rewrite_by_operands(expr, dependents)
        if out is None or out._name == expr._name:
            return expr
        expr = out


def _rewrite_by_operands(expr: Expr, dependents: dict) -> Expr | None:
    for dep in expr.dependencies():
        # nodes made by a rewrite of its user by an operand (a projection pushed into a reader): the user's
        # annotations, else the operand's
        out = annotated.rewriting(expr._annotations or dep._annotations, dep._simplify_up, expr, dependents)
        if out is not None and out._name != expr._name:
            return out
    return None


def _fixpoint(expr: Expr, step: Callable[[Expr], Expr], limit: int = 100) -> Expr:
    for _ in range(limit):
        new = step(expr)
        if new._name == expr._name:
            return new
        expr = new
    return expr


def collect_dependents(expr: Expr) -> dict[str, list[Expr]]:
    """Map each node name to the nodes that use it (to know if a rewrite is safe)."""
    dependents: dict[str, list[Expr]] = defaultdict(list)
    for node in expr.walk():
        for dep in node.dependencies():
            dependents[dep._name].append(node)
    return dependents


def _short(obj: Any, width: int = 40) -> str:
    """``repr(obj)`` cut to ``width`` characters (an expression by its name), for plan labels."""
    if isinstance(obj, (list, tuple, dict)) and len(obj) > width:
        # more items than characters shown: repr only the first ones (a 100k-value isin list was 689k characters)
        obj = dict(islice(obj.items(), width)) if isinstance(obj, dict) else obj[:width]
        text = repr(obj)
        return text[: width - 3] + "..."
    text = obj._name if isinstance(obj, Expr) else repr(obj)
    return text if len(text) <= width else text[: width - 3] + "..."
