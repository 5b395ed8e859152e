"""Command line of ``gpuscale demo``: options, clear errors, clean interruption."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from gpuscale.demo.errors import DemoError

DEFAULT_SIZE = "1GB"
EXIT_INTERRUPTED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``gpuscale demo``."""
    parser.add_argument("--size", default=DEFAULT_SIZE,
                        help=f"in-memory size of the generated taxi-trips dataset (default {DEFAULT_SIZE}; "
                             "e.g. 20MB, 500MB, 4GB); generated once and cached")
    parser.add_argument("--local", action="store_true",
                        help="run on gpuscale's local runtime (threads in this process) instead of a "
                             "LocalCUDACluster")
    parser.add_argument("--output", type=Path, default=Path("data/demo-output"),
                        help="folder for the results, parquet files and chart (default ./data/demo-output)")
    parser.add_argument("--data-dir", type=Path, default=Path("data/demo"),
                        help="folder for the cached datasets, one sub-folder per size (default ./data/demo)")
    parser.add_argument("--no-compare", dest="compare", action="store_false",
                        help="skip running the same pipeline in plain pandas / NumPy")
    parser.add_argument("--no-progress", dest="progress", action="store_false", help="hide progress bars")


def run(args: argparse.Namespace) -> int:
    """Run the demo from parsed arguments; return the exit status, never raise for user errors."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        from gpuscale.demo.runner import DemoOptions, run_demo
        from gpuscale.demo.sizes import parse_size

        options = DemoOptions(size=parse_size(args.size), local=args.local, output=args.output,
                              data_dir=args.data_dir, compare=args.compare, progress=args.progress)
        return run_demo(options)
    except DemoError as error:
        print(f"gpuscale demo: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("\ngpuscale demo: interrupted; no output was written (the complete parts of the dataset "
              "are kept, so the next run resumes from them)", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
