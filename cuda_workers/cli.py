"""``cuda-worker SCHEDULER_ADDRESS [options]``: one worker (Nanny) per visible GPU on this node.

The multi-node path: start ``dask scheduler`` somewhere, then ``cuda-worker`` on every
GPU node. Options are the :class:`~cuda_workers.settings.Settings` fields with dashes.
``cuda-worker --show-devices`` prints what NVML finds and exits.
"""

from __future__ import annotations

import signal
import sys


def _quiet_exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__" or sys.argv[0].endswith("cuda-worker"):
    # run as the program: a SIGINT/SIGTERM that arrives while the modules below are still being
    # imported ends it quietly, like one during start-up (main() installs the real handlers)
    signal.signal(signal.SIGINT, _quiet_exit)
    signal.signal(signal.SIGTERM, _quiet_exit)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402

from .node import StartError, read_scheduler_file
from .settings import SettingsError

_SIZE_OPTIONS = ("memory_limit", "device_memory_limit", "rmm_pool_size", "rmm_maximum_pool_size",
                 "rmm_release_threshold")
# on/off switches, spelt as dask-cuda's worker command spells them (the off form after the slash)
_SWITCHES = {
    "rmm_async": "--rmm-async/--no-rmm-async",
    "rmm_managed_memory": "--rmm-managed-memory/--no-rmm-managed-memory",
    "rmm_track_allocations": "--rmm-track-allocations/--no-rmm-track-allocations",
    "enable_cudf_spill": "--enable-cudf-spill/--disable-cudf-spill",
    "log_spilling": "--log-spilling/--no-log-spilling",
    "enable_tcp_over_ucx": "--enable-tcp-over-ucx/--disable-tcp-over-ucx",
    "enable_nvlink": "--enable-nvlink/--disable-nvlink",
    "enable_infiniband": "--enable-infiniband/--disable-infiniband",
    "enable_rdmacm": "--enable-rdmacm/--disable-rdmacm",
}
_TEXT_OPTIONS = ("devices", "local_directory", "rmm_log_directory", "pre_import", "protocol", "interface", "host")


