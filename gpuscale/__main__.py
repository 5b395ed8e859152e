"""``python -m gpuscale`` / ``gpuscale``: the command line.

Sub-commands:

``gpuscale demo [--size 1GB] [--local] [--output DIR] [--data-dir DIR]``
    Generate (once) a taxi-trips dataset and run an ETL pipeline and an array
    analysis on the best hardware present, with timings against pandas/NumPy.

``gpuscale check [--backend NAME]... [--json]``
    Report the GPUs, drivers and libraries of this machine (installed? version?
    usable? why not?) and run a correctness smoke test on each usable backend.
"""

from __future__ import annotations

import argparse
import re
import sys

# Options whose value may start with "-" (a negative size is refused by the option's own check, which says so).
_VALUE_OPTIONS = ("--size",)
_NEGATIVE_VALUE = re.compile(r"-\d")


def build_parser() -> argparse.ArgumentParser:
    """The ``gpuscale`` argument parser (imports nothing heavy)."""
    from gpuscale.check import add_arguments as add_check_arguments
    from gpuscale.demo.cli import add_arguments

    parser = argparse.ArgumentParser(prog="gpuscale", description="gpuscale command line")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser("demo", help="run the end-to-end demo (ETL pipeline + array analysis)",
                               description="Run the end-to-end demo: ETL pipeline and array analysis on a "
                                           "generated taxi-trips dataset, compared with pandas/NumPy.",
                               epilog="The backend is chosen automatically (GPU when usable); set "
                                      "GPUSCALE_BACKEND=cpu to keep the data on the CPU. Exit status: 0 done, "
                                      "2 bad option or unwritable folder, 3 a stage was skipped, 130 interrupted.")
    add_arguments(demo)
    check = commands.add_parser("check", help="report GPUs and libraries; smoke-test each usable backend",
                                description="Report the GPUs (NVML), drivers and libraries of this machine: "
                                            "installed, version, usable, and why not. Then run a small array "
                                            "and dataframe computation on each usable backend and compare it "
                                            "with NumPy / pandas.",
                                epilog="Exit status: 0 all smoke tests passed and every --backend is usable, "
                                       "1 a required backend is unusable or a smoke test failed, 2 bad option.")
    add_check_arguments(check)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gpuscale`` console script."""
    args = build_parser().parse_args(_attach_negative_values(sys.argv[1:] if argv is None else argv))
    if args.command == "demo":
        from gpuscale.demo.cli import run

        return run(args)
    if args.command == "check":
        from gpuscale.check import run as run_check

        return run_check(args)
    return 2  # unreachable: argparse rejects unknown commands


def _attach_negative_values(argv: list[str]) -> list[str]:
    """``--size -5MB`` -> ``--size=-5MB``.

    argparse takes ``-5MB`` for an option (only plain numbers such as ``-5`` count as negative values) and says
    "expected one argument"; attached with ``=``, the value reaches ``parse_size``, which names the real problem.
    """
    out: list[str] = []
    for token in argv:
        if out and out[-1] in _VALUE_OPTIONS and _NEGATIVE_VALUE.match(token):
            out[-1] = f"{out[-1]}={token}"
        else:
            out.append(token)
    return out


if __name__ == "__main__":
    sys.exit(main())
