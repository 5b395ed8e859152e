"""``DataFrame.query`` and ``DataFrame.eval``: pandas' / cuDF's own, on each partition.

``@name`` in the expression refers to a variable.  pandas looks it up in the caller's
frames when it runs, which for a lazy collection is a worker thread, so dask asks for
``local_dict=``.  Here ``local_dict`` works as in dask, and variables it does not give
are taken from the caller's frame when ``query``/``eval`` is called (their values then).

A partition sees only its rows, so what pandas pairs with the whole frame needs care: a pandas
Series variable used row by row (``a + @s``) is cut at the collection's partitions by index labels
(as ``df.a + s`` is), since pandas aligns it by label; a lazy gpuscale Series so used goes beside the rows as a
hidden column (aligned as ``df.a + s`` aligns it) and each partition is given its piece; a NumPy array used so is refused (pandas pairs
it by position, which a partition does not know); ``a in b`` of two columns is refused (each partition
would see only its slice of ``b``).
"""

from __future__ import annotations

import re
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import FrameBase, new_collection
from gpuscale.dataframe.expr.loc import IndexKeepingMap

__all__ = ["query", "eval_expression"]

_LOCAL_NAME = re.compile(r"@([A-Za-z_]\w*)")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_IN_NAME = re.compile(r"\bin\s+(`[^`]+`|[A-Za-z_]\w*)")


def query(df: Any, expr: str, kwargs: dict, caller: Any = None) -> Any:
    """Rows where ``expr`` is true (see :meth:`DataFrame.query`); the divisions stay."""
    kwargs = _resolve_locals(expr, dict(kwargs), caller, "query")
    return _partition_wise(df, bf.query_frame, expr, kwargs, "query")


def eval_expression(df: Any, expr: str, kwargs: dict, caller: Any = None) -> Any:
    """``expr`` evaluated on each partition (see :meth:`DataFrame.eval`); the divisions stay."""
    kwargs = _resolve_locals(expr, dict(kwargs), caller, "eval")
    return _partition_wise(df, bf.eval_frame, expr, kwargs, "eval")


def _partition_wise(df: Any, func: Any, expr: str, kwargs: dict, name: str) -> Any:
    """``func(partition, expr, **kwargs)`` on each partition, the Series variables used row by row given as
    the pieces of them at that partition's index labels."""
    _refuse_membership_in_column(df, expr, name)
    df, func, kwargs = _with_lazy_series(df, func, expr, kwargs, name)
    aligned = _row_wise_series(expr, kwargs, name)
    if not aligned:
        return new_collection(IndexKeepingMap(func, {"expr": expr, **kwargs}, None, name, False, df.expr))
    from gpuscale.dataframe.creation import from_pandas

    series = [kwargs["local_dict"].pop(v) for v in aligned]
    # as one-column frames: a one-partition Series meeting a DataFrame would be given whole to every partition
    pieces = [from_pandas(s.to_frame(), npartitions=1, backend=bf.library_of(df._meta)).expr for s in series]
    kwargs = {"expr": expr, "func": func, "names": tuple(aligned), "labels": tuple(s.name for s in series), **kwargs}
    return new_collection(IndexKeepingMap(_with_variables, kwargs, None, name, False, df.expr, *pieces))


def _with_variables(part: Any, *values: Any, func: Any, names: tuple, labels: tuple, **kwargs: Any) -> Any:
    """``func(part, ...)`` with ``values`` (this partition's pieces of the Series variables ``names``, as
    one-column frames) in its ``local_dict``, Series again (named ``labels``)."""
    series = [v.iloc[:, 0].rename(label) for v, label in zip(values, labels)]
    local = {**(kwargs.pop("local_dict", None) or {}), **dict(zip(names, series))}
    return func(part, local_dict=local, **kwargs)


