"""``cuda-worker SCHEDULER_ADDRESS [options]``: one worker (Nanny) per visible GPU on this node.

The multi-node path: start ``dask scheduler`` somewhere, then ``cuda-worker`` on every
GPU node. Options are the :class:`~cuda_workers.settings.Settings` fields with dashes.
``cuda-worker --show-devices`` prints what NVML finds and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import socket
import sys
import tempfile
import warnings

from .settings import SettingsError

_SIZE_OPTIONS = ("memory_limit", "device_memory_limit", "rmm_pool_size", "rmm_maximum_pool_size",
                 "rmm_release_threshold")
_FLAGS = ("rmm_async", "rmm_managed_memory", "enable_cudf_spill")
_TEXT_OPTIONS = ("devices", "local_directory", "rmm_log_directory", "pre_import", "protocol", "interface", "host")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cuda-worker", description=__doc__.splitlines()[0])
    parser.add_argument("scheduler_address", nargs="?", help="e.g. tcp://10.0.0.1:8786 or ucx://…")
    parser.add_argument("--show-devices", action="store_true", help="print the GPUs found and exit")
    parser.add_argument("--n-workers", type=int, help="workers to start (default: one per visible GPU)")
    parser.add_argument("--nthreads", "--threads-per-worker", dest="threads_per_worker", type=int)
    for name in _SIZE_OPTIONS:
        parser.add_argument(_flag(name), help="bytes, '4GB', or a fraction like 0.8 / '80%%'")
    for name in _TEXT_OPTIONS:
        parser.add_argument(_flag(name))
    for name in _FLAGS:
        parser.add_argument(_flag(name), action="store_true")
    for name in ("enable_nvlink", "enable_infiniband"):
        parser.add_argument(_flag(name), action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--no-cpu-fallback", dest="cpu_fallback", action="store_false",
                        help="fail instead of starting CPU workers when there is no GPU")
    parser.add_argument("--name-prefix", default=None, help="worker name prefix (default: hostname-)")
    for name in ("tls_ca_file", "tls_cert", "tls_key"):
        parser.add_argument(_flag(name))
    return parser


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def settings_from_args(args: argparse.Namespace):
    """Build validated Settings from parsed arguments (sizes as given; Settings parses them)."""
    from .settings import Settings

    options = {name: getattr(args, name) for name in (*_SIZE_OPTIONS, *_TEXT_OPTIONS, *_FLAGS)}
    options = {k: _number_or_text(v) if k in _SIZE_OPTIONS else v
               for k, v in options.items() if v not in (None, False)}
    options.setdefault("protocol", _scheme(args.scheduler_address))
    if "host" not in options and "interface" not in options:
        options["host"] = _address_towards(args.scheduler_address)
    return Settings(
        n_workers=args.n_workers, threads_per_worker=args.threads_per_worker,
        enable_nvlink=args.enable_nvlink, enable_infiniband=args.enable_infiniband,
        cpu_fallback=args.cpu_fallback, security=_security(args), dashboard_address=None, **options,
    )


def _number_or_text(value):
    if not isinstance(value, str):
        return value
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


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


def _security(args):
    if not (args.tls_ca_file or args.tls_cert or args.tls_key):
        return None
    from distributed import Security

    return Security(tls_ca_file=args.tls_ca_file, tls_worker_cert=args.tls_cert,
                    tls_worker_key=args.tls_key, require_encryption=True)


async def run_workers(scheduler_address: str, specs: list[dict]) -> None:
    """Start the Nannies, run until SIGINT/SIGTERM or until they all stop, then close them."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):  # before starting: a signal during the start stops cleanly
        loop.add_signal_handler(signum, stop.set)
    nannies = [spec["cls"](scheduler_address, **spec["options"]) for spec in specs]
    await asyncio.gather(*nannies)
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(_all_finished(nannies))]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*(nanny.close(timeout=10) for nanny in nannies), return_exceptions=True)


async def _all_finished(nannies) -> None:
    await asyncio.gather(*(nanny.finished() for nanny in nannies))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cuda-worker`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.show_devices:
        from .devices import describe, discover

        print(describe(discover()))
        return 0
    if not args.scheduler_address:
        parser.error("SCHEDULER_ADDRESS is required (or use --show-devices)")
    try:
        settings, specs, directory = _plan(args)
    except (SettingsError, RuntimeError) as error:
        parser.exit(2, f"cuda-worker: error: {error}\n")
    from .ucx import parent_settings

    try:
        with parent_settings(settings):  # the Nannies talk to the scheduler without CUDA
            asyncio.run(run_workers(args.scheduler_address, specs))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


def _plan(args) -> tuple:
    from .cluster import plan_cluster
    from .spec import worker_spec

    settings = settings_from_args(args)
    prefix = args.name_prefix if args.name_prefix is not None else f"{socket.gethostname()}-"
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        _, plans = plan_cluster(settings, prefix)
    directory = tempfile.mkdtemp(prefix="cuda-workers-", dir=settings.local_directory)
    return settings, [worker_spec(plan, settings, directory) for plan in plans], directory


if __name__ == "__main__":
    sys.exit(main())
