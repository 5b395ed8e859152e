"""``gpuscale check``: what this machine has, and a correctness smoke test of each usable backend.

Reports the GPUs NVML finds (name, memory, driver and CUDA driver versions, what
``CUDA_VISIBLE_DEVICES`` leaves visible), then for each library gpuscale uses whether
it is installed, its version, whether it is usable here and why not.  Then runs a
small :mod:`gpuscale.array` computation and a small :mod:`gpuscale.dataframe`
group-by on each usable backend and compares them with NumPy / pandas.

Exit status: 0 when every smoke test that ran passed and every backend named with
``--backend`` is usable; 1 when a smoke test failed or a required backend is not
usable (a line starting ``FAILED:`` names it; on stderr with ``--json``); 2 for
a bad option.

The probing lives in :mod:`gpuscale.backends.machine`; this module only runs the
smoke tests and prints.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import dataclass
from typing import Any

__all__ = ["BACKENDS", "SmokeResult", "add_arguments", "collect", "format_report", "run", "smoke_test"]

#: The backends a smoke test exists for, and the library each needs.
BACKENDS = {"numpy": "numpy", "pandas": "pandas", "cupy": "cupy", "cudf": "cudf"}
_KIND = {"numpy": "array", "cupy": "array", "pandas": "dataframe", "cudf": "dataframe"}
_GROUPS = {"cpu": ("numpy", "pandas"), "gpu": ("cupy", "cudf")}
CHOICES = (*BACKENDS, "cpu", "gpu", "auto")
EXIT_OK, EXIT_FAILED = 0, 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``gpuscale check`` to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The sub-command's parser.
    """
    parser.add_argument("--backend", action="append", default=[], choices=CHOICES, metavar="NAME", type=str.lower,
                        help="a backend this machine must be able to run (repeatable): numpy, pandas, cupy, "
                             "cudf, cpu (numpy and pandas), gpu (cupy and cudf) or auto (what backend='auto' "
                             "picks here); exit status 1 when it is not usable or fails its smoke test")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the report")


@dataclass(frozen=True)
class SmokeResult:
    """The outcome of one backend's smoke test.

    Attributes
    ----------
    backend : str
        ``"numpy"``, ``"pandas"``, ``"cupy"`` or ``"cudf"``.
    status : str
        ``"PASS"``, ``"FAIL"`` or ``"SKIPPED"`` (the backend is not usable here).
    detail : str
        What was compared, the error of a failure, or why it was skipped.
    seconds : float
        How long the test took.
    """

    backend: str
    status: str
    detail: str
    seconds: float = 0.0


def _array_smoke(backend: str) -> str:
    import gpuscale.array as ga
    from gpuscale import backends
    from gpuscale.testing import assert_eq

    np = backends.array_module("numpy")
    host = np.arange(60, dtype="float64").reshape(12, 5) % 7
    x = ga.from_array(host, chunks=(5, 3), backend=backend)
    result = ga.sum((x - ga.mean(x, axis=0)) ** 2, axis=0) / (ga.max(x) + 1)
    computed = result.compute()
    on_gpu = backends.is_gpu_object(computed)
    if on_gpu != (backend == "cupy"):
        raise AssertionError(f"the result is a {type(computed).__module__}.{type(computed).__name__}, "
                             f"not a {backend} array")
    assert_eq(computed, np.sum((host - np.mean(host, axis=0)) ** 2, axis=0) / (np.max(host) + 1))
    return "array: centred sum of squares over 6 chunks equals NumPy's"


def _frame_smoke(backend: str) -> str:
    import gpuscale.dataframe as gd
    from gpuscale import backends
    from gpuscale.testing import assert_eq

    pd = backends.frame_module("pandas")
    pdf = pd.DataFrame({"key": [i % 4 for i in range(40)], "value": [float(i % 9) for i in range(40)]})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    result = df[df.value > 1].groupby("key").value.agg(["sum", "mean", "count"])
    computed = result.compute()
    if backends.is_gpu_object(computed) != (backend == "cudf"):
        raise AssertionError(f"the result is a {type(computed).__module__}.{type(computed).__name__}, "
                             f"not a {backend} frame")
    expected = pdf[pdf.value > 1].groupby("key").value.agg(["sum", "mean", "count"])
    assert_eq(computed.sort_index(), expected, check_dtype=False)
    return "dataframe: filtered group-by (sum, mean, count) over 3 partitions equals pandas'"


