"""Installs the fake NVML in every process that has this directory on PYTHONPATH."""

import os

if os.environ.get("CUDA_WORKERS_FAKE_NVML"):
    import fake_pynvml

    fake_pynvml.install_from_environment()
