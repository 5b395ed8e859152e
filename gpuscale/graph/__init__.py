"""Task graphs in the Dask graph spec: predicates, dependencies, evaluation, culling, ordering.

Pure Python: nothing here imports numpy, pandas or dask.
"""

from gpuscale.graph.building import gc_paused
from gpuscale.graph.core import (
    MissingDependencyError, evaluate_task, flatten_keys, graph_dependencies, is_dask_node, iskey, istask,
    missing_key_error, reverse_dependencies, task_dependencies, task_dependency_list,
)
from gpuscale.graph.optimize import cull
from gpuscale.graph.order import CycleError, order, order_indices, toposort

__all__ = [
    "CycleError", "MissingDependencyError", "cull", "evaluate_task", "flatten_keys", "gc_paused",
    "graph_dependencies", "is_dask_node", "iskey", "istask", "missing_key_error", "order", "order_indices",
    "reverse_dependencies", "task_dependencies", "task_dependency_list", "toposort",
]
