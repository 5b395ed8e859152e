"""What the demo prints: result tables, the timing table, and where the files are."""

from __future__ import annotations

from gpuscale.demo.etl import PAYMENT_NAMES
from gpuscale.demo.stages import StageRunner

RULE = "-" * 78


def heading(text: str) -> None:
    print(f"\n{text}\n{RULE}", flush=True)


def show_results(results: dict) -> None:
    """Print the three aggregates (pandas frames) in a compact form."""
    import pandas as pd

    with pd.option_context("display.width", 110, "display.max_columns", 12, "display.precision", 2):
        heading("Trips, mean fare, mean tip and speed by hour of pick-up")
        print(results["by_hour"].to_string(index=False))
        heading("Top 10 pick-up zones by revenue")
        print(results["by_zone"].head(10).to_string(index=False))
        heading("Trips by borough and payment type (top 10)")
        frame = results["by_borough_payment"].head(10).copy()
        frame["payment_type"] = frame["payment_type"].map(PAYMENT_NAMES).fillna("other")
        print(frame.to_string(index=False))


def timing_rows(runs: dict[str, StageRunner]) -> list[tuple[str, float | None, float | None]]:
    """``(stage, gpuscale seconds, pandas seconds)`` in stage order, None where a stage did not run."""
    main, other = runs.get("gpuscale"), runs.get("pandas")
    names = list(main.results) if main else []
    names += [n for n in (other.results if other else {}) if n not in names]
    return [(n, _seconds(main, n), _seconds(other, n)) for n in names]


def _seconds(runner: StageRunner | None, name: str) -> float | None:
    result = runner.results.get(name) if runner else None
    return result.seconds if result is not None and result.ok else None


def show_timings(rows, peer: str = "pandas/NumPy") -> None:
    heading(f"Timings (wall clock, seconds) - gpuscale vs. the same pipeline in {peer}")
    print(f"{'stage':<36}{'gpuscale':>10}{peer:>14}{'ratio':>10}")
    for name, mine, theirs in rows:
        print(f"{name:<36}{_fmt(mine):>10}{_fmt(theirs):>14}{_ratio(mine, theirs):>10}")
    complete = [(m, t) for _, m, t in rows if m is not None and t is not None]
    if complete and len(complete) == len(rows):
        total_mine, total_theirs = sum(m for m, _ in complete), sum(t for _, t in complete)
        print(f"{'total':<36}{_fmt(total_mine):>10}{_fmt(total_theirs):>14}{_ratio(total_mine, total_theirs):>10}")
    print("ratio = peer time / gpuscale time (above 1: gpuscale is faster).")


def _fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f}"


def _ratio(mine: float | None, theirs: float | None) -> str:
    if mine is None or theirs is None or mine <= 0:
        return "-"
    return f"{theirs / mine:.2f}x"