def _with_lazy_series(df: Any, func: Any, expr: str, kwargs: dict, name: str) -> tuple:
    """``(frame, func, kwargs)`` with the gpuscale Series variables of ``local_dict`` put beside the rows as hidden
    columns (aligned with them as ``df.a > s`` aligns ``s``), which :func:`_from_columns` takes out of each
    partition again as the variables; a gpuscale Series used whole (``@s.mean()``) is refused."""
    local = dict(kwargs.get("local_dict") or {})
    lazy = [var for var, value in local.items() if isinstance(value, FrameBase) and _uses(expr, var)]
    for var in lazy:
        if _uses(expr, var) != {"row"} or hasattr(local[var], "columns"):
            raise NotImplementedError(f"{name}({expr!r}): @{var} is a lazy gpuscale {type(local[var]).__name__}, "
                                      "which a partition can use only as a Series paired with its rows (t > @s); "
                                      "compute what is used of it whole first and pass that instead")
    if not lazy:
        return df, func, kwargs
    hidden = {var: f"__{name}_variable_{i}__" for i, var in enumerate(lazy)}
    columns = tuple((var, hidden[var], local[var].name) for var in lazy)
    frame = df.assign(**{hidden[var]: local.pop(var) for var in lazy})
    kwargs = {**kwargs, "local_dict": local, "inner": func, "columns": columns}
    return frame, _from_columns, kwargs


def _from_columns(part: Any, *, inner: Any, columns: tuple, local_dict: Any = None, **kwargs: Any) -> Any:
    """``inner(part, ...)`` with the hidden ``columns`` (``(variable, column, name)``: see :func:`_with_lazy_series`)
    taken out of ``part`` into its ``local_dict`` as Series again."""
    variables = {var: part[column].rename(label) for var, column, label in columns}
    rows = part.drop(columns=[column for _, column, _ in columns])
    return inner(rows, local_dict={**(local_dict or {}), **variables}, **kwargs)


def _uses(expr: str, var: str) -> set:
    """How ``@var`` is used in ``expr``: ``"row"`` (an operand paired with the rows), ``"whole"`` (after ``in``,
    or its attributes, items or calls: ``@s.mean()``)."""
    kinds = set()
    for match in re.finditer(rf"(\bin\s+)?@{var}\b(\s*[.\[(])?", _QUOTED.sub("''", expr)):
        kinds.add("whole" if match.group(1) or match.group(2) else "row")
    return kinds


def _row_wise_series(expr: str, kwargs: dict, name: str) -> list:
    """The names of the Series variables of ``local_dict`` that ``expr`` uses row by row (cut at the
    partitions); a NumPy array used so, or a Series used both so and whole, is refused."""
    aligned = []
    for var, value in (kwargs.get("local_dict") or {}).items():
        uses = _uses(expr, var)
        if "row" not in uses or bf.is_dataframe_like(value) or isinstance(value, (list, tuple, set, dict)):
            continue
        if bf.is_series_like(value) and "whole" not in uses:
            aligned.append(var)
        elif bf.is_series_like(value):
            raise NotImplementedError(f"{name}({expr!r}): @{var} is used both row by row (matched to the rows by "
                                      "index) and whole; a partition has only its rows: compute the whole-Series "
                                      "part first and pass it as another variable")
        elif getattr(value, "ndim", 0) >= 1 and not bf.is_index_like(value):
            raise NotImplementedError(f"{name}({expr!r}): @{var} is an array, which pandas pairs with the rows by "
                                      "position; a partition does not know its rows' positions: pass a pandas "
                                      "Series with the frame's index (matched by index labels) instead")
    return aligned


def _refuse_membership_in_column(df: Any, expr: str, name: str) -> None:
    """``x in b`` of a column ``b`` tests against all of ``b``: each partition would see only its slice."""
    for match in _IN_NAME.finditer(_QUOTED.sub("''", expr)):
        label = match.group(1).strip("`")
        if label in df._meta.columns or label == getattr(df._meta.index, "name", None):
            raise NotImplementedError(
                f"{name}({expr!r}): membership in the column {label!r} needs all of its values, but each "
                f"partition sees only its slice of them; compute them first and test with isin "
                f"(df[df.x.isin(df.{label}.unique().compute())])")


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