def build_parser() -> argparse.ArgumentParser:
    """The ``cuda-worker`` argument parser: the Settings fields as ``--dashed-options``.

    Examples
    --------
    >>> args = build_parser().parse_args(["tcp://10.0.0.1:8786", "--n-workers", "2", "--rmm-pool-size", "10GB"])
    >>> args.scheduler_address, args.n_workers, args.rmm_pool_size
    ('tcp://10.0.0.1:8786', 2, '10GB')
    """
    parser = argparse.ArgumentParser(prog="cuda-worker", description=__doc__.splitlines()[0])
    parser.add_argument("scheduler_address", nargs="?", help="e.g. tcp://10.0.0.1:8786 or ucx://…")
    parser.add_argument("--scheduler-file", help="read the scheduler's address from this JSON file (dask scheduler --scheduler-file)")
    parser.add_argument("--show-devices", action="store_true", help="print the GPUs found and exit")
    parser.add_argument("--n-workers", type=int, help="workers to start (default: one per visible GPU)")
    parser.add_argument("--nthreads", "--threads-per-worker", dest="threads_per_worker", type=int)
    for name in _SIZE_OPTIONS:
        parser.add_argument(_flag(name), help="bytes, '4GB', or a fraction like 0.8 / '80%%'")
    for name in _TEXT_OPTIONS:
        parser.add_argument(_flag(name))
    for name, spelling in _SWITCHES.items():
        on, off = spelling.split("/")
        parser.add_argument(on, dest=name, action="store_true", default=None)
        parser.add_argument(off, *([f"--no-{on[2:]}"] if name in ("enable_nvlink", "enable_infiniband") else []),
                            dest=name, action="store_false", help=argparse.SUPPRESS)
    parser.add_argument("--set-rmm-allocator-for-libs", dest="rmm_allocator_external_lib_list",
                        help="libraries whose allocations RMM serves, e.g. 'cupy,torch'")
    parser.add_argument("--cudf-spill-stats", type=int, help="cuDF spill statistics level (0, 1 or 2)")
    parser.add_argument("--death-timeout", help="seconds (or '60s') a worker waits for a lost scheduler")
    parser.add_argument("--resources", help="extra worker resources, e.g. 'MEM=10e9 FOO=2' (GPU workers have GPU=1 unless given)")
    parser.add_argument("--preload", action="append", default=[], help="module or script each worker preloads")
    parser.add_argument("--pid-file", help="write this process's id here (removed at exit)")
    parser.add_argument("--name", help="worker names start with NAME- (as --name-prefix NAME-)")
    parser.add_argument("--dashboard", dest="dashboard", action="store_true", default=None,
                        help="serve each worker's dashboard (on --dashboard-address, default a free port)")
    parser.add_argument("--no-dashboard", dest="dashboard", action="store_false", help=argparse.SUPPRESS)
    parser.add_argument("--dashboard-address", help="each worker's dashboard address, e.g. ':0' (turns it on)")
    parser.add_argument("--worker-port", help="port, or range 'low:high' giving each worker its own, they listen on")
    parser.add_argument("--listen-address", help="where the one worker listens, e.g. 'tcp://0.0.0.0:9000'")
    parser.add_argument("--contact-address", help="the address others dial to reach the worker (behind NAT, in a "
                                                  "container; default: --listen-address)")
    parser.add_argument("--worker-class", help="the Worker (or Nanny) class to start, as 'module.Class'")
    parser.add_argument("--no-cpu-fallback", dest="cpu_fallback", action="store_false",
                        help="fail instead of starting CPU workers when there is no GPU")
    parser.add_argument("--name-prefix", default=None, help="worker name prefix (default: hostname-)")
    for name in ("tls_ca_file", "tls_cert", "tls_key"):
        parser.add_argument(_flag(name))
    _add_dask_cuda_flags(parser)
    return parser


def _add_dask_cuda_flags(parser: argparse.ArgumentParser) -> None:
    """dask-cuda's worker flags with no Settings field (scripts written for ``dask cuda worker`` pass them)."""
    parser.add_argument("--dashboard-prefix", help="URL prefix of each worker's dashboard (its http_prefix)")
    parser.add_argument("--enable-jit-unspill", dest="jit_unspill", action="store_true", default=None,
                        help=argparse.SUPPRESS)  # refused as LocalCUDACluster(jit_unspill=True) is
    parser.add_argument("--disable-jit-unspill", dest="jit_unspill", action="store_false",
                        help="accepted: there are no JIT-unspill proxy objects (cuDF spills its own buffers)")
    parser.add_argument("--multiprocessing-method", choices=("spawn", "fork", "forkserver"),
                        help="how the Nannies start worker processes (distributed's default: spawn)")
    # dask-cuda's hint to JIT-unspill whether local_directory is shared between workers: without JIT-unspill
    # there is nothing to tell, so both spellings are accepted and change nothing
    parser.add_argument("--shared-filesystem", dest="shared_filesystem", action="store_true", default=None,
                        help="accepted for dask-cuda compatibility; no effect (no JIT-unspill)")
    parser.add_argument("--no-shared-filesystem", dest="shared_filesystem", action="store_false",
                        help=argparse.SUPPRESS)


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def settings_from_args(args: argparse.Namespace):
    """Build validated Settings from parsed arguments (sizes as given; Settings parses them).

    The protocol is the address's scheme; without ``--host``/``--interface`` the
    workers listen on this node's address towards the scheduler (:func:`~cuda_workers.node.node_settings`).

    Examples
    --------
    >>> args = build_parser().parse_args(["tcp://127.0.0.1:8786", "--device-memory-limit", "0.7"])
    >>> s = settings_from_args(args)
    >>> s.protocol, s.host, s.device_memory_limit
    ('tcp', '127.0.0.1', 0.7)
    """
    from .node import node_settings

    names = (*_SIZE_OPTIONS, *_TEXT_OPTIONS, *_SWITCHES, "rmm_allocator_external_lib_list", "cudf_spill_stats")
    options = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    return node_settings(args.scheduler_address, args.listen_address, n_workers=args.n_workers,
                         threads_per_worker=args.threads_per_worker,
                         cpu_fallback=args.cpu_fallback, security=_security(args), **options)


