"""``gpuscale demo``: generate (or reuse) the data, run the ETL and array stages, compare with pandas.

Order of work: check the output folder is writable, make sure the dataset exists, start
the engine, run the gpuscale stages, run the same stages in pandas/NumPy, compare,
draw the chart, then publish every output at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import gpuscale
from gpuscale.demo import arrays, chart, engines, pipeline, report
from gpuscale.demo.dataset import ensure_dataset
from gpuscale.demo.output import StagedOutput
from gpuscale.demo.sizes import human_bytes
from gpuscale.demo.stages import StageRunner

ARRAY_STAGE = "array: read, standardise, anomalies"
ALL_STAGES = [*pipeline.ETL_STAGES, ARRAY_STAGE]
EXIT_SKIPPED = 3
PANDAS_MEMORY_FACTOR = 4  # peak memory of the pandas pipeline / in-memory size of the dataset
AGGREGATES = ["by_hour", "by_zone", "by_borough_payment"]


@dataclass(frozen=True)
class DemoOptions:
    """Everything the command line can change."""

    size: int
    local: bool = False
    output: Path = Path("data/demo-output")
    data_dir: Path = Path("data/demo")
    compare: bool = True
    progress: bool = True


def run_demo(options: DemoOptions) -> int:
    """Run the demo and return the process exit status (0, or 3 when a stage was skipped).

    A bad or unusable option (``GPUSCALE_BACKEND``, ``GPUSCALE_NUM_WORKERS``...) is a ``DemoError`` with
    exit status 2 before anything is generated."""
    engines.check_settings()
    _banner(options)
    with StagedOutput(options.output) as out:
        dataset = _dataset(options)
        with engines.start_engine(options.local) as engine:
            _describe_engine(engine)
            report.heading("gpuscale pipeline")
            mine = StageRunner("gpuscale", ALL_STAGES, options.progress)
            with contextlib.closing(mine):
                library = pipeline.gpuscale_library(lambda frame: engine.wait(frame, options.progress))
                pipeline.run_etl(library, dataset, out.path("trips_enriched"), mine)
                _array_stage(mine, dataset)
        runs = {"gpuscale": mine}
        if options.compare and _pandas_fits_in_memory(dataset):
            runs["pandas"] = _pandas_run(dataset, out, options)
        summary = _finish(runs, dataset, engine, out, options)
        out.commit()
    _closing(summary, out)
    return EXIT_SKIPPED if summary["skipped"] else 0


def _banner(options: DemoOptions) -> None:
    print(f"gpuscale {gpuscale.__version__} demo - Python {platform.python_version()}, "
          f"{os.cpu_count()} CPU cores, dataset size {human_bytes(options.size)}", flush=True)


def _dataset(options: DemoOptions):
    start = time.perf_counter()
    dataset = ensure_dataset(Path(options.data_dir), options.size, options.progress)
    verb = "reusing cached" if dataset.reused else f"generated in {time.perf_counter() - start:.1f} s:"
    print(f"data: {verb} {dataset.describe()}\n      at {dataset.path}", flush=True)
    return dataset


def _describe_engine(engine) -> None:
    for notice in engine.notices:
        print(f"notice: {notice}")
    backends = engines.backends()
    print(f"engine: {engine.name}")
    print(f"backend: frames on {backends['frames']}, arrays on {backends['arrays']} "
          f"(backend={gpuscale.config.get('backend')!r})")
    for device in engine.devices:
        print(f"device: {device}")
    if engine.dashboard:
        print(f"dashboard: {engine.dashboard}")


def _array_stage(runner: StageRunner, dataset) -> None:
    import gpuscale.array as ga

    def analyse():
        summary = arrays.standardised_anomalies(ga, arrays.gpuscale_features(dataset))
        values = gpuscale.compute(*summary.values())
        return dict(zip(summary, (gpuscale.backends.to_host(v) for v in values)))

    runner.run(ARRAY_STAGE, analyse)


def _pandas_fits_in_memory(dataset) -> bool:
    """pandas holds the whole table (and copies of it): skip the comparison rather than run out of memory."""
    import psutil

    needed, available = PANDAS_MEMORY_FACTOR * dataset.plan.size, psutil.virtual_memory().available
    if needed > available:
        print(f"\nnotice: the pandas comparison is skipped: plain pandas would need about {human_bytes(needed)} "
              f"of memory for this dataset, {human_bytes(available)} is available")
    return needed <= available


def _pandas_run(dataset, out: StagedOutput, options: DemoOptions) -> StageRunner:
    import numpy as np

    report.heading("the same pipeline in pandas / NumPy (for comparison)")
    scratch = out.path(".pandas-scratch")
    runner = StageRunner("pandas", ALL_STAGES, options.progress)
    with contextlib.closing(runner):
        pipeline.run_etl(pipeline.pandas_library(), dataset, scratch, runner)
        runner.run(ARRAY_STAGE, lambda: arrays.standardised_anomalies(np, arrays.numpy_features(dataset)))
    shutil.rmtree(scratch, ignore_errors=True)
    return runner


def _finish(runs: dict, dataset, engine, out: StagedOutput, options: DemoOptions) -> dict:
    mine = runs["gpuscale"]
    results = mine.value(pipeline.ETL_STAGES[2])
    skipped = {name: r.skipped for name, r in mine.results.items() if not r.ok}
    summary = {"dataset": {"path": str(dataset.path), **asdict(dataset.plan)},
               "engine": engine.name, "devices": engine.devices, "backends": engines.backends(),
               "timings": report.timing_rows(runs), "skipped": skipped}
    if results is not None:
        report.show_results(results)
        _save_aggregates(results, out)
        try:
            summary["chart"] = str(_chart(results, dataset, out))
        except ImportError as error:  # matplotlib is an optional (demo extra) dependency
            skipped["chart"] = f"matplotlib is not installed ({error}); pip install matplotlib"
        summary["matches_pandas"] = _compare(results, runs.get("pandas"))
    _show_arrays(mine.value(ARRAY_STAGE), runs.get("pandas"))
    report.show_timings(summary["timings"])
    out.path("summary.json").write_text(json.dumps(summary, indent=2, default=str))
    return summary


def _save_aggregates(results: dict, out: StagedOutput) -> None:
    for name in AGGREGATES:
        results[name].to_parquet(out.path(f"{name}.parquet"), index=False)


def _chart(results: dict, dataset, out: StagedOutput) -> Path:
    title = f"Mean tip and trips by hour of pick-up ({dataset.plan.rows:,} synthetic taxi trips)"
    chart.plot_tips_by_hour(results["by_hour"], out.path("mean_tip_by_hour.png"), title)
    return out.folder / "mean_tip_by_hour.png"


def _compare(results: dict, peer: StageRunner | None) -> bool | None:
    expected = peer.value(pipeline.ETL_STAGES[2]) if peer else None
    if expected is None:
        return None
    problems = pipeline.compare_results(results, expected)
    verdict = "yes" if not problems else "NO - " + "; ".join(problems)
    print(f"\nresults identical to the pandas pipeline (up to float rounding): {verdict}")
    return not problems


def _show_arrays(summary: dict | None, peer: StageRunner | None) -> None:
    if summary is None:
        return
    report.heading(f"Array analysis: trip features standardised, anomalies are |z| > {arrays.THRESHOLD:g}")
    print(arrays.as_table(summary).to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    print(f"trips with at least one anomalous feature: {int(summary['anomalous_trips'][0]):,}")
    expected = peer.value(ARRAY_STAGE) if peer else None
    if expected is not None:
        import numpy as np

        same = all(np.allclose(summary[k], expected[k], rtol=1e-9) for k in summary)
        print(f"array results identical to NumPy (up to float rounding): {'yes' if same else 'NO'}")


def _closing(summary: dict, out: StagedOutput) -> None:
    report.heading("Outputs")
    for path in out.published:
        print(f"  {path}")
    if "chart" in summary:
        print(f"chart of mean tip by hour: {summary['chart']}")
    for name, reason in summary["skipped"].items():
        print(f"SKIPPED stage '{name}': {reason}")
    if summary["skipped"]:
        print(f"finished with {len(summary['skipped'])} stage(s) skipped (exit status {EXIT_SKIPPED})")
