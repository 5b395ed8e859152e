"""``dask cuda worker SCHEDULER_ADDRESS [options]``: dask-cuda's command line, run by ``cuda-worker``.

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
