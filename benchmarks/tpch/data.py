"""Generate the TPC-H tables as parquet, cached per scale factor.

``tpchgen-cli`` writes decimal128(15, 2), date32 and string_view columns. Every engine we compare reads
those differently (pandas turns decimals and dates into Python objects), so after generation each file is
rewritten once with portable types: decimal -> float64, date32 -> timestamp[us], string_view -> string.
All engines then read exactly the same files with the same types.

Layout: ``<cache>/sf<N>/<table>/<table>.<part>.parquet`` plus ``<cache>/sf<N>/_tpch.json`` (how and when it was
made). Generation goes to a temporary sibling folder that is renamed into place at the end, so an
interrupted run leaves nothing half-written, and a present folder is reused as is.

Usage::

    python -m benchmarks.tpch.data --sf 1            # -> benchmarks/data/tpch/sf1
    GPUSCALE_TPCH_DATA=/scratch/tpch python -m benchmarks.tpch.data --sf 10
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TABLES = ("region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem")
MARKER = "_tpch.json"
ENV_CACHE_DIR = "GPUSCALE_TPCH_DATA"
REPO_ROOT = Path(__file__).resolve().parents[2]


def default_cache_dir() -> Path:
    """The cache folder: ``$GPUSCALE_TPCH_DATA`` or ``benchmarks/data/tpch`` (gitignored)."""
    return Path(os.environ.get(ENV_CACHE_DIR) or REPO_ROOT / "benchmarks" / "data" / "tpch")


def sf_name(sf: float) -> str:
    """Folder name of a scale factor: 1 -> ``sf1``, 0.01 -> ``sf0.01``."""
    return f"sf{sf:g}"


def default_parts(sf: float) -> int:
    """Files per table: about 1.5 million lineitem rows per file, at least 2 so partitions exist."""
    return max(2, math.ceil(4 * sf))


def is_complete(folder: Path) -> bool:
    """True when ``folder`` holds a finished generation (the marker is written last)."""
    return (folder / MARKER).is_file()


def generate(sf: float, cache_dir: str | os.PathLike | None = None, parts: int | None = None) -> Path:
    """Return the folder holding the TPC-H tables at scale factor ``sf``, generating them if absent.

    Parameters
    ----------
    sf : float
        TPC-H scale factor (1 is about 1 GB of raw data, 6 million lineitem rows).
    cache_dir : path, optional
        Parent folder; defaults to :func:`default_cache_dir`.
    parts : int, optional
        Files per table (the small tables nation and region always get one); defaults to
        :func:`default_parts`.

    Returns
    -------
    pathlib.Path
        ``<cache_dir>/sf<N>``, containing one sub-folder per table.
    """
    target = Path(cache_dir or default_cache_dir()) / sf_name(sf)
    if is_complete(target):
        return target
    if target.exists():
        raise FileExistsError(f"{target} exists but holds no finished generation (no {MARKER}); "
                              "remove it to generate again")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.tmp-{os.getpid()}"
    try:
        info = _generate_into(staging, sf, parts or default_parts(sf))
        (staging / "tables" / MARKER).write_text(json.dumps(info, indent=2))
        _publish(staging / "tables", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _publish(finished: Path, target: Path) -> None:
    """Rename the finished folder into place; a concurrent generator that won the race is fine too."""
    try:
        os.rename(finished, target)
    except OSError:
        if not is_complete(target):
            raise


def _generate_into(staging: Path, sf: float, parts: int) -> dict:
    raw, tables = staging / "raw", staging / "tables"
    start = time.perf_counter()
    _run_tpchgen(raw, sf, parts)
    generated = time.perf_counter()
    _convert_all(raw, tables)
    converted = time.perf_counter()
    return {
        "scale_factor": sf,
        "parts": parts,
        "generator": _tpchgen_version(),
        "types": "decimal->float64, date32->timestamp[us], string_view->string",
        "seconds_generate": round(generated - start, 2),
        "seconds_convert": round(converted - generated, 2),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _tpchgen_exe() -> str:
    """``tpchgen-cli`` on PATH, else next to this Python (a virtual environment's bin/ need not be on PATH)."""
    exe = shutil.which("tpchgen-cli") or shutil.which("tpchgen-cli", path=str(Path(sys.executable).parent))
    if exe is None:
        raise FileNotFoundError(f"tpchgen-cli not found on PATH nor in {Path(sys.executable).parent}; "
                                "install it with `pip install tpchgen-cli`")
    return exe


def _tpchgen_version() -> str:
    return subprocess.run([_tpchgen_exe(), "--version"], capture_output=True, text=True).stdout.strip()


def _run_tpchgen(out: Path, sf: float, parts: int) -> None:
    cmd = [_tpchgen_exe(), "parquet", "-s", f"{sf:g}", "--parts", str(parts), "-o", str(out), "-q"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr.strip()}")


def _convert_all(raw: Path, tables: Path) -> None:
    jobs = []
    for table in TABLES:
        (tables / table).mkdir(parents=True)
        jobs += [(src, tables / table / src.name) for src in sorted((raw / table).glob("*.parquet"))]
        if not any(src.parent.name == table for src, _ in jobs):
            raise FileNotFoundError(f"tpchgen-cli wrote no parquet files for table {table!r} in {raw}")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda job: convert_file(*job), jobs))


def portable_type(arrow_type):
    """The column type all engines read the same way (see the module docstring)."""
    import pyarrow as pa

    if pa.types.is_decimal(arrow_type):
        return pa.float64()
    if pa.types.is_date(arrow_type):
        return pa.timestamp("us")
    if pa.types.is_string_view(arrow_type) or pa.types.is_large_string(arrow_type):
        return pa.string()
    return arrow_type


def convert_file(src: Path, dst: Path) -> None:
    """Rewrite one parquet file row group by row group with :func:`portable_type` columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = pq.ParquetFile(src)
    schema = pa.schema([pa.field(f.name, portable_type(f.type), f.nullable) for f in source.schema_arrow])
    with pq.ParquetWriter(dst, schema, compression="snappy") as writer:
        for i in range(source.num_row_groups):
            writer.write_table(source.read_row_group(i).cast(schema))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sf", type=float, default=1.0, help="scale factor (default 1)")
    parser.add_argument("--cache-dir", default=None, help=f"parent folder (default ${ENV_CACHE_DIR} or "
                        "benchmarks/data/tpch)")
    parser.add_argument("--parts", type=int, default=None, help="files per table (default ceil(4*sf), min 2)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    folder = generate(args.sf, args.cache_dir, args.parts)
    print(f"{folder} ready in {time.perf_counter() - start:.1f} s: {(folder / MARKER).read_text()}")


if __name__ == "__main__":
    main()
