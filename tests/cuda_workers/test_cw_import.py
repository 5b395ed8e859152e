"""``import cuda_workers`` stays light: no distributed, no GPU library, until a cluster is made."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(m.partition('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return set(out.split())


def test_import_loads_neither_distributed_nor_gpu_libraries():
    loaded = _modules_after("import cuda_workers")
    assert not loaded & {"distributed", "dask", "rmm", "cupy", "cudf", "numba", "pynvml", "numpy"}


def test_cluster_class_loads_no_gpu_library_beyond_what_distributed_loads():
    # distributed itself imports rmm (its RMM diagnostics) when installed; importing is not
    # creating a CUDA context, but we add nothing of our own.
    loaded = _modules_after("from cuda_workers import LocalCUDACluster")
    baseline = _modules_after("import distributed")
    assert "distributed" in loaded
    assert not (loaded - baseline) & {"rmm", "cupy", "cudf", "numba", "pynvml"}
