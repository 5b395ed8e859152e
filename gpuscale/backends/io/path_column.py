"""The ``include_path_column`` of ``read_csv`` / ``read_json``: each row's file as a known categorical.

Every partition's column has the same categories (all files of the read, sorted), so the column's
categories are known and partitions concatenate without re-coding, as in dask.
"""

from __future__ import annotations

from typing import Any, Iterable

__all__ = ["check_path_column", "path_dtype", "with_path_column"]


def check_path_column(name: str, columns: Any, who: str) -> None:
    """The path column must not replace a column of the files."""
    if name in list(columns):
        raise ValueError(f"{who}: Files already contain the column name {name!r}, so the path column cannot "
                         "use it; pass another name as include_path_column=")


def path_dtype(paths: Iterable[str]) -> Any:
    """The (pandas) categorical dtype of a path column: the distinct paths, sorted."""
    import pandas as pd

    return pd.CategoricalDtype(sorted(set(paths)))


def with_path_column(frame: Any, name: str, path: str, dtype: Any) -> Any:
    """``frame`` (pandas or cuDF) with column ``name`` holding ``path`` in every row, of categorical ``dtype``."""
    import pandas as pd

    if isinstance(frame, pd.DataFrame):
        import numpy as np

        code = list(dtype.categories).index(path)
        values = pd.Categorical.from_codes(np.full(len(frame), code), dtype=dtype)
        return frame.assign(**{name: values})
    import cudf

    device_dtype = cudf.CategoricalDtype(categories=list(dtype.categories), ordered=False)
    frame = frame.copy(deep=False)
    frame[name] = path  # cuDF broadcasts the scalar, then codes it against every file's path
    frame[name] = frame[name].astype(device_dtype)
    return frame
