"""Which TPC-H queries gpuscale.dataframe answers correctly today, and why the others fail.

    python -m benchmarks.tpch.status            # SF 0.01; prints a markdown list and the xfail dict
    python -m benchmarks.tpch.status --update   # also rewrites them in docs/tpch.md and the test file

The markdown list goes to docs/tpch.md (between the "gpuscale status" markers); the dict is
``GPUSCALE_XFAIL`` in tests/tpch/test_tpch.py. Each query runs in its own process with a timeout, so a
crash or hang in one query does not hide the others.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time

from . import data, engines
from .run import run_child


def check(n: int, path, timeout: float) -> str | None:
    """None when query ``n`` matches DuckDB on gpuscale, else the first line of the problem."""
    cmd = [sys.executable, "-m", "benchmarks.tpch.measure", "--engine", "gpuscale", "--query", str(n),
           "--path", str(path), "--check"]
    record = run_child(cmd, timeout, 2**34, data.REPO_ROOT)
    if "error" in record:
        return record["error"]
    return None if record.get("correct") else f"wrong answer: {record.get('wrong_answer')}"


def short_reason(problem: str) -> str:
    """The part of a problem worth an xfail reason: the message without the source location."""
    return problem.split(" (at queries.py:")[0][:150]


DOC = data.REPO_ROOT / "docs" / "tpch.md"
TEST = data.REPO_ROOT / "tests" / "tpch" / "test_tpch.py"
DOC_BLOCK = re.compile(r"(<!-- gpuscale-status:begin -->\n).*?(<!-- gpuscale-status:end -->)", re.S)
TEST_BLOCK = re.compile(r"(GPUSCALE_XFAIL: dict\[int, str\] = )\{.*?\n?\}\n", re.S)


def status_markdown(problems: dict, sf: float) -> str:
    failing = sum(1 for p in problems.values() if p)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [f"{len(problems) - failing} of {len(problems)} queries match DuckDB at SF{sf:g} ({stamp}).", ""]
    lines += [f"* Q{n}: " + (f"`{p}`" if p else "passes") for n, p in problems.items()]
    return "\n".join(lines) + "\n"


def xfail_dict(problems: dict) -> str:
    items = "".join(f"    {n}: {short_reason(p)!r},\n" for n, p in problems.items() if p)
    return "{\n" + items + "}\n" if items else "{}\n"


def update_files(problems: dict, sf: float) -> None:
    """Rewrite the status block of docs/tpch.md and GPUSCALE_XFAIL in the test file."""
    doc = DOC.read_text()
    DOC.write_text(DOC_BLOCK.sub(lambda m: m.group(1) + status_markdown(problems, sf) + m.group(2), doc))
    TEST.write_text(TEST_BLOCK.sub(lambda m: m.group(1) + xfail_dict(problems), TEST.read_text()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sf", type=float, default=0.01)
    parser.add_argument("--queries", default="1-22")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--update", action="store_true", help="rewrite docs/tpch.md and the xfail list")
    args = parser.parse_args(argv)
    if args.update and engines.parse_queries(args.queries) != list(range(1, 23)):
        parser.error("--update needs all 22 queries (the xfail list is rewritten as a whole)")
    path = data.generate(args.sf)
    problems = {}
    for n in engines.parse_queries(args.queries):
        problems[n] = check(n, path, args.timeout)
        print(f"Q{n}: {problems[n] or 'passes'}", flush=True)
    print("\n" + status_markdown(problems, args.sf) + "\nGPUSCALE_XFAIL = " + xfail_dict(problems))
    if args.update:
        update_files(problems, args.sf)


if __name__ == "__main__":  # (as a command only: main() called in a test leaves its handlers alone)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))  # unwind, killing the child
    main()
