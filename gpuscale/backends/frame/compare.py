"""Partition functions of ``compare`` (pandas' table of the values that differ; cuDF has no ``compare``: the last
step runs on a host copy there).

pandas masks the equal values (before it keeps only the columns holding a difference somewhere and the rows
holding one); which columns survive, and whether a column gets a masked (missing) value anywhere and so another
dtype, depend on the whole frame.  :func:`compare_flags` answers both per partition (combined with ``any``), then
:func:`compare_part` builds each partition's rows with the dtypes of the whole result.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import from_library, is_dataframe_like, library_of

__all__ = ["compare_flags", "compare_part", "compare_meta"]

_UNLIKE = "Can only compare identically-labeled (both index and columns) {kind} objects"


def _differs(a: Any, b: Any) -> Any:
    """Where ``a`` and ``b`` hold different values (both missing counts as equal, one missing as different), as
    pandas decides it (cuDF's and pandas' nullable comparisons give a missing value where one side is missing)."""
    return ~((a == b).fillna(False) | (a.isna() & b.isna()))


def _check_labels(a: Any, b: Any) -> None:
    if len(a) != len(b) or not bool(a.index.equals(b.index)):
        raise ValueError(_UNLIKE.format(kind="DataFrame" if is_dataframe_like(a) else "Series"))


def _kept_rows(differs: Any) -> Any:
    return differs.any(axis=1) if is_dataframe_like(differs) else differs


def compare_flags(a: Any, b: Any) -> Any:
    """A one-row frame: per column (position ``i``) whether a value differs (``d{i}``) and whether one is equal
    (``m{i}``: pandas masks it, so the column's dtype is one with missing values)."""
    _check_labels(a, b)
    differs = _differs(a, b)
    if not is_dataframe_like(a):
        flags = {"d0": [bool(differs.any())], "m0": [bool((~differs).any())]}
    else:
        any_diff, any_equal = differs.any(), (~differs).any()
        flags = {}
        for i in range(len(a.columns)):
            flags[f"d{i}"] = [bool(any_diff.iloc[i])]
            flags[f"m{i}"] = [bool(any_equal.iloc[i])]
    return from_library(library_of(a)).DataFrame(flags)


def compare_meta(sample: Any, masked: list, align_axis: Any, result_names: tuple) -> Any:
    """pandas' ``compare`` result of frames like ``sample`` (nonempty) whose columns ``masked`` (positions) get
    missing values: its columns and dtypes (worked out on the host for cuDF, which has no ``compare``)."""
    if library_of(sample) != "pandas":
        from gpuscale.backends.frame.cudf_gaps import all_on_host

        return all_on_host(compare_meta, sample, masked, align_axis, result_names)
    if is_dataframe_like(sample):
        out = sample.copy()
        for i in masked:  # every value masked: the dtype pandas gives a column with missing values
            out[out.columns[i]] = sample.iloc[:, i].where(sample.iloc[:, i].isna())
    else:
        out = sample.where(sample.isna()) if masked else sample
    return out.compare(out, align_axis=align_axis, keep_shape=True, keep_equal=True, result_names=result_names)


def compare_part(a: Any, b: Any, columns: list, align_axis: Any = 1, keep_shape: bool = False,
                 keep_equal: bool = False, result_names: tuple = ("self", "other"), dtypes: Any = None) -> Any:
    """pandas' ``a.compare(b, ...)`` of one partition restricted to ``columns`` (those differing somewhere in the
    whole frame; None: a Series), cast to the whole result's ``dtypes``."""
    if library_of(a) != "pandas":
        from gpuscale.backends.frame.cudf_gaps import all_on_host

        return all_on_host(compare_part, a, b, columns, align_axis, keep_shape, keep_equal, result_names, dtypes)
    _check_labels(a, b)
    if columns is not None:
        a, b = a[columns], b[columns]
    if not keep_shape:
        rows = _kept_rows(_differs(a, b))
        a, b = a[rows], b[rows]
    out = a.compare(b, align_axis=align_axis, keep_shape=True, keep_equal=keep_equal, result_names=result_names)
    return out.astype(dtypes) if dtypes is not None else out
