"""UCX transport mapping, checked through distributed-ucxx's own translation to UCX_TLS."""

from __future__ import annotations

import dask
import pytest

from cuda_workers import ucx
from cuda_workers.settings import Settings

distributed_ucxx = pytest.importorskip("distributed_ucxx.ucxx")


def _tls(config: dict) -> str:
    with dask.config.set(config):
        high_level, environment = distributed_ucxx._prepare_ucx_config()
    return high_level.get("TLS") or environment.get("UCX_TLS", "<UCX default>")


@pytest.mark.parametrize(
    ("options", "gpu", "expected"),
    [
        ({}, False, "tcp,self,sm"),  # CPU workers: never cuda*
        ({"enable_nvlink": True}, False, "tcp,self,sm"),
        ({}, True, "<UCX default>"),  # GPU, nothing asked: UCX picks NVLink/IB itself
        ({"enable_nvlink": True}, True, "tcp,cuda_copy,cuda_ipc"),
        ({"enable_nvlink": False}, True, "tcp,cuda_copy"),
        ({"enable_infiniband": True}, True, "rc,tcp,cuda_copy"),
        ({"enable_infiniband": True, "enable_nvlink": True}, True, "rc,tcp,cuda_copy,cuda_ipc"),
    ],
)
def test_worker_transports(options, gpu, expected):
    assert _tls(ucx.worker_config(Settings(protocol="ucx", **options), gpu=gpu)) == expected


@pytest.mark.parametrize(("options", "expected"), [({}, "tcp,self,sm"), ({"enable_nvlink": True}, "tcp,self,sm"),
                                                   ({"enable_infiniband": True}, "rc,tcp")])
def test_parent_never_uses_cuda_transports(options, expected):
    config = ucx.parent_config(Settings(protocol="ucx", **options))
    assert _tls(config) == expected
    assert config["distributed-ucxx.create-cuda-context"] is False


def test_gpu_workers_create_their_cuda_context_before_ucx():
    config = ucx.worker_config(Settings(protocol="ucx"), gpu=True)
    assert config["distributed-ucxx.create-cuda-context"] is True
    assert ucx.worker_config(Settings(protocol="ucx"), gpu=False)["distributed-ucxx.create-cuda-context"] is False
