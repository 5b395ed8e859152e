"""This machine's GPUs joining a running scheduler: the node's settings and worker specs, and ``CUDAWorker``.

``CUDAWorker`` (dask-cuda's class of that name) starts one Nanny per visible GPU in the running event loop;
the ``cuda-worker`` command (:mod:`cuda_workers.cli`) plans the same specs from its arguments.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from .settings import Settings, SettingsError, check_dashboard_address, check_death_timeout

__all__ = ["CUDAWorker", "StartError", "address_options", "connect_timeout", "node_settings", "plan_node",
           "read_scheduler_file"]


def node_settings(scheduler_address: str, listen_address: str | None = None, **options: Any) -> Settings:
    """Settings for workers joining ``scheduler_address``: the protocol is the address's scheme unless given,
    and without ``host``/``interface`` (or a ``listen_address``) the workers listen on this node's address towards
    the scheduler.

    Examples
    --------
    >>> s = node_settings("tcp://127.0.0.1:8786", device_memory_limit="0.7")
    >>> s.protocol, s.host, s.device_memory_limit
    ('tcp', '127.0.0.1', 0.7)
    """
    if options.get("protocol") is None:
        options["protocol"] = _scheme(scheduler_address)
    if options.get("host") is None and options.get("interface") is None and listen_address is None:
        try:
            options["host"] = _address_towards(scheduler_address)
        except ValueError as error:  # e.g. no port
            raise SettingsError("SCHEDULER_ADDRESS", str(error)) from None
    options.setdefault("dashboard_address", None)
    return Settings(**options)


def _scheme(address: str) -> str:
    return address.split("://", 1)[0] if "://" in address else "tcp"


def _address_towards(address: str) -> str:
    """The local IP that routes to the scheduler: loopback stays loopback, never 0.0.0.0."""
    from distributed.comm import get_address_host
    from distributed.utils import get_ip

    host = get_address_host(address)
    if host in ("localhost", "127.0.0.1", "::1"):
        return "127.0.0.1"
    return get_ip(host)


def address_options(n_workers: int, *, user_host: bool = False, listen_address: str | None = None,
                    contact_address: str | None = None, worker_port: Any = None) -> list[dict]:
    """Each worker's Nanny keywords for where it listens and how others reach it (dask-cuda's rules).

    ``listen_address`` (with ``contact_address``, the address others dial when it differs, as behind NAT or in a
    container; by default the listen address) suits one worker only; ``worker_port`` gives each worker its own
    port of a range ``"9000:9003"``.

    Examples
    --------
    >>> address_options(2, worker_port="9000:9001")
    [{'worker_port': 9000}, {'worker_port': 9001}]
    >>> address_options(1, listen_address="tcp://0.0.0.0:9000", contact_address="tcp://10.0.0.5:31000")
    [{'host': '0.0.0.0', 'worker_port': 9000, 'contact_address': 'tcp://10.0.0.5:31000'}]
    >>> address_options(3, worker_port="9000:9001")
    Traceback (most recent call last):
    ...
    cuda_workers.settings.SettingsError: worker_port: Not enough ports in --worker-port range for 3 GPUs: give one per worker, e.g. 9000:9002
    """
    if listen_address and user_host:
        raise SettingsError("listen_address", "Cannot specify listen_address when host or interface is given")
    if contact_address and not listen_address:
        raise SettingsError("contact_address", "Must specify listen_address when contact_address is provided")
    if (listen_address or contact_address) and n_workers > 1:
        raise SettingsError("listen_address", f"Cannot specify listen_address or contact_address when using "
                                              f"multiple GPUs ({n_workers} workers would share one address)")
    if listen_address:
        if worker_port:
            raise SettingsError("worker_port", "Cannot specify worker_port when listen_address is given (the port "
                                               "is the listen address's)")
        # distributed's Nanny takes a listen_address but does not use it: the worker binds to host:worker_port
        from distributed.comm import parse_address, parse_host_port

        try:
            host, port = parse_host_port(parse_address(listen_address)[1])
        except ValueError as error:
            raise SettingsError("listen_address", f"cannot read {listen_address!r} ({error})") from None
        return [{"host": host, "worker_port": port, "contact_address": contact_address or listen_address}]
    if not worker_port:
        return [{} for _ in range(n_workers)]
    from distributed.utils import parse_ports

    try:
        ports = parse_ports(worker_port)
    except ValueError as error:
        raise SettingsError("worker_port", f"cannot read {worker_port!r} ({error})") from None
    if len(ports) < n_workers:
        raise SettingsError("worker_port", f"Not enough ports in --worker-port range for {n_workers} GPUs: give "
                                           f"one per worker, e.g. {ports[0]}:{ports[0] + n_workers - 1}")
    return [{"worker_port": port} for port in ports[:n_workers]]


def plan_node(settings: Settings, prefix: str | None = None, *, listen_address: str | None = None,
              contact_address: str | None = None, worker_port: Any = None, **overrides: Any) -> tuple[list, Any]:
    """The Nanny specs of this node's workers (named ``<prefix>gpu-<device>``, the prefix by default the host
    name and a dash) and their private folder (the caller closes it); ``overrides`` as
    :func:`~cuda_workers.spec.apply_worker_overrides` takes them, the addresses as :func:`address_options`.
    Checks that need the hardware raise here, before any start."""
    import warnings

    from .cluster import plan_cluster, private_folder, without_gpu_monitor
    from .spec import apply_worker_overrides, worker_spec

    check_death_timeout(overrides.get("death_timeout"))
    check_dashboard_address("dashboard_address", overrides.get("dashboard_address"))
    if prefix is None:
        prefix = f"{socket.gethostname()}-"
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        _, plans = plan_cluster(settings, prefix)
    _warn_about_cudf_spill(settings)
    addresses = address_options(len(plans), user_host=settings.host is not None or settings.interface is not None,
                                listen_address=listen_address, contact_address=contact_address,
                                worker_port=worker_port)
    folder = private_folder(settings.local_directory)
    specs = [worker_spec(plan, settings, folder.path) for plan in plans]
    for spec, address in zip(specs, addresses):
        apply_worker_overrides(spec, **overrides, **address)
        if "contact_address" in address:  # the worker binds where it was told, not on an interface
            spec["options"].pop("interface", None)
    without_gpu_monitor(specs)
    return specs, folder


def _warn_about_cudf_spill(settings: Settings) -> None:
    """Workers joining from elsewhere spill cuDF objects; the client holding results should too (dask-cuda's
    warning, silenced by ``DASK_CUDF_SPILL_WARNING=False``)."""
    import warnings

    import dask

    if settings.enable_cudf_spill and dask.config.get("cudf-spill-warning", default=True):
        warnings.warn("cuDF spilling is enabled on these workers: set CUDF_SPILL=on in the client's process too, "
                      "so the cuDF results it holds can spill (DASK_CUDF_SPILL_WARNING=False silences this)",
                      UserWarning, stacklevel=3)


def connect_timeout() -> float:
    """distributed's connect timeout in seconds (``distributed.comm.timeouts.connect``).

    Raises ``SettingsError`` naming ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT`` for a value that is no
    duration, or a negative one (dask raised a bare KeyError or ValueError).

    Examples
    --------
    >>> import dask
    >>> with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
    ...     connect_timeout()
    2
    """
    import importlib

    import dask
    from dask.utils import parse_timedelta

    importlib.import_module("distributed")  # loads distributed's config: the default
    value = dask.config.get("distributed.comm.timeouts.connect")
    try:
        seconds = parse_timedelta(value, default="seconds")
    except (KeyError, ValueError, TypeError):
        seconds = None
    if seconds is None or seconds < 0:
        raise SettingsError("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT",
                            f"expected a duration like '30s' (distributed.comm.timeouts.connect); got {value!r}")
    return seconds


class StartError(Exception):
    """The scheduler cannot be reached, or a worker failed to start (one line for the user)."""


def read_scheduler_file(path: str) -> str:
    """The address in a ``dask scheduler --scheduler-file`` JSON file, waiting for the file to appear.

    A job script often starts the workers beside the scheduler: the file is waited for
    up to distributed's connect timeout, then ``StartError`` names it.

    Examples
    --------
    >>> import json, tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    ...     json.dump({"address": "tcp://10.0.0.1:8786", "type": "Scheduler"}, f)
    >>> read_scheduler_file(f.name)
    'tcp://10.0.0.1:8786'
    """
    import json
    import os
    import time

    timeout = connect_timeout()
    deadline = time.monotonic() + timeout
    while True:
        try:
            with open(path) as file:
                address = json.load(file).get("address")
        except (FileNotFoundError, json.JSONDecodeError):  # not there yet, or being written
            address = None
        except (OSError, AttributeError) as error:
            raise StartError(f"cannot read the scheduler file {path}: {error}") from None
        if isinstance(address, str) and address:
            return address
        if time.monotonic() > deadline:
            state = "holds no scheduler address" if os.path.exists(path) else "does not exist"
            raise StartError(f"the scheduler file {path} {state} after {timeout:g} s; is the scheduler running?")
        time.sleep(0.1)


class CUDAWorker:
    """One worker per visible GPU of this machine joining ``scheduler`` (dask-cuda's ``CUDAWorker``).

    Parameters
    ----------
    scheduler : str or cluster, optional
        The scheduler's address, or a cluster (its ``scheduler_address``).
    scheduler_file : str, optional
        Read the address from a ``dask scheduler --scheduler-file`` file instead.
    name : str, optional
        Workers are named ``NAME-gpu-<device>`` (default: the host name).
    nthreads : int, optional
        Threads per worker.
    resources : dict, optional
        Resources each worker offers besides ``GPU=1``.
    death_timeout, preload, worker_class, data
        As for ``LocalCUDACluster`` / ``dask worker``.
    listen_address, contact_address : str, optional
        Where the one worker listens (``"tcp://0.0.0.0:9000"``) and the address others dial (by default the same;
        differs behind NAT or in a container); not with ``host``/``interface`` or several GPUs.
    worker_port : int or str, optional
        A port, or a range ``"9000:9003"`` giving each worker its own.
    **options
        Any :class:`~cuda_workers.settings.Settings` field (``rmm_pool_size``, ``device_memory_limit``, ...).

    Examples
    --------
    Awaited in a running event loop; on a machine without a GPU it starts CPU workers:

    >>> import asyncio, warnings
    >>> from distributed import Client, LocalCluster
    >>> async def add_workers():
    ...     async with LocalCluster(n_workers=0, asynchronous=True, host="127.0.0.1",
    ...                             dashboard_address=None) as cluster:
    ...         async with Client(cluster, asynchronous=True) as client:
    ...             with warnings.catch_warnings():
    ...                 warnings.simplefilter("ignore")
    ...                 node = await CUDAWorker(cluster, n_workers=1, name="node1")
    ...             await client.wait_for_workers(1)
    ...             names = list((await client.run(lambda dask_worker: dask_worker.name)).values())
    ...             await node.close()
    ...             return names
    >>> asyncio.run(add_workers())
    ['node1-cpu-0']
    """

    def __init__(self, scheduler: Any = None, *, scheduler_file: str | None = None, name: str | None = None,
                 nthreads: int | None = None, resources: dict | None = None, death_timeout: Any = None,
                 preload: Any = (), worker_class: Any = None, data: Any = None, listen_address: str | None = None,
                 contact_address: str | None = None, worker_port: Any = None, **options: Any):
        address = getattr(scheduler, "scheduler_address", scheduler)
        if scheduler_file is not None:
            address = read_scheduler_file(scheduler_file)
        if not address:
            raise SettingsError("scheduler", "give the scheduler's address, a cluster, or scheduler_file=")
        self.scheduler_address = address
        self.settings = node_settings(address, listen_address, threads_per_worker=nthreads, **options)
        prefix = f"{name}-" if name else None
        self._specs, self._folder = plan_node(self.settings, prefix, listen_address=listen_address,
                                              contact_address=contact_address, worker_port=worker_port,
                                              death_timeout=death_timeout,
                                              preload=list(preload) or None, resources=resources,
                                              worker_class=worker_class, data=data)
        self.nannies: list = []
        self._release_parent = None

    def __await__(self):
        return self._start().__await__()

    async def _start(self) -> CUDAWorker:
        from .cluster import hold_parent_monitor
        from .ucx import parent_settings

        if self._release_parent is None:
            self._release_parent = hold_parent_monitor()  # released by close()
        try:
            with parent_settings(self.settings):  # the Nannies talk to the scheduler without CUDA
                self.nannies = [spec["cls"](self.scheduler_address, **spec["options"]) for spec in self._specs]
                await asyncio.gather(*self.nannies)
        except BaseException:
            self._release_parent()
            raise
        return self

    async def finished(self) -> None:
        """Wait until every worker has ended."""
        await asyncio.gather(*(nanny.finished() for nanny in self.nannies))

    async def close(self, timeout: float = 5) -> None:
        """Stop the workers and remove their private folder."""
        try:
            await asyncio.gather(*(nanny.close(timeout=timeout) for nanny in self.nannies), return_exceptions=True)
        finally:
            self._folder.close()
            if self._release_parent is not None:
                self._release_parent()
