"""Groupby keys pandas accepts besides column labels: ``pd.Grouper`` and functions or mappings of the index.

``grouper_spec`` reads a ``pd.Grouper`` (or ``cudf.Grouper``) into plain values; ``index_keys`` maps a
partition's index labels through a function, dict or Series, as pandas' ``df.groupby(func)`` does.
"""

from __future__ import annotations

import sys
from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import _to_pandas, convert_library, library_of
from gpuscale.backends.frame.lookup import share_lookup_table

__all__ = ["dictionary_keys", "dictionary_values_dtype", "grouper_spec", "index_keys", "index_level_keys",
           "is_mapping_key", "time_bin_labels", "time_grouper_spec", "with_dictionary_levels", "with_keys_present"]


def _grouper_types() -> tuple:
    cudf = sys.modules.get("cudf")  # never imported here: a cudf.Grouper exists only if cudf is loaded
    extra = getattr(cudf, "Grouper", None)
    return (pd.Grouper,) + ((extra,) if isinstance(extra, type) else ())


def grouper_spec(key: Any) -> dict | None:
    """``{"key", "level", "sort", "dropna"}`` of a ``pd.Grouper`` key without ``freq=``, None for any other key
    (a time Grouper: :func:`time_grouper_spec`)."""
    if not isinstance(key, _grouper_types()) or getattr(key, "freq", None) is not None:
        return None
    return {"key": key.key, "level": key.level, "sort": bool(getattr(key, "sort", False)),
            "dropna": bool(getattr(key, "dropna", True))}


def time_grouper_spec(by: Any) -> dict | None:
    """``{"key", "level", "freq", "closed", "label", "grid"}`` of a ``pd.Grouper(freq=...)`` (``grid``: its
    ``origin=`` / ``offset=`` where not pandas' defaults), None for any other key."""
    if not isinstance(by, _grouper_types()) or getattr(by, "freq", None) is None:
        return None
    origin, offset = getattr(by, "origin", "start_day"), getattr(by, "offset", None)
    grid = {k: v for k, v in (("origin", origin), ("offset", offset))
            if v is not None and not (isinstance(v, str) and v == "start_day")}
    return {"key": by.key, "level": by.level, "freq": by.freq, "closed": getattr(by, "closed", None),
            "label": getattr(by, "label", None), "grid": grid}


def time_bin_labels(values: Any, first: Any, last: Any = None, *, freq: Any, closed: Any = None, label: Any = None,
                    grid: dict | None = None) -> Any:
    """The time bin label of each value of ``values`` (a datetime Series; missing times stay missing), as
    ``groupby(pd.Grouper(freq=...))`` bins the whole column whose earliest time is ``first`` (and latest ``last``,
    given where the bins end at it: ``origin="end"``).

    pandas' own bins: its resampler anchors them at the first time, so each partition's distinct times are
    resampled together with ``first`` and every row takes the label of its time's bin.  cuDF partitions are
    labelled on the host (cuDF's resampler takes no ``closed=``/``label=`` for every frequency).
    """
    if library_of(values) != "pandas":
        labels = time_bin_labels(_to_pandas(values), first, last, freq=freq, closed=closed, label=label, grid=grid)
        out = convert_library(labels.reset_index(drop=True), library_of(values))
        out.index = values.index
        return out
    result = values.where(pd.Series(False, index=values.index))  # all missing, of the times' dtype
    times = pd.DatetimeIndex(values.dropna().unique())
    if not len(times) or pd.isna(first):
        return result
    # ``first`` (the column's earliest time, of its time zone) anchors the bins as in a resample of the whole
    ends = [first] if last is None or pd.isna(last) else [first, last]
    points = times.append(pd.DatetimeIndex(ends).as_unit(times.unit)).unique().sort_values()
    # (``first`` is in every partition's resample, so ``origin="start"`` is the whole column's first time)
    counts = pd.Series(1, index=points).resample(freq, closed=closed, label=label, **(grid or {})).count()
    bin_of = counts.index.repeat(counts.to_numpy())  # point i -> its bin's label
    present = values.notna().to_numpy()
    result.iloc[present] = bin_of[points.searchsorted(values[present])]
    return result


