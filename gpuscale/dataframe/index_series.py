"""The Series methods of a lazy Index (dask's ``Index`` subclasses its ``Series``): ``idx.add(1)``,
``idx.between(2, 5)``, ``idx.quantile(0.9)``, ``idx.nlargest(3)``, ``idx.values`` ...

Each runs the Series implementation on the index values (``to_series``, labelled by position within
each partition, so an Index or Series operand pairs up by position as in pandas' Index arithmetic).
Element-wise and row-subset results are made an Index again; reductions, ``mode``, ``describe``,
``groupby`` and the arrays are what the Series method gives.  There is one implementation of each
thing: the Series'.
"""

from __future__ import annotations

from typing import Any

from gpuscale.dataframe.flex import ARITHMETIC, COMPARISONS

__all__ = ["IndexSeriesMethods", "AS_INDEX", "AS_SERIES_RESULT"]

_SETUP = (">>> import pandas as pd, gpuscale.dataframe as gd\n"
          ">>> pdf = pd.DataFrame({\"x\": range(4)}, index=pd.Index([4, 1, 3, 2], name=\"k\"))\n"
          ">>> idx = gd.from_pandas(pdf, npartitions=2, sort=False, backend=\"cpu\").index\n")

# name -> (example expression, its output): element-wise or row-subset methods, whose result is an Index
AS_INDEX = {
    **{name: (f"idx.{name}(2).compute().tolist()", None) for name in ARITHMETIC + COMPARISONS},
    "between": ("idx.between(2, 3).compute().tolist()", "[False, False, True, True]"),
    "apply": ("idx.apply(lambda v: v * 10, meta=('k', 'int64')).compute().tolist()", "[40, 10, 30, 20]"),
    "replace": ("idx.replace(4, 40).compute().tolist()", "[40, 1, 3, 2]"),
    "ffill": ("idx.replace(3, None).ffill().compute().tolist()", "[4, 1, 1, 2]"),
    "bfill": ("idx.replace(3, None).bfill().compute().tolist()", "[4, 1, 2, 2]"),
    "explode": ("(idx * 101).astype(str).str.split('0').explode().compute().tolist()",
                "['4', '4', '1', '1', '3', '3', '2', '2']"),
    "combine": ("idx.combine(idx * 0 + 2, max).compute().tolist()", "[4, 2, 3, 2]"),
    "combine_first": ("idx.where(idx > 2).combine_first(idx * 10).compute().tolist()",
                      "[4.0, 10.0, 3.0, 20.0]"),
    "case_when": ("idx.case_when([(idx.gt(3), 0)]).compute().tolist()", "[0, 1, 3, 2]"),
    "nlargest": ("idx.nlargest(2).compute().tolist()", "[4, 3]"),
    "nsmallest": ("idx.nsmallest(2).compute().tolist()", "[1, 2]"),
    "sample": ("len(idx.sample(frac=1.0, random_state=0).compute())", "4"),
    "shuffle": ("sorted(idx.shuffle(npartitions=3).compute().tolist())", "[1, 2, 3, 4]"),
}
_ARITH_OUT = {"add": "[6, 3, 5, 4]", "sub": "[2, -1, 1, 0]", "subtract": "[2, -1, 1, 0]", "mul": "[8, 2, 6, 4]",
              "multiply": "[8, 2, 6, 4]", "div": "[2.0, 0.5, 1.5, 1.0]",
              "divide": "[2.0, 0.5, 1.5, 1.0]", "truediv": "[2.0, 0.5, 1.5, 1.0]", "floordiv": "[2, 0, 1, 1]",
              "mod": "[0, 1, 1, 0]", "pow": "[16, 1, 9, 4]", "radd": "[6, 3, 5, 4]", "rsub": "[-2, 1, -1, 0]",
              "rmul": "[8, 2, 6, 4]", "rdiv": "[0.5, 2.0, 0.6666666666666666, 1.0]",
              "rtruediv": "[0.5, 2.0, 0.6666666666666666, 1.0]", "rfloordiv": "[0, 2, 0, 1]",
              "rmod": "[2, 0, 2, 0]", "rpow": "[16, 2, 8, 4]", "eq": "[False, False, False, True]",
              "ne": "[True, True, True, False]", "lt": "[False, True, False, False]",
              "le": "[False, True, False, True]", "gt": "[True, False, True, False]",
              "ge": "[True, False, True, True]"}
