"""``python -m gpuscale`` / ``gpuscale``: the command line.

Sub-commands:

``gpuscale demo [--size 1GB] [--local] [--output DIR] [--data-dir DIR]``
    Generate (once) a taxi-trips dataset and run an ETL pipeline and an array
    analysis on the best hardware present, with timings against pandas/NumPy.
"""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    """The ``gpuscale`` argument parser (imports nothing heavy)."""
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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gpuscale`` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from gpuscale.demo.cli import run

        return run(args)
    return 2  # unreachable: argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