def is_mapping_key(key: Any) -> bool:
    """Whether ``key`` maps index labels to groups: a function, a dict or a host Series (pandas' rules)."""
    return callable(key) or isinstance(key, (dict, pd.Series))


def index_keys(part: Any, mapper: Any) -> Any:
    """A Series of ``mapper`` applied to each index label of ``part``, on ``part``'s index."""
    share_lookup_table(mapper)  # a host Series given to every partition's task
    if library_of(part) == "pandas":
        return pd.Series(part.index.map(mapper), index=part.index)
    # cuDF maps index labels only through compiled numeric functions: Python functions run on the host
    host = _to_pandas(part.index)
    keys = convert_library(pd.Series(host.map(mapper)), "cudf")
    keys.index = part.index
    return keys


def index_level_keys(part: Any, level: int | None = None) -> Any:
    """A Series of the values of level ``level`` of ``part``'s MultiIndex (None: of the index), on ``part``'s
    index, of the level's own dtype: pandas 3's ``to_series`` infers object text anew (``str``), while its
    groupby keeps the level's dtype.

    Examples
    --------
    >>> index_level_keys(pd.DataFrame({"v": [1]}, index=pd.Index(["a"], dtype=object))).dtype
    dtype('O')
    """
    values = part.index if level is None else part.index.get_level_values(level)
    if library_of(part) == "pandas":  # (the constructor keeps the dtype, and None apart from NaN)
        return pd.Series(values, index=part.index, dtype=values.dtype, copy=True)
    return values.to_series(index=part.index)


def with_keys_present(sample: Any, by: list) -> Any:
    """A sample frame whose key columns hold no missing value (each filled with its first value)."""
    columns = [k for k in by if isinstance(k, str) and k in getattr(sample, "columns", ())]
    missing = [k for k in columns if bool(sample[k].isna().any()) and bool(sample[k].notna().any())]
    if not missing:
        return sample
    return sample.assign(**{k: sample[k].fillna(sample[k].dropna().iloc[0]) for k in missing})


def _arrow_dictionary(dtype: Any) -> bool:
    arrow = getattr(dtype, "pyarrow_dtype", None)
    if arrow is None:
        return False
    import pyarrow as pa

    return pa.types.is_dictionary(arrow)


def dictionary_keys(meta: Any, by: list) -> dict:
    """{key label: dtype} of the key columns of ``meta`` holding Arrow dictionaries (``pd.ArrowDtype``).

    pandas cannot sort an index of them (Arrow has no sort of dictionaries) and groups each partition by its
    whole dictionary (a group per entry, of no rows where the entry is absent), so a partitioned groupby
    groups their values instead (:func:`dictionary_values_dtype`).

    Examples
    --------
    >>> import pyarrow as pa
    >>> kind = pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))
    >>> dictionary_keys(pd.DataFrame({"d": pd.array(["x"], dtype=kind), "v": [1]}), ["d"]) == {"d": kind}
    True
    """
    columns = getattr(meta, "columns", ())
    return {k: meta[k].dtype for k in by if isinstance(k, (str, int)) and k in columns
            and _arrow_dictionary(meta[k].dtype)}


def dictionary_values_dtype(dtype: Any) -> Any:
    """The ``pd.ArrowDtype`` of the values of an Arrow dictionary dtype."""
    return pd.ArrowDtype(dtype.pyarrow_dtype.value_type)


def with_dictionary_levels(obj: Any, dtypes: dict) -> Any:
    """``obj`` whose index levels named in ``dtypes`` ({name: dictionary dtype}) are of those dtypes again
    (a groupby by the dictionaries' values, see :func:`dictionary_keys`); the input is left as it is."""
    index = obj.index
    names = list(index.names)
    levels = [(i, dtypes[n]) for i, n in enumerate(names) if _hashable(n) and n in dtypes]
    if not levels:
        return obj
    if index.nlevels == 1:
        index = index.astype(levels[0][1])
    else:
        index = index.set_levels([index.levels[i].astype(t) for i, t in levels], level=[i for i, _ in levels])
    out = obj.copy(deep=False)
    out.index = index
    return out


def _hashable(name: Any) -> bool:
    try:
        hash(name)
    except TypeError:
        return False
    return True