class _BadPath(SettingsError):
    """A TLS file that does not exist, in ``dask worker``'s (click's) words."""

    def __init__(self, flag: str, path: str):
        ValueError.__init__(self, f"Invalid value for {flag!r}: Path {path!r} does not exist.")
        self.option, self.problem = flag, f"Path {path!r} does not exist."


def _security(args):
    if not (args.tls_ca_file or args.tls_cert or args.tls_key):
        return None
    from distributed import Security

    from .node import _scheme

    for name in ("tls_ca_file", "tls_cert", "tls_key"):  # else a bare FileNotFoundError from the ssl module
        path = getattr(args, name)
        if path and not os.path.exists(path):
            raise _BadPath(_flag(name), path)
    if _scheme(args.scheduler_address) not in ("tls", "wss"):  # else "encryption required", read as another service
        raise SettingsError("SCHEDULER_ADDRESS", f"--tls-* options need a tls:// (or wss://) scheduler address; "
                                                 f"got {args.scheduler_address!r}")

    return Security(tls_ca_file=args.tls_ca_file, tls_worker_cert=args.tls_cert,
                    tls_worker_key=args.tls_key, require_encryption=True)


class Stopped(Exception):
    """SIGINT or SIGTERM arrived before the event loop took the signals over."""


# the signal that asked to stop, kept as well as raised: Python swallows an exception raised while it runs a
# callback that may not raise (a weakref callback of the import machinery, ``__del__``), and the start goes on
_SIGNALLED: dict = {}


def _stop_on_signals() -> dict:
    """From now on SIGINT/SIGTERM raise ``Stopped``: imports and planning stop cleanly too.

    Returns the previous handlers.
    """
    _SIGNALLED.clear()

    def stop(signum, frame):
        _SIGNALLED["signum"] = signum
        raise Stopped(signum)

    return {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}


def _ignore_stops(hook):
    """``sys.unraisablehook`` that is quiet about a swallowed ``Stopped`` (it is kept in ``_SIGNALLED``)."""
    def quiet(unraisable):
        if not isinstance(unraisable.exc_value, Stopped):
            hook(unraisable)

    return quiet


