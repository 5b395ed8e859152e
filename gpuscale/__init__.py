"""gpuscale: scale pandas and NumPy code across CPU cores, GPUs and Dask clusters.

``import gpuscale`` is light: the array and dataframe libraries, the runtime and
``distributed`` are imported on first use of the attribute that needs them.
"""

from __future__ import annotations

import importlib
from typing import Any

from gpuscale import config

__version__ = "0.1.0.dev0"

# attribute -> "module:attribute" (or "module" for a submodule), loaded on first access
_LAZY = {
    "compute": "gpuscale.collection:compute",
    "persist": "gpuscale.collection:persist",
    "get": "gpuscale.runtime:get",
    "array": "gpuscale.array",
    "dataframe": "gpuscale.dataframe",
    "datasets": "gpuscale.datasets",
    "backends": "gpuscale.backends",
    "testing": "gpuscale.testing",
    "vectorize": "gpuscale.kernels:vectorize",
    "stencil": "gpuscale.kernels:stencil",
    "guvectorize": "gpuscale.kernels:guvectorize",
}

__all__ = ["config", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    try:
        target = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'gpuscale' has no attribute {name!r}") from None
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    value = getattr(module, attr) if attr else module
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
