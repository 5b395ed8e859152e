"""Started in every process of the dask-cuda suite (this folder is first on ``PYTHONPATH``).

On the CPU-only machine the fake GPUs are NVML's only: RAPIDS libraries that need the CUDA driver (RMM, cuDF, CuPy,
UCX) are hidden, so dask-cuda's tests of them skip as they do where those libraries are not installed, and
cuda_workers refuses options that need them.  This module shadows any other ``sitecustomize``, so it then runs
each of the others on ``sys.path`` in turn (the fake NVML's of tests/cuda_workers, a site's own).
"""

import importlib.abc
import importlib.util
import os
import sys

_HIDDEN = tuple(filter(None, os.environ.get("GPUSCALE_SUITE_HIDE_MODULES", "").split(",")))


class _Hidden(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in _HIDDEN or name in _HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r} (hidden: it needs a real GPU)", name=name)
        return None


def _run_the_others() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    for n, entry in enumerate(dict.fromkeys(os.path.abspath(e or os.curdir) for e in sys.path)):
        candidate = os.path.join(entry, "sitecustomize.py")
        if entry != here and os.path.isfile(candidate):
            spec = importlib.util.spec_from_file_location(f"_sitecustomize_{n}", candidate)
            spec.loader.exec_module(importlib.util.module_from_spec(spec))


if _HIDDEN:
    sys.meta_path.insert(0, _Hidden())
_run_the_others()
