"""Turn TPC-H measurements into the JSON / markdown / PNG results (see :mod:`run` for the layout)."""

from __future__ import annotations

import json
import math
import os
import statistics
from pathlib import Path


def seconds(record: dict) -> float | None:
    """Median wall time of a successful record whose answer was not found wrong, else None."""
    if "error" in record or record.get("correct") is False or not record.get("seconds"):
        return None
    return statistics.median(record["seconds"])


def cell(record: dict) -> str:
    """Markdown cell: seconds, or why there is none."""
    value = seconds(record)
    if value is not None:
        return f"{value:.3f}"
    if record.get("correct") is False:
        return "wrong answer"
    error = record.get("error", "no data")
    return error.split(":")[0] if error.split(":")[0] in ("timeout", "memory limit") else "error"


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def _queries(payload: dict) -> list[str]:
    return sorted({q for per_engine in payload["results"].values() for q in per_engine}, key=int)


def _ratio_column(payload: dict) -> bool:
    return {"gpuscale", "dask"} <= set(payload["engines"])


def _checked(payload: dict) -> bool:
    """Whether the answers were compared with DuckDB's (``--no-check`` records ``"checked": false``)."""
    return payload.get("checked", True)


def _checked_text(payload: dict) -> str:
    return ("answers checked against DuckDB." if _checked(payload)
            else "**answers not checked** (run with --no-check).")


def _passed(record: dict, checked: bool) -> bool:
    """A query ran; when answers were checked, only one whose answer was found correct (a missing ``correct``
    is not a pass)."""
    return seconds(record) is not None and (not checked or record.get("correct") is True)


def _cluster_text(payload: dict) -> str:
    spec = payload["cluster"]
    return (f"a {spec['workers']}-worker `{spec['kind']}` ({spec['threads_per_worker']} thread(s) and "
            f"memory_limit {spec['memory_limit_bytes'] / 2**30:.1f} GiB per worker process) on ")


def markdown(payload: dict) -> str:
    """The results table (seconds, gpuscale/dask ratio, geometric means), memory table, and error notes."""
    names, queries, env = payload["engines"], _queries(payload), payload["environment"]
    res, cluster = payload["results"], payload.get("cluster")
    where = " on a Dask distributed cluster" if cluster else ""
    lines = [f"## TPC-H SF{payload['scale_factor']:g}{where}: seconds per query (median of {payload['repeat']})",
             "", (_cluster_text(payload) if cluster else "") +
             f"{env['cpus']} CPUs, {env['ram_gib']} GiB RAM, no GPU; gpuscale {env['gpuscale_commit']}"
             f"{' (working tree)' if payload.get('tree') == 'worktree' else ' (committed tree)'}; "
             f"each engine+query in a fresh {'client ' if cluster else ''}process; {_checked_text(payload)}"
             f"{' Both engines compute on the cluster; dask.dataframe shuffles with distributed P2P.' if cluster else ''}"
             f" Load average (1 min) "
             f"{payload['load_average_before'][0]:.1f} before, {payload['load_average_after'][0]:.1f} after "
             "(other work shared the machine)." + (" **Run interrupted: queries missing below were not "
                                                    "measured.**" if payload.get("interrupted") else ""), ""]
    header = ["Query", *names] + (["gpuscale/dask"] if _ratio_column(payload) else [])
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for q in queries:
        row = [f"Q{q}"] + [cell(res[name].get(q, {})) for name in names]
        if _ratio_column(payload):
            row.append(_ratio_text(res["gpuscale"].get(q, {}), res["dask"].get(q, {})))
        lines.append("| " + " | ".join(row) + " |")
    lines += _geomean_rows(payload, queries)
    if cluster:
        lines += _cluster_tables(payload, queries)
    else:
        lines += ["", "Peak RSS (MiB, whole process incl. imports):", "",
                  "| Query | " + " | ".join(names) + " |", "|" + "---|" * (len(names) + 1)]
        for q in queries:
            lines.append(f"| Q{q} | " + " | ".join(_rss_text(res[name].get(q, {})) for name in names) + " |")
    return "\n".join(lines + _notes(payload, queries)) + "\n"