AS_INDEX.update({name: (AS_INDEX[name][0], out) for name, out in _ARITH_OUT.items()})

# name -> (example, output): methods whose Series result is the answer (a lazy scalar, Series or Array)
AS_SERIES_RESULT = {
    "quantile": ("float(idx.quantile(0.5).compute())", "2.5"),
    "median": ("float(idx.median().compute())", "2.5"),
    "median_approximate": ("float(idx.median_approximate().compute())", "2.5"),
    "mode": ("idx.mode().compute().tolist()", "[1, 2, 3, 4]"),
    "sem": ("round(float(idx.sem().compute()), 6)", "0.645497"),
    "skew": ("float(idx.skew().compute())", "0.0"),
    "kurt": ("round(float(idx.kurt().compute()), 6)", "-1.36"),
    "kurtosis": ("round(float(idx.kurtosis().compute()), 6)", "-1.36"),
    "product": ("int(idx.product().compute())", "24"),
    "autocorr": ("round(float(idx.autocorr(1).compute()), 6)", "-0.981981"),
    "corr": ("float(idx.corr(idx * 2).compute())", "1.0"),
    "cov": ("float(idx.cov(idx).compute())", "1.6666666666666667"),
    "dot": ("int(idx.dot(idx).compute())", "30"),
    "describe": ("idx.describe().compute()['max'].item()", "4.0"),
    "groupby": ("idx.groupby(idx % 2).sum().compute().to_dict()", "{0: 6, 1: 4}"),
    "to_dask_array": ("idx.to_dask_array().compute().tolist()", "[4, 1, 3, 2]"),
}


def _positional(obj: Any, base: Any = None) -> Any:
    """An Index or Series collection as its values labelled by position in each partition (an Index's
    own labels are its values, which must not be matched by label); anything else as it is.  With
    ``base`` (the index values an operand meets), on ``base``'s partitions: partition ``i`` of each is
    paired by position, never shuffled to meet by these labels, which repeat from partition to partition."""
    from gpuscale.dataframe.core import FrameBase, new_collection
    from gpuscale.dataframe.series import Index

    if isinstance(obj, Index):
        values = obj.to_series().reset_index(drop=True)
    elif isinstance(obj, FrameBase) and not hasattr(obj._meta, "columns"):
        values = obj.reset_index(drop=True)
    elif isinstance(obj, list):
        return [_positional(item, base) for item in obj]
    elif isinstance(obj, tuple):
        return tuple(_positional(item, base) for item in obj)
    else:
        return obj
    if base is None:
        return values
    from gpuscale.backends import frame as bf
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr

    return new_collection(map_partitions_expr(bf.values_on_index, base.expr, values.expr, label="by-position",
                                              positional=True))


def _docstring(name: str, example: str, output: str, as_index: bool) -> str:
    result = "Index" if as_index else "Scalar, Series or Array"
    how = "the result made an Index again" if as_index else "the Series method's result"
    return f"""``Series.{name}`` of the index values, {how} (as dask's Index, a Series subclass).

    Parameters
    ----------
    *args, **kwargs
        As :meth:`gpuscale.dataframe.Series.{name}`; an Index or Series operand pairs up by position.

    Returns
    -------
    {result}

    Examples
    --------
    {_SETUP.replace(chr(10), chr(10) + "    ")}>>> {example}
    {output}
    """


def _delegate(name: str, as_index: bool) -> Any:
    example, output = (AS_INDEX if as_index else AS_SERIES_RESULT)[name]

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        values = _positional(self)
        kwargs = {k: _positional(v, values) for k, v in kwargs.items()}
        out = getattr(values, name)(*_positional(args, values), **kwargs)
        return self._as_index(out) if as_index else out

    method.__name__ = method.__qualname__ = name
    method.__doc__ = _docstring(name, example, output, as_index)
    return method


class IndexSeriesMethods:
    """Mixin of :class:`gpuscale.dataframe.Index`: the Series methods, run on the index values."""

    for _name in AS_INDEX:
        locals()[_name] = _delegate(_name, True)
    for _name in AS_SERIES_RESULT:
        locals()[_name] = _delegate(_name, False)
    del _name