def smoke_test(backend: str) -> SmokeResult:
    """Run the smoke test of one backend; never raises for a failure.

    Parameters
    ----------
    backend : str
        ``"numpy"`` or ``"cupy"`` (a :mod:`gpuscale.array` computation compared with
        NumPy) or ``"pandas"`` or ``"cudf"`` (a :mod:`gpuscale.dataframe` group-by
        compared with pandas).

    Returns
    -------
    SmokeResult
        ``PASS`` or ``FAIL``, with what was compared or the error.
    """
    from gpuscale import config

    start = time.perf_counter()
    try:
        with config.set(progress=False):
            detail = (_array_smoke if _KIND[backend] == "array" else _frame_smoke)(backend)
    except Exception as exc:
        text = " ".join(str(exc).split())[:500]
        return SmokeResult(backend, "FAIL", f"{type(exc).__name__}: {text}" if text else type(exc).__name__,
                           time.perf_counter() - start)
    return SmokeResult(backend, "PASS", detail, time.perf_counter() - start)


def _expand(requested: list[str]) -> list[str]:
    names: list[str] = []
    for name in requested:
        if name == "auto":
            from gpuscale import backends

            group = (backends.resolve_array_backend("auto"), backends.resolve_frame_backend("auto"))
        else:
            group = _GROUPS.get(name, (name,))
        names.extend(n for n in group if n not in names)
    return names


def _auto() -> dict[str, str]:
    from gpuscale import backends

    from gpuscale.backends.registry import dask_backends

    try:
        picks = {"array": backends.resolve_array_backend("auto"), "dataframe": backends.resolve_frame_backend("auto")}
        overridden = dask_backends()  # what computations with gpuscale's backend at "auto" use instead
        return {**picks, "dask": overridden} if overridden else picks
    except Exception as exc:  # e.g. NumPy missing
        return {"error": f"{type(exc).__name__}: {exc}"}


def _configured() -> tuple[dict[str, str], str | None]:
    """What a computation that names no backend uses: the configured default backend (``config.set(backend=)``,
    ``GPUSCALE_BACKEND``) or, where it is ``"auto"``, dask's ``dataframe.backend`` / ``array.backend`` (ported
    RAPIDS code, ``DASK_DATAFRAME__BACKEND``), with the problem when it cannot run here: every such computation
    would fail."""
    from gpuscale import backends, config
    from gpuscale.backends.registry import dask_backends

    _load_dask_config()
    try:
        name = config.get("backend")
        from_dask = dask_backends() if name == "auto" else {}
        if name == "auto" and not from_dask:
            return {"backend": name}, None
        found = {"backend": name, "array": backends.resolve_array_backend(None),
                 "dataframe": backends.resolve_frame_backend(None)}
        return ({**found, "dask": from_dask} if from_dask else found), None
    except Exception as exc:  # an invalid value, or a library this machine cannot run
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return {"error": text}, f"the configured default backend cannot run here: {text}"


def _load_dask_config() -> None:
    """Import dask's config, as a program using dask does: it reads the ``DASK_*`` variables then (a
    ``DASK_DATAFRAME__BACKEND=cudf`` counts only from dask's import on)."""
    import importlib

    try:
        importlib.import_module("dask.config")
    except ImportError:  # no dask: its config cannot change anything
        pass


