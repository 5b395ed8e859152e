"""``dask.dataframe.utils`` as gpuscale gives it: :func:`make_meta` and :func:`assert_eq`, so code ported from
``from dask.dataframe.utils import make_meta, assert_eq`` runs as it is."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.toplevel import assert_eq

__all__ = ["make_meta", "assert_eq"]


def make_meta(x: Any, index: Any = None, parent_meta: Any = None) -> Any:
    """Empty metadata of ``x``, as dask's ``make_meta``.

    Parameters
    ----------
    x : object
        A pandas/cuDF object (its empty version), a gpuscale collection (its metadata), ``(name, dtype)`` (an
        empty Series), a dict or list of ``(name, dtype)`` (an empty DataFrame), or a dtype or scalar (a typed
        scalar of that dtype).
    index : Index, optional
        The index of a Series or DataFrame made from a spec (its empty version).
    parent_meta : pandas or cuDF object, optional
        Metadata whose library (pandas or cuDF) the result takes; pandas by default.

    Returns
    -------
    object
        An empty Series, DataFrame or Index, or a scalar.

    Examples
    --------
    >>> from gpuscale.dataframe.utils import make_meta
    >>> make_meta({"a": "i8", "b": "f8"}).dtypes.astype(str).to_dict()
    {'a': 'int64', 'b': 'float64'}
    >>> meta = make_meta(("x", "f8"))
    >>> meta.name, str(meta.dtype), len(meta)
    ('x', 'float64', 0)
    >>> make_meta("i8")
    np.int64(0)
    """
    spec = getattr(x, "_meta", x)  # (a gpuscale collection: its own metadata)
    like = parent_meta if parent_meta is not None else index
    out = bf.meta_from_spec(spec, bf.library_of(like) if like is not None else "pandas")
    if index is not None and bf.is_frame_like(out) and not bf.is_index_like(out) and not bf.is_frame_like(spec):
        out.index = bf.make_meta(getattr(index, "_meta", index))
    return out
