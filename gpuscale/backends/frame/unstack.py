"""Partition steps of ``unstack``, ``pivot``, ``stack``, ``reindex`` and ``transpose``.

``unstack`` turns one index level into columns: each partition unstacks its own rows
(:func:`unstack_partition`, NaN in the cells it has no row for), the partial tables (every column of the table,
numbered) are shuffled by their index so that each row key meets its other parts, which :func:`combine_unstacked`
merges (the one value of each cell), and :func:`finish_unstacked` lays the table out with every column,
pandas' dtypes and order.  cuDF's Series has no ``unstack``: cuDF partitions are unstacked and laid out on a host
copy (tables are small next to their rows); the merge runs on the device.
"""

from __future__ import annotations

from typing import Any

import warnings

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import is_series_like, library_of, namespace, with_dtypes_by_position

__all__ = ["level_values", "other_levels", "unstack_partition", "combine_unstacked", "finish_unstacked",
           "pivot_keys", "dtype_for_missing", "missing_changes_dtype", "stack_partition", "reindex_rows",
           "transpose_partition", "transposed_meta", "unstacked_columns", "host_labels", "frame_of_labels",
           "level_labels", "missing_outside_levels"]

DUPLICATES = "Index contains duplicate entries, cannot reshape"  # pandas' words


def level_values(part: Any, level: int) -> Any:
    """The values of index level ``level`` of ``part``, as a Series (its labels: positions)."""
    values = part.index.get_level_values(level)
    return namespace(part).Series(values, name="__level__").reset_index(drop=True)


def other_levels(part: Any, level: int) -> Any:
    """The index levels of ``part`` but ``level``, as columns of a frame (to count the distinct row keys)."""
    frame = part.index.to_frame(index=False)
    frame.columns = [f"__level_{i}__" for i in range(frame.shape[1])]
    return frame.drop(columns=[frame.columns[level]])


def missing_outside_levels(part: Any, level: int) -> Any:
    """A one-row frame: whether index level ``level`` (``column``) and the other levels (``row``) of ``part``
    hold a missing label that is not among the MultiIndex's levels (code -1, as ``from_arrays`` and
    ``set_index`` make it): pandas unstacks such a label first, one listed among the levels (``groupby(dropna=
    False)``'s) last."""
    from gpuscale.backends.convert import to_host

    codes = [bool((np.asarray(c) < 0).any()) for c in to_host(part.index).codes]
    row = any(c for i, c in enumerate(codes) if i != level)
    return namespace(part).DataFrame({"column": [codes[level]], "row": [row]})


def unstack_partition(part: Any, level: int, columns: Any, marked: bool = False) -> Any:
    """pandas' ``unstack(level)`` of one partition's rows with every column of the table (``columns``: NaN
    where the partition has no row for a cell), the columns numbered ``__cell_<i>`` (every partial table
    alike, and flat for the shuffle); missing-capable dtypes.  ``marked``: also a ``__has_<i>`` column per cell,
    1 where a row gives it (a ``fill_value`` fills only the cells no row gives, not missing values)."""
    if library_of(part) == "cudf":
        from gpuscale.backends.frame.cudf_gaps import on_host

        return on_host(unstack_partition, part, level, columns, marked)
    table = part.unstack(level).reindex(columns=columns)
    table.columns = [f"__cell_{i}" for i in range(len(columns))]
    # every partial table of the dtypes that hold missing cells (one partition's may all have values)
    table = with_dtypes_by_position(table, [dtype_for_missing(d, False) for d in table.dtypes])
    if not marked:
        return table
    given = (part.isna().astype("float64") * 0 + 1).unstack(level).reindex(columns=columns)
    given.columns = [f"__has_{i}" for i in range(len(columns))]
    return pd.concat([table, given], axis=1)


def combine_unstacked(part: Any) -> Any:
    """Rows of a partial table with equal keys (from different partitions) merged into one: each cell's one
    value; a cell given twice is pandas' duplicate-entries error (told by the ``__has_<i>`` marks: a value may
    be missing).  Missing row keys are keys too."""
    if len(part) == 0:
        return part
    grouped = part.groupby(level=list(range(part.index.nlevels)), sort=False, dropna=False)
    marks = [c for c in part.columns if str(c).startswith("__has_")]
    if bool((grouped[marks].count() > 1).to_numpy().any()):
        raise ValueError(DUPLICATES)
    return grouped.first()