def _cluster_tables(payload: dict, queries: list[str]) -> list[str]:
    """Per query and engine: the tasks the first run sent to the cluster, the workers' peak RSS (summed over
    the workers) and the client process's peak RSS, both sampled every 50 ms."""
    names, res = payload["engines"], payload["results"]
    header = ["Query"] + [f"{name} {what}" for what in ("tasks", "workers MiB", "client MiB") for name in names]
    lines = ["", "Tasks sent to the cluster (first run), peak RSS of the workers together (MiB, sampled every "
                 "50 ms) and of the client process (MiB, sampled):", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for q in queries:
        records = [res[name].get(q, {}) for name in names]
        row = [f"Q{q}"] + [str(r["tasks"]) if "tasks" in r else "-" for r in records]
        row += [_rss_text(r, "worker_peak_rss_bytes") for r in records]
        row += [_rss_text(r, "client_peak_rss_bytes") for r in records]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _ratio_text(ours: dict, theirs: dict) -> str:
    a, b = seconds(ours), seconds(theirs)
    return f"{a / b:.2f}" if a is not None and b is not None else "-"


def _rss_text(record: dict, field: str = "peak_rss_bytes") -> str:
    return f"{record[field] / 2**20:.0f}" if record.get(field) else "-"


def _geomean_rows(payload: dict, queries: list[str]) -> list[str]:
    names, res = payload["engines"], payload["results"]
    common = [q for q in queries if all(seconds(res[name].get(q, {})) is not None for name in names)]
    row = [f"geomean ({len(common)} queries all engines ran)"]
    row += [_fmt(geomean([seconds(res[name][q]) for q in common])) for name in names]
    if _ratio_column(payload):
        pairs = [q for q in queries if _ratio_text(res["gpuscale"].get(q, {}), res["dask"].get(q, {})) != "-"]
        ratios = [seconds(res["gpuscale"][q]) / seconds(res["dask"][q]) for q in pairs]
        row.append(f"{_fmt(geomean(ratios), 2)} ({len(pairs)} q)")
    checked = _checked(payload)
    ok = ["queries answered correctly" if checked else "queries run (answers not checked)"]
    ok += [str(sum(_passed(res[name].get(q, {}), checked) for q in queries)) for name in names]
    ok += [""] if _ratio_column(payload) else []
    return ["| " + " | ".join(row) + " |", "| " + " | ".join(ok) + " |"]


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _notes(payload: dict, queries: list[str]) -> list[str]:
    notes = []
    for name in payload["engines"]:
        for q in queries:
            record = payload["results"][name].get(q, {})
            problem = record.get("error") or record.get("wrong_answer")
            if problem:
                notes.append(f"* {name} Q{q}: {problem}")
    return ["", "Errors:", "", *notes] if notes else []


def plot(payload: dict, target: Path) -> None:
    """Grouped bar chart of seconds per query and engine (log scale); missing bars are failures."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names, queries, res = payload["engines"], _queries(payload), payload["results"]
    width = 0.8 / len(names)
    fig, ax = plt.subplots(figsize=(max(8, len(queries) * 0.7), 4.5))
    for i, name in enumerate(names):
        values = [seconds(res[name].get(q, {})) or 0.0 for q in queries]
        ax.bar([k + i * width for k in range(len(queries))], values, width, label=name)
    ax.set_xticks([k + 0.4 - width / 2 for k in range(len(queries))], [f"Q{q}" for q in queries])
    ax.set_yscale("log")
    ax.set_ylabel("seconds (log scale)")
    cluster = payload.get("cluster")
    where = f", {cluster['workers']}-worker LocalCluster" if cluster else ""
    ax.set_title(f"TPC-H SF{payload['scale_factor']:g}{where}, {payload['environment']['cpus']} CPUs, no GPU "
                 "(missing bar = failed)")
    ax.legend(ncols=len(names), fontsize="small")
    fig.tight_layout()
    fig.savefig(target, dpi=110, format="png")
    plt.close(fig)


def write_all(payload: dict, folder: Path) -> str:
    """Write tpch_sf<N>.json/.md/.png (``tpch_cluster_sf<N>.*`` for a cluster run) into ``folder`` (each via
    a temporary file); return the markdown."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"tpch{'_cluster' if payload.get('cluster') else ''}_sf{payload['scale_factor']:g}"
    table = markdown(payload)
    _atomic_write(folder / f"{stem}.json", lambda p: p.write_text(json.dumps(payload, indent=1)))
    _atomic_write(folder / f"{stem}.md", lambda p: p.write_text(table))
    _atomic_write(folder / f"{stem}.png", lambda p: plot(payload, p))
    return table


def _atomic_write(target: Path, write) -> None:
    temporary = target.with_name(target.name + ".tmp")
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
