"""The report of benchmarks/notebooks_compat.py: per-notebook counts, the progress lines and the markdown."""

from __future__ import annotations


def summarize(nb, rows: list) -> dict:
    """One notebook's counts: cells, cells run (not skipped), how many each engine ran, passes, fails as dask."""
    counted = [r for r in rows if r["verdict"] != "skipped"]
    return {
        "cells": len(rows), "run": len(counted),
        "dask_ran": sum(r["dask"] == "ok" for r in counted),
        "gpuscale_ran": sum(r["gpuscale"] == "ok" for r in counted),
        "pass": sum(r["verdict"] == "pass" for r in counted),
        "as_dask": sum(r["verdict"] == "as dask" for r in counted),
        "notes": nb.notes, "random_arrays": nb.random_arrays,
    }


def print_outcome(nb, summary: dict, rows: list, seconds: float) -> None:
    print(f"{nb.name}: {summary['pass']}/{summary['run']} pass, {summary['as_dask']} fail as dask does, "
          f"gpuscale ran {summary['gpuscale_ran']}, dask ran {summary['dask_ran']} ({seconds:.0f} s)", flush=True)
    for r in rows:
        if r["verdict"] not in ("pass", "skipped", "as dask"):
            src = r["source"].strip().splitlines()
            print(f"   [{r['cell']}] {r['verdict']}: {src[0][:70] if src else ''!s} -- {r['note'][:300]}")


def render(report: dict) -> str:
    lines = ["# dask notebooks on gpuscale", "",
             "Written by `python -m benchmarks.notebooks_compat`; see its docstring for the rules.", "",
             "| notebook | cells run | dask ran | gpuscale ran | same answer | fail as dask does | substitutions |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, entry in report["notebooks"].items():
        s = entry["summary"]
        lines.append(f"| {name} | {s['run']} | {s['dask_ran']} | {s['gpuscale_ran']} | {s['pass']} | "
                     f"{s['as_dask']} | {s['notes']} |")
    for name, entry in report["notebooks"].items():
        bad = [r for r in entry["cells"] if r["verdict"] not in ("pass", "as dask")]
        if not bad:
            continue
        lines += ["", f"## {name}", ""]
        for r in bad:
            first = (r["source"].strip().splitlines() or [""])[0].replace("|", "\\|")[:80]
            note = r["note"].replace("\n", " ").replace("|", "\\|")[:300]
            lines.append(f"* cell {r['cell']} ({r['verdict']}): `{first}` — {note}")
    lines += ["", "## Not run", ""]
    lines += [f"* {k}: {v}" for k, v in report["out_of_scope"].items()]
    return "\n".join(lines) + "\n"
