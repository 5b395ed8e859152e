"""Run the gpuscale benchmarks, each in its own process, and collect their tables.

    python -m benchmarks.run                 # every benchmark at its default size
    python -m benchmarks.run scheduler tpch  # some of them
    python -m benchmarks.run -- --quick      # pass options through to each benchmark
    python -m benchmarks.run --help          # this text and the benchmarks' names

Every benchmark accepts ``--quick`` (small sizes). Each benchmark module writes
``benchmarks/results/<name>*.json`` and ``<name>*.md``; this runner concatenates the markdown
tables that this run wrote (not older ones lying there) into ``benchmarks/results/summary.md``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BENCHMARKS = {
    "scheduler": "benchmarks.scheduler",
    "arrays": "benchmarks.arrays",
    "cluster": "benchmarks.cluster",
    "kernels": "benchmarks.kernels",
    "windows": "benchmarks.windows",
    "tpch": "benchmarks.tpch.run",
}


def _split_args(argv: list[str]) -> tuple[list[str], list[str]]:
    if "--" in argv:
        cut = argv.index("--")
        return argv[:cut], argv[cut + 1:]
    return argv, []


def run(names: list[str], extra: list[str]) -> int:
    """Run the named benchmarks; return the number that failed."""
    failures = 0
    started = time.time() - 1  # a second of slack for file systems with coarse timestamps
    for name in names or list(BENCHMARKS):
        print(f"== {name} ==", flush=True)
        code = subprocess.call([sys.executable, "-m", BENCHMARKS[name], *extra], cwd=HERE.parent)
        failures += code != 0
    _summarize(started)
    return failures


def _summarize(since: float, folder: Path = RESULTS) -> None:
    """Concatenate the markdown tables written since ``since`` (this run's) into ``summary.md``."""
    tables = [p.read_text() for p in sorted(folder.glob("*.md"))
              if p.name != "summary.md" and p.stat().st_mtime >= since]
    (folder / "summary.md").write_text("\n\n".join(tables))


def main(argv: list[str] | None = None) -> int:
    names, extra = _split_args(list(sys.argv[1:] if argv is None else argv))
    if {"-h", "--help"} & set(names):
        print(__doc__ + f"\nBenchmarks: {', '.join(BENCHMARKS)}")
        return 0
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {sorted(BENCHMARKS)}", file=sys.stderr)
        return 2
    RESULTS.mkdir(exist_ok=True)
    return 1 if run(names, extra) else 0


if __name__ == "__main__":
    sys.exit(main())