def collect(required: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Probe the machine, run the smoke tests and judge the required backends.

    Parameters
    ----------
    required : sequence of str
        Backends that must work (names as for ``--backend``).

    Returns
    -------
    dict
        JSON-ready: ``gpuscale``, ``python``, ``platform``, ``nvml`` (see
        :class:`gpuscale.backends.machine.NVMLStatus`), ``libraries`` (a list, see
        :class:`gpuscale.backends.machine.Library`), ``backends`` (name -> ``usable``,
        ``reason``, ``smoke``, ``detail``, ``seconds``), ``auto`` (the libraries
        ``backend="auto"`` picks for arrays and dataframes, and under ``dask`` dask's config keys that override
        it, as ``{"dataframe.backend": "cudf"}``), ``configured`` (what computations that name no backend use:
        the configured default backend, dask's config where it applies, the libraries, or the ``error``), ``required``, ``problems`` (one line each) and ``ok``.
    """
    import gpuscale
    from gpuscale.backends import machine

    nvml = machine.probe_nvml()
    libraries = machine.probe_libraries(nvml)
    by_name = {library.name: library for library in libraries}
    results: dict[str, dict[str, Any]] = {}
    for backend, library_name in BACKENDS.items():
        library = by_name[library_name]
        if library.usable:
            smoke = smoke_test(backend)
        else:
            smoke = SmokeResult(backend, "SKIPPED", f"not usable: {library_name} {library.reason.split(';')[0]}")
        results[backend] = {"usable": library.usable, "reason": library.reason, "smoke": smoke.status,
                            "detail": smoke.detail, "seconds": round(smoke.seconds, 3)}
    required_backends = _expand(list(required))
    problems = []
    for backend, result in results.items():
        if backend in required_backends and not result["usable"]:
            problems.append(f"required backend {backend!r} is not usable: {BACKENDS[backend]} {result['reason']}")
        elif result["smoke"] == "FAIL":
            problems.append(f"backend {backend!r} failed its smoke test: {result['detail']}")
    configured, problem = _configured()
    problems += [problem] if problem else []
    return {
        "gpuscale": gpuscale.__version__,
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "nvml": nvml.to_dict(),
        "libraries": [library.to_dict() for library in libraries],
        "backends": results,
        "auto": _auto(),
        "configured": configured,
        "required": required_backends,
        "problems": problems,
        "ok": not problems,
    }


def _bytes(n: int | None) -> str:
    return "? GiB" if n is None else f"{n / 2**30:.1f} GiB"


def format_report(report: dict[str, Any]) -> str:
    """The human-readable report of :func:`collect`'s result.

    Parameters
    ----------
    report : dict
        What :func:`collect` returned.

    Returns
    -------
    str
        Several lines: GPUs, libraries, smoke tests, verdict.
    """
    nvml = report["nvml"]
    lines = [f"gpuscale {report['gpuscale']} on Python {report['python']}, {report['platform']}", "", "GPUs (NVML)"]
    if nvml["available"]:
        lines.append(f"  driver {nvml['driver_version'] or '?'}, CUDA driver {nvml['cuda_driver_version'] or '?'}")
    cvd = nvml["cuda_visible_devices"]
    lines.append(f"  CUDA_VISIBLE_DEVICES={'(unset)' if cvd is None else repr(cvd)}")
    for gpu in nvml["gpus"]:
        shown = "visible" if gpu["visible"] else "hidden "
        lines.append(f"  {gpu['index']:>3}  {shown}  {_bytes(gpu['memory_total_bytes']):>10}  {gpu['name']}  "
                     f"{gpu['uuid']}")
    usable = f"{nvml['visible_count']} usable" if nvml["visible_count"] else "no usable GPU"
    lines += [f"  {usable}: {nvml['reason']}", "", "Libraries"]
    width = max(len(library["name"]) for library in report["libraries"])
    lines.append(f"  {'library':<{width}}  {'version':<12}  usable  why not")
    for library in report["libraries"]:
        why = "" if library["usable"] else library["reason"]
        version = library["version"] or "-"
        lines.append(f"  {library['name']:<{width}}  {version:<12}  {'yes' if library['usable'] else 'no':<6}  "
                     f"{why}".rstrip())
    lines += ["", "Smoke tests"]
    for backend, result in report["backends"].items():
        timing = f" ({result['seconds']:.2f} s)" if result["smoke"] != "SKIPPED" else ""
        lines.append(f"  {backend:<7} {result['smoke']:<8} {result['detail']}{timing}")
    auto = report["auto"]
    picks = auto.get("error") or f"{auto['array']} for arrays, {auto['dataframe']} for dataframes"
    dask = "; ".join(f"dask's config {key}={value!r} overrides it" for key, value in auto.get("dask", {}).items())
    lines += ["", f"backend='auto' uses {picks}{' on its own; ' + dask if dask else ''}"]
    configured = report["configured"]
    if "error" not in configured and "array" in configured:
        dask = ", ".join(f"dask's {key}={value!r}" for key, value in configured.get("dask", {}).items())
        lines.append(f"configured default backend={configured['backend']!r}{' with ' + dask if dask else ''}: "
                     f"{configured['array']} for arrays, {configured['dataframe']} for dataframes")
    lines.append("")
    if report["ok"]:
        required = ", ".join(report["required"])
        lines.append(f"OK: {'required backends usable and correct: ' + required if required else 'no problem found'}")
    else:
        lines += [f"FAILED: {problem}" for problem in report["problems"]]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run ``gpuscale check`` from parsed arguments.

    Parameters
    ----------
    args : argparse.Namespace
        With ``backend`` (a list of names) and ``json`` (bool).

    Returns
    -------
    int
        The exit status: 0, or 1 when a required backend is not usable or a smoke test failed.
    """
    report = collect(args.backend)
    if args.json:
        print(json.dumps(report, indent=2))
        for problem in report["problems"]:  # the report ends with them when not JSON
            print(f"gpuscale check: FAILED: {problem}", file=sys.stderr)
    else:
        print(format_report(report))
    return EXIT_OK if report["ok"] else EXIT_FAILED
