"""Set up gpuscale.xarray's shims as soon as both gpuscale.array and xarray are imported, in either order.

xarray's dtype checks and ``map_blocks`` must know gpuscale arrays before xarray first looks up a chunk manager
(``xr.DataArray(ga_array).reindex(...)`` reaches those checks first).  With xarray already imported the shims are
set up at once; otherwise a one-shot import hook sets them up right after ``import xarray`` finishes, without
importing xarray for users who never do.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from typing import Any

__all__ = ["install"]


def _set_up_shims() -> None:
    try:
        importlib.import_module("gpuscale.xarray")
    except Exception as error:  # never break the user's ``import xarray``
        warnings.warn(f"gpuscale could not adapt xarray to gpuscale arrays ({type(error).__name__}: {error}); "
                      "xarray operations on gpuscale arrays may fail", RuntimeWarning, stacklevel=3)


class _AfterXarrayImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: on the first ``import xarray`` it lets the other finders find the module, then
    wraps its loader so the shims are set up once the module has run."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "xarray":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)  # one shot: the import below and later ones go to the other finders
        spec = importlib.util.find_spec(name)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module: Any) -> None:
            run(module)
            _set_up_shims()

        loader.exec_module = exec_module
        return spec


def install() -> None:
    """Set up the shims now (xarray imported) or right after xarray's import (see the module docstring)."""
    if "xarray" in sys.modules:
        _set_up_shims()
    elif not any(isinstance(finder, _AfterXarrayImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterXarrayImport())
