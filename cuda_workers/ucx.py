"""UCX transport settings for ``protocol="ucx"`` (ucxx + distributed-ucxx).

distributed-ucxx reads its options from the ``distributed-ucxx`` Dask config section
when UCX is first initialised in a process, and turns the high-level switches into
``UCX_TLS``: ``tcp`` → ``tcp``, ``nvlink`` → ``+cuda_copy,cuda_ipc``,
``infiniband`` → ``rc,…``. Two rules shape what we pass:

* GPU workers get the CUDA transports (and a CUDA context created before UCX starts,
  which UCX needs to register device memory) only when they have a GPU.
* CPU workers and the parent process (scheduler, client) use TCP, shared memory and
  self only: no ``cuda*`` transport, so nothing there touches a GPU.

An explicit ``UCX_TLS`` in the environment still wins, as in distributed-ucxx.
"""

from __future__ import annotations

from contextlib import contextmanager

CPU_TRANSPORTS = "tcp,self,sm"


def worker_config(settings, *, gpu: bool) -> dict:
    """Dask config for one worker process (passed through ``Nanny(config=…)``).

    On a GPU, leaving ``enable_tcp_over_ucx``, ``enable_nvlink`` and ``enable_infiniband``
    unset lets UCX pick every transport it finds (NVLink and InfiniBand included);
    setting any of them switches to an explicit list, as in dask-cuda: TCP + CUDA
    copies, plus NVLink / InfiniBand if True (and the RDMA connection manager first
    if ``enable_rdmacm``).
    """
    if not gpu:
        return _dotted(_cpu_only())
    config = {"create-cuda-context": True, "environment": {"warn-unused-env-vars": "n"}}
    if any(getattr(settings, name) is not None for name in ("enable_tcp_over_ucx", "enable_nvlink", "enable_infiniband")):
        config.update(tcp=settings.enable_tcp_over_ucx is not False, nvlink=bool(settings.enable_nvlink),
                      infiniband=bool(settings.enable_infiniband), rdmacm=bool(settings.enable_rdmacm),
                      **{"cuda-copy": True})
    return _dotted(config)


def parent_config(settings) -> dict:
    """Dask config for the parent: the scheduler and client use TCP (and IB if asked), no CUDA."""
    config = _cpu_only()
    if settings.enable_infiniband:
        config.update(tcp=True, infiniband=True, nvlink=False, rdmacm=bool(settings.enable_rdmacm),
                      environment={"warn-unused-env-vars": "n"}, **{"cuda-copy": False})
    return _dotted(config)


def _cpu_only() -> dict:
    # High-level switches stay None so that ``environment`` (UCX_TLS) is honoured as is.
    return {
        "tcp": None, "nvlink": None, "infiniband": None, "rdmacm": None, "cuda-copy": None,
        "create-cuda-context": False,
        "environment": {"tls": CPU_TRANSPORTS, "warn-unused-env-vars": "n"},
    }


def _dotted(config: dict) -> dict:
    # Dotted keys update single options; a nested dict would replace the whole section.
    return {f"distributed-ucxx.{key}": value for key, value in config.items()}


def worker_environment() -> dict[str, str]:
    """Environment variables for worker processes (read by UCX when it starts)."""
    return {"UCX_WARN_UNUSED_ENV_VARS": "n"}


@contextmanager
def parent_settings(settings):
    """Apply :func:`parent_config` while the scheduler (and its UCX context) starts."""
    import os

    import dask

    if settings.protocol != "ucx":
        yield
        return
    # UCX reads this one when its library loads (before any config applies) and otherwise
    # warns about UCX_MEMTYPE_CACHE, which ucxx itself sets; children inherit it.
    os.environ.setdefault("UCX_WARN_UNUSED_ENV_VARS", "n")
    with dask.config.set(parent_config(settings)):
        yield
