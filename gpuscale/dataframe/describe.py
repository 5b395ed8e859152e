"""``DataFrame.describe`` / ``Series.describe``: one tree reduction of per-partition summaries
(:mod:`gpuscale.backends.frame.describe`).  pandas, run on the metadata, decides which columns are described
and the rows and dtypes of the table, so ``include=``, ``exclude=`` and ``percentiles=`` follow pandas."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends import to_host
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.reductions import tree_reduce

__all__ = ["describe"]


def _percentiles(percentiles: Any, rows: list) -> tuple:
    """The percentiles behind pandas' ``"10%"`` rows: sorted and unique, with the median where this pandas
    adds it (pandas < 3 always reports it)."""
    qs = sorted({float(q) for q in (percentiles if percentiles is not None else (0.25, 0.5, 0.75))})
    if sum(str(r).endswith("%") for r in rows) > len(qs):
        qs = sorted(set(qs) | {0.5})
    return tuple(qs)


def describe(obj: Any, split_every: Any = False, percentiles: Any = None, percentiles_method: str = "default",
             include: Any = None, exclude: Any = None) -> Any:
    """pandas' ``describe()`` of a DataFrame or Series collection, as a one-partition collection.

    Percentiles are exact while every partition has at most 1,000 rows (and weighted-sample estimates
    beyond, as dask's); ``percentiles_method`` (dask's ``"default"``, ``"dask"`` or ``"tdigest"``) is accepted
    for dask compatibility.
    """
    if percentiles_method not in ("default", "dask", "tdigest"):
        raise ValueError(f"describe: percentiles_method must be 'default', 'dask' or 'tdigest', got "
                         f"{percentiles_method!r}")
    is_series = bf.is_series_like(obj._meta)  # include/exclude mean nothing for a Series (as in pandas)
    if not is_series and obj._meta.columns.has_duplicates and obj._meta.columns.nlevels == 1:
        return _described_by_position(obj, split_every, percentiles, percentiles_method, include, exclude)
    sample = to_host(bf.meta_nonempty(obj._meta))
    options = {} if is_series else {"include": include, "exclude": exclude}
    table = sample.describe(percentiles=percentiles, **options)  # raises as pandas when nothing is left
    columns = [sample.name] if is_series else list(table.columns)
    dtypes = {sample.name: table.dtype} if is_series else table.dtypes.to_dict()
    selected = obj if is_series else obj[columns]
    library = bf.library_of(obj._meta)
    kwargs = {"kinds": bf.describe_kinds(sample, columns), "percentiles": _percentiles(percentiles, list(table.index)),
              "rows": list(table.index), "dtypes": dtypes, "library": library,
              "series_name": sample.name if is_series else "__frame__",
              "column_names": None if is_series else list(table.columns.names)}
    meta = bf.describe_meta(table, library)
    return new_collection(tree_reduce(selected.expr, bf.describe_chunk, bf.concat_samples, bf.describe_aggregate,
                                      kwargs, meta, "describe", split_every,
                                      chunk_kwargs={"kinds": kwargs["kinds"]}))


def _described_by_position(obj: Any, *args: Any) -> Any:
    """``describe`` of a frame holding a column name several times: its columns described as positions (each
    summary is one column's), then labelled with their names, as pandas' table."""
    labels = list(obj._meta.columns)
    positional = obj.copy()
    positional.columns = list(range(len(labels)))
    out = describe(positional, *args)
    out.columns = [labels[i] for i in out.columns]
    return out
