"""``dask cuda worker SCHEDULER_ADDRESS [options]`` and ``dask cuda config SCHEDULER_ADDRESS``: dask-cuda's
command line, run by ``cuda-worker`` and :func:`cuda_workers.print_cluster_config`.

Registered under dask's ``dask_cli`` entry points (as dask-cuda registers its own ``cuda`` group), so
job scripts written for dask-cuda (``dask cuda worker tcp://10.0.0.1:8786 --rmm-pool-size 10GB``) start
cuda_workers' per-GPU workers unchanged.  The arguments go to :func:`cuda_workers.cli.main` as they are;
its options are dask-cuda's (docs/cuda_workers.md).  Only ``click``, which dask's command line is made
of, is imported here.
"""

from __future__ import annotations

import click


@click.group(name="cuda", help="Per-GPU Dask workers (cuda_workers).")
def cuda() -> None:
    """The ``dask cuda`` group."""


@cuda.command(name="worker", add_help_option=False,
              context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
              help="One worker per GPU of this node joins a scheduler (see cuda-worker --help).")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def worker(args: tuple[str, ...]) -> None:
    """``dask cuda worker ...`` = ``cuda-worker ...``: the exit status is cuda-worker's."""
    from .cli import main

    raise SystemExit(main(list(args)))


@cuda.command(name="config", help="Print what each worker of a running cluster got (devices, limits, set-up).")
@click.argument("scheduler", required=False)
@click.option("--scheduler-file", help="read the scheduler's address from this JSON file")
def config(scheduler: str | None, scheduler_file: str | None) -> None:
    """``dask cuda config SCHEDULER`` (or ``--scheduler-file``): the cluster's configuration as a table."""
    if (scheduler is None) == (scheduler_file is None):
        raise click.UsageError("give the scheduler's address or --scheduler-file (one of them)")
    from distributed import Client

    from .node import StartError, read_scheduler_file
    from .config import print_cluster_config

    try:
        address = scheduler if scheduler is not None else read_scheduler_file(scheduler_file)
    except StartError as error:
        raise click.ClickException(str(error)) from None
    try:
        client = Client(address, timeout="30s")
    except OSError as error:
        raise click.ClickException(f"cannot reach the scheduler at {address}: {error}") from None
    with client:
        print_cluster_config(client)
