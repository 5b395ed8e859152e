"""The ETL job as stages, run once with gpuscale.dataframe and once with plain pandas.

Stage boundaries are the same for both engines: the lazy gpuscale frames are
persisted at the end of a stage, so each stage's time is the work of that stage.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from gpuscale.demo import etl
from gpuscale.demo.dataset import Dataset
from gpuscale.demo.stages import StageRunner

ETL_STAGES = ["read, clean, derive, join", "group-by aggregations", "sort", "write parquet"]


@dataclass(frozen=True)
class FrameLibrary:
    """How one engine reads, materialises, collects and writes frames."""

    name: str
    read_parquet: Callable[..., Any]
    persist: Callable[[dict], dict]
    collect: Callable[[dict], dict]
    write_parquet: Callable[[Any, Path], None]


def gpuscale_library(wait: Callable[[Any], Any] = lambda frame: frame) -> FrameLibrary:
    """gpuscale.dataframe: lazy frames, persisted between stages, computed at the end.

    ``wait`` blocks until a persisted frame is in memory (needed on a cluster, where
    ``persist`` returns at once), so that each stage is timed with its own work.
    """
    import gpuscale
    import gpuscale.dataframe as gd
    from gpuscale.backends import to_host

    def persist(frames: dict) -> dict:
        return {name: wait(frame.persist()) for name, frame in frames.items()}

    def collect(frames: dict) -> dict:
        values = gpuscale.compute(*frames.values())
        return {name: to_host(value) for name, value in zip(frames, values)}

    return FrameLibrary("gpuscale", gd.read_parquet, persist, collect,
                        lambda frame, path: gd.to_parquet(frame, str(path), write_index=False))


def pandas_library() -> FrameLibrary:
    """Plain pandas: eager, one frame in memory."""
    import pandas as pd

    def write(frame, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(path / "part.0.parquet", index=False)

    return FrameLibrary("pandas", pd.read_parquet, dict, dict, write)


def run_etl(library: FrameLibrary, dataset: Dataset, output: Path, stages: StageRunner) -> None:
    """Run the four ETL stages on ``stages``; the enriched trips go to ``output`` (a folder)."""
    stages.run(ETL_STAGES[0], lambda: library.persist({"trips": _prepare(library, dataset)})["trips"])
    stages.run(ETL_STAGES[1], lambda trips: library.persist(etl.aggregate(trips)), ETL_STAGES[0])
    stages.run(ETL_STAGES[2], lambda aggs: library.collect(etl.sort(aggs)), ETL_STAGES[1])
    stages.run(ETL_STAGES[3], lambda trips: _write(library, trips, output), ETL_STAGES[0])


def _prepare(library: FrameLibrary, dataset: Dataset):
    trips = library.read_parquet(str(dataset.trips), columns=etl.TRIP_COLUMNS)
    zones = library.read_parquet(str(dataset.zones))
    return etl.prepare(trips, zones)


def _write(library: FrameLibrary, trips, output: Path) -> Path:
    shutil.rmtree(output, ignore_errors=True)
    library.write_parquet(trips, output)
    return output


def compare_results(actual: dict, expected: dict) -> list[str]:
    """Differences between two engines' sorted aggregates (empty when they agree)."""
    import pandas as pd

    problems = []
    for name, keys in etl.GROUP_KEYS.items():
        left, right = (_canonical(frames[name], keys) for frames in (actual, expected))
        try:
            pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False, rtol=1e-9)
        except AssertionError as error:
            problems.append(f"{name}: {_first_line(error)}")
    return problems


def _canonical(frame, keys: list[str]):
    frame = frame.sort_values(keys).reset_index(drop=True)
    return frame.astype({k: "str" for k in keys if frame[k].dtype == object})


def _first_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300]
