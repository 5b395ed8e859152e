"""Rolling-window options beyond the plain aggregations: pairwise statistics, windows with another Series or
along a column, and ``apply`` engines (pandas or cuDF)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import is_series_like, library_of

__all__ = ["rolling_pairwise_available", "rolling_engine_options", "rolling_pair", "rolling_on_restored"]


def rolling_pairwise_available(obj: Any) -> bool:
    """Whether the partition library of ``obj`` has rolling ``cov``/``corr`` (cuDF's Rolling has neither)."""
    return library_of(obj) != "cudf"


def rolling_engine_options(obj: Any, engine: Any, engine_kwargs: dict | None) -> dict:
    """The ``engine``/``engine_kwargs`` keywords of ``Rolling.apply`` for the library of ``obj``.

    pandas takes them as given; cuDF always compiles ``func`` with numba and has no such keywords, so
    ``engine="numba"`` (or none) is what it does anyway and anything else is refused.
    """
    if library_of(obj) != "cudf":
        options: dict = {}
        if engine is not None:
            options["engine"] = engine
        if engine_kwargs:
            options["engine_kwargs"] = dict(engine_kwargs)
        return options
    if engine not in (None, "numba") or engine_kwargs:
        raise NotImplementedError(f"rolling(...).apply on cuDF partitions always compiles func with numba: "
                                  f"engine={engine!r} and engine_kwargs are not supported there")
    return {}


def rolling_pair(pair: Any, window: Any, rolling_kwargs: dict, how: str, ddof: int = 1, name: Any = None) -> Any:
    """``left.rolling(window).<how>(right, ddof=)`` of a frame holding the two Series (``__left__`` and
    ``__right__``), named ``name`` (on the host where cuDF's ``Rolling`` has no ``corr``/``cov``)."""
    if library_of(pair) != "pandas":
        from gpuscale.backends.frame.cudf_gaps import on_host

        return on_host(rolling_pair, pair, window, rolling_kwargs, how, ddof, name)
    left, right = pair["__left__"], pair["__right__"]
    return getattr(left.rolling(window, **rolling_kwargs), how)(right, ddof=ddof).rename(name)


def rolling_on_restored(result: Any, source: Any, on: Any, columns: list) -> Any:
    """A partition's windows computed along column ``on`` (the index meanwhile) given back ``source``'s index,
    with ``on``'s values in its place among ``columns`` (pandas keeps that column as it is)."""
    if is_series_like(result):
        out = result.reset_index(drop=True)
        out.index = source.index
        return out
    out = result.reset_index(drop=True)
    out[on] = source[on].reset_index(drop=True)
    out.index = source.index
    return out[[c for c in columns if c in out.columns]]
