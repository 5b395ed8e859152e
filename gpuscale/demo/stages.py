"""Timed stages that either finish, or are skipped with the reason said out loud.

A stage that fails because gpuscale lacks a feature is reported as skipped (with the
error), and the stages that needed its result are skipped too: the demo never
prints a number it did not compute.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from tqdm import tqdm


@dataclass
class StageResult:
    """The outcome of one stage."""

    name: str
    seconds: float | None = None
    value: Any = None
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return self.skipped is None


@dataclass
class StageRunner:
    """Runs named stages in order, timing them and showing a progress bar.

    Parameters
    ----------
    engine : str
        Label for the progress bar (``"gpuscale"``, ``"pandas"``).
    names : list of str
        The stages that will run, for the bar's total.
    """

    engine: str
    names: list[str]
    progress: bool = True
    results: dict[str, StageResult] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # disable=None: a bar on a terminal, nothing in logs and pipes
        self._bar = tqdm(total=len(self.names), desc=self.engine, unit="stage",
                         disable=None if self.progress else True, leave=False,
                         bar_format="{desc} {n_fmt}/{total_fmt} stages |{bar}| {elapsed}")

    def run(self, name: str, fn: Callable[..., Any], *needs: str) -> StageResult:
        """Run ``fn(*values of needs)`` as stage ``name`` unless a needed stage was skipped."""
        missing = [n for n in needs if not self.results[n].ok]
        if missing:
            return self._finish(StageResult(name, skipped=f"needs the result of '{missing[0]}'"))
        self._bar.set_description(f"{self.engine}: {name}")
        start = time.perf_counter()
        try:
            value = fn(*(self.results[n].value for n in needs))
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as error:  # a missing feature or a bug: say which, skip what depends on it
            return self._finish(StageResult(name, skipped=f"{type(error).__name__}: {_first_line(error)}"))
        return self._finish(StageResult(name, time.perf_counter() - start, value))

    def _finish(self, result: StageResult) -> StageResult:
        self.results[result.name] = result
        self._bar.update()
        status = f"{result.seconds:7.2f} s" if result.ok else f"SKIPPED ({result.skipped})"
        tqdm.write(f"  {self.engine:>8} | {result.name:<34} {status}")
        return result

    def close(self) -> None:
        self._bar.close()

    def value(self, name: str) -> Any:
        result = self.results.get(name)
        return result.value if result is not None and result.ok else None


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else "(no message)"
