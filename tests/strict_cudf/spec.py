"""What the real cuDF accepts, read from its classes and functions (no GPU needed).

``build_spec(cudf)`` introspects an installed cuDF: for every public member of the
classes a partition can be (frames, indexes, groupbys, indexers, accessors, windows)
and of the module, its kind (method, property, class) and parameter names, and
whether its body only raises (cuDF defines ``iterrows`` and friends just to refuse
them).  The result is committed as ``cudf_api.json``; the stand-in enforces it and the
cuDF lane (``make test-cudf``) checks it still equals the installed cuDF.

Regenerate with ``.venv-cudf/bin/python -m tests.strict_cudf.spec`` from the repository root.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import textwrap
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).with_name("cudf_api.json")

# stand-in class name -> where the real class lives in cuDF
CLASSES = {
    "DataFrame": "cudf.core.dataframe:DataFrame",
    "Series": "cudf.core.series:Series",
    "Index": "cudf.core.index:Index",
    "RangeIndex": "cudf.core.index:RangeIndex",
    "DatetimeIndex": "cudf.core.index:DatetimeIndex",
    "TimedeltaIndex": "cudf.core.index:TimedeltaIndex",
    "CategoricalIndex": "cudf.core.index:CategoricalIndex",
    "MultiIndex": "cudf.core.multiindex:MultiIndex",
    "DataFrameGroupBy": "cudf.core.groupby.groupby:DataFrameGroupBy",
    "SeriesGroupBy": "cudf.core.groupby.groupby:SeriesGroupBy",
    "DataFrameIloc": "cudf.core.dataframe:_DataFrameIlocIndexer",
    "DataFrameLoc": "cudf.core.dataframe:_DataFrameLocIndexer",
    "SeriesIloc": "cudf.core.series:_SeriesIlocIndexer",
    "SeriesLoc": "cudf.core.series:_SeriesLocIndexer",
    "StringMethods": "cudf.core.accessors.string:StringMethods",
    "DatetimeProperties": "cudf.core.series:DatetimeProperties",
    "TimedeltaProperties": "cudf.core.series:TimedeltaProperties",
    "CategoricalAccessor": "cudf.core.accessors.categorical:CategoricalAccessor",
    "Rolling": "cudf.core.window.rolling:Rolling",
    "ExponentialMovingWindow": "cudf.core.window.ewm:ExponentialMovingWindow",
    "ListMethods": "cudf.core.accessors.lists:ListMethods",
    "StructMethods": "cudf.core.accessors.struct:StructMethods",
    "DataFrameResampler": "cudf.core.resample:DataFrameResampler",
    "SeriesResampler": "cudf.core.resample:SeriesResampler",
}

# module-level names of cuDF a partition library is asked for
FUNCTIONS = ("concat", "merge", "from_pandas", "from_dlpack", "to_datetime", "to_numeric", "read_parquet",
             "read_csv", "read_json", "read_text", "isna", "notna", "date_range", "get_dummies", "melt", "pivot_table", "cut",
             "CategoricalDtype", "Scalar", "NA", "NaT")


def real_class(dotted: str) -> type:
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


def _only_raises(func: Any) -> bool:
    """True if the function's body (after its docstring) is one ``raise``."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return False
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.FunctionDef) else []
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        body = body[1:]
    return len(body) == 1 and isinstance(body[0], ast.Raise)


def _signature(func: Any) -> dict:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return {"params": None, "varargs": True, "varkw": True}
    params = [p for p in sig.parameters.values() if p.name != "self"]
    return {
        "params": [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)],
        "positional": sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params),
        "varargs": any(p.kind == p.VAR_POSITIONAL for p in params),
        "varkw": any(p.kind == p.VAR_KEYWORD for p in params),
    }


def _member(owner: type, name: str) -> dict:
    static = inspect.getattr_static(owner, name)
    if isinstance(static, (property, functools_cached_property())):
        return {"kind": "property"}
    if isinstance(static, (staticmethod, classmethod)):
        static = static.__func__
    if inspect.isclass(static):
        return {"kind": "class"}
    if not callable(static) and hasattr(static, "__get__"):  # cuDF's generated operations are descriptors
        static = getattr(owner, name)
    func = getattr(static, "__wrapped__", static)
    if callable(func):
        return {"kind": "method", "raises": _only_raises(func), **_signature(func)}
    return {"kind": "property"}


def functools_cached_property() -> type:
    import functools

    return functools.cached_property


def class_spec(owner: type) -> dict:
    """Every public member of a cuDF class (dunder methods are the stand-in's own business)."""
    return {name: _member(owner, name) for name in sorted(dir(owner)) if not name.startswith("_")}


def function_spec(cudf: Any, name: str) -> dict:
    value = getattr(cudf, name)
    if inspect.isclass(value):
        return {"kind": "class", **_signature(value)}
    if callable(value):
        return {"kind": "function", **_signature(value)}
    return {"kind": "value"}


def build_spec(cudf: Any) -> dict:
    """The spec of an installed cuDF (see the module docstring)."""
    return {
        "cudf_version": cudf.__version__,
        "classes": {name: class_spec(real_class(dotted)) for name, dotted in CLASSES.items()},
        "functions": {name: function_spec(cudf, name) for name in FUNCTIONS if hasattr(cudf, name)},
    }


def load_spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


if __name__ == "__main__":
    import cudf

    SPEC_PATH.write_text(json.dumps(build_spec(cudf), indent=1, sort_keys=True) + "\n")
    print(f"wrote {SPEC_PATH} for cuDF {cudf.__version__}")
