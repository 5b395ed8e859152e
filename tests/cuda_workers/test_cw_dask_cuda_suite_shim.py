"""The stand-in ``dask_cuda`` package through which dask-cuda's own tests run against cuda_workers
(``python -m tests.dask_cuda_api.dask_cuda_suite``): its names give cuda_workers' answers on fake GPUs, its
internals fail naming themselves, and GPU-only libraries are hidden in every process of the suite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import FAKE_NVML_DIR

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, os
import dask_cuda
from dask_cuda import utils
from dask_cuda.utils_test import MockWorker
out = {"n_gpus": utils.get_n_gpus(), "memory": utils.get_device_total_memory(1), "uuid": utils.get_gpu_uuid(3),
       "mask": utils.unpack_bitmask([0b1011, 0]), "cluster": dask_cuda.LocalCUDACluster.__module__}
try:
    utils.get_ucx_config()
except NotImplementedError as error:
    out["internal"] = str(error)
try:
    import rmm
except ModuleNotFoundError as error:
    out["rmm"] = str(error)
print(json.dumps(out))
"""


def test_dask_cuda_names_give_cuda_workers_answers_on_fake_gpus():
    from tests.dask_cuda_api.dask_cuda_suite import FAKE_GPUS, HIDDEN, SHIM

    env = {k: v for k, v in os.environ.items() if k != "CUDA_VISIBLE_DEVICES"}
    env.update(PYTHONPATH=os.pathsep.join(map(str, (SHIM, ROOT, FAKE_NVML_DIR))),
               CUDA_WORKERS_FAKE_NVML=json.dumps(FAKE_GPUS), GPUSCALE_SUITE_HIDE_MODULES=",".join(HIDDEN))
    found = json.loads(subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                                      check=True, timeout=120).stdout)
    assert found["n_gpus"] == 4 and found["memory"] == 80 * 2**30 and found["uuid"] == FAKE_GPUS[3]["uuid"]
    assert found["mask"] == [0, 1, 3] and found["cluster"] == "cuda_workers.cluster"
    assert "dask_cuda.utils.get_ucx_config is a dask-cuda internal" in found["internal"]
    assert "hidden: it needs a real GPU" in found["rmm"]
    env["CUDA_VISIBLE_DEVICES"] = "2,0"
    found = json.loads(subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                                      check=True, timeout=120).stdout)
    assert found["n_gpus"] == 2
