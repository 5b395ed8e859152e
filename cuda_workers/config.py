"""What each worker of a running cluster got: devices, memory limits, store, resources, set-up plugins.

``cluster_configuration(client)`` asks every worker (``client.run``) and ``print_cluster_config(client)``
prints it as a table, one column per worker, as dask-cuda's functions of the same names do;
``dask cuda config SCHEDULER_ADDRESS`` prints it from the command line.  Nothing here needs a GPU.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["cluster_configuration", "format_configuration", "print_cluster_config", "worker_configuration"]

_PLUGIN_PREFIX = "cuda-workers-"


def worker_configuration(dask_worker: Any) -> dict:
    """The configuration of the worker this runs on (``client.run(worker_configuration)``).

    Examples
    --------
    >>> from distributed import Client, LocalCluster
    >>> with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
    ...     config = next(iter(client.run(worker_configuration).values()))
    >>> config["nthreads"] >= 1, config["store"], config["device_memory_limit"]
    (True, 'SpillBuffer', None)
    """
    store = dask_worker.data
    device = getattr(store, "device", None)
    return {
        "address": dask_worker.address,
        "CUDA_VISIBLE_DEVICES": os.environ.get("CUDA_VISIBLE_DEVICES"),
        "nthreads": dask_worker.state.nthreads,
        "memory_limit": dask_worker.memory_manager.memory_limit,
        "device_memory_limit": getattr(getattr(device, "fast", None), "n", None),
        "store": type(store).__name__,
        "resources": dict(dask_worker.state.total_resources),
        "cpu_affinity": _affinity(),
        "plugins": {type(plugin).__name__: _public_settings(plugin)
                    for name, plugin in sorted(dask_worker.plugins.items()) if str(name).startswith(_PLUGIN_PREFIX)},
    }


def _affinity() -> list[int] | None:
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return None


def _public_settings(plugin: Any) -> dict:
    return {key: value for key, value in sorted(vars(plugin).items()) if not key.startswith("_")}


def cluster_configuration(client: Any) -> dict[str, dict]:
    """``{worker name: its configuration}`` (:func:`worker_configuration`) of every worker of ``client``'s cluster.

    Examples
    --------
    >>> from distributed import Client, LocalCluster
    >>> with LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
    ...     config = cluster_configuration(client)
    >>> len(config), sorted(next(iter(config.values())))[:4]
    (2, ['CUDA_VISIBLE_DEVICES', 'address', 'cpu_affinity', 'device_memory_limit'])
    """
    names = {address: info.get("name", address)
             for address, info in client.scheduler_info(n_workers=-1)["workers"].items()}
    named = {str(names.get(address, address)): config for address, config in client.run(worker_configuration).items()}
    # by worker name (0, 1, ... 10; cpu-0, ...), not by the random ports
    return dict(sorted(named.items(), key=lambda item: (not item[0].isdigit(), int(item[0]) if item[0].isdigit()
                                                          else 0, item[0])))


def format_configuration(configuration: dict[str, dict]) -> str:
    """A plain-text table: one row per setting (plugin settings as ``Plugin.setting``), one column per worker.

    Examples
    --------
    >>> print(format_configuration({"gpu-0": {"nthreads": 1, "plugins": {"RMMSetup": {"pool_size": 256}}},
    ...                             "gpu-1": {"nthreads": 1, "plugins": {}}}))
    setting             gpu-0  gpu-1
    nthreads            1      1
    RMMSetup.pool_size  256    -
    """
    rows: dict[str, dict[str, str]] = {}
    for worker, config in configuration.items():
        for key, value in config.items():
            if key == "plugins":
                for plugin, settings in value.items():
                    for setting, v in settings.items():
                        rows.setdefault(f"{plugin}.{setting}", {})[worker] = str(v)
            else:
                rows.setdefault(key, {})[worker] = str(value)
    workers = list(configuration)
    table = [["setting", *workers]] + [[key, *(row.get(w, "-") for w in workers)] for key, row in rows.items()]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in table)


def print_cluster_config(client: Any) -> None:
    """Print :func:`cluster_configuration` of ``client``'s cluster as a table (dask-cuda's function of that name).

    Examples
    --------
    >>> from distributed import Client, LocalCluster
    >>> with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
    ...     print_cluster_config(client)  # doctest: +ELLIPSIS
    setting ...
    address ...
    CUDA_VISIBLE_DEVICES ...
    """
    print(format_configuration(cluster_configuration(client)))