def finish_unstacked(part: Any, columns: Any, dtypes: list, fill_value: Any = None, sort: bool = True,
                     missing_first: bool = False) -> Any:
    """The merged table labelled with ``columns`` (missing cells NaN, or ``fill_value``), of ``dtypes``, rows
    sorted by key (``sort``; a missing key first when ``missing_first``, as pandas)."""
    if library_of(part) == "cudf":
        from gpuscale.backends.frame.cudf_gaps import on_host

        return on_host(finish_unstacked, part, columns, dtypes, fill_value, sort, missing_first)
    out = part.iloc[:, :len(columns)].copy(deep=False)
    out.columns = columns
    if part.shape[1] > len(columns):  # the cells no row gives (see ``unstack_partition(marked=True)``)
        missing = part.iloc[:, len(columns):].isna().to_numpy()
        if fill_value is not None:
            out = out.mask(missing, fill_value)
        else:  # NaN, as pandas (merged object cells came back None)
            out = _nan_in_object_cells(out, missing)
    out = with_dtypes_by_position(out, dtypes)
    return out.sort_index(na_position="first" if missing_first else "last") if sort else out


def _nan_in_object_cells(out: Any, missing: Any) -> Any:
    objects = [i for i, d in enumerate(out.dtypes) if d == np.dtype("object")]
    if not objects:
        return out
    out = out.copy()
    for i in objects:
        out.isetitem(i, out.iloc[:, i].mask(missing[:, i], np.nan))
    return out


def dtype_for_missing(dtype: Any, full: bool, fill_value: Any = None) -> Any:
    """pandas' dtype of an unstacked column of ``dtype``: kept when every cell has a value (``full``), else one
    that holds missing cells (NumPy integers: float64; booleans: object), or ``fill_value`` (pandas' choice).

    Examples
    --------
    >>> dtype_for_missing(np.dtype("int64"), False), dtype_for_missing(np.dtype("int64"), True)
    (dtype('float64'), dtype('int64'))
    >>> dtype_for_missing(np.dtype("int64"), False, 0), dtype_for_missing(np.dtype("int64"), False, 0.5)
    (dtype('int64'), dtype('float64'))
    """
    if full or not isinstance(dtype, np.dtype):
        return dtype
    if fill_value is not None:
        return _filled_dtype(dtype, fill_value)
    if dtype.kind in "iu":
        return np.dtype("float64")
    return np.dtype("object") if dtype.kind == "b" else dtype


