"""The demo dataset on disk: generated once per size, atomically, resumable, then reused.

Layout under the data folder (default ``./data/demo``)::

    <size>/trips/part-00000.parquet ...   the trips, one file per slice of the year
    <size>/zones.parquet                  the zone dimension table
    <size>/manifest.json                  written last: the dataset is complete

Generation happens in ``.<size>.incomplete/`` and is renamed into place at the end, so
``<size>/`` is either absent or complete.  Each part is written to a temporary name and
renamed, so an interrupted run leaves only whole parts behind; the next run keeps them
and generates the rest (parts are seeded independently).
"""

from __future__ import annotations

import json
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
from tqdm import tqdm

from gpuscale.demo import taxi
from gpuscale.demo.errors import DemoError
from gpuscale.demo.sizes import human_bytes, size_label

FORMAT_VERSION = 1
PART_BYTES = 64 * 10**6  # in-memory bytes per part: one part is generated at a time
MIN_PARTS = 4            # so even tiny datasets have several partitions


@dataclass(frozen=True)
class DatasetPlan:
    """What a dataset of a given size contains: rows and how they are split in parts."""

    size: int
    rows: int
    parts: int

    @classmethod
    def for_size(cls, size: int) -> "DatasetPlan":
        rows = max(size // taxi.ROW_BYTES, MIN_PARTS)
        return cls(size, rows, max(MIN_PARTS, math.ceil(size / PART_BYTES)))

    def part_rows(self, part: int) -> int:
        return (part + 1) * self.rows // self.parts - part * self.rows // self.parts

    def manifest(self) -> dict:
        return {"format": FORMAT_VERSION, "seed": taxi.SEED, "size": self.size,
                "rows": self.rows, "parts": self.parts}


@dataclass(frozen=True)
class Dataset:
    """A complete dataset on disk."""

    path: Path
    plan: DatasetPlan
    reused: bool

    @property
    def trips(self) -> Path:
        return self.path / "trips"

    @property
    def zones(self) -> Path:
        return self.path / "zones.parquet"

    def disk_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.rglob("*.parquet"))

    def describe(self) -> str:
        return (f"{self.plan.rows:,} trips in {self.plan.parts} parquet files, "
                f"{human_bytes(self.plan.size)} in memory, {human_bytes(self.disk_bytes())} on disk")


def ensure_dataset(data_dir: Path, size: int, progress: bool = True) -> Dataset:
    """Return the cached dataset of ``size`` bytes under ``data_dir``, generating it if needed."""
    plan = DatasetPlan.for_size(size)
    final = Path(data_dir) / size_label(size)
    if _is_complete(final, plan):
        return Dataset(final, plan, reused=True)
    if final.exists():
        raise DemoError(f"{final} exists but is not a complete demo dataset of this version; "
                        "delete it (or pick another --data-dir) and run again")
    work = _prepare_workdir(final, plan)
    _generate_missing_parts(work, plan, progress)
    taxi_zones = taxi.zone_table()
    _write_atomically(work / "zones.parquet", lambda tmp: pq.write_table(taxi_zones, tmp))
    (work / "manifest.json").write_text(json.dumps(plan.manifest(), indent=2))
    os.replace(work, final)
    return Dataset(final, plan, reused=False)


def _is_complete(path: Path, plan: DatasetPlan) -> bool:
    try:
        return json.loads((path / "manifest.json").read_text()) == plan.manifest()
    except (OSError, ValueError):
        return False


def _prepare_workdir(final: Path, plan: DatasetPlan) -> Path:
    """Create (or reuse, when the plan matches) the hidden folder the parts are written to."""
    work = final.with_name(f".{final.name}.incomplete")
    try:
        if work.exists() and not _plan_matches(work, plan):
            shutil.rmtree(work)
        (work / "trips").mkdir(parents=True, exist_ok=True)
        (work / "plan.json").write_text(json.dumps(plan.manifest()))
    except OSError as error:
        raise DemoError(f"cannot write the demo dataset under {final.parent}: {error.strerror or error}. "
                        "Choose a writable folder with --data-dir.") from None
    _check_free_space(work, plan)
    return work


def _plan_matches(work: Path, plan: DatasetPlan) -> bool:
    try:
        return json.loads((work / "plan.json").read_text()) == plan.manifest()
    except (OSError, ValueError):
        return False


def _check_free_space(work: Path, plan: DatasetPlan) -> None:
    needed = plan.size // 2  # parquet with snappy takes about a third of the in-memory size
    free = shutil.disk_usage(work).free
    if free < needed:
        raise DemoError(f"not enough disk space in {work.parent} for a {human_bytes(plan.size)} dataset: "
                        f"about {human_bytes(needed)} needed, {human_bytes(free)} free. "
                        "Use a smaller --size or another --data-dir.")


def part_path(folder: Path, part: int) -> Path:
    return folder / "trips" / f"part-{part:05d}.parquet"


def _generate_missing_parts(work: Path, plan: DatasetPlan, progress: bool) -> None:
    missing = [p for p in range(plan.parts) if not part_path(work, p).exists()]
    kept = plan.parts - len(missing)
    if kept:
        print(f"data: resuming an interrupted generation, {kept} of {plan.parts} parts kept", flush=True)
    label = f"generating {human_bytes(plan.size)} of trips"
    with tqdm(total=plan.parts, initial=kept, desc=label, unit="part", disable=None if progress else True) as bar:
        for part in missing:
            table = taxi.trips_part(part, plan.parts, plan.part_rows(part))
            _write_atomically(part_path(work, part), lambda tmp: pq.write_table(table, tmp))
            bar.update()


def _write_atomically(target: Path, write) -> None:
    """Write through a temporary sibling and rename, so ``target`` is whole or absent."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as error:
        raise DemoError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        tmp.unlink(missing_ok=True)