async def run_workers(scheduler_address: str, specs: list[dict], security=None) -> None:
    """Start the Nannies, run until SIGINT/SIGTERM or until they all stop, then close them.

    A signal stops at any point: while waiting for the scheduler, while the worker
    processes start, or while they run.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):  # before starting: a signal during the start stops cleanly
        loop.add_signal_handler(signum, stop.set)
    if _SIGNALLED:  # a signal whose Stopped was swallowed before the loop took the signals over
        return
    if not await _unless_stopped(stop, check_reachable(scheduler_address, security)):
        return
    nannies = [spec["cls"](scheduler_address, **spec["options"]) for spec in specs]
    try:
        if await _unless_stopped(stop, _start(nannies)):
            await _unless_stopped(stop, _all_finished(nannies))
    finally:
        await asyncio.gather(*(nanny.close(timeout=10) for nanny in nannies), return_exceptions=True)


async def _unless_stopped(stop: asyncio.Event, awaitable) -> bool:
    """Await ``awaitable`` unless ``stop`` is set first (then cancel it); True if it completed."""
    work = asyncio.ensure_future(awaitable)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait([work, stopping], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not work.done():
        work.cancel()
        await asyncio.wait([work])  # let it unwind before the Nannies close
        return False
    work.result()  # its error, if any
    return True


async def check_reachable(address: str, security=None) -> None:
    """Connect to the scheduler once, retrying up to distributed's connect timeout.

    Raises ``StartError`` naming the address and the timeout, before any worker
    process starts (a Nanny would fail with a long chained traceback).

    Examples
    --------
    >>> import asyncio
    >>> from distributed import Scheduler
    >>> async def start_and_check():
    ...     async with Scheduler(port=0, dashboard_address=":0") as scheduler:
    ...         await check_reachable(scheduler.address)
    ...     return "reachable"
    >>> asyncio.run(start_and_check())
    'reachable'
    """
    from distributed.comm import connect

    from .node import connect_timeout

    timeout = connect_timeout()
    arguments = security.get_connection_args("worker") if security is not None else {}
    try:
        # connect()'s timeout covers the TCP connect only: a port that accepts but never answers the handshake
        # would hang, so the whole check is bounded (with a little slack for its own last attempt)
        comm = await asyncio.wait_for(connect(address, timeout=timeout, **arguments), timeout + 1)
    except (OSError, asyncio.TimeoutError) as error:
        raise StartError(f"cannot reach the scheduler at {address} within {timeout:g} s ({_root_cause(error)}); "
                         "is it running? (to wait longer set DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT, e.g. 60s)") from None
    except Exception as error:  # a malformed address, or an answer that is no Dask handshake
        raise StartError(f"cannot talk to a Dask scheduler at {address}: {type(error).__name__}: {str(error)[:120]}; "
                         "is another service listening there?") from None
    await comm.close()


async def _start(nannies) -> None:
    try:
        await asyncio.gather(*nannies)
    except Exception as error:  # the Nannies logged the details
        raise StartError(f"a worker failed to start: {_root_cause(error)}") from None


def _root_cause(error: BaseException) -> str:
    """The innermost OS error of a chain (``Connection refused``), else the innermost error."""
    chain = []
    while error is not None:
        chain.append(error)
        error = error.__cause__
    for cause in reversed(chain):
        if getattr(cause, "strerror", None):
            return cause.strerror
    if isinstance(chain[-1], (asyncio.TimeoutError, asyncio.CancelledError)):
        return "no answer"  # the last attempt timed out
    return str(chain[-1]) or type(chain[-1]).__name__


async def _all_finished(nannies) -> None:
    await asyncio.gather(*(nanny.finished() for nanny in nannies))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cuda-worker`` console script.

    Exit status: 0 when stopped by SIGINT/SIGTERM (at any time) or when the workers
    end, 1 when the scheduler cannot be reached or a worker fails to start, 2 for
    bad options.

    Examples
    --------
    A bad option ends with status 2 (the message goes to stderr):

    >>> main(["tcp://127.0.0.1:8786", "--n-workers", "0"])
    Traceback (most recent call last):
    SystemExit: 2

    Start one worker per GPU of this node (runs until stopped):

    >>> main(["tcp://10.0.0.1:8786", "--rmm-pool-size", "10GB"])  # doctest: +SKIP
    """
    previous, unraisable = _stop_on_signals(), sys.unraisablehook
    sys.unraisablehook = _ignore_stops(unraisable)
    try:
        return _main(argv)
    except Stopped:
        return 0
    except StartError as error:
        print(f"cuda-worker: error: {error}", file=sys.stderr)
        return 1
    finally:
        sys.unraisablehook = unraisable
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _main(argv: list[str] | None) -> int:
    from .node import connect_timeout

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        connect_timeout()  # read while waiting for the scheduler (file): a bad value is an option error
    except SettingsError as error:
        parser.exit(2, f"cuda-worker: error: {error}\n")
    if args.show_devices:
        from .devices import describe, discover

        print(describe(discover()))
        return 0
    if args.scheduler_file:
        if args.scheduler_address:
            parser.error("give SCHEDULER_ADDRESS or --scheduler-file, not both")
        args.scheduler_address = read_scheduler_file(args.scheduler_file)
    if not args.scheduler_address:
        parser.error("SCHEDULER_ADDRESS is required (or --scheduler-file, or --show-devices)")
    try:
        settings, specs, folder = _plan(args)
    except (SettingsError, RuntimeError) as error:
        parser.exit(2, f"cuda-worker: error: {error}\n")
    import dask

    from .ucx import parent_settings

    pid_file = None
    try:  # the private folder exists from here: every way out removes it
        pid_file = _write_pid_file(args.pid_file) if args.pid_file else None
        method = args.multiprocessing_method
        start = {"distributed.worker.multiprocessing-method": method} if method else {}
        # the Nannies talk to the scheduler without CUDA, and start their processes as asked
        with parent_settings(settings), _parent_devices(specs), dask.config.set(start):
            asyncio.run(run_workers(args.scheduler_address, specs, settings.security))
    except SettingsError as error:
        parser.exit(2, f"cuda-worker: error: {error}\n")
    finally:
        folder.close()
        if pid_file is not None:
            pid_file.unlink(missing_ok=True)
    return 0