def _filled_dtype(dtype: np.dtype, fill_value: Any) -> Any:
    """pandas' dtype of a column of ``dtype`` unstacked with cells filled by ``fill_value``, learnt on a
    sample with missing cells (pandas 3.1 warns of a value the dtype cannot hold: the user's choice)."""
    sample = pd.Series(np.zeros(2, dtype=dtype), index=pd.MultiIndex.from_tuples([(0, 0), (1, 1)]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sample.unstack(fill_value=fill_value).dtypes.iloc[0]


def missing_changes_dtype(meta: Any, fill_value: Any = None) -> bool:
    """Whether a missing value (or ``fill_value`` in its place) would change one of ``meta``'s dtypes (NumPy
    integers and booleans).

    Examples
    --------
    >>> import pandas as pd
    >>> missing_changes_dtype(pd.DataFrame({"x": [1.0], "n": [1]})), missing_changes_dtype(pd.Series([1.0]))
    (True, False)
    """
    dtypes = [meta.dtype] if is_series_like(meta) else list(meta.dtypes)
    return any(dtype_for_missing(d, False, fill_value) != d for d in dtypes)


def pivot_keys(part: Any, columns: Any, index: Any = None) -> Any:
    """``part`` indexed by ``index`` (a column; None: its own index) and then ``columns``, for ``pivot``."""
    if index is None:
        return part.set_index(columns, append=True)
    return part.set_index([index, columns])


def stack_partition(part: Any, level: int = -1) -> Any:
    """pandas' ``stack(level)`` of one partition (missing values kept: pandas 3's, asked of pandas 2.2 too)."""
    return part.stack(level, future_stack=True)


def reindex_rows(part: Any, labels: Any, dtypes: list, fill_value: Any = None) -> Any:
    """``part.reindex(labels.index)`` (``labels``: the partition of the new labels that falls in ``part``'s
    range), of ``dtypes``; missing rows NaN or ``fill_value``."""
    kwargs = {} if fill_value is None else {"fill_value": fill_value}
    out = part.reindex(labels.index, **kwargs)
    if is_series_like(out):
        return out if out.dtype == dtypes[0] else out.astype(dtypes[0])
    return with_dtypes_by_position(out, dtypes)


def transpose_partition(part: Any) -> Any:
    """``part.T`` (one partition holding every row)."""
    return part.T


def transposed_meta(meta: Any, labels: Any) -> Any:
    """The (empty) metadata of ``meta``'s frame transposed, whose index labels are ``labels``: one column per
    label, of the columns' common dtype (pandas' own choice, learnt on a host sample)."""
    from gpuscale.backends.frame.core import convert_library, meta_nonempty

    host = convert_library(meta_nonempty(meta), "pandas")
    dtype = host.T.dtypes.iloc[0] if host.shape[1] else np.dtype("object")
    out = pd.DataFrame({i: pd.Series(dtype=dtype) for i in range(len(labels))}, index=host.columns[:0])
    out.columns = labels
    return convert_library(out, library_of(meta))


def _level_dtype(meta: Any, level: int) -> Any:
    from gpuscale.backends.convert import to_host

    return to_host(meta.index).get_level_values(level).dtype


def level_labels(distinct: Any, meta: Any, level: int, missing_first: bool = False) -> Any:
    """The distinct values of index level ``level`` (computed, missing ones too) in pandas' order of the
    unstacked columns: the categories' order for a categorical level (a list), else an Index of the level's
    dtype, sorted, a missing label last (as pandas unstacks a groupby's result, whose levels list it) or first
    (``missing_first``: a label outside the levels, see :func:`missing_outside_levels`)."""
    from gpuscale.backends.convert import to_host
    from gpuscale.backends.frame.reshape import sorted_labels

    dtype = _level_dtype(meta, level)
    if isinstance(dtype, pd.CategoricalDtype):
        present = set(sorted_labels(distinct))
        return [c for c in dtype.categories if c in present]
    labels = pd.Index(pd.Series(to_host(distinct)).unique(), dtype=dtype)
    return labels.sort_values(na_position="first" if missing_first else "last")


def unstacked_columns(meta: Any, labels: list, level: int) -> Any:
    """The columns of ``meta`` (a Series or DataFrame) with its index level ``level`` unstacked to ``labels``:
    the labels (a Series), or each column label with a label appended as a last level (a DataFrame), as pandas
    names them (a categorical level gives categorical labels)."""
    name, dtype = meta.index.names[level], _level_dtype(meta, level)
    values = pd.CategoricalIndex(labels, dtype=dtype) if isinstance(dtype, pd.CategoricalDtype) else labels
    if is_series_like(meta):
        return pd.Index(values, name=name)
    columns = meta.columns
    if not isinstance(columns, pd.MultiIndex):
        return pd.MultiIndex.from_product([columns, values], names=[columns.name, name])
    # the level appended to the column levels, as pandas (from_product would take each tuple as one label)
    values = pd.Index(values)
    arrays = [columns.get_level_values(i).repeat(len(values)) for i in range(columns.nlevels)]
    return pd.MultiIndex.from_arrays(arrays + [values[np.tile(np.arange(len(values)), len(columns))]],
                                     names=[*columns.names, name])


def host_labels(labels: Any) -> Any:
    """Labels given in any form (a list, an array, a pandas or computed cuDF Index) as a pandas Index."""
    from gpuscale.backends.convert import to_host

    return pd.Index(to_host(labels) if hasattr(labels, "to_pandas") else labels)


def frame_of_labels(labels: Any) -> Any:
    """A frame without columns indexed by ``labels`` (the rows a reindex asks for)."""
    return pd.DataFrame(index=labels)
