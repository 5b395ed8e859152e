"""``import gpuscale`` stays light: heavy libraries load on first use only."""

import json
import subprocess
import sys

HEAVY = ["numpy", "pandas", "pyarrow", "cupy", "cudf", "distributed", "dask", "numba", "rmm"]


def _modules_after(statement: str) -> set[str]:
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_import_gpuscale_is_light():
    loaded = _modules_after("import gpuscale")
    assert not loaded.intersection(HEAVY), sorted(loaded.intersection(HEAVY))


def test_config_and_backend_questions_stay_light():
    loaded = _modules_after("import gpuscale; gpuscale.config.set(backend='cpu'); "
                            "gpuscale.backends.resolve_frame_backend('auto')")
    assert not loaded.intersection(HEAVY), sorted(loaded.intersection(HEAVY))


def test_import_cuda_workers_loads_no_gpu_library():
    loaded = _modules_after("import cuda_workers")
    assert not loaded.intersection({"cupy", "cudf", "rmm", "numba"})