def _write_pid_file(path: str):
    from pathlib import Path

    pid_file = Path(path)
    try:
        pid_file.write_text(f"{os.getpid()}\n")
    except OSError as error:
        raise SettingsError("pid_file", f"cannot write {path} ({error.strerror or error})") from None
    return pid_file


@contextlib.contextmanager
def _parent_devices(specs: list[dict]):
    """CUDA_VISIBLE_DEVICES as planned, while the Nannies run in this process.

    distributed's NVML monitor of each Nanny reads this process's value as it is: ``-1`` or a UUID prefix
    (which CUDA and the plan accept) made it fail.  GPU workers: the planned devices, in full; CPU fallback
    with a value set: ``""``, which still hides every GPU from CUDA (and from the CPU workers, who inherit it).
    """
    planned = specs[0]["options"].get("env", {}).get("CUDA_VISIBLE_DEVICES") if specs else None
    before = os.environ.get("CUDA_VISIBLE_DEVICES")
    if planned is None and before is None:
        yield
        return
    os.environ["CUDA_VISIBLE_DEVICES"] = planned or ""
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("CUDA_VISIBLE_DEVICES", None)
        else:
            os.environ["CUDA_VISIBLE_DEVICES"] = before


def _plan(args) -> tuple:
    from .node import plan_node
    from .spec import import_worker_class

    if args.jit_unspill:
        from .settings import jit_unspill_refused

        raise jit_unspill_refused()
    settings = settings_from_args(args)
    prefix = args.name_prefix if args.name_prefix is not None else (f"{args.name}-" if args.name else None)
    specs, folder = plan_node(settings, prefix, resources=_resources(args.resources),
                              worker_class=import_worker_class(args.worker_class), death_timeout=args.death_timeout,
                              preload=args.preload or None, worker_port=args.worker_port,
                              listen_address=args.listen_address, contact_address=args.contact_address,
                              http_prefix=args.dashboard_prefix, **_dashboard(args))
    return settings, specs, folder


def _dashboard(args) -> dict:
    """Worker keywords for ``--dashboard``/``--no-dashboard``/``--dashboard-address`` (off by default)."""
    if args.dashboard is False or (args.dashboard is None and args.dashboard_address is None):
        return {"dashboard": False, "dashboard_address": None}
    return {"dashboard": True, "dashboard_address": args.dashboard_address or ":0"}


def _resources(text: str | None) -> dict[str, float]:
    """``"MEM=10e9 FOO=2"`` (or comma-separated) -> ``{"MEM": 1e10, "FOO": 2.0}``, as ``dask worker --resources``.

    Examples
    --------
    >>> _resources("MEM=10e9, FOO=2")
    {'MEM': 10000000000.0, 'FOO': 2.0}
    """
    resources = {}
    for item in (text or "").replace(",", " ").split():
        name, _, amount = item.partition("=")
        try:
            resources[name] = float(amount)
        except ValueError:
            raise SettingsError("resources", f"expected NAME=AMOUNT pairs like 'MEM=10e9'; got {item!r}") from None
    return resources


if __name__ == "__main__":
    sys.exit(main())
