"""``DataFrame.query`` and ``DataFrame.eval``: pandas' / cuDF's own, on each partition.

``@name`` in the expression refers to a variable.  pandas looks it up in the caller's
frames when it runs, which for a lazy collection is a worker thread, so dask asks for
``local_dict=``.  Here ``local_dict`` works as in dask, and variables it does not give
are taken from the caller's frame when ``query``/``eval`` is called (their values then).
"""

from __future__ import annotations

import re
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.loc import IndexKeepingMap

__all__ = ["query", "eval_expression"]

_LOCAL_NAME = re.compile(r"@([A-Za-z_]\w*)")


def query(df: Any, expr: str, kwargs: dict, caller: Any = None) -> Any:
    """Rows where ``expr`` is true (see :meth:`DataFrame.query`); the divisions stay."""
    kwargs = _resolve_locals(expr, dict(kwargs), caller, "query")
    return new_collection(IndexKeepingMap(bf.query_frame, {"expr": expr, **kwargs}, None, "query", False, df.expr))


def eval_expression(df: Any, expr: str, kwargs: dict, caller: Any = None) -> Any:
    """``expr`` evaluated on each partition (see :meth:`DataFrame.eval`); the divisions stay."""
    kwargs = _resolve_locals(expr, dict(kwargs), caller, "eval")
    return new_collection(IndexKeepingMap(bf.eval_frame, {"expr": expr, **kwargs}, None, "eval", False, df.expr))


def _resolve_locals(expr: str, kwargs: dict, caller: Any, name: str) -> dict:
    if kwargs.get("inplace"):
        raise NotImplementedError(f"inplace is not supported for {name}")
    kwargs.pop("inplace", None)
    given = {**(kwargs.get("global_dict") or {}), **(kwargs.get("local_dict") or {})}
    local = dict(kwargs.get("local_dict") or {})
    for var in _LOCAL_NAME.findall(expr):
        if var in given or caller is None:
            continue
        if var in caller.f_locals:
            local[var] = caller.f_locals[var]
        elif var in caller.f_globals:
            local[var] = caller.f_globals[var]
    if local:
        kwargs["local_dict"] = local
    return kwargs
