"""Rolling-window options beyond the plain aggregations: pairwise statistics and ``apply`` engines
(pandas or cuDF)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import library_of

__all__ = ["rolling_pairwise_available", "rolling_engine_options"]


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
